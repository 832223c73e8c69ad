package main

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/igny8/sdk/linking"
)

// benchLink builds a seeded synthetic site (clusters with a pillar page
// each, real-looking HTML with headings, paragraphs, lists, code blocks,
// images and existing links), indexes it, suggests links for every page,
// inserts them, then adds one page to the full index and measures its
// outbound and inbound suggestions.
//
//	go run ./examples/bench link -pages 10000 -words 1500
func benchLink(ctx context.Context, args []string, out *reporter) error {
	fs := flag.NewFlagSet("link", flag.ContinueOnError)
	pages := fs.Int("pages", 10000, "pages in the site")
	words := fs.Int("words", 1500, "words per page")
	seed := fs.Uint64("seed", 1, "seed of the synthetic site")
	clusterSize := fs.Int("cluster", 20, "pages per cluster (one pillar)")
	workers := fs.Int("workers", runtime.GOMAXPROCS(0), "concurrent workers")
	verifyEvery := fs.Int("verify-every", 100, "re-parse every n-th linked page and compare trees (0: never)")
	adds := fs.Int("adds", 5, "pages added one by one to the full index (add_page_ms is their median)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile here")
	memProfile := fs.String("memprofile", "", "write a heap profile here at the end")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *pages < 2 || *words < 50 || *clusterSize < 2 {
		return fmt.Errorf("need -pages >= 2, -words >= 50, -cluster >= 2")
	}
	if *cpuProfile != "" {
		stop, err := startCPUProfile(*cpuProfile)
		if err != nil {
			return err
		}
		defer stop()
	}
	gen := newLinkSiteGen(*seed, *pages, *words, *clusterSize)
	idx := linking.NewIndex(nil)
	// What generating the synthetic HTML costs, to tell it apart: the
	// phases below generate each page again (nothing is kept in memory).
	// Measured in CPU time: the machine may be shared.
	cg := linkCPUTime()
	htmlBytes := 0
	for i := 0; i < min(*pages, 1000); i++ {
		htmlBytes += len(gen.page(i).HTML)
	}
	genPerPage := (linkCPUTime() - cg) / time.Duration(min(*pages, 1000))
	cpu0 := linkCPUTime()

	// 1. Index every page.
	t0 := time.Now()
	err := linkParallel(ctx, *pages, *workers, func(i int) error { return idx.Add(gen.page(i)) })
	if err != nil {
		return err
	}
	idx.Reweight()
	buildDur := time.Since(t0)
	cpuIndex := linkCPUTime() - cpu0

	// 2. Suggest and insert for every page.
	t1 := time.Now()
	var links, skipped, verified, linkedPages atomic.Int64
	var mu sync.Mutex
	byRule := map[linking.RuleID]int{}
	err = linkParallel(ctx, *pages, *workers, func(i int) error {
		p := gen.page(i)
		plan, err := idx.Suggest(ctx, p)
		if err != nil {
			return err
		}
		res, err := linking.ApplyPlan(p.HTML, plan, linking.ApplyOptions{IDs: &linkIDs{prefix: p.ID}})
		if err != nil {
			return fmt.Errorf("page %s: %w", p.ID, err)
		}
		if *verifyEvery > 0 && i%*verifyEvery == 0 {
			if err := linking.VerifyInsertion(p.HTML, res.HTML); err != nil {
				return fmt.Errorf("page %s: %w", p.ID, err)
			}
			verified.Add(1)
		}
		idx.Commit(plan.Suggestions)
		links.Add(int64(len(res.Links)))
		skipped.Add(int64(len(plan.Skipped)))
		if len(res.Links) > 0 {
			linkedPages.Add(1)
		}
		mu.Lock()
		for _, s := range plan.Skipped {
			byRule[s.Rule]++
		}
		mu.Unlock()
		return nil
	})
	if err != nil {
		return err
	}
	linkDur := time.Since(t1)
	cpuUsed := linkCPUTime() - cpu0

	// 3. Add pages one by one to the full index.
	load := func(_ context.Context, id string) (linking.Page, error) {
		n, err := strconv.Atoi(strings.TrimPrefix(id, "p"))
		if err != nil {
			return linking.Page{}, err
		}
		return gen.page(n), nil
	}
	var addMS []float64
	inbound, inboundLinks, outboundLinks := 0, 0, 0
	for k := 0; k < *adds; k++ {
		p := gen.page(*pages + k)
		ta := time.Now()
		up, err := idx.Upsert(ctx, p, load)
		if err != nil {
			return err
		}
		addMS = append(addMS, float64(time.Since(ta).Microseconds())/1000)
		outboundLinks += len(up.Outbound.Suggestions)
		inbound += len(up.Inbound)
		for _, pl := range up.Inbound {
			inboundLinks += len(pl.Suggestions)
		}
	}
	sort.Float64s(addMS)
	rules := map[string]int{}
	for r, n := range byRule {
		rules[string(r)] = n
	}
	if *memProfile != "" {
		f, err := os.Create(*memProfile)
		if err != nil {
			return err
		}
		runtime.GC()
		if err := pprof.WriteHeapProfile(f); err != nil {
			f.Close()
			return err
		}
		f.Close()
	}
	extra := map[string]any{
		"pages":               *pages,
		"html_kb_per_page":    round(float64(htmlBytes)/float64(min(*pages, 1000))/1024, 1),
		"gen_cpu_ms_per_page": round(float64(genPerPage.Microseconds())/1000, 3),
		"cpu_s":               round(cpuUsed.Seconds(), 2),
		"index_cpu_s":         round(cpuIndex.Seconds(), 2),
		// The index and link phases generate every page once each.
		"gen_cpu_s_est":      round(genPerPage.Seconds()*float64(2**pages), 2),
		"words":              *words,
		"workers":            *workers,
		"index_s":            round(buildDur.Seconds(), 3),
		"suggest_insert_s":   round(linkDur.Seconds(), 3),
		"links":              links.Load(),
		"links_per_page":     round(float64(links.Load())/float64(*pages), 2),
		"linked_pages":       linkedPages.Load(),
		"skipped":            skipped.Load(),
		"skipped_by_rule":    rules,
		"verified_pages":     verified.Load(),
		"adds":               *adds,
		"add_page_ms":        0.0,
		"add_page_max_ms":    0.0,
		"add_inbound_pages":  inbound,
		"add_inbound_links":  inboundLinks,
		"add_outbound_links": outboundLinks,
	}
	if len(addMS) > 0 {
		extra["add_page_ms"] = round(addMS[len(addMS)/2], 2)
		extra["add_page_max_ms"] = round(addMS[len(addMS)-1], 2)
	}
	return out.Report(Result{Bench: "link", N: *pages, Elapsed: buildDur + linkDur, Extra: extra})
}

// linkCPUTime returns the user and system CPU time the process has used.
func linkCPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// linkParallel runs fn(0..n-1) on workers goroutines, stopping at the first
// error or when ctx ends.
func linkParallel(ctx context.Context, n, workers int, fn func(i int) error) error {
	var next atomic.Int64
	var firstErr error
	var once sync.Once
	var wg sync.WaitGroup
	for range max(1, workers) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n || ctx.Err() != nil {
					return
				}
				if err := fn(i); err != nil {
					once.Do(func() { firstErr = err })
					next.Store(int64(n))
					return
				}
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	return ctx.Err()
}

// linkIDs names links <prefix>-1, <prefix>-2, ...
type linkIDs struct {
	prefix string
	n      int
}

func (c *linkIDs) NewID() string { c.n++; return c.prefix + "-" + strconv.Itoa(c.n) }

// linkSiteGen generates the pages of a synthetic site from a seed: page i is
// the same every time it is asked for, so nothing is kept in memory.
type linkSiteGen struct {
	seed        uint64
	pages       int
	words       int
	clusterSize int
	vocab       []string
	topicA      []string
	topicB      []string
	modifiers   []string
}

func newLinkSiteGen(seed uint64, pages, words, clusterSize int) *linkSiteGen {
	r := rand.New(rand.NewPCG(seed, 0x6c696e6b))
	syl := []string{"ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "ba", "do", "fe", "gu", "hi", "ja",
		"ko", "la", "mo", "nu", "pe", "qui", "ra", "se", "to", "ul", "ve", "wa", "xi", "yo", "zu", "an", "en",
		"in", "on", "ar", "er", "or", "ta", "li", "me"}
	word := func(n int) string {
		var b strings.Builder
		for range n {
			b.WriteString(syl[r.IntN(len(syl))])
		}
		return b.String()
	}
	seen := map[string]bool{}
	uniq := func(n, sylls int) []string {
		out := make([]string, 0, n)
		for len(out) < n {
			w := word(sylls + r.IntN(2))
			if !seen[w] {
				seen[w] = true
				out = append(out, w)
			}
		}
		return out
	}
	g := &linkSiteGen{seed: seed, pages: pages, words: words, clusterSize: clusterSize}
	g.vocab = uniq(8000, 2)
	g.topicA = uniq(120, 3)
	g.topicB = uniq(120, 3)
	g.modifiers = []string{"guide", "tools", "tips", "checklist", "examples", "software", "strategy", "pricing",
		"templates", "mistakes", "benefits", "trends", "metrics", "audit", "workflow", "course", "basics",
		"framework", "ideas", "plugins", "services", "reviews", "alternatives", "tutorial", "statistics",
		"history", "cost", "faq", "glossary", "case studies"}
	return g
}

func (g *linkSiteGen) cluster(i int) int { return i / g.clusterSize }

func (g *linkSiteGen) topic(c int) string {
	return g.topicA[c%len(g.topicA)] + " " + g.topicB[(c/len(g.topicA))%len(g.topicB)]
}

// keyword is page i's primary keyword; the first page of a cluster is its
// pillar and takes the bare topic.
func (g *linkSiteGen) keyword(i int) string {
	c, m := g.cluster(i), i%g.clusterSize
	if m == 0 {
		return g.topic(c)
	}
	return g.topic(c) + " " + g.modifiers[(m-1)%len(g.modifiers)]
}

func (g *linkSiteGen) secondary(i int) []string {
	c, m := g.cluster(i), i%g.clusterSize
	a := g.topicA[c%len(g.topicA)]
	if m == 0 {
		return []string{a + " overview", "complete " + g.topic(c)}
	}
	mod := g.modifiers[(m-1)%len(g.modifiers)]
	return []string{mod + " for " + a, "best " + g.topic(c) + " " + mod}
}

func (g *linkSiteGen) page(i int) linking.Page {
	r := rand.New(rand.NewPCG(g.seed, uint64(i)+1))
	// A cheap skewed pick (a few words common, most rare), like prose.
	pick := func() string {
		u := r.Float64()
		return g.vocab[int(u*u*u*float64(len(g.vocab)))]
	}
	c := g.cluster(i)
	kw := g.keyword(i)
	var b strings.Builder
	b.Grow(g.words * 8)
	b.WriteString("<article><h1>")
	b.WriteString(strings.ToUpper(kw[:1]) + kw[1:] + ": what to know")
	b.WriteString("</h1>\n")
	n := 0
	// mention picks a phrase another page ranks for.
	mention := func() string {
		switch x := r.IntN(10); {
		case x < 3: // the cluster's pillar
			return g.keyword(c * g.clusterSize)
		case x < 6: // a sibling
			j := c*g.clusterSize + r.IntN(g.clusterSize)
			if r.IntN(3) == 0 {
				return g.secondary(j)[r.IntN(2)]
			}
			return g.keyword(j)
		case x < 8: // anywhere on the site, or a page not yet written
			return g.keyword(r.IntN(g.pages + 5))
		case x < 9:
			return kw
		default:
			return g.keyword(r.IntN(g.pages))
		}
	}
	sentence := func() {
		l := 8 + r.IntN(14)
		for k := 0; k < l; k++ {
			w := pick()
			if k == 0 {
				w = strings.ToUpper(w[:1]) + w[1:]
			}
			b.WriteString(w)
			n++
			if k == l/2 && r.IntN(3) == 0 {
				b.WriteString(" ")
				m := mention()
				b.WriteString(m)
				n += strings.Count(m, " ") + 1
			}
			if k < l-1 {
				if r.IntN(12) == 0 {
					b.WriteString(", ")
				} else {
					b.WriteString(" ")
				}
			}
		}
		b.WriteString(". ")
	}
	for n < g.words {
		switch x := r.IntN(20); {
		case x == 0:
			b.WriteString("<h2>")
			b.WriteString(mention())
			b.WriteString(" explained</h2>\n")
		case x == 1:
			b.WriteString("<ul>")
			for range 3 + r.IntN(3) {
				b.WriteString("<li>")
				sentence()
				b.WriteString("</li>")
			}
			b.WriteString("</ul>\n")
		case x == 2:
			b.WriteString("<pre><code>$ fetch --topic \"")
			b.WriteString(mention())
			b.WriteString("\" &amp;&amp; echo done</code></pre>\n")
		case x == 3:
			fmt.Fprintf(&b, "<figure><img src=\"/img/%d.png\" alt=\"%s chart\"><figcaption>", r.IntN(1000), mention())
			sentence()
			b.WriteString("</figcaption></figure>\n")
		default:
			b.WriteString("<p>")
			for s := 2 + r.IntN(4); s > 0; s-- {
				if r.IntN(40) == 0 {
					fmt.Fprintf(&b, "See <a href=\"/p/%d\">%s</a> and <em>%s</em>. ", r.IntN(g.pages), pick(), pick())
					n += 3
				}
				if r.IntN(25) == 0 {
					b.WriteString("Also <a href=\"https://example.org/ref\">read more</a> there. ")
					n += 4
				}
				sentence()
			}
			b.WriteString("</p>\n")
		}
	}
	b.WriteString("</article>\n")
	return linking.Page{
		ID:                "p" + strconv.Itoa(i),
		URL:               "/p/" + strconv.Itoa(i),
		Title:             kw,
		HTML:              b.String(),
		PrimaryKeyword:    kw,
		SecondaryKeywords: g.secondary(i),
		ClusterID:         "c" + strconv.Itoa(c),
		IsPillar:          i%g.clusterSize == 0,
		Published:         r.IntN(20) != 0,
	}
}
