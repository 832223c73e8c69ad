package main

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/igny8/sdk/adapters/crawler"
	"github.com/igny8/sdk/adapters/sqlstore"
	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/siteaudit"
)

// benchCrawl serves a generated site of interlinked pages from an
// httptest server on loopback and crawls it with the crawler adapter
// (robots.txt, extraction, URL folding, the guarded dialer: the whole
// path), reporting pages per second. With -import it then imports the
// site into a SQLite store twice (the second time every page answers 304
// or keeps its hash) and audits it (link graph, optimizer, linker).
//
//	go run ./examples/bench crawl -pages 5000 [-parallel 8] [-import]
func benchCrawl(ctx context.Context, args []string, out *reporter) error {
	fs := flag.NewFlagSet("crawl", flag.ContinueOnError)
	pages := fs.Int("pages", 5000, "pages in the generated site")
	words := fs.Int("words", 400, "words per page")
	links := fs.Int("links", 8, "random internal links per page (besides nav and next)")
	parallel := fs.Int("parallel", 8, "requests in flight")
	seed := fs.Uint64("seed", 1, "seed of the generated site")
	doImport := fs.Bool("import", false, "also import into SQLite (first and re-import) and audit")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *pages < 2 || *words < 10 {
		return fmt.Errorf("need -pages >= 2 and -words >= 10")
	}
	gen := &crawlSite{pages: *pages, words: *words, links: *links, seed: *seed}
	var served atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := gen.serve(w, r)
		served.Add(int64(n))
	}))
	defer srv.Close()

	c, err := crawler.New(crawler.Options{
		MaxPages: *pages + 10, MaxDepth: 1000, Parallelism: *parallel,
		AllowPrivateHosts: []string{"127.0.0.1"},
	})
	if err != nil {
		return err
	}
	var got, words64 int64
	start := time.Now()
	stats, err := c.Crawl(ctx, siteaudit.CrawlRequest{Start: srv.URL + "/"}, func(p siteaudit.Page) error {
		got++
		words64 += int64(p.Words)
		return nil
	})
	if err != nil {
		return err
	}
	el := time.Since(start)
	if err := out.Report(Result{Bench: "crawl", N: int(got), Elapsed: el, Extra: map[string]any{
		"phase": "crawl", "parallel": *parallel, "errors": stats.Errors, "skipped": stats.Skipped,
		"mb_served": round(float64(served.Load())/(1<<20), 1), "words": words64,
		"ms_per_page": round(float64(el.Milliseconds())/float64(max(got, 1)), 3),
	}}); err != nil {
		return err
	}
	if got < int64(*pages) {
		return fmt.Errorf("crawled %d pages of %d", got, *pages)
	}
	if !*doImport {
		return nil
	}
	dir, err := os.MkdirTemp("", "igny8-bench-crawl")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	store, err := sqlstore.Open(ctx, "sqlite:"+filepath.Join(dir, "crawl.db"), sqlstore.Options{})
	if err != nil {
		return err
	}
	defer store.Close()
	ten := igny8.NewTenancy(store, igny8.TenancyOptions{})
	plan, err := ten.CreatePlan(ctx, igny8.Plan{Name: "bench"})
	if err != nil {
		return err
	}
	acct, err := ten.CreateAccount(ctx, igny8.Account{Name: "bench", PlanID: plan.ID})
	if err != nil {
		return err
	}
	site, err := ten.CreateSite(ctx, igny8.Scope{AccountID: acct.ID}, igny8.Site{Name: "bench"})
	if err != nil {
		return err
	}
	scope := igny8.Scope{AccountID: acct.ID, SiteID: site.ID}
	a, err := siteaudit.NewAuditor(store, c, siteaudit.Options{})
	if err != nil {
		return err
	}
	for _, phase := range []string{"import", "reimport"} {
		start := time.Now()
		res, err := a.Import(ctx, scope, siteaudit.CrawlRequest{Start: srv.URL + "/"})
		if err != nil {
			return err
		}
		if err := out.Report(Result{Bench: "crawl", N: res.Crawl.Pages, Elapsed: time.Since(start), Extra: map[string]any{
			"phase": phase, "store": "sqlite", "new": res.New, "changed": res.Changed, "unchanged": res.Unchanged,
		}}); err != nil {
			return err
		}
	}
	start = time.Now()
	rep, err := a.Audit(ctx, scope, siteaudit.AuditOptions{})
	if err != nil {
		return err
	}
	return out.Report(Result{Bench: "crawl", N: rep.Graph.Pages, Elapsed: time.Since(start), Extra: map[string]any{
		"phase": "audit", "store": "sqlite", "links": rep.Graph.Links, "orphans": len(rep.Graph.Orphans),
		"deep": len(rep.Graph.Deep), "broken": len(rep.Graph.Broken), "suggested_links": rep.SuggestedLinks,
		"mean_seo": round(rep.SEO.MeanSEO, 1),
	}})
}

// crawlSite generates page i on request: a nav of ten section pages, a
// main part of words with links to the next page and to random pages,
// and an ETag so that re-crawls answer 304.
type crawlSite struct {
	pages, words, links int
	seed                uint64
}

var crawlWords = strings.Fields(`trail running shoes grip cushioning drop outsole lugs rock plate waterproof
upper fit heel toe box stride pace mileage recovery hydration vest poles ridge descent climb mud gravel forest
summit training plan tempo interval long run recovery day strength mobility ankle knee hip`)

func (s *crawlSite) serve(w http.ResponseWriter, r *http.Request) int {
	if r.URL.Path == "/robots.txt" {
		n, _ := w.Write([]byte("User-agent: *\nDisallow: /private\n"))
		return n
	}
	i := 0
	if r.URL.Path != "/" {
		v, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/p/"))
		if err != nil || v < 0 || v >= s.pages {
			http.NotFound(w, r)
			return 0
		}
		i = v
	}
	etag := fmt.Sprintf(`"p%d-%d"`, i, s.seed)
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return 0
	}
	rng := rand.New(rand.NewPCG(s.seed, uint64(i)))
	var b strings.Builder
	fmt.Fprintf(&b, `<!doctype html><html><head><title>Page %d about %s</title><meta name="description" content="Page %d of the generated site.">`+
		`<link rel="canonical" href="/p/%d"></head><body><header><a href="/">Home</a></header><nav>`, i, crawlWords[i%len(crawlWords)], i, i)
	for j := range 10 {
		fmt.Fprintf(&b, `<a href="/p/%d">Section %d</a> `, j, j)
	}
	fmt.Fprintf(&b, `</nav><main><h1>Page %d</h1><h2>%s</h2><p>`, i, crawlWords[(i+3)%len(crawlWords)])
	for k := range s.words {
		if k > 0 && k%60 == 0 {
			b.WriteString("</p><p>")
		}
		b.WriteString(crawlWords[rng.IntN(len(crawlWords))])
		b.WriteByte(' ')
	}
	b.WriteString("</p><p>")
	fmt.Fprintf(&b, `<a href="/p/%d">next page</a> `, (i+1)%s.pages)
	for range s.links {
		fmt.Fprintf(&b, `<a href="/p/%d">%s %s</a> `, rng.IntN(s.pages), crawlWords[rng.IntN(len(crawlWords))], crawlWords[rng.IntN(len(crawlWords))])
	}
	b.WriteString(`</p></main><footer>© generated</footer></body></html>`)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("ETag", etag)
	n, _ := w.Write([]byte(b.String()))
	return n
}
