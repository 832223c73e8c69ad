// Package staticsite adapts the static site renderer (adapters/sitesfs) to
// the site builder: a Target is a sitebuilding.Renderer that deploys a
// blueprint's pages as the site's live version, makes a kept earlier
// version live again (sitesfs keeps the last sitesfs.Options.Keep
// versions), and renders previews into temporary folders.
//
//	r, _ := sitesfs.New("/srv/sites", storage, sitesfs.Options{})
//	b, _ := sitebuilding.NewBuilder(store, runner, lib, limits, events, sitebuilding.Options{
//		Renderer: staticsite.New(r, storage, staticsite.Options{}),
//	})
package staticsite

import (
	"context"
	"os"

	"github.com/igny8/sdk/adapters/sitesfs"
	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/sitebuilding"
)

// Options configures a Target; the zero value is usable.
type Options struct {
	// PreviewDir is where preview folders are made (default os.TempDir()).
	PreviewDir string
	// Preview configures the renderers of previews (theme, clock).
	Preview sitesfs.Options
}

// Target deploys through a sitesfs.Renderer.
type Target struct {
	live    *sitesfs.Renderer
	storage igny8.Storage
	opts    Options
}

var _ sitebuilding.Renderer = (*Target)(nil)

// New returns a Target deploying with live; storage holds the images the
// pages show (the one the builder stores generated images in).
func New(live *sitesfs.Renderer, storage igny8.Storage, opts Options) *Target {
	return &Target{live: live, storage: storage, opts: opts}
}

func settings(site sitebuilding.RenderSite) (sitesfs.Site, []sitesfs.Page) {
	s := sitesfs.Site{Name: site.Name, BaseURL: site.BaseURL, Description: site.Description, Language: site.Language,
		Menu: site.Menu, Theme: site.Theme}
	pages := make([]sitesfs.Page, len(site.Pages))
	for i, p := range site.Pages {
		pages[i] = sitesfs.Page{Slug: p.Slug, Title: p.Title, Description: p.Description, Blocks: p.Blocks, Updated: p.Updated}
	}
	return s, pages
}

func render(ctx context.Context, r *sitesfs.Renderer, scope igny8.Scope, site sitebuilding.RenderSite) (sitesfs.Deployment, error) {
	s, pages := settings(site)
	if err := r.Configure(ctx, scope, s); err != nil {
		return sitesfs.Deployment{}, err
	}
	if err := r.SetPages(ctx, scope, pages); err != nil {
		return sitesfs.Deployment{}, err
	}
	return r.Deploy(ctx, scope)
}

// Deploy renders site as the scope's live version.
func (t *Target) Deploy(ctx context.Context, scope igny8.Scope, site sitebuilding.RenderSite) (sitebuilding.Rendered, error) {
	d, err := render(ctx, t.live, scope, site)
	if err != nil {
		return sitebuilding.Rendered{}, err
	}
	return sitebuilding.Rendered{Version: d.Version, Path: d.Path, URL: d.URL, Pages: d.Pages, Files: d.Files, Bytes: d.Bytes, Written: d.Written}, nil
}

// Rollback makes a kept earlier version of the scope's site live again
// (sitesfs.Renderer.Rollback); a version sitesfs no longer keeps, or one
// that failed, is NotFound. Nothing is rendered, so Written is 0.
func (t *Target) Rollback(ctx context.Context, scope igny8.Scope, version int) (sitebuilding.Rendered, error) {
	d, err := t.live.Rollback(ctx, scope, version)
	if err != nil {
		return sitebuilding.Rendered{}, err
	}
	return sitebuilding.Rendered{Version: d.Version, Path: d.Path, URL: d.URL, Pages: d.Pages, Files: d.Files, Bytes: d.Bytes}, nil
}

// Preview renders site with a renderer of its own in a temporary folder
// and returns a new folder (under Options.PreviewDir) holding just the
// rendered site, ready to serve; the caller removes it.
func (t *Target) Preview(ctx context.Context, scope igny8.Scope, site sitebuilding.RenderSite) (string, error) {
	const op = "staticsite.Preview"
	work, err := os.MkdirTemp(t.opts.PreviewDir, "igny8-render-")
	if err != nil {
		return "", igny8.Errorf(igny8.CodeInternal, op, "%w", err)
	}
	defer os.RemoveAll(work)
	r, err := sitesfs.New(work, t.storage, t.opts.Preview)
	if err != nil {
		return "", err
	}
	d, err := render(ctx, r, scope, site)
	if err != nil {
		return "", err
	}
	out, err := os.MkdirTemp(t.opts.PreviewDir, "igny8-preview-")
	if err == nil {
		// Rename over the empty folder MkdirTemp reserved the name with.
		if err = os.Remove(out); err == nil {
			err = os.Rename(d.Path, out)
		}
	}
	if err != nil {
		return "", igny8.Errorf(igny8.CodeInternal, op, "move the preview: %w", err)
	}
	return out, nil
}
