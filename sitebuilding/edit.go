package sitebuilding

import (
	"context"
	"fmt"
	"strings"

	"github.com/igny8/sdk/igny8"
)

// editPages loads the pages, applies fn to a copy, validates the result
// and stores it: one page (UpdatePage) when fn reports a single changed
// index, else all of them (ReplacePages). It all happens in one
// transaction that first writes the blueprint row, so concurrent edits of
// one blueprint take turns (a row lock on Postgres, the write lock on
// SQLite) and none is lost. A deployed or draft blueprint becomes ready.
func (b *Builder) editPages(ctx context.Context, op string, scope igny8.Scope, id string, fn func(pages []PageBlueprint) ([]PageBlueprint, int, error)) ([]PageBlueprint, error) {
	if err := scope.RequireSite(op); err != nil {
		return nil, err
	}
	scope = scope.Site()
	var work []PageBlueprint
	err := b.store.InTx(ctx, func(ctx context.Context) error {
		bp, err := b.store.GetBlueprint(ctx, scope, id)
		if err != nil {
			return err
		}
		now := b.opts.Clock.Now().UTC()
		if bp.Status == StatusDeployed || bp.Status == StatusDraft {
			bp.Status = StatusReady
		}
		bp.UpdatedAt = now
		if err := b.store.UpdateBlueprint(ctx, scope, bp); err != nil {
			return err
		}
		pages, err := b.store.ListPages(ctx, scope, id)
		if err != nil {
			return err
		}
		var changed int
		if work, changed, err = fn(pages); err != nil {
			return err
		}
		if changed >= 0 {
			work[changed].UpdatedAt = now
		}
		for i := range work {
			work[i].Position = i
		}
		if err := ValidatePages(work); err != nil {
			return err
		}
		if changed >= 0 {
			return b.store.UpdatePage(ctx, scope, work[changed])
		}
		return b.store.ReplacePages(ctx, scope, id, work)
	})
	if err != nil {
		return nil, igny8.Wrap(igny8.CodeInternal, op, err)
	}
	return work, nil
}

// AddPage inserts a page at position (or at the end when position is out
// of range). Its blocks are validated like every page's.
func (b *Builder) AddPage(ctx context.Context, scope igny8.Scope, id string, p PageBlueprint, position int) (PageBlueprint, error) {
	const op = "sitebuilding.AddPage"
	now := b.opts.Clock.Now().UTC()
	p.ID, p.Scope, p.BlueprintID, p.CreatedAt, p.UpdatedAt = b.opts.IDs.NewID(), scope.Site(), id, now, now
	if p.Status == "" {
		p.Status = PageWritten
	}
	if p.Type == "" {
		p.Type = PageCustom
	}
	_, err := b.editPages(ctx, op, scope, id, func(pages []PageBlueprint) ([]PageBlueprint, int, error) {
		if position < 0 || position > len(pages) {
			position = len(pages)
		}
		out := append(pages[:position:position], append([]PageBlueprint{p}, pages[position:]...)...)
		return out, -1, nil
	})
	if err != nil {
		return PageBlueprint{}, err
	}
	p.Position = position
	return p, nil
}

// RemovePage removes the page with slug. The home page cannot be removed.
func (b *Builder) RemovePage(ctx context.Context, scope igny8.Scope, id, slug string) error {
	const op = "sitebuilding.RemovePage"
	if slug == HomeSlug {
		return igny8.InvalidArgument(op, "slug", "the home page cannot be removed")
	}
	_, err := b.editPages(ctx, op, scope, id, func(pages []PageBlueprint) ([]PageBlueprint, int, error) {
		i, err := findPage(pages, slug)
		if err != nil {
			return nil, 0, err
		}
		return append(pages[:i], pages[i+1:]...), -1, nil
	})
	return err
}

// ReorderPages puts the pages in the order of slugs, which must name each
// page once.
func (b *Builder) ReorderPages(ctx context.Context, scope igny8.Scope, id string, slugs []string) ([]PageBlueprint, error) {
	const op = "sitebuilding.ReorderPages"
	return b.editPages(ctx, op, scope, id, func(pages []PageBlueprint) ([]PageBlueprint, int, error) {
		if len(slugs) != len(pages) {
			return nil, 0, igny8.InvalidArgument(op, "slugs", "name each of the %d pages once, got %d slugs", len(pages), len(slugs))
		}
		out := make([]PageBlueprint, 0, len(pages))
		seen := map[string]bool{}
		for i, s := range slugs {
			j, err := findPage(pages, s)
			if err != nil || seen[s] {
				return nil, 0, igny8.InvalidArgument(op, fmt.Sprintf("slugs[%d]", i), "%q is not a page or is named twice", s)
			}
			seen[s] = true
			out = append(out, pages[j])
		}
		return out, -1, nil
	})
}

// editPage applies fn to the blocks of one page and stores only that page.
func (b *Builder) editPage(ctx context.Context, op string, scope igny8.Scope, id, slug string, fn func(p *PageBlueprint) error) (PageBlueprint, error) {
	var out PageBlueprint
	_, err := b.editPages(ctx, op, scope, id, func(pages []PageBlueprint) ([]PageBlueprint, int, error) {
		i, err := findPage(pages, slug)
		if err != nil {
			return nil, 0, err
		}
		if err := fn(&pages[i]); err != nil {
			return nil, 0, err
		}
		out = pages[i]
		return pages, i, nil
	})
	if err != nil {
		return PageBlueprint{}, err
	}
	out.UpdatedAt = b.opts.Clock.Now().UTC()
	return out, nil
}

// commitPage applies fn to the stored page with pageID, fresh in the edit
// transaction, so that a step that worked on an older copy of the page
// (copy, images) does not undo edits made meanwhile to other pages.
func (b *Builder) commitPage(ctx context.Context, op string, scope igny8.Scope, id, pageID string, fn func(p *PageBlueprint) error) (PageBlueprint, error) {
	var out PageBlueprint
	_, err := b.editPages(ctx, op, scope, id, func(pages []PageBlueprint) ([]PageBlueprint, int, error) {
		for i := range pages {
			if pages[i].ID == pageID {
				if err := fn(&pages[i]); err != nil {
					return nil, 0, err
				}
				out = pages[i]
				return pages, i, nil
			}
		}
		return nil, 0, igny8.NotFound(op, "page", pageID)
	})
	if err != nil {
		return PageBlueprint{}, err
	}
	out.UpdatedAt = b.opts.Clock.Now().UTC()
	return out, nil
}

// UpdatePageInfo changes a page's slug, type, title and description
// (links to the old slug are not rewritten).
func (b *Builder) UpdatePageInfo(ctx context.Context, scope igny8.Scope, id, slug string, info PageBlueprint) (PageBlueprint, error) {
	return b.editPage(ctx, "sitebuilding.UpdatePageInfo", scope, id, slug, func(p *PageBlueprint) error {
		if p.Slug == HomeSlug && info.Slug != HomeSlug {
			return igny8.InvalidArgument("sitebuilding.UpdatePageInfo", "slug", "the home page keeps the slug %q", HomeSlug)
		}
		p.Slug, p.Type, p.Title, p.Description = info.Slug, info.Type, strings.TrimSpace(info.Title), info.Description
		return nil
	})
}

func checkIndex(op, field string, i, n int) error {
	if i < 0 || i >= n {
		return igny8.InvalidArgument(op, field, "%d is out of range (the page has %d blocks)", i, n)
	}
	return nil
}

// SetBlocks replaces the blocks of one page.
func (b *Builder) SetBlocks(ctx context.Context, scope igny8.Scope, id, slug string, blocks []Block) (PageBlueprint, error) {
	return b.editPage(ctx, "sitebuilding.SetBlocks", scope, id, slug, func(p *PageBlueprint) error {
		p.Blocks = append([]Block(nil), blocks...)
		return nil
	})
}

// AddBlock inserts a block into a page at index (at the end when index is
// out of range).
func (b *Builder) AddBlock(ctx context.Context, scope igny8.Scope, id, slug string, index int, bl Block) (PageBlueprint, error) {
	return b.editPage(ctx, "sitebuilding.AddBlock", scope, id, slug, func(p *PageBlueprint) error {
		if index < 0 || index > len(p.Blocks) {
			index = len(p.Blocks)
		}
		p.Blocks = append(p.Blocks[:index:index], append([]Block{bl}, p.Blocks[index:]...)...)
		return nil
	})
}

// UpdateBlock replaces block index of a page.
func (b *Builder) UpdateBlock(ctx context.Context, scope igny8.Scope, id, slug string, index int, bl Block) (PageBlueprint, error) {
	const op = "sitebuilding.UpdateBlock"
	return b.editPage(ctx, op, scope, id, slug, func(p *PageBlueprint) error {
		if err := checkIndex(op, "index", index, len(p.Blocks)); err != nil {
			return err
		}
		p.Blocks[index] = bl
		return nil
	})
}

// RemoveBlock removes block index of a page (a page keeps at least one).
func (b *Builder) RemoveBlock(ctx context.Context, scope igny8.Scope, id, slug string, index int) (PageBlueprint, error) {
	const op = "sitebuilding.RemoveBlock"
	return b.editPage(ctx, op, scope, id, slug, func(p *PageBlueprint) error {
		if err := checkIndex(op, "index", index, len(p.Blocks)); err != nil {
			return err
		}
		p.Blocks = append(p.Blocks[:index], p.Blocks[index+1:]...)
		return nil
	})
}

// MoveBlock moves block from to position to within a page.
func (b *Builder) MoveBlock(ctx context.Context, scope igny8.Scope, id, slug string, from, to int) (PageBlueprint, error) {
	const op = "sitebuilding.MoveBlock"
	return b.editPage(ctx, op, scope, id, slug, func(p *PageBlueprint) error {
		if err := checkIndex(op, "from", from, len(p.Blocks)); err != nil {
			return err
		}
		if err := checkIndex(op, "to", to, len(p.Blocks)); err != nil {
			return err
		}
		bl := p.Blocks[from]
		rest := append(p.Blocks[:from:from], p.Blocks[from+1:]...)
		p.Blocks = append(rest[:to:to], append([]Block{bl}, rest[to:]...)...)
		return nil
	})
}

// RegeneratePage writes the copy of one page again; the others are not
// touched.
func (b *Builder) RegeneratePage(ctx context.Context, scope igny8.Scope, id, slug string) (PageBlueprint, error) {
	res, err := b.GenerateCopy(ctx, scope, id, slug)
	if err != nil {
		return PageBlueprint{}, err
	}
	return res.Pages[0], nil
}

// RegenerateBlock writes the copy of one block again; the page's other
// blocks and the other pages are not touched.
func (b *Builder) RegenerateBlock(ctx context.Context, scope igny8.Scope, id, slug string, index int) (PageBlueprint, error) {
	const op = "sitebuilding.RegenerateBlock"
	bp, pages, err := b.Get(ctx, scope, id)
	if err != nil {
		return PageBlueprint{}, err
	}
	i, err := findPage(pages, slug)
	if err != nil {
		return PageBlueprint{}, err
	}
	if err := checkIndex(op, "index", index, len(pages[i].Blocks)); err != nil {
		return PageBlueprint{}, err
	}
	c := &converter{wizard: bp.Wizard, slugs: map[string]bool{}, clean: b.opts.Sanitize}
	for _, p := range pages {
		c.slugs[p.Slug] = true
		if p.Type == PageContact && c.contact == "" {
			c.contact = pagePath(p.Slug)
		}
	}
	written, err := b.writePage(ctx, scope.Site(), bp, pages[i], c, index)
	if err != nil {
		return PageBlueprint{}, err
	}
	return b.UpdateBlock(ctx, scope, id, slug, index, written.Blocks[index])
}
