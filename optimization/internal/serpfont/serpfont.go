// Package serpfont measures how wide a text renders in a search result
// title: Arial at 20 px, from advance widths of the metric-compatible
// Liberation Sans tabulated at generation time.
package serpfont

//go:generate go run ../fontgen -font /usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf -out widths_table.go

// TitlePixels is the font size, in pixels, of a Google result title.
const TitlePixels = 20

// advance returns r's advance in font units.
func advance(r rune) int {
	if w := tableAdvance(r); w != 0 {
		return w
	}
	return fallbackWidth
}

// Width returns the width of s in pixels when rendered at size px, without
// kerning.
func Width(s string, px float64) float64 {
	units := 0
	for _, r := range s {
		units += advance(r)
	}
	return float64(units) * px / unitsPerEm
}

// TitleWidth returns the width of s in pixels as a Google result title.
func TitleWidth(s string) float64 { return Width(s, TitlePixels) }
