package textstat_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/igny8/sdk/optimization/textstat"
)

// sentences splits text into sentences, each its words joined by spaces.
func sentences(t *testing.T, lang textstat.Language, text string) []string {
	t.Helper()
	var out []string
	var cur []string
	sc := textstat.NewScanner(lang, text)
	for sc.Next() {
		cur = append(cur, sc.Word())
		if sc.SentenceEnd() {
			out = append(out, strings.Join(cur, " "))
			cur = nil
		}
	}
	if len(cur) != 0 {
		t.Fatalf("words after the last sentence end: %v", cur)
	}
	return out
}

func TestSentenceSplitting(t *testing.T) {
	en := textstat.English()
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"plain", "One two. Three four! Five six? Seven", []string{"One two", "Three four", "Five six", "Seven"}},
		{"title abbreviation", "Dr. Smith came. He left.", []string{"Dr Smith came", "He left"}},
		{"latin abbreviation", "Use fruit, e.g. Apples or pears. Then eat.", []string{"Use fruit e.g Apples or pears", "Then eat"}},
		{"dotted initials", "The U.S. Army marched. It rained.", []string{"The U.S Army marched", "It rained"}},
		{"initial", "J. K. Rowling wrote it. Fans read it.", []string{"J K Rowling wrote it", "Fans read it"}},
		{"decimal", "Pi is 3.14 roughly. Yes.", []string{"Pi is 3.14 roughly", "Yes"}},
		{"decimal ends sentence", "It costs 3.50. Cheap.", []string{"It costs 3.50", "Cheap"}},
		{"url", "Visit https://example.com/a.html today. Now.", []string{"Visit https example.com a.html today", "Now"}},
		{"url ends sentence", "See example.com. Then go.", []string{"See example.com", "Then go"}},
		{"ellipsis lower", "Wait... and see. Done.", []string{"Wait and see", "Done"}},
		{"ellipsis upper", "Wait… Then see.", []string{"Wait", "Then see"}},
		{"lower after period", "The ver. two build works.", []string{"The ver two build works"}},
		{"quote after period", `He said "stop." Then he left.`, []string{"He said stop", "Then he left"}},
		{"etc before capital", "Apples, pears, etc. Then more.", []string{"Apples pears etc", "Then more"}},
		{"number starts sentence", "We won. 42 people came.", []string{"We won", "42 people came"}},
		{"thousands", "We sold 1,000 units, then more.", []string{"We sold 1,000 units then more"}},
		{"apostrophe and hyphen", "Don't use well-known tricks.", []string{"Don't use well-known tricks"}},
		{"unicode", "Crème brûlée is great. Très bien.", []string{"Crème brûlée is great", "Très bien"}},
		{"no words", " ... !! ", nil},
		{"mr and mrs", "Mr. and Mrs. Smith left. They won.", []string{"Mr and Mrs Smith left", "They won"}},
		{"numbered", "See No. 5 and Fig. 2 below. Done.", []string{"See No 5 and Fig 2 below", "Done"}},
		{"quoted question inside a sentence", `"Why?" she asked. "Because."`, []string{"Why she asked", "Because"}},
		{"exclamations", "Wow! Great! Fine.", []string{"Wow", "Great", "Fine"}},
		{"newlines", "First line.\nSecond line.", []string{"First line", "Second line"}},
		{"parenthesis", "It works (mostly). Then it fails.", []string{"It works mostly", "Then it fails"}},
		{"email", "Write to team@example.com. We answer.", []string{"Write to team example.com", "We answer"}},
		{"version numbers", "Go 1.26.8 is out. Update now.", []string{"Go 1.26.8 is out", "Update now"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := sentences(t, en, tt.text)
			if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", tt.want) {
				t.Errorf("sentences(%q)\n got %q\nwant %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestSyllables(t *testing.T) {
	en := textstat.English()
	tests := []struct {
		word string
		want int
	}{
		{"a", 1}, {"the", 1}, {"cat", 1}, {"make", 1}, {"makes", 1}, {"table", 2}, {"whole", 1},
		{"boxes", 2}, {"changes", 2}, {"jumped", 1}, {"wanted", 2}, {"played", 1}, {"free", 1},
		{"happy", 2}, {"yellow", 2}, {"beautiful", 3}, {"video", 3}, {"trivia", 3}, {"nation", 2},
		{"special", 2}, {"being", 2}, {"readability", 5}, {"optimization", 5}, {"business", 2},
		{"rhythm", 1}, {"crwth", 1}, {"3.14", 1}, {"queue", 1},
	}
	for _, tt := range tests {
		t.Run(tt.word, func(t *testing.T) {
			if got := en.Syllables(tt.word); got != tt.want {
				t.Errorf("Syllables(%q) = %d, want %d", tt.word, got, tt.want)
			}
		})
	}
}

func TestStemWordForms(t *testing.T) {
	en := textstat.English()
	same := [][]string{
		{"shoe", "shoes"},
		{"run", "running", "runs", "ran"},
		{"pony", "ponies"},
		{"box", "boxes"},
		{"class", "classes"},
		{"make", "making", "makes"},
		{"stop", "stopped", "stopping", "stops"},
		{"use", "used", "uses", "using"},
		{"bake", "baked", "baking"},
		{"child", "children"},
		{"church", "churches"},
		{"company", "companies", "company's", "company’s"},
		{"play", "plays", "played", "playing"},
	}
	for _, group := range same {
		t.Run(group[0], func(t *testing.T) {
			want := en.Stem(group[0])
			for _, w := range group[1:] {
				if got := en.Stem(w); got != want {
					t.Errorf("Stem(%q) = %q, Stem(%q) = %q; want equal", w, got, group[0], want)
				}
			}
		})
	}
	different := [][2]string{{"bus", "bu"}, {"fall", "fal"}, {"analysis", "analysi"}, {"news", "new"}}
	for _, p := range different {
		if got := en.Stem(p[0]); got == p[1] {
			t.Errorf("Stem(%q) = %q, an over-stripped form", p[0], got)
		}
	}
}

func TestPassive(t *testing.T) {
	en := textstat.English()
	tests := []struct {
		name string
		text string
		want bool
	}{
		{"regular", "the cake was baked by my aunt", true},
		{"irregular", "the letter was written yesterday", true},
		{"progressive", "the road is being repaired", true},
		{"adverb between", "the bug was quickly fixed", true},
		{"negated", "the form was not signed", true},
		{"get passive", "he got fired last week", true},
		{"active", "my aunt baked the cake", false},
		{"be adjective", "the cake is tasty", false},
		{"ed not participle", "she is a hundred years old", false},
		{"participle without aux", "the baked cake smelled good", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := en.IsPassive(strings.Fields(tt.text)); got != tt.want {
				t.Errorf("IsPassive(%q) = %v, want %v", tt.text, got, tt.want)
			}
		})
	}
}

func TestTransitions(t *testing.T) {
	en := textstat.English()
	tests := []struct {
		name string
		text string
		want bool
	}{
		{"single word", "however it rained", true},
		{"phrase", "it rained for example on monday", true},
		{"phrase at end", "we stayed in spite of", true},
		{"partial phrase", "we stayed in spite", false},
		{"none", "the dog sat on the mat", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := en.HasTransition(strings.Fields(tt.text)); got != tt.want {
				t.Errorf("HasTransition(%q) = %v, want %v", tt.text, got, tt.want)
			}
		})
	}
}

func TestReadingEase(t *testing.T) {
	en := textstat.English()
	// 100 words, 5 sentences, 130 syllables: 206.835 - 1.015*20 - 84.6*1.3.
	if got, want := en.ReadingEase(100, 5, 130), 206.835-20.3-109.98; got-want > 1e-9 || want-got > 1e-9 {
		t.Errorf("ReadingEase = %v, want %v", got, want)
	}
}

func TestCountWords(t *testing.T) {
	if got := textstat.CountWords("It's a well-known fact: 3.14 > 3, see example.com."); got != 8 {
		t.Errorf("CountWords = %d, want 8", got)
	}
}

func TestScannerLinearOnHugeSentence(t *testing.T) {
	en := textstat.English()
	text := strings.Repeat("word ", 200000)
	sc := textstat.NewScanner(en, text)
	n := 0
	allocs := testing.AllocsPerRun(1, func() {
		sc.Reset(text)
		n = 0
		for sc.Next() {
			n++
		}
	})
	if n != 200000 {
		t.Fatalf("words = %d", n)
	}
	if allocs > 0 {
		t.Errorf("scanner allocated %v times on ASCII text", allocs)
	}
}

func FuzzScanner(f *testing.F) {
	for _, s := range []string{"Dr. Smith. U.S. e.g. 3.14...", "a…b", "x.\u00a0Y", "\xff\xfe.", "1,000,000. 'quoted.' — dash"} {
		f.Add(s)
	}
	en := textstat.English()
	f.Fuzz(func(t *testing.T, s string) {
		sc := textstat.NewScanner(en, s)
		words, ends := 0, 0
		last := false
		for sc.Next() {
			w := sc.Word()
			if w == "" || !strings.Contains(s, w) {
				t.Fatalf("word %q not in input", w)
			}
			words++
			last = sc.SentenceEnd()
			if last {
				ends++
			}
			if en.Syllables(strings.ToLower(w)) < 1 {
				t.Fatalf("Syllables(%q) < 1", w)
			}
			_ = en.Stem(strings.ToLower(w))
		}
		if words > 0 && !last {
			t.Fatalf("last word does not end a sentence")
		}
		if ends > words {
			t.Fatalf("%d sentence ends for %d words", ends, words)
		}
		if words != textstat.CountWords(s) {
			t.Fatalf("CountWords disagrees with the scanner")
		}
	})
}

func ExampleScanner() {
	sc := textstat.NewScanner(textstat.English(), "Dr. Smith paid $3.14 on e.g. fruit. It was cheap.")
	var sentence []string
	for sc.Next() {
		sentence = append(sentence, sc.Word())
		if sc.SentenceEnd() {
			fmt.Println(strings.Join(sentence, "|"))
			sentence = sentence[:0]
		}
	}
	// Output:
	// Dr|Smith|paid|3.14|on|e.g|fruit
	// It|was|cheap
}
