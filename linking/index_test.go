package linking

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/igny8/sdk/igny8"
)

func TestAddValidates(t *testing.T) {
	x := NewIndex(nil)
	tests := []struct {
		name  string
		page  Page
		code  error
		field string
	}{
		{"no id", Page{URL: "/a"}, igny8.ErrInvalidArgument, "page.id"},
		{"no url", Page{ID: "a"}, igny8.ErrInvalidArgument, "page.url"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := x.Add(tc.page)
			if !errors.Is(err, tc.code) || !strings.Contains(err.Error(), tc.field) {
				t.Fatalf("err = %v, want %v naming %s", err, tc.code, tc.field)
			}
		})
	}
	if err := x.Add(Page{ID: "a", URL: "/a"}); err != nil {
		t.Fatal(err)
	}
	if err := x.Add(Page{ID: "b", URL: "/b"}); err != nil {
		t.Fatal(err)
	}
	if err := x.Add(Page{ID: "b", URL: "https://example.com/a/"}); !errors.Is(err, igny8.ErrConflict) {
		t.Fatalf("same URL twice: %v, want Conflict", err)
	}
	// The refused replacement left page b as it was.
	if x.Len() != 2 {
		t.Fatalf("Len = %d after a refused replace, want 2", x.Len())
	}
	if err := x.Add(Page{ID: "a", URL: "/a", Title: "same page, new version"}); err != nil {
		t.Fatalf("replacing a page under its own URL: %v", err)
	}
}

func TestReplaceAndRemove(t *testing.T) {
	x := site(t, nil)
	ctx := context.Background()
	src := Page{ID: "src", URL: "/src", HTML: "<p>Use seo tools.</p><p>Also a best grinder.</p>"}
	// Replacing a page swaps its phrases.
	if err := x.Add(Page{ID: "tools", URL: "/seo-tools", PrimaryKeyword: "best grinder", Published: true, HTML: "<p>x</p>"}); err != nil {
		t.Fatal(err)
	}
	plan, _ := x.Suggest(ctx, src)
	if len(plan.Suggestions) != 1 || plan.Suggestions[0].Anchor != "best grinder" {
		t.Fatalf("after replace: %+v", plan.Suggestions)
	}
	if !x.Remove("tools") || x.Remove("tools") {
		t.Fatal("Remove should report true once")
	}
	plan, _ = x.Suggest(ctx, src)
	if len(plan.Suggestions) != 0 {
		t.Fatalf("after remove: %+v", plan.Suggestions)
	}
	if x.Len() != 3 {
		t.Fatalf("Len = %d, want 3", x.Len())
	}
}

func TestEmbeddingSignal(t *testing.T) {
	x := NewIndex(nil)
	for _, p := range []Page{
		{ID: "near", URL: "/near", PrimaryKeyword: "espresso", Published: true, Embedding: []float32{1, 0}},
		{ID: "far", URL: "/far", PrimaryKeyword: "tea", Published: true, Embedding: []float32{0, 1}},
	} {
		if err := x.Add(p); err != nil {
			t.Fatal(err)
		}
	}
	plan, err := x.Suggest(context.Background(), Page{ID: "s", URL: "/s", Embedding: []float32{2, 0.1},
		HTML: "<p>Espresso first.</p><p>Tea second.</p>"})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Suggestion{}
	for _, s := range plan.Suggestions {
		got[s.TargetID] = s
	}
	if got["near"].Signals.Vector < 0.9 || !strings.Contains(fmt.Sprint(got["near"].Reasons), "embedding") {
		t.Fatalf("near: %+v", got["near"])
	}
	if len(plan.Skipped) != 1 || plan.Skipped[0].TargetID != "far" {
		t.Fatalf("far should lose on the cap: %+v", plan)
	}
}

func TestUpsertInbound(t *testing.T) {
	x := NewIndex(nil)
	pages := map[string]Page{}
	for i := range 30 {
		p := Page{ID: fmt.Sprintf("p%d", i), URL: fmt.Sprintf("/p/%d", i), Published: true,
			PrimaryKeyword: fmt.Sprintf("topic %d", i),
			HTML:           fmt.Sprintf("<p>Some text about topic %d.</p>", i)}
		if i%3 == 0 {
			p.HTML += "<p>Soon we cover sourdough starter care.</p>"
		}
		if i == 4 {
			p.HTML = "<h2>Sourdough starter</h2>" + p.HTML
		}
		if i%5 == 1 {
			// Both words, never side by side: the bigram filter keeps
			// these pages from being loaded.
			p.HTML += "<p>Starter kits and sourdough bread.</p>"
		}
		pages[p.ID] = p
		if err := x.Add(p); err != nil {
			t.Fatal(err)
		}
	}
	var loads atomic.Int64
	load := func(ctx context.Context, id string) (Page, error) {
		loads.Add(1)
		p, ok := pages[id]
		if !ok {
			return Page{}, igny8.NotFound("test", "page", id)
		}
		return p, nil
	}
	np := Page{ID: "new", URL: "/sourdough-starter", PrimaryKeyword: "sourdough starter", Published: true,
		HTML: "<p>Feed it daily, see topic 7.</p>"}
	up, err := x.Upsert(context.Background(), np, load)
	if err != nil {
		t.Fatal(err)
	}
	if len(up.Outbound.Suggestions) != 1 || up.Outbound.Suggestions[0].TargetID != "p7" {
		t.Fatalf("outbound: %+v", up.Outbound)
	}
	linked := 0
	for _, pl := range up.Inbound {
		for _, s := range pl.Suggestions {
			if s.TargetID != "new" || s.Anchor != "sourdough starter" {
				t.Fatalf("inbound suggestion %+v", s)
			}
			if _, err := ApplyPlan(pages[pl.SourceID].HTML, pl, ApplyOptions{Verify: true}); err != nil {
				t.Fatal(err)
			}
			linked++
		}
	}
	// Pages 0, 3, ..., 27 hold the phrase in linkable text; page 4 only in
	// a heading, so the inverted index does not even offer it, and pages
	// 1, 11, 16, 26 hold its words apart.
	if linked != 10 || loads.Load() != 10 {
		t.Fatalf("inbound links %d from %d loads, want 10 and 10", linked, loads.Load())
	}
	if _, err := x.Inbound(context.Background(), "missing", load); !errors.Is(err, igny8.ErrNotFound) {
		t.Fatalf("Inbound of unknown page: %v", err)
	}
	failing := func(ctx context.Context, id string) (Page, error) { return Page{}, errors.New("disk on fire") }
	if _, err := x.Inbound(context.Background(), "new", failing); err == nil || !strings.Contains(err.Error(), "disk on fire") {
		t.Fatalf("loader error not returned: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := x.Inbound(ctx, "new", load); !errors.Is(err, igny8.ErrUnavailable) {
		t.Fatalf("cancelled: %v", err)
	}
}

// TestAddOneToLargeIndex checks that adding a page costs work in the size
// of its own text and phrases, not the site: adding to a site ten times
// larger must not cost ten times more.
func TestAddScalesWithPageNotSite(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two sites")
	}
	build := func(n int) *Index {
		x := NewIndex(nil)
		for i := range n {
			html := fmt.Sprintf("<p>Page %d talks about widget %d and gadget %d in detail.</p>", i, i%50, i%70)
			if err := x.Add(Page{ID: fmt.Sprint(i), URL: fmt.Sprintf("/%d", i), PrimaryKeyword: fmt.Sprintf("widget %d", i), Published: true, HTML: html}); err != nil {
				t.Fatal(err)
			}
		}
		return x
	}
	cost := func(x *Index) float64 {
		r := testing.Benchmark(func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				p := Page{ID: "new", URL: "/new", PrimaryKeyword: "brand new", Published: true, HTML: "<p>About widget 3 and gadget 9.</p>"}
				if _, err := x.Suggest(context.Background(), p); err != nil {
					b.Fatal(err)
				}
				if err := x.Add(p); err != nil {
					b.Fatal(err)
				}
			}
		})
		return float64(r.NsPerOp())
	}
	small, large := cost(build(1000)), cost(build(10000))
	if large > 5*small {
		t.Fatalf("add+suggest: %.0f ns at 1,000 pages, %.0f ns at 10,000", small, large)
	}
}

// TestReweight checks that after Reweight the TF-IDF signal no longer
// depends on the order pages were added in.
func TestReweight(t *testing.T) {
	pages := []Page{
		{ID: "t", URL: "/t", PrimaryKeyword: "zebra stripes", Published: true, HTML: "<p>zebra stripes zebra savanna</p>"},
		{ID: "s", URL: "/s", HTML: "<p>The zebra stripes and the savanna grass.</p>"},
	}
	for i := range 30 {
		pages = append(pages, Page{ID: fmt.Sprint(i), URL: fmt.Sprintf("/%d", i), HTML: fmt.Sprintf("<p>savanna grass number %d</p>", i)})
	}
	tfidf := func(order []Page, reweight bool) float64 {
		t.Helper()
		x := NewIndex(nil)
		for _, p := range order {
			if err := x.Add(p); err != nil {
				t.Fatal(err)
			}
		}
		if reweight {
			x.Reweight()
		}
		plan, err := x.Suggest(context.Background(), pages[1])
		if err != nil || len(plan.Suggestions) != 1 {
			t.Fatalf("plan %+v, %v", plan, err)
		}
		return plan.Suggestions[0].Signals.TFIDF
	}
	reversed := slices.Clone(pages)
	slices.Reverse(reversed)
	if a, b := tfidf(pages, false), tfidf(reversed, false); math.Abs(a-b) < 1e-3 {
		t.Fatalf("without Reweight the order should show: %.4f and %.4f", a, b)
	}
	if a, b := tfidf(pages, true), tfidf(reversed, true); math.Abs(a-b) > 1e-6 {
		t.Fatalf("after Reweight: %.4f and %.4f, want equal", a, b)
	}
}

func TestTopTermsKeepsTheHeaviest(t *testing.T) {
	x := NewIndex(nil)
	if got := x.Options(); got.TopTerms != 32 || got.Rules.WordsPerLink != 250 || got.Rules.MaxLinksPerPage != 12 {
		t.Fatalf("defaults not filled: %+v", got)
	}
	var b strings.Builder
	b.WriteString("<p>")
	for i := range 40 {
		for range i + 1 {
			fmt.Fprintf(&b, "term%c%c ", 'a'+i/26, 'a'+i%26)
		}
	}
	b.WriteString("</p>")
	if err := x.Add(Page{ID: "p", URL: "/p", HTML: b.String()}); err != nil {
		t.Fatal(err)
	}
	vec := x.pages[x.byID["p"]].vec
	if len(vec) != 32 {
		t.Fatalf("vector has %d terms, want 32", len(vec))
	}
	var norm float64
	for i, tw := range vec {
		if tw.tf < 9 {
			t.Errorf("kept a term seen %d times; the 32 heaviest are seen 9..40 times", tw.tf)
		}
		if i > 0 && vec[i-1].term >= tw.term {
			t.Errorf("vector not sorted by term id")
		}
		norm += float64(tw.w) * float64(tw.w)
	}
	if math.Abs(norm-1) > 1e-5 {
		t.Errorf("vector norm² = %f, want 1", norm)
	}
}
