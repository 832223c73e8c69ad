package textstat

import "strings"

// English returns the English rules. The value is immutable and safe for
// concurrent use; build it once and share it.
func English() Language {
	e := &english{
		abbrev:      wordSet(enAbbreviations()),
		stop:        wordSet(enStopWords()),
		aux:         wordSet(enPassiveAux()),
		participles: wordSet(enIrregularParticiples()),
		notPart:     wordSet(enNotParticiples()),
		adverbs:     wordSet(enPassiveAdverbs()),
		irregular:   newLexicon[string](len(enIrregularNouns())),
		syllables:   newLexicon[int](len(enSyllableExceptions())),
		transitions: newLexicon[[][]string](len(enTransitions())),
	}
	for _, p := range enIrregularNouns() {
		e.irregular.put(p[0], p[1])
	}
	for w, n := range enSyllableExceptions() {
		e.syllables.put(w, n)
	}
	for _, t := range enTransitions() {
		words := strings.Fields(t)
		rests, _ := e.transitions.get(words[0])
		e.transitions.put(words[0], append(rests, words[1:]))
	}
	return e
}

type english struct {
	abbrev, stop, aux, participles, notPart, adverbs *lexicon[bool]
	irregular                                        *lexicon[string]
	syllables                                        *lexicon[int]
	// transitions maps a phrase's first word to the rest of each phrase
	// starting with it (an empty rest for single words).
	transitions *lexicon[[][]string]
}

func (e *english) Tag() string                  { return "en" }
func (e *english) IsAbbreviation(w string) bool { return e.abbrev.has(w) }
func (e *english) IsStopWord(w string) bool     { return e.stop.has(w) }

func (e *english) ReadingEase(words, sentences, syllables int) float64 {
	if words == 0 || sentences == 0 {
		return 100
	}
	return 206.835 - 1.015*float64(words)/float64(sentences) - 84.6*float64(syllables)/float64(words)
}

func (e *english) HasTransition(sentence []string) bool {
	for i, w := range sentence {
		rests, ok := e.transitions.get(w)
		if !ok {
			continue
		}
	phrases:
		for _, rest := range rests {
			if i+1+len(rest) > len(sentence) {
				continue
			}
			for k, r := range rest {
				if sentence[i+1+k] != r {
					continue phrases
				}
			}
			return true
		}
	}
	return false
}

// IsPassive finds a form of "to be" or "to get" followed, after at most two
// adverbs, by a past participle: "was written", "is being eaten", "were
// quickly repaired".
func (e *english) IsPassive(sentence []string) bool {
	for i := 0; i < len(sentence); i++ {
		if !e.aux.has(sentence[i]) {
			continue
		}
		j := i + 1
		for skipped := 0; j < len(sentence) && skipped < 2; skipped++ {
			w := sentence[j]
			if !(e.adverbs.has(w) || len(w) > 4 && strings.HasSuffix(w, "ly")) {
				break
			}
			j++
		}
		if j < len(sentence) && e.isParticiple(sentence[j]) {
			return true
		}
	}
	return false
}

func (e *english) isParticiple(w string) bool {
	if e.participles.has(w) {
		return true
	}
	return len(w) > 4 && strings.HasSuffix(w, "ed") && !e.notPart.has(w)
}

// Stem is a light suffix stripper for inflections: plurals and possessives,
// -ing and -ed with consonant undoubling, a final silent e, and a final y
// after a consonant ("ponies" and "pony" both give "pon"). Irregular noun
// plurals map to their singular. It never builds a new string for a
// regular word, only slices it.
func (e *english) Stem(w string) string {
	if s, ok := e.irregular.get(w); ok {
		return s
	}
	if strings.HasSuffix(w, "’s") {
		w = w[:len(w)-len("’s")] // possessive with a typographic apostrophe
	}
	if len(w) <= 2 || !isASCII(w) {
		return w
	}
	n := len(w)
	if w[n-1] == 's' {
		switch {
		case w[n-2] == '\'':
			w = w[:n-2] // possessive
		case n > 4 && w[n-2] == 'e' && w[n-3] == 'i':
			w = w[:n-3] // "ponies" → "pon"
		case n > 4 && w[n-2] == 'e' && (strings.HasSuffix(w, "sses") || strings.HasSuffix(w, "xes") ||
			strings.HasSuffix(w, "ches") || strings.HasSuffix(w, "shes") || strings.HasSuffix(w, "zzes")):
			w = w[:n-2]
		case w[n-2] != 's' && w[n-2] != 'u' && w[n-2] != 'i':
			w = w[:n-1]
		}
	}
	n = len(w)
	switch {
	case n > 4 && w[n-1] == 'g' && w[n-2] == 'n' && w[n-3] == 'i' && hasVowel(w[:n-3]):
		w = undouble(w[:n-3])
	case n > 3 && w[n-1] == 'd' && w[n-2] == 'e' && w[n-3] != 'e' && hasVowel(w[:n-2]):
		w = undouble(w[:n-2])
	}
	n = len(w)
	if n > 2 && w[n-1] == 'e' {
		w = w[:n-1]
	} else if n > 2 && w[n-1] == 'y' && !isVowel(w[n-2]) {
		w = w[:n-1]
	}
	return w
}

// undouble drops the last of two equal final consonants ("runn" → "run"),
// except l, s and z ("fall", "pass", "buzz").
func undouble(w string) string {
	n := len(w)
	if n >= 3 && w[n-1] == w[n-2] && !isVowel(w[n-1]) && w[n-1] != 'l' && w[n-1] != 's' && w[n-1] != 'z' {
		return w[:n-1]
	}
	return w
}

func isVowel(c byte) bool {
	switch c {
	case 'a', 'e', 'i', 'o', 'u':
		return true
	}
	return false
}

func hasVowel(s string) bool {
	for i := 0; i < len(s); i++ {
		if isVowel(s[i]) || s[i] == 'y' && i > 0 {
			return true
		}
	}
	return false
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// Syllables counts vowel groups and corrects for a silent final e, the
// endings -es and -ed, and vowel pairs that are two syllables ("ia",
// "io", "eo"); an exceptions list covers common words the rules get wrong.
func (e *english) Syllables(w string) int {
	if n, ok := e.syllables.get(w); ok {
		return n
	}
	count := 0
	prevVowel := false
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= 0x80 {
			return max(1, unicodeVowelGroups(w))
		}
		v := (isVowel(c) && !(c == 'u' && i > 0 && w[i-1] == 'q')) || (c == 'y' && i > 0)
		if v && !prevVowel {
			count++
		} else if v && twoSyllablePair(w, i) {
			count++ // "trivia", "video", "actual"
		}
		prevVowel = v
	}
	if count == 0 {
		return 1
	}
	n := len(w)
	switch w[n-1] {
	case 'e':
		if n > 2 && !(w[n-2] == 'l' && n > 3 && !isVowel(w[n-3])) && count > 1 && !isVowel(w[n-2]) {
			count-- // silent e: "make"; but "table", "free"
		} else if n > 3 && w[n-2] == 'u' && w[n-3] == 'q' && count > 1 {
			count-- // "unique", "technique"
		}
	case 's':
		if n > 3 && w[n-2] == 'e' && count > 1 && !strings.ContainsAny(w[n-3:n-2], "sxzcgaeiou") {
			count-- // "makes", but "boxes", "changes"
		}
	case 'd':
		if n > 3 && w[n-2] == 'e' && count > 1 && w[n-3] != 't' && w[n-3] != 'd' && !isVowel(w[n-3]) {
			count-- // "jumped", but "wanted", "needed"
		}
	case 'g':
		if n > 3 && w[n-2] == 'n' && w[n-3] == 'i' && isVowel(w[n-4]) {
			count++ // "being", "doing"
		}
	}
	return max(1, count)
}

// twoSyllablePair reports whether the vowels w[i-1] and w[i] are sounded
// apart: "ia", "io", "iu", "eo", "ua", except in "-ion" and "-cial",
// "-tial".
func twoSyllablePair(w string, i int) bool {
	if i == 0 {
		return false
	}
	a, b := w[i-1], w[i]
	switch {
	case a == 'i' && b == 'o':
		return !(i+1 < len(w) && w[i+1] == 'n')
	case a == 'i' && b == 'a':
		return !(i+1 < len(w) && w[i+1] == 'l' && i > 1 && (w[i-2] == 'c' || w[i-2] == 't'))
	case a == 'i' && b == 'u', a == 'e' && b == 'o', a == 'u' && b == 'a':
		return true
	}
	return false
}

func unicodeVowelGroups(w string) int {
	count := 0
	prev := false
	for _, r := range strings.ToLower(w) {
		v := strings.ContainsRune("aeiouyàáâãäåæèéêëìíîïòóôõöøùúûüýÿœ", r)
		if v && !prev {
			count++
		}
		prev = v
	}
	return count
}
