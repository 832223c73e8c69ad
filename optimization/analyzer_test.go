package optimization

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/igny8/sdk/igny8"
)

func TestAnalyzeRejectsBadInput(t *testing.T) {
	a := NewAnalyzer(Options{MaxHTMLBytes: 100})
	tests := []struct {
		name  string
		in    Input
		field string
	}{
		{"unknown type", Input{Type: "recipe"}, "type"},
		{"unknown locale", Input{Locale: "de-DE"}, "locale"},
		{"html too large", Input{HTML: strings.Repeat("x", 101)}, "html"},
		{"keyphrase too long", Input{Keyphrase: strings.Repeat("word ", 65)}, "keyphrase"},
		{"synonym too long", Input{Keyphrase: "a", Synonyms: []string{"b", strings.Repeat("word ", 65)}}, "synonyms[1]"},
		{"too many synonyms", Input{Keyphrase: "a", Synonyms: make([]string, 33)}, "synonyms"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := a.Analyze(tt.in)
			var e *igny8.Error
			if !errors.Is(err, igny8.ErrInvalidArgument) || !errors.As(err, &e) || e.Field != tt.field {
				t.Fatalf("err = %v, want InvalidArgument on field %q", err, tt.field)
			}
		})
	}
}

func TestParseText(t *testing.T) {
	tests := []struct {
		name       string
		html       string
		words      int
		sentences  int
		paragraphs int
	}{
		{"script and style skipped", `<p>One two.</p><script>var a = "three four";</script><style>p{}</style>`, 2, 1, 1},
		{"entities decoded", `<p>Fish &amp; chips&nbsp;are great.</p>`, 4, 1, 1},
		{"inline tags join", `<p>Ex<b>tra</b>ordinary <i>day</i>.</p>`, 2, 1, 1},
		{"br separates words", `<p>One<br>two</p>`, 2, 1, 1},
		{"list items are sentences", `<ul><li>Salt<li>Pepper</ul>`, 2, 2, 0},
		{"nested lists", `<ul><li>A things<ul><li>B things</li></ul>more A</li></ul>`, 6, 3, 0},
		{"loose text is a paragraph", `Hello there. General Kenobi.`, 4, 2, 1},
		{"whole document", `<html><head><title>T x</title></head><body><nav>Home About</nav><p>Body text.</p></body></html>`, 2, 1, 1},
		{"table cells", `<table><tr><td>Cell one</td><td>Cell two</td></tr></table>`, 4, 2, 2},
		{"comments ignored", `<p>One <!-- two three --> four.</p>`, 2, 1, 1},
		{"unclosed p", `<p>One.<p>Two.`, 2, 2, 2},
		{"double br splits paragraphs", `<div>One two.<br><br>Three four.<br>Five.</div>`, 5, 3, 2},
		{"code listings skipped", `<p>Run this.</p><pre><code>go test ./...</code></pre><p>Use <code>go</code> daily.</p>`, 5, 2, 2},
		{"headings are not sentences", `<h2>A heading here</h2><p>Text.</p>`, 4, 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := analyze(t, Input{HTML: tt.html})
			s := r.Stats
			if s.Words != tt.words || s.Sentences != tt.sentences || s.Paragraphs != tt.paragraphs {
				t.Errorf("words %d sentences %d paragraphs %d, want %d %d %d", s.Words, s.Sentences, s.Paragraphs, tt.words, tt.sentences, tt.paragraphs)
			}
		})
	}
}

func TestScoresAndGains(t *testing.T) {
	r := analyze(t, Input{HTML: "<p>Hi.</p>"})
	for _, cat := range []Category{CategorySEO, CategoryReadability} {
		total, sum := 0, 0.0
		for _, c := range r.Checks {
			if c.Category == cat {
				total += c.Weight
				sum += float64(c.Weight * c.Score)
			}
		}
		want := int(sum/float64(total) + 0.5)
		got := r.SEO
		if cat == CategoryReadability {
			got = r.Readability
		}
		if got != want {
			t.Errorf("%s score = %d, want %d", cat, got, want)
		}
	}
	probs := r.Problems()
	if len(probs) == 0 {
		t.Fatal("no problems on a two-word page")
	}
	for i, c := range probs {
		if c.Status == StatusPass || c.Gain <= 0 {
			t.Errorf("problem %+v", c)
		}
		if i > 0 && c.Gain > probs[i-1].Gain {
			t.Errorf("problems not sorted by gain: %v after %v", c.Gain, probs[i-1].Gain)
		}
	}
	// Fixing every problem would bring both scores to 100.
	gain := map[Category]float64{}
	for _, c := range r.Checks {
		gain[c.Category] += c.Gain
	}
	if g := float64(r.SEO) + gain[CategorySEO]; g < 99.5 || g > 100.5 {
		t.Errorf("SEO %d + gains %v != 100", r.SEO, gain[CategorySEO])
	}
}

func TestGoodPageScoresHigh(t *testing.T) {
	g := &gen{}
	var b strings.Builder
	b.WriteString(`<p>Our garden guide starts here. However, ` + g.sentence(8, "") + `</p>`)
	for i := range 4 {
		b.WriteString("<h2>Garden step</h2>")
		if i%2 == 1 {
			b.WriteString("<h2>More</h2>")
		}
		ss := g.sentences(8, 9, "for example", 4)
		ss[5] = g.sentence(9, "garden")
		b.WriteString(paras(ss, 4))
	}
	b.WriteString(`<p><a href="/soil">Soil</a> and <a href="https://rhs.org.uk/">RHS</a>.</p><img src="g.jpg" alt="a garden in May">`)
	r := analyze(t, Input{
		HTML: b.String(), Keyphrase: kp, Title: "Garden Guide: Grow Vegetables in Small Spaces",
		MetaDescription: strings.Repeat("Garden ", 1) + strings.Repeat("tips and tricks ", 8), Slug: "garden-guide",
		SiteHost: "example.com",
	})
	if r.SEO < 90 || r.Readability < 90 {
		for _, c := range r.Problems() {
			t.Logf("%s %s: %s", c.ID, c.Status, c.Message)
		}
		t.Errorf("scores %d/%d, want ≥ 90 each", r.SEO, r.Readability)
	}
}

// TestLinearTime analyses a 20,000-word single sentence, the shape that
// exposes quadratic scans, within 100 ms.
func TestLinearTime(t *testing.T) {
	words := strings.Fields("however the garden was planted by many old friends in the spring of the year")
	var b strings.Builder
	b.WriteString("<p>")
	for i := range 20000 {
		b.WriteString(words[i%len(words)])
		b.WriteByte(' ')
	}
	b.WriteString("</p>")
	in := Input{HTML: b.String(), Keyphrase: "garden friends spring", Synonyms: []string{"old year"}, Title: "Garden", MetaDescription: "garden"}
	a := NewAnalyzer(Options{})
	if _, err := a.Analyze(in); err != nil { // warm the pool
		t.Fatal(err)
	}
	best := time.Hour
	for range 3 {
		start := time.Now()
		r, err := a.Analyze(in)
		if err != nil {
			t.Fatal(err)
		}
		best = min(best, time.Since(start))
		if r.Stats.Words != 20000 || r.Stats.Sentences != 1 {
			t.Fatalf("stats %+v", r.Stats)
		}
	}
	limit := 100 * time.Millisecond
	if raceEnabled {
		limit *= 10 // the race detector slows everything ~5-10x
	}
	t.Logf("20,000-word sentence: %v", best)
	if best > limit {
		t.Errorf("20,000-word sentence took %v, want < %v", best, limit)
	}
}

func TestConcurrentUse(t *testing.T) {
	a := NewAnalyzer(Options{})
	g := &gen{}
	in := Input{HTML: g.text(500), Keyphrase: "green hills", Title: "Green hills"}
	want, err := a.Analyze(in)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan Result)
	for range 8 {
		go func() {
			r, _ := a.Analyze(in)
			done <- r
		}()
	}
	for range 8 {
		if r := <-done; r.SEO != want.SEO || r.Readability != want.Readability || r.Stats != want.Stats {
			t.Errorf("concurrent result %+v differs from %+v", r.Stats, want.Stats)
		}
	}
}

func FuzzAnalyze(f *testing.F) {
	seeds := []string{
		"", "<p>Hello world.</p>", "<h1>a</h1><h2>garden</h2><ul><li>x<li>y</ul>",
		`<a href="//x.com:8080">l</a><a href="http://[::1]:80/">v6</a><img alt="garden">`,
		"<script>alert(1)</script><p>Dr. U.S. 3.14... ok</p>", "<p><p><p></div></li></ul>text",
		"\xff\xfe<p>\x00garden.</p>", "<svg><p>hidden</p></svg><p>shown</p>",
	}
	for _, s := range seeds {
		f.Add(s, "garden", "Garden tips")
	}
	a := NewAnalyzer(Options{})
	f.Fuzz(func(t *testing.T, html, key, title string) {
		r, err := a.Analyze(Input{HTML: html, Keyphrase: key, Title: title, MetaDescription: title, Slug: key, SiteHost: "example.com"})
		if err != nil {
			if igny8.CodeOf(err) != igny8.CodeInvalidArgument {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		if r.SEO < 0 || r.SEO > 100 || r.Readability < 0 || r.Readability > 100 {
			t.Fatalf("scores %d/%d out of 0–100", r.SEO, r.Readability)
		}
		for _, c := range r.Checks {
			if c.Score < 0 || c.Score > 100 || c.Message == "" || c.Gain < 0 || c.Gain > 100 {
				t.Fatalf("bad check %+v", c)
			}
		}
		if r.Stats.Sentences > r.Stats.Words {
			t.Fatalf("%d sentences for %d words", r.Stats.Sentences, r.Stats.Words)
		}
	})
}
