package sitesfs_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/igny8/sdk/adapters/fsstorage"
	"github.com/igny8/sdk/adapters/sitesfs"
	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/publishing"
	"github.com/igny8/sdk/publishing/publishertest"
	"github.com/igny8/sdk/sitebuilding"
)

var scope = igny8.Scope{AccountID: "acct-1", SiteID: "site-1"}

func pngBytes(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	img.Set(1, 1, color.RGBA{R: 200, A: 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func newRenderer(t *testing.T, baseURL string) (*sitesfs.Renderer, igny8.Storage) {
	t.Helper()
	storage, err := fsstorage.New(t.TempDir(), fsstorage.NoQuota{}, fsstorage.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { storage.Close() })
	r, err := sitesfs.New(t.TempDir(), storage, sitesfs.Options{Keep: 3})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Configure(context.Background(), scope, sitesfs.Site{
		Name: "Garden Notes", BaseURL: baseURL, Description: "Growing food in small spaces",
		PostsPerPage: 3, Menu: []sitebuilding.Link{{Label: "About", URL: "/about/"}},
		Theme: map[string]string{"color-primary": "#225522"},
	}); err != nil {
		t.Fatal(err)
	}
	return r, storage
}

func samplePosts(n int) []sitesfs.Post {
	t0 := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	cats := []string{"Vegetables", "Herbs", "Fruit Trees"}
	posts := make([]sitesfs.Post, n)
	for i := range posts {
		posts[i] = sitesfs.Post{
			ID: fmt.Sprintf("post-%03d", i), Type: "post", Slug: fmt.Sprintf("post-%d", i),
			Title: fmt.Sprintf("Post %d about %s", i, cats[i%3]), MetaDescription: fmt.Sprintf("Description %d", i),
			HTML:       fmt.Sprintf(`<h2>Section</h2><p>Text %d. See <a href="/post-%d/">the previous post</a>.</p>`, i, max(i-1, 0)),
			Excerpt:    fmt.Sprintf("Excerpt %d", i),
			Categories: []string{cats[i%3]}, Tags: []string{"tag-" + fmt.Sprint(i%4), "Small Spaces"},
			Author: []string{"Ada Gardener", "Bo Planter"}[i%2], Published: t0.Add(time.Duration(i) * time.Hour),
		}
	}
	return posts
}

// serve serves the live version with net/http's file server.
func serve(t *testing.T, r *sitesfs.Renderer) *httptest.Server {
	t.Helper()
	dir, err := r.CurrentDir(scope)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	t.Cleanup(srv.Close)
	return srv
}

var linkRe = regexp.MustCompile(`(?:href|src)="([^"]*)"`)

func TestRenderedSiteLinksSitemapFeedJSONLD(t *testing.T) {
	ctx := context.Background()
	// The base URL is fixed before the server exists; links are root
	// relative, so the test server serves them as they are.
	r, storage := newRenderer(t, "https://garden.example")
	if _, err := storage.Put(ctx, scope, "images/hero.png", bytes.NewReader(pngBytes(t)), "image/png"); err != nil {
		t.Fatal(err)
	}
	posts := samplePosts(10)
	posts[0].FeaturedImage = &sitesfs.Media{Key: "images/hero.png", Alt: "A raised bed"}
	posts[0].Images = []sitesfs.Media{{Key: "images/hero.png", Alt: "inline"}}
	posts[0].HTML += `<img src="images/hero.png" alt="inline">`
	posts[1].FAQ = []sitesfs.FAQ{{Question: "When to sow?", Answer: "In spring."}}
	if err := r.PutPosts(ctx, scope, posts); err != nil {
		t.Fatal(err)
	}
	pages := []sitesfs.Page{{Slug: "about", Title: "About us", Blocks: []sitebuilding.Block{
		sitebuilding.NewBlock(&sitebuilding.Hero{Heading: "We grow food", Button: &sitebuilding.Link{Label: "Read", URL: "/post-3/"}}),
		sitebuilding.NewBlock(&sitebuilding.PostList{Heading: "Latest", Limit: 3}),
		sitebuilding.NewBlock(&sitebuilding.FAQ{Items: []sitebuilding.QA{{Question: "Who?", Answer: "Us."}}}),
	}}}
	if err := r.SetPages(ctx, scope, pages); err != nil {
		t.Fatal(err)
	}
	dep, err := r.Deploy(ctx, scope)
	if err != nil {
		t.Fatal(err)
	}
	if dep.Status != sitesfs.DeployLive || dep.Version != 1 || dep.Pages == 0 || dep.Written != dep.Files {
		t.Fatalf("deployment %+v", dep)
	}
	srv := serve(t, r)

	// Crawl every internal link from the home page.
	seen := map[string]bool{}
	queue := []string{"/"}
	pagesSeen := 0
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		if seen[p] {
			continue
		}
		seen[p] = true
		resp, err := http.Get(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("GET %s: %d", p, resp.StatusCode)
			continue
		}
		if !strings.HasSuffix(p, "/") {
			continue
		}
		pagesSeen++
		html := string(body)
		for _, m := range linkRe.FindAllStringSubmatch(html, -1) {
			u := m[1]
			if strings.HasPrefix(u, "https://garden.example") {
				u = strings.TrimPrefix(u, "https://garden.example")
			}
			if strings.HasPrefix(u, "/") {
				queue = append(queue, u)
			}
		}
		for _, m := range regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`).FindAllStringSubmatch(html, -1) {
			var v map[string]any
			if err := json.Unmarshal([]byte(m[1]), &v); err != nil {
				t.Errorf("%s: JSON-LD does not parse: %v\n%s", p, err, m[1])
			}
		}
		if !strings.Contains(html, `<link rel="canonical" href="https://garden.example`+p+`">`) {
			t.Errorf("%s: no canonical URL", p)
		}
		for _, tag := range []string{`property="og:title"`, `name="twitter:card"`, "application/ld+json"} {
			if !strings.Contains(html, tag) {
				t.Errorf("%s lacks %s", p, tag)
			}
		}
	}
	if pagesSeen < 20 {
		t.Errorf("crawled only %d pages", pagesSeen)
	}
	post1 := get(t, srv, "/post-1/")
	if !strings.Contains(post1, `"@type":"FAQPage"`) || !strings.Contains(post1, `"@type":"BreadcrumbList"`) || !strings.Contains(post1, `"@type":"Article"`) {
		t.Error("post 1 lacks Article, BreadcrumbList or FAQPage data")
	}
	post0 := get(t, srv, "/post-0/")
	if !strings.Contains(post0, `src="/media/images/hero.png"`) || !strings.Contains(post0, `og:image" content="https://garden.example/media/images/hero.png"`) {
		t.Error("post 0's images are not served from /media/")
	}
	if !strings.Contains(get(t, srv, "/"), `"@type":"Organization"`) {
		t.Error("home page lacks Organization data")
	}
	if !strings.Contains(get(t, srv, "/about/"), `"@type":"FAQPage"`) {
		t.Error("the about page's FAQ block has no FAQPage data")
	}

	// The sitemap lists every page of the site, and nothing else.
	var sm struct {
		URLs []struct {
			Loc     string `xml:"loc"`
			LastMod string `xml:"lastmod"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal([]byte(get(t, srv, "/sitemap.xml")), &sm); err != nil {
		t.Fatal(err)
	}
	inSitemap := map[string]bool{}
	for _, u := range sm.URLs {
		inSitemap[strings.TrimPrefix(u.Loc, "https://garden.example")] = true
		if u.LastMod == "" {
			t.Errorf("%s has no lastmod", u.Loc)
		}
	}
	dir, _ := r.CurrentDir(scope)
	_ = filepath.WalkDir(dir+"/", func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Name() == "index.html" {
			rel, _ := filepath.Rel(dir, filepath.Dir(p))
			u := "/"
			if rel != "." {
				u = "/" + filepath.ToSlash(rel) + "/"
			}
			if !inSitemap[u] {
				t.Errorf("page %s is not in the sitemap", u)
			}
			delete(inSitemap, u)
		}
		return nil
	})
	if len(inSitemap) != 0 {
		t.Errorf("the sitemap lists pages that do not exist: %v", inSitemap)
	}
	var feed struct {
		Entries []struct {
			Title string `xml:"title"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal([]byte(get(t, srv, "/feed.xml")), &feed); err != nil || len(feed.Entries) != 10 || feed.Entries[0].Title != "Post 9 about Vegetables" {
		t.Errorf("feed: %v, %d entries", err, len(feed.Entries))
	}
	if !strings.Contains(get(t, srv, "/robots.txt"), "Sitemap: https://garden.example/sitemap.xml") {
		t.Error("robots.txt does not point at the sitemap")
	}
	if resp, _ := http.Get(srv.URL + "/404.html"); resp == nil || resp.StatusCode != 200 {
		t.Error("no 404 page")
	}
}

func get(t *testing.T, srv *httptest.Server, p string) string {
	t.Helper()
	resp, err := http.Get(srv.URL + p)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d", p, resp.StatusCode)
	}
	return string(b)
}

func TestHostileInputStaysInsideAndEscaped(t *testing.T) {
	ctx := context.Background()
	r, _ := newRenderer(t, "https://garden.example")
	for _, slug := range []string{"../escape", "a/b", "..", "x\x00y", strings.Repeat("a", 300), "Ünïcode", "category"} {
		err := r.PutPosts(ctx, scope, []sitesfs.Post{{ID: "p1", Slug: slug, Title: "t"}})
		if igny8.CodeOf(err) != igny8.CodeInvalidArgument {
			t.Errorf("slug %q: %v", slug, err)
		}
	}
	for _, id := range []string{"../x", "a/b", ""} {
		if err := r.PutPosts(ctx, scope, []sitesfs.Post{{ID: id, Slug: "ok", Title: "t"}}); igny8.CodeOf(err) != igny8.CodeInvalidArgument {
			t.Errorf("id %q: %v", id, err)
		}
	}
	if _, err := r.SiteDir(igny8.Scope{AccountID: "a", SiteID: "../../etc"}); igny8.CodeOf(err) != igny8.CodeInvalidArgument {
		t.Errorf("hostile site id: %v", err)
	}
	hostile := `<script>alert("x")</script>`
	posts := []sitesfs.Post{{
		ID: "p1", Slug: "hostile", Title: hostile + " ünïcödé 日本語 " + strings.Repeat("long ", 100),
		MetaDescription: `"><img src=x onerror=alert(1)>`, Excerpt: hostile,
		HTML:       `<p>ok</p><script>alert(2)</script><img src=x onerror="alert(3)"><a href="javascript:alert(4)">x</a>`,
		Categories: []string{"../../etc", "<b>bold</b>", "日本語"}, Tags: []string{"a/../../b", hostile},
		Author: "../root", Published: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		FAQ: []sitesfs.FAQ{{Question: hostile, Answer: "</script><script>alert(5)</script>"}},
	}}
	if err := r.PutPosts(ctx, scope, posts); err != nil {
		t.Fatal(err)
	}
	dep, err := r.Deploy(ctx, scope)
	if err != nil {
		t.Fatal(err)
	}
	siteDir, _ := r.SiteDir(scope)
	root := filepath.Dir(filepath.Dir(siteDir))
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !strings.HasPrefix(p, root) {
			t.Errorf("file outside the root: %s", p)
		}
		if !d.IsDir() && strings.HasPrefix(p, dep.Path) {
			rel, _ := filepath.Rel(dep.Path, p)
			if strings.HasPrefix(rel, "..") {
				t.Errorf("file outside the version folder: %s", p)
			}
			if strings.HasSuffix(p, ".html") || strings.HasSuffix(p, ".xml") {
				b, _ := os.ReadFile(p)
				s := string(b)
				for _, bad := range []string{"<script>alert", "<img src=x", "onerror=\"alert", "javascript:alert", "<b>bold</b>", "</script><script>"} {
					if strings.Contains(s, bad) {
						i := strings.Index(s, bad)
						t.Errorf("%s contains %q unescaped: ...%s...", rel, bad, s[max(0, i-80):min(len(s), i+40)])
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dep.Path, "category", "etc", "index.html")); err != nil {
		t.Errorf("the ../../etc category has no archive under category/etc: %v", err)
	}
}

func TestIncrementalDeployRollbackPruneAndFailure(t *testing.T) {
	ctx := context.Background()
	r, _ := newRenderer(t, "https://garden.example")
	posts := samplePosts(30)
	if err := r.PutPosts(ctx, scope, posts); err != nil {
		t.Fatal(err)
	}
	first, err := r.Deploy(ctx, scope)
	if err != nil {
		t.Fatal(err)
	}
	// Change the body of an old post: its page, the sitemap (lastmod) and
	// nothing that lists only titles and excerpts must be rewritten.
	posts[2].HTML = "<p>Rewritten body</p>"
	posts[2].Updated = posts[2].Published.Add(48 * time.Hour)
	if err := r.PutPosts(ctx, scope, posts[2:3]); err != nil {
		t.Fatal(err)
	}
	second, err := r.Deploy(ctx, scope)
	if err != nil {
		t.Fatal(err)
	}
	if second.Version != 2 || second.Files != first.Files || second.Written > 4 || second.Written < 2 {
		t.Fatalf("incremental deploy wrote %d of %d files (first wrote %d)", second.Written, second.Files, first.Written)
	}
	inode := func(p string) uint64 {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Sys().(*syscall.Stat_t).Ino
	}
	if inode(filepath.Join(first.Path, "post-5", "index.html")) != inode(filepath.Join(second.Path, "post-5", "index.html")) {
		t.Error("an unchanged page was rewritten instead of linked")
	}
	b, _ := os.ReadFile(filepath.Join(second.Path, "post-2", "index.html"))
	if !strings.Contains(string(b), "Rewritten body") {
		t.Error("the changed post was not re-rendered")
	}
	old, _ := os.ReadFile(filepath.Join(first.Path, "post-2", "index.html"))
	if strings.Contains(string(old), "Rewritten body") {
		t.Error("the previous version was modified in place")
	}
	// A new title changes every list that shows the post.
	posts[29].Title = "A new title for the newest post"
	if err := r.PutPosts(ctx, scope, posts[29:30]); err != nil {
		t.Fatal(err)
	}
	third, err := r.Deploy(ctx, scope)
	if err != nil {
		t.Fatal(err)
	}
	home, _ := os.ReadFile(filepath.Join(third.Path, "index.html"))
	if !strings.Contains(string(home), "A new title for the newest post") || third.Written < 5 {
		t.Errorf("retitled post: wrote %d files; home shows new title: %v", third.Written, strings.Contains(string(home), "A new title"))
	}

	// A failing deploy leaves current where it was.
	cur, _ := r.CurrentDir(scope)
	before, _ := os.Readlink(cur)
	siteDir, _ := r.SiteDir(scope)
	if err := os.WriteFile(filepath.Join(siteDir, "source", "posts", "post-007.json"), []byte("{broken"), 0o644); err != nil {
		t.Fatal(err)
	}
	posts[7].Title = "forces a re-render of post 7"
	// Write the index entry through the API, then corrupt the body again.
	if err := r.PutPosts(ctx, scope, posts[7:8]); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(siteDir, "source", "posts", "post-007.json"), []byte("{broken"), 0o644); err != nil {
		t.Fatal(err)
	}
	failed, err := r.Deploy(ctx, scope)
	if err == nil || failed.Status != sitesfs.DeployFailed {
		t.Fatalf("deploy over a broken post: %+v %v", failed, err)
	}
	after, _ := os.Readlink(cur)
	if before != after {
		t.Errorf("a failed deploy moved current from %s to %s", before, after)
	}
	if entries, _ := filepath.Glob(filepath.Join(siteDir, ".v*")); len(entries) != 0 {
		t.Errorf("a failed deploy left %v", entries)
	}
	if err := r.PutPosts(ctx, scope, posts[7:8]); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, err := r.Deploy(ctx, scope); err != nil {
			t.Fatal(err)
		}
	}
	// Keep is 3: versions 1 to 3 are pruned, rollback to a kept one works.
	if _, err := os.Stat(first.Path); !os.IsNotExist(err) {
		t.Errorf("version 1 was not pruned: %v", err)
	}
	if _, err := r.Rollback(ctx, scope, 1); igny8.CodeOf(err) != igny8.CodeNotFound {
		t.Errorf("rollback to a pruned version: %v", err)
	}
	deps, _ := r.Deployments(ctx, scope)
	last := deps[len(deps)-1]
	rb, err := r.Rollback(ctx, scope, last.Version-1)
	if err != nil {
		t.Fatal(err)
	}
	if target, _ := os.Readlink(cur); target != fmt.Sprintf("v%d", rb.Version) {
		t.Errorf("after rollback current is %s", target)
	}
}

func TestPublisherConformance(t *testing.T) {
	publishertest.RunWith(t, publishertest.Config{
		New: func(t *testing.T) publishing.Publisher {
			r, _ := newRenderer(t, "https://garden.example")
			ps := igny8.Scope{AccountID: "acct-test", SiteID: "site-test"}
			if err := r.Configure(context.Background(), ps, sitesfs.Site{Name: "Conformance", BaseURL: "https://conformance.example"}); err != nil {
				t.Fatal(err)
			}
			p, err := r.Publisher(ps)
			if err != nil {
				t.Fatal(err)
			}
			return p
		},
		MissingRemoteID: "no-such-post",
	})
}

func TestHomePageReplacesThePostList(t *testing.T) {
	ctx := context.Background()
	r, _ := newRenderer(t, "https://garden.example")
	if err := r.PutPosts(ctx, scope, samplePosts(4)); err != nil {
		t.Fatal(err)
	}
	if err := r.SetPages(ctx, scope, []sitesfs.Page{
		{Slug: "about", Title: "About", Blocks: []sitebuilding.Block{sitebuilding.NewBlock(&sitebuilding.Text{HTML: "<p>About us</p>"})}},
		{Slug: sitesfs.HomeSlug, Title: "Welcome", Blocks: []sitebuilding.Block{sitebuilding.NewBlock(&sitebuilding.Hero{Heading: "Grow your own food"})}},
	}); err != nil {
		t.Fatal(err)
	}
	dep, err := r.Deploy(ctx, scope)
	if err != nil {
		t.Fatal(err)
	}
	home, _ := os.ReadFile(filepath.Join(dep.Path, "index.html"))
	posts, _ := os.ReadFile(filepath.Join(dep.Path, "posts", "index.html"))
	if !strings.Contains(string(home), "Grow your own food") || !strings.Contains(string(posts), "Post 3 about") {
		t.Errorf("home page or post list misplaced:\nhome has hero: %v\n/posts/ lists posts: %v", strings.Contains(string(home), "Grow your own food"), strings.Contains(string(posts), "Post 3"))
	}
	if _, err := os.Stat(filepath.Join(dep.Path, "home")); !os.IsNotExist(err) {
		t.Error("the home page was also written to /home/")
	}
}
