package sanitize

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// Element flags, computed once per policy, that drive the implied end tags
// of the HTML tree builder without map lookups on the hot path.
const (
	fP        uint32 = 1 << iota
	fA               // a
	fLi              // li
	fDD              // dd, dt
	fTR              // tr
	fCell            // td, th
	fSection         // thead, tbody, tfoot, caption
	fTable           // table
	fHeading         // h1–h6
	fList            // ul, ol
	fBoundary        // td, th, caption, table, marquee: nothing closes across them
	fSpecial         // the tree builder's "special" elements, minus address, div, p
	fClosesP         // a start tag that closes an open p
)

// closesP are the elements whose start tag closes an open p, as in the
// HTML tree builder ("close a p element" in button scope).
var closesP = map[string]bool{
	"address": true, "article": true, "aside": true, "blockquote": true, "center": true,
	"details": true, "dir": true, "div": true, "dl": true, "fieldset": true,
	"figcaption": true, "figure": true, "footer": true, "header": true, "hgroup": true,
	"main": true, "menu": true, "nav": true, "ol": true, "p": true, "search": true,
	"section": true, "summary": true, "ul": true, "h1": true, "h2": true, "h3": true,
	"h4": true, "h5": true, "h6": true, "pre": true, "listing": true, "table": true,
	"hr": true, "li": true, "dd": true, "dt": true,
}

// special are the elements that stop the search for an li, dd or dt to
// close (the tree builder's "special" category, minus address, div, p).
var special = map[string]bool{
	"blockquote": true, "caption": true, "dd": true, "dl": true, "dt": true,
	"figcaption": true, "figure": true, "h1": true, "h2": true, "h3": true, "h4": true,
	"h5": true, "h6": true, "li": true, "ol": true, "pre": true, "table": true,
	"tbody": true, "td": true, "tfoot": true, "th": true, "thead": true, "tr": true,
	"ul": true, "article": true, "aside": true, "center": true, "details": true,
	"dir": true, "fieldset": true, "footer": true, "header": true, "hgroup": true,
	"main": true, "menu": true, "nav": true, "section": true, "summary": true,
	"listing": true, "marquee": true, "search": true,
}

// flagsOf returns the flags of an element.
func flagsOf(name string) uint32 {
	var f uint32
	switch name {
	case "p":
		f |= fP
	case "a":
		f |= fA
	case "li":
		f |= fLi
	case "dd", "dt":
		f |= fDD
	case "tr":
		f |= fTR
	case "td", "th":
		f |= fCell | fBoundary
	case "thead", "tbody", "tfoot":
		f |= fSection
	case "caption":
		f |= fSection | fBoundary
	case "table":
		f |= fTable | fBoundary
	case "h1", "h2", "h3", "h4", "h5", "h6":
		f |= fHeading
	case "ul", "ol":
		f |= fList
	case "marquee":
		f |= fBoundary
	}
	if special[name] {
		f |= fSpecial
	}
	if closesP[name] {
		f |= fClosesP
	}
	return f
}

// Sanitize returns s with everything the policy does not allow removed, as
// well-formed HTML: every kept element is closed, in order; text and
// attribute values are escaped. Sanitizing the result again returns it
// unchanged.
func (p *Policy) Sanitize(s string) string {
	out, _ := p.SanitizeStats(s)
	return out
}

// SanitizeStats is Sanitize that also counts what it removed.
func (p *Policy) SanitizeStats(s string) (string, Stats) {
	z := html.NewTokenizer(strings.NewReader(s))
	out, stats := p.run(z, make([]byte, 0, len(s)+len(s)/16))
	return string(out), stats
}

// SanitizeBytes is Sanitize for a byte slice; it returns a new slice.
func (p *Policy) SanitizeBytes(b []byte) []byte {
	z := html.NewTokenizer(bytes.NewReader(b))
	out, _ := p.run(z, make([]byte, 0, len(b)+len(b)/16))
	return out
}

type state struct {
	p     *Policy
	out   []byte
	stack []open
	seen  [][]byte
	stats Stats
}

// Stats counts what a sanitization removed, for logs and metrics (a model
// that starts writing scripts is worth a warning).
type Stats struct {
	// Elements counts the start tags removed: not allowed, inside removed
	// content, or nested too deep. The text of an unknown wrapper is kept
	// even though its tag counts here.
	Elements int `json:"elements"`
	// Attributes counts the attributes removed: not allowed, repeated, or
	// with a value that failed its check.
	Attributes int `json:"attributes"`
	// URLs counts the URL attributes among Attributes that were removed for
	// their scheme or their characters.
	URLs int `json:"urls"`
	// Comments counts the comments, doctypes, CDATA sections and
	// processing instructions removed.
	Comments int `json:"comments"`
}

// Removed reports whether anything was removed.
func (s Stats) Removed() bool {
	return s.Elements > 0 || s.Attributes > 0 || s.Comments > 0
}

// open is an element on the stack of open elements.
type open struct {
	name  string
	flags uint32
}

func (p *Policy) run(z *html.Tokenizer, out []byte) ([]byte, Stats) {
	st := &state{p: p, out: out, stack: make([]open, 0, 32)}
	var (
		skipName  string // the drop-with-content element being skipped
		skipDepth int
		dropRaw   bool // the next text token is a raw-text element's content
		nameBuf   = make([]byte, 0, 16)
	)
	for {
		tt := z.Next()
		raw := dropRaw
		dropRaw = false
		switch tt {
		case html.ErrorToken:
			st.closeTo(0)
			return st.out, st.stats
		case html.CommentToken, html.DoctypeToken:
			st.stats.Comments++
		case html.TextToken:
			if raw || skipDepth > 0 {
				continue
			}
			st.text(z.Text())
		case html.StartTagToken, html.SelfClosingTagToken:
			nameB := tagName(z, nameBuf[:0])
			nameBuf = nameB
			if skipDepth > 0 {
				st.stats.Elements++
				if string(nameB) == skipName && (tt == html.StartTagToken || !selfClosable(skipName)) {
					skipDepth++
				}
				continue
			}
			if rawTextElements[string(nameB)] {
				st.stats.Elements++
				dropRaw = true
				continue
			}
			if dropContentElements[string(nameB)] {
				st.stats.Elements++
				if tt == html.StartTagToken || !selfClosable(string(nameB)) {
					skipName, skipDepth = string(nameB), 1
				}
				continue
			}
			rule, ok := p.elems[string(nameB)]
			if !ok {
				st.stats.Elements++
				continue
			}
			st.start(z, rule.name, rule)
		case html.EndTagToken:
			nameB := tagName(z, nameBuf[:0])
			nameBuf = nameB
			if skipDepth > 0 {
				if string(nameB) == skipName {
					skipDepth--
				}
				continue
			}
			rule, ok := p.elems[string(nameB)]
			if !ok || rule.void {
				continue
			}
			st.end(string(nameB), rule)
		}
		// Comments, doctypes, CDATA and processing instructions are dropped.
	}
}

// tagName returns the lower-cased name of the current tag token, read from
// its raw bytes into buf the way the tokenizer reads it (up to white space,
// '/' or '>'), which saves the copy Tokenizer.TagName makes of every name.
// A name with a NUL byte, which the tokenizer rewrites, is left to TagName.
func tagName(z *html.Tokenizer, buf []byte) []byte {
	if name, ok := rawTagName(z.Raw(), buf); ok {
		return name
	}
	name, _ := z.TagName()
	return name
}

// rawTagName reads the tag name of raw into buf; ok is false for a name
// with a NUL byte.
func rawTagName(raw, buf []byte) (name []byte, ok bool) {
	i := 1
	if len(raw) > 1 && raw[1] == '/' {
		i = 2
	}
	for ; i < len(raw); i++ {
		c := raw[i]
		switch c {
		case ' ', '\n', '\r', '\t', '\f', '/', '>':
			return buf, true
		case 0:
			return nil, false
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf = append(buf, c)
	}
	return buf, true
}

// selfClosable reports whether a self-closing tag of a dropped element
// really closes it in a browser (only in foreign content: svg and math).
func selfClosable(name string) bool { return name == "svg" || name == "math" }

// closeTo writes end tags for the stack down to (and including) index i.
func (st *state) closeTo(i int) {
	for j := len(st.stack) - 1; j >= i; j-- {
		st.out = append(st.out, "</"...)
		st.out = append(st.out, st.stack[j].name...)
		st.out = append(st.out, '>')
	}
	st.stack = st.stack[:i]
}

// find returns the index of the topmost open element with a flag in match,
// searching down from the top and stopping at an element with a flag in
// stop; -1 if none.
func (st *state) find(match, stop uint32) int {
	for i := len(st.stack) - 1; i >= 0; i-- {
		f := st.stack[i].flags
		if f&match != 0 {
			return i
		}
		if f&stop != 0 {
			return -1
		}
	}
	return -1
}

// findName is find for an element by name.
func (st *state) findName(name string, stop uint32) int {
	for i := len(st.stack) - 1; i >= 0; i-- {
		if st.stack[i].name == name {
			return i
		}
		if st.stack[i].flags&stop != 0 {
			return -1
		}
	}
	return -1
}

func (st *state) start(z *html.Tokenizer, name string, rule *elemRule) {
	// Implied end tags, so that the output nests the way a browser would
	// build it and stays stable when sanitized again.
	f := rule.flags
	closeIf := func(i int) {
		if i >= 0 {
			st.closeTo(i)
		}
	}
	switch {
	case f&fLi != 0:
		closeIf(st.find(fLi, fSpecial))
	case f&fDD != 0:
		closeIf(st.find(fDD, fSpecial))
	case f&fTR != 0:
		closeIf(st.find(fTR, fTable|fSection))
	case f&fCell != 0:
		closeIf(st.find(fCell, fTR|fTable|fSection))
	case f&fSection != 0:
		closeIf(st.find(fSection, fTable))
	case f&fA != 0:
		closeIf(st.find(fA, fBoundary))
	}
	if f&fClosesP != 0 {
		closeIf(st.find(fP, fBoundary))
	}
	if f&fHeading != 0 && len(st.stack) > 0 && st.stack[len(st.stack)-1].flags&fHeading != 0 {
		st.closeTo(len(st.stack) - 1)
	}
	if !rule.void && len(st.stack) >= st.p.maxDepth {
		st.stats.Elements++
		return
	}

	st.out = append(st.out, '<')
	st.out = append(st.out, name...)
	st.seen = st.seen[:0]
	for more := true; more; {
		var key, val []byte
		key, val, more = z.TagAttr()
		if key == nil {
			break
		}
		ar, ok := rule.attrs[string(key)]
		if !ok {
			ar, ok = st.p.global[string(key)]
		}
		if !ok || st.seenAttr(key) {
			st.stats.Attributes++
			continue
		}
		// The first occurrence of an attribute wins, as in a browser, even
		// when it is dropped: a later duplicate is not promoted.
		st.seen = append(st.seen, key)
		st.attr(name, string(key), ar, val)
	}
	st.out = append(st.out, '>')
	if !rule.void {
		st.stack = append(st.stack, open{name: name, flags: f})
	}
}

func (st *state) seenAttr(key []byte) bool {
	for _, s := range st.seen {
		if bytes.Equal(s, key) {
			return true
		}
	}
	return false
}

func (st *state) end(name string, rule *elemRule) {
	var i int
	switch f := rule.flags; {
	case f&fHeading != 0:
		i = st.find(fHeading, fBoundary)
	case f&fLi != 0:
		i = st.find(fLi, fBoundary|fList)
	case f&fTable != 0:
		i = st.find(fTable, 0)
	case f&(fTR|fCell|fSection) != 0:
		i = st.findName(name, fTable)
	default:
		i = st.findName(name, fBoundary)
	}
	if i >= 0 {
		st.closeTo(i)
	}
}

// attr writes one attribute if its value passes the rule.
func (st *state) attr(elem, key string, ar attrRule, val []byte) {
	var v string
	switch ar.kind {
	case attrText:
		st.out = append(st.out, ' ')
		st.out = append(st.out, key...)
		st.out = append(st.out, `="`...)
		st.out = appendEscaped(st.out, val, true)
		st.out = append(st.out, '"')
		return
	case attrURL:
		var ok bool
		v, ok = st.p.cleanURL(string(val), elem == "img" && key == "src")
		if !ok {
			st.stats.Attributes++
			st.stats.URLs++
			return
		}
	case attrInt:
		var ok bool
		v, ok = cleanInt(val)
		if !ok {
			st.stats.Attributes++
			return
		}
	case attrTokens:
		v = cleanTokens(val)
		if v == "" {
			st.stats.Attributes++
			return
		}
	case attrID:
		v = strings.TrimSpace(string(val))
		if !validID(v) {
			st.stats.Attributes++
			return
		}
		if st.p.idPrefix != "" && !strings.HasPrefix(v, st.p.idPrefix) {
			v = st.p.idPrefix + v
		}
	case attrEnum:
		v = matchEnum(string(val), ar.enum)
		if v == "" {
			st.stats.Attributes++
			return
		}
	case attrBool:
		v = ""
	}
	st.out = append(st.out, ' ')
	st.out = append(st.out, key...)
	st.out = append(st.out, `="`...)
	st.out = appendEscaped(st.out, []byte(v), true)
	st.out = append(st.out, '"')
}

func (st *state) text(b []byte) { st.out = appendEscaped(st.out, b, false) }

// appendEscaped appends b escaped for text (& < >) or a double-quoted
// attribute value (also "), leaving out control characters other than tab
// and newline and replacing invalid UTF-8 with U+FFFD.
func appendEscaped(out, b []byte, inAttr bool) []byte {
	last := 0
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			var rep string
			switch {
			case c == '&':
				rep = "&amp;"
			case c == '<':
				rep = "&lt;"
			case c == '>':
				rep = "&gt;"
			case c == '"' && inAttr:
				rep = "&#34;"
			case c < 0x20 && c != '\t' && c != '\n', c == 0x7f:
				rep = ""
			default:
				i++
				continue
			}
			out = append(out, b[last:i]...)
			out = append(out, rep...)
			i++
			last = i
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			out = append(out, b[last:i]...)
			out = append(out, "\uFFFD"...)
			i++
			last = i
			continue
		}
		i += size
	}
	return append(out, b[last:]...)
}

func validID(s string) bool {
	if s == "" || len(s) > 128 {
		return false
	}
	if c := s[0]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

func cleanInt(b []byte) (string, bool) {
	s := strings.TrimSpace(string(b))
	digits := strings.TrimPrefix(s, "-")
	if digits == "" || len(digits) > 9 {
		return "", false
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return "", false
		}
	}
	return s, true
}

// cleanTokens keeps the [A-Za-z0-9_-] tokens of a space-separated list, at
// most 32 of them, joined by single spaces.
func cleanTokens(b []byte) string {
	var sb strings.Builder
	n := 0
	for _, tok := range strings.Fields(string(b)) {
		if n == 32 || !validToken(tok) {
			continue
		}
		if n > 0 {
			sb.WriteByte(' ')
		}
		sb.WriteString(tok)
		n++
	}
	return sb.String()
}

func validToken(s string) bool {
	if len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

func matchEnum(v string, enum []string) string {
	v = strings.TrimSpace(v)
	for _, e := range enum {
		if v == e {
			return e
		}
	}
	for _, e := range enum {
		if strings.EqualFold(v, e) {
			return e
		}
	}
	return ""
}

// cleanURL returns the URL a browser would see in the attribute value v
// (entities are already decoded by the tokenizer), with ASCII tab and
// newline removed and leading and trailing spaces and controls trimmed, if
// its scheme is allowed; a URL with no scheme (relative, fragment,
// protocol-relative) is allowed. Anything before the first ':' that comes
// before a '/', '?' or '#' is a scheme, so obfuscations that a browser
// would not read as a scheme are refused too rather than guessed at.
func (p *Policy) cleanURL(v string, imgSrc bool) (string, bool) {
	if strings.ContainsAny(v, "\t\n\r") {
		v = strings.Map(func(r rune) rune {
			if r == '\t' || r == '\n' || r == '\r' {
				return -1
			}
			return r
		}, v)
	}
	v = strings.TrimFunc(v, func(r rune) bool { return r <= 0x20 })
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < 0x20 || c == 0x7f {
			return "", false
		}
	}
	if !utf8.ValidString(v) || strings.ContainsRune(v, utf8.RuneError) {
		return "", false
	}
	scheme := ""
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == ':' {
			scheme = strings.ToLower(v[:i])
			break
		}
		if c == '/' || c == '?' || c == '#' {
			break
		}
	}
	if scheme == "" {
		if strings.HasPrefix(v, ":") {
			return "", false
		}
		if p.idPrefix != "" && strings.HasPrefix(v, "#") && len(v) > 1 && !strings.HasPrefix(v[1:], p.idPrefix) {
			v = "#" + p.idPrefix + v[1:]
		}
		return v, true
	}
	if !validScheme(scheme) {
		return "", false
	}
	if scheme == "data" {
		if imgSrc && p.dataImages && validDataImage(v) {
			return v, true
		}
		return "", false
	}
	if !p.schemes[scheme] {
		return "", false
	}
	return v, true
}

var dataImagePrefixes = []string{
	"data:image/png;base64,", "data:image/jpeg;base64,", "data:image/jpg;base64,",
	"data:image/gif;base64,", "data:image/webp;base64,", "data:image/avif;base64,",
}

func validDataImage(v string) bool {
	for _, pre := range dataImagePrefixes {
		if len(v) > len(pre) && strings.EqualFold(v[:len(pre)], pre) {
			for i := len(pre); i < len(v); i++ {
				c := v[i]
				if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '=') {
					return false
				}
			}
			return true
		}
	}
	return false
}
