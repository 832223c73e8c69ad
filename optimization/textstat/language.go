package textstat

// Language is the set of rules that depend on a text's language. Words are
// passed lower-cased (as by strings.ToLower). Implementations must be safe
// for concurrent use; the analyzer shares one value between goroutines.
type Language interface {
	// Tag is the language's BCP 47 primary subtag, for example "en".
	Tag() string
	// IsAbbreviation reports whether a period directly after w (given
	// without that period) never ends a sentence, as after "dr" or "e.g".
	IsAbbreviation(w string) bool
	// IsStopWord reports whether w is a function word that carries no
	// topic ("the", "of"), ignored when matching keyphrases.
	IsStopWord(w string) bool
	// Stem reduces w to a form shared by its inflections, so that "shoes"
	// and "shoe", "running" and "run" compare equal.
	Stem(w string) string
	// Syllables counts the syllables of w; at least 1.
	Syllables(w string) int
	// HasTransition reports whether a sentence, given as its words,
	// contains a transition word or phrase ("however", "for example").
	HasTransition(sentence []string) bool
	// IsPassive reports whether a sentence, given as its words, is in the
	// passive voice.
	IsPassive(sentence []string) bool
	// ReadingEase returns the language's Flesch reading ease for the given
	// totals; higher is easier, about 0–100.
	ReadingEase(words, sentences, syllables int) float64
}
