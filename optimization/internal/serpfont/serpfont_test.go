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

func TestTableSorted(t *testing.T) {
	for i := range widthRanges {
		r := widthRanges[i]
		if int(r.hi-r.lo+1) != len(r.w) {
			t.Errorf("range %U-%U has %d widths", r.lo, r.hi, len(r.w))
		}
		if i > 0 && widthRanges[i-1].hi >= r.lo {
			t.Errorf("range %U-%U overlaps or is out of order", r.lo, r.hi)
		}
	}
}
