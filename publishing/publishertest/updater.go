package publishertest

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/publishing"
)

// UpdaterConfig is the input of RunUpdater.
type UpdaterConfig struct {
	// New returns a fresh Publisher with working credentials that is also
	// a publishing.Updater: the suite publishes the pages it then finds
	// and edits. Required.
	New func(t *testing.T) publishing.Publisher
	// Variants, when set, returns other addresses of the page at pageURL
	// that the adapter documents FindPage accepts (without the trailing
	// slash, over the other scheme); each must find the same page.
	Variants func(pageURL string) []string
	// MissingURL, when set, returns an address at the destination that no
	// page has, given the address of a published one. By default the last
	// path segment of pageURL is replaced by a fresh unused one.
	MissingURL func(pageURL string) string
	// Type is the content type of the items the suite publishes (default
	// publishing.TypePost); run the suite once per type whose pages the
	// adapter finds in a different place.
	Type string
	// Scope is the tenant of the items (default acct-test/site-test).
	Scope igny8.Scope
}

// RunUpdater runs the conformance suite of publishing.Updater against the
// Publisher cfg.New returns, which must also be an Updater. It publishes
// pages through the Publisher (and takes them down at cleanup), and checks:
//
//   - Find: FindPage of a published page's Receipt.URL finds it: its id and
//     kind are the receipt's, its URL is the receipt's, its content holds
//     the published HTML; Variants find the same page.
//   - Unknown: an address no page has, and the address of a page taken down
//     by Unpublish, answer (RemotePage{}, false, nil), not an error.
//   - Update: UpdatePage writes the new content and returns the page as
//     written; FindPage then returns that content, and a modified time that
//     did not go back.
//   - Stale: UpdatePage with a RemotePage read before the page changed (by
//     a Publish, or by an earlier UpdatePage) fails with Conflict and writes
//     nothing; one taken down by Unpublish since it was read fails with
//     Conflict or NotFound.
//   - BadInput: FindPage of an empty or relative address is
//     InvalidArgument on page_url; UpdatePage of a page without an id is
//     InvalidArgument on page.id, and with blank content on content; none
//     writes anything.
//   - Context: FindPage and UpdatePage with a canceled context fail with
//     context.Canceled or Unavailable, and nothing is written.
func RunUpdater(t *testing.T, cfg UpdaterConfig) {
	t.Helper()
	if cfg.New == nil {
		t.Fatal("publishertest: UpdaterConfig.New is required")
	}
	if cfg.Scope == (igny8.Scope{}) {
		cfg.Scope = igny8.Scope{AccountID: "acct-test", SiteID: "site-test"}
	}
	u := &updaterSuite{cfg: cfg, s: &suite{cfg: Config{Scope: cfg.Scope}}}
	t.Run("Find", u.find)
	t.Run("Variants", u.variants)
	t.Run("Unknown", u.unknown)
	t.Run("Update", u.update)
	t.Run("Stale", u.stale)
	t.Run("BadInput", u.badInput)
	t.Run("Context", u.context)
}

type updaterSuite struct {
	cfg UpdaterConfig
	s   *suite // for its item and publish helpers
}

// start returns a fresh destination and a page published to it, found.
func (u *updaterSuite) start(t *testing.T, name string) (publishing.Publisher, publishing.Updater, publishing.Item, publishing.Receipt, publishing.RemotePage) {
	t.Helper()
	p := u.cfg.New(t)
	up, ok := p.(publishing.Updater)
	if !ok {
		t.Fatalf("publishertest: %T is not a publishing.Updater", p)
	}
	it := u.s.item(name)
	if u.cfg.Type != "" {
		it.Type = u.cfg.Type
	}
	r := u.s.publish(t, p, it)
	page := u.mustFind(t, up, r.URL, r)
	if !strings.Contains(page.Content, it.HTML) {
		t.Fatalf("FindPage(%s).Content = %q, want it to contain the published HTML %q", r.URL, page.Content, it.HTML)
	}
	return p, up, it, r, page
}

// mustFind finds the page at pageURL and checks it is the page of r.
func (u *updaterSuite) mustFind(t *testing.T, up publishing.Updater, pageURL string, r publishing.Receipt) publishing.RemotePage {
	t.Helper()
	page, found, err := up.FindPage(ctxT(t), pageURL)
	if err != nil {
		t.Fatalf("FindPage(%s): %v", pageURL, err)
	}
	if !found {
		t.Fatalf("FindPage(%s) found nothing, want the page %s published there", pageURL, r.RemoteID)
	}
	if page.ID != r.RemoteID {
		t.Fatalf("FindPage(%s).ID = %q, want the published remote id %q", pageURL, page.ID, r.RemoteID)
	}
	if r.Kind != "" && page.Kind != r.Kind {
		t.Errorf("FindPage(%s).Kind = %q, want the receipt's kind %q", pageURL, page.Kind, r.Kind)
	}
	if page.URL != r.URL {
		t.Errorf("FindPage(%s).URL = %q, want the receipt's URL %q", pageURL, page.URL, r.URL)
	}
	return page
}

// content returns the page FindPage finds at pageURL now, and fails t when
// it finds none.
func (u *updaterSuite) content(t *testing.T, up publishing.Updater, pageURL string) publishing.RemotePage {
	t.Helper()
	page, found, err := up.FindPage(ctxT(t), pageURL)
	if err != nil || !found {
		t.Fatalf("FindPage(%s) = found %v, err %v; want the page", pageURL, found, err)
	}
	return page
}

// unchanged fails t when the page at pageURL is not as before.
func (u *updaterSuite) unchanged(t *testing.T, up publishing.Updater, pageURL string, before publishing.RemotePage, what string) {
	t.Helper()
	now := u.content(t, up, pageURL)
	if now.Content != before.Content {
		t.Errorf("%s wrote the page: content is %q, was %q", what, now.Content, before.Content)
	}
	if !now.Modified.Equal(before.Modified) {
		t.Errorf("%s changed the page: modified %s, was %s", what, now.Modified, before.Modified)
	}
}

// edited returns new content for page, as an editor would make it: the
// content it has and one more paragraph.
func edited(page publishing.RemotePage, what string) string {
	return page.Content + "\n<p>" + what + " " + token() + "</p>"
}

func (u *updaterSuite) find(t *testing.T) {
	_, up, _, r, page := u.start(t, "Find")
	// A second lookup finds the page as it is.
	again := u.mustFind(t, up, r.URL, r)
	if again.Content != page.Content || !again.Modified.Equal(page.Modified) {
		t.Errorf("FindPage twice without a write: %+v, then %+v", page, again)
	}
}

func (u *updaterSuite) variants(t *testing.T) {
	if u.cfg.Variants == nil {
		t.Skip("UpdaterConfig.Variants is not set")
	}
	_, up, _, r, _ := u.start(t, "Variants")
	vs := u.cfg.Variants(r.URL)
	if len(vs) == 0 {
		t.Fatalf("Variants(%s) returned none", r.URL)
	}
	for _, v := range vs {
		u.mustFind(t, up, v, r)
	}
}

// missingURL returns an address at the destination that no page has.
func (u *updaterSuite) missingURL(t *testing.T, pageURL string) string {
	t.Helper()
	if u.cfg.MissingURL != nil {
		return u.cfg.MissingURL(pageURL)
	}
	pu, err := url.Parse(pageURL)
	if err != nil {
		t.Fatalf("published URL %q: %v", pageURL, err)
	}
	path := strings.TrimSuffix(pu.Path, "/")
	slash := len(path) != len(pu.Path)
	path = path[:strings.LastIndexByte(path, '/')+1] + "igny8-no-such-page-" + token()
	if slash {
		path += "/"
	}
	pu.Path, pu.RawPath, pu.RawQuery, pu.Fragment = path, "", "", ""
	return pu.String()
}

func (u *updaterSuite) unknown(t *testing.T) {
	p, up, _, r, _ := u.start(t, "Unknown")
	notFound := func(t *testing.T, pageURL, what string) {
		t.Helper()
		page, found, err := up.FindPage(ctxT(t), pageURL)
		if err != nil {
			t.Fatalf("FindPage(%s) (%s): %v; want (zero, false, nil)", pageURL, what, err)
		}
		if found || page != (publishing.RemotePage{}) {
			t.Fatalf("FindPage(%s) (%s) = %+v, %v; want (zero, false, nil)", pageURL, what, page, found)
		}
	}
	t.Run("address no page has", func(t *testing.T) {
		notFound(t, u.missingURL(t, r.URL), "an address no page has")
	})
	t.Run("page taken down", func(t *testing.T) {
		if err := p.Unpublish(ctxT(t), r); err != nil {
			t.Fatalf("Unpublish: %v", err)
		}
		notFound(t, r.URL, "the address of an unpublished page")
	})
}

func (u *updaterSuite) update(t *testing.T) {
	_, up, _, r, page := u.start(t, "Update")
	content := edited(page, "Updated")
	got, err := up.UpdatePage(ctxT(t), page, content)
	if err != nil {
		t.Fatalf("UpdatePage: %v", err)
	}
	if got.ID != page.ID || got.Kind != page.Kind {
		t.Errorf("UpdatePage returned page %s (%s), want %s (%s)", got.ID, got.Kind, page.ID, page.Kind)
	}
	if got.Content != content {
		t.Errorf("UpdatePage returned content %q, want %q", got.Content, content)
	}
	if !page.Modified.IsZero() && got.Modified.Before(page.Modified) {
		t.Errorf("UpdatePage returned modified %s, before the %s it was read at", got.Modified, page.Modified)
	}
	now := u.mustFind(t, up, r.URL, r)
	if now.Content != content {
		t.Fatalf("FindPage after UpdatePage: content %q, want %q", now.Content, content)
	}
	if !now.Modified.Equal(got.Modified) {
		t.Errorf("FindPage after UpdatePage: modified %s, UpdatePage returned %s", now.Modified, got.Modified)
	}

	// The page as written is the page to edit next.
	content2 := edited(now, "Updated again")
	if _, err := up.UpdatePage(ctxT(t), now, content2); err != nil {
		t.Fatalf("second UpdatePage with the page found after the first: %v", err)
	}
	if again := u.content(t, up, r.URL); again.Content != content2 {
		t.Fatalf("FindPage after the second UpdatePage: content %q, want %q", again.Content, content2)
	}
}

// conflict fails t unless err is Conflict.
func conflict(t *testing.T, what string, err error) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s succeeded, want Conflict", what)
	}
	if !errors.Is(err, igny8.ErrConflict) || igny8.CodeOf(err) != igny8.CodeConflict {
		t.Fatalf("%s: %v (code %s), want Conflict", what, err, igny8.CodeOf(err))
	}
}

func (u *updaterSuite) stale(t *testing.T) {
	t.Run("changed by a publish", func(t *testing.T) {
		p, up, it, r, page := u.start(t, "StalePublish")
		it.Version, it.RemoteID, it.RemoteKind = 2, r.RemoteID, r.Kind
		it.HTML = "<p>Changed by an editor " + token() + "</p>"
		if _, err := p.Publish(ctxT(t), it); err != nil {
			t.Fatalf("Publish (update): %v", err)
		}
		before := u.content(t, up, r.URL)
		if !strings.Contains(before.Content, it.HTML) {
			t.Fatalf("FindPage after a Publish update: content %q, want it to contain %q", before.Content, it.HTML)
		}
		_, err := up.UpdatePage(ctxT(t), page, edited(page, "Stale"))
		conflict(t, "UpdatePage of a page read before a Publish changed it", err)
		u.unchanged(t, up, r.URL, before, "the refused UpdatePage")
	})
	t.Run("changed by an update", func(t *testing.T) {
		_, up, _, r, page := u.start(t, "StaleUpdate")
		if _, err := up.UpdatePage(ctxT(t), page, edited(page, "First")); err != nil {
			t.Fatalf("UpdatePage: %v", err)
		}
		before := u.content(t, up, r.URL)
		_, err := up.UpdatePage(ctxT(t), page, edited(page, "Second"))
		conflict(t, "UpdatePage with the page as read before an earlier UpdatePage", err)
		u.unchanged(t, up, r.URL, before, "the refused UpdatePage")
	})
	t.Run("taken down", func(t *testing.T) {
		// Unpublished right after it was read: the same second, often the
		// same modified time and content, and still refused.
		p, up, _, r, page := u.start(t, "StaleUnpublished")
		if err := p.Unpublish(ctxT(t), r); err != nil {
			t.Fatalf("Unpublish: %v", err)
		}
		_, err := up.UpdatePage(ctxT(t), page, edited(page, "Gone"))
		if c := igny8.CodeOf(err); err == nil || (c != igny8.CodeConflict && c != igny8.CodeNotFound) {
			t.Fatalf("UpdatePage of a page taken down since it was read: %v (code %s), want Conflict or NotFound", err, igny8.CodeOf(err))
		}
	})
}

// fieldOf returns the input field err names, as an *igny8.Error or a
// *publishing.RemoteError.
func fieldOf(err error) string {
	var e *igny8.Error
	if errors.As(err, &e) && e.Field != "" {
		return e.Field
	}
	var re *publishing.RemoteError
	if errors.As(err, &re) {
		return re.Field
	}
	return ""
}

func invalid(t *testing.T, what string, err error, field string) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s succeeded, want InvalidArgument on %s", what, field)
	}
	if igny8.CodeOf(err) != igny8.CodeInvalidArgument {
		t.Fatalf("%s: %v (code %s), want InvalidArgument on %s", what, err, igny8.CodeOf(err), field)
	}
	if got := fieldOf(err); got != field {
		t.Fatalf("%s: %v names the field %q, want %q", what, err, got, field)
	}
}

func (u *updaterSuite) badInput(t *testing.T) {
	_, up, _, r, page := u.start(t, "BadInput")
	for _, bad := range []string{"", "/" + strings.TrimPrefix(mustPath(t, r.URL), "/"), "no-scheme-" + token()} {
		got, found, err := up.FindPage(ctxT(t), bad)
		invalid(t, "FindPage("+`"`+bad+`")`, err, "page_url")
		if found || got != (publishing.RemotePage{}) {
			t.Errorf("FindPage(%q) failed but returned %+v, %v", bad, got, found)
		}
	}
	noID := page
	noID.ID = ""
	_, err := up.UpdatePage(ctxT(t), noID, edited(page, "No id"))
	invalid(t, "UpdatePage of a page without an id", err, "page.id")
	for _, blank := range []string{"", " \n\t "} {
		_, err := up.UpdatePage(ctxT(t), page, blank)
		invalid(t, "UpdatePage with blank content", err, "content")
	}
	u.unchanged(t, up, r.URL, page, "UpdatePage with bad input")
}

func mustPath(t *testing.T, pageURL string) string {
	t.Helper()
	pu, err := url.Parse(pageURL)
	if err != nil {
		t.Fatalf("published URL %q: %v", pageURL, err)
	}
	return pu.Path
}

// canceled fails t unless err is what a canceled context gives.
func canceled(t *testing.T, what string, err error) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s with a canceled context succeeded", what)
	}
	if !errors.Is(err, context.Canceled) && igny8.CodeOf(err) != igny8.CodeUnavailable {
		t.Fatalf("%s with a canceled context: %v, want context.Canceled or Unavailable", what, err)
	}
}

func (u *updaterSuite) context(t *testing.T) {
	_, up, _, r, page := u.start(t, "Context")
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	got, found, err := up.FindPage(ctx, r.URL)
	canceled(t, "FindPage", err)
	if found || got != (publishing.RemotePage{}) {
		t.Errorf("FindPage with a canceled context failed but returned %+v, %v", got, found)
	}
	_, err = up.UpdatePage(ctx, page, edited(page, "Canceled"))
	canceled(t, "UpdatePage", err)
	u.unchanged(t, up, r.URL, page, "UpdatePage with a canceled context")
}
