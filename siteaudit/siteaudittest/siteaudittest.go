// Package siteaudittest is the conformance suite for implementations of
// siteaudit.Store. A store author runs it from a test:
//
//	func TestSiteAuditStore(t *testing.T) {
//		siteaudittest.Run(t, func(t *testing.T) siteaudittest.Harness {
//			s := openMyStore(t)
//			return siteaudittest.Harness{Store: s, Sites: siteaudittest.Tenants(t, s)}
//		})
//	}
//
// Each call of the constructor must return a fresh, empty store and three
// site scopes: two sites of one account and one site of another.
package siteaudittest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/igny8/storetest"
	"github.com/igny8/sdk/siteaudit"
)

// Harness is a store under test and the sites it holds.
type Harness struct {
	Store siteaudit.Store
	// Sites are three site scopes: Sites[0] and Sites[1] of one account,
	// Sites[2] of another.
	Sites [3]igny8.Scope
}

var t0 = time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)

// Tenants creates two accounts with their sites in a kernel store and
// returns the scopes a Harness needs.
func Tenants(t testing.TB, s igny8.Store) [3]igny8.Scope {
	t.Helper()
	a, b := storetest.NewAccount(t, s, "siteaudit a"), storetest.NewAccount(t, s, "siteaudit b")
	return [3]igny8.Scope{a.Site, a.OtherSite, b.Site}
}

// Run runs the whole suite.
func Run(t *testing.T, newHarness func(t *testing.T) Harness) {
	t.Run("SaveGetList", func(t *testing.T) { testSaveGetList(t, newHarness(t)) })
	t.Run("Replace", func(t *testing.T) { testReplace(t, newHarness(t)) })
	t.Run("URLConflict", func(t *testing.T) { testURLConflict(t, newHarness(t)) })
	t.Run("Isolation", func(t *testing.T) { testIsolation(t, newHarness(t)) })
	t.Run("Paging", func(t *testing.T) { testPaging(t, newHarness(t)) })
	t.Run("Concurrent", func(t *testing.T) { testConcurrent(t, newHarness(t)) })
}

// NewItem returns a filled item for url with a new ID.
func NewItem(ids igny8.IDGenerator, url string) siteaudit.Item {
	p := siteaudit.Page{
		URL: url, FinalURL: url, Status: 200, Depth: 1, Title: "Title of " + url, MetaDescription: "meta",
		Canonical: url, Headings: []siteaudit.Heading{{Level: 1, Text: "Heading"}, {Level: 2, Text: "Sub"}},
		Text: "Some text here.", HTML: "<h1>Heading</h1><p>Some text here.</p>", Words: 3,
		Links:        []siteaudit.Link{{URL: "https://example.com/x", Anchor: "x", Internal: true, InMain: true}, {URL: "https://other.org/", Anchor: "o", Nofollow: true}},
		Images:       []siteaudit.Image{{URL: "https://example.com/i.png", Alt: "alt"}},
		Redirects:    []siteaudit.Hop{{From: url + "/old", To: url, Status: 301}},
		LastModified: t0.Add(-time.Hour), ETag: `"e1"`, Hash: "abc123",
	}
	return siteaudit.Item{ID: ids.NewID(), Kind: siteaudit.KindImported, Page: p,
		CrawledAt: t0, ChangedAt: t0, CreatedAt: t0, UpdatedAt: t0}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func equal(t *testing.T, got, want siteaudit.Item) {
	t.Helper()
	if got.ID != want.ID || got.Kind != want.Kind || !got.CrawledAt.Equal(want.CrawledAt) || !got.ChangedAt.Equal(want.ChangedAt) ||
		!got.CreatedAt.Equal(want.CreatedAt) || !got.UpdatedAt.Equal(want.UpdatedAt) {
		t.Errorf("item = %+v, want %+v", got, want)
	}
	g, w := got.Page, want.Page
	if !g.LastModified.Equal(w.LastModified) {
		t.Errorf("last modified = %v, want %v", g.LastModified, w.LastModified)
	}
	g.LastModified, w.LastModified = time.Time{}, time.Time{}
	if fmt.Sprintf("%+v", g) != fmt.Sprintf("%+v", w) {
		t.Errorf("page = %+v\nwant %+v", g, w)
	}
}

func testSaveGetList(t *testing.T, h Harness) {
	ctx := context.Background()
	ids := &igny8.UUIDv7{}
	a, b := NewItem(ids, "https://example.com/a"), NewItem(ids, "https://example.com/b")
	must(t, h.Store.SaveItems(ctx, h.Sites[0], []siteaudit.Item{a, b}))
	got, err := h.Store.GetItem(ctx, h.Sites[0], a.ID)
	must(t, err)
	a.Scope = h.Sites[0]
	equal(t, got, a)
	if got.Scope != h.Sites[0] {
		t.Errorf("scope = %v, want %v", got.Scope, h.Sites[0])
	}
	byURL, err := h.Store.GetItemByURL(ctx, h.Sites[0], b.Page.URL)
	must(t, err)
	if byURL.ID != b.ID {
		t.Errorf("GetItemByURL = %s, want %s", byURL.ID, b.ID)
	}
	list, err := h.Store.ListItems(ctx, h.Sites[0], igny8.PageRequest{})
	must(t, err)
	if len(list) != 2 || list[0].ID != a.ID || list[1].ID != b.ID {
		t.Errorf("list = %v", list)
	}
	must(t, h.Store.DeleteItems(ctx, h.Sites[0], a.ID))
	if _, err := h.Store.GetItem(ctx, h.Sites[0], a.ID); !errors.Is(err, igny8.ErrNotFound) {
		t.Errorf("GetItem after delete = %v", err)
	}
	if err := h.Store.SaveItems(ctx, igny8.Scope{AccountID: h.Sites[0].AccountID}, []siteaudit.Item{a}); !errors.Is(err, igny8.ErrInvalidArgument) {
		t.Errorf("SaveItems without a site = %v, want InvalidArgument", err)
	}
}

func testReplace(t *testing.T, h Harness) {
	ctx := context.Background()
	ids := &igny8.UUIDv7{}
	a := NewItem(ids, "https://example.com/a")
	must(t, h.Store.SaveItems(ctx, h.Sites[0], []siteaudit.Item{a}))
	a.Page.Title, a.Page.Links, a.Page.Status = "new title", nil, 404
	a.UpdatedAt = t0.Add(time.Hour)
	must(t, h.Store.SaveItems(ctx, h.Sites[0], []siteaudit.Item{a}))
	got, err := h.Store.GetItem(ctx, h.Sites[0], a.ID)
	must(t, err)
	a.Scope = h.Sites[0]
	equal(t, got, a)
	list, err := h.Store.ListItems(ctx, h.Sites[0], igny8.PageRequest{})
	must(t, err)
	if len(list) != 1 {
		t.Errorf("replace made %d items", len(list))
	}
}

func testURLConflict(t *testing.T, h Harness) {
	ctx := context.Background()
	ids := &igny8.UUIDv7{}
	a := NewItem(ids, "https://example.com/a")
	must(t, h.Store.SaveItems(ctx, h.Sites[0], []siteaudit.Item{a}))
	dup := NewItem(ids, "https://example.com/a")
	other := NewItem(ids, "https://example.com/other")
	err := h.Store.SaveItems(ctx, h.Sites[0], []siteaudit.Item{other, dup})
	if !errors.Is(err, igny8.ErrConflict) {
		t.Fatalf("second item for one URL = %v, want Conflict", err)
	}
	if _, err := h.Store.GetItem(ctx, h.Sites[0], other.ID); !errors.Is(err, igny8.ErrNotFound) {
		t.Errorf("a failed batch was half written: %v", err)
	}
	// The same URL on another site is another page.
	must(t, h.Store.SaveItems(ctx, h.Sites[1], []siteaudit.Item{dup}))
}

func testIsolation(t *testing.T, h Harness) {
	ctx := context.Background()
	ids := &igny8.UUIDv7{}
	a := NewItem(ids, "https://example.com/a")
	must(t, h.Store.SaveItems(ctx, h.Sites[0], []siteaudit.Item{a}))
	for i, other := range []igny8.Scope{h.Sites[1], h.Sites[2], {AccountID: h.Sites[2].AccountID, SiteID: h.Sites[0].SiteID}} {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			if _, err := h.Store.GetItem(ctx, other, a.ID); !errors.Is(err, igny8.ErrNotFound) {
				t.Errorf("GetItem from %v = %v, want NotFound", other, err)
			}
			if _, err := h.Store.GetItemByURL(ctx, other, a.Page.URL); !errors.Is(err, igny8.ErrNotFound) {
				t.Errorf("GetItemByURL from %v = %v, want NotFound", other, err)
			}
			list, err := h.Store.ListItems(ctx, other, igny8.PageRequest{})
			if err != nil || len(list) != 0 {
				t.Errorf("ListItems from %v = %d items, %v", other, len(list), err)
			}
			_ = h.Store.DeleteItems(ctx, other, a.ID)
			changed := a
			changed.Page.Title = "stolen"
			if err := h.Store.SaveItems(ctx, other, []siteaudit.Item{changed}); err == nil {
				got, _ := h.Store.GetItem(ctx, h.Sites[0], a.ID)
				if got.Page.Title == "stolen" {
					t.Errorf("SaveItems from %v overwrote another tenant's item", other)
				}
			}
		})
	}
	if _, err := h.Store.GetItem(ctx, h.Sites[0], a.ID); err != nil {
		t.Errorf("item gone after other tenants' deletes: %v", err)
	}
}

func testPaging(t *testing.T, h Harness) {
	ctx := context.Background()
	ids := &igny8.UUIDv7{}
	var want []string
	var items []siteaudit.Item
	for i := range 25 {
		it := NewItem(ids, fmt.Sprintf("https://example.com/p%d", i))
		items = append(items, it)
		want = append(want, it.ID)
	}
	must(t, h.Store.SaveItems(ctx, h.Sites[0], items))
	var got []string
	after := ""
	for {
		page, err := h.Store.ListItems(ctx, h.Sites[0], igny8.PageRequest{Limit: 10, After: after})
		must(t, err)
		for _, it := range page {
			got = append(got, it.ID)
		}
		if len(page) < 10 {
			break
		}
		after = page[len(page)-1].ID
	}
	if !slices.Equal(got, want) {
		t.Errorf("paged ids = %v, want %v", got, want)
	}
}

func testConcurrent(t *testing.T, h Harness) {
	ctx := context.Background()
	ids := &igny8.UUIDv7{}
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var batch []siteaudit.Item
			for i := range 10 {
				batch = append(batch, NewItem(ids, fmt.Sprintf("https://example.com/w%d/%d", w, i)))
			}
			errs <- h.Store.SaveItems(ctx, h.Sites[0], batch)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		must(t, err)
	}
	list, err := h.Store.ListItems(ctx, h.Sites[0], igny8.PageRequest{})
	must(t, err)
	if len(list) != 40 {
		t.Errorf("concurrent saves kept %d items, want 40", len(list))
	}
}
