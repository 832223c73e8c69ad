package sanitize

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/igny8/sdk/igny8"
	"golang.org/x/net/html"
)

func TestStructure(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"article kept", `<h2 id="intro">Intro</h2><p>Some <strong>bold</strong> and <em>em</em> <a href="/x" title="t">link</a>.</p>`,
			`<h2 id="intro">Intro</h2><p>Some <strong>bold</strong> and <em>em</em> <a href="/x" title="t">link</a>.</p>`},
		{"unclosed closed at end", `<p>a<strong>b`, `<p>a<strong>b</strong></p>`},
		{"misnested closed in order", `<p><em>a</p>b</em>`, `<p><em>a</em></p>b`},
		{"stray end tags dropped", `</p></div>x</li>`, `x`},
		{"p closed by block", `<p>a<div>b</div>`, `<p>a</p><div>b</div>`},
		{"p closed by p", `<p>a<p>b`, `<p>a</p><p>b</p>`},
		{"p through inline", `<p><span>a<ul><li>b</ul>`, `<p><span>a</span></p><ul><li>b</li></ul>`},
		{"li closes li", `<ul><li>a<li>b</ul>`, `<ul><li>a</li><li>b</li></ul>`},
		{"nested list li", `<ul><li>a<ul><li>b<li>c</ul><li>d</ul>`, `<ul><li>a<ul><li>b</li><li>c</li></ul></li><li>d</li></ul>`},
		{"dd dt", `<dl><dt>a<dd>b<dt>c</dl>`, `<dl><dt>a</dt><dd>b</dd><dt>c</dt></dl>`},
		{"table implied", `<table><tr><td>a<td>b<tr><th>c</table>`, `<table><tr><td>a</td><td>b</td></tr><tr><th>c</th></tr></table>`},
		{"table sections", `<table><thead><tr><th>h<tbody><tr><td>d</table>`, `<table><thead><tr><th>h</th></tr></thead><tbody><tr><td>d</td></tr></tbody></table>`},
		{"end tag stops at cell", `<div><table><tr><td>x</div>y</td></tr></table>z</div>`, `<div><table><tr><td>xy</td></tr></table>z</div>`},
		{"heading closes heading", `<h2>a<h3>b`, `<h2>a</h2><h3>b</h3>`},
		{"heading end closes any heading", `<h2>a</h3>b`, `<h2>a</h2>b`},
		{"nested a closed", `<a href="/1">a<a href="/2">b</a>`, `<a href="/1">a</a><a href="/2">b</a>`},
		{"void elements", `a<br/>b<hr><img src="/i.png" alt="i" width="10" height=" 20 " loading="LAZY">`, `a<br>b<hr><img src="/i.png" alt="i" width="10" height="20" loading="lazy">`},
		{"self-closing non-void opens", `<p/>x`, `<p>x</p>`},
		{"unknown wrapper text kept", `<section><font color=red>hello</font></section>`, `hello`},
		{"comments dropped", `a<!-- secret -->b`, `ab`},
		{"doctype dropped", `<!DOCTYPE html><p>x</p>`, `<p>x</p>`},
		{"entities normalised", `&amp; &copy; &#169; &nbsp;x`, "&amp; © © \u00a0x"},
		{"apostrophes stay readable", `<p>don't "quote"</p>`, `<p>don't "quote"</p>`},
		{"control chars dropped", "a\x01b\x0bc\x7fd\te", "abcd\te"},
		{"invalid utf8 replaced", "a\xffb", "a\ufffdb"},
		{"ol attributes", `<ol start="3" reversed type="A"><li value="7">x</ol>`, `<ol start="3" reversed="" type="A"><li value="7">x</li></ol>`},
		{"bad int dropped", `<td colspan="2x">`, `<td></td>`},
		{"table cell attrs", `<table><tr><th scope=COL colspan=2 rowspan="1">h</th></tr></table>`, `<table><tr><th scope="col" colspan="2" rowspan="1">h</th></tr></table>`},
		{"igny8 link attr", `<a href="https://s.example/p" data-igny8-link="l-1" rel="nofollow">p</a>`, `<a href="https://s.example/p" data-igny8-link="l-1" rel="nofollow">p</a>`},
		{"mailto and fragment", `<a href="mailto:a@b.example">m</a><a href="#sec-2">s</a>`, `<a href="mailto:a@b.example">m</a><a href="#sec-2">s</a>`},
		{"url trimmed", "<a href=\" https://ok.example/a\n/b \">x</a>", `<a href="https://ok.example/a/b">x</a>`},
		{"query entities kept", `<a href="https://ok.example/?a=1&amp;b=2">x</a>`, `<a href="https://ok.example/?a=1&amp;b=2">x</a>`},
		{"colon after path is relative", `<a href="/a:b">x</a><a href="?q=a:b">y</a>`, `<a href="/a:b">x</a><a href="?q=a:b">y</a>`},
		{"bare colon refused", `<a href=":x">x</a>`, `<a>x</a>`},
		{"dir and lang", `<p dir="RTL" lang="ar">x</p>`, `<p dir="rtl" lang="ar">x</p>`},
		{"figure", `<figure><img src="/a.png" alt="a"><figcaption>cap</figcaption></figure>`, `<figure><img src="/a.png" alt="a"><figcaption>cap</figcaption></figure>`},
		{"inline set", `<abbr title="HyperText">HTML</abbr><cite>c</cite><q cite="https://q.example">q</q><mark>m</mark><s>s</s><del datetime="2026-01-01">d</del><ins>i</ins><small>sm</small><sup>1</sup><sub>2</sub><u>u</u><b>b</b><i>i</i><code>c</code>`,
			`<abbr title="HyperText">HTML</abbr><cite>c</cite><q cite="https://q.example">q</q><mark>m</mark><s>s</s><del datetime="2026-01-01">d</del><ins>i</ins><small>sm</small><sup>1</sup><sub>2</sub><u>u</u><b>b</b><i>i</i><code>c</code>`},
		{"picture keeps its img", `<picture><source srcset="/a.webp" type="image/webp"><img src="/a.png" alt="a"></picture>`, `<img src="/a.png" alt="a">`},
		{"empty input", ``, ``},
	}
	p := Default()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := p.Sanitize(tc.in)
			if got != tc.want {
				t.Errorf("Sanitize(%q)\n got: %q\nwant: %q", tc.in, got, tc.want)
			}
			if b := string(p.SanitizeBytes([]byte(tc.in))); b != got {
				t.Errorf("SanitizeBytes differs: %q vs %q", b, got)
			}
			checkSafe(t, p, tc.in, got)
			checkBalanced(t, tc.in, got)
			if again := p.Sanitize(got); again != got {
				t.Errorf("not idempotent:\n once: %q\ntwice: %q", got, again)
			}
		})
	}
}

func TestStats(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		want Stats
	}{
		{"clean", `<p class="x">a <a href="/b">b</a></p>`, Stats{}},
		{"script and handler", `<p onclick="x()">a</p><script>alert(1)</script>`, Stats{Elements: 1, Attributes: 1}},
		{"urls", `<a href="javascript:x">a</a><img src="vbscript:y" alt="z">`, Stats{Attributes: 2, URLs: 2}},
		{"dropped content counts inner tags", `<svg><g><circle/></g></svg>`, Stats{Elements: 3}},
		{"wrapper and comment", `<section><!-- c -->x</section><!DOCTYPE html>`, Stats{Elements: 1, Comments: 2}},
		{"bad values and duplicates", `<td colspan="x" class="<>" id="1a" dir="up">a</td><a href="/1" href="/2">b</a>`, Stats{Attributes: 4}}, // the tokenizer itself drops the repeated href,
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, got := Default().SanitizeStats(tc.in)
			if got != tc.want {
				t.Errorf("SanitizeStats(%q) stats = %+v, want %+v (out %q)", tc.in, got, tc.want, out)
			}
			if got.Removed() != (tc.want != Stats{}) {
				t.Errorf("Removed() = %t", got.Removed())
			}
		})
	}
}

func TestMaxDepth(t *testing.T) {
	p, err := New(Options{MaxDepth: 3})
	if err != nil {
		t.Fatal(err)
	}
	got := p.Sanitize(`<div><div><div><div><b>deep</b></div></div></div></div>`)
	want := `<div><div><div>deep</div></div></div>`
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	// A deep document must not make the sanitizer quadratic or overflow.
	deep := strings.Repeat("<div>", 50000) + "x" + strings.Repeat("</span>", 50000)
	out := Default().Sanitize(deep)
	if n := strings.Count(out, "<div>"); n != DefaultMaxDepth {
		t.Errorf("kept %d nested divs, want %d", n, DefaultMaxDepth)
	}
}

func TestOptions(t *testing.T) {
	t.Run("widen", func(t *testing.T) {
		p, err := New(Options{
			Elements:        map[string][]string{"section": {"aria-label"}, "time": {"datetime"}},
			Attributes:      map[string][]string{"a": {"target", "hreflang"}, "*": {"translate"}},
			Schemes:         []string{"tel"},
			AllowDataImages: true,
			IDPrefix:        "c-",
		})
		if err != nil {
			t.Fatal(err)
		}
		in := `<section aria-label="s" onclick="x"><h2 id="intro" translate="no">T</h2><a href="tel:+123" target="_blank" hreflang="en">call</a><a href="#intro">top</a><a href="#c-x">x</a>` +
			`<time datetime="2026-01-01">d</time><img src="data:image/png;base64,iVBORw0KGgo="><img src="data:image/svg+xml;base64,PHN2Zz4="><a href="data:image/png;base64,iVBORw0KGgo=">d</a></section>`
		want := `<section aria-label="s"><h2 id="c-intro" translate="no">T</h2><a href="tel:+123" target="_blank" hreflang="en">call</a><a href="#c-intro">top</a><a href="#c-x">x</a>` +
			`<time datetime="2026-01-01">d</time><img src="data:image/png;base64,iVBORw0KGgo="><img><a>d</a></section>`
		got := p.Sanitize(in)
		if got != want {
			t.Errorf("got  %q\nwant %q", got, want)
		}
		checkSafe(t, p, in, got)
		if again := p.Sanitize(got); again != got {
			t.Errorf("not idempotent: %q", again)
		}
		if Default().Sanitize(`<a href="tel:1">x</a>`) != `<a>x</a>` {
			t.Error("widening one policy changed the default")
		}
	})
	refused := []struct {
		name  string
		opts  Options
		field string
	}{
		{"script element", Options{Elements: map[string][]string{"script": nil}}, "elements"},
		{"svg element", Options{Elements: map[string][]string{"svg": nil}}, "elements"},
		{"iframe element", Options{Elements: map[string][]string{"iframe": nil}}, "elements"},
		{"form element", Options{Elements: map[string][]string{"form": nil}}, "elements"},
		{"bad element name", Options{Elements: map[string][]string{"x y": nil}}, "elements"},
		{"event handler", Options{Attributes: map[string][]string{"a": {"onclick"}}}, "attributes.a"},
		{"style attribute", Options{Attributes: map[string][]string{"*": {"style"}}}, "attributes.*"},
		{"srcdoc on new element", Options{Elements: map[string][]string{"section": {"srcdoc"}}}, "elements.section"},
		{"xlink", Options{Attributes: map[string][]string{"a": {"xlink-href"}}}, "attributes.a"},
		{"attribute of unknown element", Options{Attributes: map[string][]string{"section": {"title"}}}, "attributes.section"},
		{"javascript scheme", Options{Schemes: []string{"javascript"}}, "schemes"},
		{"data scheme", Options{Schemes: []string{"data"}}, "schemes"},
		{"bad scheme", Options{Schemes: []string{"Tel:"}}, "schemes"},
		{"negative depth", Options{MaxDepth: -1}, "max_depth"},
		{"bad id prefix", Options{IDPrefix: "1-"}, "id_prefix"},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(tc.opts)
			var e *igny8.Error
			if !errors.As(err, &e) || e.Code != igny8.CodeInvalidArgument || e.Field != tc.field {
				t.Fatalf("New: err = %v, want InvalidArgument on field %q", err, tc.field)
			}
		})
	}
}

// recorder is a testing.TB that records Fatalf instead of stopping, to
// prove the safety checker itself can fail.
type recorder struct {
	testing.TB
	failed bool
}

// checkSafe only calls Helper and Fatalf; the embedded nil TB would panic
// on anything else, which would fail the test loudly.
func (r *recorder) Helper()               {}
func (r *recorder) Fatalf(string, ...any) { r.failed = true; panic(r) }

func TestCheckerCatchesUnsafeOutput(t *testing.T) {
	p := Default()
	for _, out := range []string{
		`<img src=x onerror=alert(1)>`,
		`<a href="java&#x09;script:alert(1)">x</a>`,
		`<script>alert(1)</script>`,
		`<svg><a xlink:href="javascript:alert(1)">x</a></svg>`,
		`<p style="x">y</p>`,
		`<a href="data:text/html,x">x</a>`,
		`<section>x</section>`,
		`<!-- c -->`,
	} {
		t.Run(out, func(t *testing.T) {
			r := &recorder{}
			func() {
				defer func() {
					if v := recover(); v != nil && v != r {
						panic(v)
					}
				}()
				checkSafe(r, p, out, out)
			}()
			if !r.failed {
				t.Errorf("checker accepted unsafe output %q", out)
			}
		})
	}
}

// checkTagNames fails unless tagName reads every tag of in as the
// tokenizer's TagName does.
func checkTagNames(t testing.TB, in string) {
	t.Helper()
	z := html.NewTokenizer(strings.NewReader(in))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			got, ok := rawTagName(z.Raw(), nil)
			want, _ := z.TagName()
			if ok && string(got) != string(want) {
				t.Fatalf("tagName(%q) = %q, TagName = %q", z.Raw(), got, want)
			}
		}
	}
}

func TestTagNames(t *testing.T) {
	for _, tc := range xssCases {
		checkTagNames(t, tc.in)
	}
	checkTagNames(t, "<A\x00b href=x></A\x00b><DiV\nclass=x><p/><br\f/></p\t></X\r>")
}

func FuzzSanitize(f *testing.F) {
	for _, tc := range xssCases {
		f.Add(tc.in)
	}
	f.Add(`<p>a<div>b<ul><li>c<li>d</ul><table><tr><td>e<td>f</table>`)
	f.Add(article(50))
	p := Default()
	wide, err := New(Options{AllowDataImages: true, IDPrefix: "c-", Schemes: []string{"tel"},
		Elements: map[string][]string{"section": {"title"}}, Attributes: map[string][]string{"a": {"target"}}})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, in string) {
		checkTagNames(t, in)
		for _, pol := range []*Policy{p, wide} {
			out := pol.Sanitize(in)
			checkSafe(t, pol, in, out)
			checkBalanced(t, in, out)
			if again := pol.Sanitize(out); again != out {
				t.Fatalf("not idempotent\n   in: %q\n once: %q\ntwice: %q", in, out, again)
			}
		}
	})
}

// article builds an article of about n words with the markup a model
// writes: headings, paragraphs with inline emphasis and links, lists, a
// table, an image.
func article(words int) string {
	var b strings.Builder
	sentence := `The <strong>best</strong> way to brew <em>pour-over</em> coffee is to weigh the beans, ` +
		`grind them <a href="/guides/grind-size" data-igny8-link="l1" title="Grind size">medium-fine</a>, and pour slowly. `
	const perSentence = 18 // visible words in sentence
	n := 0
	for sec := 1; n < words; sec++ {
		fmt.Fprintf(&b, "<h2 id=\"section-%d\">Section %d: brewing &amp; tasting</h2>\n", sec, sec)
		n += 5
		for para := 0; para < 3 && n < words; para++ {
			b.WriteString("<p>")
			for s := 0; s < 3 && n < words; s++ {
				b.WriteString(sentence)
				n += perSentence
			}
			b.WriteString("</p>\n")
		}
		b.WriteString("<ul><li>Fresh beans</li><li>Filtered water at 94&deg;C</li><li>A gooseneck kettle</li></ul>\n")
		n += 9
		if sec%3 == 0 {
			b.WriteString(`<figure><img src="https://cdn.example/img/brew.png" alt="Pouring water" width="800" height="600" loading="lazy"><figcaption>Pouring</figcaption></figure>` + "\n")
			b.WriteString("<table><thead><tr><th>Ratio</th><th>Taste</th></tr></thead><tbody><tr><td>1:15</td><td>Strong</td></tr><tr><td>1:17</td><td>Balanced</td></tr></tbody></table>\n")
			n += 7
		}
	}
	return b.String()
}

func BenchmarkSanitizeArticle(b *testing.B) {
	in := article(1500)
	p := Default()
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		_ = p.Sanitize(in)
	}
}

func BenchmarkSanitizeHostile(b *testing.B) {
	var sb strings.Builder
	for _, tc := range xssCases {
		sb.WriteString(tc.in)
	}
	in := sb.String()
	p := Default()
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		_ = p.Sanitize(in)
	}
}
