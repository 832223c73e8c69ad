package optimization

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/igny8/sdk/optimization/internal/serpfont"
	"github.com/igny8/sdk/optimization/textstat"
)

// benchDoc is a 1,500-word article with subheadings, lists, links and
// images.
func benchDoc() Input {
	g := &gen{}
	var b strings.Builder
	for i := range 6 {
		b.WriteString("<h2>Garden section</h2>")
		ss := g.sentences(20, 12, "however", 6)
		ss[3] = g.sentence(12, "garden")
		b.WriteString(paras(ss, 4))
		b.WriteString(`<ul><li>Fresh soil and compost</li><li>Water early</li></ul><p><a href="/tools">tools</a> <a href="https://rhs.org.uk" rel="nofollow">rhs</a></p><img src="x.jpg" alt="a garden bed">`)
		_ = i
	}
	return Input{HTML: b.String(), Keyphrase: "garden", Synonyms: []string{"yard"}, Title: "Garden Guide", MetaDescription: "A garden guide.", Slug: "garden-guide", SiteHost: "example.com"}
}

func BenchmarkAnalyze(b *testing.B) {
	a := NewAnalyzer(Options{})
	in := benchDoc()
	r, _ := a.Analyze(in)
	b.SetBytes(int64(len(in.HTML)))
	b.ReportAllocs()
	b.ReportMetric(float64(r.Stats.Words), "words/doc")
	for b.Loop() {
		if _, err := a.Analyze(in); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAnalyzeParallel(b *testing.B) {
	a := NewAnalyzer(Options{})
	in := benchDoc()
	b.SetBytes(int64(len(in.HTML)))
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := a.Analyze(in); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

func BenchmarkParse(b *testing.B) {
	in := benchDoc()
	var d doc
	b.SetBytes(int64(len(in.HTML)))
	b.ReportAllocs()
	for b.Loop() {
		d.parse(in.HTML, "example.com")
	}
}

func BenchmarkScanWords(b *testing.B) {
	text := strings.Repeat("Dr. Smith paid 3.14 for e.g. apples. However, it was cheap! ", 200)
	sc := textstat.NewScanner(textstat.English(), text)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		sc.Reset(text)
		for sc.Next() {
		}
	}
}

func BenchmarkStemAndSyllables(b *testing.B) {
	en := textstat.English()
	words := strings.Fields("running shoes gardens beautiful optimization readability companies played wanted the and")
	b.ReportAllocs()
	for b.Loop() {
		for _, w := range words {
			_ = en.Stem(w)
			_ = en.Syllables(w)
		}
	}
}

func BenchmarkTitleWidth(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = serpfont.TitleWidth("Running Shoes: How to Choose the Right Pair in 2026 – Tested")
	}
}

func BenchmarkAudit1000Pages(b *testing.B) {
	a := NewAnalyzer(Options{})
	base := benchDoc()
	pages := make([]PageInput, 1000)
	for i := range pages {
		in := base
		in.Title = fmt.Sprintf("Garden guide %d", i%700) // some duplicates
		in.Keyphrase = fmt.Sprintf("garden %d", i%900)
		pages[i] = PageInput{ID: fmt.Sprintf("/p%d", i), Input: in}
	}
	b.ReportAllocs()
	for b.Loop() {
		rep, err := a.Audit(context.Background(), pages)
		if err != nil || len(rep.Pages) != len(pages) {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(pages))*float64(b.N)/b.Elapsed().Seconds(), "pages/s")
}
