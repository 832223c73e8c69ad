package siteaudit_test

import (
	"fmt"

	"github.com/igny8/sdk/siteaudit"
)

func ExampleNormalizeURL() {
	for _, u := range []string{
		"HTTPS://Example.com:443/Blog/?b=2&a=1#comments",
		"https://example.com/blog/./post/../",
		"mailto:hello@example.com",
	} {
		n, ok := siteaudit.NormalizeURL(u, siteaudit.SlashStrip)
		fmt.Println(n, ok)
	}
	// Output:
	// https://example.com/Blog?a=1&b=2 true
	// https://example.com/blog true
	//  false
}

func ExampleExtract() {
	html := `<html><head><title>Trail shoes</title><link rel="canonical" href="/shoes/"></head>
<body><nav><a href="/">Home</a></nav>
<main><h1>Trail shoes</h1><p>Pick shoes with <a href="/grip">grip</a>.</p><img src="/s.png" alt="shoe"></main>
<footer>© Shop</footer></body></html>`
	p := siteaudit.Extract("https://shop.example/shoes", []byte(html), siteaudit.ExtractOptions{})
	fmt.Println(p.Title, "|", p.Canonical)
	fmt.Printf("%q %d words\n", p.Text, p.Words)
	for _, l := range p.Links {
		fmt.Println(l.URL, l.Internal, l.InMain)
	}
	fmt.Println(p.Images[0].URL, p.Images[0].Alt)
	// Output:
	// Trail shoes | https://shop.example/shoes
	// "Trail shoes\nPick shoes with grip." 6 words
	// https://shop.example/ true false
	// https://shop.example/grip true true
	// https://shop.example/s.png shoe
}

func ExampleBuildLinkGraph() {
	pages := []siteaudit.Page{
		{URL: "https://s.example/", FinalURL: "https://s.example/", Status: 200, Depth: 0,
			Links: []siteaudit.Link{{URL: "https://s.example/a", Internal: true}, {URL: "https://s.example/gone", Internal: true}}},
		{URL: "https://s.example/a", FinalURL: "https://s.example/a", Status: 200, Depth: 1},
		{URL: "https://s.example/b", FinalURL: "https://s.example/b", Status: 200, Depth: 1},
		{URL: "https://s.example/gone", FinalURL: "https://s.example/gone", Status: 404, Depth: 1},
	}
	g := siteaudit.BuildLinkGraph(pages, 3)
	fmt.Println("pages:", g.Pages, "links:", g.Links)
	fmt.Println("orphans:", g.Orphans)
	fmt.Println("broken:", g.Broken[0].Source, "->", g.Broken[0].Target, g.Broken[0].Status)
	// Output:
	// pages: 3 links: 1
	// orphans: [https://s.example/b]
	// broken: https://s.example/ -> https://s.example/gone 404
}
