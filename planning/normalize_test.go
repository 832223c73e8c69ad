package planning

import (
	"testing"
	"unicode/utf8"
)

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Running Shoes", "running shoes"},
		{"  running   shoes  ", "running shoes"},
		{"running-shoes!", "running shoes"},
		{"women's shoes", "womens shoes"},
		{"women’s shoes", "womens shoes"},
		{"ＲＵＮＮＩＮＧ　ｓｈｏｅｓ", "running shoes"},
		{"Straße", "strasse"},
		{"STRASSE", "strasse"},
		{"Crème Brûlée", "crème brûlée"},
		{"Cre\u0300me", "crème"},
		{"c++ tutorial", "c tutorial"},
		{"ランニングシューズ", "ランニングシューズ"},
		{"नमस्ते दुनिया", "नमस्ते दुनिया"},
		{"ΣΊΣΥΦΟΣ", "σίσυφοσ"},
		{"!!!", ""},
		{"", ""},
		{"tab\tand\nnewline", "tab and newline"},
		{"\xff bad", "bad"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := Normalize(tc.in); got != tc.want {
				t.Errorf("Normalize(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestParseIntent(t *testing.T) {
	tests := []struct {
		in   string
		want Intent
		ok   bool
	}{
		{"Commercial", IntentCommercial, true}, {"c", IntentCommercial, true}, {"I", IntentInformational, true},
		{"Commercial, Transactional", IntentCommercial, true}, {"navigational", IntentNavigational, true},
		{"T", IntentTransactional, true}, {"", IntentUnknown, true}, {"curious", IntentUnknown, false},
	}
	for _, tc := range tests {
		got, ok := ParseIntent(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ParseIntent(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestSummarize(t *testing.T) {
	var c Cluster
	c.Summarize([]Keyword{
		{ID: "a", Text: "x y", Normalized: "x y", Volume: 10, Difficulty: 40},
		{ID: "b", Text: "x", Normalized: "x", Volume: 10, Difficulty: DifficultyUnknown},
		{ID: "c", Text: "z", Normalized: "z", Volume: 5, Difficulty: 21},
	})
	if c.KeywordCount != 3 || c.TotalVolume != 25 || c.MeanDifficulty != 30.5 || c.PillarKeywordID != "b" {
		t.Errorf("summary = %+v (pillar: highest volume, then shorter text)", c)
	}
	c.Summarize(nil)
	if c.KeywordCount != 0 || c.MeanDifficulty != DifficultyUnknown || c.PillarKeywordID != "" {
		t.Errorf("empty summary = %+v", c)
	}
}

// FuzzNormalize checks that Normalize is idempotent, never returns invalid
// UTF-8, and never leaves leading, trailing or double spaces.
func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"Running Shoes", "Straße", "ＲＵＮ", "women's", "Cre\u0300me", "\xff", "ß\u0301", "ﬁ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := Normalize(s)
		if !utf8.ValidString(n) {
			t.Fatalf("Normalize(%q) = %q, invalid UTF-8", s, n)
		}
		if again := Normalize(n); again != n {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, n, again)
		}
		if len(n) > 0 && (n[0] == ' ' || n[len(n)-1] == ' ') {
			t.Fatalf("Normalize(%q) = %q has outer spaces", s, n)
		}
		for i := 1; i < len(n); i++ {
			if n[i] == ' ' && n[i-1] == ' ' {
				t.Fatalf("Normalize(%q) = %q has a double space", s, n)
			}
		}
	})
}
