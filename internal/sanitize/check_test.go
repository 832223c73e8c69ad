package sanitize

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// urlAttrs are the attributes the checker reads as URLs, whatever element
// carries them.
var urlAttrs = map[string]bool{
	"href": true, "src": true, "cite": true, "action": true, "formaction": true,
	"background": true, "poster": true, "longdesc": true, "dynsrc": true, "lowsrc": true,
	"data": true, "codebase": true, "xlink:href": true,
}

// dangerousElements must never appear in output, whatever the policy.
var dangerousElements = map[string]bool{
	"script": true, "style": true, "iframe": true, "frame": true, "frameset": true,
	"object": true, "embed": true, "applet": true, "form": true, "input": true,
	"button": true, "svg": true, "math": true, "base": true, "meta": true, "link": true,
	"template": true, "noscript": true, "textarea": true, "select": true, "isindex": true,
}

// checkSafe parses out the way a browser does (the full HTML tree builder,
// not the tokenizer the sanitizer uses) and fails the test if any element,
// attribute or URL that p does not allow, or that can execute, survived.
func checkSafe(t testing.TB, p *Policy, in, out string) {
	t.Helper()
	lower := strings.ToLower(out)
	for _, bad := range []string{"<script", "<iframe", "<svg", "<style", "<math", "<object", "<embed", "<base", "<meta", "<link", "<!--", "<![cdata["} {
		if strings.Contains(lower, bad) {
			t.Fatalf("output contains %q\n in: %q\nout: %q", bad, in, out)
		}
	}
	doc, err := html.Parse(strings.NewReader(out))
	if err != nil {
		t.Fatalf("output does not parse: %v\nout: %q", err, out)
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.CommentNode:
			t.Fatalf("comment survived: %q\n in: %q\nout: %q", n.Data, in, out)
		case html.ElementNode:
			if n.Namespace != "" {
				t.Fatalf("foreign element %s:%s survived\n in: %q\nout: %q", n.Namespace, n.Data, in, out)
			}
			structural := n.Data == "html" || n.Data == "head" || n.Data == "body"
			if dangerousElements[n.Data] && !structural {
				t.Fatalf("dangerous element <%s> survived\n in: %q\nout: %q", n.Data, in, out)
			}
			rule := p.elems[n.Data]
			if rule == nil && !structural {
				t.Fatalf("element <%s> is not allowed but survived\n in: %q\nout: %q", n.Data, in, out)
			}
			for _, a := range n.Attr {
				key := a.Key
				if a.Namespace != "" {
					key = a.Namespace + ":" + a.Key
				}
				if strings.HasPrefix(key, "on") || key == "style" || key == "srcdoc" || key == "srcset" {
					t.Fatalf("attribute %s=%q survived on <%s>\n in: %q\nout: %q", key, a.Val, n.Data, in, out)
				}
				if structural {
					t.Fatalf("attribute %s on parser-made <%s>\n in: %q\nout: %q", key, n.Data, in, out)
				}
				if _, ok := rule.attrs[key]; !ok {
					if _, ok := p.global[key]; !ok {
						t.Fatalf("attribute %s not allowed on <%s> survived\n in: %q\nout: %q", key, n.Data, in, out)
					}
				}
				if urlAttrs[key] && !safeURL(p, a.Val, n.Data == "img" && key == "src") {
					t.Fatalf("unsafe URL %s=%q on <%s>\n in: %q\nout: %q", key, a.Val, n.Data, in, out)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
}

// safeURL is an independent, blunter check than the sanitizer's: remove
// every space and control character anywhere, lower-case, and require an
// allowed scheme or none.
func safeURL(p *Policy, v string, imgSrc bool) bool {
	s := strings.Map(func(r rune) rune {
		if r <= 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, strings.ToLower(v))
	for _, bad := range []string{"javascript:", "vbscript:", "livescript:"} {
		if strings.HasPrefix(s, bad) {
			return false
		}
	}
	if strings.HasPrefix(s, "data:") {
		return imgSrc && p.dataImages && !strings.HasPrefix(s, "data:image/svg") && strings.HasPrefix(s, "data:image/")
	}
	if i := strings.IndexAny(s, ":/?#"); i >= 0 && s[i] == ':' {
		return p.schemes[s[:i]]
	}
	return true
}

// checkBalanced fails the test unless out is well-formed: every start tag
// of a non-void element is closed by its own end tag, in order, with no
// stray end tags, no self-closing syntax, and nothing but elements and
// text.
func checkBalanced(t testing.TB, in, out string) {
	t.Helper()
	z := html.NewTokenizer(strings.NewReader(out))
	var stack []string
	for {
		switch z.Next() {
		case html.ErrorToken:
			if len(stack) != 0 {
				t.Fatalf("unclosed elements %v\n in: %q\nout: %q", stack, in, out)
			}
			return
		case html.StartTagToken:
			name, _ := z.TagName()
			if !voidElements[string(name)] {
				stack = append(stack, string(name))
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			if len(stack) == 0 || stack[len(stack)-1] != string(name) {
				t.Fatalf("end tag </%s> does not close the open %v\n in: %q\nout: %q", name, stack, in, out)
			}
			stack = stack[:len(stack)-1]
		case html.SelfClosingTagToken, html.CommentToken, html.DoctypeToken:
			t.Fatalf("output has %q\n in: %q\nout: %q", z.Raw(), in, out)
		}
	}
}
