package crawler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gocolly/colly/v2"

	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/siteaudit"
)

// Defaults of Options.
const (
	DefaultUserAgent    = "igny8-crawler/1.0 (+https://igny8.com/bot)"
	DefaultMaxDepth     = 10
	DefaultMaxPages     = 1000
	DefaultParallelism  = 4
	DefaultMaxBytes     = 5 << 20
	DefaultPageTimeout  = 15 * time.Second
	DefaultMaxRedirects = 10
	DefaultSitemapURLs  = 50000
	maxRefusals         = 1000
	maxSitemapDepth     = 3
)

// Options configures a Crawler. The zero value is useful and safe: it
// crawls one host, respects robots.txt, and refuses private addresses.
type Options struct {
	// UserAgent is sent with every request and matched against robots.txt
	// groups (default DefaultUserAgent).
	UserAgent string
	// MaxDepth is the most clicks from the start page followed (default
	// DefaultMaxDepth); MaxPages the most pages fetched (default
	// DefaultMaxPages).
	MaxDepth int
	MaxPages int
	// Parallelism is the most requests in flight (default
	// DefaultParallelism); Delay a pause after each request before its
	// slot takes the next, so a crawl makes at most Parallelism/Delay
	// requests per second. A crawl is one site, so these are the site's
	// host's limits; with AnyHost, all hosts of the crawl share them.
	Parallelism int
	Delay       time.Duration
	// MaxBytes caps the bytes read of one response (default
	// DefaultMaxBytes): the rest is never read and the page is marked
	// Truncated. PageTimeout caps one request, redirects and body
	// included (default DefaultPageTimeout).
	MaxBytes    int
	PageTimeout time.Duration
	// MaxRedirects caps one redirect chain (default DefaultMaxRedirects).
	MaxRedirects int
	// Hosts are more host names of the site (the start URL's host and its
	// "www." twin always are). AnyHost follows links to every host.
	Hosts   []string
	AnyHost bool
	// Slash is the trailing slash policy for folding URLs.
	Slash siteaudit.SlashPolicy
	// AllowPrivate lets the crawler connect to private, loopback and
	// link-local addresses; AllowPrivateHosts lets only these host names
	// resolve to them. Off by default: a crawl of a customer's URL must not
	// reach the host's own network.
	AllowPrivate      bool
	AllowPrivateHosts []string
	// Resolve looks a host name up; nil means the system resolver.
	Resolve func(ctx context.Context, host string) ([]netip.Addr, error)
	// MaxSitemapURLs caps the URLs read from sitemaps (default
	// DefaultSitemapURLs).
	MaxSitemapURLs int
	Logger         *slog.Logger
}

func (o Options) withDefaults() Options {
	if o.UserAgent == "" {
		o.UserAgent = DefaultUserAgent
	}
	if o.MaxDepth == 0 {
		o.MaxDepth = DefaultMaxDepth
	}
	if o.MaxPages == 0 {
		o.MaxPages = DefaultMaxPages
	}
	if o.Parallelism <= 0 {
		o.Parallelism = DefaultParallelism
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	if o.PageTimeout <= 0 {
		o.PageTimeout = DefaultPageTimeout
	}
	if o.MaxRedirects <= 0 {
		o.MaxRedirects = DefaultMaxRedirects
	}
	if o.MaxSitemapURLs <= 0 {
		o.MaxSitemapURLs = DefaultSitemapURLs
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// Crawler crawls sites with colly under the safety rules of its Options.
// It is safe for concurrent use; each Crawl has its own collector.
type Crawler struct {
	opts Options
}

var (
	_ siteaudit.Crawler = (*Crawler)(nil)
	_ siteaudit.Fetcher = (*Crawler)(nil)
)

// New returns a Crawler.
func New(opts Options) (*Crawler, error) {
	const op = "crawler.New"
	if opts.MaxDepth < 0 {
		return nil, igny8.InvalidArgument(op, "max_depth", "must not be negative, got %d", opts.MaxDepth)
	}
	if opts.MaxPages < 0 {
		return nil, igny8.InvalidArgument(op, "max_pages", "must not be negative, got %d", opts.MaxPages)
	}
	if opts.Delay < 0 {
		return nil, igny8.InvalidArgument(op, "delay", "must not be negative, got %s", opts.Delay)
	}
	return &Crawler{opts: opts.withDefaults()}, nil
}

// Options returns the crawler's options with defaults filled in.
func (c *Crawler) Options() Options { return c.opts }

// newCollector builds a colly collector without colly.NewCollector, which
// reads COLLY_* environment variables after the options and would let the
// environment change the user agent, robots.txt, body cap, depth or
// redirects. Init sets colly's defaults only; every field the crawler
// relies on is set explicitly after it.
func (c *Crawler) newCollector(ctx context.Context, client *http.Client) (*colly.Collector, error) {
	col := &colly.Collector{}
	col.Init()
	col.UserAgent = c.opts.UserAgent
	col.IgnoreRobotsTxt = false
	col.MaxBodySize = c.opts.MaxBytes + 1
	col.MaxDepth = 0
	col.MaxRequests = 0
	col.ParseHTTPErrorResponse = true
	col.AllowURLRevisit = true // the crawler folds URLs itself, normalized
	col.AllowedDomains = nil
	col.DisallowedDomains = nil
	col.CacheDir = ""
	col.DetectCharset = false
	col.TraceHTTP = false
	col.Async = true
	col.Context = ctx
	col.SetClient(client)
	if err := col.Limit(&colly.LimitRule{DomainGlob: "*", Parallelism: c.opts.Parallelism, Delay: c.opts.Delay}); err != nil {
		return nil, err
	}
	return col, nil
}

// crawl is the state of one Crawl.
type crawl struct {
	c      *Crawler
	col    *colly.Collector
	client *http.Client
	req    siteaudit.CrawlRequest
	hosts  siteaudit.SiteHosts
	visit  func(siteaudit.Page) error
	ctx    context.Context
	cancel context.CancelFunc

	robots  *robots
	mu      sync.Mutex
	seen    map[string]bool
	queued  int
	chains  map[string][]siteaudit.Hop
	stats   siteaudit.CrawlStats
	err     error
	visitMu sync.Mutex
}

const (
	keyURL   = "igny8.url"
	keyDepth = "igny8.depth"
)

// errRedirectLoop and errTooManyRedirects end a redirect chain.
var (
	errRedirectLoop     = errors.New("redirect loop")
	errTooManyRedirects = errors.New("too many redirects")
	errRobotsRedirect   = errors.New("redirect target blocked by robots.txt")
)

// Crawl crawls from req.Start and req.Sitemaps and calls visit once per
// fetched page (and once per URL that failed), from one goroutine at a
// time.
func (c *Crawler) Crawl(ctx context.Context, req siteaudit.CrawlRequest, visit func(siteaudit.Page) error) (siteaudit.CrawlStats, error) {
	const op = "crawler.Crawl"
	if visit == nil {
		return siteaudit.CrawlStats{}, igny8.InvalidArgument(op, "visit", "is required")
	}
	if req.Start == "" && len(req.Sitemaps) == 0 {
		return siteaudit.CrawlStats{}, igny8.InvalidArgument(op, "start", "is required when no sitemaps are given")
	}
	var hostSeed []string
	start := ""
	if req.Start != "" {
		s, ok := siteaudit.NormalizeURL(req.Start, c.opts.Slash)
		if !ok {
			return siteaudit.CrawlStats{}, igny8.InvalidArgument(op, "start", "%q is not an absolute http or https URL", req.Start)
		}
		start = s
		hostSeed = append(hostSeed, s)
	}
	for i, sm := range req.Sitemaps {
		s, ok := siteaudit.NormalizeURL(sm, siteaudit.SlashKeep)
		if !ok {
			return siteaudit.CrawlStats{}, igny8.InvalidArgument(op, fmt.Sprintf("sitemaps[%d]", i), "%q is not an absolute http or https URL", sm)
		}
		if start == "" && i == 0 {
			hostSeed = append(hostSeed, s)
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	cr := &crawl{
		c: c, req: req, visit: visit, ctx: ctx, cancel: cancel,
		hosts:  siteaudit.NewSiteHosts(append(hostSeed, c.opts.Hosts...)...),
		seen:   map[string]bool{},
		chains: map[string][]siteaudit.Hop{},
	}
	cr.client = newClient(c.opts, cr.checkRedirect)
	cr.robots = newRobots(cr.client, c.opts.UserAgent)
	defer cr.client.CloseIdleConnections()
	col, err := c.newCollector(ctx, cr.client)
	if err != nil {
		return siteaudit.CrawlStats{}, igny8.Wrap(igny8.CodeInternal, op, err)
	}
	cr.col = col
	col.OnResponse(cr.onResponse)
	col.OnError(cr.onError)

	if start != "" {
		cr.enqueue(start, 0)
	}
	sitemaps := slices.Clone(req.Sitemaps)
	if req.DiscoverSitemaps && start != "" {
		su, _ := url.Parse(start)
		found := cr.robots.read(ctx, su).Sitemaps
		if len(found) == 0 {
			found = []string{su.Scheme + "://" + su.Host + "/sitemap.xml"}
		}
		for _, sm := range found {
			if n, ok := siteaudit.NormalizeURL(sm, siteaudit.SlashKeep); ok && cr.allowedHost(n) && !slices.Contains(sitemaps, n) {
				sitemaps = append(sitemaps, n)
			}
		}
	}
	for _, sm := range sitemaps {
		urls, err := c.readSitemaps(ctx, cr.client, sm)
		if err != nil {
			c.opts.Logger.WarnContext(ctx, "crawler: sitemap", "url", sm, "err", err)
			cr.refuse(sm, "sitemap: "+err.Error())
		}
		for _, u := range urls {
			if n, ok := siteaudit.NormalizeURL(u, c.opts.Slash); ok {
				cr.enqueue(n, 1)
			}
		}
	}
	col.Wait()
	cr.mu.Lock()
	defer cr.mu.Unlock()
	if cr.err != nil {
		return cr.stats, cr.err
	}
	if err := ctx.Err(); err != nil {
		// Only the caller's context can have ended here: the crawl cancels
		// its own only on a visit error, returned above.
		return cr.stats, igny8.Wrap(igny8.CodeUnavailable, op, err)
	}
	return cr.stats, nil
}

func (cr *crawl) allowedHost(u string) bool {
	return cr.c.opts.AnyHost || cr.hosts.Contains(u)
}

func (cr *crawl) refuse(u, reason string) {
	cr.mu.Lock()
	defer cr.mu.Unlock()
	cr.stats.Skipped++
	if len(cr.stats.Refused) < maxRefusals {
		cr.stats.Refused = append(cr.stats.Refused, siteaudit.Refusal{URL: u, Reason: reason})
	}
}

// enqueue schedules a normalized URL at a click depth, once.
func (cr *crawl) enqueue(u string, depth int) {
	if !cr.allowedHost(u) {
		return
	}
	o := cr.c.opts
	cr.mu.Lock()
	if cr.seen[u] {
		cr.mu.Unlock()
		return
	}
	if depth > o.MaxDepth {
		cr.mu.Unlock()
		cr.refuse(u, "depth")
		return
	}
	if cr.queued >= o.MaxPages {
		cr.mu.Unlock()
		cr.refuse(u, "page cap")
		return
	}
	if cr.err != nil || cr.ctx.Err() != nil {
		cr.mu.Unlock()
		return
	}
	cr.seen[u] = true
	cr.queued++
	cr.mu.Unlock()

	cctx := colly.NewContext()
	cctx.Put(keyURL, u)
	cctx.Put(keyDepth, depth)
	hdr := http.Header{}
	if cr.req.Known != nil {
		if k, ok := cr.req.Known(u); ok {
			if k.ETag != "" {
				hdr.Set("If-None-Match", k.ETag)
			}
			if !k.LastModified.IsZero() {
				hdr.Set("If-Modified-Since", k.LastModified.UTC().Format(http.TimeFormat))
			}
		}
	}
	err := cr.col.Request(http.MethodGet, u, nil, cctx, hdr)
	switch {
	case err == nil:
	case errors.Is(err, colly.ErrRobotsTxtBlocked):
		cr.unqueue()
		cr.refuse(u, "robots.txt")
	default:
		// The request never left (robots.txt could not be read, the address
		// was refused): the page is reported with the error.
		cr.unqueue()
		cr.deliver(siteaudit.Page{URL: u, FinalURL: u, Depth: depth, Error: err.Error()})
	}
}

func (cr *crawl) unqueue() {
	cr.mu.Lock()
	cr.queued--
	cr.mu.Unlock()
}

// checkRedirect follows redirects within the site, records each hop, and
// ends loops and long chains. A redirect to another host (unless AnyHost)
// is not followed: the 3xx is the page's answer.
func (cr *crawl) checkRedirect(req *http.Request, via []*http.Request) error {
	if s := strings.ToLower(req.URL.Scheme); s != "http" && s != "https" {
		return errScheme
	}
	first, _ := siteaudit.NormalizeURL(via[0].URL.String(), cr.c.opts.Slash)
	to, _ := siteaudit.NormalizeURL(req.URL.String(), cr.c.opts.Slash)
	from, _ := siteaudit.NormalizeURL(via[len(via)-1].URL.String(), cr.c.opts.Slash)
	status := 0
	if req.Response != nil {
		status = req.Response.StatusCode
	}
	// A hop between two spellings of one page under the slash policy
	// (WordPress's /page to /page/) is not a redirect of the site's
	// structure: it is followed but not recorded.
	if from != to {
		cr.mu.Lock()
		cr.chains[first] = append(cr.chains[first], siteaudit.Hop{From: from, To: to, Status: status})
		cr.mu.Unlock()
	}
	// Loops are found on the exact URLs, for the same reason.
	for _, v := range via {
		if v.URL.String() == req.URL.String() {
			return errRedirectLoop
		}
	}
	if len(via) > cr.c.opts.MaxRedirects {
		return errTooManyRedirects
	}
	if !cr.allowedHost(to) {
		return http.ErrUseLastResponse
	}
	// colly checks robots.txt for the URLs it is given, not for where
	// they redirect. (Not for robots.txt itself, whose redirects would
	// ask for robots.txt again.)
	if via[0].URL.Path != "/robots.txt" && !cr.robots.allowed(req.Context(), req.URL) {
		return errRobotsRedirect
	}
	return nil
}

func (cr *crawl) chain(u string) []siteaudit.Hop {
	cr.mu.Lock()
	defer cr.mu.Unlock()
	h := cr.chains[u]
	delete(cr.chains, u)
	return h
}

func ctxURL(r *colly.Response) (string, int) {
	u := r.Ctx.Get(keyURL)
	d, _ := r.Ctx.GetAny(keyDepth).(int)
	return u, d
}

func (cr *crawl) onError(r *colly.Response, err error) {
	u, depth := ctxURL(r)
	p := siteaudit.Page{URL: u, FinalURL: u, Depth: depth, Status: r.StatusCode, Redirects: cr.chain(u)}
	if r.Request != nil && r.Request.URL != nil {
		if f, ok := siteaudit.NormalizeURL(r.Request.URL.String(), cr.c.opts.Slash); ok {
			p.FinalURL = f
		}
	}
	var ue *url.Error
	if errors.As(err, &ue) && ue.Err != nil {
		err = ue.Err
	}
	p.Error = err.Error()
	if len(p.Redirects) > 0 && (errors.Is(err, errRedirectLoop) || errors.Is(err, errTooManyRedirects)) {
		p.FinalURL = p.Redirects[len(p.Redirects)-1].To
	}
	cr.deliver(p)
}

func (cr *crawl) onResponse(r *colly.Response) {
	o := cr.c.opts
	u, depth := ctxURL(r)
	p := siteaudit.Page{URL: u, FinalURL: u, Depth: depth, Status: r.StatusCode, Redirects: cr.chain(u)}
	if f, ok := siteaudit.NormalizeURL(r.Request.URL.String(), o.Slash); ok {
		p.FinalURL = f
	}
	h := *r.Headers
	p.ETag = h.Get("ETag")
	if lm, err := http.ParseTime(h.Get("Last-Modified")); err == nil {
		p.LastModified = lm.UTC()
	}
	var known siteaudit.Known
	var isKnown bool
	if cr.req.Known != nil {
		known, isKnown = cr.req.Known(u)
	}
	if p.FinalURL != u {
		// A redirect landed here: fold it into the page it landed on when
		// another URL already fetched that page.
		cr.mu.Lock()
		dup := cr.seen[p.FinalURL]
		cr.seen[p.FinalURL] = true
		cr.mu.Unlock()
		if dup {
			p.DuplicateOf = p.FinalURL
		}
	}
	follow := p.DuplicateOf == ""
	switch {
	case r.StatusCode == http.StatusNotModified && isKnown:
		p.Unchanged = true
		p.Hash = known.Hash
		if p.ETag == "" {
			p.ETag = known.ETag
		}
		if p.LastModified.IsZero() {
			p.LastModified = known.LastModified
		}
		if follow {
			for _, l := range known.Links {
				cr.enqueue(l, depth+1)
			}
		}
	case r.StatusCode >= 200 && r.StatusCode < 300 && isHTML(h.Get("Content-Type")):
		body := r.Body
		if len(body) > o.MaxBytes {
			body = body[:o.MaxBytes]
			p.Truncated = true
		}
		ex := siteaudit.Extract(p.FinalURL, body, siteaudit.ExtractOptions{Hosts: cr.hosts, Slash: o.Slash})
		p.Title, p.MetaDescription, p.Canonical, p.Noindex = ex.Title, ex.MetaDescription, ex.Canonical, ex.Noindex
		p.Headings, p.Text, p.HTML, p.Words = ex.Headings, ex.Text, ex.HTML, ex.Words
		p.Links, p.Images, p.Hash = ex.Links, ex.Images, ex.Hash
		if isKnown && known.Hash != "" && known.Hash == p.Hash {
			p.Unchanged = true
		}
		if p.Canonical != "" && p.Canonical != p.FinalURL && cr.allowedHost(p.Canonical) {
			p.DuplicateOf = p.Canonical
			cr.enqueue(p.Canonical, depth)
		}
		if follow {
			for _, l := range p.Links {
				if l.Internal || o.AnyHost {
					cr.enqueue(l.URL, depth+1)
				}
			}
		}
	case r.StatusCode >= 300 && r.StatusCode < 400:
		// A redirect not followed (to another host): record where it went.
		if loc := h.Get("Location"); loc != "" {
			if to, ok := siteaudit.Resolve(r.Request.URL, loc, o.Slash); ok {
				p.Redirects = append(p.Redirects, siteaudit.Hop{From: p.FinalURL, To: to, Status: r.StatusCode})
			}
		}
	}
	cr.deliver(p)
}

func isHTML(ct string) bool {
	if ct == "" {
		return true
	}
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && (mt == "text/html" || mt == "application/xhtml+xml")
}

// deliver hands a page to visit, one at a time; a visit error ends the
// crawl.
func (cr *crawl) deliver(p siteaudit.Page) {
	cr.visitMu.Lock()
	defer cr.visitMu.Unlock()
	cr.mu.Lock()
	stopped := cr.err != nil
	cr.mu.Unlock()
	if stopped || cr.ctx.Err() != nil {
		// After a visit error or the caller's cancel, requests still in
		// flight end with the context: they are not pages of the site.
		return
	}
	err := cr.visit(p)
	cr.mu.Lock()
	defer cr.mu.Unlock()
	if err != nil {
		cr.err = err
		cr.cancel()
		return
	}
	cr.stats.Pages++
	if p.Unchanged {
		cr.stats.Unchanged++
	}
	if p.Error != "" || p.Status >= 400 {
		cr.stats.Errors++
	}
}
