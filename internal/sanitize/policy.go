package sanitize

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/igny8/sdk/igny8"
)

// attrKind says how an attribute's value is checked.
type attrKind uint8

const (
	// attrText is free text: kept as is (escaped on output).
	attrText attrKind = iota
	// attrURL must pass the scheme allow-list.
	attrURL
	// attrInt is a small decimal integer, optionally negative.
	attrInt
	// attrTokens is a space-separated list of [A-Za-z0-9_-] tokens (class,
	// rel).
	attrTokens
	// attrID is one [A-Za-z][A-Za-z0-9_-]* token, prefixed with IDPrefix.
	attrID
	// attrEnum is one of a fixed set of lower-case values.
	attrEnum
	// attrBool is a boolean attribute: present or not, written empty.
	attrBool
)

type attrRule struct {
	kind attrKind
	enum []string
}

type elemRule struct {
	name  string
	attrs map[string]attrRule
	void  bool
	flags uint32
}

// Options widens the default allow-list. The zero value is the default
// policy. What is never allowed cannot be added (New refuses it with
// InvalidArgument): script, style and the other active or raw-text elements,
// form controls, frames, embedded objects, SVG and MathML, document-level
// elements; event handlers (on*), style, srcdoc, srcset, formaction, action,
// ping, xmlns and xlink attributes; the javascript, vbscript, livescript and
// data schemes.
type Options struct {
	// Elements adds elements (lower-case names) to the allow-list, each
	// with the attributes it may carry beyond the global ones.
	Elements map[string][]string
	// Attributes adds attributes to elements already allowed (by default or
	// by Elements); the key "*" adds them to every element. An attribute
	// named href, src, cite, poster or longdesc is checked as a URL; width,
	// height, colspan, rowspan, span, start and value as an integer; class
	// and rel as a token list; id as an id; anything else is free text.
	Attributes map[string][]string
	// Schemes adds URL schemes (lower-case, without the colon), e.g. "tel".
	Schemes []string
	// AllowDataImages lets img src be a base64 data: URL of a raster image
	// (png, jpeg, gif, webp, avif). Off by default: generated images are
	// stored through igny8.Storage and referenced by URL.
	AllowDataImages bool
	// IDPrefix, when set, is put before every id value and every
	// fragment-only href ("#intro" → "#<prefix>intro"), so that ids in
	// model HTML cannot clobber names of the page it is embedded in. A
	// value that already starts with the prefix is left alone, which keeps
	// sanitizing idempotent.
	IDPrefix string
	// MaxDepth bounds element nesting; allowed elements deeper than it are
	// dropped (their text is kept). 0 means DefaultMaxDepth.
	MaxDepth int
}

// DefaultMaxDepth is the nesting bound when Options.MaxDepth is 0.
const DefaultMaxDepth = 128

// Policy is a compiled allow-list. It is immutable and safe for concurrent
// use; build one with New and keep it.
type Policy struct {
	elems      map[string]*elemRule
	global     map[string]attrRule
	schemes    map[string]bool
	dataImages bool
	idPrefix   string
	maxDepth   int
}

// rawTextElements are the elements whose content the tokenizer reads as one
// raw text token; that token is dropped with the tag.
var rawTextElements = map[string]bool{
	"script": true, "style": true, "iframe": true, "noembed": true, "noframes": true,
	"noscript": true, "plaintext": true, "textarea": true, "title": true, "xmp": true,
}

// dropContentElements are dropped together with everything inside them, up
// to their matching end tag.
var dropContentElements = map[string]bool{
	"svg": true, "math": true, "template": true, "object": true, "applet": true,
	"head": true, "select": true, "datalist": true, "canvas": true, "audio": true,
	"video": true, "frameset": true,
}

// forbiddenElements can never be allowed through Options.
var forbiddenElements = map[string]bool{
	"embed": true, "form": true, "input": true, "button": true, "base": true,
	"meta": true, "link": true, "param": true, "keygen": true, "frame": true,
	"html": true, "body": true, "option": true, "optgroup": true, "portal": true,
	"isindex": true, "image": true, "source": true, "track": true, "slot": true,
	"fencedframe": true, "dialog": true, "output": true, "area": true, "map": true,
}

// voidElements have no end tag.
var voidElements = map[string]bool{
	"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true,
	"img": true, "input": true, "keygen": true, "link": true, "meta": true,
	"param": true, "source": true, "track": true, "wbr": true,
}

// forbiddenAttrs can never be allowed through Options (on* is checked by
// prefix).
var forbiddenAttrs = map[string]bool{
	"style": true, "srcdoc": true, "srcset": true, "formaction": true, "action": true,
	"ping": true, "background": true, "dynsrc": true, "lowsrc": true, "data": true,
	"codebase": true, "classid": true, "archive": true,
	"xmlns": true, "http-equiv": true, "content": true, "is": true, "autofocus": true,
	"popover": true, "popovertarget": true, "contenteditable": true,
}

// forbiddenSchemes can never be allowed through Options.Schemes.
var forbiddenSchemes = map[string]bool{
	"javascript": true, "vbscript": true, "livescript": true, "mocha": true, "data": true,
	"jar": true, "view-source": true, "wyciwyg": true,
}

// defaultPolicy is built once; Policy values are immutable.
var defaultPolicy = sync.OnceValue(func() *Policy {
	p, err := New(Options{})
	if err != nil {
		panic("sanitize: default policy: " + err.Error())
	}
	return p
})

// Default returns the default policy (the one Sanitize uses).
func Default() *Policy { return defaultPolicy() }

// Sanitize cleans s with the default policy.
func Sanitize(s string) string { return defaultPolicy().Sanitize(s) }

func defaultElements() map[string]map[string]attrRule {
	intA := attrRule{kind: attrInt}
	urlA := attrRule{kind: attrURL}
	text := attrRule{kind: attrText}
	none := map[string]attrRule{}
	m := map[string]map[string]attrRule{
		"a": {
			"href": urlA, "rel": {kind: attrTokens}, "data-igny8-link": text,
		},
		"img": {
			"src": urlA, "alt": text, "width": intA, "height": intA,
			"loading": {kind: attrEnum, enum: []string{"lazy", "eager"}},
		},
		"td":         {"colspan": intA, "rowspan": intA},
		"th":         {"colspan": intA, "rowspan": intA, "scope": {kind: attrEnum, enum: []string{"row", "col", "rowgroup", "colgroup"}}},
		"ol":         {"start": intA, "reversed": {kind: attrBool}, "type": {kind: attrEnum, enum: []string{"1", "a", "A", "i", "I"}}},
		"li":         {"value": intA},
		"blockquote": {"cite": urlA},
		"q":          {"cite": urlA},
		"del":        {"cite": urlA, "datetime": text},
		"ins":        {"cite": urlA, "datetime": text},
	}
	for _, name := range []string{
		"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "strong", "em", "b", "i", "u",
		"code", "pre", "br", "hr", "figure", "figcaption", "table", "thead", "tbody",
		"tfoot", "caption", "tr", "span", "div", "sup", "sub", "dl", "dt", "dd", "abbr",
		"cite", "mark", "s", "small",
	} {
		m[name] = none
	}
	return m
}

func defaultGlobal() map[string]attrRule {
	return map[string]attrRule{
		"class": {kind: attrTokens},
		"id":    {kind: attrID},
		"title": {kind: attrText},
		"lang":  {kind: attrText},
		"dir":   {kind: attrEnum, enum: []string{"ltr", "rtl", "auto"}},
	}
}

// kindOfExtraAttr infers how an attribute added through Options is checked.
func kindOfExtraAttr(name string) attrRule {
	switch name {
	case "href", "src", "cite", "poster", "longdesc":
		return attrRule{kind: attrURL}
	case "width", "height", "colspan", "rowspan", "span", "start", "value":
		return attrRule{kind: attrInt}
	case "class", "rel":
		return attrRule{kind: attrTokens}
	case "id":
		return attrRule{kind: attrID}
	}
	return attrRule{kind: attrText}
}

func validName(s string) bool {
	if s == "" || len(s) > 64 || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

func attrForbidden(name string) bool {
	return strings.HasPrefix(name, "on") || forbiddenAttrs[name] ||
		strings.HasPrefix(name, "xmlns") || strings.HasPrefix(name, "xlink")
}

// New compiles a policy: the default allow-list widened by opts. It refuses
// with InvalidArgument (naming the option field) an element, attribute or
// scheme that is never allowed or not a valid name.
func New(opts Options) (*Policy, error) {
	const op = "sanitize.New"
	p := &Policy{
		elems:      map[string]*elemRule{},
		global:     defaultGlobal(),
		schemes:    map[string]bool{"http": true, "https": true, "mailto": true},
		dataImages: opts.AllowDataImages,
		idPrefix:   opts.IDPrefix,
		maxDepth:   opts.MaxDepth,
	}
	if p.maxDepth == 0 {
		p.maxDepth = DefaultMaxDepth
	}
	if p.maxDepth < 0 {
		return nil, igny8.InvalidArgument(op, "max_depth", "must not be negative, got %d", opts.MaxDepth)
	}
	if opts.IDPrefix != "" && !validID(opts.IDPrefix) {
		return nil, igny8.InvalidArgument(op, "id_prefix", "must be a letter then letters, digits, '-' or '_', got %q", opts.IDPrefix)
	}
	for name, attrs := range defaultElements() {
		p.elems[name] = &elemRule{name: name, attrs: attrs, void: voidElements[name], flags: flagsOf(name)}
	}
	for _, name := range sortedKeys(opts.Elements) {
		if !validName(name) {
			return nil, igny8.InvalidArgument(op, "elements", "%q is not a lower-case element name", name)
		}
		if rawTextElements[name] || dropContentElements[name] || forbiddenElements[name] {
			return nil, igny8.InvalidArgument(op, "elements", "%q can never be allowed", name)
		}
		r := p.elems[name]
		if r == nil {
			r = &elemRule{name: name, attrs: map[string]attrRule{}, void: voidElements[name], flags: flagsOf(name)}
			p.elems[name] = r
		} else {
			r = &elemRule{name: r.name, attrs: copyAttrs(r.attrs), void: r.void, flags: r.flags}
			p.elems[name] = r
		}
		for _, a := range opts.Elements[name] {
			if err := checkExtraAttr(op, "elements."+name, a); err != nil {
				return nil, err
			}
			r.attrs[a] = kindOfExtraAttr(a)
		}
	}
	for _, name := range sortedKeys(opts.Attributes) {
		field := "attributes." + name
		for _, a := range opts.Attributes[name] {
			if err := checkExtraAttr(op, field, a); err != nil {
				return nil, err
			}
		}
		if name == "*" {
			for _, a := range opts.Attributes[name] {
				p.global[a] = kindOfExtraAttr(a)
			}
			continue
		}
		r := p.elems[name]
		if r == nil {
			return nil, igny8.InvalidArgument(op, field, "element %q is not allowed; add it through elements", name)
		}
		r = &elemRule{name: r.name, attrs: copyAttrs(r.attrs), void: r.void, flags: r.flags}
		p.elems[name] = r
		for _, a := range opts.Attributes[name] {
			r.attrs[a] = kindOfExtraAttr(a)
		}
	}
	for _, s := range opts.Schemes {
		if !validScheme(s) {
			return nil, igny8.InvalidArgument(op, "schemes", "%q is not a lower-case URL scheme", s)
		}
		if forbiddenSchemes[s] {
			return nil, igny8.InvalidArgument(op, "schemes", "%q can never be allowed", s)
		}
		p.schemes[s] = true
	}
	return p, nil
}

func checkExtraAttr(op, field, a string) error {
	if !validName(a) {
		return igny8.InvalidArgument(op, field, "%q is not a lower-case attribute name", a)
	}
	if attrForbidden(a) {
		return igny8.InvalidArgument(op, field, "attribute %q can never be allowed", a)
	}
	return nil
}

func validScheme(s string) bool {
	if s == "" || len(s) > 32 || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

func copyAttrs(m map[string]attrRule) map[string]attrRule {
	out := make(map[string]attrRule, len(m)+2)
	for k, v := range m {
		out[k] = v
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// AllowedElements returns the names of the elements the policy keeps,
// sorted.
func (p *Policy) AllowedElements() []string {
	return sortedKeys(p.elems)
}

// AllowedAttributes returns the attributes the policy keeps on element
// (its own and the global ones), sorted; nil if the element is not allowed.
func (p *Policy) AllowedAttributes(element string) []string {
	r := p.elems[element]
	if r == nil {
		return nil
	}
	seen := map[string]bool{}
	for a := range r.attrs {
		seen[a] = true
	}
	for a := range p.global {
		seen[a] = true
	}
	return sortedKeys(seen)
}

// String describes the policy briefly, for logs.
func (p *Policy) String() string {
	return fmt.Sprintf("sanitize.Policy{%d elements, schemes %v, data images %t}", len(p.elems), sortedKeys(p.schemes), p.dataImages)
}
