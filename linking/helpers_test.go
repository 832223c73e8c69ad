package linking

import (
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// seqIDs names links l1, l2, ... for stable test output.
type seqIDs struct{ n int }

func (s *seqIDs) NewID() string { s.n++; return "l" + strconv.Itoa(s.n) }

// textOf returns the text content of the parsed document.
func textOf(t *testing.T, src string) string {
	t.Helper()
	root, err := html.Parse(strings.NewReader(src))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	return b.String()
}
