package api

import (
	"context"
	"strconv"
	"strings"

	"github.com/igny8/sdk/automation"
	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/linking"
)

// LinkPass is the result of a link pass over a sector's content.
type LinkPass = automation.PassResult

// GraphNode is a page of the link graph with its title and sector.
type GraphNode struct {
	linking.NodeStats
	Title    string `json:"title"`
	SectorID string `json:"sector_id"`
}

// LinkGraph is a site's internal link graph: linking.BuildGraph's figures
// over every content of the site, with titles and the edges between pages.
type LinkGraph struct {
	Nodes []GraphNode    `json:"nodes"`
	Edges []linking.Edge `json:"edges"`
	// Orphans are published pages no other page links to; OverCap pages
	// with more links than the rules allow.
	Orphans []string             `json:"orphans"`
	OverCap []string             `json:"over_cap"`
	Broken  []linking.BrokenLink `json:"broken"`
	// ClusterGaps are clusters whose members do not link to their pillar.
	ClusterGaps []linking.ClusterGap `json:"cluster_gaps"`
	// Links counts the internal links of the site.
	Links int `json:"links"`
}

// siteLinker is the linker of the server's routes and of its pipeline:
// one implementation of building a site's pages (clusters, pillars),
// linking them as new versions and taking a link out again.
func (s *Server) newSiteLinker() *automation.SiteLinker {
	return automation.NewSiteLinker(s.store, s.library, s.store, s.events, &automation.SiteLinkerOptions{
		Clusters: s.store, Sites: s.store, Clock: s.clock, IDs: s.ids, Logger: s.log,
	})
}

func siteHosts(site igny8.Site) []string {
	if site.Domain == "" {
		return nil
	}
	return []string{strings.ToLower(site.Domain)}
}

type linkPassInput struct {
	// ContentIDs limits the pass to these contents of the sector (default
	// every content of the sector).
	ContentIDs []string `json:"content_ids"`
	// PublishedOnly refuses unpublished targets (by default they are
	// allowed: the pipeline links before it publishes).
	PublishedOnly bool `json:"published_only"`
}

// startLinkPass links the sector's content (or the named contents) into
// its site as a job: every page of the site is a target, each source gets
// its links as a new content version (reason "linked") with the link
// records and a content_linked event in the same transaction.
func (s *Server) startLinkPass(r *request) (any, error) {
	const op = "api.startLinkPass"
	var in linkPassInput
	if r.ContentLength != 0 {
		if err := r.decode(&in); err != nil {
			return nil, err
		}
	}
	for i, id := range in.ContentIDs {
		if _, err := s.library.Get(r.ctx(), r.scope, id); err != nil {
			if igny8.CodeOf(err) == igny8.CodeNotFound {
				return nil, igny8.InvalidArgument(op, "content_ids["+strconv.Itoa(i)+"]", "no content %q in the sector", id)
			}
			return nil, err
		}
	}
	scope, linker := r.scope, s.linker
	return s.startJob(scope, "link", func(ctx context.Context, report progress) (any, error) {
		return linker.LinkPass(ctx, scope, automation.PassOptions{ContentIDs: in.ContentIDs, PublishedOnly: in.PublishedOnly, Progress: report})
	})
}

// listLinks lists the site's link records (?source=&target= content ids).
func (s *Server) listLinks(r *request) (any, error) {
	p, err := r.page()
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	l, err := s.store.ListLinks(r.ctx(), r.scope, linking.LinkQuery{SourceID: q.Get("source"), TargetID: q.Get("target"), Page: p})
	return listOf(l, p, func(x linking.Link) string { return x.ID }), err
}

// deleteLink takes an inserted link out of its source content (a new
// version, reason "linked", its anchor text left exactly as it was) and
// deletes its record, in one transaction. A link the current version no
// longer holds (an older version was restored) only loses its record.
func (s *Server) deleteLink(r *request) (any, error) {
	id, contentID := r.PathValue("link"), r.PathValue("content")
	version, err := s.linker.Unlink(r.ctx(), r.scope, contentID, id)
	if err != nil {
		return nil, err
	}
	return map[string]any{"deleted": id, "content_id": contentID, "version": version}, nil
}

// linkGraph builds the site's link graph over every content of the site.
func (s *Server) linkGraph(ctx context.Context, site igny8.Site) (LinkGraph, error) {
	all, err := s.linker.Pages(ctx, site.Scope())
	if err != nil {
		return LinkGraph{}, err
	}
	pages := make([]linking.Page, len(all))
	for i, sp := range all {
		pages[i] = sp.Page
	}
	g := linking.BuildGraph(pages, linking.GraphOptions{Hosts: siteHosts(site)})
	out := LinkGraph{
		Nodes: make([]GraphNode, len(g.Nodes)), Edges: nonNil(g.Edges),
		Orphans: nonNil(g.Orphans), OverCap: nonNil(g.OverCap), Broken: nonNil(g.Broken), ClusterGaps: nonNil(g.ClusterGaps), Links: g.Links,
	}
	for i, n := range g.Nodes {
		out.Nodes[i] = GraphNode{NodeStats: n, Title: all[i].Content.Title, SectorID: all[i].Content.Scope.SectorID}
	}
	return out, nil
}

func nonNil[T any](l []T) []T {
	if l == nil {
		return []T{}
	}
	return l
}

func (s *Server) getLinkGraph(r *request) (any, error) { return s.linkGraph(r.ctx(), r.site) }
