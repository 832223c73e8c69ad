package siteaudit

import (
	"cmp"
	"slices"
	"strings"
)

// BrokenLink is an internal link to a page that answered an error.
type BrokenLink struct {
	Source string `json:"source"`
	Target string `json:"target"`
	Anchor string `json:"anchor,omitempty"`
	Status int    `json:"status"`
	Error  string `json:"error,omitempty"`
}

// RedirectChain is a crawled URL that redirects, with its hops and the
// internal links that point at it (each a wasted hop for readers and
// crawlers).
type RedirectChain struct {
	URL      string   `json:"url"`
	FinalURL string   `json:"final_url"`
	Hops     []Hop    `json:"hops"`
	Loop     bool     `json:"loop,omitempty"`
	LinkedBy []string `json:"linked_by,omitempty"`
}

// DeepPage is a page more clicks from the start than the audit allows.
type DeepPage struct {
	URL    string `json:"url"`
	Clicks int    `json:"clicks"`
}

// LinkGraph is the live link graph of an imported site.
type LinkGraph struct {
	// Pages counts the pages that answered 2xx and are not folded into
	// another; Links the internal links between them.
	Pages int `json:"pages"`
	Links int `json:"links"`
	// Inbound counts, per page, the other pages linking to it.
	Inbound map[string]int `json:"inbound"`
	// Orphans are pages no other page links to (found through sitemaps or
	// a previous crawl), the start pages excepted.
	Orphans []string     `json:"orphans"`
	Broken  []BrokenLink `json:"broken"`
	// Redirects are the crawled URLs that redirect; chains of more than
	// one hop and loops are the ones to fix first.
	Redirects []RedirectChain `json:"redirects"`
	// Deep are pages more than the allowed clicks from the start pages;
	// Clicks maps every reachable page to its click depth.
	Deep   []DeepPage     `json:"deep"`
	Clicks map[string]int `json:"clicks"`
}

// BuildLinkGraph computes the link graph of crawled pages. Links resolve
// through redirects to the page they land on; pages folded into another
// (DuplicateOf) count as that page. Roots are the pages crawled at depth
// 0; deep pages are those more than maxClicks clicks from a root.
func BuildLinkGraph(pages []Page, maxClicks int) LinkGraph {
	byURL := make(map[string]*Page, len(pages))
	for i := range pages {
		byURL[pages[i].URL] = &pages[i]
	}
	// canon resolves a URL to the page it lands on, through redirects
	// and canonical folding (bounded, so loops end).
	canon := func(u string) string {
		for range 8 {
			p, ok := byURL[u]
			if !ok {
				return u
			}
			next := u
			switch {
			case p.DuplicateOf != "":
				next = p.DuplicateOf
			case p.FinalURL != "" && p.FinalURL != p.URL:
				next = p.FinalURL
			}
			if next == u {
				return u
			}
			u = next
		}
		return u
	}
	g := LinkGraph{Inbound: map[string]int{}, Clicks: map[string]int{}}
	nodes := map[string]*Page{}
	for i := range pages {
		p := &pages[i]
		if p.OK() && p.DuplicateOf == "" && (p.FinalURL == "" || p.FinalURL == p.URL) {
			nodes[p.URL] = p
			g.Inbound[p.URL] += 0
		}
	}
	// A redirect target fetched only through the redirect is a node too.
	for i := range pages {
		p := &pages[i]
		if p.OK() && p.DuplicateOf == "" && p.FinalURL != p.URL && nodes[p.FinalURL] == nil {
			if _, crawled := byURL[p.FinalURL]; !crawled {
				nodes[p.FinalURL] = p
				g.Inbound[p.FinalURL] += 0
			}
		}
	}
	g.Pages = len(nodes)

	out := map[string][]string{}
	linkedBy := map[string][]string{}
	srcs := make([]string, 0, len(nodes))
	for u := range nodes {
		srcs = append(srcs, u)
	}
	slices.Sort(srcs)
	for _, src := range srcs {
		p := nodes[src]
		seen := map[string]bool{}
		for _, l := range p.Links {
			if !l.Internal {
				continue
			}
			if t, ok := byURL[l.URL]; ok && (t.Error != "" || t.Status >= 400) {
				g.Broken = append(g.Broken, BrokenLink{Source: src, Target: l.URL, Anchor: l.Anchor, Status: t.Status, Error: t.Error})
				continue
			}
			if t, ok := byURL[l.URL]; ok && len(t.Redirects) > 0 {
				linkedBy[l.URL] = append(linkedBy[l.URL], src)
			}
			to := canon(l.URL)
			if to == src || seen[to] || nodes[to] == nil {
				continue
			}
			seen[to] = true
			out[src] = append(out[src], to)
			g.Inbound[to]++
			g.Links++
		}
	}

	// Click depth: breadth-first from the roots.
	var queue []string
	for _, u := range srcs {
		if nodes[u].Depth == 0 {
			g.Clicks[u] = 0
			queue = append(queue, u)
		}
	}
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		for _, v := range out[u] {
			if _, ok := g.Clicks[v]; !ok {
				g.Clicks[v] = g.Clicks[u] + 1
				queue = append(queue, v)
			}
		}
	}
	for _, u := range srcs {
		if g.Inbound[u] == 0 && nodes[u].Depth != 0 {
			g.Orphans = append(g.Orphans, u)
		}
		if c, ok := g.Clicks[u]; ok && c > maxClicks {
			g.Deep = append(g.Deep, DeepPage{URL: u, Clicks: c})
		}
	}
	slices.SortFunc(g.Deep, func(a, b DeepPage) int {
		return cmp.Or(cmp.Compare(b.Clicks, a.Clicks), strings.Compare(a.URL, b.URL))
	})
	for i := range pages {
		p := &pages[i]
		if len(p.Redirects) == 0 {
			continue
		}
		rc := RedirectChain{URL: p.URL, FinalURL: p.FinalURL, Hops: p.Redirects, LinkedBy: linkedBy[p.URL]}
		rc.Loop = strings.Contains(p.Error, "redirect loop")
		g.Redirects = append(g.Redirects, rc)
	}
	slices.SortFunc(g.Redirects, func(a, b RedirectChain) int {
		return cmp.Or(cmp.Compare(len(b.Hops), len(a.Hops)), strings.Compare(a.URL, b.URL))
	})
	return g
}
