package sitebuilding

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/igny8/sdk/ai"
	"github.com/igny8/sdk/internal/sanitize"
)

// FuzzConvertStructure feeds model output (outside input) to the
// structure conversion: whatever it accepts is a valid site; whatever it
// refuses is refused as an output error, so the model is asked again.
func FuzzConvertStructure(f *testing.F) {
	f.Add(`{"pages":[{"slug":"home","type":"home","title":"Home","description":"","blocks":[{"type":"hero","fields":[{"name":"heading","value":"Hi"}]}]}]}`)
	f.Add(`{"pages":[{"slug":"about","type":"about","title":"About","description":"","blocks":[{"type":"features","fields":[{"name":"items","value":"a: b\nc"}]},{"type":"cta","fields":[{"name":"button_link","value":"//evil"}]}]},{"slug":"about","type":"custom","title":"","description":"","blocks":[{"type":"faq","fields":[{"name":"items","value":"Q? A"}]}]}]}`)
	f.Add(`{"pages":[{"slug":"Feed","type":"contact","title":"Ü","description":"","blocks":[{"type":"contact","fields":[{"name":"email","value":"x"}]},{"type":"pricing","fields":[{"name":"items","value":"Basic: 5€: a, b"}]},{"type":"testimonials","fields":[{"name":"items","value":"Great — Ann"}]},{"type":"gallery","fields":[{"name":"items","value":"oven\nflour"}]}]}]}`)
	w := Wizard{SiteType: SiteLocalBusiness, Business: "B", Brief: "b", Contact: ContactInfo{Phone: "1"}}
	f.Fuzz(func(t *testing.T, raw string) {
		var out ai.SiteStructureOutput
		if json.Unmarshal([]byte(raw), &out) != nil || len(out.Pages) > 50 {
			return
		}
		pages, _, err := convertStructure(w, out, sanitize.Sanitize)
		if err != nil {
			var oe *ai.OutputError
			if !errors.As(err, &oe) {
				t.Fatalf("refusal is not an output error: %v", err)
			}
			return
		}
		if err := ValidatePages(pages); err != nil {
			t.Fatalf("accepted pages are invalid: %v", err)
		}
		if len(pages) == 0 || pages[0].Slug != HomeSlug {
			t.Fatalf("no home page first: %d pages", len(pages))
		}
		raw2, err := json.Marshal(pages[0].Blocks)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ParseBlocks(raw2); err != nil {
			t.Fatalf("stored blocks do not parse back: %v", err)
		}
	})
}

func FuzzParseHex(f *testing.F) {
	for _, s := range []string{"#fff", "#000000", "#12345g", "", "#", "123456", "#ffffffff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseHex(s)
		if err != nil {
			return
		}
		back, err := ParseHex(c.Hex())
		if err != nil || back != c {
			t.Fatalf("%q → %s → %v, %v", s, c.Hex(), back, err)
		}
		if fg := EnsureContrast(c, RGB{255, 255, 255}, MinContrast); Contrast(fg, RGB{255, 255, 255}) < MinContrast {
			t.Fatalf("EnsureContrast(%s) on white = %s", c.Hex(), fg.Hex())
		}
	})
}
