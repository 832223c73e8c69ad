package linking

import (
	"cmp"
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// NodeStats are one page's figures in the link graph.
type NodeStats struct {
	ID        string `json:"id"`
	URL       string `json:"url"`
	ClusterID string `json:"cluster_id,omitempty"`
	IsPillar  bool   `json:"is_pillar,omitempty"`
	Published bool   `json:"published"`
	Words     int    `json:"words"`
	// Inbound counts internal links from other pages; Outbound the
	// page's internal links (to pages of the site or to missing ones).
	Inbound  int `json:"inbound"`
	Outbound int `json:"outbound"`
	// Cap is the links the page may hold under the rules.
	Cap int `json:"cap"`
}

// BrokenLink is an internal link to a page that is gone or unpublished.
type BrokenLink struct {
	SourceID string `json:"source_id"`
	Href     string `json:"href"`
	// TargetID is set when the target exists but is unpublished.
	TargetID string `json:"target_id,omitempty"`
	Reason   string `json:"reason"` // "gone" or "unpublished"
}

// ClusterGap is a cluster whose members do not all link to its pillar.
type ClusterGap struct {
	ClusterID string `json:"cluster_id"`
	// PillarID is empty when the cluster has no pillar page.
	PillarID string `json:"pillar_id,omitempty"`
	// Members are the members without a link to the pillar.
	Members []string `json:"members"`
}

// Graph is the internal link graph of a site.
type Graph struct {
	Nodes []NodeStats `json:"nodes"`
	// Orphans are published pages no other page links to.
	Orphans []string `json:"orphans"`
	// OverCap are pages with more links than the rules allow.
	OverCap []string     `json:"over_cap"`
	Broken  []BrokenLink `json:"broken"`
	// ClusterGaps lists clusters whose members do not link to the pillar.
	ClusterGaps []ClusterGap `json:"cluster_gaps"`
	// Links counts the internal links of the site.
	Links int `json:"links"`
	// Edges are the pairs of distinct pages with links between them (to
	// unpublished pages too), by source and target id.
	Edges []Edge `json:"edges"`
}

// Edge is one page linking to another, Links times.
type Edge struct {
	SourceID string `json:"source_id"`
	TargetID string `json:"target_id"`
	Links    int    `json:"links"`
}

// Summary returns a one-line account of the graph.
func (g Graph) Summary() string {
	return fmt.Sprintf("pages=%d links=%d orphans=%d over_cap=%d broken=%d cluster_gaps=%d",
		len(g.Nodes), g.Links, len(g.Orphans), len(g.OverCap), len(g.Broken), len(g.ClusterGaps))
}

// GraphOptions configures BuildGraph. The zero value is useful.
type GraphOptions struct {
	// Rules give the per-page cap; zero values mean the defaults.
	Rules Rules
	// Hosts are the site's host names: absolute links to them are
	// internal. The hosts of the pages' URLs are always included.
	Hosts []string
}

// BuildGraph reads the links of every page's HTML (existing and inserted
// alike) and returns the site's link graph. Links are resolved against
// the source page's URL; relative links and absolute links to the site's
// hosts are internal.
func BuildGraph(pages []Page, opts GraphOptions) Graph {
	rules := Options{Rules: opts.Rules}.withDefaults().Rules
	hosts := map[string]bool{}
	for _, h := range opts.Hosts {
		hosts[strings.ToLower(h)] = true
	}
	byURL := make(map[string]int, len(pages))
	for i, p := range pages {
		if u, err := url.Parse(p.URL); err == nil && u.Host != "" {
			hosts[strings.ToLower(u.Host)] = true
		}
		byURL[normalizeURL(p.URL)] = i
	}
	g := Graph{Nodes: make([]NodeStats, len(pages))}
	linksTo := make([]map[int]int, len(pages)) // source → target → links
	for i, p := range pages {
		g.Nodes[i] = NodeStats{ID: p.ID, URL: p.URL, ClusterID: p.ClusterID, IsPillar: p.IsPillar, Published: p.Published}
	}
	for i, p := range pages {
		d := analyze([]byte(p.HTML))
		n := &g.Nodes[i]
		n.Words, n.Cap = d.textWords, rules.capFor(d.textWords)
		linksTo[i] = map[int]int{}
		for _, h := range d.hrefs {
			u, internal := resolveInternal(p.URL, h, hosts)
			if !internal {
				continue
			}
			n.Outbound++
			g.Links++
			t, ok := byURL[normalizeURL(u)]
			switch {
			case !ok:
				g.Broken = append(g.Broken, BrokenLink{SourceID: p.ID, Href: h, Reason: "gone"})
			case !pages[t].Published:
				g.Broken = append(g.Broken, BrokenLink{SourceID: p.ID, Href: h, TargetID: pages[t].ID, Reason: "unpublished"})
				fallthrough
			default:
				if t != i {
					g.Nodes[t].Inbound++
					linksTo[i][t]++
				}
			}
		}
	}
	for _, n := range g.Nodes {
		if n.Published && n.Inbound == 0 {
			g.Orphans = append(g.Orphans, n.ID)
		}
		if n.Outbound > n.Cap {
			g.OverCap = append(g.OverCap, n.ID)
		}
	}
	// Clusters: members must link to the pillar.
	type cl struct {
		pillar  int
		members []int
	}
	clusters := map[string]*cl{}
	var names []string
	for i, p := range pages {
		if p.ClusterID == "" {
			continue
		}
		c := clusters[p.ClusterID]
		if c == nil {
			c = &cl{pillar: -1}
			clusters[p.ClusterID] = c
			names = append(names, p.ClusterID)
		}
		if p.IsPillar {
			c.pillar = i
		} else {
			c.members = append(c.members, i)
		}
	}
	slices.Sort(names)
	for _, name := range names {
		c := clusters[name]
		gap := ClusterGap{ClusterID: name}
		if c.pillar >= 0 {
			gap.PillarID = pages[c.pillar].ID
		}
		for _, m := range c.members {
			if c.pillar < 0 || linksTo[m][c.pillar] == 0 {
				gap.Members = append(gap.Members, pages[m].ID)
			}
		}
		if len(gap.Members) > 0 {
			g.ClusterGaps = append(g.ClusterGaps, gap)
		}
	}
	for i, to := range linksTo {
		for t, n := range to {
			g.Edges = append(g.Edges, Edge{SourceID: pages[i].ID, TargetID: pages[t].ID, Links: n})
		}
	}
	slices.SortFunc(g.Edges, func(a, b Edge) int {
		if c := cmp.Compare(a.SourceID, b.SourceID); c != 0 {
			return c
		}
		return cmp.Compare(a.TargetID, b.TargetID)
	})
	slices.SortFunc(g.Broken, func(a, b BrokenLink) int {
		if c := cmp.Compare(a.SourceID, b.SourceID); c != 0 {
			return c
		}
		return cmp.Compare(a.Href, b.Href)
	})
	return g
}

// resolveInternal resolves href against the page URL and reports whether
// it points into the site.
func resolveInternal(pageURL, href string, hosts map[string]bool) (string, bool) {
	href = strings.TrimSpace(href)
	if href == "" || strings.HasPrefix(href, "#") {
		return "", false
	}
	h, err := url.Parse(href)
	if err != nil {
		return "", false
	}
	if h.Scheme != "" && h.Scheme != "http" && h.Scheme != "https" {
		return "", false
	}
	if h.Host != "" {
		if !hosts[strings.ToLower(h.Host)] {
			return "", false
		}
		return h.Path, true
	}
	base, err := url.Parse(pageURL)
	if err != nil {
		return h.Path, strings.HasPrefix(h.Path, "/")
	}
	return base.ResolveReference(h).Path, true
}
