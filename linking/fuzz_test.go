package linking

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// spansFor picks linkable word runs of src: every third linkable word,
// extended over glued words up to three words.
func spansFor(src string) []Suggestion {
	d := analyze([]byte(src))
	var out []Suggestion
	for i := 0; i < len(d.words); i++ {
		w := d.words[i]
		if w.ctx != ctxOK || i%3 != 0 {
			continue
		}
		j := i
		for j+1 < len(d.words) && j-i < 2 && d.words[j+1].glue && d.words[j+1].ctx == ctxOK {
			j++
		}
		out = append(out, Suggestion{
			SourceID: "s", TargetID: "t", TargetURL: "/t?a=1&b=\"2\"",
			Anchor: src[w.start:d.words[j].end], Start: int(w.start), End: int(d.words[j].end),
		})
		i = j
	}
	return out
}

func seedHTML() []string {
	return []string{
		"<p>Hello world, this is seo tools text.</p>",
		"<h1>SEO tools</h1><p>The best seo tools <a href=\"/x\">are here</a>. Plain text.</p>",
		"<table><tr><td>cell text</td></tr>loose text</table>",
		"<b><i>x y</b> z w</i> more text",
		"<a>one<a>two</a> three",
		"<svg><title>t x</title><p>break out</p></svg> after svg",
		"<math><mi>x</mi></math> text after math",
		"<select><option>opt text</select> after select",
		"<template>tpl text</template> after",
		"<pre>code text</pre><code>inline code</code> prose text",
		"<div><a href=/x>open link<div>inside</div></div> after",
		"text&amp;more &nbsp;words caf&eacute; x&#39;s",
		"<p>one. two! three? four</p><ul><li>list item text</li></ul>",
		"<!DOCTYPE html><html><head><title>T</title></head><body><p>body text here</p></body></html>",
		"<button>press me</button> text <img alt=\"alt text\"> tail",
		"<frameset><frame></frameset> text",
		"<p>a\r\nb\x00c</p>",
		"<noscript>ns text</noscript><textarea>ta text</textarea>",
		"</p>stray end<br></br>words",
		"<ruby>kan<rt>ji</rt></ruby> text",
		"<table><caption>cap text</caption><td>td text</td></table>",
		"<p><b>bold <i>it</b> after</i></p>",
		"<object>obj text</object> text",
		"<a href=x><table><td><a>in</a></td></table>out</a> end",
	}
}

func FuzzInsert(f *testing.F) {
	for _, s := range seedHTML() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > 1<<16 {
			return
		}
		tm := time.AfterFunc(20*time.Second, func() { panic(fmt.Sprintf("slow input %q", src)) })
		defer tm.Stop()
		d := analyze([]byte(src))
		for _, w := range d.words {
			if w.start < 0 || int(w.end) > len(src) || w.start >= w.end {
				t.Fatalf("word span %d..%d outside %d bytes", w.start, w.end, len(src))
			}
		}
		sugs := spansFor(src)
		res, err := Apply(src, sugs, ApplyOptions{IDs: &seqIDs{}})
		if err != nil {
			t.Fatalf("Apply: %v", err)
		}
		if err := VerifyInsertion(src, res.HTML); err != nil {
			t.Fatalf("insertion changed the tree: %v\nsrc:   %q\nafter: %q", err, src, res.HTML)
		}
		if got := textOf(t, res.HTML); got != textOf(t, src) {
			t.Fatalf("text content changed:\nbefore %q\nafter  %q", textOf(t, src), got)
		}
		back, n := RemoveAll(res.HTML)
		if n != len(sugs) && !strings.Contains(src, MarkerAttr) {
			t.Fatalf("RemoveAll removed %d links, inserted %d", n, len(sugs))
		}
		if !strings.Contains(src, MarkerAttr) && back != src {
			t.Fatalf("removal did not restore the document:\nsrc  %q\nback %q", src, back)
		}
	})
}

// tagSoup builds HTML from bytes, each choosing a token among the markup
// that matters to the parser's tree building (tables, links, formatting,
// foreign content, raw text, select), so that the fuzzer explores
// tag structures rather than byte noise.
func tagSoup(data []byte) string {
	toks := []string{
		"<table>", "</table>", "<tr>", "</tr>", "<td>", "</td>", "<th>", "<tbody>", "</tbody>", "<caption>", "</caption>",
		"<a href=/x>", "</a>", "<b>", "</b>", "<i>", "</i>", "<code>", "</code>", "<p>", "</p>", "<div>", "</div>",
		"<svg>", "</svg>", "<math>", "</math>", "<title>", "</title>", "<select>", "</select>", "<option>",
		"<template>", "</template>", "<h2>", "</h2>", "<pre>", "</pre>", "<span>", "</span>", "<li>", "<ul>", "</ul>",
		"<button>", "</button>", "<object>", "</object>", "<nobr>", "</nobr>", "<font color=red>", "</font>",
		"<br>", "</br>", "<img alt='alt words'>", "<style>", "</style>", "<script>", "</script>", "<textarea>", "</textarea>",
		"<frameset>", "<noscript>", "</noscript>", "<head>", "</head>", "<body>", "</body>", "</html>", "<![CDATA[x]]>",
		"<!-- c -->", "<foreignObject>", "<desc>", "<mi>", "<em>", "</em>", "<strong>", "</strong>", "<s>", "<u>", "<form>", "</form>",
		"<dd>", "<dt>", "<applet>", "<marquee>", "<iframe>", "<xmp>", "<plaintext>", "<ruby>", "<rt>", "<colgroup>", "<col>",
		"<input>", "<hr>", "<listing>", "<image>", "<kbd>", "</kbd>",
	}
	words := []string{"alpha beta", " gamma", "delta. ", "eps-ilon ", "  ", "\n", "zeta&amp;eta", "théta ", "x\x00y", "iota kappa lambda"}
	var b strings.Builder
	for i, c := range data {
		if i%2 == 0 {
			b.WriteString(toks[int(c)%len(toks)])
		} else {
			b.WriteString(words[int(c)%len(words)])
		}
	}
	return b.String()
}

func FuzzInsertTags(f *testing.F) {
	f.Add([]byte{0, 1, 4, 2, 3, 3, 1, 4})
	f.Add([]byte{11, 0, 0, 1, 4, 2, 12, 3, 2, 5})
	f.Add([]byte{23, 1, 30, 2, 24, 3, 25, 4})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 512 {
			return
		}
		src := tagSoup(data)
		sugs := spansFor(src)
		res, err := Apply(src, sugs, ApplyOptions{IDs: &seqIDs{}})
		if err != nil {
			t.Fatalf("Apply: %v", err)
		}
		if err := VerifyInsertion(src, res.HTML); err != nil {
			t.Fatalf("insertion changed the tree: %v\nsrc:   %q\nafter: %q", err, src, res.HTML)
		}
		if back, _ := RemoveAll(res.HTML); back != src {
			t.Fatalf("removal did not restore the document:\nsrc  %q\nback %q", src, back)
		}
	})
}

// FuzzSuggest runs the whole path on arbitrary HTML: plan links from the
// page to a small site, apply them, and check the tree, the rules that
// can be checked from outside, and removal.
func FuzzSuggest(f *testing.F) {
	for _, s := range seedHTML() {
		f.Add(s)
	}
	f.Add("<p>Use seo tools. Do keyword research. Try link building.</p><h2>seo tools</h2>")
	f.Add(`<table><td>seo tools</td></table><p><a href="/link-building">x</a> link building</p>`)
	x := fuzzSite(f)
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > 1<<15 {
			return
		}
		checkSuggest(t, x, src)
	})
}

// fuzzSite is a small site whose phrases appear in the seeds and in the
// tag soup's words.
func fuzzSite(f *testing.F) *Index {
	x := NewIndex(&Options{Rules: Rules{WordsPerLink: -1, MaxLinksPerPage: 10}})
	for _, p := range []Page{
		{ID: "tools", URL: "/seo-tools", PrimaryKeyword: "seo tools", SecondaryKeywords: []string{"tools"}, Published: true},
		{ID: "research", URL: "/keyword-research", PrimaryKeyword: "keyword research", SecondaryKeywords: []string{"alpha beta"}, Published: true},
		{ID: "links", URL: "/link-building", PrimaryKeyword: "link building", SecondaryKeywords: []string{"gamma", "théta"}, Published: true},
		{ID: "greek", URL: "/greek", PrimaryKeyword: "kappa lambda", SecondaryKeywords: []string{"eps ilon", "delta"}, Published: true},
		{ID: "more", URL: "/more", PrimaryKeyword: "iota", SecondaryKeywords: []string{"zeta", "x"}, Published: true},
	} {
		if err := x.Add(p); err != nil {
			f.Fatal(err)
		}
	}
	return x
}

func checkSuggest(t *testing.T, x *Index, src string) {
	t.Helper()
	plan, err := x.Suggest(context.Background(), Page{ID: "src", URL: "/src", HTML: src})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, s := range plan.Suggestions {
		if seen[s.TargetID] {
			t.Fatalf("two links to %s", s.TargetID)
		}
		seen[s.TargetID] = true
	}
	res, err := ApplyPlan(src, plan, ApplyOptions{IDs: &seqIDs{}})
	if err != nil {
		t.Fatalf("ApplyPlan: %v", err)
	}
	if err := VerifyInsertion(src, res.HTML); err != nil {
		t.Fatalf("insertion changed the tree: %v\nsrc:   %q\nafter: %q", err, src, res.HTML)
	}
	if !strings.Contains(src, MarkerAttr) {
		if back, n := RemoveAll(res.HTML); back != src || n != len(plan.Suggestions) {
			t.Fatalf("removal did not restore the document:\nsrc  %q\nback %q", src, back)
		}
	}
}

func FuzzSuggestTags(f *testing.F) {
	f.Add([]byte{0, 1, 4, 2, 3, 3, 1, 4})
	f.Add([]byte{11, 0, 0, 1, 4, 2, 12, 3, 2, 5})
	x := fuzzSite(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 512 {
			return
		}
		checkSuggest(t, x, tagSoup(data))
	})
}
