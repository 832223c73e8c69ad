package siteaudit

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/linking"
	"github.com/igny8/sdk/publishing"
)

// maxOccurrences bounds the places of one anchor text examined in a page.
const maxOccurrences = 200

// PublishOptions says which links PublishLinks writes back.
type PublishOptions struct {
	// Suggestions are the accepted links: suggestions of an audit's
	// Report (Report.AllSuggestions lists them), each with the ID of the
	// imported page it goes into as SourceID and the target's address as
	// TargetURL.
	Suggestions []linking.Suggestion
	// DryRun works out every page's new content and reports it as
	// PublishWouldUpdate, but writes nothing.
	DryRun bool
}

// PublishStatus is the outcome of publishing links into one page.
type PublishStatus string

// Outcomes of one page.
const (
	// PublishUpdated: links were inserted and the page written.
	PublishUpdated PublishStatus = "updated"
	// PublishWouldUpdate: links would be inserted (a dry run).
	PublishWouldUpdate PublishStatus = "would_update"
	// PublishUnchanged: every link is there already, or none could be
	// placed; nothing was written.
	PublishUnchanged PublishStatus = "unchanged"
	// PublishNotFound: the destination does not know the page.
	PublishNotFound PublishStatus = "not_found"
	// PublishFailed: the page could not be read or written; Error says why.
	PublishFailed PublishStatus = "failed"
)

// SkippedLink is an accepted suggestion that was not placed, and why.
type SkippedLink struct {
	Suggestion linking.Suggestion `json:"suggestion"`
	Reason     string             `json:"reason"`
}

// PagePublish is the outcome of one page of PublishLinks.
type PagePublish struct {
	// ItemID and URL name the imported page.
	ItemID string        `json:"item_id"`
	URL    string        `json:"url"`
	Status PublishStatus `json:"status"`
	// RemoteID, RemoteKind and RemoteURL name the page at the destination.
	RemoteID   string `json:"remote_id,omitempty"`
	RemoteKind string `json:"remote_kind,omitempty"`
	RemoteURL  string `json:"remote_url,omitempty"`
	// Links are the links inserted (or, in a dry run, to be inserted),
	// with their IDs (the value of linking.MarkerAttr) and offsets in the
	// new content: the records a host keeps in a linking.Store.
	Links []linking.Link `json:"links,omitempty"`
	// Present are suggestions whose target the page links to already.
	Present []linking.Suggestion `json:"present,omitempty"`
	// Skipped are suggestions that could not be placed.
	Skipped []SkippedLink `json:"skipped,omitempty"`
	// Error says why the page failed; Err is the error itself.
	Error string `json:"error,omitempty"`
	Err   error  `json:"-"`
}

// PublishReport is the outcome of PublishLinks, one entry per page in URL
// order.
type PublishReport struct {
	Pages     []PagePublish `json:"pages"`
	Updated   int           `json:"updated"`
	Unchanged int           `json:"unchanged"`
	NotFound  int           `json:"not_found"`
	Failed    int           `json:"failed"`
	// Links counts the links inserted (or to be inserted in a dry run),
	// Present those already there, Skipped those not placed.
	Links   int `json:"links"`
	Present int `json:"present"`
	Skipped int `json:"skipped"`
}

func (r *PublishReport) add(p PagePublish) {
	switch p.Status {
	case PublishUpdated, PublishWouldUpdate:
		r.Updated++
	case PublishUnchanged:
		r.Unchanged++
	case PublishNotFound:
		r.NotFound++
	case PublishFailed:
		r.Failed++
	}
	r.Links += len(p.Links)
	r.Present += len(p.Present)
	r.Skipped += len(p.Skipped)
	r.Pages = append(r.Pages, p)
}

// AllSuggestions returns the suggestions of every page of the report, page
// by page in URL order: the input of PublishLinks when every suggestion is
// accepted.
func (r Report) AllSuggestions() []linking.Suggestion {
	var out []linking.Suggestion
	for _, u := range slices.Sorted(maps.Keys(r.Suggestions)) {
		out = append(out, r.Suggestions[u].Suggestions...)
	}
	return out
}

// PublishLinks writes accepted link suggestions of imported pages back to
// the destination where the pages live (WordPress through
// adapters/wordpress; publishing.Service.Updater hands out a registered
// destination's). For each page it:
//
//   - finds the page at the destination by its URL; a page the destination
//     does not know is reported PublishNotFound, not an error;
//   - leaves out suggestions whose target the page's content links to
//     already (Present): a link inserted by an earlier run carries
//     linking.MarkerAttr and points at the target, so a second run with
//     the same suggestions writes nothing;
//   - finds each anchor again in the destination's raw content (not the
//     rendered page the suggestion was made on): among the places where
//     linking.Apply may put a link (not in headings, links, code, buttons
//     or attributes), the one that is the same in order as the
//     suggestion's place in the crawled page, or else the first; an
//     anchor that is not there any more is reported in Skipped with the
//     reason;
//   - inserts the links with linking.Apply, byte for byte around them and
//     checked with linking.VerifyInsertion, pointing at the target's
//     address at the destination when it knows the target (so that a
//     link does not go through a redirect);
//   - writes the page only when a link was inserted, with the Updater's
//     guard against concurrent edits: a page changed at the destination
//     since it was read fails with Conflict and is not written (run again
//     to place the links in the new content); and checks that the written
//     content kept the links.
//
// Bad input (no site in scope, no updater, a suggestion without source,
// target or anchor, or whose source is not an imported page of the scope)
// fails before anything is written. A page that fails is reported and the
// others go on; refused credentials or a done context stop the run, and
// the report so far comes back with the error. The inventory is left as
// the crawl saw it: re-import to audit the pages with their new links.
func (a *Auditor) PublishLinks(ctx context.Context, scope igny8.Scope, dest publishing.Updater, opts PublishOptions) (PublishReport, error) {
	const op = "siteaudit.PublishLinks"
	if err := scope.RequireSite(op); err != nil {
		return PublishReport{}, err
	}
	if dest == nil {
		return PublishReport{}, igny8.InvalidArgument(op, "updater", "is required")
	}
	bySource := map[string][]linking.Suggestion{}
	var order []string
	for i, s := range opts.Suggestions {
		field := fmt.Sprintf("suggestions[%d]", i)
		switch {
		case s.SourceID == "":
			return PublishReport{}, igny8.InvalidArgument(op, field+".source_id", "is required")
		case strings.TrimSpace(s.Anchor) == "":
			return PublishReport{}, igny8.InvalidArgument(op, field+".anchor", "is required")
		}
		if _, ok := NormalizeURL(s.TargetURL, SlashStrip); !ok {
			return PublishReport{}, igny8.InvalidArgument(op, field+".target_url", "must be an absolute http(s) URL, got %q", s.TargetURL)
		}
		if _, ok := bySource[s.SourceID]; !ok {
			order = append(order, s.SourceID)
		}
		bySource[s.SourceID] = append(bySource[s.SourceID], s)
	}
	items := make([]Item, 0, len(order))
	for _, id := range order {
		it, err := a.store.GetItem(ctx, scope, id)
		if igny8.CodeOf(err) == igny8.CodeNotFound {
			i := slices.IndexFunc(opts.Suggestions, func(s linking.Suggestion) bool { return s.SourceID == id })
			return PublishReport{}, igny8.InvalidArgument(op, fmt.Sprintf("suggestions[%d].source_id", i), "%q is not an imported page of the site", id)
		}
		if err != nil {
			return PublishReport{}, igny8.Wrap(igny8.CodeInternal, op, err)
		}
		items = append(items, it)
	}
	slices.SortFunc(items, func(x, y Item) int { return strings.Compare(x.Page.URL, y.Page.URL) })

	run := &publishRun{a: a, dest: dest, hrefs: map[string]string{}}
	var rep PublishReport
	for _, it := range items {
		if err := ctx.Err(); err != nil {
			return rep, igny8.Wrap(igny8.CodeUnavailable, op, err)
		}
		pp := run.page(ctx, it, bySource[it.ID], opts.DryRun)
		rep.add(pp)
		if pp.Err != nil {
			a.log.WarnContext(ctx, "siteaudit: publishing links failed", "scope", scope.String(), "url", it.Page.URL, "err", pp.Err)
			if igny8.CodeOf(pp.Err) == igny8.CodePermissionDenied || ctx.Err() != nil {
				return rep, igny8.Wrap(igny8.CodeUnavailable, op, pp.Err)
			}
		}
	}
	a.log.InfoContext(ctx, "siteaudit: links published", "scope", scope.String(), "pages", len(rep.Pages), "updated", rep.Updated,
		"unchanged", rep.Unchanged, "not_found", rep.NotFound, "failed", rep.Failed, "links", rep.Links, "skipped", rep.Skipped, "dry_run", opts.DryRun)
	return rep, nil
}

// publishRun is one PublishLinks call: its destination and the targets'
// addresses there, looked up once.
type publishRun struct {
	a     *Auditor
	dest  publishing.Updater
	hrefs map[string]string // suggestion TargetURL → address at the destination
}

func (r *publishRun) page(ctx context.Context, it Item, sugs []linking.Suggestion, dryRun bool) PagePublish {
	pp := PagePublish{ItemID: it.ID, URL: it.Page.URL}
	fail := func(err error) PagePublish {
		pp.Status, pp.Err, pp.Error = PublishFailed, err, err.Error()
		return pp
	}
	remote, found, err := r.dest.FindPage(ctx, it.Page.URL)
	if err != nil {
		return fail(err)
	}
	if !found {
		pp.Status = PublishNotFound
		return pp
	}
	pp.RemoteID, pp.RemoteKind, pp.RemoteURL = remote.ID, remote.Kind, remote.URL
	base, err := url.Parse(cmp.Or(remote.URL, it.Page.URL))
	if err != nil {
		return fail(igny8.Errorf(igny8.CodeInternal, "siteaudit.PublishLinks", "page address %q: %w", remote.URL, err))
	}
	have := linkedURLs(remote.Content, base)
	raw := remote.Content
	var placed []linking.Suggestion
	targets := map[string]bool{}
	slices.SortStableFunc(sugs, func(x, y linking.Suggestion) int { return x.Start - y.Start })
	for _, s := range sugs {
		t, _ := NormalizeURL(s.TargetURL, SlashStrip)
		if have[t] {
			pp.Present = append(pp.Present, s)
			continue
		}
		href := r.href(ctx, s.TargetURL)
		if h, ok := NormalizeURL(href, SlashStrip); ok && have[h] {
			pp.Present = append(pp.Present, s)
			continue
		}
		if targets[t] {
			pp.Skipped = append(pp.Skipped, SkippedLink{s, "another accepted link to the same target is placed in this page"})
			continue
		}
		at, reason := r.locate(raw, it.Page.HTML, s, placed)
		if reason != "" {
			pp.Skipped = append(pp.Skipped, SkippedLink{s, reason})
			continue
		}
		at.TargetURL = href
		placed = append(placed, at)
		targets[t] = true
	}
	if len(placed) == 0 {
		pp.Status = PublishUnchanged
		return pp
	}
	applied, err := linking.Apply(raw, placed, linking.ApplyOptions{IDs: r.a.ids, Clock: r.a.clock, Verify: true})
	if err != nil {
		return fail(err)
	}
	pp.Links = applied.Links
	if dryRun {
		pp.Status = PublishWouldUpdate
		return pp
	}
	written, err := r.dest.UpdatePage(ctx, remote, applied.HTML)
	if err != nil {
		return fail(err)
	}
	var lost []string
	for _, l := range applied.Links {
		if !strings.Contains(written.Content, linking.MarkerAttr+`="`+html.EscapeString(l.ID)+`"`) {
			lost = append(lost, l.Anchor)
		}
	}
	if len(lost) > 0 {
		return fail(igny8.Errorf(igny8.CodeInternal, "siteaudit.PublishLinks",
			"the destination stored the page without the links %q (its content filter removed them?)", lost))
	}
	pp.Status = PublishUpdated
	r.a.log.InfoContext(ctx, "siteaudit: links written", "url", it.Page.URL, "remote_id", remote.ID, "links", len(applied.Links))
	return pp
}

// href returns the target's address at the destination, or target when
// the destination does not know it (or the lookup fails: the crawled
// address still works).
func (r *publishRun) href(ctx context.Context, target string) string {
	if h, ok := r.hrefs[target]; ok {
		return h
	}
	h := target
	p, found, err := r.dest.FindPage(ctx, target)
	switch {
	case err != nil:
		r.a.log.WarnContext(ctx, "siteaudit: target not looked up at the destination; linking its crawled address", "target", target, "err", err)
	case found && p.URL != "":
		if _, ok := NormalizeURL(p.URL, SlashKeep); ok {
			h = p.URL
		}
	}
	r.hrefs[target] = h
	return h
}

// locate finds s's anchor in the destination's raw content: the place
// that is the same in order, among the places a link may go, as the
// suggestion's place in the crawled HTML, or else the first such place;
// places overlapping links placed already are left out. The anchor's words
// may be apart by other white space in the raw content than in the
// rendered page. It returns the suggestion with its anchor and offsets in
// raw, or why it found none.
func (r *publishRun) locate(raw, crawled string, s linking.Suggestion, placed []linking.Suggestion) (linking.Suggestion, string) {
	pattern := anchorPattern(s.Anchor)
	nth := 0
	if s.Start >= 0 && s.End <= len(crawled) && s.Start < s.End && crawled[s.Start:s.End] == s.Anchor {
		for _, m := range pattern.FindAllStringIndex(crawled, maxOccurrences) {
			if m[0] >= s.Start {
				break
			}
			if r.linkable(crawled, m[0], m[1]) {
				nth++
			}
		}
	}
	found := pattern.FindAllStringIndex(raw, maxOccurrences)
	var places [][]int
	for _, m := range found {
		overlaps := slices.ContainsFunc(placed, func(p linking.Suggestion) bool { return m[0] < p.End && p.Start < m[1] })
		if !overlaps && r.linkable(raw, m[0], m[1]) {
			places = append(places, m)
		}
	}
	if len(places) == 0 {
		if len(found) == 0 {
			return s, "the anchor text is not in the page's content at the destination any more"
		}
		return s, "the anchor text is only where no link may go (a heading, a link, code, a button, an attribute) or where another link of this run goes"
	}
	m := places[min(nth, len(places)-1)]
	s.Anchor, s.Start, s.End = raw[m[0]:m[1]], m[0], m[1]
	return s, ""
}

// anchorPattern matches an anchor's words apart by any run of the white
// space that keeps words of one anchor together (spaces, tabs, newlines).
func anchorPattern(anchor string) *regexp.Regexp {
	words := strings.FieldsFunc(anchor, func(r rune) bool { return r == ' ' || r == '\t' || r == '\n' })
	for i, w := range words {
		words[i] = regexp.QuoteMeta(w)
	}
	return regexp.MustCompile(strings.Join(words, `[ \t\n]+`))
}

// linkable reports whether linking.Apply would put a link around
// doc[start:end].
func (r *publishRun) linkable(doc string, start, end int) bool {
	probe := linking.Suggestion{SourceID: "probe", TargetID: "probe", TargetURL: "https://probe.invalid/", Anchor: doc[start:end], Start: start, End: end}
	_, err := linking.Apply(doc, []linking.Suggestion{probe}, linking.ApplyOptions{IDs: probeIDs{}, Clock: r.a.clock})
	return err == nil
}

type probeIDs struct{}

func (probeIDs) NewID() string { return "probe" }

// linkedURLs returns the addresses the <a href> of doc point at, resolved
// against base and folded with SlashStrip.
func linkedURLs(doc string, base *url.URL) map[string]bool {
	out := map[string]bool{}
	z := html.NewTokenizer(strings.NewReader(doc))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return out
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			if atom.Lookup(name) != atom.A {
				continue
			}
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				if string(k) == "href" {
					if u, ok := Resolve(base, string(v), SlashStrip); ok {
						out[u] = true
					}
				}
			}
		}
	}
}
