package igny8

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// MaxSlugLength bounds slugs (and so the file and URL paths built from them).
const MaxSlugLength = 200

// Slugify turns a title into a URL slug: lower case, ASCII letters and
// digits, words joined by single hyphens, accents folded ("Crème brûlée" →
// "creme-brulee"), at most MaxSlugLength bytes. It returns "" when nothing
// usable is left.
func Slugify(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	hyphen := false
	for _, r := range norm.NFKD.String(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			hyphen = false
		case r >= 'A' && r <= 'Z':
			b.WriteRune(unicode.ToLower(r))
			hyphen = false
		case unicode.Is(unicode.Mn, r):
			// combining mark left by NFKD: drop, keeping the base letter
		case foldLetter(r) != "":
			b.WriteString(foldLetter(r))
			hyphen = false
		default:
			if b.Len() > 0 && !hyphen {
				b.WriteByte('-')
				hyphen = true
			}
		}
		if b.Len() >= MaxSlugLength {
			break
		}
	}
	out := b.String()
	if len(out) > MaxSlugLength {
		out = out[:MaxSlugLength]
	}
	return strings.Trim(out, "-")
}

// ValidSlug reports whether s is a slug: 1 to MaxSlugLength bytes of a–z,
// 0–9 and single inner hyphens. A valid slug is a safe single path element.
func ValidSlug(s string) bool {
	if s == "" || len(s) > MaxSlugLength || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	prev := byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case c == '-':
			if prev == '-' {
				return false
			}
		default:
			return false
		}
		prev = c
	}
	return true
}

// foldLetter spells Latin letters that have no decomposition in ASCII.
func foldLetter(r rune) string {
	switch unicode.ToLower(r) {
	case 'ß':
		return "ss"
	case 'æ':
		return "ae"
	case 'œ':
		return "oe"
	case 'ø':
		return "o"
	case 'đ', 'ð':
		return "d"
	case 'ł':
		return "l"
	case 'þ':
		return "th"
	case 'ı':
		return "i"
	}
	return ""
}
