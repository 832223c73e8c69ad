package sitebuilding_test

import (
	"context"
	"html/template"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"github.com/igny8/sdk/adapters/sqlstore"
	"github.com/igny8/sdk/adapters/sqlstore/sqlstoretest"
	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/sitebuilding"
)

// TestEndToEnd runs the wizard → structure → copy → images → deploy with
// the offline model, checks the deployed site against the blueprint and
// its links over HTTP, then edits one block and deploys again.
func TestEndToEnd(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, st *sqlstore.Store) { endToEnd(t, newEnvOn(t, st, nil, nil, nil)) })
}

func endToEnd(t *testing.T, e *env) {
	ctx := context.Background()
	b := e.builder

	bp, err := b.Create(ctx, e.scope, bakery())
	must(t, err)
	st, err := b.GenerateStructure(ctx, e.scope, bp.ID)
	must(t, err)
	if len(st.Pages) < 3 || st.Pages[0].Slug != sitebuilding.HomeSlug {
		t.Fatalf("structure: %d pages, first %q", len(st.Pages), st.Pages[0].Slug)
	}
	if got := len(e.eventsOf(t, igny8.EventSiteStructureGenerated)); got != 1 {
		t.Errorf("site_structure_generated events: %d", got)
	}
	cp, err := b.GenerateCopy(ctx, e.scope, bp.ID)
	must(t, err)
	if len(cp.Pages) != len(st.Pages) {
		t.Errorf("copy wrote %d of %d pages", len(cp.Pages), len(st.Pages))
	}
	im, err := b.GenerateImages(ctx, e.scope, bp.ID)
	must(t, err)
	if im.Generated == 0 || im.Failed != 0 {
		t.Errorf("images: %+v", im)
	}
	if n := e.usage(t, e.scope, igny8.LimitDailyImageGenerations); n != int64(im.Generated) {
		t.Errorf("daily images used %d, generated %d", n, im.Generated)
	}
	rec, err := b.Deploy(ctx, e.scope, bp.ID)
	must(t, err)
	if rec.Status != sitebuilding.DeployLive || rec.Version != 1 || rec.Pages == 0 || rec.Written == 0 {
		t.Errorf("deployment: %+v", rec)
	}
	if got := len(e.eventsOf(t, igny8.EventSiteDeployed)); got != 1 {
		t.Errorf("site_deployed events: %d", got)
	}
	deps, err := b.Deployments(ctx, e.scope, bp.ID, igny8.PageRequest{})
	must(t, err)
	if len(deps) != 1 || deps[0].ID != rec.ID || deps[0].Written != rec.Written {
		t.Errorf("deployment records: %+v", deps)
	}
	bp, pages, err := b.Get(ctx, e.scope, bp.ID)
	must(t, err)
	if bp.Status != sitebuilding.StatusDeployed {
		t.Errorf("status %s", bp.Status)
	}
	dir, err := e.renderer.CurrentDir(e.scope)
	must(t, err)
	for _, p := range pages {
		if p.Status != sitebuilding.PageWritten {
			t.Errorf("page %s is %s", p.Slug, p.Status)
		}
		checkPage(t, dir, p)
	}
	crawl(t, dir, bp.BaseURL)

	// Edit one block of one page: only that page is rendered again.
	before := inodes(t, dir)
	var about sitebuilding.PageBlueprint
	for _, p := range pages {
		if p.Slug != sitebuilding.HomeSlug && p.Type != sitebuilding.PageContact {
			about = p
			break
		}
	}
	hero := *about.Blocks[0].Data.(*sitebuilding.Hero)
	hero.Heading = "Baked before sunrise"
	e.clock.Advance(60_000_000_000)
	about, err = b.UpdateBlock(ctx, e.scope, bp.ID, about.Slug, 0, sitebuilding.NewBlock(&hero))
	must(t, err)
	rec2, err := b.Deploy(ctx, e.scope, bp.ID)
	must(t, err)
	dir2, _ := e.renderer.CurrentDir(e.scope)
	after := inodes(t, dir2)
	var changedPages []string
	changed := 0
	for path, ino := range after {
		if before[path] != ino {
			changed++
			if strings.HasSuffix(path, ".html") {
				changedPages = append(changedPages, path)
			}
		}
	}
	if want := about.Slug + "/index.html"; len(changedPages) != 1 || changedPages[0] != want {
		t.Errorf("pages rendered again: %v, want only %s", changedPages, want)
	}
	if rec2.Written != changed || rec2.Version != 2 {
		t.Errorf("second deploy wrote %d files (version %d); %d files changed", rec2.Written, rec2.Version, changed)
	}
	checkPage(t, dir2, about)
	crawl(t, dir2, bp.BaseURL)
	t.Logf("deploy 1: %d files, %d written; deploy 2 after one block: %d written (%v)", rec.Files, rec.Written, rec2.Written, changedPages)

	// Preview renders elsewhere and leaves the live site alone.
	prev, err := b.Preview(ctx, e.scope, bp.ID)
	must(t, err)
	t.Cleanup(func() { os.RemoveAll(prev) })
	if _, err := os.Stat(filepath.Join(prev, "index.html")); err != nil {
		t.Errorf("preview has no home page: %v", err)
	}
	if live, _ := os.Readlink(filepath.Join(filepath.Dir(dir2), "current")); !strings.Contains(live, "v2") {
		t.Errorf("preview moved the live site to %q", live)
	}
}

// blockTexts are texts of a block that its rendering must show.
func blockTexts(bl sitebuilding.Block) []string {
	switch d := bl.Data.(type) {
	case *sitebuilding.Hero:
		if d.Image != nil {
			return []string{"media/" + d.Image.Src, d.Heading}
		}
		return []string{d.Heading}
	case *sitebuilding.CTA:
		return []string{d.Heading, d.Button.Label}
	case *sitebuilding.Features:
		return []string{d.Items[0].Title}
	case *sitebuilding.FAQ:
		return []string{d.Items[0].Question}
	case *sitebuilding.Contact:
		return []string{d.Email}
	case *sitebuilding.Text:
		return []string{d.Heading}
	case *sitebuilding.Testimonials:
		return []string{d.Items[0].Author}
	case *sitebuilding.Gallery:
		return []string{"media/" + d.Images[0].Src}
	}
	return nil
}

// checkPage finds every block of p in its deployed HTML, in order.
func checkPage(t *testing.T, dir string, p sitebuilding.PageBlueprint) {
	t.Helper()
	path := filepath.Join(dir, p.Slug, "index.html")
	if p.Slug == sitebuilding.HomeSlug {
		path = filepath.Join(dir, "index.html")
		if _, err := os.Stat(filepath.Join(dir, "home", "index.html")); err == nil {
			// The renderer's home-page bug, reported by TestHomePageServedAtRoot.
			path = filepath.Join(dir, "home", "index.html")
		}
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Errorf("page %s not deployed: %v", p.Slug, err)
		return
	}
	doc := string(raw)
	if !strings.Contains(doc, template.HTMLEscapeString(p.Title)) {
		t.Errorf("page %s: title %q missing", p.Slug, p.Title)
	}
	at := 0
	for i, bl := range p.Blocks {
		for _, s := range blockTexts(bl) {
			if s == "" {
				continue
			}
			j := strings.Index(doc[at:], template.HTMLEscapeString(s))
			if j < 0 {
				t.Errorf("page %s block %d (%s): %q not found after offset %d", p.Slug, i, bl.Type, s, at)
				continue
			}
			at += j
		}
	}
}

var linkRE = regexp.MustCompile(`(?:href|src)="([^"]+)"`)

// crawl serves dir with net/http's file server and follows every internal
// link from the home page; each must answer 200.
func crawl(t *testing.T, dir, baseURL string) {
	t.Helper()
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	t.Cleanup(srv.Close)
	seen := map[string]bool{"/": true}
	queue := []string{"/"}
	for len(queue) > 0 {
		path := queue[0]
		queue = queue[1:]
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %d", path, resp.StatusCode)
			continue
		}
		if !strings.Contains(resp.Header.Get("Content-Type"), "html") {
			continue
		}
		here, _ := url.Parse(srv.URL + path)
		for _, m := range linkRE.FindAllStringSubmatch(string(body), -1) {
			raw := strings.ReplaceAll(m[1], "&amp;", "&")
			if strings.HasPrefix(raw, baseURL) {
				raw = strings.TrimPrefix(raw, baseURL)
				if raw == "" {
					raw = "/"
				}
			}
			ref, err := url.Parse(raw)
			if err != nil {
				t.Errorf("%s links to %q: %v", path, raw, err)
				continue
			}
			if ref.Scheme != "" && ref.Scheme != "http" || ref.Host != "" {
				continue // mailto:, tel:, other sites
			}
			u := here.ResolveReference(ref)
			u.Fragment = ""
			if !seen[u.Path] {
				seen[u.Path] = true
				queue = append(queue, u.Path)
			}
		}
	}
	t.Logf("crawled %d internal URLs, all 200", len(seen))
	if len(seen) < 4 {
		t.Errorf("crawl reached only %v", seen)
	}
}

// inodes maps each regular file of a deployed version to its inode.
func inodes(t *testing.T, dir string) map[string]uint64 {
	t.Helper()
	out := map[string]uint64{}
	real, err := filepath.EvalSymlinks(dir)
	must(t, err)
	err = filepath.WalkDir(real, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(real, p)
		out[filepath.ToSlash(rel)] = info.Sys().(*syscall.Stat_t).Ino
		return nil
	})
	must(t, err)
	return out
}

// TestHomePageServedAtRoot checks that the home page's blocks are served at
// "/". It fails while adapters/sitesfs keeps the home page as a pointer
// into its argument slice (build.go: b.home = &pages[i]) but compares it
// with pointers into its own copy (b.pages) when planning files, so the
// home page lands at /home/ and "/" is the post list. The fix there: set
// b.home = &b.pages[i] for the "home" page after the loop that fills
// b.pages (not during it: an append may move the slice); with that, this
// test and the sitesfs tests pass.
func TestHomePageServedAtRoot(t *testing.T) {
	e := newEnv(t, nil, nil)
	ctx := context.Background()
	bp, _, err := sitebuilding.QuickBuild(ctx, e.builder, e.scope, bakery())
	must(t, err)
	_, pages, err := e.builder.Get(ctx, e.scope, bp.ID)
	must(t, err)
	dir, _ := e.renderer.CurrentDir(e.scope)
	raw, err := os.ReadFile(filepath.Join(dir, "index.html"))
	must(t, err)
	hero := pages[0].Blocks[0].Data.(*sitebuilding.Hero)
	if !strings.Contains(string(raw), template.HTMLEscapeString(hero.Heading)) {
		t.Errorf("/ does not show the home page's hero %q (adapters/sitesfs renders the home page at /home/: see this test's comment)", hero.Heading)
	}
}

// failing is a Renderer whose deploys, previews and rollbacks fail.
type failing struct{}

func (failing) Deploy(context.Context, igny8.Scope, sitebuilding.RenderSite) (sitebuilding.Rendered, error) {
	return sitebuilding.Rendered{}, igny8.Errorf(igny8.CodeUnavailable, "test", "disk full")
}

func (failing) Preview(context.Context, igny8.Scope, sitebuilding.RenderSite) (string, error) {
	return "", igny8.Errorf(igny8.CodeUnavailable, "test", "disk full")
}

func (failing) Rollback(context.Context, igny8.Scope, int) (sitebuilding.Rendered, error) {
	return sitebuilding.Rendered{}, igny8.Errorf(igny8.CodeUnavailable, "test", "disk full")
}

func TestFailedDeployIsRecorded(t *testing.T) {
	e := newEnvOn(t, sqlstoretest.SQLite(t), nil, nil, failing{})
	ctx := context.Background()
	bp, err := e.builder.Create(ctx, e.scope, bakery())
	must(t, err)
	_, err = e.builder.GenerateStructure(ctx, e.scope, bp.ID)
	must(t, err)
	rec, err := e.builder.Deploy(ctx, e.scope, bp.ID)
	if igny8.CodeOf(err) != igny8.CodeUnavailable {
		t.Fatalf("deploy: %v", err)
	}
	deps, err := e.builder.Deployments(ctx, e.scope, bp.ID, igny8.PageRequest{})
	must(t, err)
	if len(deps) != 1 || deps[0].Status != sitebuilding.DeployFailed || !strings.Contains(deps[0].Error, "disk full") || deps[0].ID != rec.ID {
		t.Errorf("records: %+v", deps)
	}
	got, _, _ := e.builder.Get(ctx, e.scope, bp.ID)
	if got.Status != sitebuilding.StatusReady {
		t.Errorf("status after a failed deploy: %s", got.Status)
	}
	if n := len(e.eventsOf(t, igny8.EventSiteDeployed)); n != 0 {
		t.Errorf("%d site_deployed events for a failed deploy", n)
	}
}
