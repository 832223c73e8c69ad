package planning

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// benchKeywords makes n keywords over n/15 topics that share head terms.
func benchKeywords(n int) []Keyword {
	rng := rand.New(rand.NewPCG(1, 2))
	heads := []string{"shoes", "coffee", "yoga", "laptop", "garden", "hosting", "mattress", "bike"}
	word := func() string {
		const letters = "abcdefghijklmnopqrstuvwxyz"
		b := make([]byte, 4+rng.IntN(5))
		for i := range b {
			b[i] = letters[rng.IntN(len(letters))]
		}
		return string(b)
	}
	topics := make([][]string, max(1, n/15))
	for i := range topics {
		topics[i] = []string{heads[rng.IntN(len(heads))], word(), word()}
	}
	mods := []string{"", "best", "buy", "how to", "cheap", "reviews"}
	out := make([]Keyword, 0, n)
	seen := map[string]bool{}
	for len(out) < n {
		tp := topics[rng.IntN(len(topics))]
		ws := append([]string(nil), tp[:2+rng.IntN(2)]...)
		rng.Shuffle(len(ws), func(a, b int) { ws[a], ws[b] = ws[b], ws[a] })
		text := strings.TrimSpace(mods[rng.IntN(len(mods))] + " " + strings.Join(ws, " "))
		if seen[text] {
			text = fmt.Sprintf("%s %d", text, rng.IntN(100))
			if seen[text] {
				continue
			}
		}
		seen[text] = true
		out = append(out, Keyword{ID: fmt.Sprintf("k%07d", len(out)), Text: text, Normalized: Normalize(text), Volume: int64(rng.IntN(10000))})
	}
	return out
}

func BenchmarkLexical10k(b *testing.B) {
	kws := benchKeywords(10000)
	l := NewLexical(LexicalOptions{})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := l.Cluster(context.Background(), ClusterRequest{Keywords: kws}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(kws))*float64(b.N)/b.Elapsed().Seconds(), "keywords/s")
}

func BenchmarkNormalize(b *testing.B) {
	inputs := []string{"Best Running Shoes for Flat Feet 2024", "ＲＵＮＮＩＮＧ　ｓｈｏｅｓ", "Straße zum Café — günstig"}
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range inputs {
			Normalize(s)
		}
	}
}

func BenchmarkAnalyze(b *testing.B) {
	a := newAnalyzer()
	var buf []string
	b.ReportAllocs()
	for b.Loop() {
		buf, _ = a.analyze("how to clean white running shoes at home", buf)
	}
}
