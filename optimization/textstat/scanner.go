package textstat

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Scanner walks a text word by word and tells where sentences end. The zero
// value is not usable; build one with NewScanner or Init, reuse it with
// Reset. A
// Scanner never allocates on ASCII text, except to lower-case a short
// capitalised word before a period when checking for an abbreviation.
type Scanner struct {
	lang Language
	text string
	pos  int
	word string
	end  bool
}

// NewScanner returns a Scanner over text using lang's abbreviations.
func NewScanner(lang Language, text string) *Scanner {
	return &Scanner{lang: lang, text: text}
}

// Init makes s scan text with lang's rules; it lets a Scanner be a value
// field that is set up in place.
func (s *Scanner) Init(lang Language, text string) {
	s.lang = lang
	s.Reset(text)
}

// Reset makes s scan text from its start.
func (s *Scanner) Reset(text string) {
	s.text, s.pos, s.word, s.end = text, 0, "", false
}

// Word returns the word found by the last call to Next, as it appears in
// the text.
func (s *Scanner) Word() string { return s.word }

// SentenceEnd reports whether a sentence ends after the current word. The
// last word of the text always ends a sentence.
func (s *Scanner) SentenceEnd() bool { return s.end }

// Next advances to the next word and reports whether there was one.
//
// A word is a run of letters, digits and combining marks; an apostrophe,
// hyphen or period between two such runes joins them ("don't",
// "well-known", "U.S", "3.14", "example.com"), and so does a comma between
// two digits ("1,000").
func (s *Scanner) Next() bool {
	t := s.text
	i := s.pos
	for i < len(t) {
		r, size := decodeAt(t, i)
		if isWordRune(r) {
			break
		}
		i += size
	}
	if i >= len(t) {
		s.pos, s.word, s.end = len(t), "", false
		return false
	}
	start := i
	var prev rune
	for i < len(t) && asciiWord(t[i]) { // fast path: ASCII letters and digits
		prev = rune(t[i])
		i++
	}
	for i < len(t) {
		r, size := decodeAt(t, i)
		if isWordRune(r) {
			prev = r
			i += size
			continue
		}
		if isJoiner(r) && i+size < len(t) {
			next, _ := decodeAt(t, i+size)
			if isWordRune(next) && (r != ',' || (isDigit(prev) && isDigit(next))) {
				prev = r
				i += size
				continue
			}
		}
		break
	}
	s.word = t[start:i]
	s.end, s.pos = s.boundary(i)
	return true
}

// boundary looks at the gap after the word ending at i and reports whether
// a sentence ends there, and where the next word may start.
func (s *Scanner) boundary(i int) (bool, int) {
	t := s.text
	if i+1 < len(t) && t[i] == ' ' && asciiWord(t[i+1]) {
		return false, i + 1 // the common gap: one space between two words
	}
	j := i
	var term rune
	dots, maxDots := 0, 0
	directPeriod, spaceAfter := false, false
	for j < len(t) {
		r, size := decodeAt(t, j)
		if isWordRune(r) {
			break
		}
		switch {
		case r == '.':
			if term == 0 {
				term = '.'
				directPeriod = j == i
			}
			dots++
			if dots > maxDots {
				maxDots = dots
			}
			j += size
			continue
		case r == '…':
			if term == 0 {
				term = '.'
			}
			maxDots = 3
		case r == '!' || r == '?' || r == '‼' || r == '⁇':
			term = r
		case unicode.IsSpace(r):
			if term != 0 {
				spaceAfter = true
			}
		}
		dots = 0
		j += size
	}
	if j >= len(t) {
		return true, j
	}
	if term == 0 || !spaceAfter {
		return false, j
	}
	next, _ := decodeAt(t, j)
	nextLower := unicode.IsLower(next)
	if maxDots >= 2 { // ellipsis: ends a sentence only before a capital
		return unicode.IsUpper(next), j
	}
	if term == '.' && directPeriod && s.isAbbreviation(s.word) {
		return false, j
	}
	return !nextLower, j
}

// isAbbreviation reports whether a period right after w belongs to it.
func (s *Scanner) isAbbreviation(w string) bool {
	if n := utf8.RuneCountInString(w); n == 1 {
		r, _ := utf8.DecodeRuneInString(w)
		return unicode.IsUpper(r) // an initial: "J. Smith"
	}
	if strings.IndexByte(w, '.') > 0 && dottedInitials(w) {
		return true
	}
	if len(w) > 12 {
		return false
	}
	return s.lang.IsAbbreviation(strings.ToLower(w))
}

// dottedInitials reports whether w is letters in groups of one or two
// joined by periods: "U.S", "e.g", "Ph.D".
func dottedInitials(w string) bool {
	run := 0
	for _, r := range w {
		if r == '.' {
			if run == 0 {
				return false
			}
			run = 0
			continue
		}
		if !unicode.IsLetter(r) {
			return false
		}
		run++
		if run > 2 {
			return false
		}
	}
	return run > 0
}

// asciiWord reports whether c is an ASCII letter or digit.
func asciiWord(c byte) bool { return c-'0' < 10 || (c|0x20)-'a' < 26 }

func decodeAt(t string, i int) (rune, int) {
	if c := t[i]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(t[i:])
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.In(r, unicode.Mn, unicode.Mc)
}

func isDigit(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= '0' && r <= '9'
	}
	return unicode.IsDigit(r)
}

func isJoiner(r rune) bool {
	switch r {
	case '\'', '’', '-', '‐', '‑', '.', ',':
		return true
	}
	return false
}

// CountWords returns the number of words in text, by the rules of Next.
func CountWords(text string) int {
	s := Scanner{lang: noLanguage{}, text: text}
	n := 0
	for s.Next() {
		n++
	}
	return n
}

// noLanguage knows no abbreviations; CountWords needs no sentence ends.
type noLanguage struct{ Language }

func (noLanguage) IsAbbreviation(string) bool { return false }
