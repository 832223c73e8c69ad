package linking

import (
	"slices"
	"strings"
	"testing"
)

func TestBuildGraph(t *testing.T) {
	many := "<p>" + strings.Repeat(`x <a href="/b">b</a>. `, 3) + "</p>"
	pages := []Page{
		{ID: "pillar", URL: "https://example.com/pillar", ClusterID: "c1", IsPillar: true, Published: true,
			HTML: `<p><a href="/m1">m1</a> <a href="https://other.org/x">ext</a> <a href="#top">top</a> <a href="mailto:a@b">mail</a></p>`},
		{ID: "m1", URL: "https://example.com/m1", ClusterID: "c1", Published: true,
			HTML: `<p><a href="https://example.com/pillar/">up</a> <a href="draft">draft</a></p>`},
		{ID: "m2", URL: "https://example.com/m2", ClusterID: "c1", Published: true, HTML: many},
		{ID: "draft", URL: "https://example.com/draft", Published: false, HTML: `<p><a href="/gone?x=1">old</a> <a href="/m1">m1</a></p>`},
		{ID: "lonely", URL: "https://example.com/lonely", ClusterID: "c2", Published: true, HTML: `<p>alone</p>`},
	}
	g := BuildGraph(pages, GraphOptions{Rules: Rules{WordsPerLink: -1, MaxLinksPerPage: 2}})
	byID := map[string]NodeStats{}
	for _, n := range g.Nodes {
		byID[n.ID] = n
	}
	tests := []struct {
		name      string
		got, want any
	}{
		{"pillar outbound (external, fragment, mailto ignored)", byID["pillar"].Outbound, 1},
		{"pillar inbound", byID["pillar"].Inbound, 1},
		{"m1 inbound from pillar and draft", byID["m1"].Inbound, 2},
		{"m2 outbound to a missing /b", byID["m2"].Outbound, 3},
		{"orphans", g.Orphans, []string{"m2", "lonely"}},
		{"over cap", g.OverCap, []string{"m2"}},
		{"links", g.Links, 8},
	}
	for _, tc := range tests {
		if !equal(tc.got, tc.want) {
			t.Errorf("%s = %v, want %v", tc.name, tc.got, tc.want)
		}
	}
	reasons := map[string]int{}
	for _, b := range g.Broken {
		reasons[b.Reason]++
	}
	if reasons["gone"] != 4 || reasons["unpublished"] != 1 {
		t.Errorf("broken = %+v", g.Broken)
	}
	if len(g.ClusterGaps) != 2 || g.ClusterGaps[0].ClusterID != "c1" || !slices.Equal(g.ClusterGaps[0].Members, []string{"m2"}) ||
		g.ClusterGaps[1].PillarID != "" {
		t.Errorf("cluster gaps = %+v", g.ClusterGaps)
	}
	if !strings.HasPrefix(g.Summary(), "pages=5 links=8 orphans=2") {
		t.Errorf("summary %q", g.Summary())
	}
}

func equal(a, b any) bool {
	switch a := a.(type) {
	case []string:
		return slices.Equal(a, b.([]string))
	}
	return a == b
}

// TestGraphEdges checks the edges: relative and absolute links to the
// site's hosts count, self links, external links, links to no page and
// links inside svg do not, and the edges add up to the inbound counts.
func TestGraphEdges(t *testing.T) {
	pages := []Page{
		{ID: "a", URL: "/a/", Published: true, HTML: `<p><a href="/b/">b</a> <a href="https://Blog.Example/c">c</a> <a href="../b#x">b again</a> <a href="/a/">self</a></p>`},
		{ID: "b", URL: "/b/", Published: true, HTML: `<p><a href="https://elsewhere.example/c/">out</a> <a href="/gone/">gone</a> <svg><a href="/c/">in svg</a></svg> <a href="c/">rel</a></p>`},
		{ID: "c", URL: "/c/", HTML: `<p>no links</p>`},
	}
	g := BuildGraph(pages, GraphOptions{Hosts: []string{"blog.example"}})
	// "c/" from /b/ resolves to /b/c/, which is no page; c is unpublished
	// and still an edge's target.
	want := []Edge{{SourceID: "a", TargetID: "b", Links: 2}, {SourceID: "a", TargetID: "c", Links: 1}}
	if !slices.Equal(g.Edges, want) {
		t.Fatalf("edges %+v, want %+v", g.Edges, want)
	}
	in := map[string]int{}
	for _, e := range g.Edges {
		in[e.TargetID] += e.Links
	}
	for _, n := range g.Nodes {
		if in[n.ID] != n.Inbound {
			t.Errorf("%s: edges bring %d links, Inbound is %d", n.ID, in[n.ID], n.Inbound)
		}
	}
}
