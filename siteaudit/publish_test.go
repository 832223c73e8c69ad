package siteaudit_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/linking"
	"github.com/igny8/sdk/publishing"
	"github.com/igny8/sdk/siteaudit"
)

// fakeDest is a destination holding pages by URL, with WordPress's
// addresses (a trailing slash) and a modified time per page; UpdatePage
// refuses a page changed since it was read, as the WordPress adapter does.
type fakeDest struct {
	mu     sync.Mutex
	pages  map[string]publishing.RemotePage // by URL without trailing slash
	writes int
	clock  time.Time
	// findErr, updateErr and filter change the answers.
	findErr   func(url string) error
	updateErr error
	filter    func(string) string
	// beforeUpdate runs before a write (an editor saving meanwhile).
	beforeUpdate func()
}

func newFakeDest() *fakeDest {
	return &fakeDest{pages: map[string]publishing.RemotePage{}, clock: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
}

func (d *fakeDest) put(u, content string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.clock = d.clock.Add(time.Second)
	d.pages[strings.TrimRight(u, "/")] = publishing.RemotePage{
		ID: strconv.Itoa(len(d.pages) + 1), Kind: "posts", URL: strings.TrimRight(u, "/") + "/", Modified: d.clock, Content: content}
}

func (d *fakeDest) content(u string) string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.pages[strings.TrimRight(u, "/")].Content
}

func (d *fakeDest) FindPage(_ context.Context, u string) (publishing.RemotePage, bool, error) {
	if d.findErr != nil {
		if err := d.findErr(u); err != nil {
			return publishing.RemotePage{}, false, err
		}
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	p, ok := d.pages[strings.TrimRight(u, "/")]
	return p, ok, nil
}

func (d *fakeDest) UpdatePage(_ context.Context, p publishing.RemotePage, content string) (publishing.RemotePage, error) {
	if d.beforeUpdate != nil {
		d.beforeUpdate()
	}
	if d.updateErr != nil {
		return publishing.RemotePage{}, d.updateErr
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	key := strings.TrimRight(p.URL, "/")
	cur, ok := d.pages[key]
	if !ok {
		return publishing.RemotePage{}, igny8.NotFound("fake.UpdatePage", "page", p.ID)
	}
	if !cur.Modified.Equal(p.Modified) || cur.Content != p.Content {
		return publishing.RemotePage{}, igny8.Errorf(igny8.CodeConflict, "fake.UpdatePage", "page %s changed", p.ID)
	}
	if d.filter != nil {
		content = d.filter(content)
	}
	d.clock = d.clock.Add(time.Second)
	cur.Content, cur.Modified = content, d.clock
	d.pages[key] = cur
	d.writes++
	return cur, nil
}

// importSite imports sitePages into a fresh auditor.
func importSite(t *testing.T) (*siteaudit.Auditor, *siteaudit.MemStore, igny8.Scope) {
	t.Helper()
	store := siteaudit.NewMemStore()
	cr := &fakeCrawler{pages: func() []siteaudit.Page {
		return sitePages("Grip matters on mud. Rain jackets help when the trail is wet.")
	}}
	a, err := siteaudit.NewAuditor(store, cr, siteaudit.Options{Clock: igny8.NewManualClock(time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC))})
	if err != nil {
		t.Fatal(err)
	}
	scope := igny8.Scope{AccountID: "acct", SiteID: "site"}
	if _, err := a.Import(t.Context(), scope, siteaudit.CrawlRequest{Start: site}); err != nil {
		t.Fatal(err)
	}
	return a, store, scope
}

// rawOf is the pages' raw content at the destination: block comments, no
// title heading, so every offset differs from the crawled HTML.
var rawOf = map[string]string{
	"/shoes":   "<!-- wp:paragraph -->\n<p>Grip matters on mud. Rain jackets help when the trail is wet.</p>\n<!-- /wp:paragraph -->",
	"/jackets": "<!-- wp:paragraph -->\n<p>Rain jackets keep hikers dry. Pair them with trail running shoes on wet days.</p>\n<!-- /wp:paragraph -->",
}

func TestPublishLinks(t *testing.T) {
	ctx := t.Context()
	a, _, scope := importSite(t)
	rep, err := a.Audit(ctx, scope, siteaudit.AuditOptions{Keyphrases: map[string]string{
		site + "/shoes": "trail running shoes", site + "/jackets": "rain jackets",
	}})
	if err != nil {
		t.Fatal(err)
	}
	sugs := rep.AllSuggestions()
	if len(sugs) != rep.SuggestedLinks || len(rep.Suggestions[site+"/jackets"].Suggestions) == 0 || len(rep.Suggestions[site+"/shoes"].Suggestions) == 0 {
		t.Fatalf("suggestions = %+v", rep.Suggestions)
	}
	dest := newFakeDest()
	for p, raw := range rawOf {
		dest.put(site+p, raw) // the home page is not at the destination
	}

	res, err := a.PublishLinks(ctx, scope, dest, siteaudit.PublishOptions{Suggestions: sugs})
	if err != nil {
		t.Fatal(err)
	}
	if res.Updated != 2 || res.Failed != 0 || res.Links != 2 || dest.writes != 2 {
		t.Fatalf("first run = %+v, %d writes", res, dest.writes)
	}
	byURL := map[string]siteaudit.PagePublish{}
	for _, p := range res.Pages {
		byURL[p.URL] = p
	}
	if _, home := rep.Suggestions[site+"/"]; home && byURL[site+"/"].Status != siteaudit.PublishNotFound {
		t.Errorf("home page = %+v, want not found", byURL[site+"/"])
	}
	jackets := dest.content(site + "/jackets")
	// The link goes to the target's address at the destination (with its
	// slash), around the anchor in the raw content; nothing else changed.
	if !strings.Contains(jackets, `<a href="`+site+`/shoes/" data-igny8-link="`) || !strings.Contains(jackets, `">trail running shoes</a>`) {
		t.Errorf("jackets content = %s", jackets)
	}
	if back, n := linking.RemoveAll(jackets); n != 1 || back != rawOf["/jackets"] {
		t.Errorf("removing the link gives %q (%d links), want the raw content", back, n)
	}
	pj := byURL[site+"/jackets"]
	if pj.Status != siteaudit.PublishUpdated || pj.RemoteID == "" || len(pj.Links) != 1 || pj.Links[0].TargetURL != site+"/shoes/" ||
		!strings.Contains(jackets, pj.Links[0].ID) || jackets[pj.Links[0].Offset:][:2] != "<a" {
		t.Errorf("jackets report = %+v", pj)
	}

	// A second run with the same suggestions finds the links present and
	// writes nothing.
	again, err := a.PublishLinks(ctx, scope, dest, siteaudit.PublishOptions{Suggestions: sugs})
	if err != nil {
		t.Fatal(err)
	}
	if again.Updated != 0 || again.Unchanged != 2 || again.Present != 2 || again.Links != 0 || dest.writes != 2 {
		t.Errorf("second run = %+v, %d writes", again, dest.writes)
	}
	if dest.content(site+"/jackets") != jackets {
		t.Errorf("second run changed the page")
	}
}

// suggestion builds an accepted suggestion for the item at path, whose
// anchor is the n-th (from 0) occurrence of anchor in its crawled HTML.
func suggestion(t *testing.T, store *siteaudit.MemStore, scope igny8.Scope, path, anchor string, n int, target string) linking.Suggestion {
	t.Helper()
	it, err := store.GetItemByURL(t.Context(), scope, site+path)
	if err != nil {
		t.Fatal(err)
	}
	at := -1
	for i := 0; i <= n; i++ {
		j := strings.Index(it.Page.HTML[at+1:], anchor)
		if j < 0 {
			t.Fatalf("%q has no occurrence %d of %q", it.Page.HTML, n, anchor)
		}
		at += 1 + j
	}
	return linking.Suggestion{SourceID: it.ID, TargetID: "t", TargetURL: site + target, Anchor: anchor, Start: at, End: at + len(anchor)}
}

func TestPublishLinksPlacesAnchorsInRawContent(t *testing.T) {
	ctx := t.Context()
	store := siteaudit.NewMemStore()
	crawled := "<h1>Knife care</h1><p>Sharpen a santoku knife weekly.</p><h2>Honing</h2><p>Honing is not sharpening. A honing rod keeps the edge. Store the honing rod dry.</p>"
	cr := &fakeCrawler{pages: func() []siteaudit.Page {
		return []siteaudit.Page{
			{URL: site + "/care", FinalURL: site + "/care", Status: 200, Title: "Knife care", HTML: crawled},
			{URL: site + "/gone", FinalURL: site + "/gone", Status: 200, Title: "Gone", HTML: "<p>Honing rod reviews.</p>"},
		}
	}}
	a, err := siteaudit.NewAuditor(store, cr, siteaudit.Options{})
	if err != nil {
		t.Fatal(err)
	}
	scope := igny8.Scope{AccountID: "acct", SiteID: "site"}
	if _, err := a.Import(ctx, scope, siteaudit.CrawlRequest{Start: site}); err != nil {
		t.Fatal(err)
	}
	// Raw content: a line break in "santoku knife", "honing rod" first in
	// a heading (no link there), then twice in paragraphs; "edge" gone.
	raw := "<h2>Why a honing rod</h2>\n<p>Sharpen a santoku\n knife weekly.</p>\n<p>Honing is not sharpening. A honing rod keeps its bevel. Store the honing rod dry.</p>"
	dest := newFakeDest()
	dest.put(site+"/care", raw)

	sugs := []linking.Suggestion{
		suggestion(t, store, scope, "/care", "honing rod", 1, "/rods"), // the second in the crawled text
		suggestion(t, store, scope, "/care", "santoku knife", 0, "/knives"),
		suggestion(t, store, scope, "/care", "edge", 0, "/edges"),      // not in the raw content
		suggestion(t, store, scope, "/gone", "Honing rod", 0, "/rods"), // page not at the destination
	}
	dry, err := a.PublishLinks(ctx, scope, dest, siteaudit.PublishOptions{Suggestions: sugs, DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if dry.Updated != 1 || dry.Links != 2 || dest.writes != 0 || dest.content(site+"/care") != raw {
		t.Fatalf("dry run = %+v, %d writes", dry, dest.writes)
	}
	res, err := a.PublishLinks(ctx, scope, dest, siteaudit.PublishOptions{Suggestions: sugs})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Pages) != 2 || res.Pages[0].Status != siteaudit.PublishUpdated || res.Pages[1].Status != siteaudit.PublishNotFound || res.NotFound != 1 {
		t.Fatalf("report = %+v", res)
	}
	care := res.Pages[0]
	if len(care.Skipped) != 1 || care.Skipped[0].Suggestion.Anchor != "edge" || !strings.Contains(care.Skipped[0].Reason, "not in the page's content") {
		t.Errorf("skipped = %+v", care.Skipped)
	}
	got := dest.content(site + "/care")
	for _, want := range []string{
		`<h2>Why a honing rod</h2>`,
		`<a href="` + site + `/knives" data-igny8-link="` + care.Links[0].ID + `">santoku` + "\n " + `knife</a>`,
		`Store the <a href="` + site + `/rods" data-igny8-link="` + care.Links[1].ID + `">honing rod</a> dry.`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("content %s\nlacks %s", got, want)
		}
	}
	if strings.Count(got, "data-igny8-link") != 2 {
		t.Errorf("content has %d links, want 2: %s", strings.Count(got, "data-igny8-link"), got)
	}
}

func TestPublishLinksAnchorOnlyInHeading(t *testing.T) {
	a, store, scope := importSite(t)
	dest := newFakeDest()
	dest.put(site+"/jackets", "<h2>Trail running shoes</h2><p>Rain jackets keep hikers dry.</p>")
	s := suggestion(t, store, scope, "/jackets", "trail running shoes", 0, "/shoes")
	s.Anchor, s.End = "Trail running shoes", s.Start+len("Trail running shoes") // not at its offset any more: located again
	res, err := a.PublishLinks(t.Context(), scope, dest, siteaudit.PublishOptions{Suggestions: []linking.Suggestion{s}})
	if err != nil {
		t.Fatal(err)
	}
	p := res.Pages[0]
	if p.Status != siteaudit.PublishUnchanged || len(p.Skipped) != 1 || !strings.Contains(p.Skipped[0].Reason, "heading") || dest.writes != 0 {
		t.Errorf("page = %+v, %d writes", p, dest.writes)
	}
}

func TestPublishLinksFailures(t *testing.T) {
	ctx := t.Context()
	a, store, scope := importSite(t)
	sugs := []linking.Suggestion{
		suggestion(t, store, scope, "/jackets", "trail running shoes", 0, "/shoes"),
		suggestion(t, store, scope, "/shoes", "Rain jackets", 0, "/jackets"),
	}

	t.Run("concurrent edit", func(t *testing.T) {
		dest := newFakeDest()
		for p, raw := range rawOf {
			dest.put(site+p, raw)
		}
		edited := false
		dest.beforeUpdate = func() {
			if !edited { // an editor saves /jackets between the read and the write
				edited = true
				dest.put(site+"/jackets", rawOf["/jackets"]+"<p>New paragraph.</p>")
			}
		}
		res, err := a.PublishLinks(ctx, scope, dest, siteaudit.PublishOptions{Suggestions: sugs})
		if err != nil {
			t.Fatal(err)
		}
		if res.Failed != 1 || res.Updated != 1 || res.Pages[0].Status != siteaudit.PublishFailed || !errors.Is(res.Pages[0].Err, igny8.ErrConflict) || res.Pages[0].Error == "" {
			t.Fatalf("report = %+v", res)
		}
		if got := dest.content(site + "/jackets"); strings.Contains(got, "data-igny8-link") {
			t.Errorf("the edited page was written over: %s", got)
		}
		// Run again: the links go into the new content.
		res, err = a.PublishLinks(ctx, scope, dest, siteaudit.PublishOptions{Suggestions: sugs})
		if err != nil || res.Updated != 1 || res.Unchanged != 1 || !strings.Contains(dest.content(site+"/jackets"), "New paragraph") {
			t.Fatalf("rerun = %+v, %v", res, err)
		}
	})

	t.Run("filtered content", func(t *testing.T) {
		dest := newFakeDest()
		for p, raw := range rawOf {
			dest.put(site+p, raw)
		}
		dest.filter = func(s string) string { return strings.ReplaceAll(s, "data-igny8-link", "data-x") }
		res, err := a.PublishLinks(ctx, scope, dest, siteaudit.PublishOptions{Suggestions: sugs})
		if err != nil || res.Failed != 2 || !strings.Contains(res.Pages[0].Error, "without the links") {
			t.Fatalf("report = %+v, %v", res, err)
		}
	})

	t.Run("refused credentials stop the run", func(t *testing.T) {
		dest := newFakeDest()
		denied := &publishing.RemoteError{Code: igny8.CodePermissionDenied, Status: 401, Message: "You are not currently logged in."}
		dest.findErr = func(string) error { return denied }
		res, err := a.PublishLinks(ctx, scope, dest, siteaudit.PublishOptions{Suggestions: sugs})
		if !errors.Is(err, igny8.ErrPermissionDenied) || len(res.Pages) != 1 || res.Failed != 1 {
			t.Fatalf("report = %+v, err %v", res, err)
		}
	})

	t.Run("a page that fails does not stop the others", func(t *testing.T) {
		dest := newFakeDest()
		for p, raw := range rawOf {
			dest.put(site+p, raw)
		}
		dest.findErr = func(u string) error {
			if u == site+"/jackets" {
				return &publishing.RemoteError{Code: igny8.CodeUnavailable, Status: 502, Message: "bad gateway", Uncertain: true}
			}
			return nil
		}
		res, err := a.PublishLinks(ctx, scope, dest, siteaudit.PublishOptions{Suggestions: sugs})
		if err != nil || res.Failed != 1 || res.Updated != 1 || !errors.Is(res.Pages[0].Err, igny8.ErrUnavailable) {
			t.Fatalf("report = %+v, err %v", res, err)
		}
	})

	t.Run("bad input writes nothing", func(t *testing.T) {
		dest := newFakeDest()
		for p, raw := range rawOf {
			dest.put(site+p, raw)
		}
		mod := func(f func(*linking.Suggestion)) []linking.Suggestion {
			out := append([]linking.Suggestion(nil), sugs...)
			f(&out[1])
			return out
		}
		cases := []struct {
			name  string
			scope igny8.Scope
			dest  publishing.Updater
			sugs  []linking.Suggestion
			field string
		}{
			{"no site", igny8.Scope{AccountID: "acct"}, dest, sugs, "scope.site_id"},
			{"no updater", scope, nil, sugs, "updater"},
			{"no source", scope, dest, mod(func(s *linking.Suggestion) { s.SourceID = "" }), "suggestions[1].source_id"},
			{"no anchor", scope, dest, mod(func(s *linking.Suggestion) { s.Anchor = " " }), "suggestions[1].anchor"},
			{"bad target", scope, dest, mod(func(s *linking.Suggestion) { s.TargetURL = "/shoes" }), "suggestions[1].target_url"},
			{"unknown source", scope, dest, mod(func(s *linking.Suggestion) { s.SourceID = "nope" }), "suggestions[1].source_id"},
			{"other tenant's page", igny8.Scope{AccountID: "acct", SiteID: "other"}, dest, sugs, "suggestions[0].source_id"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				_, err := a.PublishLinks(ctx, tc.scope, tc.dest, siteaudit.PublishOptions{Suggestions: tc.sugs})
				var e *igny8.Error
				if !errors.As(err, &e) || e.Code != igny8.CodeInvalidArgument || e.Field != tc.field {
					t.Fatalf("err = %v, want InvalidArgument on %s", err, tc.field)
				}
			})
		}
		if dest.writes != 0 {
			t.Errorf("bad input wrote %d pages", dest.writes)
		}
	})
}
