// Package siteaudit imports an existing site into the inventory and audits
// it, so that the linker and the optimizer work on the pages a customer
// already has, and content briefs know what the pages that rank cover.
//
// # Crawling and extraction
//
// A Crawler (adapters/crawler implements it on colly, with the safety
// rules: no private addresses, robots.txt, byte and time caps) reads a
// site from its home page or sitemaps and hands over one Page per URL:
// status, redirect chain, title, meta description, canonical, headings,
// the main text and markup with navigation, header, footer, sidebars and
// link-dense blocks removed, links (internal or external, nofollow, in the
// main content or not), images with alt, word count, validators (ETag,
// Last-Modified) and a content hash. Extract does the reading of one
// document and NormalizeURL the folding of URLs (scheme and host case,
// default ports, fragments, dot segments, sorted query, a trailing slash
// policy), so that duplicates are one page.
//
// # Import and audit
//
// Auditor.Import crawls a site and keeps each page as an Item of kind
// "imported" in a Store, scoped to the account and site. A re-import sends
// the stored ETag and Last-Modified and compares content hashes, so only
// changed pages are rewritten as changed. Auditor.Audit reads the
// inventory and returns a Report: the live LinkGraph (orphans, broken
// internal links, redirect chains and loops with the links that point at
// them, pages more than three clicks deep), the optimizer's site audit
// (optimization.Analyzer.Audit) and the linker's suggestions
// (linking.Index) for every page.
//
// # Publishing links back
//
// Auditor.PublishLinks takes the suggestions a host accepted (all of them:
// Report.AllSuggestions) and writes them into the pages where they live,
// through a publishing.Updater: adapters/wordpress for WordPress, or the
// one publishing.Service.Updater hands out for a registered destination.
// Per page it finds the page at the destination by its URL (a page the
// destination does not know is reported, not an error), finds each
// anchor again in the raw content an editor sees rather than in the
// rendered page the suggestion was made on, inserts the links with
// linking.Apply and writes the page only when something changed. A target
// the page links to already counts as present, so links inserted by an
// earlier run (they carry linking.MarkerAttr) are not written twice; an
// anchor that is gone, or only in a heading or a link now, is reported as
// skipped with the reason; a page edited at the destination since it was
// read is not overwritten (Conflict). The PublishReport gives each page's
// outcome (updated, unchanged, not found, failed) and the inserted links'
// records for a linking.Store.
//
// # Competitor terms
//
// Terms takes the URLs that rank for a keyword from a SERPSource the host
// supplies, reads them through a Fetcher under the same safety rules and
// returns the words, two-word phrases and headings they share, by
// document frequency, for idea and content briefs.
//
//	c, _ := crawler.New(crawler.Options{})
//	a, _ := siteaudit.NewAuditor(store, c, siteaudit.Options{})
//	res, err := a.Import(ctx, scope, siteaudit.CrawlRequest{Start: "https://example.com/"})
//	rep, err := a.Audit(ctx, scope, siteaudit.AuditOptions{})
//	fmt.Println(rep.Graph.Orphans, rep.SEO.MeanSEO, rep.SuggestedLinks)
//	wp, _ := wordpress.New(wordpress.Options{BaseURL: "https://example.com", User: "editor", AppPassword: pw})
//	pub, err := a.PublishLinks(ctx, scope, wp, siteaudit.PublishOptions{Suggestions: rep.AllSuggestions()})
//
// Stores prove themselves with the suite in siteaudit/siteaudittest.
package siteaudit
