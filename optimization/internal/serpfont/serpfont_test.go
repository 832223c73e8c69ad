package serpfont

import (
	"math"
	"testing"
)

func TestTitleWidth(t *testing.T) {
	tests := []struct {
		name string
		s    string
		want float64
	}{
		{"empty", "", 0},
		// Arial's advance widths on its 2048-unit grid: a=1139, i=455, W=1933, space=569.
		{"a", "a", 1139 * 20.0 / 2048},
		{"iW i", "iW i", (455 + 1933 + 569 + 455) * 20.0 / 2048},
		{"latin-1", "é", 1139 * 20.0 / 2048},
		{"en dash", "–", 1139 * 20.0 / 2048},
		{"not tabulated", "中", fallbackWidth * 20.0 / 2048},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := TitleWidth(tt.s); math.Abs(got-tt.want) > 1e-9 {
				t.Errorf("TitleWidth(%q) = %v, want %v", tt.s, got, tt.want)
			}
		})
	}
}

func TestTableCoversLatin(t *testing.T) {
	for _, r := range "AZaz09 !~éßŁž–—‘’“”…€™" {
		if tableAdvance(r) == 0 {
			t.Errorf("no width for %q", r)
		}
	}
	for _, r := range []rune{0x1f, 0x7f, 0x180, 0x4e2d, -1} {
		if w := tableAdvance(r); w != 0 {
			t.Errorf("width %d for untabulated %U", w, r)
		}
	}
}
