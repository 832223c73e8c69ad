package linking

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"time"

	"golang.org/x/net/html"

	"github.com/igny8/sdk/igny8"
)

// MarkerAttr is the attribute that marks a link the linker inserted; its
// value is the link's ID.
const MarkerAttr = "data-igny8-link"

// Link is an inserted internal link: the record kept for the source page.
type Link struct {
	ID        string `json:"id"`
	SourceID  string `json:"source_id"`
	TargetID  string `json:"target_id"`
	TargetURL string `json:"target_url"`
	Anchor    string `json:"anchor"`
	// Offset is the byte offset of the link's <a> tag in the HTML it was
	// inserted into.
	Offset    int       `json:"offset"`
	Type      LinkType  `json:"type"`
	Score     float64   `json:"score"`
	CreatedAt time.Time `json:"created_at"`
}

// ApplyOptions configures Apply. The zero value is useful.
type ApplyOptions struct {
	// IDs names the links; nil means UUIDv7 on Clock.
	IDs igny8.IDGenerator
	// Clock stamps the links; nil means the system clock.
	Clock igny8.Clock
	// Verify parses the document before and after and fails unless the
	// trees are equal but for the inserted links. It costs two parses.
	Verify bool
}

// Applied is the result of Apply.
type Applied struct {
	HTML  string
	Links []Link
}

// Apply wraps the anchors of the suggestions in links marked with
// MarkerAttr. It works on the original bytes: every byte of src stays as it
// was and only the <a ...> and </a> tags are added. Each suggestion must
// name, by byte offsets, a run of linkable words of src (as Suggest
// returns them); one that does not (stale offsets, a span in a heading or
// inside markup) fails with InvalidArgument and nothing is applied.
func Apply(src string, sugs []Suggestion, opts ApplyOptions) (Applied, error) {
	return apply("linking.Apply", src, sugs, nil, opts)
}

// ApplyPlan applies a plan's suggestions to src. When src is the HTML the
// plan was made from, the analysis made for the plan is reused instead of
// tokenizing the document again.
func ApplyPlan(src string, plan Plan, opts ApplyOptions) (Applied, error) {
	d := plan.doc
	if plan.html != src {
		d = nil
	}
	return apply("linking.ApplyPlan", src, plan.Suggestions, d, opts)
}

func apply(op, src string, sugs []Suggestion, d *doc, opts ApplyOptions) (Applied, error) {
	if opts.Clock == nil {
		opts.Clock = igny8.SystemClock{}
	}
	if opts.IDs == nil {
		opts.IDs = &igny8.UUIDv7{Clock: opts.Clock}
	}
	if len(sugs) == 0 {
		return Applied{HTML: src}, nil
	}
	sorted := slices.Clone(sugs)
	slices.SortStableFunc(sorted, func(a, b Suggestion) int { return a.Start - b.Start })
	if d == nil {
		d = analyze([]byte(src))
	}
	prevEnd := -1
	for i, s := range sorted {
		field := fmt.Sprintf("suggestions[%d]", i)
		if s.Start < 0 || s.End > len(src) || s.Start >= s.End {
			return Applied{}, igny8.InvalidArgument(op, field, "span %d..%d is outside the document of %d bytes", s.Start, s.End, len(src))
		}
		if s.Start < prevEnd {
			return Applied{}, igny8.InvalidArgument(op, field, "span %d..%d overlaps the previous link", s.Start, s.End)
		}
		if src[s.Start:s.End] != s.Anchor {
			return Applied{}, igny8.InvalidArgument(op, field, "anchor %q is not at %d..%d (the document changed?)", s.Anchor, s.Start, s.End)
		}
		if s.TargetURL == "" {
			return Applied{}, igny8.InvalidArgument(op, field+".target_url", "is required")
		}
		wi, ok := slices.BinarySearchFunc(d.words, int32(s.Start), func(w word, off int32) int { return int(w.start - off) })
		if !ok {
			return Applied{}, igny8.InvalidArgument(op, field, "offset %d is not the start of a word", s.Start)
		}
		for {
			w := d.words[wi]
			if w.ctx != ctxOK {
				return Applied{}, igny8.InvalidArgument(op, field, "anchor %q is in markup where links are not placed (%s)", s.Anchor, w.ctx.rule())
			}
			if int(w.end) == s.End {
				break
			}
			if int(w.end) > s.End || wi+1 >= len(d.words) || !d.words[wi+1].glue {
				return Applied{}, igny8.InvalidArgument(op, field, "span %d..%d does not end at a word of the same text", s.Start, s.End)
			}
			wi++
		}
		prevEnd = s.End
	}

	now := opts.Clock.Now().UTC()
	var b strings.Builder
	b.Grow(len(src) + len(sorted)*120)
	links := make([]Link, 0, len(sorted))
	last := 0
	for _, s := range sorted {
		b.WriteString(src[last:s.Start])
		id := opts.IDs.NewID()
		links = append(links, Link{
			ID: id, SourceID: s.SourceID, TargetID: s.TargetID, TargetURL: s.TargetURL, Anchor: s.Anchor,
			Offset: b.Len(), Type: s.Type, Score: s.Score, CreatedAt: now,
		})
		b.WriteString(`<a href="`)
		b.WriteString(html.EscapeString(s.TargetURL))
		b.WriteString(`" ` + MarkerAttr + `="`)
		b.WriteString(html.EscapeString(id))
		b.WriteString(`">`)
		b.WriteString(s.Anchor)
		b.WriteString(`</a>`)
		last = s.End
	}
	b.WriteString(src[last:])
	out := b.String()
	if opts.Verify {
		if err := VerifyInsertion(src, out); err != nil {
			return Applied{}, igny8.Wrap(igny8.CodeInternal, op, err)
		}
	}
	return Applied{HTML: out, Links: links}, nil
}

// markedSpan is an inserted link's start and end tag in a document.
type markedSpan struct {
	id                   string
	openStart, openEnd   int
	closeStart, closeEnd int
}

// markedLinks finds the links marked with MarkerAttr, with their matching
// end tags.
func markedLinks(src string) []markedSpan { return analyze([]byte(src)).marked }

// Remove takes out the inserted link with the given ID, leaving its anchor
// text exactly as it was before the link was inserted. An unknown ID is
// NotFound.
func Remove(src, id string) (string, error) {
	const op = "linking.Remove"
	if id == "" {
		return "", igny8.InvalidArgument(op, "id", "is required")
	}
	for _, m := range markedLinks(src) {
		if m.id != id {
			continue
		}
		if m.closeStart < 0 {
			return "", igny8.Errorf(igny8.CodeConflict, op, "link %q has no end tag", id)
		}
		return src[:m.openStart] + src[m.openEnd:m.closeStart] + src[m.closeEnd:], nil
	}
	return "", igny8.NotFound(op, "link", id)
}

// RemoveAll takes out every inserted link and reports how many it removed.
func RemoveAll(src string) (string, int) {
	ms := markedLinks(src)
	type cut struct{ from, to int }
	cuts := make([]cut, 0, 2*len(ms))
	for _, m := range ms {
		if m.closeStart < 0 {
			continue
		}
		cuts = append(cuts, cut{m.openStart, m.openEnd}, cut{m.closeStart, m.closeEnd})
	}
	if len(cuts) == 0 {
		return src, 0
	}
	slices.SortFunc(cuts, func(a, b cut) int { return a.from - b.from })
	var b strings.Builder
	b.Grow(len(src))
	last := 0
	for _, c := range cuts {
		b.WriteString(src[last:c.from])
		last = c.to
	}
	b.WriteString(src[last:])
	return b.String(), len(cuts) / 2
}

// VerifyInsertion parses before and after and returns an error unless
// they are the same tree once the links marked with MarkerAttr are
// unwrapped (their children put in their place, adjacent text merged).
// Equal trees mean equal text content, byte for byte.
func VerifyInsertion(before, after string) error {
	had := map[string]bool{}
	a, err := flatten(before, func(n *html.Node) bool {
		if id, ok := markerID(n); ok {
			had[id] = true
		}
		return false
	})
	if err != nil {
		return err
	}
	b, err := flatten(after, func(n *html.Node) bool {
		id, ok := markerID(n)
		return ok && !had[id]
	})
	if err != nil {
		return err
	}
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		if a[i] != b[i] {
			return fmt.Errorf("trees differ at node %d: %q before, %q after", i, a[i], b[i])
		}
	}
	if len(a) != len(b) {
		return fmt.Errorf("trees differ in size: %d nodes before, %d after", len(a), len(b))
	}
	return nil
}

// flatten parses src and lists its tree as open, text and close items.
func flatten(src string, unwrap func(*html.Node) bool) ([]string, error) {
	root, err := html.Parse(strings.NewReader(src))
	if err != nil {
		return nil, err
	}
	var out []string
	var text bytes.Buffer
	flush := func() {
		if text.Len() > 0 {
			out = append(out, "#text:"+text.String())
			text.Reset()
		}
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch c.Type {
			case html.TextNode:
				text.WriteString(c.Data)
				continue
			case html.ElementNode:
				if unwrap(c) {
					walk(c)
					continue
				}
				flush()
				var sb strings.Builder
				sb.WriteString("<" + c.Namespace + ":" + c.Data)
				for _, at := range c.Attr {
					sb.WriteString(" " + at.Namespace + ":" + at.Key + "=" + at.Val)
				}
				out = append(out, sb.String())
				walk(c)
				flush()
				out = append(out, "</"+c.Data)
			default:
				flush()
				out = append(out, fmt.Sprintf("#%d:%s", c.Type, c.Data))
				walk(c)
				flush()
			}
		}
	}
	walk(root)
	flush()
	return out, nil
}

// markerID returns the ID of a link the linker inserted.
func markerID(n *html.Node) (string, bool) {
	if n.Type != html.ElementNode || n.Data != "a" || n.Namespace != "" {
		return "", false
	}
	for _, a := range n.Attr {
		if a.Key == MarkerAttr && a.Namespace == "" {
			return a.Val, true
		}
	}
	return "", false
}
