package linking

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// benchSite returns an index of n pages and a 1,500-word source page that
// mentions many of their keywords.
func benchSite(b *testing.B, n int) (*Index, Page) {
	b.Helper()
	x := NewIndex(nil)
	for i := range n {
		kw := fmt.Sprintf("topic%d item%d", i/20, i)
		html := fmt.Sprintf("<h1>%s</h1><p>Text about %s and topic%d item%d here.</p>", kw, kw, i/20, (i+1)%n)
		if err := x.Add(Page{ID: fmt.Sprint(i), URL: fmt.Sprintf("/%d", i), PrimaryKeyword: kw, ClusterID: fmt.Sprint(i / 20),
			IsPillar: i%20 == 0, Published: true, HTML: html}); err != nil {
			b.Fatal(err)
		}
	}
	var sb strings.Builder
	for s := 0; sb.Len() < 10000; s++ {
		j := (s * 7919) % n
		fmt.Fprintf(&sb, "<p>Sentence %d mentions topic%d item%d in passing, with filler words around it. ", s, j/20, j)
		sb.WriteString(`A second sentence <a href="/x">links out</a> and ends.</p><h2>Section heading</h2>`)
	}
	return x, Page{ID: "src", URL: "/src", HTML: sb.String()}
}

func BenchmarkSuggest(b *testing.B) {
	x, p := benchSite(b, 10000)
	ctx := context.Background()
	b.SetBytes(int64(len(p.HTML)))
	var links int
	for b.Loop() {
		plan, err := x.Suggest(ctx, p)
		if err != nil {
			b.Fatal(err)
		}
		links = len(plan.Suggestions)
	}
	b.ReportMetric(float64(links), "links/page")
}

func BenchmarkApplyPlan(b *testing.B) {
	x, p := benchSite(b, 10000)
	plan, err := x.Suggest(context.Background(), p)
	if err != nil || len(plan.Suggestions) == 0 {
		b.Fatalf("no suggestions: %v", err)
	}
	b.SetBytes(int64(len(p.HTML)))
	for b.Loop() {
		if _, err := ApplyPlan(p.HTML, plan, ApplyOptions{IDs: &seqIDs{}}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAdd(b *testing.B) {
	x, p := benchSite(b, 10000)
	for i := 0; b.Loop(); i++ {
		p.ID = fmt.Sprint("new", i)
		p.URL = "/new/" + p.ID
		if err := x.Add(p); err != nil {
			b.Fatal(err)
		}
	}
}
