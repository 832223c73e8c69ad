package content

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// PlainText returns the text a reader sees in an HTML fragment: text nodes
// joined, with block elements separated by newlines, and the contents of
// script, style and template left out.
func PlainText(fragment string) string {
	var b strings.Builder
	b.Grow(len(fragment))
	z := html.NewTokenizer(strings.NewReader(fragment))
	skip := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			return strings.TrimSpace(b.String())
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "script", "style", "template":
				skip++
			case "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "br", "tr", "blockquote", "pre", "figcaption", "dt", "dd":
				b.WriteByte('\n')
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "script", "style", "template":
				if skip > 0 {
					skip--
				}
			case "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "blockquote", "pre":
				b.WriteByte('\n')
			}
		}
	}
}

// CountWords counts the words of an HTML fragment's visible text: runs of
// letters and digits, with inner apostrophes and hyphens kept inside a word
// ("don't", "long-term" are one word each).
func CountWords(fragment string) int {
	return countWords(PlainText(fragment))
}

func countWords(s string) int {
	n := 0
	in := false
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if !in {
				n++
				in = true
			}
		case (r == '\'' || r == '’' || r == '-') && in:
			// stays inside the word only if a letter or digit follows
			next, _ := utf8.DecodeRuneInString(s[i+size:])
			if !(unicode.IsLetter(next) || unicode.IsDigit(next)) {
				in = false
			}
		default:
			in = false
		}
		i += size
	}
	return n
}

// truncateRunes cuts s to at most n runes at a word boundary where one is
// near, without breaking a multi-byte character.
func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	cut, count := 0, 0
	for i := range s {
		if count == n {
			cut = i
			break
		}
		count++
	}
	out := s[:cut]
	if sp := strings.LastIndexByte(out, ' '); sp > len(out)*2/3 {
		out = out[:sp]
	}
	return strings.TrimRight(out, " ,;:-")
}
