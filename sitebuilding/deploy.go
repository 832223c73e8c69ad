package sitebuilding

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/igny8/sdk/igny8"
)

// ImagesResult is what GenerateImages did.
type ImagesResult struct {
	Generated int
	Failed    int
}

// GenerateImages generates the pending images of hero, gallery and image
// blocks (see PendingImage) through Options.Images, keeps them in
// Options.Storage under the site's scope, and points the blocks at them.
// Each image counts against the site's daily and monthly image limits and,
// with Options.Credits, is charged; a failed image is refunded and stays
// pending for the next run. A limit reached stops the step with the pages
// done so far stored.
func (b *Builder) GenerateImages(ctx context.Context, scope igny8.Scope, id string) (ImagesResult, error) {
	const op = "sitebuilding.GenerateImages"
	if b.opts.Images == nil || b.opts.Storage == nil {
		return ImagesResult{}, igny8.InvalidArgument(op, "options", "the builder has no image generator or storage")
	}
	_, pages, err := b.Get(ctx, scope, id)
	if err != nil {
		return ImagesResult{}, err
	}
	scope = scope.Site()
	var res ImagesResult
	type done struct {
		block, k int
		alt, src string
	}
	for pi := range pages {
		p := &pages[pi]
		var made []done
		var stop error
		for bi := range p.Blocks {
			for k, ref := range imageRefs(p.Blocks[bi]) {
				if !ref.Pending() {
					continue
				}
				key := fmt.Sprintf("sitebuilder/%s/%s-%d-%d", id, p.ID, bi, k)
				src, err := b.image(ctx, scope, key, ref.Alt)
				if err != nil {
					if igny8.CodeOf(err) == igny8.CodeLimitExceeded || igny8.CodeOf(err) == igny8.CodeInsufficientCredits || ctx.Err() != nil {
						stop = err
						break
					}
					res.Failed++
					b.opts.Logger.WarnContext(ctx, "sitebuilding: image failed", "blueprint", id, "page", p.Slug, "block", bi, "error", err)
					continue
				}
				made = append(made, done{bi, k, ref.Alt, src})
			}
			if stop != nil {
				break
			}
		}
		if len(made) > 0 {
			// Place the images in the page as stored now: an image whose
			// block was edited meanwhile (no longer pending with the same
			// description) is not placed.
			_, err := b.commitPage(ctx, op, scope, id, p.ID, func(stored *PageBlueprint) error {
				for _, d := range made {
					if d.block >= len(stored.Blocks) {
						continue
					}
					refs := imageRefs(stored.Blocks[d.block])
					if d.k < len(refs) && refs[d.k].Pending() && refs[d.k].Alt == d.alt {
						refs[d.k].Src = d.src
						res.Generated++
					}
				}
				return nil
			})
			if err != nil {
				return res, err
			}
		}
		if stop != nil {
			return res, stop
		}
	}
	return res, nil
}

// imageRefs returns pointers to the images of a block.
func imageRefs(bl Block) []*ImageRef {
	switch d := bl.Data.(type) {
	case *Hero:
		if d.Image != nil {
			return []*ImageRef{d.Image}
		}
	case *Gallery:
		out := make([]*ImageRef, len(d.Images))
		for i := range d.Images {
			out[i] = &d.Images[i]
		}
		return out
	case *Image:
		return []*ImageRef{&d.Image}
	case *Columns:
		var out []*ImageRef
		for _, col := range d.Columns {
			for _, c := range col {
				out = append(out, imageRefs(c)...)
			}
		}
		return out
	}
	return nil
}

func (b *Builder) image(ctx context.Context, scope igny8.Scope, key, prompt string) (string, error) {
	var held []igny8.Reservation
	release := func() {
		for _, r := range held {
			_ = b.limits.Release(context.WithoutCancel(ctx), r)
		}
	}
	for _, l := range []igny8.Limit{igny8.LimitDailyImageGenerations, igny8.LimitMonthlyImages} {
		r, err := b.limits.Reserve(ctx, scope, l, 1)
		if err != nil {
			release()
			return "", err
		}
		held = append(held, r)
	}
	debitKey := "sitebuilding:image:" + key + ":" + b.opts.IDs.NewID()
	charged := false
	if b.opts.Credits != nil {
		cost, err := b.opts.Credits.Cost(ctx, scope, igny8.FuncGenerateImage, 0)
		if err != nil {
			release()
			return "", err
		}
		if cost > 0 {
			if _, err := b.opts.Credits.Debit(ctx, scope.Account(), igny8.Charge{Amount: cost, Reason: igny8.FuncGenerateImage, Reference: key, IdempotencyKey: debitKey}); err != nil {
				release()
				return "", err
			}
			charged = true
		}
	}
	fail := func(err error) (string, error) {
		release()
		if charged {
			if _, rerr := b.opts.Credits.Refund(context.WithoutCancel(ctx), scope.Account(), debitKey, "site image failed"); rerr != nil {
				b.opts.Logger.Warn("sitebuilding: refunding an image failed", "key", debitKey, "error", rerr)
			}
		}
		return "", err
	}
	img, err := b.opts.Images.GenerateImage(ctx, igny8.ImageRequest{Prompt: prompt, Size: b.opts.ImageSize, Style: "photo"})
	if err != nil {
		return fail(err)
	}
	info, err := b.opts.Storage.Put(ctx, scope, key+extFor(img.MediaType), bytes.NewReader(img.Data), img.MediaType)
	if err != nil {
		return fail(err)
	}
	return info.Key, nil
}

func extFor(mediaType string) string {
	switch mediaType {
	case "image/png":
		return ".png"
	case "image/jpeg":
		return ".jpg"
	case "image/webp":
		return ".webp"
	case "image/gif":
		return ".gif"
	case "image/svg+xml":
		return ".svg"
	}
	return ".bin"
}

// renderSite builds what the renderer gets: the theme from the wizard's
// style, a menu of the pages, and the pages without pending images.
func (b *Builder) renderSite(bp SiteBlueprint, pages []PageBlueprint) (RenderSite, error) {
	theme, err := ThemeTokens(bp.Wizard.SiteType, bp.Wizard.Style)
	if err != nil {
		return RenderSite{}, err
	}
	if err := ValidatePages(pages); err != nil {
		return RenderSite{}, err
	}
	site := RenderSite{Name: bp.Name, BaseURL: bp.BaseURL, Description: firstSentence(bp.Wizard.Brief), Language: bp.Wizard.Language, Theme: theme}
	for _, p := range pages {
		if p.Type != PageLegal {
			site.Menu = append(site.Menu, Link{Label: clampText(p.Title, 60), URL: pagePath(p.Slug)})
		}
		blocks := withoutPending(p.Blocks)
		if len(blocks) == 0 {
			blocks = []Block{NewBlock(&Hero{Heading: p.Title, Subheading: p.Description})}
		}
		site.Pages = append(site.Pages, RenderPage{Slug: p.Slug, Title: p.Title, Description: p.Description, Blocks: blocks, Updated: p.UpdatedAt})
	}
	return site, nil
}

// withoutPending copies blocks, leaving out images not generated yet (and
// gallery and image blocks left with none).
func withoutPending(blocks []Block) []Block {
	out := make([]Block, 0, len(blocks))
	for _, bl := range blocks {
		switch d := bl.Data.(type) {
		case *Hero:
			if d.Image != nil && d.Image.Pending() {
				h := *d
				h.Image = nil
				bl = NewBlock(&h)
			}
		case *Gallery:
			g := &Gallery{Heading: d.Heading}
			for _, im := range d.Images {
				if !im.Pending() {
					g.Images = append(g.Images, im)
				}
			}
			if len(g.Images) == 0 {
				continue
			}
			bl = NewBlock(g)
		case *Image:
			if d.Image.Pending() {
				continue
			}
		case *Columns:
			c := &Columns{}
			for _, col := range d.Columns {
				c.Columns = append(c.Columns, withoutPending(col))
			}
			bl = NewBlock(c)
		}
		out = append(out, bl)
	}
	return out
}

// Preview renders the blueprint into a new temporary folder and returns
// it; the live site is untouched. The caller removes the folder.
func (b *Builder) Preview(ctx context.Context, scope igny8.Scope, id string) (string, error) {
	const op = "sitebuilding.Preview"
	if b.opts.Renderer == nil {
		return "", igny8.InvalidArgument(op, "options.renderer", "is required to preview")
	}
	bp, pages, err := b.Get(ctx, scope, id)
	if err != nil {
		return "", err
	}
	if len(pages) == 0 {
		return "", igny8.InvalidArgument(op, "blueprint", "%s has no pages; run GenerateStructure first", id)
	}
	site, err := b.renderSite(bp, pages)
	if err != nil {
		return "", err
	}
	return b.opts.Renderer.Preview(ctx, scope.Site(), site)
}

// Deploy renders the blueprint as the site's live version, records a
// DeploymentRecord and emits site_deployed in one transaction. A failed
// deploy is recorded as failed and leaves the live site as it was.
func (b *Builder) Deploy(ctx context.Context, scope igny8.Scope, id string) (DeploymentRecord, error) {
	const op = "sitebuilding.Deploy"
	if b.opts.Renderer == nil {
		return DeploymentRecord{}, igny8.InvalidArgument(op, "options.renderer", "is required to deploy")
	}
	bp, pages, err := b.Get(ctx, scope, id)
	if err != nil {
		return DeploymentRecord{}, err
	}
	scope = scope.Site()
	if len(pages) == 0 {
		return DeploymentRecord{}, igny8.InvalidArgument(op, "blueprint", "%s has no pages; run GenerateStructure first", id)
	}
	site, err := b.renderSite(bp, pages)
	if err != nil {
		return DeploymentRecord{}, err
	}
	rec := DeploymentRecord{ID: b.opts.IDs.NewID(), Scope: scope, BlueprintID: id, URL: bp.BaseURL}
	out, err := b.opts.Renderer.Deploy(ctx, scope, site)
	rec.DeployedAt = b.opts.Clock.Now().UTC()
	if err != nil {
		rec.Status, rec.Error = DeployFailed, clampText(err.Error(), 2000)
		if rerr := b.store.CreateDeployment(context.WithoutCancel(ctx), scope, rec); rerr != nil {
			b.opts.Logger.ErrorContext(ctx, "sitebuilding: recording a failed deploy", "blueprint", id, "error", rerr)
		}
		return rec, err
	}
	rec.Status, rec.Version, rec.Path, rec.Pages, rec.Files, rec.Bytes, rec.Written = DeployLive, out.Version, out.Path, out.Pages, out.Files, out.Bytes, out.Written
	if out.URL != "" {
		rec.URL = out.URL
	}
	bp.Status, bp.UpdatedAt = StatusDeployed, rec.DeployedAt
	err = b.store.InTx(ctx, func(ctx context.Context) error {
		if err := b.store.CreateDeployment(ctx, scope, rec); err != nil {
			return err
		}
		if err := b.store.UpdateBlueprint(ctx, scope, bp); err != nil {
			return err
		}
		_, err := b.events.Emit(ctx, scope, igny8.EventSiteDeployed, id, map[string]any{
			"blueprint_id": id, "version": rec.Version, "url": rec.URL, "pages": rec.Pages, "written": rec.Written,
		})
		return err
	})
	if err != nil {
		return rec, igny8.Wrap(igny8.CodeInternal, op, err)
	}
	return rec, nil
}

// Deployments lists a blueprint's deployments, newest first.
func (b *Builder) Deployments(ctx context.Context, scope igny8.Scope, id string, page igny8.PageRequest) ([]DeploymentRecord, error) {
	if err := scope.RequireSite("sitebuilding.Deployments"); err != nil {
		return nil, err
	}
	return b.store.ListDeployments(ctx, scope.Site(), id, page.Normalize())
}

// Deployment returns one deployment record of a blueprint. A deployment
// of another blueprint, site or account is NotFound.
func (b *Builder) Deployment(ctx context.Context, scope igny8.Scope, blueprintID, id string) (DeploymentRecord, error) {
	if err := scope.RequireSite("sitebuilding.Deployment"); err != nil {
		return DeploymentRecord{}, err
	}
	return b.store.GetDeployment(ctx, scope.Site(), blueprintID, id)
}

// Rollback makes the version of an earlier deployment of the blueprint the
// site's live version again, through the Renderer and without rendering
// anything, and records the rollback as a new deployment of that version
// with a site_deployed event (rollback: true, rolled_back_to: the
// deployment's ID) in one transaction. Only a live deployment with a
// version can be made live again: a failed one is Conflict, and so is a
// version the renderer no longer keeps (deploy the blueprint again). The
// live site is the site's: whatever was published to it after that version
// is rolled back with it. The blueprint and its pages are unchanged.
func (b *Builder) Rollback(ctx context.Context, scope igny8.Scope, blueprintID, deploymentID string) (DeploymentRecord, error) {
	const op = "sitebuilding.Rollback"
	if b.opts.Renderer == nil {
		return DeploymentRecord{}, igny8.InvalidArgument(op, "options.renderer", "is required to roll back")
	}
	d, err := b.Deployment(ctx, scope, blueprintID, deploymentID)
	if err != nil {
		return DeploymentRecord{}, err
	}
	scope = scope.Site()
	if d.Status != DeployLive || d.Version == 0 {
		return DeploymentRecord{}, igny8.Errorf(igny8.CodeConflict, op, "deployment %s is %s, not a deployed version; only a deployed version can be made live again", d.ID, d.Status)
	}
	out, err := b.opts.Renderer.Rollback(ctx, scope, d.Version)
	if igny8.CodeOf(err) == igny8.CodeNotFound {
		return DeploymentRecord{}, igny8.Errorf(igny8.CodeConflict, op, "version %d of the site is no longer kept; deploy the blueprint again", d.Version)
	}
	if err != nil {
		return DeploymentRecord{}, err
	}
	rec := DeploymentRecord{
		ID: b.opts.IDs.NewID(), Scope: scope, BlueprintID: blueprintID, Version: out.Version, Status: DeployLive,
		Path: out.Path, URL: d.URL, Pages: out.Pages, Files: out.Files, Bytes: out.Bytes, DeployedAt: b.opts.Clock.Now().UTC(),
	}
	if rec.URL == "" {
		rec.URL = out.URL
	}
	err = b.store.InTx(ctx, func(ctx context.Context) error {
		if err := b.store.CreateDeployment(ctx, scope, rec); err != nil {
			return err
		}
		_, err := b.events.Emit(ctx, scope, igny8.EventSiteDeployed, blueprintID, map[string]any{
			"blueprint_id": blueprintID, "version": rec.Version, "url": rec.URL, "pages": rec.Pages, "written": 0,
			"rollback": true, "rolled_back_to": d.ID,
		})
		return err
	})
	if err != nil {
		b.opts.Logger.ErrorContext(ctx, "sitebuilding: rollback done but not recorded", "site", scope.SiteID, "blueprint", blueprintID, "version", d.Version, "error", err)
		return rec, igny8.Wrap(igny8.CodeInternal, op, err)
	}
	return rec, nil
}

// QuickBuild runs the whole builder on a wizard: Create, GenerateStructure,
// GenerateCopy, GenerateImages (when the builder has an image generator
// and storage) and Deploy — the command-line quickstart's "site from a
// brief". Each step's result stays in the store, so a failed step can be
// run again on the returned blueprint.
func QuickBuild(ctx context.Context, b *Builder, scope igny8.Scope, nb NewBlueprint) (SiteBlueprint, DeploymentRecord, error) {
	bp, err := b.Create(ctx, scope, nb)
	if err != nil {
		return SiteBlueprint{}, DeploymentRecord{}, err
	}
	if _, err := b.GenerateStructure(ctx, scope, bp.ID); err != nil {
		return bp, DeploymentRecord{}, err
	}
	if _, err := b.GenerateCopy(ctx, scope, bp.ID); err != nil {
		return bp, DeploymentRecord{}, err
	}
	if b.opts.Images != nil && b.opts.Storage != nil {
		if _, err := b.GenerateImages(ctx, scope, bp.ID); err != nil {
			return bp, DeploymentRecord{}, err
		}
	}
	rec, err := b.Deploy(ctx, scope, bp.ID)
	if err != nil {
		return bp, rec, err
	}
	bp, _, err = b.Get(ctx, scope, bp.ID)
	return bp, rec, err
}

// pagePath is where a page is served.
func pagePath(slug string) string {
	if slug == HomeSlug {
		return "/"
	}
	return "/" + strings.Trim(slug, "/") + "/"
}
