package main

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"time"

	"github.com/igny8/sdk/adapters/sitesfs"
	"github.com/igny8/sdk/igny8"
)

var renderWords = strings.Fields(`garden soil compost tomato basil water sun shade seed sow harvest pot
container raised bed mulch prune leaf root fruit flower pest organic fertilizer spring summer autumn
winter frost greenhouse trellis vine pepper lettuce herb thyme mint rosemary drainage clay sand loam
nitrogen worm bee pollinate germinate transplant seedling yield variety heirloom`)

// benchRender renders a synthetic site of -pages posts (about -words words
// each, 6–8 sections, 50 categories, 300 tags, 5–10 internal links per
// post) to a new version, then deploys again after one post changed.
func benchRender(ctx context.Context, args []string, out *reporter) error {
	fs := flag.NewFlagSet("render", flag.ContinueOnError)
	n := fs.Int("pages", 10000, "posts")
	words := fs.Int("words", 1200, "words per post")
	trust := fs.Bool("trust-html", false, "skip sanitizing post HTML at render (it was sanitized upstream)")
	seed := fs.Uint64("seed", 1, "generator seed")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the deploys to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "igny8-bench-render-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	r, err := sitesfs.New(dir, nil, sitesfs.Options{TrustHTML: *trust})
	if err != nil {
		return err
	}
	scope := igny8.Scope{AccountID: "bench", SiteID: "site"}
	if err := r.Configure(ctx, scope, sitesfs.Site{Name: "Bench Garden", BaseURL: "https://bench.example", PostsPerPage: 10}); err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(*seed, 7))
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	putStart := time.Now()
	const chunk = 1000
	var changed sitesfs.Post
	for lo := 0; lo < *n; lo += chunk {
		posts := make([]sitesfs.Post, 0, chunk)
		for i := lo; i < min(lo+chunk, *n); i++ {
			posts = append(posts, synthPost(rng, i, *n, *words, t0))
			if i == *n/2 {
				changed = posts[len(posts)-1]
			}
		}
		if err := r.PutPosts(ctx, scope, posts); err != nil {
			return err
		}
	}
	putSecs := time.Since(putStart).Seconds()
	if *cpuprofile != "" {
		stop, err := startCPUProfile(*cpuprofile)
		if err != nil {
			return err
		}
		defer stop()
	}

	dep, err := r.Deploy(ctx, scope)
	if err != nil {
		return err
	}
	if err := out.Report(Result{Bench: "render", N: *n, Elapsed: dep.Duration, Extra: map[string]any{
		"mode": "full", "files": dep.Files, "html_pages": dep.Pages, "written": dep.Written, "mb": round(float64(dep.Bytes)/(1<<20), 1),
		"source_put_seconds": round(putSecs, 3), "trust_html": *trust, "words": *words,
	}}); err != nil {
		return err
	}

	// One post changes: its page, the lists that show it, sitemap and feed.
	p := changed
	p.Title += " (updated)"
	p.Updated = time.Now().UTC()
	if err := r.PutPosts(ctx, scope, []sitesfs.Post{p}); err != nil {
		return err
	}
	inc, err := r.Deploy(ctx, scope)
	if err != nil {
		return err
	}
	return out.Report(Result{Bench: "render", N: 1, Elapsed: inc.Duration, Extra: map[string]any{
		"mode": "incremental", "site_posts": *n, "files": inc.Files, "written": inc.Written, "trust_html": *trust,
	}})
}

func synthPost(rng *rand.Rand, i, n, words int, t0 time.Time) sitesfs.Post {
	var b strings.Builder
	sections := 6 + rng.IntN(3)
	per := words / sections
	links := 5 + rng.IntN(6)
	for s := 0; s < sections; s++ {
		fmt.Fprintf(&b, "<h2>%s %s</h2>\n", strings.ToUpper(renderWords[rng.IntN(len(renderWords))][:1])+renderWords[rng.IntN(len(renderWords))][1:], renderWords[rng.IntN(len(renderWords))])
		written := 0
		for written < per {
			b.WriteString("<p>")
			for k := 0; k < 40 && written < per; k++ {
				if links > 0 && rng.IntN(per) < 2 {
					fmt.Fprintf(&b, `<a href="/post-%d/">%s</a> `, rng.IntN(n), renderWords[rng.IntN(len(renderWords))])
					links--
				} else {
					b.WriteString(renderWords[rng.IntN(len(renderWords))])
					b.WriteByte(' ')
				}
				written++
			}
			b.WriteString("</p>\n")
		}
	}
	for ; links > 0; links-- {
		fmt.Fprintf(&b, `<p>See also <a href="/post-%d/">this guide</a>.</p>`, rng.IntN(n))
	}
	tags := make([]string, 3)
	for k := range tags {
		tags[k] = fmt.Sprintf("tag %d", rng.IntN(300))
	}
	return sitesfs.Post{
		ID: fmt.Sprintf("p%07d", i), Type: "post", Slug: fmt.Sprintf("post-%d", i),
		Title: fmt.Sprintf("Post %d: growing %s in %s", i, renderWords[rng.IntN(len(renderWords))], renderWords[rng.IntN(len(renderWords))]),
		HTML:  b.String(), Excerpt: "A short summary of the post about " + renderWords[rng.IntN(len(renderWords))],
		Categories: []string{fmt.Sprintf("Category %d", rng.IntN(50))}, Tags: tags,
		Author: fmt.Sprintf("Author %d", rng.IntN(5)), Published: t0.Add(time.Duration(i) * time.Hour),
	}
}
