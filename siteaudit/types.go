package siteaudit

import (
	"context"
	"time"

	"github.com/igny8/sdk/igny8"
)

// KindImported is the inventory kind of a page read from a live site.
const KindImported = "imported"

// Heading is one h1–h6 of a page's main content, in document order.
type Heading struct {
	Level int    `json:"level"`
	Text  string `json:"text"`
}

// Link is one <a href> of a page.
type Link struct {
	// URL is the href resolved against the page and normalized.
	URL    string `json:"url"`
	Anchor string `json:"anchor,omitempty"`
	// Internal is true for links to the site's hosts.
	Internal bool `json:"internal"`
	Nofollow bool `json:"nofollow,omitempty"`
	// InMain is true for links inside the main content (not navigation,
	// header, footer or sidebars).
	InMain bool `json:"in_main,omitempty"`
}

// Image is one <img> of a page's main content.
type Image struct {
	URL string `json:"url"`
	Alt string `json:"alt"`
}

// Hop is one redirect: From answered Status with a Location of To.
type Hop struct {
	From   string `json:"from"`
	To     string `json:"to"`
	Status int    `json:"status"`
}

// Page is one crawled page.
type Page struct {
	// URL is the normalized URL the crawler asked for; FinalURL the
	// normalized URL that answered after redirects.
	URL      string `json:"url"`
	FinalURL string `json:"final_url"`
	Status   int    `json:"status"`
	// Redirects is the chain from URL to FinalURL, empty without redirects.
	Redirects []Hop `json:"redirects,omitempty"`
	// Depth is the crawl depth: clicks from the start page (sitemap
	// entries count as depth 1).
	Depth           int       `json:"depth"`
	Title           string    `json:"title,omitempty"`
	MetaDescription string    `json:"meta_description,omitempty"`
	Canonical       string    `json:"canonical,omitempty"`
	Noindex         bool      `json:"noindex,omitempty"`
	Headings        []Heading `json:"headings,omitempty"`
	// Text is the main content's text (navigation, header, footer,
	// sidebars, scripts and link-dense blocks removed); HTML the main
	// content's markup.
	Text   string  `json:"text,omitempty"`
	HTML   string  `json:"html,omitempty"`
	Words  int     `json:"words"`
	Links  []Link  `json:"links,omitempty"`
	Images []Image `json:"images,omitempty"`
	// LastModified and ETag are the response's validators.
	LastModified time.Time `json:"last_modified,omitzero"`
	ETag         string    `json:"etag,omitempty"`
	// Hash is a SHA-256 (hex) of the extracted content: title, meta
	// description, canonical and main HTML.
	Hash string `json:"hash,omitempty"`
	// Unchanged is true when the server answered 304 Not Modified or the
	// content hash equals the one the crawler was told.
	Unchanged bool `json:"unchanged,omitempty"`
	// Truncated is true when the body was cut at the byte cap.
	Truncated bool `json:"truncated,omitempty"`
	// DuplicateOf is the canonical URL of the page this one folds into.
	DuplicateOf string `json:"duplicate_of,omitempty"`
	// Error says why the page could not be read (status 0), or is empty.
	Error string `json:"error,omitempty"`
}

// OK reports whether the page answered 2xx (or 304) and was read.
func (p Page) OK() bool {
	return p.Error == "" && (p.Status >= 200 && p.Status < 300 || p.Status == 304)
}

// InternalLinks returns the URLs of the page's internal links.
func (p Page) InternalLinks() []string {
	var out []string
	for _, l := range p.Links {
		if l.Internal {
			out = append(out, l.URL)
		}
	}
	return out
}

// Known is what a re-crawl knows of a page from before: the validators it
// sends as If-None-Match / If-Modified-Since, the content hash it compares,
// and the internal links it follows when the server answers 304.
type Known struct {
	ETag         string
	LastModified time.Time
	Hash         string
	Links        []string
}

// CrawlRequest says what to crawl. Limits (depth, pages, rate, byte and
// time caps, safety) are the crawler's configuration.
type CrawlRequest struct {
	// Start is the home page (or any page) to begin from; optional when
	// Sitemaps are given.
	Start string
	// Sitemaps are sitemap or sitemap index URLs whose entries are
	// crawled at depth 1.
	Sitemaps []string
	// DiscoverSitemaps also reads the sitemaps the start host's robots.txt
	// names, or its /sitemap.xml when it names none.
	DiscoverSitemaps bool
	// Known returns what a previous crawl knew of a normalized URL; nil
	// means a first crawl.
	Known func(url string) (Known, bool)
}

// CrawlStats sums a crawl.
type CrawlStats struct {
	Pages     int `json:"pages"`
	Unchanged int `json:"unchanged"`
	Errors    int `json:"errors"`
	// Skipped counts URLs not fetched: robots.txt, caps, other hosts,
	// refused addresses.
	Skipped int `json:"skipped"`
	// Refused lists URLs the crawler would not fetch and why (robots.txt,
	// depth, page cap).
	Refused []Refusal `json:"refused,omitempty"`
}

// Refusal is a URL the crawler did not fetch.
type Refusal struct {
	URL    string `json:"url"`
	Reason string `json:"reason"`
}

// Crawler reads a site. adapters/crawler implements it on colly. Crawl
// calls visit once per page, from one goroutine at a time; an error from
// visit stops the crawl and is returned.
type Crawler interface {
	Crawl(ctx context.Context, req CrawlRequest, visit func(Page) error) (CrawlStats, error)
}

// Fetcher reads a list of pages (no link following) under the same safety
// rules as a crawl; one Page per URL, in order, failures in Page.Error.
type Fetcher interface {
	Fetch(ctx context.Context, urls []string) ([]Page, error)
}

// Item is a page of the site's inventory: a crawled page kept for the
// linker and the optimizer.
type Item struct {
	ID    string      `json:"id"`
	Scope igny8.Scope `json:"scope"`
	// Kind is KindImported.
	Kind      string    `json:"kind"`
	Page      Page      `json:"page"`
	CrawledAt time.Time `json:"crawled_at"`
	// ChangedAt is when the page's content hash last changed.
	ChangedAt time.Time `json:"changed_at"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}
