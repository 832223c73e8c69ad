package optimization

import (
	"strings"
	"testing"
	"time"
)

// TestAdversarialShapesStayLinear feeds ~1 MB inputs of shapes that break
// naive parsers (deep nesting, stray end tags, punctuation runs, one
// giant word) and checks each finishes in about linear time.
func TestAdversarialShapesStayLinear(t *testing.T) {
	const n = 100000
	shapes := []struct {
		name string
		html string
	}{
		{"deep nesting", strings.Repeat("<div><p>", n/2) + "word." + strings.Repeat("</p></div>", n/2)},
		{"stray end tags", "<p>a" + strings.Repeat("</li></h2>", n)},
		{"unclosed list items", "<ul>" + strings.Repeat("<li>x y", n)},
		{"periods", strings.Repeat("a. ", n)},
		{"ellipses", strings.Repeat("... ", n)},
		{"abbreviations", strings.Repeat("Dr. ", n)},
		{"one giant word", strings.Repeat("ab", n*2)},
		{"dotted giant word", strings.Repeat("a.", n*2) + "a"},
		{"many images", strings.Repeat(`<img alt="garden garden">`, n/5)},
		{"many links", strings.Repeat(`<a href="https://www.example.com/x" rel="nofollow ugc">l</a>`, n/5)},
		{"many headings", strings.Repeat("<h2>garden</h2>", n/2)},
	}
	a := NewAnalyzer(Options{})
	limit := time.Second
	if raceEnabled {
		limit *= 10
	}
	for _, s := range shapes {
		t.Run(s.name, func(t *testing.T) {
			start := time.Now()
			r, err := a.Analyze(Input{HTML: s.html, Keyphrase: "garden", Title: "Garden"})
			if err != nil {
				t.Fatal(err)
			}
			if d := time.Since(start); d > limit {
				t.Errorf("%d bytes took %v (words %d)", len(s.html), d, r.Stats.Words)
			}
		})
	}
}
