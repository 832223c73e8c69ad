package api

import (
	"context"
	"strconv"
	"strings"

	"github.com/igny8/sdk/content"
	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/linking"
	"github.com/igny8/sdk/planning"
)

// LinkPass is the result of a link pass over a sector's content.
type LinkPass struct {
	// Pages is the number of pages linked; Failed those whose links could
	// not be saved (named in the job's log).
	Pages  int `json:"pages"`
	Failed int `json:"failed"`
	// Placed counts the links inserted, Skipped the candidates the rules
	// refused, SkippedBy the refusals per rule.
	Placed    int                    `json:"placed"`
	Skipped   int                    `json:"skipped"`
	SkippedBy map[linking.RuleID]int `json:"skipped_by"`
	// Versions counts the content versions the pass saved.
	Versions int `json:"versions"`
}

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

// siteContent is a content of the site with the linker's view of it.
type siteContent struct {
	c    content.Content
	page linking.Page
}

// pageURL is where the linker points at a content; the graph resolves
// links against the same URLs (automation.SiteLinker uses the same form).
func pageURL(c content.Content) string { return "/" + c.Slug + "/" }

// siteContents loads every content of the site as linker pages: its
// cluster comes from the task it was written for, and it is its cluster's
// pillar when its primary keyword is the cluster's pillar keyword (the
// oldest such content, when several are).
func (s *Server) siteContents(ctx context.Context, site igny8.Scope) ([]siteContent, error) {
	site = site.Site()
	all := igny8.PageRequest{Limit: igny8.MaxPageLimit}
	pillars := map[string]string{} // cluster → normalized pillar keyword
	for p := all; ; {
		cls, err := s.store.ListClusters(ctx, site, planning.ClusterFilter{}, p)
		if err != nil {
			return nil, err
		}
		for _, cl := range cls {
			pillars[cl.ID] = planning.Normalize(cl.PillarKeyword)
		}
		if len(cls) < p.Limit {
			break
		}
		p.After = cls[len(cls)-1].ID
	}
	clusterOf := map[string]string{} // task → cluster
	for p := all; ; {
		ts, err := s.store.ListTasks(ctx, site, content.TaskFilter{}, p)
		if err != nil {
			return nil, err
		}
		for _, t := range ts {
			if t.ClusterID != "" {
				clusterOf[t.ID] = t.ClusterID
			}
		}
		if len(ts) < p.Limit {
			break
		}
		p.After = ts[len(ts)-1].ID
	}
	var out []siteContent
	hasPillar := map[string]bool{} // a cluster's first content on its pillar keyword is its pillar
	for p := all; ; {
		cs, err := s.store.ListContent(ctx, site, content.ContentFilter{}, p)
		if err != nil {
			return nil, err
		}
		for _, c := range cs {
			pg := linkPage(c, clusterOf[c.TaskID], pillars)
			if pg.IsPillar && hasPillar[pg.ClusterID] {
				pg.IsPillar = false
			}
			hasPillar[pg.ClusterID] = hasPillar[pg.ClusterID] || pg.IsPillar
			out = append(out, siteContent{c: c, page: pg})
		}
		if len(cs) < p.Limit {
			break
		}
		p.After = cs[len(cs)-1].ID
	}
	return out, nil
}

func linkPage(c content.Content, cluster string, pillars map[string]string) linking.Page {
	p := linking.Page{ID: c.ID, URL: pageURL(c), Title: c.Title, HTML: c.HTML, PrimaryKeyword: c.PrimaryKeyword,
		SecondaryKeywords: c.SecondaryKeywords, ClusterID: cluster, Published: c.Status == content.StatusPublished}
	if pk, ok := pillars[cluster]; ok && pk != "" && planning.Normalize(c.PrimaryKeyword) == pk {
		p.IsPillar = true
	}
	return p
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
	scope, site := r.scope, r.site
	return s.startJob(scope, "link", func(ctx context.Context, report progress) (any, error) {
		return s.linkPass(ctx, scope, site, in, report)
	})
}

func (s *Server) linkPass(ctx context.Context, scope igny8.Scope, site igny8.Site, in linkPassInput, report progress) (LinkPass, error) {
	res := LinkPass{SkippedBy: map[linking.RuleID]int{}}
	all, err := s.siteContents(ctx, scope)
	if err != nil {
		return res, err
	}
	opts := linking.Options{Hosts: siteHosts(site)}
	opts.Rules.AllowUnpublished = !in.PublishedOnly
	idx := linking.NewIndex(&opts)
	for _, sc := range all {
		if err := idx.Add(sc.page); err != nil {
			return res, err
		}
	}
	idx.Reweight()
	linker, err := linking.NewLinker(idx, s.store, linking.LinkerOptions{Tx: s.store, Events: s.events, Clock: s.clock, IDs: s.ids, Logger: s.log})
	if err != nil {
		return res, err
	}
	var sources []string
	if len(in.ContentIDs) > 0 {
		sources = in.ContentIDs
	} else {
		for _, sc := range all {
			if sc.c.Scope.SectorID == scope.SectorID {
				sources = append(sources, sc.c.ID)
			}
		}
	}
	byID := make(map[string]linking.Page, len(all))
	for _, sc := range all {
		byID[sc.c.ID] = sc.page
	}
	report(len(sources), 0, 0)
	for i, id := range sources {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		placed, saved, plan, err := s.linkOne(ctx, scope, idx, linker, id, byID[id])
		if err != nil {
			if igny8.CodeOf(err) == igny8.CodeNotFound {
				// Deleted while the pass ran: nothing to link.
				report(len(sources), i+1, res.Failed)
				continue
			}
			if ctx.Err() != nil {
				return res, err
			}
			res.Failed++
			s.log.Warn("link pass: content not linked", "scope", scope.String(), "content_id", id, "err", err)
			report(len(sources), i+1, res.Failed)
			continue
		}
		res.Pages++
		res.Placed += placed
		res.Skipped += len(plan.Skipped)
		for _, sk := range plan.Skipped {
			res.SkippedBy[sk.Rule]++
		}
		if saved {
			res.Versions++
		}
		report(len(sources), i+1, res.Failed)
	}
	return res, nil
}

// linkOne links one content: the links, their records, the event and the
// new version commit together. When another change saved a version in
// between (Conflict), it starts again from that version.
func (s *Server) linkOne(ctx context.Context, scope igny8.Scope, idx *linking.Index, linker *linking.Linker, id string, known linking.Page) (int, bool, linking.Plan, error) {
	for attempt := 0; ; attempt++ {
		c, err := s.store.GetContent(ctx, scope, id)
		if err != nil {
			return 0, false, linking.Plan{}, err
		}
		page := known
		page.HTML, page.Title, page.PrimaryKeyword, page.SecondaryKeywords = c.HTML, c.Title, c.PrimaryKeyword, c.SecondaryKeywords
		page.URL, page.Published = pageURL(c), c.Status == content.StatusPublished
		var (
			placed int
			saved  bool
			plan   linking.Plan
		)
		err = s.store.InTx(ctx, func(ctx context.Context) error {
			res, err := linker.Link(ctx, c.Scope.Site(), page)
			if err != nil {
				return err
			}
			placed, plan = len(res.Links), res.Plan
			if placed == 0 || res.HTML == c.HTML {
				return nil
			}
			if _, err := s.library.SaveHTML(ctx, c.Scope, c.ID, c.Version, res.HTML, content.ReasonLinked, "internal links"); err != nil {
				return err
			}
			saved = true
			return nil
		})
		if igny8.CodeOf(err) == igny8.CodeConflict && attempt < 4 {
			continue
		}
		if err != nil {
			return 0, false, plan, err
		}
		if saved {
			// Keep the index on the stored HTML so later plans see the
			// links (one link per target, anchor variety).
			page.HTML = ""
			if stored, err := s.store.GetContent(ctx, scope, id); err == nil {
				page.HTML = stored.HTML
			}
			idx.Remove(id)
			if err := idx.Add(page); err != nil {
				return placed, saved, plan, err
			}
		}
		return placed, saved, plan, nil
	}
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

// findLink returns the link record id of the content (its source).
func (s *Server) findLink(ctx context.Context, site igny8.Scope, sourceID, id string) (linking.Link, error) {
	p := igny8.PageRequest{Limit: igny8.MaxPageLimit}
	for {
		l, err := s.store.ListLinks(ctx, site, linking.LinkQuery{SourceID: sourceID, Page: p})
		if err != nil {
			return linking.Link{}, err
		}
		for _, x := range l {
			if x.ID == id {
				return x, nil
			}
		}
		if len(l) < p.Limit {
			return linking.Link{}, igny8.NotFound("api.findLink", "link", id)
		}
		p.After = l[len(l)-1].ID
	}
}

// deleteLink takes an inserted link out of its source content (a new
// version, reason "linked", its anchor text left exactly as it was) and
// deletes its record, in one transaction. A link the current version no
// longer holds (an older version was restored) only loses its record.
func (s *Server) deleteLink(r *request) (any, error) {
	id := r.PathValue("link")
	for attempt := 0; ; attempt++ {
		c, err := s.library.Get(r.ctx(), r.scope, r.PathValue("content"))
		if err != nil {
			return nil, err
		}
		if _, err := s.findLink(r.ctx(), r.site.Scope(), c.ID, id); err != nil {
			return nil, err
		}
		version := c.Version
		err = s.store.InTx(r.ctx(), func(ctx context.Context) error {
			if err := s.store.DeleteLinks(ctx, r.site.Scope(), id); err != nil {
				return err
			}
			out, err := linking.Remove(c.HTML, id)
			if igny8.CodeOf(err) == igny8.CodeNotFound {
				return nil
			}
			if err != nil {
				return err
			}
			saved, err := s.library.SaveHTML(ctx, c.Scope, c.ID, c.Version, out, content.ReasonLinked, "internal link "+id+" removed")
			version = saved.Version
			return err
		})
		if igny8.CodeOf(err) == igny8.CodeConflict && attempt < 4 {
			continue
		}
		if err != nil {
			return nil, err
		}
		return map[string]any{"deleted": id, "content_id": c.ID, "version": version}, nil
	}
}

// linkGraph builds the site's link graph over every content of the site.
func (s *Server) linkGraph(ctx context.Context, site igny8.Site) (LinkGraph, error) {
	all, err := s.siteContents(ctx, site.Scope())
	if err != nil {
		return LinkGraph{}, err
	}
	pages := make([]linking.Page, len(all))
	for i, sc := range all {
		pages[i] = sc.page
	}
	g := linking.BuildGraph(pages, linking.GraphOptions{Hosts: siteHosts(site)})
	out := LinkGraph{
		Nodes: make([]GraphNode, len(g.Nodes)), Edges: nonNil(g.Edges),
		Orphans: nonNil(g.Orphans), OverCap: nonNil(g.OverCap), Broken: nonNil(g.Broken), ClusterGaps: nonNil(g.ClusterGaps), Links: g.Links,
	}
	for i, n := range g.Nodes {
		out.Nodes[i] = GraphNode{NodeStats: n, Title: all[i].c.Title, SectorID: all[i].c.Scope.SectorID}
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
