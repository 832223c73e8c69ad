package api

import (
	"encoding/xml"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/igny8/sdk/linking"
)

func testGraph() LinkGraph {
	node := func(id, title, cluster string, inbound int, pillar, published bool) GraphNode {
		return GraphNode{NodeStats: linking.NodeStats{ID: id, URL: "/" + id + "/", ClusterID: cluster, IsPillar: pillar, Published: published, Inbound: inbound, Cap: 4}, Title: title, SectorID: "s1"}
	}
	return LinkGraph{
		Nodes: []GraphNode{
			node("c", `Tomatoes "quoted" & <b>bold</b>`, "k1", 2, true, true),
			node("a", "<script>alert(1)</script>", "k1", 0, false, true),
			node("b", "Seedlings</text><text>injected", "k2", 1, false, false),
		},
		Edges:   []linking.Edge{{SourceID: "a", TargetID: "c", Links: 1}, {SourceID: "b", TargetID: "c", Links: 2}, {SourceID: "c", TargetID: "b", Links: 1}},
		Orphans: []string{"a"},
		Links:   4,
	}
}

// TestGraphSVGEscapesAndParses checks that titles cannot inject markup:
// the picture is well-formed XML whose texts are the titles verbatim.
func TestGraphSVGEscapesAndParses(t *testing.T) {
	g := testGraph()
	out := graphSVG(g, `link-graph"><script>`, "s1")
	if strings.Contains(out, "<script") || strings.Contains(out, "<b>") || strings.Contains(out, "<text>injected") {
		t.Fatalf("unescaped text in the picture:\n%s", out)
	}
	dec := xml.NewDecoder(strings.NewReader(out))
	var texts []string
	circles, lines := 0, 0
	var inText bool
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed: %v\n%s", err, out)
		}
		switch x := tok.(type) {
		case xml.StartElement:
			switch x.Name.Local {
			case "circle":
				circles++
			case "line":
				lines++
			case "script":
				t.Fatal("a script element")
			case "title", "text":
				inText = true
			}
		case xml.EndElement:
			inText = false
		case xml.CharData:
			if inText {
				texts = append(texts, string(x))
			}
		}
	}
	// Three pages and five legend swatches; three edges.
	if circles != 3+5 || lines != 3 {
		t.Errorf("%d circles and %d lines, want 8 and 3", circles, lines)
	}
	for _, n := range g.Nodes {
		found := slices.ContainsFunc(texts, func(s string) bool { return strings.HasPrefix(s, n.Title) })
		if !found {
			t.Errorf("no tooltip starts with the title %q; texts: %q", n.Title, texts)
		}
	}
}

// TestGraphSVGDeterministic checks that the layout depends on the graph,
// not on the order of its nodes and edges.
func TestGraphSVGDeterministic(t *testing.T) {
	g := testGraph()
	a := graphSVG(g, "g", "")
	slices.Reverse(g.Nodes)
	slices.Reverse(g.Edges)
	if b := graphSVG(g, "g", ""); a != b {
		t.Errorf("the picture changed with the order of the nodes:\n%s\n%s", a, b)
	}
	// Fading the other sectors changes only the opacity.
	faded := graphSVG(g, "g", "other")
	if strings.Count(faded, ` opacity="0.35"`) != 3 || strings.Contains(a, ` opacity="0.35"`) {
		t.Errorf("fading: %d faded nodes", strings.Count(faded, ` opacity="0.35"`))
	}
	if empty := graphSVG(LinkGraph{}, "g", ""); !strings.Contains(empty, "No content yet.") {
		t.Errorf("empty graph: %s", empty)
	}
}
