package sitebuilding_test

import (
	"math"
	"testing"

	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/sitebuilding"
)

func hex(t *testing.T, s string) sitebuilding.RGB {
	t.Helper()
	c, err := sitebuilding.ParseHex(s)
	must(t, err)
	return c
}

func TestContrast(t *testing.T) {
	tests := []struct {
		name   string
		a, b   string
		want   float64
		within float64
	}{
		{"black on white", "#000000", "#ffffff", 21, 1e-9},
		{"same colour", "#336699", "#336699", 1, 1e-9},
		{"order does not matter", "#ffffff", "#000", 21, 1e-9},
		{"grey 777 on white just misses AA", "#777777", "#ffffff", 4.478, 0.001},
		{"grey 767676 on white passes AA", "#767676", "#ffffff", 4.542, 0.001},
		{"WCAG example red on white", "#ff0000", "#ffffff", 3.998, 0.001},
		{"blue on white", "#0000ff", "#ffffff", 8.592, 0.001},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := sitebuilding.Contrast(hex(t, tc.a), hex(t, tc.b)); math.Abs(got-tc.want) > tc.within {
				t.Errorf("Contrast(%s, %s) = %.4f, want %.4f", tc.a, tc.b, got, tc.want)
			}
		})
	}
}

func TestEnsureContrast(t *testing.T) {
	tests := []struct {
		name    string
		fg, bg  string
		darker  bool // the fix darkens (light background) or lightens
		changed bool
	}{
		{"passing colour kept", "#1d1d1f", "#ffffff", true, false},
		{"light grey on white darkened", "#aaaaaa", "#ffffff", true, true},
		{"sand primary on white darkened", "#e0c080", "#ffffff", true, true},
		{"dark blue on black lightened", "#000080", "#000000", false, true},
		{"mid grey goes toward black, which has more room", "#808080", "#7f7f7f", true, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fg, bg := hex(t, tc.fg), hex(t, tc.bg)
			got := sitebuilding.EnsureContrast(fg, bg, sitebuilding.MinContrast)
			if c := sitebuilding.Contrast(got, bg); c < sitebuilding.MinContrast {
				t.Fatalf("%s on %s → %s has contrast %.3f", tc.fg, tc.bg, got.Hex(), c)
			}
			if (got != fg) != tc.changed {
				t.Errorf("changed = %v (%s → %s), want %v", got != fg, tc.fg, got.Hex(), tc.changed)
			}
			if tc.changed && (got.Luminance() < fg.Luminance()) != tc.darker {
				t.Errorf("%s → %s: darker = %v, want %v", tc.fg, got.Hex(), got.Luminance() < fg.Luminance(), tc.darker)
			}
			// Least change: one step less would miss the target.
			if tc.changed && sitebuilding.Contrast(got, bg) > sitebuilding.MinContrast+0.15 {
				t.Errorf("%s → %s overshoots: %.3f", tc.fg, got.Hex(), sitebuilding.Contrast(got, bg))
			}
		})
	}
}

func TestThemeTokens(t *testing.T) {
	tests := []struct {
		name  string
		typ   sitebuilding.SiteType
		style sitebuilding.Style
		check func(t *testing.T, tok map[string]string)
		field string // InvalidArgument on this field
	}{
		{name: "defaults", typ: sitebuilding.SiteSaaS, check: func(t *testing.T, tok map[string]string) {
			for _, k := range []string{"color-primary", "color-text", "color-background", "color-muted", "font-body", "font-heading", "space"} {
				if tok[k] == "" {
					t.Errorf("no %s", k)
				}
			}
		}},
		{name: "low contrast corrected", typ: sitebuilding.SiteBlog, style: sitebuilding.Style{Palette: sitebuilding.Palette{Text: "#cccccc", Primary: "#ffee00", Background: "#ffffff"}},
			check: func(t *testing.T, tok map[string]string) {
				bg := hex(t, tok["color-background"])
				for _, k := range []string{"color-text", "color-primary", "color-muted"} {
					if c := sitebuilding.Contrast(hex(t, tok[k]), bg); c < sitebuilding.MinContrast {
						t.Errorf("%s %s on %s: %.2f", k, tok[k], tok["color-background"], c)
					}
				}
			}},
		{name: "dark theme", typ: sitebuilding.SitePortfolio, style: sitebuilding.Style{Palette: sitebuilding.Palette{Text: "#444444", Background: "#101010"}, Spacing: "airy"},
			check: func(t *testing.T, tok map[string]string) {
				if c := sitebuilding.Contrast(hex(t, tok["color-text"]), hex(t, "#101010")); c < sitebuilding.MinContrast {
					t.Errorf("text contrast %.2f", c)
				}
				if tok["space"] != "1.5rem" {
					t.Errorf("space %q", tok["space"])
				}
			}},
		{name: "font names without quotes", typ: sitebuilding.SiteLocalBusiness, style: sitebuilding.Style{Typography: sitebuilding.Typography{Heading: "Playfair Display", Body: "mono"}},
			check: func(t *testing.T, tok map[string]string) {
				if tok["font-heading"][:16] != "Playfair Display" || tok["font-body"][:11] != "ui-monospac" {
					t.Errorf("fonts %q / %q", tok["font-heading"], tok["font-body"])
				}
			}},
		{name: "bad colour", typ: sitebuilding.SiteBlog, style: sitebuilding.Style{Palette: sitebuilding.Palette{Accent: "red"}}, field: "style.palette.accent"},
		{name: "css injection in font", typ: sitebuilding.SiteBlog, style: sitebuilding.Style{Typography: sitebuilding.Typography{Body: "x;} body{display:none"}}, field: "style.typography.body"},
		{name: "bad spacing", typ: sitebuilding.SiteBlog, style: sitebuilding.Style{Spacing: "huge"}, field: "style.spacing"},
		{name: "bad scale", typ: sitebuilding.SiteBlog, style: sitebuilding.Style{Typography: sitebuilding.Typography{Scale: 40}}, field: "style.typography.scale"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tok, err := sitebuilding.ThemeTokens(tc.typ, tc.style)
			if tc.field != "" {
				e, ok := err.(*igny8.Error)
				if !ok || e.Code != igny8.CodeInvalidArgument || e.Field != tc.field {
					t.Fatalf("got %v, want InvalidArgument on %s", err, tc.field)
				}
				return
			}
			must(t, err)
			tc.check(t, tok)
		})
	}
}
