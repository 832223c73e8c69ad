package siteaudit_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/siteaudit"
	"github.com/igny8/sdk/siteaudit/siteaudittest"
)

func TestMemStore(t *testing.T) {
	siteaudittest.Run(t, func(t *testing.T) siteaudittest.Harness {
		return siteaudittest.Harness{Store: siteaudit.NewMemStore(), Sites: [3]igny8.Scope{
			{AccountID: "a1", SiteID: "s1"}, {AccountID: "a1", SiteID: "s2"}, {AccountID: "a2", SiteID: "s3"},
		}}
	})
}

// fakeCrawler serves pages from a function of the request, as a crawler
// would: unchanged pages where Known says so.
type fakeCrawler struct {
	pages func() []siteaudit.Page
	err   error
}

func (f *fakeCrawler) Crawl(ctx context.Context, req siteaudit.CrawlRequest, visit func(siteaudit.Page) error) (siteaudit.CrawlStats, error) {
	var st siteaudit.CrawlStats
	for _, p := range f.pages() {
		p.Hash = siteaudit.ContentHash(p)
		if req.Known != nil {
			if k, ok := req.Known(p.URL); ok && k.Hash == p.Hash {
				p.Unchanged = true
			}
		}
		if err := visit(p); err != nil {
			return st, err
		}
		st.Pages++
	}
	return st, f.err
}

const site = "https://shop.test"

func sitePages(bText string) []siteaudit.Page {
	mk := func(path, title, html string, depth int, links ...string) siteaudit.Page {
		p := siteaudit.Page{URL: site + path, FinalURL: site + path, Status: 200, Depth: depth, Title: title, HTML: html}
		for _, l := range links {
			p.Links = append(p.Links, siteaudit.Link{URL: site + l, Internal: true})
		}
		return p
	}
	return []siteaudit.Page{
		mk("/", "Shop home", "<h1>Shop</h1><p>We sell trail running shoes and rain jackets for hikers.</p>", 0, "/shoes", "/missing"),
		mk("/shoes", "Trail running shoes", "<h1>Trail running shoes</h1><p>"+bText+"</p>", 1, "/"),
		mk("/jackets", "Rain jackets", "<h1>Rain jackets</h1><p>Rain jackets keep hikers dry. Pair them with trail running shoes on wet days.</p>", 1),
		{URL: site + "/missing", FinalURL: site + "/missing", Status: 404, Depth: 1},
	}
}

func TestImportAndAudit(t *testing.T) {
	ctx := context.Background()
	clock := igny8.NewManualClock(time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC))
	store := siteaudit.NewMemStore()
	text := "Grip matters on mud."
	cr := &fakeCrawler{pages: func() []siteaudit.Page { return sitePages(text) }}
	a, err := siteaudit.NewAuditor(store, cr, siteaudit.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	scope := igny8.Scope{AccountID: "acct", SiteID: "site"}
	res, err := a.Import(ctx, scope, siteaudit.CrawlRequest{Start: site})
	if err != nil {
		t.Fatal(err)
	}
	if res.New != 4 || res.Changed != 0 || res.Unchanged != 0 {
		t.Errorf("first import = %+v", res)
	}
	first, err := store.GetItemByURL(ctx, scope, site+"/shoes")
	if err != nil || first.Kind != siteaudit.KindImported || first.Scope != scope {
		t.Fatalf("item = %+v, %v", first, err)
	}

	clock.Advance(time.Hour)
	text = "Grip matters on mud and rock."
	cr.pages = func() []siteaudit.Page { return sitePages(text)[:3] }
	res, err = a.Import(ctx, scope, siteaudit.CrawlRequest{Start: site})
	if err != nil {
		t.Fatal(err)
	}
	if res.New != 0 || res.Changed != 1 || res.Unchanged != 2 || len(res.Missing) != 1 || res.Missing[0] != site+"/missing" {
		t.Errorf("second import = %+v", res)
	}
	shoes, _ := store.GetItemByURL(ctx, scope, site+"/shoes")
	home, _ := store.GetItemByURL(ctx, scope, site+"/")
	if shoes.ID != first.ID || !shoes.ChangedAt.Equal(clock.Now()) || !shoes.CreatedAt.Equal(first.CreatedAt) {
		t.Errorf("changed item = id %s changed %v created %v", shoes.ID, shoes.ChangedAt, shoes.CreatedAt)
	}
	if !home.CrawledAt.Equal(clock.Now()) || home.ChangedAt.Equal(clock.Now()) {
		t.Errorf("unchanged item = crawled %v changed %v", home.CrawledAt, home.ChangedAt)
	}

	rep, err := a.Audit(ctx, scope, siteaudit.AuditOptions{Keyphrases: map[string]string{
		site + "/shoes": "trail running shoes", site + "/jackets": "rain jackets",
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Graph.Orphans) != 1 || rep.Graph.Orphans[0] != site+"/jackets" {
		t.Errorf("orphans = %v", rep.Graph.Orphans)
	}
	if len(rep.Graph.Broken) != 1 || rep.Graph.Broken[0].Target != site+"/missing" {
		t.Errorf("broken = %v", rep.Graph.Broken)
	}
	if len(rep.SEO.Pages) != 3 {
		t.Errorf("SEO pages = %d, want 3", len(rep.SEO.Pages))
	}
	plan, ok := rep.Suggestions[site+"/jackets"]
	if !ok || rep.SuggestedLinks == 0 {
		t.Fatalf("no suggestion for /jackets: %+v", rep.Suggestions)
	}
	if s := plan.Suggestions[0]; s.TargetURL != site+"/shoes" || s.Anchor != "trail running shoes" {
		t.Errorf("suggestion = %+v", s)
	}
}

func TestImportErrors(t *testing.T) {
	ctx := context.Background()
	boom := errors.New("network down")
	cr := &fakeCrawler{pages: func() []siteaudit.Page { return sitePages("x") }, err: boom}
	store := siteaudit.NewMemStore()
	a, err := siteaudit.NewAuditor(store, cr, siteaudit.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		scope igny8.Scope
		code  igny8.Code
	}{
		{"no site", igny8.Scope{AccountID: "a"}, igny8.CodeInvalidArgument},
		{"crawl fails", igny8.Scope{AccountID: "a", SiteID: "s"}, igny8.CodeUnavailable},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := a.Import(ctx, tc.scope, siteaudit.CrawlRequest{Start: site})
			if igny8.CodeOf(err) != tc.code {
				t.Errorf("err = %v, want %s", err, tc.code)
			}
		})
	}
	// The pages read before the crawl failed are kept.
	if items, _ := store.ListItems(ctx, igny8.Scope{AccountID: "a", SiteID: "s"}, igny8.PageRequest{}); len(items) != 4 {
		t.Errorf("a failed crawl kept %d items, want 4", len(items))
	}
	if _, err := siteaudit.NewAuditor(nil, cr, siteaudit.Options{}); igny8.CodeOf(err) != igny8.CodeInvalidArgument {
		t.Errorf("NewAuditor(nil store) = %v", err)
	}
	if _, err := a.Audit(ctx, igny8.Scope{AccountID: "a", SiteID: "s"}, siteaudit.AuditOptions{MaxClicks: -1}); igny8.CodeOf(err) != igny8.CodeInvalidArgument {
		t.Errorf("Audit(MaxClicks -1) = %v", err)
	}
}
