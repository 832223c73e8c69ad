// Package crawler reads live sites for siteaudit: a Crawler crawls a site
// with github.com/gocolly/colly/v2 from its home page or its sitemaps and
// fetches single pages (competitor pages for briefs), under rules a host
// can trust with customers' URLs.
//
// # What a crawl does
//
// One host (and its "www." twin, and Options.Hosts) unless AnyHost; click
// depth and page caps; Parallelism requests in flight and a Delay per
// request slot, the site's rate limit; robots.txt respected for the
// crawler's UserAgent; sitemaps and sitemap indexes, gzipped or not;
// redirects followed within the site, each hop recorded, loops and long
// chains ended; canonical URLs honoured (the page is reported as a
// duplicate of its canonical, which is crawled); URLs folded by
// siteaudit.NormalizeURL so that each page is fetched once; conditional
// requests (If-None-Match, If-Modified-Since) and content hashes on a
// re-crawl, so unchanged pages are reported unchanged.
//
// # Safety
//
// Every connection goes through a dialer that resolves the host itself
// and refuses private, loopback, link-local (169.254.169.254 included),
// unique-local, unspecified, multicast and reserved addresses, checked
// again on the socket's address in the dialer's Control function right
// before it connects, so neither a redirect nor a DNS answer can lead the
// crawler into the host's own network. AllowPrivate or AllowPrivateHosts
// lift the rule, for tests and intranets. Only http and https are
// fetched; proxies from the environment are not used; every response is
// cut at MaxBytes (the rest is never read) and every request at
// PageTimeout. Refusals are *AddressError (igny8.CodePermissionDenied).
//
// colly.NewCollector reads COLLY_* environment variables after its
// options; the crawler builds its collector without it, so the
// environment never changes what a crawl does.
//
//	c, err := crawler.New(crawler.Options{MaxPages: 5000, Parallelism: 4})
//	stats, err := c.Crawl(ctx, siteaudit.CrawlRequest{Start: "https://example.com/"},
//		func(p siteaudit.Page) error { fmt.Println(p.URL, p.Status, p.Title); return nil })
package crawler
