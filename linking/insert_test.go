package linking

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/igny8/sdk/igny8"
)

func TestApplyRefuses(t *testing.T) {
	src := `<h2>seo tools</h2><p>Use seo tools &amp; more, daily.</p>`
	body := strings.Index(src, "Use seo") + 4
	tests := []struct {
		name string
		sug  Suggestion
		want string
	}{
		{"stale anchor", Suggestion{TargetURL: "/t", Anchor: "seo toolz", Start: body, End: body + 9}, "is not at"},
		{"in a heading", Suggestion{TargetURL: "/t", Anchor: "seo tools", Start: 4, End: 13}, "in markup"},
		{"mid word", Suggestion{TargetURL: "/t", Anchor: "eo tools", Start: body + 1, End: body + 9}, "not the start of a word"},
		{"across punctuation", Suggestion{TargetURL: "/t", Anchor: "tools &amp; more", Start: body + 4, End: body + 20}, "does not end at a word"},
		{"outside the document", Suggestion{TargetURL: "/t", Anchor: "x", Start: len(src), End: len(src) + 1}, "outside the document"},
		{"no target", Suggestion{Anchor: "seo tools", Start: body, End: body + 9}, "target_url"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Apply(src, []Suggestion{tc.sug}, ApplyOptions{})
			if !errors.Is(err, igny8.ErrInvalidArgument) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want InvalidArgument containing %q", err, tc.want)
			}
		})
	}
	t.Run("overlap", func(t *testing.T) {
		s1 := Suggestion{TargetURL: "/a", Anchor: "seo tools", Start: body, End: body + 9}
		s2 := Suggestion{TargetURL: "/b", Anchor: "tools", Start: body + 4, End: body + 9}
		if _, err := Apply(src, []Suggestion{s1, s2}, ApplyOptions{}); !errors.Is(err, igny8.ErrInvalidArgument) {
			t.Fatalf("err = %v, want InvalidArgument", err)
		}
	})
}

func TestApplyAndRemove(t *testing.T) {
	src := "<p>Use seo tools\r\nand keyword research.</p><p>Then link building.</p>"
	sug := func(anchor, url string) Suggestion {
		i := strings.Index(src, anchor)
		return Suggestion{SourceID: "s", TargetID: url, TargetURL: url, Anchor: anchor, Start: i, End: i + len(anchor), Type: LinkContextual}
	}
	clock := igny8.NewManualClock(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	res, err := Apply(src, []Suggestion{sug("link building", "/lb"), sug("seo tools", `/a?x=1&y="2"`)}, ApplyOptions{IDs: &seqIDs{}, Clock: clock, Verify: true})
	if err != nil {
		t.Fatal(err)
	}
	want := `<p>Use <a href="/a?x=1&amp;y=&#34;2&#34;" data-igny8-link="l1">seo tools</a>` + "\r\n" +
		`and keyword research.</p><p>Then <a href="/lb" data-igny8-link="l2">link building</a>.</p>`
	if res.HTML != want {
		t.Fatalf("HTML =\n%s\nwant\n%s", res.HTML, want)
	}
	if len(res.Links) != 2 || res.Links[0].ID != "l1" || !strings.HasPrefix(res.HTML[res.Links[1].Offset:], `<a href="/lb"`) ||
		!res.Links[0].CreatedAt.Equal(clock.Now()) {
		t.Fatalf("links = %+v", res.Links)
	}
	one, err := Remove(res.HTML, "l2")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(one, "l2") || !strings.Contains(one, "l1") {
		t.Fatalf("Remove(l2) = %s", one)
	}
	back, err := Remove(one, "l1")
	if err != nil || back != src {
		t.Fatalf("Remove(l1) = %q, %v; want the original", back, err)
	}
	if _, err := Remove(back, "l1"); !errors.Is(err, igny8.ErrNotFound) {
		t.Fatalf("Remove of a removed link: %v, want NotFound", err)
	}
	if _, err := Remove(back, ""); !errors.Is(err, igny8.ErrInvalidArgument) {
		t.Fatalf("Remove without id: %v, want InvalidArgument", err)
	}
}

func TestApplyPlanReusesOnlyTheSameHTML(t *testing.T) {
	x := site(t, nil)
	p := Page{ID: "src", URL: "/src", HTML: "<p>Use seo tools.</p>"}
	plan, err := x.Suggest(t.Context(), p)
	if err != nil || len(plan.Suggestions) != 1 {
		t.Fatalf("plan %+v, %v", plan, err)
	}
	if _, err := ApplyPlan(p.HTML, plan, ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	// A changed document is analysed afresh and the stale plan refused.
	if _, err := ApplyPlan("<h1>Use seo tools.</h1>", plan, ApplyOptions{}); !errors.Is(err, igny8.ErrInvalidArgument) {
		t.Fatalf("stale plan on changed HTML: %v, want InvalidArgument", err)
	}
}

func TestVerifyInsertionCatchesChanges(t *testing.T) {
	tests := []struct{ name, before, after string }{
		{"text changed", "<p>a b</p>", "<p>a c</p>"},
		{"unmarked link", "<p>a b</p>", `<p>a <a href="/x">b</a></p>`},
		{"marked link in a heading is fine but tree moved", "<p>a b</p>", `<p>a</p><p><a data-igny8-link="1">b</a></p>`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := VerifyInsertion(tc.before, tc.after); err == nil {
				t.Fatal("want an error")
			}
		})
	}
	if err := VerifyInsertion("<p>a b</p>", `<p>a <a href="/x" data-igny8-link="1">b</a></p>`); err != nil {
		t.Fatalf("a marked link alone: %v", err)
	}
}

func TestAnalyzeCoversTheDocument(t *testing.T) {
	for _, src := range seedHTML() {
		d := analyze([]byte(src))
		prev := int32(-1)
		for _, w := range d.words {
			if w.start < prev || w.end <= w.start || int(w.end) > len(src) {
				t.Fatalf("%q: bad word span %d..%d", src, w.start, w.end)
			}
			prev = w.end
		}
	}
}

func BenchmarkAnalyze(b *testing.B) {
	src := []byte(strings.Repeat("<p>Use seo tools and <em>keyword</em> research. See <a href=\"/x\">this</a>.</p>\n<h2>Heading here</h2>", 100))
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		analyze(src)
	}
}
