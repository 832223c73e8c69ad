package crawler

import (
	"context"
	"fmt"
	"net/http"
	"net/netip"
	"strings"
	"testing"

	"github.com/igny8/sdk/adapters/sqlstore"
	"github.com/igny8/sdk/adapters/sqlstore/sqlstoretest"
	"github.com/igny8/sdk/siteaudit"
	"github.com/igny8/sdk/siteaudit/siteaudittest"
)

// TestImportAndAuditLiveSite crawls an httptest site into the SQL store
// and audits it: the acceptance path of the issue, on SQLite and Postgres.
func TestImportAndAuditLiveSite(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, store *sqlstore.Store) {
		ctx := context.Background()
		s := newBlog(t)
		for i := range 6 {
			s.html(fmt.Sprintf("/deep%d", i), fmt.Sprintf("Deep %d", i), fmt.Sprintf(`<p>Level %d of trail running shoes.</p><a href="/deep%d">deeper</a>`, i, i+1))
		}
		s.html("/b", "Guide B", `<h1>Guide B</h1><p>Trail running needs grip.</p><a href="/deep0">deep</a>`)
		s.html("/orphan", "Orphan", `<p>Only the sitemap knows trail running shoes here.</p>`)
		s.handle("/sitemap.xml", func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprintf(w, `<urlset><url><loc>%s/orphan</loc></url></urlset>`, s.URL)
		})
		sites := siteaudittest.Tenants(t, store)
		c := mustNew(t, loopback(Options{}))
		a, err := siteaudit.NewAuditor(store, c, siteaudit.Options{})
		if err != nil {
			t.Fatal(err)
		}
		req := siteaudit.CrawlRequest{Start: s.URL, Sitemaps: []string{s.URL + "/sitemap.xml"}}
		res, err := a.Import(ctx, sites[0], req)
		if err != nil {
			t.Fatal(err)
		}
		if res.New < 15 || res.Changed+res.Unchanged != 0 {
			t.Errorf("first import = %+v", res)
		}
		again, err := a.Import(ctx, sites[0], req)
		if err != nil {
			t.Fatal(err)
		}
		if again.New != 0 || again.Unchanged < 13 {
			t.Errorf("re-import = %+v", again)
		}
		rep, err := a.Audit(ctx, sites[0], siteaudit.AuditOptions{Keyphrases: map[string]string{s.URL + "/a": "fit and comfort"}})
		if err != nil {
			t.Fatal(err)
		}
		g := rep.Graph
		if !contains(g.Orphans, s.URL+"/orphan") {
			t.Errorf("orphans = %v", g.Orphans)
		}
		var brokenMissing bool
		for _, b := range g.Broken {
			brokenMissing = brokenMissing || b.Target == s.URL+"/missing" && b.Status == 404
		}
		if !brokenMissing {
			t.Errorf("broken = %+v", g.Broken)
		}
		// The longest chain first: /old takes two hops to /new.
		if len(g.Redirects) != 2 || g.Redirects[0].URL != s.URL+"/old" || len(g.Redirects[0].Hops) != 2 || !contains(g.Redirects[0].LinkedBy, s.URL+"/") {
			t.Errorf("redirects = %+v", g.Redirects)
		}
		var deep []string
		for _, d := range g.Deep {
			deep = append(deep, strings.TrimPrefix(d.URL, s.URL))
		}
		if !contains(deep, "/deep5") || contains(deep, "/deep0") || contains(deep, "/b") {
			t.Errorf("deep = %v", g.Deep)
		}
		if len(rep.SEO.Pages) == 0 || rep.SEO.MeanSEO == 0 {
			t.Errorf("SEO audit = %d pages, mean %v", len(rep.SEO.Pages), rep.SEO.MeanSEO)
		}
		// Another tenant sees nothing of it.
		other, err := a.Audit(ctx, sites[2], siteaudit.AuditOptions{})
		if err != nil || other.Graph.Pages != 0 {
			t.Errorf("other tenant's audit = %d pages, %v", other.Graph.Pages, err)
		}
	})
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func TestFetch(t *testing.T) {
	s := newSite(t)
	s.text("/robots.txt", "User-agent: *\nDisallow: /no\n")
	s.html("/a", "A", "<h2>Shared</h2><p>grip and fit</p>")
	s.html("/no", "No", "<p>blocked</p>")
	s.redirect("/moved", "/a", http.StatusMovedPermanently)
	port := s.Listener.Addr().(interface{ AddrPort() netip.AddrPort }).AddrPort().Port()
	c := mustNew(t, loopback(Options{Resolve: resolver(map[string]string{"evil.test": "127.0.0.1"})}))
	pages, err := c.Fetch(context.Background(), []string{s.URL + "/a", s.URL + "/no", s.URL + "/moved", s.URL + "/gone", fmt.Sprintf("http://evil.test:%d/a", port)})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		i      int
		status int
		title  string
		err    string
	}{
		{0, 200, "A", ""},
		{1, 0, "", "robots.txt"},
		{2, 200, "A", ""},
		{3, 404, "", ""},
		{4, 0, "", "loopback address"},
	}
	for _, tc := range tests {
		p := pages[tc.i]
		if p.Status != tc.status || p.Title != tc.title || tc.err == "" && p.Error != "" || !strings.Contains(p.Error, tc.err) {
			t.Errorf("pages[%d] = status %d title %q error %q; want %d %q %q", tc.i, p.Status, p.Title, p.Error, tc.status, tc.title, tc.err)
		}
	}
	if pages[2].FinalURL != s.URL+"/a" {
		t.Errorf("final url = %q", pages[2].FinalURL)
	}
	if n := s.hitCount("/no"); n != 0 {
		t.Errorf("/no fetched %d times", n)
	}
	// Competitor terms over the fetcher.
	src := siteaudit.SERPFunc(func(ctx context.Context, kw string, n int) ([]string, error) {
		return []string{s.URL + "/a", s.URL + "/moved"}, nil
	})
	rep, err := siteaudit.Terms(context.Background(), src, c, "grip", siteaudit.TermOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Read != 2 || len(rep.Terms) == 0 || len(rep.Headings) != 1 || rep.Headings[0].Text != "shared" {
		t.Errorf("terms = %+v", rep)
	}
}

func FuzzParseSitemap(f *testing.F) {
	f.Add([]byte(`<urlset><url><loc>https://a/</loc></url></urlset>`))
	f.Add([]byte(`<sitemapindex><sitemap><loc> https://a/s.xml </loc></sitemap></sitemapindex>`))
	f.Add([]byte{0x1f, 0x8b, 0x08})
	f.Fuzz(func(t *testing.T, b []byte) {
		pages, maps, err := ParseSitemap(b)
		if err != nil && (len(pages) > 0 || len(maps) > 0) {
			t.Fatal("results with an error")
		}
		for _, u := range append(pages, maps...) {
			if u == "" || strings.TrimSpace(u) != u {
				t.Fatalf("loc %q not trimmed", u)
			}
		}
	})
}
