package crawler

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/siteaudit"
)

// newBlog serves a small site with the cases a crawl must handle.
func newBlog(t *testing.T) *site {
	t.Helper()
	s := newSite(t)
	s.text("/robots.txt", "User-agent: *\nDisallow: /private\n")
	s.html("/", "Home", `<h1>Welcome</h1><p>We write about running shoes and trail gear for every runner.</p>
<p><a href="/a">Guide A</a> <a href="/b/">Guide B</a> <a href="/a#top">A again</a> <a href="/A/../a">A dotted</a>
<a href="/q?y=2&x=1">Query</a> <a href="/q?x=1&y=2">Query sorted</a> <a href="/old">Old</a>
<a href="/private/x">Private</a> <a href="/dup">Dup</a> <a href="/missing">Missing</a>
<a href="https://example.org/x" rel="nofollow">Elsewhere</a> <a href="mailto:a@b.c">Mail</a> <a href="javascript:void(0)">JS</a>
<a href="/file.txt">File</a> <a href="/sneaky">Sneaky</a></p>`)
	s.redirect("/sneaky", "/private/y", http.StatusFound)
	s.html("/private/y", "Secret", `<p>never fetched</p>`)
	s.html("/a", "Guide A", `<h1>Guide A</h1><h2>Fit</h2><p>Text about fit and comfort of shoes.</p><img src="/i.png" alt="a shoe"><div class="related"><a href="/b">Related one</a> <a href="/q?x=1&y=2">Related two</a></div>`)
	s.html("/b", "Guide B", `<h1>Guide B</h1><p>Trail running needs grip.</p>`)
	s.html("/q", "Query page", `<h1>Query</h1><p>Parameters sorted.</p>`)
	s.html("/new", "New home of old", `<h1>New</h1><p>Moved here.</p>`)
	s.redirect("/old", "/older", http.StatusMovedPermanently)
	s.redirect("/older", "/new", http.StatusFound)
	s.html("/about", "About", `<h1>About</h1><p>About us.</p>`)
	s.handle("/dup", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<html><head><title>Dup</title><link rel="canonical" href="/b"></head><body><p>Same as B.</p></body></html>`)
	})
	s.text("/file.txt", "plain text")
	s.html("/private/x", "Secret", `<p>never fetched</p>`)
	return s
}

func TestCrawlSite(t *testing.T) {
	s := newBlog(t)
	c := mustNew(t, loopback(Options{Parallelism: 2}))
	pages, stats := crawlAll(t, c, siteaudit.CrawlRequest{Start: s.URL + "/"})
	got := paths(s.URL, pages)
	want := []string{"/", "/a", "/about", "/b", "/dup", "/file.txt", "/missing", "/old", "/q?x=1&y=2", "/sneaky"}
	if !slices.Equal(got, want) {
		t.Fatalf("pages = %v, want %v", got, want)
	}
	if n := s.hitCount("/private/x") + s.hitCount("/private/y"); n != 0 {
		t.Errorf("robots.txt: /private fetched %d times", n)
	}
	if p := pages[s.URL+"/sneaky"]; !strings.Contains(p.Error, "robots.txt") || p.Title != "" {
		t.Errorf("redirect into a disallowed path = %+v", p)
	}
	if !slices.ContainsFunc(stats.Refused, func(r siteaudit.Refusal) bool {
		return r.Reason == "robots.txt" && strings.HasSuffix(r.URL, "/private/x")
	}) {
		t.Errorf("refusals %v lack /private/x by robots.txt", stats.Refused)
	}
	if n := s.hitCount("/a"); n != 1 {
		t.Errorf("/a fetched %d times, want 1 (fragment, dot segments and case fold)", n)
	}

	home := pages[s.URL+"/"]
	if home.Title != "Home" || home.MetaDescription != "About Home" || home.Status != 200 {
		t.Errorf("home = %q %q %d", home.Title, home.MetaDescription, home.Status)
	}
	if strings.Contains(home.Text, "Copyright") || strings.Contains(home.Text, "About us") {
		t.Errorf("home text keeps boilerplate: %q", home.Text)
	}
	if !strings.Contains(home.Text, "running shoes") {
		t.Errorf("home text lost content: %q", home.Text)
	}
	var ext *siteaudit.Link
	for i, l := range home.Links {
		if l.URL == "https://example.org/x" {
			ext = &home.Links[i]
		}
		if strings.HasPrefix(l.URL, "mailto") || strings.HasPrefix(l.URL, "javascript") {
			t.Errorf("non-http link kept: %v", l)
		}
	}
	if ext == nil || ext.Internal || !ext.Nofollow || ext.Anchor != "Elsewhere" {
		t.Errorf("external link = %+v", ext)
	}

	a := pages[s.URL+"/a"]
	if want := []siteaudit.Heading{{Level: 1, Text: "Guide A"}, {Level: 2, Text: "Fit"}}; !slices.Equal(a.Headings, want) {
		t.Errorf("headings = %v, want %v", a.Headings, want)
	}
	if len(a.Images) != 1 || a.Images[0].Alt != "a shoe" || a.Images[0].URL != s.URL+"/i.png" {
		t.Errorf("images = %v", a.Images)
	}
	if strings.Contains(a.Text, "Related one") {
		t.Errorf("link-dense block kept in text: %q", a.Text)
	}
	if a.Hash == "" || a.Words == 0 {
		t.Errorf("hash %q words %d", a.Hash, a.Words)
	}

	old := pages[s.URL+"/old"]
	wantHops := []siteaudit.Hop{{From: s.URL + "/old", To: s.URL + "/older", Status: 301}, {From: s.URL + "/older", To: s.URL + "/new", Status: 302}}
	if old.FinalURL != s.URL+"/new" || !slices.Equal(old.Redirects, wantHops) || old.Title != "New home of old" {
		t.Errorf("redirected page = final %q hops %v title %q", old.FinalURL, old.Redirects, old.Title)
	}
	if dup := pages[s.URL+"/dup"]; dup.Canonical != s.URL+"/b" || dup.DuplicateOf != s.URL+"/b" {
		t.Errorf("canonical = %q duplicate of %q", dup.Canonical, dup.DuplicateOf)
	}
	if m := pages[s.URL+"/missing"]; m.Status != 404 || m.OK() {
		t.Errorf("missing = %d ok=%v", m.Status, m.OK())
	}
	if f := pages[s.URL+"/file.txt"]; f.Status != 200 || f.Title != "" || len(f.Links) != 0 {
		t.Errorf("text file read as HTML: %+v", f)
	}
	if stats.Pages != len(pages) || stats.Errors != 2 {
		t.Errorf("stats = %+v", stats)
	}
	if ua := s.agents[DefaultUserAgent]; ua == 0 {
		t.Errorf("user agents %v lack %q", s.agents, DefaultUserAgent)
	}
}

// TestEnvironmentIgnored sets every COLLY_* variable colly reads, and
// proxy variables, and expects the same crawl as without them.
func TestEnvironmentIgnored(t *testing.T) {
	for k, v := range map[string]string{
		"COLLY_USER_AGENT":                "from-env",
		"COLLY_IGNORE_ROBOTSTXT":          "yes",
		"COLLY_MAX_DEPTH":                 "1",
		"COLLY_MAX_REQUESTS":              "1",
		"COLLY_MAX_BODY_SIZE":             "5",
		"COLLY_FOLLOW_REDIRECTS":          "no",
		"COLLY_ALLOWED_DOMAINS":           "nowhere.invalid",
		"COLLY_DISALLOWED_DOMAINS":        "127.0.0.1",
		"COLLY_PARSE_HTTP_ERROR_RESPONSE": "no",
		"COLLY_CACHE_DIR":                 t.TempDir(),
		"HTTP_PROXY":                      "http://127.0.0.1:1",
		"HTTPS_PROXY":                     "http://127.0.0.1:1",
		"NO_PROXY":                        "",
	} {
		t.Setenv(k, v)
	}
	s := newBlog(t)
	c := mustNew(t, loopback(Options{UserAgent: "igny8-test"}))
	pages, _ := crawlAll(t, c, siteaudit.CrawlRequest{Start: s.URL + "/"})
	if len(pages) != 10 {
		t.Errorf("crawled %d pages under COLLY_* variables, want 10: %v", len(pages), paths(s.URL, pages))
	}
	if s.hitCount("/private/x") != 0 {
		t.Error("COLLY_IGNORE_ROBOTSTXT changed the crawl")
	}
	if s.agents["from-env"] != 0 || s.agents["igny8-test"] == 0 {
		t.Errorf("user agents = %v", s.agents)
	}
	if p := pages[s.URL+"/old"]; p.FinalURL != s.URL+"/new" {
		t.Errorf("COLLY_FOLLOW_REDIRECTS changed the crawl: %+v", p)
	}
	if p := pages[s.URL+"/a"]; p.Title != "Guide A" {
		t.Errorf("COLLY_MAX_BODY_SIZE changed the crawl: %+v", p)
	}
}

func gz(t *testing.T, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(s))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestSitemapIndex(t *testing.T) {
	s := newSite(t)
	s.handle("/sitemap_index.xml", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>%[1]s/sitemap-1.xml</loc></sitemap><sitemap><loc>%[1]s/sitemap-2.xml.gz</loc></sitemap>
<sitemap><loc>%[1]s/sitemap_index.xml</loc></sitemap></sitemapindex>`, s.URL)
	})
	s.handle("/sitemap-1.xml", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>%[1]s/one</loc><lastmod>2026-01-01</lastmod></url><url><loc>%[1]s/two</loc></url><url><loc>https://other.example/x</loc></url></urlset>`, s.URL)
	})
	s.handle("/sitemap-2.xml.gz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/gzip")
		w.Write(gz(t, fmt.Sprintf(`<urlset><url><loc>%s/three</loc></url></urlset>`, s.URL)))
	})
	for _, p := range []string{"/one", "/two", "/three"} {
		s.html(p, p, `<p>page</p>`)
	}
	s.html("/about", "About", "<p>linked from nav</p>")
	s.html("/", "Home", "<p>linked from nav</p>")
	c := mustNew(t, loopback(Options{}))
	pages, _ := crawlAll(t, c, siteaudit.CrawlRequest{Sitemaps: []string{s.URL + "/sitemap_index.xml"}})
	got := paths(s.URL, pages)
	if want := []string{"/", "/about", "/one", "/three", "/two"}; !slices.Equal(got, want) {
		t.Fatalf("pages = %v, want %v", got, want)
	}
	if d := pages[s.URL+"/one"].Depth; d != 1 {
		t.Errorf("sitemap page depth = %d, want 1", d)
	}
	if d := pages[s.URL+"/"].Depth; d != 2 {
		t.Errorf("nav page depth = %d, want 2", d)
	}
}

func TestParseSitemapErrors(t *testing.T) {
	for _, tc := range []struct {
		name, body string
	}{
		{"html", "<html><body>no</body></html>"},
		{"empty", ""},
		{"rss", `<rss><channel></channel></rss>`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, _, err := ParseSitemap([]byte(tc.body)); err == nil {
				t.Errorf("ParseSitemap(%q) = nil error", tc.body)
			}
		})
	}
}

func TestRedirectLoop(t *testing.T) {
	s := newSite(t)
	s.html("/", "Home", `<a href="/loop1">loop</a> <a href="/long0">long</a> <a href="/slash/">slash</a> <a href="/slashes">slashes</a>`)
	s.html("/slash/", "Slash", "<p>the page lives at its slash spelling</p>")
	s.redirect("/slash", "/slash/", http.StatusMovedPermanently)
	s.handle("/slashes", func(w http.ResponseWriter, r *http.Request) {
		// Ever more slashes: one page under the slash policy, no hops.
		http.Redirect(w, r, r.URL.Path+"/", http.StatusFound)
	})
	s.handle("/slashes/", s.pages["/slashes"])
	s.redirect("/loop1", "/loop2", http.StatusFound)
	s.redirect("/loop2", "/loop1", http.StatusFound)
	for i := range 20 {
		s.redirect(fmt.Sprintf("/long%d", i), fmt.Sprintf("/long%d", i+1), http.StatusMovedPermanently)
	}
	c := mustNew(t, loopback(Options{MaxRedirects: 5}))
	pages, _ := crawlAll(t, c, siteaudit.CrawlRequest{Start: s.URL})
	loop := pages[s.URL+"/loop1"]
	if !strings.Contains(loop.Error, "redirect loop") || len(loop.Redirects) != 2 {
		t.Errorf("loop = error %q hops %v", loop.Error, loop.Redirects)
	}
	if sl := pages[s.URL+"/slash"]; sl.Title != "Slash" || len(sl.Redirects) != 0 || sl.Error != "" {
		t.Errorf("a slash-only redirect = %+v, want the page without hops", sl)
	}
	if sl := pages[s.URL+"/slashes"]; !strings.Contains(sl.Error, "redirect loop") {
		t.Errorf("a slash redirect to itself = %+v", sl)
	}
	// Ever more slashes: one page under the slash policy, so no hops are
	// recorded, and the chain still ends.
	grow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", r.URL.Path+"/")
		w.WriteHeader(http.StatusFound)
	}))
	t.Cleanup(grow.Close)
	gp, _ := crawlAll(t, c, siteaudit.CrawlRequest{Start: grow.URL + "/grow"})
	if g := gp[grow.URL+"/grow"]; !strings.Contains(g.Error, "too many redirects") || len(g.Redirects) != 0 {
		t.Errorf("growing slashes = %+v", g)
	}
	long := pages[s.URL+"/long0"]
	if !strings.Contains(long.Error, "too many redirects") || len(long.Redirects) != 6 {
		t.Errorf("long = error %q hops %d", long.Error, len(long.Redirects))
	}
	// The loop is seen before /loop1 is asked for a second time.
	if n := s.hitCount("/loop1"); n != 1 {
		t.Errorf("/loop1 fetched %d times, want 1", n)
	}
}

func TestHugePageIsCut(t *testing.T) {
	s := newSite(t)
	var written atomic.Int64
	done := make(chan struct{})
	s.html("/", "Home", `<a href="/huge">huge</a>`)
	s.handle("/huge", func(w http.ResponseWriter, r *http.Request) {
		defer close(done)
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<html><head><title>Huge</title></head><body><p>"))
		chunk := bytes.Repeat([]byte("word "), 64<<10/5)
		for written.Load() < 50<<20 {
			n, err := w.Write(chunk)
			written.Add(int64(n))
			if err != nil {
				return
			}
		}
	})
	c := mustNew(t, loopback(Options{MaxBytes: 1 << 20}))
	pages, _ := crawlAll(t, c, siteaudit.CrawlRequest{Start: s.URL})
	huge := pages[s.URL+"/huge"]
	if !huge.Truncated || huge.Title != "Huge" || huge.Words == 0 {
		t.Errorf("huge = truncated %v title %q words %d err %q", huge.Truncated, huge.Title, huge.Words, huge.Error)
	}
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the server is still writing the 50 MB page 10 s after the crawl")
	}
	if w := written.Load(); w >= 50<<20 {
		t.Errorf("server wrote %d bytes: the page was read whole", w)
	}
}

func TestSlowPage(t *testing.T) {
	s := newSite(t)
	s.html("/", "Home", `<a href="/slow">slow</a> <a href="/fast">fast</a>`)
	s.html("/fast", "Fast", "<p>fast</p>")
	s.html("/about", "About", "<p>about</p>")
	s.handle("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	})
	c := mustNew(t, loopback(Options{PageTimeout: 300 * time.Millisecond}))
	start := time.Now()
	pages, stats := crawlAll(t, c, siteaudit.CrawlRequest{Start: s.URL})
	if el := time.Since(start); el > 5*time.Second {
		t.Errorf("crawl took %s with a 300ms page cap", el)
	}
	if slow := pages[s.URL+"/slow"]; slow.Error == "" || slow.Status != 0 {
		t.Errorf("slow = %+v", slow)
	}
	if fast := pages[s.URL+"/fast"]; fast.Title != "Fast" {
		t.Errorf("fast = %+v", fast)
	}
	if stats.Errors != 1 {
		t.Errorf("errors = %d, want 1", stats.Errors)
	}
}

func TestCaps(t *testing.T) {
	s := newSite(t)
	for i := range 10 {
		s.handle(fmt.Sprintf("/p%d", i), func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprintf(w, `<html><body><a href="/p%d">next</a></body></html>`, i+1)
		})
	}
	tests := []struct {
		name   string
		opts   Options
		want   int
		reason string
	}{
		{"depth", Options{MaxDepth: 3}, 4, "depth"},
		{"pages", Options{MaxPages: 2, Parallelism: 1}, 2, "page cap"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := mustNew(t, loopback(tc.opts))
			pages, stats := crawlAll(t, c, siteaudit.CrawlRequest{Start: s.URL + "/p0"})
			if len(pages) != tc.want {
				t.Errorf("pages = %v, want %d", paths(s.URL, pages), tc.want)
			}
			if len(stats.Refused) == 0 || stats.Refused[0].Reason != tc.reason {
				t.Errorf("refused = %v, want reason %q", stats.Refused, tc.reason)
			}
		})
	}
}

func TestRecrawlUnchanged(t *testing.T) {
	s := newSite(t)
	s.html("/", "Home", `<a href="/a">a</a>`)
	const etag = `"v1"`
	var bodyB atomic.Value
	bodyB.Store("<p>version one</p>")
	s.handle("/a", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Last-Modified", "Wed, 01 Jan 2026 10:00:00 GMT")
		fmt.Fprint(w, `<html><head><title>A</title></head><body><p><a href="/b">to b</a></p></body></html>`)
	})
	s.handle("/b", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<html><head><title>B</title></head><body>%s</body></html>`, bodyB.Load())
	})
	c := mustNew(t, loopback(Options{}))
	first, _ := crawlAll(t, c, siteaudit.CrawlRequest{Start: s.URL})
	if a := first[s.URL+"/a"]; a.ETag != etag || a.LastModified.IsZero() {
		t.Fatalf("validators not read: %+v", a)
	}
	known := func(u string) (siteaudit.Known, bool) {
		p, ok := first[u]
		return siteaudit.Known{ETag: p.ETag, LastModified: p.LastModified, Hash: p.Hash, Links: p.InternalLinks()}, ok
	}
	bodyB.Store("<p>version two</p>")
	second, stats := crawlAll(t, c, siteaudit.CrawlRequest{Start: s.URL, Known: known})
	tests := []struct {
		path      string
		status    int
		unchanged bool
	}{
		{"/", 200, true},
		{"/a", 304, true},
		{"/b", 200, false},
	}
	for _, tc := range tests {
		p, ok := second[s.URL+tc.path]
		if !ok || p.Status != tc.status || p.Unchanged != tc.unchanged {
			t.Errorf("%s: found %v status %d unchanged %v, want %d %v", tc.path, ok, p.Status, p.Unchanged, tc.status, tc.unchanged)
		}
	}
	if second[s.URL+"/a"].Hash != first[s.URL+"/a"].Hash {
		t.Error("a 304 lost the page's hash")
	}
	if stats.Unchanged != 2 {
		t.Errorf("stats.Unchanged = %d, want 2", stats.Unchanged)
	}
}

func TestVisitErrorStops(t *testing.T) {
	s := newBlog(t)
	c := mustNew(t, loopback(Options{Parallelism: 1}))
	boom := errors.New("boom")
	n := 0
	_, err := c.Crawl(context.Background(), siteaudit.CrawlRequest{Start: s.URL}, func(p siteaudit.Page) error {
		n++
		return boom
	})
	if !errors.Is(err, boom) || n != 1 {
		t.Errorf("err = %v after %d visits, want boom after 1", err, n)
	}
}

func TestCrawlInvalid(t *testing.T) {
	c := mustNew(t, Options{})
	visit := func(siteaudit.Page) error { return nil }
	tests := []struct {
		name  string
		req   siteaudit.CrawlRequest
		field string
	}{
		{"no start", siteaudit.CrawlRequest{}, "start"},
		{"ftp", siteaudit.CrawlRequest{Start: "ftp://example.com/"}, "start"},
		{"file", siteaudit.CrawlRequest{Start: "file:///etc/passwd"}, "start"},
		{"relative", siteaudit.CrawlRequest{Start: "/a"}, "start"},
		{"bad sitemap", siteaudit.CrawlRequest{Sitemaps: []string{"gopher://x/"}}, "sitemaps[0]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.Crawl(context.Background(), tc.req, visit)
			var e *igny8.Error
			if !errors.As(err, &e) || e.Code != igny8.CodeInvalidArgument || e.Field != tc.field {
				t.Errorf("err = %v, want InvalidArgument on %s", err, tc.field)
			}
		})
	}
	if _, err := New(Options{MaxDepth: -1}); igny8.CodeOf(err) != igny8.CodeInvalidArgument {
		t.Errorf("New(MaxDepth -1) = %v", err)
	}
}

func TestDiscoverSitemaps(t *testing.T) {
	tests := []struct {
		name   string
		robots string
		path   string
	}{
		{"named in robots.txt", "User-agent: *\nAllow: /\nSitemap: %s/maps/site.xml\n", "/maps/site.xml"},
		{"default path", "User-agent: *\nAllow: /\n", "/sitemap.xml"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newSite(t)
			s.handle("/robots.txt", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintf(w, tc.robots, s.URL) })
			s.handle(tc.path, func(w http.ResponseWriter, r *http.Request) {
				fmt.Fprintf(w, `<urlset><url><loc>%s/hidden</loc></url></urlset>`, s.URL)
			})
			s.handle("/", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "<p>home without links</p>") })
			s.handle("/hidden", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "<title>Hidden</title>") })
			c := mustNew(t, loopback(Options{}))
			pages, _ := crawlAll(t, c, siteaudit.CrawlRequest{Start: s.URL, DiscoverSitemaps: true})
			if pages[s.URL+"/hidden"].Title != "Hidden" {
				t.Errorf("pages = %v", paths(s.URL, pages))
			}
			without, _ := crawlAll(t, c, siteaudit.CrawlRequest{Start: s.URL})
			if len(without) != 1 {
				t.Errorf("without discovery: pages = %v", paths(s.URL, without))
			}
		})
	}
}
