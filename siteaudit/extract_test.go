package siteaudit

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

const article = `<!doctype html><html><head><title> Trail  Shoes </title>
<meta name="description" content="How to pick trail shoes.">
<meta name="robots" content="noindex,follow">
<link rel="canonical" href="/guides/trail-shoes/">
<base href="https://shop.example.com/guides/">
<script>var x = "<a href='/fake'>";</script></head>
<body><header><a href="/">Logo</a></header>
<nav><ul><li><a href="/a">A</a></li><li><a href="/b">B</a></li></ul></nav>
<main><h1>Trail shoes</h1><p>Grip matters on <a href="/mud">muddy trails</a>. Choose lugs.</p>
<h2>Fit</h2><p>A snug heel.<br>Room for toes.</p><img src="img/shoe.png" alt=" A  shoe ">
<div class="tags"><a href="/t1">tag one</a> <a href="/t2">tag two</a> <a href="/t3">tag three</a></div>
<aside>Sidebar words</aside><form><input name=q></form>
<h3></h3><p><a href="https://other.org/x" rel="nofollow sponsored">partner</a> <a href="https://other.org/y"><img src="y.png" alt="logo alt"></a></p>
</main><footer>Copyright</footer></body></html>`

func TestExtract(t *testing.T) {
	p := Extract("https://shop.example.com/guides/trail-shoes", []byte(article), ExtractOptions{})
	if p.Title != "Trail Shoes" || p.MetaDescription != "How to pick trail shoes." || !p.Noindex {
		t.Errorf("head = %q %q noindex=%v", p.Title, p.MetaDescription, p.Noindex)
	}
	if p.Canonical != "https://shop.example.com/guides/trail-shoes" {
		t.Errorf("canonical = %q", p.Canonical)
	}
	if want := []Heading{{1, "Trail shoes"}, {2, "Fit"}}; !slices.Equal(p.Headings, want) {
		t.Errorf("headings = %v, want %v", p.Headings, want)
	}
	for _, bad := range []string{"Logo", "Sidebar", "Copyright", "tag one", "var x"} {
		if strings.Contains(p.Text, bad) || strings.Contains(p.HTML, bad) {
			t.Errorf("main text keeps %q: %q", bad, p.Text)
		}
	}
	if want := "Trail shoes\nGrip matters on muddy trails. Choose lugs.\nFit\nA snug heel.\nRoom for toes.\npartner"; !strings.HasPrefix(p.Text, want) {
		t.Errorf("text = %q, want prefix %q", p.Text, want)
	}
	if p.Words != len(strings.Fields(p.Text)) {
		t.Errorf("words = %d for %q", p.Words, p.Text)
	}
	if want := []Image{{URL: "https://shop.example.com/guides/img/shoe.png", Alt: "A shoe"}, {URL: "https://shop.example.com/guides/y.png", Alt: "logo alt"}}; !slices.Equal(p.Images, want) {
		t.Errorf("images = %v", p.Images)
	}
	links := map[string]Link{}
	for _, l := range p.Links {
		links[strings.TrimPrefix(l.URL, "https://shop.example.com")] = l
	}
	tests := []struct {
		url                        string
		internal, nofollow, inMain bool
		anchor                     string
	}{
		{"/", true, false, false, "Logo"},
		{"/a", true, false, false, "A"},
		{"/mud", true, false, true, "muddy trails"},
		{"/t1", true, false, false, "tag one"},
		{"https://other.org/x", false, true, true, "partner"},
		{"https://other.org/y", false, false, true, "logo alt"},
	}
	for _, tc := range tests {
		l, ok := links[tc.url]
		if !ok || l.Internal != tc.internal || l.Nofollow != tc.nofollow || l.InMain != tc.inMain || l.Anchor != tc.anchor {
			t.Errorf("link %s = %+v (found %v), want internal=%v nofollow=%v inMain=%v anchor=%q", tc.url, l, ok, tc.internal, tc.nofollow, tc.inMain, tc.anchor)
		}
	}
	if _, ok := links["/fake"]; ok {
		t.Error("a link inside a script was read")
	}
	if p.Hash == "" || p.Hash != ContentHash(p) {
		t.Errorf("hash = %q", p.Hash)
	}
	again := Extract("https://shop.example.com/guides/trail-shoes", []byte(strings.Replace(article, "Copyright", "Copyright 2027", 1)), ExtractOptions{})
	if again.Hash != p.Hash {
		t.Error("a footer change changed the content hash")
	}
	changed := Extract("https://shop.example.com/guides/trail-shoes", []byte(strings.Replace(article, "Choose lugs", "Choose deep lugs", 1)), ExtractOptions{})
	if changed.Hash == p.Hash {
		t.Error("a content change kept the hash")
	}
}

func TestExtractMainChoice(t *testing.T) {
	tests := []struct {
		name, html, want string
	}{
		{"article", `<body><div>menu words here</div><article><p>the story</p></article></body>`, "the story"},
		{"two articles use body", `<body><article><p>one</p></article><article><p>two</p></article></body>`, "one\ntwo"},
		{"role main", `<body><div role="main"><p>inside</p></div><p>outside</p></body>`, "inside"},
		{"body", `<p>plain</p>`, "plain"},
		{"empty", ``, ""},
		{"link farm", `<body><p>Real words of the page.</p><div><a href=/1>one</a> <a href=/2>two</a> <a href=/3>three</a> x</div></body>`, "Real words of the page."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := Extract("https://example.com/", []byte(tc.html), ExtractOptions{})
			if p.Text != tc.want {
				t.Errorf("text = %q, want %q", p.Text, tc.want)
			}
		})
	}
}

func FuzzExtract(f *testing.F) {
	f.Add([]byte(article))
	f.Add([]byte(`<a href="//x"><img alt=1></a><main><main><h7>x</h7></main>`))
	f.Add([]byte(`<svg><a href="/s">s</a></svg><template><a href=/t>t</a></template><base href="javascript:1">`))
	f.Fuzz(func(t *testing.T, body []byte) {
		p := Extract("https://example.com/dir/page", body, ExtractOptions{})
		if p.Words != len(strings.Fields(p.Text)) {
			t.Fatalf("words %d for text %q", p.Words, p.Text)
		}
		for _, l := range p.Links {
			if n, ok := NormalizeURL(l.URL, SlashStrip); !ok || n != l.URL {
				t.Fatalf("link %q is not normalized (%q, %v)", l.URL, n, ok)
			}
		}
		for _, h := range p.Headings {
			if h.Level < 1 || h.Level > 6 || h.Text == "" {
				t.Fatalf("heading %+v", h)
			}
		}
		if utf8.Valid(body) && !utf8.ValidString(p.Text) {
			t.Fatalf("text of valid UTF-8 is not: %q", p.Text)
		}
	})
}
