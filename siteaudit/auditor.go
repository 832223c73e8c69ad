package siteaudit

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"path"
	"strings"

	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/linking"
	"github.com/igny8/sdk/optimization"
)

// Options configures an Auditor. The zero value is useful.
type Options struct {
	Clock  igny8.Clock
	IDs    igny8.IDGenerator
	Logger *slog.Logger
	// Analyzer scores pages for the site audit; nil means a default one.
	Analyzer *optimization.Analyzer
	// Linking configures the linker's index (rules, weights); its Hosts
	// are filled with the site's.
	Linking linking.Options
	// BatchSize is how many crawled pages Import saves per store call
	// (default 100).
	BatchSize int
}

// Auditor imports a live site into its inventory and audits it: the link
// graph, the optimizer's scores and the linker's suggestions.
type Auditor struct {
	store    Store
	crawler  Crawler
	clock    igny8.Clock
	ids      igny8.IDGenerator
	log      *slog.Logger
	analyzer *optimization.Analyzer
	linkOpts linking.Options
	batch    int
}

// NewAuditor returns an Auditor over a store and a crawler.
func NewAuditor(store Store, crawler Crawler, opts Options) (*Auditor, error) {
	const op = "siteaudit.NewAuditor"
	if store == nil {
		return nil, igny8.InvalidArgument(op, "store", "is required")
	}
	if crawler == nil {
		return nil, igny8.InvalidArgument(op, "crawler", "is required")
	}
	a := &Auditor{store: store, crawler: crawler, clock: opts.Clock, ids: opts.IDs, log: opts.Logger,
		analyzer: opts.Analyzer, linkOpts: opts.Linking, batch: opts.BatchSize}
	if a.clock == nil {
		a.clock = igny8.SystemClock{}
	}
	if a.ids == nil {
		a.ids = &igny8.UUIDv7{Clock: a.clock}
	}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	if a.analyzer == nil {
		a.analyzer = optimization.NewAnalyzer(optimization.Options{})
	}
	if a.batch <= 0 {
		a.batch = 100
	}
	return a, nil
}

// ImportResult sums an import.
type ImportResult struct {
	Crawl     CrawlStats `json:"crawl"`
	New       int        `json:"new"`
	Changed   int        `json:"changed"`
	Unchanged int        `json:"unchanged"`
	// Missing are URLs of the inventory the crawl did not reach this time
	// (kept, not deleted).
	Missing []string `json:"missing,omitempty"`
}

// Import crawls the site and saves each page as an item of kind
// "imported" in the scope's inventory. A re-import sends each known page's
// ETag and Last-Modified, and compares content hashes: unchanged pages
// keep their stored content and only their crawl time moves.
func (a *Auditor) Import(ctx context.Context, scope igny8.Scope, req CrawlRequest) (ImportResult, error) {
	const op = "siteaudit.Import"
	if err := scope.RequireSite(op); err != nil {
		return ImportResult{}, err
	}
	existing, err := listAll(ctx, a.store, scope)
	if err != nil {
		return ImportResult{}, igny8.Wrap(igny8.CodeInternal, op, err)
	}
	byURL := make(map[string]Item, len(existing))
	for _, it := range existing {
		byURL[it.Page.URL] = it
	}
	req.Known = func(u string) (Known, bool) {
		it, ok := byURL[u]
		if !ok || !it.Page.OK() {
			return Known{}, false
		}
		return Known{ETag: it.Page.ETag, LastModified: it.Page.LastModified, Hash: it.Page.Hash, Links: it.Page.InternalLinks()}, true
	}
	var res ImportResult
	seen := map[string]bool{}
	var buf []Item
	flush := func() error {
		if len(buf) == 0 {
			return nil
		}
		err := a.store.SaveItems(ctx, scope, buf)
		buf = buf[:0]
		return err
	}
	stats, err := a.crawler.Crawl(ctx, req, func(p Page) error {
		now := a.clock.Now().UTC()
		seen[p.URL] = true
		old, had := byURL[p.URL]
		it := Item{ID: a.ids.NewID(), Scope: scope.Site(), Kind: KindImported, Page: p, CrawledAt: now, ChangedAt: now, CreatedAt: now, UpdatedAt: now}
		switch {
		case had && p.Unchanged && p.Status == 304:
			// A 304 carries no content: keep the stored page.
			it = old
			it.Page.Depth, it.Page.Redirects, it.Page.Unchanged = p.Depth, p.Redirects, true
			if p.ETag != "" {
				it.Page.ETag = p.ETag
			}
			if !p.LastModified.IsZero() {
				it.Page.LastModified = p.LastModified
			}
			it.CrawledAt, it.UpdatedAt = now, now
			res.Unchanged++
		case had && p.Unchanged:
			it.ID, it.CreatedAt, it.ChangedAt = old.ID, old.CreatedAt, old.ChangedAt
			res.Unchanged++
		case had:
			it.ID, it.CreatedAt = old.ID, old.CreatedAt
			if old.Page.Hash == p.Hash && old.Page.Status == p.Status {
				it.ChangedAt = old.ChangedAt
			}
			res.Changed++
		default:
			res.New++
		}
		buf = append(buf, it)
		if len(buf) >= a.batch {
			return flush()
		}
		return nil
	})
	res.Crawl = stats
	if err != nil {
		// Keep what was read before the crawl failed; the next import
		// picks up from the inventory.
		if ferr := flush(); ferr != nil {
			a.log.WarnContext(ctx, "siteaudit: save after a failed crawl", "scope", scope.String(), "err", ferr)
		}
		return res, igny8.Wrap(igny8.CodeUnavailable, op, err)
	}
	if err := flush(); err != nil {
		return res, igny8.Wrap(igny8.CodeInternal, op, err)
	}
	for _, it := range existing {
		if !seen[it.Page.URL] {
			res.Missing = append(res.Missing, it.Page.URL)
		}
	}
	a.log.InfoContext(ctx, "siteaudit: import", "scope", scope.String(), "pages", stats.Pages,
		"new", res.New, "changed", res.Changed, "unchanged", res.Unchanged, "missing", len(res.Missing))
	return res, nil
}

// AuditOptions configures one audit. The zero value is useful.
type AuditOptions struct {
	// MaxClicks is the click depth above which a page is reported deep
	// (default 3).
	MaxClicks int
	// Keyphrases maps page URLs to their focus keyphrase, for the
	// optimizer's keyphrase checks and the linker's anchors.
	Keyphrases map[string]string
	// Hosts are more host names of the site.
	Hosts []string
	// SkipSuggestions leaves the linker out.
	SkipSuggestions bool
}

// Report is the audit of an imported site.
type Report struct {
	Graph LinkGraph `json:"graph"`
	// SEO is the optimizer's site audit of the pages that answered 2xx.
	SEO optimization.AuditReport `json:"seo"`
	// Suggestions are the linker's plans, one per page that gets links,
	// keyed by page URL.
	Suggestions map[string]linking.Plan `json:"suggestions,omitempty"`
	// SuggestedLinks counts the suggestions of all plans.
	SuggestedLinks int `json:"suggested_links"`
}

// Audit reads the scope's inventory and returns its link graph, the
// optimizer's site audit and the linker's suggestions for every page.
func (a *Auditor) Audit(ctx context.Context, scope igny8.Scope, opts AuditOptions) (Report, error) {
	const op = "siteaudit.Audit"
	if err := scope.RequireSite(op); err != nil {
		return Report{}, err
	}
	if opts.MaxClicks == 0 {
		opts.MaxClicks = 3
	}
	if opts.MaxClicks < 0 {
		return Report{}, igny8.InvalidArgument(op, "max_clicks", "must not be negative, got %d", opts.MaxClicks)
	}
	items, err := listAll(ctx, a.store, scope)
	if err != nil {
		return Report{}, igny8.Wrap(igny8.CodeInternal, op, err)
	}
	pages := make([]Page, len(items))
	for i, it := range items {
		pages[i] = it.Page
	}
	rep := Report{Graph: BuildLinkGraph(pages, opts.MaxClicks)}

	hosts := append([]string(nil), opts.Hosts...)
	var inputs []optimization.PageInput
	var live []Item
	for _, it := range items {
		p := it.Page
		if !p.OK() || p.DuplicateOf != "" || p.FinalURL != p.URL || p.HTML == "" && p.Title == "" {
			continue
		}
		live = append(live, it)
		host := HostOf(p.URL)
		hosts = append(hosts, host)
		inputs = append(inputs, optimization.PageInput{ID: p.URL, Input: optimization.Input{
			HTML:            p.HTML,
			Keyphrase:       opts.Keyphrases[p.URL],
			Title:           p.Title,
			MetaDescription: p.MetaDescription,
			Slug:            slugOf(p.URL),
			Type:            optimization.TypePage,
			SiteHost:        host,
		}})
	}
	if err := ctx.Err(); err != nil {
		return Report{}, igny8.Wrap(igny8.CodeUnavailable, op, err)
	}
	rep.SEO, err = a.analyzer.Audit(ctx, inputs)
	if err != nil {
		return Report{}, igny8.Wrap(igny8.CodeInternal, op, fmt.Errorf("optimizer audit: %w", err))
	}
	if opts.SkipSuggestions {
		return rep, nil
	}
	lo := a.linkOpts
	lo.Hosts = dedupe(append(append([]string(nil), lo.Hosts...), hosts...))
	idx := linking.NewIndex(&lo)
	lpages := make([]linking.Page, len(live))
	for i, it := range live {
		lpages[i] = linking.Page{ID: it.ID, URL: it.Page.URL, Title: it.Page.Title, HTML: it.Page.HTML,
			PrimaryKeyword: opts.Keyphrases[it.Page.URL], Published: true}
		if err := idx.Add(lpages[i]); err != nil {
			return Report{}, igny8.Wrap(igny8.CodeInternal, op, err)
		}
	}
	idx.Reweight()
	rep.Suggestions = map[string]linking.Plan{}
	for _, lp := range lpages {
		if err := ctx.Err(); err != nil {
			return Report{}, igny8.Wrap(igny8.CodeUnavailable, op, err)
		}
		plan, err := idx.Suggest(ctx, lp)
		if err != nil {
			return Report{}, igny8.Wrap(igny8.CodeInternal, op, err)
		}
		if len(plan.Suggestions) > 0 {
			rep.Suggestions[lp.URL] = plan
			rep.SuggestedLinks += len(plan.Suggestions)
		}
	}
	return rep, nil
}

// slugOf returns the last path element of a URL ("" for the home page).
func slugOf(u string) string {
	pu, err := url.Parse(u)
	if err != nil {
		return ""
	}
	p := strings.Trim(pu.Path, "/")
	if p == "" {
		return ""
	}
	return path.Base(p)
}

func dedupe(ss []string) []string {
	seen := map[string]bool{}
	out := ss[:0]
	for _, s := range ss {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
