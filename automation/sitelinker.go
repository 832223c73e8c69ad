package automation

import (
	"context"
	"sync"

	"github.com/igny8/sdk/content"
	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/linking"
)

// SiteLinker links the content of a site with the linking engine: it keeps
// one linking.Index per site, built from the site's content on first use
// and updated as pages are linked, inserts the links into a content's HTML
// as a new version (reason "linked"), keeps the link records and announces
// content_linked in the same transaction. It is the pipeline's Linker.
type SiteLinker struct {
	store   content.Store
	library *content.Library
	links   linking.Store
	events  *igny8.Events
	opts    linking.Options

	mu      sync.Mutex
	indexes map[string]*siteIndex
}

type siteIndex struct {
	mu     sync.Mutex
	idx    *linking.Index
	linker *linking.Linker
}

// NewSiteLinker returns a SiteLinker. opts configures every site's index
// (nil: defaults, with unpublished targets allowed, since the pipeline
// links before it publishes).
func NewSiteLinker(store content.Store, library *content.Library, links linking.Store, events *igny8.Events, opts *linking.Options) *SiteLinker {
	o := linking.Options{}
	if opts != nil {
		o = *opts
	} else {
		o.Rules.AllowUnpublished = true
	}
	return &SiteLinker{store: store, library: library, links: links, events: events, opts: o, indexes: map[string]*siteIndex{}}
}

var _ Linker = (*SiteLinker)(nil)

func (s *SiteLinker) page(ctx context.Context, c content.Content) linking.Page {
	p := linking.Page{ID: c.ID, URL: "/" + c.Slug + "/", Title: c.Title, HTML: c.HTML, PrimaryKeyword: c.PrimaryKeyword,
		SecondaryKeywords: c.SecondaryKeywords, Published: c.Status == content.StatusPublished}
	if c.TaskID != "" {
		if t, err := s.store.GetTask(ctx, c.Scope, c.TaskID); err == nil {
			p.ClusterID = t.ClusterID
		}
	}
	return p
}

// index returns the site's index, building it from its content once.
func (s *SiteLinker) index(ctx context.Context, scope igny8.Scope) (*siteIndex, error) {
	key := scope.AccountID + "/" + scope.SiteID
	s.mu.Lock()
	si := s.indexes[key]
	if si == nil {
		si = &siteIndex{}
		s.indexes[key] = si
	}
	s.mu.Unlock()
	si.mu.Lock()
	defer si.mu.Unlock()
	if si.idx != nil {
		return si, nil
	}
	opts := s.opts
	idx := linking.NewIndex(&opts)
	page := igny8.PageRequest{Limit: igny8.MaxPageLimit}
	for {
		cs, err := s.store.ListContent(ctx, scope.Site(), content.ContentFilter{}, page)
		if err != nil {
			return nil, err
		}
		for _, c := range cs {
			if err := idx.Add(s.page(ctx, c)); err != nil {
				return nil, err
			}
		}
		if len(cs) < page.Limit {
			break
		}
		page.After = cs[len(cs)-1].ID
	}
	linker, err := linking.NewLinker(idx, s.links, linking.LinkerOptions{Tx: s.store, Events: s.events})
	if err != nil {
		return nil, err
	}
	si.idx, si.linker = idx, linker
	return si, nil
}

// LinkContent links one content into its site: its own outbound links,
// and links to it from the existing pages that mention its keywords (each
// such page gets a new version too). It returns the links inserted.
func (s *SiteLinker) LinkContent(ctx context.Context, scope igny8.Scope, contentID string) (int, error) {
	c, err := s.library.Get(ctx, scope, contentID)
	if err != nil {
		return 0, err
	}
	si, err := s.index(ctx, c.Scope)
	if err != nil {
		return 0, err
	}
	si.mu.Lock()
	defer si.mu.Unlock()
	site := c.Scope.Site()
	load := func(ctx context.Context, id string) (linking.Page, error) {
		other, err := s.store.GetContent(ctx, site, id)
		if err != nil {
			return linking.Page{}, err
		}
		return s.page(ctx, other), nil
	}
	up, err := si.idx.Upsert(ctx, s.page(ctx, c), load)
	if err != nil {
		return 0, err
	}
	total, err := s.link(ctx, si, c)
	if err != nil {
		return total, err
	}
	for _, plan := range up.Inbound {
		if len(plan.Suggestions) == 0 {
			continue
		}
		src, err := s.store.GetContent(ctx, site, plan.SourceID)
		if err != nil {
			return total, err
		}
		n, err := s.link(ctx, si, src)
		if err != nil {
			return total, err
		}
		total += n
	}
	return total, nil
}

// link inserts a page's outbound links and saves the new version, the
// records and the event in one transaction. When another change saved a
// version in between (Conflict), it starts again from that version.
func (s *SiteLinker) link(ctx context.Context, si *siteIndex, c content.Content) (int, error) {
	for attempt := 0; ; attempt++ {
		n, err := s.linkOnce(ctx, si, c)
		if igny8.CodeOf(err) != igny8.CodeConflict || attempt == 4 {
			return n, err
		}
		if c, err = s.store.GetContent(ctx, c.Scope, c.ID); err != nil {
			return 0, err
		}
	}
}

func (s *SiteLinker) linkOnce(ctx context.Context, si *siteIndex, c content.Content) (int, error) {
	var n int
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		res, err := si.linker.Link(ctx, c.Scope.Site(), s.page(ctx, c))
		if err != nil {
			return err
		}
		n = len(res.Links)
		if n == 0 || res.HTML == c.HTML {
			return nil
		}
		saved, err := s.library.SaveHTML(ctx, c.Scope, c.ID, c.Version, res.HTML, content.ReasonLinked, "internal links")
		if err != nil {
			return err
		}
		// Keep the index on the stored HTML so later plans see the links.
		si.idx.Remove(saved.ID)
		return si.idx.Add(s.page(ctx, saved))
	})
	return n, err
}
