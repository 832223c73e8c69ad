package content

import (
	"encoding/json"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Block is one top-level piece of a content body in its JSON form. Type is
// one of heading, paragraph, list, quote, code, image, table, html (any
// other element, kept as HTML) and faq.
type Block struct {
	Type  string `json:"type"`
	Level int    `json:"level,omitempty"`
	// Text is the plain text of a heading or code block.
	Text string `json:"text,omitempty"`
	// HTML is the inner HTML of a paragraph or quote, or the outer HTML of
	// a table or other element.
	HTML    string   `json:"html,omitempty"`
	Ordered bool     `json:"ordered,omitempty"`
	Items   []string `json:"items,omitempty"`
	Src     string   `json:"src,omitempty"`
	Alt     string   `json:"alt,omitempty"`
	FAQ     []FAQ    `json:"faq,omitempty"`
}

// BlocksFromHTML splits a (sanitized) HTML body into JSON blocks and adds a
// faq block when faq is not empty.
func BlocksFromHTML(body string, faq []FAQ) (json.RawMessage, error) {
	ctx := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	nodes, err := html.ParseFragment(strings.NewReader(body), ctx)
	if err != nil {
		return nil, err
	}
	blocks := make([]Block, 0, len(nodes)+1)
	for _, n := range nodes {
		blocks = appendBlocks(blocks, n)
	}
	if len(faq) > 0 {
		blocks = append(blocks, Block{Type: "faq", FAQ: faq})
	}
	return json.Marshal(blocks)
}

func appendBlocks(blocks []Block, n *html.Node) []Block {
	switch n.Type {
	case html.TextNode:
		if t := strings.TrimSpace(n.Data); t != "" {
			blocks = append(blocks, Block{Type: "paragraph", HTML: html.EscapeString(t)})
		}
		return blocks
	case html.ElementNode:
	default:
		return blocks
	}
	switch n.DataAtom {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return append(blocks, Block{Type: "heading", Level: int(n.Data[1] - '0'), Text: nodeText(n)})
	case atom.P:
		return append(blocks, Block{Type: "paragraph", HTML: innerHTML(n)})
	case atom.Ul, atom.Ol:
		b := Block{Type: "list", Ordered: n.DataAtom == atom.Ol}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && c.DataAtom == atom.Li {
				b.Items = append(b.Items, innerHTML(c))
			}
		}
		return append(blocks, b)
	case atom.Blockquote:
		return append(blocks, Block{Type: "quote", HTML: innerHTML(n)})
	case atom.Pre:
		return append(blocks, Block{Type: "code", Text: nodeText(n)})
	case atom.Img:
		return append(blocks, Block{Type: "image", Src: attr(n, "src"), Alt: attr(n, "alt")})
	case atom.Figure:
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && c.DataAtom == atom.Img {
				return append(blocks, Block{Type: "image", Src: attr(c, "src"), Alt: attr(c, "alt")})
			}
		}
	case atom.Table:
		return append(blocks, Block{Type: "table", HTML: outerHTML(n)})
	case atom.Div, atom.Section, atom.Article:
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			blocks = appendBlocks(blocks, c)
		}
		return blocks
	}
	return append(blocks, Block{Type: "html", HTML: outerHTML(n)})
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func nodeText(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.TrimSpace(b.String())
}

func innerHTML(n *html.Node) string {
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		_ = html.Render(&b, c)
	}
	return strings.TrimSpace(b.String())
}

func outerHTML(n *html.Node) string {
	var b strings.Builder
	_ = html.Render(&b, n)
	return b.String()
}
