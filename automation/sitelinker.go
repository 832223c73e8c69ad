package automation

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/igny8/sdk/content"
	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/linking"
	"github.com/igny8/sdk/planning"
)

// Defaults of SiteLinkerOptions.
const (
	// DefaultIndexTTL is how long LinkContent reuses a site's index.
	DefaultIndexTTL = 30 * time.Second
	// DefaultMaxSites is how many sites' indexes LinkContent keeps.
	DefaultMaxSites = 16
)

// linkAttempts bounds the tries of one page when another change saved a
// version in between, or a target changed since the index read it.
const linkAttempts = 5

// ClusterLister lists a site's clusters; planning.Store is one.
type ClusterLister interface {
	ListClusters(ctx context.Context, scope igny8.Scope, f planning.ClusterFilter, page igny8.PageRequest) ([]planning.Cluster, error)
}

// SiteGetter reads a site; igny8.Store is one.
type SiteGetter interface {
	GetSite(ctx context.Context, scope igny8.Scope, id string) (igny8.Site, error)
}

// SiteLinkerOptions configures a SiteLinker. The zero value is useful.
type SiteLinkerOptions struct {
	// Linking configures the indexes. Nil means the defaults with
	// unpublished targets allowed, since the pipeline links before it
	// publishes. The site's domain is added to Hosts.
	Linking *linking.Options
	// Clusters lists a site's clusters, to find each cluster's pillar; nil
	// means the content store when it lists clusters (adapters/sqlstore
	// does), else pages have clusters but no pillars.
	Clusters ClusterLister
	// Sites reads a site's domain, whose absolute links are internal; nil
	// means the content store when it reads sites (adapters/sqlstore
	// does), else only relative links are.
	Sites SiteGetter
	// IndexTTL is how long LinkContent reuses a site's index before it
	// builds it again from the store (DefaultIndexTTL when 0; a new index
	// per call when negative).
	IndexTTL time.Duration
	// MaxSites bounds the sites whose indexes LinkContent keeps; the least
	// recently used goes first (DefaultMaxSites when 0 or less).
	MaxSites int
	// Clock tells the index's age and stamps the links; nil means the
	// system clock.
	Clock igny8.Clock
	// IDs names the links; nil means UUIDv7.
	IDs    igny8.IDGenerator
	Logger *slog.Logger
}

// SiteLinker links the content of a site with the linking engine; it is
// the one implementation of it, for the pipeline and for hosts. Every
// page of the site is a target: its cluster comes from the task it was
// written for, and it is its cluster's pillar when its primary keyword is
// the cluster's pillar keyword (the oldest such content, when several
// are). Linking a content inserts its links into its HTML as a new
// version (reason "linked") and keeps the link records and the
// content_linked event in the same transaction; when another change saved
// a version in between (Conflict) it starts again from that version. A
// link to a target that changed since the index read it (renamed, gone,
// unpublished) is never saved: the target is read again and the page
// linked again. Every index is reweighted once loaded and knows the
// anchors the site's link records hold, so that the anchors one target
// gets keep varying from one index to the next.
//
// LinkContent is the pipeline's Linker: it links one new content and the
// existing pages that mention its keywords, with an index of the site
// kept between calls for IndexTTL (changes made elsewhere are seen when
// it is built again; LinkPass and Unlink of this SiteLinker drop it at
// once), for at most MaxSites sites. LinkPass links a sector's content
// with an index built for the pass, Unlink takes one link out, and Pages
// gives the pages the linker sees, for a link graph.
type SiteLinker struct {
	store    content.Store
	library  *content.Library
	links    linking.Store
	events   *igny8.Events
	clusters ClusterLister
	sites    SiteGetter
	opts     linking.Options
	ttl      time.Duration
	maxSites int
	clock    igny8.Clock
	ids      igny8.IDGenerator
	log      *slog.Logger

	mu    sync.Mutex
	cache map[string]*cachedIndex
}

// NewSiteLinker returns a SiteLinker over the content store and library,
// the store of link records and the events. opts may be nil.
func NewSiteLinker(store content.Store, library *content.Library, links linking.Store, events *igny8.Events, opts *SiteLinkerOptions) *SiteLinker {
	var o SiteLinkerOptions
	if opts != nil {
		o = *opts
	}
	s := &SiteLinker{store: store, library: library, links: links, events: events, clusters: o.Clusters, sites: o.Sites,
		ttl: o.IndexTTL, maxSites: o.MaxSites, clock: o.Clock, ids: o.IDs, log: o.Logger, cache: map[string]*cachedIndex{}}
	if o.Linking != nil {
		s.opts = *o.Linking
		s.opts.Hosts = slices.Clone(o.Linking.Hosts)
	} else {
		s.opts.Rules.AllowUnpublished = true
	}
	if s.clusters == nil {
		s.clusters, _ = store.(ClusterLister)
	}
	if s.sites == nil {
		s.sites, _ = store.(SiteGetter)
	}
	if s.ttl == 0 {
		s.ttl = DefaultIndexTTL
	}
	if s.maxSites <= 0 {
		s.maxSites = DefaultMaxSites
	}
	if s.clock == nil {
		s.clock = igny8.SystemClock{}
	}
	if s.ids == nil {
		s.ids = &igny8.UUIDv7{Clock: s.clock}
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	return s
}

var _ Linker = (*SiteLinker)(nil)

// SitePage is a content of a site with the linker's view of it.
type SitePage struct {
	Content content.Content
	Page    linking.Page
}

// pageURL is where the linker points at a content: its slug as a
// site-relative path.
func pageURL(c content.Content) string { return "/" + c.Slug + "/" }

// Pages returns every content of the site (the scope's site, whatever its
// sector) in ID order, each with the page the linker sees: URL, keywords,
// cluster, whether it is the pillar, whether it is published.
func (s *SiteLinker) Pages(ctx context.Context, site igny8.Scope) ([]SitePage, error) {
	if err := site.RequireSite("automation.SiteLinker.Pages"); err != nil {
		return nil, err
	}
	pages, _, err := s.pages(ctx, site.Site())
	return pages, err
}

// structure is a site's cluster structure as the linker knows it.
type structure struct {
	site igny8.Scope

	mu        sync.Mutex
	pillarKW  map[string]string // cluster → normalized pillar keyword; "" none or unknown
	clusterOf map[string]string // task → cluster; "" none or unknown
	pillar    map[string]string // cluster → its pillar content
	// changed says a cluster's pillar moved from one content to another
	// since the pages were read: the index holds the old one as pillar.
	changed bool
}

// pages reads the site's clusters, tasks and content.
func (s *SiteLinker) pages(ctx context.Context, site igny8.Scope) ([]SitePage, *structure, error) {
	st := &structure{site: site, pillarKW: map[string]string{}, clusterOf: map[string]string{}, pillar: map[string]string{}}
	if err := s.loadClusters(ctx, st); err != nil {
		return nil, nil, err
	}
	for p := (igny8.PageRequest{Limit: igny8.MaxPageLimit}); ; {
		ts, err := s.store.ListTasks(ctx, site, content.TaskFilter{}, p)
		if err != nil {
			return nil, nil, err
		}
		for _, t := range ts {
			st.clusterOf[t.ID] = t.ClusterID
		}
		if len(ts) < p.Limit {
			break
		}
		p.After = ts[len(ts)-1].ID
	}
	var out []SitePage
	for p := (igny8.PageRequest{Limit: igny8.MaxPageLimit}); ; {
		cs, err := s.store.ListContent(ctx, site, content.ContentFilter{}, p)
		if err != nil {
			return nil, nil, err
		}
		for _, c := range cs {
			// In ID order, a cluster's first content on its pillar keyword
			// is its oldest and becomes its pillar.
			pg, err := s.page(ctx, st, c)
			if err != nil {
				return nil, nil, err
			}
			out = append(out, SitePage{Content: c, Page: pg})
		}
		if len(cs) < p.Limit {
			break
		}
		p.After = cs[len(cs)-1].ID
	}
	return out, st, nil
}

// loadClusters reads the pillar keywords of the site's clusters.
func (s *SiteLinker) loadClusters(ctx context.Context, st *structure) error {
	if s.clusters == nil {
		return nil
	}
	for p := (igny8.PageRequest{Limit: igny8.MaxPageLimit}); ; {
		cls, err := s.clusters.ListClusters(ctx, st.site, planning.ClusterFilter{}, p)
		if err != nil {
			return err
		}
		for _, cl := range cls {
			st.pillarKW[cl.ID] = planning.Normalize(cl.PillarKeyword)
		}
		if len(cls) < p.Limit {
			return nil
		}
		p.After = cls[len(cls)-1].ID
	}
}

// page returns the linker's page of c. A task or cluster newer than the
// structure is read once.
func (s *SiteLinker) page(ctx context.Context, st *structure, c content.Content) (linking.Page, error) {
	p := linking.Page{ID: c.ID, URL: pageURL(c), Title: c.Title, HTML: c.HTML, PrimaryKeyword: c.PrimaryKeyword,
		SecondaryKeywords: c.SecondaryKeywords, Published: c.Status == content.StatusPublished}
	if c.TaskID == "" {
		return p, nil
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	cluster, ok := st.clusterOf[c.TaskID]
	if !ok {
		t, err := s.store.GetTask(ctx, st.site, c.TaskID)
		switch {
		case igny8.CodeOf(err) == igny8.CodeNotFound:
		case err != nil:
			return p, err
		default:
			cluster = t.ClusterID
		}
		st.clusterOf[c.TaskID] = cluster
	}
	if cluster == "" {
		return p, nil
	}
	p.ClusterID = cluster
	kw, ok := st.pillarKW[cluster]
	if !ok {
		if err := s.loadClusters(ctx, st); err != nil {
			return p, err
		}
		if _, ok := st.pillarKW[cluster]; !ok {
			st.pillarKW[cluster] = "" // gone: do not read the clusters again for it
		}
		kw = st.pillarKW[cluster]
	}
	matches := kw != "" && planning.Normalize(c.PrimaryKeyword) == kw
	cur := st.pillar[cluster]
	switch {
	case matches && (cur == "" || cur == c.ID):
		st.pillar[cluster] = c.ID
		p.IsPillar = true
	case matches && c.ID < cur:
		// An older content took the pillar keyword: it is the pillar now.
		st.pillar[cluster] = c.ID
		st.changed = true
		p.IsPillar = true
	case !matches && cur == c.ID:
		// The pillar left its keyword; the next oldest on it is unknown
		// until the pages are read again.
		delete(st.pillar, cluster)
		st.changed = true
	}
	return p, nil
}

// siteIndex is an index of one site's pages with its linker.
type siteIndex struct {
	st     *structure
	opts   linking.Options
	idx    *linking.Index
	linker *linking.Linker
	built  time.Time
}

// build reads the site and indexes every page of it.
func (s *SiteLinker) build(ctx context.Context, site igny8.Scope, opts linking.Options) (*siteIndex, []SitePage, error) {
	opts.Hosts = slices.Clone(opts.Hosts)
	if s.sites != nil {
		st, err := s.sites.GetSite(ctx, site.Account(), site.SiteID)
		if err != nil {
			return nil, nil, err
		}
		if h := strings.ToLower(st.Domain); h != "" && !slices.Contains(opts.Hosts, h) {
			opts.Hosts = append(opts.Hosts, h)
		}
	}
	pages, st, err := s.pages(ctx, site)
	if err != nil {
		return nil, nil, err
	}
	idx := linking.NewIndex(&opts)
	for _, p := range pages {
		if err := idx.Add(p.Page); err != nil {
			return nil, nil, err
		}
	}
	// Pages added early were weighed against a smaller site.
	idx.Reweight()
	// The anchors the site's pages already link with, so that a new index
	// goes on varying them.
	for p := (igny8.PageRequest{Limit: igny8.MaxPageLimit}); ; {
		ls, err := s.links.ListLinks(ctx, site, linking.LinkQuery{Page: p})
		if err != nil {
			return nil, nil, err
		}
		done := make([]linking.Suggestion, len(ls))
		for i, l := range ls {
			done[i] = linking.Suggestion{SourceID: l.SourceID, TargetID: l.TargetID, Anchor: l.Anchor}
		}
		idx.Commit(done)
		if len(ls) < p.Limit {
			break
		}
		p.After = ls[len(ls)-1].ID
	}
	linker, err := linking.NewLinker(idx, s.links, linking.LinkerOptions{Tx: s.store, Events: s.events, Clock: s.clock, IDs: s.ids, Logger: s.log})
	if err != nil {
		return nil, nil, err
	}
	return &siteIndex{st: st, opts: opts, idx: idx, linker: linker, built: s.clock.Now()}, pages, nil
}

// cachedIndex is LinkContent's index of a site; mu is held while a
// content of the site is linked with it.
type cachedIndex struct {
	mu   sync.Mutex
	si   *siteIndex
	used time.Time // guarded by SiteLinker.mu
}

func siteKey(site igny8.Scope) string { return site.AccountID + "/" + site.SiteID }

// index returns the site's cached index, locked, built again when it is
// older than the TTL or a pillar moved. The caller unlocks it.
func (s *SiteLinker) index(ctx context.Context, site igny8.Scope) (*cachedIndex, error) {
	now := s.clock.Now()
	var ci *cachedIndex
	if s.ttl < 0 {
		ci = &cachedIndex{}
	} else {
		key := siteKey(site)
		s.mu.Lock()
		ci = s.cache[key]
		if ci == nil {
			ci = &cachedIndex{}
			s.cache[key] = ci
			for len(s.cache) > s.maxSites {
				s.evictOldest(key)
			}
		}
		ci.used = now
		s.mu.Unlock()
	}
	ci.mu.Lock()
	if ci.si != nil && now.Sub(ci.si.built) < s.ttl && !ci.si.pillarMoved() {
		return ci, nil
	}
	si, _, err := s.build(ctx, site, s.opts)
	if err != nil {
		ci.si = nil
		ci.mu.Unlock()
		return nil, err
	}
	ci.si = si
	return ci, nil
}

// evictOldest drops the least recently used index other than keep's.
// s.mu is held.
func (s *SiteLinker) evictOldest(keep string) {
	oldest := ""
	var at time.Time
	for k, ci := range s.cache {
		if k != keep && (oldest == "" || ci.used.Before(at)) {
			oldest, at = k, ci.used
		}
	}
	delete(s.cache, oldest)
}

// forget drops the site's cached index: this SiteLinker changed pages
// of the site without it.
func (s *SiteLinker) forget(site igny8.Scope) {
	s.mu.Lock()
	delete(s.cache, siteKey(site))
	s.mu.Unlock()
}

func (si *siteIndex) pillarMoved() bool {
	si.st.mu.Lock()
	defer si.st.mu.Unlock()
	return si.st.changed
}

// LinkContent links one content into its site: its own outbound links,
// and links to it from the existing pages that mention its keywords (each
// such page gets a new version too). It returns the links inserted.
func (s *SiteLinker) LinkContent(ctx context.Context, scope igny8.Scope, contentID string) (int, error) {
	c, err := s.library.Get(ctx, scope, contentID)
	if err != nil {
		return 0, err
	}
	site := c.Scope.Site()
	ci, err := s.index(ctx, site)
	if err != nil {
		return 0, err
	}
	defer ci.mu.Unlock()
	si := ci.si
	page, err := s.page(ctx, si.st, c)
	if err != nil {
		return 0, err
	}
	load := func(ctx context.Context, id string) (linking.Page, error) {
		other, err := s.store.GetContent(ctx, site, id)
		if err != nil {
			return linking.Page{}, err
		}
		return s.page(ctx, si.st, other)
	}
	up, err := si.idx.Upsert(ctx, page, load)
	if err != nil {
		return 0, err
	}
	r, err := s.link(ctx, si, c)
	if err != nil {
		return 0, err
	}
	total := r.links
	for _, plan := range up.Inbound {
		if len(plan.Suggestions) == 0 {
			continue
		}
		src, err := s.store.GetContent(ctx, site, plan.SourceID)
		if igny8.CodeOf(err) == igny8.CodeNotFound {
			si.idx.Remove(plan.SourceID)
			continue
		}
		if err != nil {
			return total, err
		}
		r, err := s.link(ctx, si, src)
		if err != nil {
			return total, err
		}
		total += r.links
	}
	return total, nil
}

// PassOptions configures LinkPass. The zero value is useful.
type PassOptions struct {
	// ContentIDs limits the pass to these contents of the scope (default
	// every content of the scope).
	ContentIDs []string
	// PublishedOnly refuses unpublished targets (by default they are
	// allowed: the pipeline links before it publishes).
	PublishedOnly bool
	// Progress, when set, is told the sources to link, those done and
	// those failed: once before the first and after each.
	Progress func(total, done, failed int)
}

// PassResult is the outcome of a link pass.
type PassResult struct {
	// Pages is the number of pages linked; Failed those whose links could
	// not be saved (logged with their error).
	Pages  int `json:"pages"`
	Failed int `json:"failed"`
	// Placed counts the links inserted, Skipped the candidates the rules
	// refused, SkippedBy the refusals per rule.
	Placed    int                    `json:"placed"`
	Skipped   int                    `json:"skipped"`
	SkippedBy map[linking.RuleID]int `json:"skipped_by"`
	// Versions counts the content versions the pass saved.
	Versions int `json:"versions"`
}

// LinkPass links the content of the scope (a sector, or a whole site) into
// its site with an index of the site built for the pass: every page of
// the site is a target, and each source gets its outbound links as a new
// version. A content named in opts.ContentIDs that is not in the scope is
// InvalidArgument naming it, and nothing is linked. A source whose links
// cannot be saved is counted in Failed and the pass goes on; a content
// gone meanwhile is passed over.
func (s *SiteLinker) LinkPass(ctx context.Context, scope igny8.Scope, opts PassOptions) (PassResult, error) {
	const op = "automation.SiteLinker.LinkPass"
	res := PassResult{SkippedBy: map[linking.RuleID]int{}}
	if err := scope.RequireSite(op); err != nil {
		return res, err
	}
	site := scope.Site()
	lo := s.opts
	lo.Rules.AllowUnpublished = !opts.PublishedOnly
	si, pages, err := s.build(ctx, site, lo)
	if err != nil {
		return res, err
	}
	inScope := map[string]bool{}
	var sources []string
	for _, p := range pages {
		if scope.SectorID == "" || p.Content.Scope.SectorID == scope.SectorID {
			inScope[p.Content.ID] = true
			sources = append(sources, p.Content.ID)
		}
	}
	if len(opts.ContentIDs) > 0 {
		sources = nil
		seen := map[string]bool{}
		for i, id := range opts.ContentIDs {
			if !inScope[id] {
				return res, igny8.InvalidArgument(op, "content_ids["+strconv.Itoa(i)+"]", "no content %q in the scope", id)
			}
			if !seen[id] {
				seen[id] = true
				sources = append(sources, id)
			}
		}
	}
	report := func(done int) {
		if opts.Progress != nil {
			opts.Progress(len(sources), done, res.Failed)
		}
	}
	report(0)
	defer func() {
		if res.Versions > 0 {
			s.forget(site)
		}
	}()
	for i, id := range sources {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		c, err := s.store.GetContent(ctx, site, id)
		var r linked
		if err == nil {
			r, err = s.link(ctx, si, c)
		}
		switch {
		case igny8.CodeOf(err) == igny8.CodeNotFound:
			// Gone while the pass ran: nothing to link.
		case err != nil && ctx.Err() != nil:
			return res, err
		case err != nil:
			res.Failed++
			s.log.Warn("link pass: content not linked", "scope", scope.String(), "content_id", id, "err", err)
		default:
			res.Pages++
			res.Placed += r.links
			res.Skipped += len(r.plan.Skipped)
			for _, sk := range r.plan.Skipped {
				res.SkippedBy[sk.Rule]++
			}
			if r.saved {
				res.Versions++
			}
		}
		report(i + 1)
	}
	return res, nil
}

// linked is the outcome of linking one page.
type linked struct {
	links int
	plan  linking.Plan
	saved bool
}

// staleTargets rolls back a linking whose targets changed since the index
// read them.
type staleTargets struct{ ids []string }

func (e *staleTargets) Error() string {
	return "automation.SiteLinker: targets changed since indexed: " + strings.Join(e.ids, ", ")
}

// link inserts a page's outbound links and saves the new version, the
// records and the event in one transaction, then keeps the index on the
// stored HTML. When another change saved a version in between (Conflict),
// it starts again from that version; when a target changed since the
// index read it, it reads the target again and starts again.
func (s *SiteLinker) link(ctx context.Context, si *siteIndex, c content.Content) (linked, error) {
	site := c.Scope.Site()
	for attempt := 1; ; attempt++ {
		page, err := s.page(ctx, si.st, c)
		if err != nil {
			return linked{}, err
		}
		var (
			res   linked
			saved content.Content
		)
		err = s.store.InTx(ctx, func(ctx context.Context) error {
			out, err := si.linker.Link(ctx, site, page)
			if err != nil {
				return err
			}
			res.links, res.plan = len(out.Links), out.Plan
			if err := s.checkTargets(ctx, site, si.opts, out.Links); err != nil {
				return err
			}
			if len(out.Links) == 0 || out.HTML == c.HTML {
				return nil
			}
			saved, err = s.library.SaveHTML(ctx, c.Scope, c.ID, c.Version, out.HTML, content.ReasonLinked, "internal links")
			res.saved = err == nil
			return err
		})
		var stale *staleTargets
		switch {
		case err == nil:
			if res.saved {
				// Keep the index on the stored HTML so later plans see the
				// links (one link per target, anchor variety).
				p, err := s.page(ctx, si.st, saved)
				if err != nil {
					return res, err
				}
				si.idx.Remove(saved.ID)
				if err := si.idx.Add(p); err != nil {
					return res, err
				}
			}
			return res, nil
		case attempt == linkAttempts:
			return linked{}, err
		case errors.As(err, &stale):
			if err := s.refresh(ctx, si, stale.ids); err != nil {
				return linked{}, err
			}
		case igny8.CodeOf(err) == igny8.CodeConflict:
			if c, err = s.store.GetContent(ctx, site, c.ID); err != nil {
				return linked{}, err
			}
		default:
			return linked{}, err
		}
	}
}

// checkTargets reads the links' targets in the transaction and fails with
// staleTargets when one is gone, moved to another URL, or unpublished
// while the rules want published targets.
func (s *SiteLinker) checkTargets(ctx context.Context, site igny8.Scope, opts linking.Options, links []linking.Link) error {
	var stale []string
	seen := map[string]bool{}
	for _, l := range links {
		if seen[l.TargetID] {
			continue
		}
		seen[l.TargetID] = true
		t, err := s.store.GetContent(ctx, site, l.TargetID)
		switch {
		case igny8.CodeOf(err) == igny8.CodeNotFound:
			stale = append(stale, l.TargetID)
		case err != nil:
			return err
		case pageURL(t) != l.TargetURL, !opts.Rules.AllowUnpublished && t.Status != content.StatusPublished:
			stale = append(stale, l.TargetID)
		}
	}
	if len(stale) > 0 {
		return &staleTargets{ids: stale}
	}
	return nil
}

// refresh reads pages again into the index (or drops the ones gone).
func (s *SiteLinker) refresh(ctx context.Context, si *siteIndex, ids []string) error {
	for _, id := range ids {
		c, err := s.store.GetContent(ctx, si.st.site, id)
		if igny8.CodeOf(err) == igny8.CodeNotFound {
			si.idx.Remove(id)
			continue
		}
		if err != nil {
			return err
		}
		p, err := s.page(ctx, si.st, c)
		if err != nil {
			return err
		}
		si.idx.Remove(id)
		if err := si.idx.Add(p); err != nil {
			return err
		}
	}
	return nil
}

// Unlink takes the inserted link linkID out of the content (a new
// version, reason "linked", its anchor text left byte for byte as it was
// before the link) and deletes its record, in one transaction, and
// returns the content's version. A link the current version no longer
// holds (an older version was restored) only loses its record. A link
// that is not the content's is NotFound. When another change saved a
// version in between (Conflict), it starts again from that version.
func (s *SiteLinker) Unlink(ctx context.Context, scope igny8.Scope, contentID, linkID string) (int, error) {
	const op = "automation.SiteLinker.Unlink"
	if linkID == "" {
		return 0, igny8.InvalidArgument(op, "link_id", "is required")
	}
	for attempt := 1; ; attempt++ {
		c, err := s.library.Get(ctx, scope, contentID)
		if err != nil {
			return 0, err
		}
		site := c.Scope.Site()
		if err := s.findLink(ctx, site, c.ID, linkID); err != nil {
			return 0, err
		}
		version := c.Version
		err = s.store.InTx(ctx, func(ctx context.Context) error {
			if err := s.links.DeleteLinks(ctx, site, linkID); err != nil {
				return err
			}
			out, err := linking.Remove(c.HTML, linkID)
			if igny8.CodeOf(err) == igny8.CodeNotFound {
				return nil
			}
			if err != nil {
				return err
			}
			saved, err := s.library.SaveHTML(ctx, c.Scope, c.ID, c.Version, out, content.ReasonLinked, "internal link "+linkID+" removed")
			if err != nil {
				return err
			}
			version = saved.Version
			return nil
		})
		if igny8.CodeOf(err) == igny8.CodeConflict && attempt < linkAttempts {
			continue
		}
		if err != nil {
			return 0, err
		}
		if version != c.Version {
			s.forget(site)
		}
		return version, nil
	}
}

// findLink checks that linkID is a link record of the source content.
func (s *SiteLinker) findLink(ctx context.Context, site igny8.Scope, sourceID, linkID string) error {
	for p := (igny8.PageRequest{Limit: igny8.MaxPageLimit}); ; {
		l, err := s.links.ListLinks(ctx, site, linking.LinkQuery{SourceID: sourceID, Page: p})
		if err != nil {
			return err
		}
		for _, x := range l {
			if x.ID == linkID {
				return nil
			}
		}
		if len(l) < p.Limit {
			return igny8.NotFound("automation.SiteLinker.Unlink", "link", linkID)
		}
		p.After = l[len(l)-1].ID
	}
}
