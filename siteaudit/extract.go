package siteaudit

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// ExtractOptions configures Extract. The zero value is useful.
type ExtractOptions struct {
	// Hosts are the site's hosts: links to them are internal. Empty means
	// the page's own host.
	Hosts SiteHosts
	// Slash is the trailing slash policy for link URLs.
	Slash SlashPolicy
	// MaxLinkDensity is the share of a block's words inside links above
	// which the block counts as navigation and leaves the main text
	// (default 0.5); MinBlockWords the words a block needs before the rule
	// applies (default 3).
	MaxLinkDensity float64
	MinBlockWords  int
}

// Extract reads one HTML document fetched from pageURL: title, meta
// description, canonical, robots noindex, headings, the main content's
// text and markup (without nav, header, footer, aside, scripts, forms and
// link-dense blocks), links with their anchors and rel=nofollow, images
// with alt, word count and content hash. It never fails: what cannot be
// read is left empty.
func Extract(pageURL string, body []byte, opts ExtractOptions) Page {
	if opts.MaxLinkDensity == 0 {
		opts.MaxLinkDensity = 0.5
	}
	if opts.MinBlockWords == 0 {
		opts.MinBlockWords = 3
	}
	p := Page{URL: pageURL, FinalURL: pageURL}
	base, err := url.Parse(pageURL)
	if err != nil {
		base = &url.URL{}
	}
	hosts := opts.Hosts
	if len(hosts) == 0 {
		hosts = NewSiteHosts(base.Hostname())
	}
	doc, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		return p
	}
	x := &extractor{opts: opts, hosts: hosts, base: base, page: &p}
	x.head(doc)
	main := pickMain(doc)
	x.links(doc)
	if main != nil {
		x.prune(main)
		x.markMain(main)
	}
	if main != nil {
		var text strings.Builder
		x.walkMain(main, &text)
		p.Text = collapse(text.String())
		p.Words = len(strings.Fields(p.Text))
		var buf bytes.Buffer
		for c := main.FirstChild; c != nil; c = c.NextSibling {
			_ = html.Render(&buf, c)
		}
		p.HTML = strings.TrimSpace(buf.String())
	}
	p.Hash = ContentHash(p)
	return p
}

// ContentHash is the hash Extract stores in Page.Hash.
func ContentHash(p Page) string {
	h := sha256.New()
	for _, s := range []string{p.Title, p.MetaDescription, p.Canonical, p.HTML} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

type extractor struct {
	opts  ExtractOptions
	hosts SiteHosts
	base  *url.URL
	page  *Page
	// linkAt maps each <a> node read by links to its entry in page.Links.
	linkAt map[*html.Node]int
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Namespace == "" && strings.EqualFold(a.Key, key) {
			return a.Val, true
		}
	}
	return "", false
}

func hasToken(list, tok string) bool {
	for _, f := range strings.Fields(strings.ToLower(list)) {
		if f == tok {
			return true
		}
	}
	return false
}

// head reads title, meta description, robots and canonical, and a <base
// href> that changes how links resolve.
func (x *extractor) head(doc *html.Node) {
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Title:
				if x.page.Title == "" {
					x.page.Title = collapse(textOf(n))
				}
				return
			case atom.Svg, atom.Math:
				return
			case atom.Base:
				if href, ok := attr(n, "href"); ok {
					if u, err := x.base.Parse(strings.TrimSpace(href)); err == nil {
						x.base = u
					}
				}
			case atom.Meta:
				name, _ := attr(n, "name")
				content, _ := attr(n, "content")
				switch strings.ToLower(strings.TrimSpace(name)) {
				case "description":
					if x.page.MetaDescription == "" {
						x.page.MetaDescription = collapse(content)
					}
				case "robots":
					if strings.Contains(strings.ToLower(content), "noindex") {
						x.page.Noindex = true
					}
				}
			case atom.Link:
				rel, _ := attr(n, "rel")
				href, _ := attr(n, "href")
				if hasToken(rel, "canonical") && x.page.Canonical == "" {
					if c, ok := Resolve(x.base, href, x.opts.Slash); ok {
						x.page.Canonical = c
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
}

// boilerplate elements never belong to the main text.
func boilerplate(a atom.Atom) bool {
	switch a {
	case atom.Nav, atom.Header, atom.Footer, atom.Aside, atom.Script, atom.Style, atom.Noscript,
		atom.Form, atom.Iframe, atom.Svg, atom.Template, atom.Object, atom.Embed, atom.Button,
		atom.Select, atom.Dialog, atom.Canvas, atom.Head, atom.Title, atom.Meta, atom.Link:
		return true
	}
	return false
}

// pickMain returns the node that holds the main content: the first
// <main>, else the only <article>, else <body>.
func pickMain(doc *html.Node) *html.Node {
	var mains, articles []*html.Node
	var body *html.Node
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Main:
				mains = append(mains, n)
			case atom.Article:
				articles = append(articles, n)
			case atom.Body:
				body = n
			case atom.Template, atom.Svg, atom.Math:
				return
			}
			if v, ok := attr(n, "role"); ok && strings.EqualFold(v, "main") && n.DataAtom != atom.Main {
				mains = append(mains, n)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	switch {
	case len(mains) > 0:
		return mains[0]
	case len(articles) == 1:
		return articles[0]
	}
	return body
}

// prune takes boilerplate out of the main node, and blocks whose words
// are mostly link text (menus, tag clouds, "related" lists). It runs after
// links read the whole document.
func (x *extractor) prune(main *html.Node) {
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; {
			next := c.NextSibling
			switch c.Type {
			case html.ElementNode:
				if boilerplate(c.DataAtom) || x.linkDense(c) {
					n.RemoveChild(c)
				} else {
					walk(c)
				}
			case html.CommentNode:
				n.RemoveChild(c)
			}
			c = next
		}
	}
	walk(main)
}

// linkDense applies the text-density rule to block containers.
func (x *extractor) linkDense(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Div, atom.Section, atom.Ul, atom.Ol, atom.Table, atom.Dl, atom.Menu:
	default:
		return false
	}
	total, linked := wordsIn(n, false)
	return total >= x.opts.MinBlockWords && float64(linked) > x.opts.MaxLinkDensity*float64(total)
}

func wordsIn(n *html.Node, inLink bool) (total, linked int) {
	if n.Type == html.TextNode {
		w := len(strings.Fields(n.Data))
		if inLink {
			return w, w
		}
		return w, 0
	}
	if n.Type == html.ElementNode && (n.DataAtom == atom.Script || n.DataAtom == atom.Style) {
		return 0, 0
	}
	in := inLink || n.Type == html.ElementNode && n.DataAtom == atom.A
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		t, l := wordsIn(c, in)
		total += t
		linked += l
	}
	return total, linked
}

// links reads every <a href> of the document, navigation included: the
// crawl follows them and the link graph counts them.
func (x *extractor) links(doc *html.Node) {
	seen := map[string]int{}
	x.linkAt = map[*html.Node]int{}
	type resolved struct {
		u  string
		ok bool
	}
	cache := map[string]resolved{}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Template, atom.Svg, atom.Math, atom.Script, atom.Style, atom.Head:
				return
			case atom.A:
				href, ok := attr(n, "href")
				if !ok {
					break
				}
				r, hit := cache[href]
				if !hit {
					r.u, r.ok = Resolve(x.base, href, x.opts.Slash)
					cache[href] = r
				}
				if !r.ok {
					break
				}
				u := r.u
				rel, _ := attr(n, "rel")
				l := Link{
					URL:      u,
					Anchor:   collapse(textOf(n)),
					Internal: x.hosts.Contains(u),
					Nofollow: hasToken(rel, "nofollow") || hasToken(rel, "ugc") || hasToken(rel, "sponsored"),
				}
				if l.Anchor == "" {
					l.Anchor = imageAlt(n)
				}
				if i, dup := seen[u]; dup {
					// One entry per target, followed if any link is.
					x.linkAt[n] = i
					old := &x.page.Links[i]
					old.Nofollow = old.Nofollow && l.Nofollow
					if old.Anchor == "" {
						old.Anchor = l.Anchor
					}
				} else {
					seen[u] = len(x.page.Links)
					x.linkAt[n] = len(x.page.Links)
					x.page.Links = append(x.page.Links, l)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
}

// markMain sets InMain on the links that are left in the pruned main
// content.
func (x *extractor) markMain(main *html.Node) {
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if i, ok := x.linkAt[n]; ok {
			x.page.Links[i].InMain = true
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(main)
}

func imageAlt(n *html.Node) string {
	var out string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if out != "" {
			return
		}
		if n.Type == html.ElementNode && n.DataAtom == atom.Img {
			out, _ = attr(n, "alt")
			out = collapse(out)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

// walkMain collects the main text, headings and images.
func (x *extractor) walkMain(n *html.Node, text *strings.Builder) {
	switch n.Type {
	case html.TextNode:
		text.WriteString(n.Data)
		return
	case html.ElementNode:
		switch n.DataAtom {
		case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
			if t := collapse(textOf(n)); t != "" {
				x.page.Headings = append(x.page.Headings, Heading{Level: int(n.Data[1] - '0'), Text: t})
			}
		case atom.Img:
			src, _ := attr(n, "src")
			if u, ok := Resolve(x.base, src, SlashKeep); ok {
				alt, _ := attr(n, "alt")
				x.page.Images = append(x.page.Images, Image{URL: u, Alt: collapse(alt)})
			}
		case atom.Br:
			text.WriteByte('\n')
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		x.walkMain(c, text)
	}
	if n.Type == html.ElementNode && blockLevel(n.DataAtom) {
		text.WriteByte('\n')
	}
}

func blockLevel(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Div, atom.Section, atom.Article, atom.Main, atom.Li, atom.Ul, atom.Ol, atom.Table,
		atom.Tr, atom.Td, atom.Th, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Blockquote,
		atom.Pre, atom.Figure, atom.Figcaption, atom.Dd, atom.Dt, atom.Dl, atom.Hr:
		return true
	}
	return false
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
			b.WriteByte(' ')
			return
		}
		if n.Type == html.ElementNode && (n.DataAtom == atom.Script || n.DataAtom == atom.Style) {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

// collapse trims s and folds runs of white space, keeping line breaks
// between blocks as single newlines.
func collapse(s string) string {
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for _, l := range lines {
		if f := strings.Fields(l); len(f) > 0 {
			out = append(out, strings.Join(f, " "))
		}
	}
	return strings.Join(out, "\n")
}
