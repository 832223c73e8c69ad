package sitebuilding

import (
	"fmt"
	"testing"

	"github.com/igny8/sdk/ai"
	"github.com/igny8/sdk/internal/sanitize"
)

func benchStructure(pages int) ai.SiteStructureOutput {
	out := ai.SiteStructureOutput{}
	for i := range pages {
		slug := fmt.Sprintf("page-%d", i)
		if i == 0 {
			slug = "home"
		}
		out.Pages = append(out.Pages, ai.PageOutput{Slug: slug, Type: "custom", Title: fmt.Sprintf("Page %d", i), Description: "A page.",
			Blocks: []ai.Block{
				{Type: "hero", Fields: []ai.BlockField{{Name: "heading", Value: "Fresh bread"}, {Name: "button_label", Value: "Visit"}, {Name: "button_link", Value: "/page-1"}}},
				{Type: "features", Fields: []ai.BlockField{{Name: "items", Value: "Sourdough: three days\nPastry: butter\nCakes: to order"}}},
				{Type: "text", Fields: []ai.BlockField{{Name: "text", Value: "We bake every morning.\nSince 1982."}}},
				{Type: "faq", Fields: []ai.BlockField{{Name: "items", Value: "Open Sundays? Until noon.\nGluten free? Some loaves."}}},
				{Type: "cta", Fields: []ai.BlockField{{Name: "heading", Value: "Order"}, {Name: "button_label", Value: "Call"}}},
			}})
	}
	return out
}

// BenchmarkConvertStructure measures the validation and repair of a model's
// site structure (run on every structure answer, re-asks included).
func BenchmarkConvertStructure(b *testing.B) {
	for _, n := range []int{7, 50} {
		out := benchStructure(n)
		w := Wizard{SiteType: SiteLocalBusiness, Business: "B", Brief: "b", Contact: ContactInfo{Email: "a@b.example"}}
		b.Run(fmt.Sprintf("pages=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := convertStructure(w, out, sanitize.Sanitize); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkThemeTokens measures style → tokens with two contrast fixes.
func BenchmarkThemeTokens(b *testing.B) {
	s := Style{Palette: Palette{Primary: "#e0c080", Text: "#aaaaaa", Background: "#ffffff"}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ThemeTokens(SiteBlog, s); err != nil {
			b.Fatal(err)
		}
	}
}
