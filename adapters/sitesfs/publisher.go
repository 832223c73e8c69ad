package sitesfs

import (
	"context"
	"path/filepath"
	"strings"

	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/publishing"
)

// SitePublisher publishes items to one site of a Renderer: each publish
// stores the item as a post and deploys the site incrementally. It is a
// publishing.Publisher and a publishing.Finder.
type SitePublisher struct {
	r     *Renderer
	scope igny8.Scope
	dir   string
}

var (
	_ publishing.Publisher = (*SitePublisher)(nil)
	_ publishing.Finder    = (*SitePublisher)(nil)
	_ publishing.Checker   = (*SitePublisher)(nil)
)

// Publisher returns the publisher of the scope's site.
func (r *Renderer) Publisher(scope igny8.Scope) (*SitePublisher, error) {
	dir, err := r.SiteDir(scope)
	if err != nil {
		return nil, err
	}
	return &SitePublisher{r: r, scope: scope.Site(), dir: dir}, nil
}

// Check verifies the site is configured.
func (p *SitePublisher) Check(ctx context.Context) error {
	_, err := p.r.siteConfig(p.dir)
	return err
}

// Publish stores the item as a post (an update when item.RemoteID is set)
// and deploys the site. Drafts are kept but not rendered; scheduled items
// go live with the first deploy at or after their time.
func (p *SitePublisher) Publish(ctx context.Context, item publishing.Item) (publishing.Receipt, error) {
	const op = "sitesfs.Publish"
	if err := ctx.Err(); err != nil {
		return publishing.Receipt{}, igny8.Wrap(igny8.CodeUnavailable, op, err)
	}
	if err := item.Validate(op); err != nil {
		return publishing.Receipt{}, err
	}
	if item.Scope.AccountID != p.scope.AccountID || item.Scope.SiteID != p.scope.SiteID {
		return publishing.Receipt{}, igny8.InvalidArgument(op, "scope", "item belongs to %s, this publisher to %s", item.Scope, p.scope)
	}
	site, err := p.r.siteConfig(p.dir)
	if err != nil {
		return publishing.Receipt{}, err
	}
	st := p.r.state(p.dir)
	st.mu.Lock()
	defer st.mu.Unlock()
	unlock, err := lockFile(filepath.Join(p.dir, ".lock"))
	if err != nil {
		return publishing.Receipt{}, igny8.Errorf(igny8.CodeInternal, op, "lock: %w", err)
	}
	defer unlock()

	id := item.ContentID
	now := p.r.clock.Now().UTC()
	published := now
	if item.RemoteID != "" {
		old, ok, err := st.src.get(item.RemoteID)
		if err != nil {
			return publishing.Receipt{}, wrapFS(op, err)
		}
		if !ok {
			return publishing.Receipt{}, igny8.NotFound(op, "post", item.RemoteID)
		}
		id, published = item.RemoteID, old.Published
	} else if old, ok, err := st.src.get(id); err == nil && ok {
		published = old.Published
	}
	if item.Status == publishing.StatusScheduled {
		published = item.ScheduledAt.UTC()
	}
	slug := item.Slug
	if slug == "" {
		slug = igny8.Slugify(item.Title)
	}
	if !igny8.ValidSlug(slug) || reserved[slug] {
		return publishing.Receipt{}, igny8.InvalidArgument(op, "slug", "%q is not a usable slug", slug)
	}
	metas, err := st.src.snapshot()
	if err != nil {
		return publishing.Receipt{}, wrapFS(op, err)
	}
	for _, m := range metas {
		if m.Slug == slug && m.ID != id {
			return publishing.Receipt{}, igny8.Errorf(igny8.CodeConflict, op, "slug %q is used by post %s", slug, m.ID)
		}
	}
	post := Post{
		ID: id, Type: item.Type, Slug: slug, Title: item.Title, MetaTitle: item.MetaTitle, MetaDescription: item.MetaDescription,
		HTML: item.HTML, Excerpt: item.Excerpt, Categories: item.Categories, Tags: item.Tags, Author: item.Author,
		Published: published, Updated: now,
	}
	if item.FeaturedImage != nil {
		post.FeaturedImage = &Media{Key: item.FeaturedImage.Key, Alt: item.FeaturedImage.Alt}
	}
	for _, im := range item.Images {
		post.Images = append(post.Images, Media{Key: im.Key, Alt: im.Alt})
	}
	if err := st.src.put([]Post{post}, []string{string(item.Status)}, []string{item.IdempotencyKey}); err != nil {
		return publishing.Receipt{}, wrapFS(op, err)
	}
	if _, err := p.r.deployLocked(ctx, op, p.scope, p.dir, st); err != nil {
		return publishing.Receipt{}, err
	}
	return p.receipt(site, postMeta{Post: post, Key: item.IdempotencyKey, Status: string(item.Status)}), nil
}

func (p *SitePublisher) receipt(site Site, m postMeta) publishing.Receipt {
	status := m.Status
	if status == string(publishing.StatusScheduled) {
		status = "future"
	}
	return publishing.Receipt{RemoteID: m.ID, URL: site.BaseURL + "/" + m.Slug + "/", Kind: "post", IdempotencyKey: m.Key, RemoteStatus: status}
}

// Unpublish removes the post and deploys the site without it. A post that
// is already gone is not an error.
func (p *SitePublisher) Unpublish(ctx context.Context, r publishing.Receipt) error {
	const op = "sitesfs.Unpublish"
	st := p.r.state(p.dir)
	st.mu.Lock()
	defer st.mu.Unlock()
	unlock, err := lockFile(filepath.Join(p.dir, ".lock"))
	if err != nil {
		return igny8.Errorf(igny8.CodeInternal, op, "lock: %w", err)
	}
	defer unlock()
	removed, err := st.src.remove(r.RemoteID)
	if err != nil || !removed {
		return wrapFS(op, err)
	}
	_, err = p.r.deployLocked(ctx, op, p.scope, p.dir, st)
	return err
}

// FindByKey finds the live post created with an idempotency key.
func (p *SitePublisher) FindByKey(ctx context.Context, key string) (publishing.Receipt, bool, error) {
	const op = "sitesfs.FindByKey"
	if strings.TrimSpace(key) == "" {
		return publishing.Receipt{}, false, igny8.InvalidArgument(op, "key", "is required")
	}
	st := p.r.state(p.dir)
	m, ok, err := st.src.byKey(key)
	if err != nil || !ok {
		return publishing.Receipt{}, false, wrapFS(op, err)
	}
	site, err := p.r.siteConfig(p.dir)
	if err != nil {
		return publishing.Receipt{}, false, err
	}
	return p.receipt(site, m), true, nil
}
