package siteaudit

import (
	"slices"
	"testing"
)

func page(u string, depth int, links ...string) Page {
	p := Page{URL: "https://s.test" + u, FinalURL: "https://s.test" + u, Status: 200, Depth: depth}
	for _, l := range links {
		p.Links = append(p.Links, Link{URL: "https://s.test" + l, Internal: true, Anchor: "to " + l})
	}
	return p
}

func TestBuildLinkGraph(t *testing.T) {
	const s = "https://s.test"
	old := page("/old", 1)
	old.FinalURL = s + "/new"
	old.Redirects = []Hop{{s + "/old", s + "/older", 301}, {s + "/older", s + "/new", 301}}
	loop := Page{URL: s + "/loop", FinalURL: s + "/loop2", Depth: 1, Error: "redirect loop", Redirects: []Hop{{s + "/loop", s + "/loop2", 302}, {s + "/loop2", s + "/loop", 302}}}
	dup := page("/dup", 2)
	dup.DuplicateOf = s + "/a"
	gone := Page{URL: s + "/gone", FinalURL: s + "/gone", Status: 404, Depth: 1}
	pages := []Page{
		page("/", 0, "/a", "/old", "/gone", "/loop", "/", "/external-not-crawled"),
		page("/a", 1, "/b", "/dup"),
		page("/b", 2, "/c"),
		page("/c", 3, "/d"),
		page("/d", 4, "/e"),
		page("/e", 5, "/a"),
		page("/new", 2),
		page("/lonely", 1), // from a sitemap, nothing links to it
		old, loop, dup, gone,
	}
	g := BuildLinkGraph(pages, 3)
	if g.Pages != 8 {
		t.Errorf("pages = %d, want 8", g.Pages)
	}
	if want := []string{s + "/lonely"}; !slices.Equal(g.Orphans, want) {
		t.Errorf("orphans = %v, want %v", g.Orphans, want)
	}
	var broken []string
	for _, b := range g.Broken {
		broken = append(broken, b.Target)
	}
	if want := []string{s + "/gone", s + "/loop"}; !slices.Equal(broken, want) {
		t.Errorf("broken = %v, want %v", broken, want)
	}
	if want := []DeepPage{{s + "/e", 5}, {s + "/d", 4}}; !slices.Equal(g.Deep, want) {
		t.Errorf("deep = %v, want %v", g.Deep, want)
	}
	if len(g.Redirects) != 2 || g.Redirects[0].URL != s+"/loop" && g.Redirects[0].URL != s+"/old" {
		t.Fatalf("redirects = %+v", g.Redirects)
	}
	for _, r := range g.Redirects {
		switch r.URL {
		case s + "/old":
			if r.Loop || !slices.Equal(r.LinkedBy, []string{s + "/"}) || len(r.Hops) != 2 {
				t.Errorf("old chain = %+v", r)
			}
		case s + "/loop":
			if !r.Loop {
				t.Errorf("loop chain = %+v", r)
			}
		}
	}
	// Links through the redirect and the canonical fold land on their
	// pages: /new and /a have inbound links, /dup is no node.
	if g.Inbound[s+"/new"] != 1 || g.Inbound[s+"/a"] != 2 {
		t.Errorf("inbound = %v", g.Inbound)
	}
	if _, ok := g.Inbound[s+"/dup"]; ok {
		t.Error("a duplicate is a node")
	}
	if g.Clicks[s+"/new"] != 1 || g.Clicks[s+"/"] != 0 {
		t.Errorf("clicks = %v", g.Clicks)
	}
}
