package optimization

import (
	"bytes"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// blockKind is what a run of text was inside.
type blockKind uint8

const (
	kindText     blockKind = iota // a paragraph, or text in a div, cell, quote …
	kindListItem                  // an <li>, <dt> or <dd>
	kindHeading                   // <h1> … <h6>
)

// block is a run of text between two block boundaries: a paragraph, a
// heading, a list item. start and end index doc.text.
type block struct {
	kind       blockKind
	level      uint8 // heading level 1–6
	paragraph  bool  // inside a <p>
	start, end int
}

// frame is an open block element on the parse stack.
type frame struct {
	tag   atom.Atom
	kind  blockKind
	level uint8
	para  bool
}

// doc is what one pass over the HTML keeps: the visible text cut into
// blocks, link counts by kind, and image alt texts.
type doc struct {
	text   []byte
	blocks []block
	stack  []frame

	alts     []byte
	altSpans [][2]int
	images   int

	h1                               int
	internalFollow, internalNoFollow int
	outboundFollow, outboundNoFollow int
}

func (d *doc) reset() {
	d.text = d.text[:0]
	d.blocks = d.blocks[:0]
	d.stack = d.stack[:0]
	d.alts = d.alts[:0]
	d.altSpans = d.altSpans[:0]
	d.images, d.h1 = 0, 0
	d.internalFollow, d.internalNoFollow, d.outboundFollow, d.outboundNoFollow = 0, 0, 0, 0
}

// parse reads src once with the HTML tokenizer. Text in script, style and
// other non-content elements is skipped; inline elements join their text
// to the surrounding block; block elements end the block.
func (d *doc) parse(src, siteHost string) {
	d.reset()
	z := html.NewTokenizer(strings.NewReader(src))
	skip := 0
	blockStart := 0
	brs := 0 // consecutive <br>s with only spaces between: two end a paragraph
	flush := func() {
		if hasWordByte(d.text[blockStart:]) {
			b := block{kind: kindText, start: blockStart, end: len(d.text)}
			if n := len(d.stack); n > 0 {
				top := d.stack[n-1]
				b.kind, b.level = top.kind, top.level
				for i := n - 1; i >= 0; i-- {
					if d.stack[i].para {
						b.paragraph = true
						break
					}
				}
			}
			d.blocks = append(d.blocks, b)
		} else {
			d.text = d.text[:blockStart]
		}
		blockStart = len(d.text)
	}
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			flush()
			return
		case html.TextToken:
			if skip == 0 {
				t := z.Text()
				if hasWordByte(t) {
					brs = 0
				}
				d.text = append(d.text, t...)
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			a := tagAtom(z.Raw())
			if skipped(a) {
				if tt == html.StartTagToken {
					skip++
				}
				continue
			}
			if skip > 0 {
				continue
			}
			switch a {
			case atom.Br:
				if brs++; brs == 2 {
					flush() // "<br><br>" separates paragraphs in classic editors
				} else {
					d.text = append(d.text, ' ')
				}
			case atom.Img:
				d.image(z)
			case atom.A:
				d.link(z, siteHost)
			case atom.Hr, atom.Wbr:
				if a == atom.Hr {
					flush()
				}
			default:
				f, ok := blockFrame(a)
				if !ok {
					continue
				}
				flush()
				if f.kind == kindHeading && f.level == 1 {
					d.h1++
				}
				if tt == html.SelfClosingTagToken {
					continue
				}
				// <p> and <li> close an open sibling of their kind, as HTML does.
				if n := len(d.stack); n > 0 && (a == atom.P || a == atom.Li) && d.stack[n-1].tag == a {
					d.stack = d.stack[:n-1]
				}
				if len(d.stack) < maxDepth {
					d.stack = append(d.stack, f)
				}
			}
		case html.EndTagToken:
			a := tagAtom(z.Raw())
			if skipped(a) {
				if skip > 0 {
					skip--
				}
				continue
			}
			if skip > 0 {
				continue
			}
			if _, ok := blockFrame(a); !ok {
				continue
			}
			flush()
			for i := len(d.stack) - 1; i >= 0; i-- {
				if d.stack[i].tag == a {
					d.stack = d.stack[:i]
					break
				}
			}
		}
	}
}

// tagAtom reads the tag name from a tag's raw bytes ("<P class=x>",
// "</li>") without allocating, as z.TagName would; names longer than any
// atom give 0.
func tagAtom(raw []byte) atom.Atom {
	i := 1
	if i < len(raw) && raw[i] == '/' {
		i++
	}
	var buf [16]byte
	n := 0
	for ; i < len(raw); i++ {
		c := raw[i]
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '/' || c == '>' {
			break
		}
		if n == len(buf) {
			return 0
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[n] = c
		n++
	}
	return atom.Lookup(buf[:n])
}

// maxDepth bounds the block stack; deeper nesting is treated as flat.
const maxDepth = 256

func skipped(a atom.Atom) bool {
	switch a {
	case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Svg, atom.Math, atom.Head,
		atom.Title, atom.Iframe, atom.Object, atom.Select, atom.Textarea, atom.Button, atom.Nav,
		atom.Pre: // code listings are not prose

		return true
	}
	return false
}

func blockFrame(a atom.Atom) (frame, bool) {
	switch a {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return frame{tag: a, kind: kindHeading, level: headingLevel(a)}, true
	case atom.Li, atom.Dt, atom.Dd:
		return frame{tag: a, kind: kindListItem}, true
	case atom.P:
		return frame{tag: a, kind: kindText, para: true}, true
	case atom.Div, atom.Section, atom.Article, atom.Main, atom.Header, atom.Footer, atom.Aside,
		atom.Blockquote, atom.Ul, atom.Ol, atom.Dl, atom.Table, atom.Thead, atom.Tbody,
		atom.Tfoot, atom.Tr, atom.Td, atom.Th, atom.Caption, atom.Figure, atom.Figcaption,
		atom.Details, atom.Summary, atom.Address, atom.Form, atom.Fieldset, atom.Legend, atom.Body,
		atom.Html, atom.Center:
		return frame{tag: a, kind: kindText}, true
	}
	return frame{}, false
}

func headingLevel(a atom.Atom) uint8 {
	switch a {
	case atom.H1:
		return 1
	case atom.H2:
		return 2
	case atom.H3:
		return 3
	case atom.H4:
		return 4
	case atom.H5:
		return 5
	}
	return 6
}

// hasWordByte reports whether b holds a letter, a digit or any non-ASCII
// byte (which may be a letter), so that whitespace-only runs are dropped.
func hasWordByte(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			return true
		}
	}
	return false
}

func (d *doc) image(z *html.Tokenizer) {
	d.images++
	start := len(d.alts)
	for more := true; more; {
		var k, v []byte
		k, v, more = z.TagAttr()
		if string(k) == "alt" {
			d.alts = append(d.alts, v...)
		}
	}
	if len(d.alts) > start {
		d.altSpans = append(d.altSpans, [2]int{start, len(d.alts)})
	}
}

// link counts an <a href> as internal (relative, or to siteHost with or
// without "www.") or outbound, followed or not (rel nofollow, ugc or
// sponsored). Fragments, mailto:, tel: and javascript: links are not
// counted.
func (d *doc) link(z *html.Tokenizer, siteHost string) {
	var href []byte
	hasHref, nofollow := false, false
	for more := true; more; {
		var k, v []byte
		k, v, more = z.TagAttr()
		switch string(k) {
		case "href":
			href, hasHref = bytes.TrimSpace(v), true
		case "rel":
			for _, f := range bytes.Fields(v) {
				if bytes.EqualFold(f, []byte("nofollow")) || bytes.EqualFold(f, []byte("ugc")) || bytes.EqualFold(f, []byte("sponsored")) {
					nofollow = true
				}
			}
		}
	}
	if !hasHref || len(href) == 0 || href[0] == '#' {
		return
	}
	internal, ok := classifyHref(href, siteHost)
	if !ok {
		return
	}
	switch {
	case internal && nofollow:
		d.internalNoFollow++
	case internal:
		d.internalFollow++
	case nofollow:
		d.outboundNoFollow++
	default:
		d.outboundFollow++
	}
}

// classifyHref reports whether href points into the site, and false for
// ok when it is no web link at all.
func classifyHref(href []byte, siteHost string) (internal, ok bool) {
	var rest []byte
	switch {
	case len(href) >= 2 && href[0] == '/' && href[1] == '/':
		rest = href[2:]
	default:
		colon := bytes.IndexByte(href, ':')
		slash := bytes.IndexAny(href, "/?#")
		if colon < 0 || (slash >= 0 && slash < colon) {
			return true, true // relative
		}
		scheme := href[:colon]
		if !bytes.EqualFold(scheme, []byte("http")) && !bytes.EqualFold(scheme, []byte("https")) {
			return false, false // mailto:, tel:, javascript:, data: …
		}
		rest = bytes.TrimLeft(href[colon+1:], "/")
	}
	if i := bytes.IndexAny(rest, "/?#"); i >= 0 {
		rest = rest[:i]
	}
	if i := bytes.LastIndexByte(rest, '@'); i >= 0 {
		rest = rest[i+1:]
	}
	if i := bytes.LastIndexByte(rest, ':'); i >= 0 && bytes.IndexByte(rest, ']') < i {
		rest = rest[:i]
	}
	rest = bytes.TrimSuffix(rest, []byte("."))
	if len(rest) == 0 {
		return true, true
	}
	return sameHost(rest, siteHost), true
}

// sameHost compares host names case-insensitively, ignoring a leading
// "www." on either side.
func sameHost(host []byte, site string) bool {
	if site == "" {
		return false
	}
	if len(host) > 4 && bytes.EqualFold(host[:4], []byte("www.")) {
		host = host[4:]
	}
	if len(site) > 4 && strings.EqualFold(site[:4], "www.") {
		site = site[4:]
	}
	if len(host) != len(site) {
		return false
	}
	for i := range host {
		a, b := host[i], site[i]
		if 'A' <= a && a <= 'Z' {
			a += 'a' - 'A'
		}
		if 'A' <= b && b <= 'Z' {
			b += 'a' - 'A'
		}
		if a != b {
			return false
		}
	}
	return true
}
