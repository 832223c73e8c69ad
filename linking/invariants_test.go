package linking

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// randomSite builds a clustered site whose pages mention each other's
// keywords in prose, headings, code, links, lists and tables.
func randomSite(seed uint64, n int) []Page {
	r := rand.New(rand.NewPCG(seed, 7))
	filler := strings.Fields("the a of and to in is it for on with as at by from this that be are was were")
	topics := []string{"coffee grinder", "pour over", "cold brew", "espresso machine", "milk frother", "french press", "water kettle", "bean storage"}
	kw := func(i int) string {
		return fmt.Sprintf("%s %s", topics[i%len(topics)], []string{"guide", "tips", "basics", "review", "setup"}[i/len(topics)%5])
	}
	pages := make([]Page, n)
	for i := range n {
		var b strings.Builder
		b.WriteString("<h1>" + kw(i) + "</h1>")
		for range 50 + r.IntN(10) {
			switch r.IntN(7) {
			case 0:
				fmt.Fprintf(&b, "<h2>About %s</h2>", kw(r.IntN(n)))
			case 1:
				fmt.Fprintf(&b, "<pre><code>%s</code></pre>", kw(r.IntN(n)))
			case 2:
				fmt.Fprintf(&b, "<ul><li>%s first.</li><li>Then %s.</li></ul>", kw(r.IntN(n)), kw(r.IntN(n)))
			case 3:
				fmt.Fprintf(&b, "<table><tr><td>%s</td></tr></table>", kw(r.IntN(n)))
			default:
				b.WriteString("<p>")
				for range 2 + r.IntN(4) {
					for range 3 + r.IntN(8) {
						b.WriteString(filler[r.IntN(len(filler))] + " ")
					}
					switch r.IntN(40) {
					case 0:
						fmt.Fprintf(&b, `<a href="/p/%d">%s</a> `, r.IntN(n), kw(r.IntN(n)))
					case 1, 2, 3, 4:
						b.WriteString(kw(r.IntN(n)) + " ")
					case 5:
						fmt.Fprintf(&b, "<em>%s</em> ", kw(r.IntN(n)))
					}
					b.WriteString("end. ")
				}
				b.WriteString("</p>")
			}
		}
		pages[i] = Page{ID: fmt.Sprint("p", i), URL: fmt.Sprintf("/p/%d", i), HTML: b.String(), PrimaryKeyword: kw(i),
			SecondaryKeywords: []string{topics[i%len(topics)]}, ClusterID: fmt.Sprint(i % len(topics)), IsPillar: i < len(topics),
			Published: r.IntN(8) != 0}
	}
	return pages
}

// TestPlansKeepTheRules checks every plan of random sites against the
// rules, independently of how the planner enforces them.
func TestPlansKeepTheRules(t *testing.T) {
	for seed := range uint64(4) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			pages := randomSite(seed, 120)
			x := NewIndex(nil)
			byID := map[string]Page{}
			for _, p := range pages {
				byID[p.ID] = p
				if err := x.Add(p); err != nil {
					t.Fatal(err)
				}
			}
			x.Reweight()
			total := 0
			for _, p := range pages {
				plan, err := x.Suggest(context.Background(), p)
				if err != nil {
					t.Fatal(err)
				}
				d := analyze([]byte(p.HTML))
				existing := 0
				linkedURL := map[string]bool{}
				for _, h := range d.hrefs {
					if _, ok := x.byURL[normalizeURL(h)]; ok {
						existing++
						linkedURL[normalizeURL(h)] = true
					}
				}
				if len(plan.Suggestions)+existing > plan.Cap && len(plan.Suggestions) > 0 {
					t.Errorf("%s: %d suggestions + %d existing links over cap %d", p.ID, len(plan.Suggestions), existing, plan.Cap)
				}
				targets := map[string]bool{}
				sents := map[int32]bool{}
				for _, s := range plan.Suggestions {
					tp := byID[s.TargetID]
					switch {
					case s.TargetID == p.ID:
						t.Errorf("%s: self link", p.ID)
					case !tp.Published:
						t.Errorf("%s: link to unpublished %s", p.ID, s.TargetID)
					case targets[s.TargetID]:
						t.Errorf("%s: two links to %s", p.ID, s.TargetID)
					case linkedURL[normalizeURL(tp.URL)]:
						t.Errorf("%s: already links to %s", p.ID, s.TargetID)
					case p.HTML[s.Start:s.End] != s.Anchor:
						t.Errorf("%s: anchor %q not at its offsets", p.ID, s.Anchor)
					}
					targets[s.TargetID] = true
					w := d.words[s.Word]
					if w.ctx != ctxOK || int(w.start) != s.Start {
						t.Errorf("%s: anchor %q at word %d in context %d", p.ID, s.Anchor, s.Word, w.ctx)
					}
					if sents[w.sent] || d.sentenceHasLink(w.sent) {
						t.Errorf("%s: anchor %q in a sentence with another link", p.ID, s.Anchor)
					}
					sents[w.sent] = true
				}
				res, err := ApplyPlan(p.HTML, plan, ApplyOptions{Verify: true})
				if err != nil {
					t.Fatalf("%s: %v", p.ID, err)
				}
				if back, n := RemoveAll(res.HTML); back != p.HTML || n != len(plan.Suggestions) {
					t.Fatalf("%s: removal did not restore the page", p.ID)
				}
				x.Commit(plan.Suggestions)
				total += len(plan.Suggestions)
			}
			if total < len(pages)/2 {
				t.Fatalf("only %d links over %d pages: the site should link", total, len(pages))
			}
		})
	}
}
