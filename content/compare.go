package content

import (
	"context"
	"strings"

	"github.com/igny8/sdk/igny8"
)

// Comparison is what changed between two versions of a content.
type Comparison struct {
	From, To int
	// Fields names the body fields that differ (title, meta_title,
	// meta_description, slug, html, excerpt, faq).
	Fields []string
	// TextDiff is a line diff of the visible text: lines starting with
	// "- " were removed, "+ " added, "  " kept.
	TextDiff []string
	// WordsFrom and WordsTo are the two word counts.
	WordsFrom, WordsTo int
}

// Compare reports what changed from version a to version b of a content.
func (l *Library) Compare(ctx context.Context, scope igny8.Scope, id string, a, b int) (Comparison, error) {
	const op = "content.Library.Compare"
	if err := scope.Validate(op); err != nil {
		return Comparison{}, err
	}
	va, err := l.store.GetVersion(ctx, scope, id, a)
	if err != nil {
		return Comparison{}, err
	}
	vb, err := l.store.GetVersion(ctx, scope, id, b)
	if err != nil {
		return Comparison{}, err
	}
	c := Comparison{From: a, To: b, WordsFrom: va.WordCount, WordsTo: vb.WordCount}
	diff := func(name string, x, y string) {
		if x != y {
			c.Fields = append(c.Fields, name)
		}
	}
	diff("title", va.Title, vb.Title)
	diff("meta_title", va.MetaTitle, vb.MetaTitle)
	diff("meta_description", va.MetaDescription, vb.MetaDescription)
	diff("slug", va.Slug, vb.Slug)
	diff("html", va.HTML, vb.HTML)
	diff("excerpt", va.Excerpt, vb.Excerpt)
	if !sameFAQ(va.FAQ, vb.FAQ) {
		c.Fields = append(c.Fields, "faq")
	}
	c.TextDiff = LineDiff(textLines(va.HTML), textLines(vb.HTML))
	return c, nil
}

func sameFAQ(a, b []FAQ) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func textLines(h string) []string {
	var out []string
	for _, line := range strings.Split(PlainText(h), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out
}

// maxDiffCells bounds the quadratic table of LineDiff; longer inputs are
// diffed as a whole replacement of their middle part.
const maxDiffCells = 4_000_000

// LineDiff returns a minimal line diff of a and b (longest common
// subsequence): "- " removed, "+ " added, "  " kept.
func LineDiff(a, b []string) []string {
	// Trim the common prefix and suffix: most edits touch a few lines.
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	out := make([]string, 0, len(a)+len(b))
	for _, s := range a[:pre] {
		out = append(out, "  "+s)
	}
	ma, mb := a[pre:len(a)-suf], b[pre:len(b)-suf]
	if (len(ma)+1)*(len(mb)+1) > maxDiffCells {
		for _, s := range ma {
			out = append(out, "- "+s)
		}
		for _, s := range mb {
			out = append(out, "+ "+s)
		}
	} else {
		w := len(mb) + 1
		lcs := make([]int32, (len(ma)+1)*w)
		for i := len(ma) - 1; i >= 0; i-- {
			for j := len(mb) - 1; j >= 0; j-- {
				if ma[i] == mb[j] {
					lcs[i*w+j] = lcs[(i+1)*w+j+1] + 1
				} else {
					lcs[i*w+j] = max(lcs[(i+1)*w+j], lcs[i*w+j+1])
				}
			}
		}
		i, j := 0, 0
		for i < len(ma) && j < len(mb) {
			switch {
			case ma[i] == mb[j]:
				out = append(out, "  "+ma[i])
				i++
				j++
			case lcs[(i+1)*w+j] >= lcs[i*w+j+1]:
				out = append(out, "- "+ma[i])
				i++
			default:
				out = append(out, "+ "+mb[j])
				j++
			}
		}
		for ; i < len(ma); i++ {
			out = append(out, "- "+ma[i])
		}
		for ; j < len(mb); j++ {
			out = append(out, "+ "+mb[j])
		}
	}
	for _, s := range a[len(a)-suf:] {
		out = append(out, "  "+s)
	}
	return out
}
