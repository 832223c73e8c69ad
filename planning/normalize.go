package planning

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// MaxKeywordBytes bounds a keyword's text. Real search queries are far
// shorter; the bound keeps one bad row from bloating an index.
const MaxKeywordBytes = 300

// Normalize returns the form of a keyword that decides whether two keywords
// are the same: Unicode NFKC (full-width and compatibility forms folded),
// full case folding ("Straße" and "STRASSE" match), apostrophes dropped
// ("women's" = "womens"), every other punctuation or symbol turned into a
// space, and runs of white space collapsed to one space, trimmed.
//
// Keywords are unique per site and sector on this form.
func Normalize(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return normalizeUnicode(s)
		}
	}
	return normalizeASCII(s)
}

func normalizeASCII(s string) string {
	b := make([]byte, 0, len(s))
	space := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		case c == '\'' || c == '`':
			continue
		default:
			space = len(b) > 0
			continue
		}
		if space {
			b = append(b, ' ')
			space = false
		}
		b = append(b, c)
	}
	return string(b)
}

func normalizeUnicode(s string) string {
	s = cases.Fold().String(norm.NFKC.String(s))
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case unicode.IsLetter(r), unicode.IsDigit(r), unicode.Is(unicode.M, r):
		case r == '\'' || r == '`' || r == '\u2019' || r == '\u2018' || r == '\u02bc':
			continue
		default:
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	// Folding can produce a new composable sequence; NFKC again keeps the
	// result stable (Normalize(Normalize(s)) == Normalize(s)).
	return norm.NFKC.String(b.String())
}
