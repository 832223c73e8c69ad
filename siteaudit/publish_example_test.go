package siteaudit_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/publishing"
	"github.com/igny8/sdk/siteaudit"
)

// staticSite is a Crawler over fixed pages (adapters/crawler reads real
// sites).
type staticSite []siteaudit.Page

func (s staticSite) Crawl(_ context.Context, _ siteaudit.CrawlRequest, visit func(siteaudit.Page) error) (siteaudit.CrawlStats, error) {
	for _, p := range s {
		if err := visit(p); err != nil {
			return siteaudit.CrawlStats{}, err
		}
	}
	return siteaudit.CrawlStats{Pages: len(s)}, nil
}

// cms is a destination holding raw page content by address
// (adapters/wordpress is the real one).
type cms map[string]publishing.RemotePage

func (c cms) FindPage(_ context.Context, u string) (publishing.RemotePage, bool, error) {
	p, ok := c[strings.TrimRight(u, "/")]
	return p, ok, nil
}

func (c cms) UpdatePage(_ context.Context, p publishing.RemotePage, content string) (publishing.RemotePage, error) {
	p.Content = content
	c[strings.TrimRight(p.URL, "/")] = p
	return p, nil
}

func ExampleAuditor_PublishLinks() {
	ctx := context.Background()
	scope := igny8.Scope{AccountID: "acct", SiteID: "bakery"}
	site := staticSite{
		{URL: "https://bakery.example/sourdough", FinalURL: "https://bakery.example/sourdough", Status: 200, Title: "Sourdough",
			HTML: "<h1>Sourdough</h1><p>Feed the starter the night before. Bake in a dutch oven for a crisp crust.</p>"},
		{URL: "https://bakery.example/dutch-ovens", FinalURL: "https://bakery.example/dutch-ovens", Status: 200, Title: "Dutch ovens",
			HTML: "<h1>Dutch ovens</h1><p>A heavy pot keeps the steam in while the bread bakes.</p>"},
	}
	// At the destination the pages have their own markup and addresses.
	dest := cms{
		"https://bakery.example/sourdough": {ID: "11", Kind: "posts", URL: "https://bakery.example/sourdough/",
			Content: "<!-- wp:paragraph -->\n<p>Feed the starter the night before. Bake in a dutch oven for a crisp crust.</p>\n<!-- /wp:paragraph -->"},
		"https://bakery.example/dutch-ovens": {ID: "12", Kind: "posts", URL: "https://bakery.example/dutch-ovens/",
			Content: "<p>A heavy pot keeps the steam in while the bread bakes.</p>"},
	}

	a, _ := siteaudit.NewAuditor(siteaudit.NewMemStore(), site, siteaudit.Options{})
	if _, err := a.Import(ctx, scope, siteaudit.CrawlRequest{Start: "https://bakery.example/sourdough"}); err != nil {
		panic(err)
	}
	rep, err := a.Audit(ctx, scope, siteaudit.AuditOptions{Keyphrases: map[string]string{
		"https://bakery.example/dutch-ovens": "dutch oven",
	}})
	if err != nil {
		panic(err)
	}
	// Accept every suggestion and write them back.
	opts := siteaudit.PublishOptions{Suggestions: rep.AllSuggestions()}
	res, err := a.PublishLinks(ctx, scope, dest, opts)
	if err != nil {
		panic(err)
	}
	for _, p := range res.Pages {
		fmt.Println(p.URL, p.Status, len(p.Links))
	}
	id := regexp.MustCompile(`data-igny8-link="[^"]+"`)
	fmt.Println(id.ReplaceAllString(dest["https://bakery.example/sourdough"].Content, `data-igny8-link="…"`))

	// Run again: the link is there, nothing is written.
	res, _ = a.PublishLinks(ctx, scope, dest, opts)
	fmt.Println(res.Pages[0].Status, len(res.Pages[0].Present))
	// Output:
	// https://bakery.example/sourdough updated 1
	// <!-- wp:paragraph -->
	// <p>Feed the starter the night before. Bake in a <a href="https://bakery.example/dutch-ovens/" data-igny8-link="…">dutch oven</a> for a crisp crust.</p>
	// <!-- /wp:paragraph -->
	// unchanged 1
}
