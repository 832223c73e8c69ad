package crawler_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"

	"github.com/igny8/sdk/adapters/crawler"
	"github.com/igny8/sdk/siteaudit"
)

func Example() {
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			fmt.Fprint(w, "User-agent: *\nDisallow: /admin\n")
		case "/":
			fmt.Fprint(w, `<html><head><title>Home</title></head><body><nav><a href="/admin">Admin</a></nav>
<main><h1>Welcome</h1><p>Read <a href="/guide/">the guide</a>.</p></main></body></html>`)
		case "/guide":
			fmt.Fprint(w, `<html><head><title>Guide</title></head><body><p>How to <a href="/#top">go home</a>.</p></body></html>`)
		default:
			http.NotFound(w, r)
		}
	}))
	defer site.Close()

	// The test server listens on loopback, which a crawler refuses unless
	// told otherwise.
	c, err := crawler.New(crawler.Options{AllowPrivateHosts: []string{"127.0.0.1"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	var lines []string
	stats, err := c.Crawl(context.Background(), siteaudit.CrawlRequest{Start: site.URL}, func(p siteaudit.Page) error {
		lines = append(lines, fmt.Sprintf("%s %d %q words=%d", strings.TrimPrefix(p.URL, site.URL), p.Status, p.Title, p.Words))
		return nil
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	sort.Strings(lines)
	fmt.Println(strings.Join(lines, "\n"))
	fmt.Println("refused:", strings.TrimPrefix(stats.Refused[0].URL, site.URL), stats.Refused[0].Reason)
	// Output:
	// / 200 "Home" words=4
	// /guide 200 "Guide" words=4
	// refused: /admin robots.txt
}
