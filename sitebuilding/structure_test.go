package sitebuilding_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/igny8/sdk/ai"
	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/sitebuilding"
)

func blk(typ string, kv ...string) ai.Block {
	b := ai.Block{Type: typ, Fields: []ai.BlockField{}}
	for i := 0; i+1 < len(kv); i += 2 {
		b.Fields = append(b.Fields, ai.BlockField{Name: kv[i], Value: kv[i+1]})
	}
	return b
}

func pg(slug, typ, title string, blocks ...ai.Block) ai.PageOutput {
	return ai.PageOutput{Slug: slug, Type: typ, Title: title, Description: title + " page.", Blocks: blocks}
}

func answer(t *testing.T, pages ...ai.PageOutput) string {
	t.Helper()
	raw, err := json.Marshal(ai.SiteStructureOutput{Pages: pages})
	must(t, err)
	return string(raw)
}

var goodSite = []ai.PageOutput{
	pg("home", "home", "Home", blk("hero", "heading", "Fresh bread", "button_label", "Visit", "button_link", "/contact"),
		blk("features", "items", "Sourdough: Three days of rising\nPastries: Butter from the region")),
	pg("about", "about", "About us", blk("hero", "heading", "Our story"), blk("text", "text", "Since 1982.")),
	pg("contact", "contact", "Contact", blk("contact", "heading", "Visit us")),
}

func TestStructureRepairs(t *testing.T) {
	tests := []struct {
		name    string
		answers func(t *testing.T) []string
		calls   int // model calls made
		check   func(t *testing.T, pages []sitebuilding.PageBlueprint, notes []string)
	}{
		{
			name: "unknown block type is re-asked",
			answers: func(t *testing.T) []string {
				bad := append([]ai.PageOutput(nil), goodSite...)
				bad[1] = pg("about", "about", "About us", blk("hero", "heading", "Our story"), blk("carousel", "items", "a\nb"))
				return []string{answer(t, bad...), answer(t, goodSite...)}
			},
			calls: 2,
			check: func(t *testing.T, pages []sitebuilding.PageBlueprint, _ []string) {
				if len(pages[1].Blocks) != 2 || pages[1].Blocks[1].Type != sitebuilding.BlockText {
					t.Errorf("about page: %+v", pages[1].Blocks)
				}
			},
		},
		{
			name: "duplicate slugs get -2",
			answers: func(t *testing.T) []string {
				s := append([]ai.PageOutput(nil), goodSite...)
				s = append(s, pg("about", "custom", "About the team", blk("hero", "heading", "The team")))
				return []string{answer(t, s...)}
			},
			calls: 1,
			check: func(t *testing.T, pages []sitebuilding.PageBlueprint, notes []string) {
				if len(pages) != 4 || pages[1].Slug != "about" || pages[3].Slug != "about-2" {
					t.Errorf("slugs: %s %s", pages[1].Slug, pages[3].Slug)
				}
				if !hasNote(notes, `slug "about" is taken`) {
					t.Errorf("no note of the repair: %q", notes)
				}
			},
		},
		{
			name: "reserved and messy slugs",
			answers: func(t *testing.T) []string {
				s := append([]ai.PageOutput(nil), goodSite...)
				s = append(s, pg("Feed", "custom", "Our Feed", blk("hero", "heading", "x")), pg("Über Uns!", "custom", "Über", blk("hero", "heading", "y")))
				return []string{answer(t, s...)}
			},
			calls: 1,
			check: func(t *testing.T, pages []sitebuilding.PageBlueprint, _ []string) {
				if pages[3].Slug != "feed-2" || pages[4].Slug != "uber-uns" {
					t.Errorf("slugs %q %q", pages[3].Slug, pages[4].Slug)
				}
			},
		},
		{
			name: "missing heading filled from the page title",
			answers: func(t *testing.T) []string {
				s := append([]ai.PageOutput(nil), goodSite...)
				s[1] = pg("about", "about", "About us", blk("hero", "subheading", "Since 1982"), blk("cta", "button_label", "Call"))
				return []string{answer(t, s...)}
			},
			calls: 1,
			check: func(t *testing.T, pages []sitebuilding.PageBlueprint, notes []string) {
				h := pages[1].Blocks[0].Data.(*sitebuilding.Hero)
				c := pages[1].Blocks[1].Data.(*sitebuilding.CTA)
				if h.Heading != "About us" || c.Heading != "About us" || c.Button.URL != "/contact/" {
					t.Errorf("hero %q, cta %q → %q", h.Heading, c.Heading, c.Button.URL)
				}
				if !hasNote(notes, "had no heading") {
					t.Errorf("no note: %q", notes)
				}
			},
		},
		{
			name: "block without content dropped, links repaired",
			answers: func(t *testing.T) []string {
				s := append([]ai.PageOutput(nil), goodSite...)
				s[1] = pg("about", "about", "About us", blk("hero", "heading", "Our story", "button_label", "Shop", "button_link", "/shop"),
					blk("faq", "heading", "Questions"), blk("text", "text", "Since 1982."), blk("cta", "heading", "Hi", "button_label", "x", "button_link", "javascript:alert(1)"))
				return []string{answer(t, s...)}
			},
			calls: 1,
			check: func(t *testing.T, pages []sitebuilding.PageBlueprint, notes []string) {
				bl := pages[1].Blocks
				if len(bl) != 3 || bl[1].Type != sitebuilding.BlockText {
					t.Fatalf("blocks: %+v", bl)
				}
				if u := bl[0].Data.(*sitebuilding.Hero).Button.URL; u != "/contact/" {
					t.Errorf("dead link now %q", u)
				}
				if u := bl[2].Data.(*sitebuilding.CTA).Button.URL; u != "/contact/" {
					t.Errorf("javascript link now %q", u)
				}
				if !hasNote(notes, "dropped the faq block") {
					t.Errorf("notes: %q", notes)
				}
			},
		},
		{
			name:    "contact details from the wizard",
			answers: func(t *testing.T) []string { return []string{answer(t, goodSite...)} },
			calls:   1,
			check: func(t *testing.T, pages []sitebuilding.PageBlueprint, _ []string) {
				c := pages[2].Blocks[0].Data.(*sitebuilding.Contact)
				if c.Email != "hello@crumb.example" || c.Phone == "" {
					t.Errorf("contact: %+v", c)
				}
			},
		},
		{
			name: "no home page: the first page is home",
			answers: func(t *testing.T) []string {
				s := append([]ai.PageOutput(nil), goodSite[1:]...)
				return []string{answer(t, s...)}
			},
			calls: 1,
			check: func(t *testing.T, pages []sitebuilding.PageBlueprint, _ []string) {
				if pages[0].Slug != "home" || pages[0].Type != sitebuilding.PageHome {
					t.Errorf("first page %q %q", pages[0].Slug, pages[0].Type)
				}
			},
		},
		{
			name: "mostly unusable blocks are re-asked",
			answers: func(t *testing.T) []string {
				bad := []ai.PageOutput{pg("home", "home", "Home", blk("hero", "heading", "Hi"), blk("features"), blk("faq"), blk("gallery"))}
				return []string{answer(t, bad...), answer(t, goodSite...)}
			},
			calls: 2,
			check: func(t *testing.T, pages []sitebuilding.PageBlueprint, _ []string) {
				if len(pages) != 3 {
					t.Errorf("%d pages", len(pages))
				}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			llm := &scripted{answers: tc.answers(t)}
			e := newEnv(t, llm, nil)
			ctx := context.Background()
			bp, err := e.builder.Create(ctx, e.scope, bakery())
			must(t, err)
			res, err := e.builder.GenerateStructure(ctx, e.scope, bp.ID)
			must(t, err)
			if llm.count() != tc.calls {
				t.Errorf("model called %d times, want %d", llm.count(), tc.calls)
			}
			_, stored, err := e.builder.Get(ctx, e.scope, bp.ID)
			must(t, err)
			if err := sitebuilding.ValidatePages(stored); err != nil {
				t.Fatalf("stored pages invalid: %v", err)
			}
			tc.check(t, stored, res.Notes)
			got, _, _ := e.builder.Get(ctx, e.scope, bp.ID)
			if strings.Join(got.Notes, "|") != strings.Join(res.Notes, "|") {
				t.Errorf("notes not stored: %q", got.Notes)
			}
		})
	}
}

func hasNote(notes []string, part string) bool {
	for _, n := range notes {
		if strings.Contains(n, part) {
			return true
		}
	}
	return false
}

// TestStructureNeverStoresInvalid: a model that keeps answering unusable
// structures fails the step; the earlier pages, the status and the daily
// generation count are as before.
func TestStructureNeverStoresInvalid(t *testing.T) {
	tests := []struct {
		name string
		bad  func(t *testing.T) string
	}{
		{"unknown block type", func(t *testing.T) string {
			return answer(t, pg("home", "home", "Home", blk("carousel", "heading", "x")))
		}},
		{"page without usable block", func(t *testing.T) string {
			return answer(t, pg("home", "home", "Home", blk("hero", "heading", "x")), pg("about", "about", "About", blk("features"), blk("faq")))
		}},
		{"not JSON", func(t *testing.T) string { return "Sure! Here is your site: home, about." }},
		{"too many pages", func(t *testing.T) string {
			var ps []ai.PageOutput
			for i := range 7 {
				ps = append(ps, pg("p"+string(rune('a'+i)), "custom", "P", blk("hero", "heading", "x")))
			}
			return answer(t, ps...)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			llm := &scripted{answers: []string{answer(t, goodSite...)}}
			e := newEnv(t, llm, map[igny8.Limit]int64{igny8.LimitDailySiteGenerations: 5})
			ctx := context.Background()
			bp, err := e.builder.Create(ctx, e.scope, bakery())
			must(t, err)
			_, err = e.builder.GenerateStructure(ctx, e.scope, bp.ID)
			must(t, err)
			_, before, _ := e.builder.Get(ctx, e.scope, bp.ID)
			llm.answers = []string{tc.bad(t)}
			calls := llm.count()
			_, err = e.builder.GenerateStructure(ctx, e.scope, bp.ID)
			if err == nil {
				t.Fatal("an unusable structure was accepted")
			}
			if llm.count()-calls < 2 {
				t.Errorf("not re-asked: %d calls", llm.count()-calls)
			}
			got, after, _ := e.builder.Get(ctx, e.scope, bp.ID)
			if len(after) != len(before) || after[0].ID != before[0].ID {
				t.Errorf("pages changed by a failed run")
			}
			if got.Status != sitebuilding.StatusReady {
				t.Errorf("status after a failed run: %s", got.Status)
			}
			if n := e.usage(t, e.scope, igny8.LimitDailySiteGenerations); n != 1 {
				t.Errorf("daily site generations used %d, want 1 (the failed run released)", n)
			}
		})
	}
}
