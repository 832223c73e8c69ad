package optimization

import (
	"fmt"
	"strings"
	"testing"
)

// gen writes test documents whose readability features are exact: every
// sentence starts with a different name (so no run of equal openings), and
// filler words hold no transition word, passive or keyphrase.
type gen struct{ n int }

var starters = strings.Fields("Alice Bob Carol Dave Erin Frank Grace Heidi Ivan Judy Karl Liam Mallory Nina Oscar Peggy Quinn Rupert Sybil Trent Uma Victor Walter Xena Yuri Zoe")

var fillers = strings.Fields("paints green hills near quiet farms with warm bread under bright skies beside tall trees")

// sentence returns a sentence of n words: a starter, the words of special,
// then fillers.
func (g *gen) sentence(n int, special string) string {
	words := []string{starters[g.n%len(starters)]}
	g.n++
	words = append(words, strings.Fields(special)...)
	for i := 0; len(words) < n; i++ {
		words = append(words, fillers[i%len(fillers)])
	}
	if len(words) > n {
		panic(fmt.Sprintf("sentence of %d words cannot hold %q", n, special))
	}
	return strings.Join(words, " ") + "."
}

// sentences returns k sentences of n words, the first special of them
// holding special.
func (g *gen) sentences(k, n int, special string, specials int) []string {
	out := make([]string, k)
	for i := range out {
		s := ""
		if i < specials {
			s = special
		}
		out[i] = g.sentence(n, s)
	}
	return out
}

// paras wraps sentences in paragraphs of at most per sentences each.
func paras(sentences []string, per int) string {
	var b strings.Builder
	for i := 0; i < len(sentences); i += per {
		b.WriteString("<p>")
		b.WriteString(strings.Join(sentences[i:min(i+per, len(sentences))], " "))
		b.WriteString("</p>\n")
	}
	return b.String()
}

// text returns paragraphs of exactly n words (sentences of up to 10).
func (g *gen) text(n int) string {
	var ss []string
	for n > 0 {
		k := min(n, 10)
		ss = append(ss, g.sentence(k, ""))
		n -= k
	}
	return paras(ss, 5)
}

func analyze(t *testing.T, in Input) Result {
	t.Helper()
	r, err := NewAnalyzer(Options{}).Analyze(in)
	if err != nil {
		t.Fatalf("Analyze: %v", err)
	}
	return r
}

type checkCase struct {
	name string
	in   Input
	want Status // "" means the check must not run
}

func runCheckCases(t *testing.T, id CheckID, cases []checkCase) {
	t.Helper()
	a := NewAnalyzer(Options{})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, err := a.Analyze(tc.in)
			if err != nil {
				t.Fatalf("Analyze: %v", err)
			}
			c, ok := r.Check(id)
			switch {
			case tc.want == "" && ok:
				t.Fatalf("check %s ran: %+v", id, c)
			case tc.want == "":
			case !ok:
				t.Fatalf("check %s did not run", id)
			case c.Status != tc.want:
				t.Errorf("check %s = %s (value %v, %q), want %s", id, c.Status, c.Value, c.Message, tc.want)
			}
			if ok && (c.Message == "" || c.Score != c.Status.Score()) {
				t.Errorf("check %s: message %q, score %d for %s", id, c.Message, c.Score, c.Status)
			}
		})
	}
}
