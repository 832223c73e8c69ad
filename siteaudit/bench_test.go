package siteaudit

import (
	"fmt"
	"strings"
	"testing"
)

func benchPage(words int) []byte {
	var b strings.Builder
	b.WriteString(`<html><head><title>Bench</title><meta name="description" content="d"></head><body><nav>`)
	for i := range 20 {
		fmt.Fprintf(&b, `<a href="/nav/%d">Nav %d</a>`, i, i)
	}
	b.WriteString(`</nav><main><h1>Bench</h1><p>`)
	for i := range words {
		if i%50 == 0 {
			fmt.Fprintf(&b, `</p><h2>Part %d</h2><p><a href="/p/%d?b=1&a=2">link %d</a> `, i, i, i)
		}
		b.WriteString("word ")
	}
	b.WriteString(`</p></main><footer>f</footer></body></html>`)
	return []byte(b.String())
}

func BenchmarkExtract(b *testing.B) {
	body := benchPage(1500)
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		p := Extract("https://example.com/bench", body, ExtractOptions{})
		if p.Words == 0 {
			b.Fatal("no words")
		}
	}
}

func BenchmarkNormalizeURL(b *testing.B) {
	for b.Loop() {
		if _, ok := NormalizeURL("HTTPS://Example.com:443/a/./b/../c/?z=1&a=2#frag", SlashStrip); !ok {
			b.Fatal("not normalized")
		}
	}
}

func BenchmarkBuildLinkGraph(b *testing.B) {
	const n = 5000
	pages := make([]Page, n)
	for i := range pages {
		p := Page{URL: fmt.Sprintf("https://s.test/p/%d", i), Status: 200, Depth: min(i, 1)}
		p.FinalURL = p.URL
		for j := 1; j <= 10; j++ {
			p.Links = append(p.Links, Link{URL: fmt.Sprintf("https://s.test/p/%d", (i*7+j*13)%n), Internal: true})
		}
		pages[i] = p
	}
	for b.Loop() {
		g := BuildLinkGraph(pages, 3)
		if g.Pages != n {
			b.Fatal(g.Pages)
		}
	}
}
