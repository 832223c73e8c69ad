package linking

import (
	"bytes"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// context of a word in the document: where a link may go, or why not.
type wordCtx uint8

const (
	ctxOK      wordCtx = iota
	ctxHeading         // inside h1..h6
	ctxLink            // inside an existing <a>
	ctxCode            // inside code, pre, kbd, samp
	ctxButton          // inside button
	ctxUnsafe          // markup where a wrapping <a> could change the tree
)

// rule returns the rule that refuses a link at a word in context c.
func (c wordCtx) rule() RuleID {
	switch c {
	case ctxHeading:
		return RuleInHeading
	case ctxLink:
		return RuleInLink
	case ctxCode:
		return RuleInCode
	case ctxButton:
		return RuleInButton
	case ctxUnsafe:
		return RuleUnsafeMarkup
	}
	return ""
}

// word is one word of the document's text: its byte span in the source,
// its sentence and its context.
type word struct {
	start, end int32
	sent       int32
	ctx        wordCtx
	// glue reports that only spaces or hyphens separate this word from
	// the previous one in the same text token, so a phrase may span both.
	glue bool
}

// attrText is a piece of text held in an attribute (image alt, title),
// where a link can never go; it is scanned only to report skips.
type attrText struct {
	offset int32 // offset of the tag in the source
	text   string
}

// doc is the analysis of one HTML document.
type doc struct {
	src   []byte
	words []word
	// linkSents lists the sentences that hold an existing link, ascending.
	linkSents []int32
	// hrefs are the targets of the existing links.
	hrefs []string
	attrs []attrText
	// marked are the links the linker inserted (MarkerAttr), found with the
	// same tokenization as the words, so that removal sees them exactly
	// where insertion put them.
	marked []markedSpan
	// textWords counts the words of visible text (every context but
	// ctxUnsafe), the length the links-per-page cap scales with.
	textWords int
}

func (d *doc) sentenceHasLink(s int32) bool {
	lo, hi := 0, len(d.linkSents)
	for lo < hi {
		m := (lo + hi) / 2
		if d.linkSents[m] < s {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo < len(d.linkSents) && d.linkSents[lo] == s
}

// analyze tokenizes src with the HTML tokenizer and returns its words with
// their byte offsets, sentences and contexts. It tracks the open elements
// the way the HTML parser would for the cases that matter, and where it
// cannot be sure that wrapping text in <a> keeps the parsed tree (foreign
// content break-outs, misnested links, tables outside cells, select,
// template...), it marks the text unsafe rather than guess.
func analyze(src []byte) *doc {
	d := &doc{src: src, words: make([]word, 0, len(src)/7)}
	z := html.NewTokenizer(bytes.NewReader(src))
	var (
		stack    []string
		offset   int
		sent     int32
		aOpen    int // <a> start tags not closed by </a> (the parser keeps them active)
		aSent    = int32(-1)
		aStack   []int // per open <a>: its index in d.marked, or -1
		foreign  int   // depth of svg/math elements
		poisoned bool
	)
	for {
		if !poisoned {
			z.AllowCDATA(foreign > 0)
		}
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		start := offset
		offset += len(z.Raw())
		switch tt {
		case html.TextToken:
			c := ctxOK
			if poisoned {
				c = ctxUnsafe
			} else {
				c = textContext(stack, aOpen > 0, foreign > 0)
			}
			sent = d.scanText(start, offset, c, sent)
			if aOpen > 0 && aSent != sent {
				d.linkSents = appendSent(d.linkSents, sent)
				aSent = sent
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			tag := tagName(name)
			// The parser ignores the self-closing flag of HTML elements
			// (only void ones have no content); foreign ones honour it.
			opens := tt == html.StartTagToken || foreign == 0 && tag != "svg" && tag != "math"
			var href string
			marker := -1
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				switch string(k) {
				case "href":
					if tag == "a" {
						href = string(v)
					}
				case MarkerAttr:
					if tag == "a" && foreign == 0 && opens {
						d.marked = append(d.marked, markedSpan{id: string(v), openStart: start, openEnd: offset, closeStart: -1})
						marker = len(d.marked) - 1
					}
				case "alt", "title":
					if len(v) > 0 {
						d.attrs = append(d.attrs, attrText{offset: int32(start), text: string(v)})
					}
				}
			}
			if foreign > 0 && !poisoned {
				if breaksOutOfForeign(tag) || integrationPoint(tag) {
					poisoned = true
				} else {
					z.NextIsNotRawText()
				}
			}
			if blockTag(tag) {
				sent++
			}
			switch tag {
			case "a":
				if foreign == 0 {
					if opens {
						aStack = append(aStack, marker)
					}
					aOpen++
					d.linkSents = appendSent(d.linkSents, sent)
					aSent = sent
					d.hrefs = append(d.hrefs, href)
				}
			case "svg", "math":
				if tt == html.StartTagToken {
					foreign++
				}
			case "frameset", "plaintext", "frame", "isindex":
				poisoned = true
			}
			if opens {
				ok := true
				if foreign == 0 {
					stack, ok = tableStart(stack, tag)
				}
				if ok && !voidTag(tag) {
					stack = append(stack, tag)
				}
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			tag := tagName(name)
			if blockTag(tag) {
				sent++
			}
			if foreign > 0 && (tag == "p" || tag == "br") {
				poisoned = true
			}
			if tag == "a" && foreign == 0 && aOpen > 0 {
				aOpen--
			}
			if tag == "a" && foreign == 0 && len(aStack) > 0 {
				if m := aStack[len(aStack)-1]; m >= 0 {
					d.marked[m].closeStart, d.marked[m].closeEnd = start, offset
				}
				aStack = aStack[:len(aStack)-1]
			}
			if tableTag(tag) && !slices.Contains(stack, tag) {
				// The parser may hold implied table elements this
				// tracker does not; it cannot tell what this closes.
				poisoned = true
			}
			for i := len(stack) - 1; i >= 0; i-- {
				if stack[i] == tag {
					if formattingTag(tag) && i != len(stack)-1 {
						// A misnested formatting element: the parser's
						// adoption agency reshapes the tree from here.
						poisoned = true
					}
					if (tag == "svg" || tag == "math") && foreign > 0 {
						foreign--
					}
					stack = stack[:i]
					break
				}
				if blocksEndTag(stack[i], tag) {
					// Not in scope: the parser ignores the end tag.
					break
				}
			}
		}
	}
	return d
}

func appendSent(s []int32, v int32) []int32 {
	if n := len(s); n > 0 && s[n-1] == v {
		return s
	}
	return append(s, v)
}

// textContext classifies text given the open elements.
func textContext(stack []string, inLink, inForeign bool) wordCtx {
	if inForeign {
		return ctxUnsafe
	}
	c := ctxOK
	tableSafe := true
	seenTable := false
	for i := len(stack) - 1; i >= 0; i-- {
		switch stack[i] {
		case "script", "style", "textarea", "title", "noscript", "iframe", "noembed", "noframes",
			"xmp", "plaintext", "template", "select", "option", "optgroup", "datalist", "object",
			"applet", "marquee", "head", "svg", "math", "frameset", "nobr", "ruby", "rt", "rp":
			return ctxUnsafe
		case "td", "th", "caption":
			seenTable = true
		case "table", "tbody", "thead", "tfoot", "tr", "colgroup", "col":
			if !seenTable {
				tableSafe = false
			}
			seenTable = true
		case "h1", "h2", "h3", "h4", "h5", "h6":
			if c == ctxOK || c == ctxLink {
				c = ctxHeading
			}
		case "code", "pre", "kbd", "samp", "listing":
			if c == ctxOK || c == ctxLink {
				c = ctxCode
			}
		case "button":
			if c == ctxOK || c == ctxLink {
				c = ctxButton
			}
		case "a":
			if c == ctxOK {
				c = ctxLink
			}
		}
	}
	if !tableSafe {
		return ctxUnsafe
	}
	if c == ctxOK && inLink {
		c = ctxLink
	}
	return c
}

// scanText splits src[from:to] into words and sentences.
func (d *doc) scanText(from, to int, c wordCtx, sent int32) int32 {
	src := d.src
	glue := false
	inWord := false
	wstart := 0
	flush := func(end int) {
		d.words = append(d.words, word{start: int32(wstart), end: int32(end), sent: sent, ctx: c, glue: glue})
		if c != ctxUnsafe {
			d.textWords++
		}
		inWord = false
		glue = true
	}
	i := from
	for i < to {
		b := src[i]
		if b < utf8.RuneSelf {
			if isASCIIWord(b) {
				if !inWord {
					inWord = true
					wstart = i
				}
				i++
				continue
			}
			if inWord {
				flush(i)
			}
			switch b {
			case ' ', '\t', '\n', '-':
				// keeps glue
			case '.', '!', '?':
				if i+1 >= to || isSpace(src[i+1]) {
					sent++
				}
				glue = false
			case '&':
				// Skip a character reference whole, so a link never splits
				// one; it separates words.
				i++
				for i < to && (isASCIIWord(src[i]) || src[i] == '#') {
					i++
				}
				if i < to && src[i] == ';' {
					i++
				}
				glue = false
				continue
			default:
				glue = false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(src[i:to])
		if r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)) {
			if !inWord {
				inWord = true
				wstart = i
			}
		} else {
			if inWord {
				flush(i)
			}
			glue = false
			if r == '。' || r == '！' || r == '？' {
				sent++
			}
		}
		i += size
	}
	if inWord {
		flush(to)
	}
	return sent
}

func isASCIIWord(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
}

func isSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f' }

// normalizeWord appends the normalized (lower-cased) form of w to buf.
func normalizeWord(buf, w []byte) []byte {
	for _, b := range w {
		if b >= utf8.RuneSelf {
			return append(buf, strings.ToLower(string(w))...)
		}
	}
	for _, b := range w {
		if b >= 'A' && b <= 'Z' {
			b += 'a' - 'A'
		}
		buf = append(buf, b)
	}
	return buf
}

// normPhrase appends the normalized words first..last, joined by spaces,
// the form normalizePhrase gives the same text.
func (d *doc) normPhrase(buf []byte, first, last int) []byte {
	for i := first; i <= last; i++ {
		if i > first {
			buf = append(buf, ' ')
		}
		w := d.words[i]
		buf = normalizeWord(buf, d.src[w.start:w.end])
	}
	return buf
}

// wordHash returns the 64-bit FNV-1a hash of the normalized form of w. The
// index interns terms by this hash: no term strings are kept, and a lookup
// is a map access on an integer. Two distinct terms colliding is a
// 2^-64 event per pair.
func wordHash(w []byte) uint64 {
	const (
		offset = 14695981039346656037
		prime  = 1099511628211
	)
	h := uint64(offset)
	for _, b := range w {
		if b >= utf8.RuneSelf {
			return hashString(strings.ToLower(string(w)))
		}
		if b >= 'A' && b <= 'Z' {
			b += 'a' - 'A'
		}
		h ^= uint64(b)
		h *= prime
	}
	return h
}

func hashString(s string) uint64 {
	const (
		offset = 14695981039346656037
		prime  = 1099511628211
	)
	h := uint64(offset)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= prime
	}
	return h
}

// tokenize splits plain text (a keyword, an anchor, an attribute) into
// normalized words, the same way document text is split.
func tokenize(s string) []string {
	d := &doc{src: []byte(s)}
	d.scanText(0, len(s), ctxOK, 0)
	out := make([]string, len(d.words))
	for i, w := range d.words {
		out[i] = string(normalizeWord(nil, d.src[w.start:w.end]))
	}
	return out
}

// blocksEndTag reports whether an open element ends the scope in which an
// end tag looks for its element.
func blocksEndTag(open, tag string) bool {
	switch open {
	case "html", "template", "applet", "object", "marquee", "table", "svg", "math":
		return true
	case "td", "th", "caption", "tr", "tbody", "thead", "tfoot":
		return !tableTag(tag)
	}
	return false
}

func tableTag(t string) bool {
	switch t {
	case "table", "tbody", "thead", "tfoot", "tr", "td", "th", "caption", "colgroup":
		return true
	}
	return false
}

// tableStart applies to the open elements what the parser does before
// a table start tag: it closes open cells, rows and sections, implies a
// tbody and a row, closes a table that a new table starts in, and ignores
// table parts outside any table. It reports whether the tag opens.
func tableStart(stack []string, tag string) ([]string, bool) {
	switch tag {
	case "table", "tr", "td", "th", "tbody", "thead", "tfoot", "caption", "colgroup", "col":
	default:
		return stack, true
	}
	t := -1
	for i := len(stack) - 1; i >= 0; i-- {
		if stack[i] == "table" {
			t = i
			break
		}
		if stack[i] == "template" || stack[i] == "html" {
			break
		}
	}
	if tag == "table" {
		// Inside a table but not in a cell or caption, a new table
		// closes the current one.
		for i := len(stack) - 1; i > t && t >= 0; i-- {
			switch stack[i] {
			case "td", "th", "caption":
				return stack, true
			}
		}
		if t >= 0 {
			return stack[:t], true
		}
		return stack, true
	}
	if t < 0 {
		return stack, false
	}
	switch tag {
	case "tbody", "thead", "tfoot", "caption", "colgroup":
		return stack[:t+1], true
	case "col":
		// A col outside a column group implies one.
		if stack[len(stack)-1] == "colgroup" {
			return stack, true
		}
		return append(stack[:t+1], "colgroup"), true
	case "tr":
		for i := len(stack) - 1; i > t; i-- {
			switch stack[i] {
			case "tbody", "thead", "tfoot":
				return stack[:i+1], true
			}
		}
		return append(stack[:t+1], "tbody"), true
	default: // td, th
		for i := len(stack) - 1; i > t; i-- {
			switch stack[i] {
			case "tr":
				return stack[:i+1], true
			case "tbody", "thead", "tfoot":
				return append(stack[:i+1], "tr"), true
			}
		}
		return append(stack[:t+1], "tbody", "tr"), true
	}
}

func voidTag(t string) bool {
	switch t {
	case "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta",
		"param", "source", "track", "wbr", "image":
		return true
	}
	return false
}

// blockTag reports tags that end a sentence: a link never spans them and
// two links on either side are in different sentences.
func blockTag(t string) bool {
	switch t {
	case "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
		"table", "tr", "td", "th", "thead", "tbody", "tfoot", "caption", "blockquote", "pre",
		"section", "article", "aside", "header", "footer", "nav", "main", "figure", "figcaption",
		"br", "hr", "body", "html", "form", "fieldset", "details", "summary", "address":
		return true
	}
	return false
}

func formattingTag(t string) bool {
	switch t {
	case "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u":
		return true
	}
	return false
}

// breaksOutOfForeign lists the start tags that make the parser leave svg or
// math content.
func breaksOutOfForeign(t string) bool {
	switch t {
	case "b", "big", "blockquote", "body", "br", "center", "code", "dd", "div", "dl", "dt", "em",
		"embed", "h1", "h2", "h3", "h4", "h5", "h6", "head", "hr", "i", "img", "li", "listing",
		"menu", "meta", "nobr", "ol", "p", "pre", "ruby", "s", "small", "span", "strong", "strike",
		"sub", "sup", "table", "tt", "u", "ul", "var", "font":
		return true
	}
	return false
}

// integrationPoint lists foreign elements inside which the parser goes back
// to HTML rules.
func integrationPoint(t string) bool {
	switch t {
	case "foreignobject", "desc", "title", "mi", "mo", "mn", "ms", "mtext", "annotation-xml":
		return true
	}
	return false
}

// tagName returns the tag name as a string without allocating for the
// elements HTML knows (the compiler turns the switch into comparisons on
// the bytes); unknown names are copied.
func tagName(b []byte) string {
	switch string(b) {
	case "a":
		return "a"
	case "abbr":
		return "abbr"
	case "address":
		return "address"
	case "area":
		return "area"
	case "article":
		return "article"
	case "aside":
		return "aside"
	case "audio":
		return "audio"
	case "b":
		return "b"
	case "base":
		return "base"
	case "bdi":
		return "bdi"
	case "bdo":
		return "bdo"
	case "big":
		return "big"
	case "blockquote":
		return "blockquote"
	case "body":
		return "body"
	case "br":
		return "br"
	case "button":
		return "button"
	case "canvas":
		return "canvas"
	case "caption":
		return "caption"
	case "center":
		return "center"
	case "cite":
		return "cite"
	case "code":
		return "code"
	case "col":
		return "col"
	case "colgroup":
		return "colgroup"
	case "data":
		return "data"
	case "datalist":
		return "datalist"
	case "dd":
		return "dd"
	case "del":
		return "del"
	case "details":
		return "details"
	case "dfn":
		return "dfn"
	case "dialog":
		return "dialog"
	case "div":
		return "div"
	case "dl":
		return "dl"
	case "dt":
		return "dt"
	case "em":
		return "em"
	case "embed":
		return "embed"
	case "fieldset":
		return "fieldset"
	case "figcaption":
		return "figcaption"
	case "figure":
		return "figure"
	case "font":
		return "font"
	case "footer":
		return "footer"
	case "form":
		return "form"
	case "frame":
		return "frame"
	case "frameset":
		return "frameset"
	case "h1":
		return "h1"
	case "h2":
		return "h2"
	case "h3":
		return "h3"
	case "h4":
		return "h4"
	case "h5":
		return "h5"
	case "h6":
		return "h6"
	case "head":
		return "head"
	case "header":
		return "header"
	case "hr":
		return "hr"
	case "html":
		return "html"
	case "i":
		return "i"
	case "iframe":
		return "iframe"
	case "img":
		return "img"
	case "image":
		return "image"
	case "input":
		return "input"
	case "ins":
		return "ins"
	case "isindex":
		return "isindex"
	case "kbd":
		return "kbd"
	case "label":
		return "label"
	case "legend":
		return "legend"
	case "li":
		return "li"
	case "link":
		return "link"
	case "listing":
		return "listing"
	case "main":
		return "main"
	case "map":
		return "map"
	case "mark":
		return "mark"
	case "marquee":
		return "marquee"
	case "math":
		return "math"
	case "menu":
		return "menu"
	case "meta":
		return "meta"
	case "meter":
		return "meter"
	case "nav":
		return "nav"
	case "nobr":
		return "nobr"
	case "noembed":
		return "noembed"
	case "noframes":
		return "noframes"
	case "noscript":
		return "noscript"
	case "object":
		return "object"
	case "ol":
		return "ol"
	case "optgroup":
		return "optgroup"
	case "option":
		return "option"
	case "output":
		return "output"
	case "p":
		return "p"
	case "param":
		return "param"
	case "picture":
		return "picture"
	case "plaintext":
		return "plaintext"
	case "pre":
		return "pre"
	case "progress":
		return "progress"
	case "q":
		return "q"
	case "rp":
		return "rp"
	case "rt":
		return "rt"
	case "ruby":
		return "ruby"
	case "s":
		return "s"
	case "samp":
		return "samp"
	case "script":
		return "script"
	case "section":
		return "section"
	case "select":
		return "select"
	case "small":
		return "small"
	case "source":
		return "source"
	case "span":
		return "span"
	case "strike":
		return "strike"
	case "strong":
		return "strong"
	case "style":
		return "style"
	case "sub":
		return "sub"
	case "summary":
		return "summary"
	case "sup":
		return "sup"
	case "svg":
		return "svg"
	case "table":
		return "table"
	case "tbody":
		return "tbody"
	case "td":
		return "td"
	case "template":
		return "template"
	case "textarea":
		return "textarea"
	case "tfoot":
		return "tfoot"
	case "th":
		return "th"
	case "thead":
		return "thead"
	case "time":
		return "time"
	case "title":
		return "title"
	case "tr":
		return "tr"
	case "track":
		return "track"
	case "tt":
		return "tt"
	case "u":
		return "u"
	case "ul":
		return "ul"
	case "var":
		return "var"
	case "video":
		return "video"
	case "wbr":
		return "wbr"
	case "xmp":
		return "xmp"
	case "applet":
		return "applet"
	case "keygen":
		return "keygen"
	case "foreignobject":
		return "foreignobject"
	case "desc":
		return "desc"
	case "mi":
		return "mi"
	case "mo":
		return "mo"
	case "mn":
		return "mn"
	case "ms":
		return "ms"
	case "mtext":
		return "mtext"
	case "annotation-xml":
		return "annotation-xml"
	}
	return string(b)
}
