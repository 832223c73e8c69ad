package siteaudit

import (
	"context"
	"slices"
	"sync"

	"github.com/igny8/sdk/igny8"
)

// Store keeps a site's inventory of imported pages. adapters/sqlstore
// implements it; siteaudit/siteaudittest is its conformance suite. Every
// method needs a scope with a site; an item outside the scope answers
// NotFound.
type Store interface {
	// SaveItems inserts items, or replaces those whose ID exists in the
	// scope, all or none. Page.URL is unique per site: Conflict when
	// another item of the site holds it.
	SaveItems(ctx context.Context, scope igny8.Scope, items []Item) error
	GetItem(ctx context.Context, scope igny8.Scope, id string) (Item, error)
	GetItemByURL(ctx context.Context, scope igny8.Scope, url string) (Item, error)
	// ListItems lists the scope's items in ID order, page.After excluded.
	ListItems(ctx context.Context, scope igny8.Scope, page igny8.PageRequest) ([]Item, error)
	// DeleteItems deletes items by ID; IDs not in the scope are ignored.
	DeleteItems(ctx context.Context, scope igny8.Scope, ids ...string) error
}

// MemStore is an in-memory Store for tests and single-process hosts. It
// does not check that the scope's site exists.
type MemStore struct {
	mu    sync.Mutex
	items map[string]Item
}

var _ Store = (*MemStore)(nil)

// NewMemStore returns an empty MemStore.
func NewMemStore() *MemStore { return &MemStore{items: map[string]Item{}} }

func siteOf(s igny8.Scope) igny8.Scope { return s.Site() }

// SaveItems implements Store.
func (m *MemStore) SaveItems(ctx context.Context, scope igny8.Scope, items []Item) error {
	const op = "siteaudit.MemStore.SaveItems"
	if err := scope.RequireSite(op); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	urls := map[string]string{}
	for id, it := range m.items {
		if it.Scope == siteOf(scope) {
			urls[it.Page.URL] = id
		}
	}
	for _, it := range items {
		if it.ID == "" {
			return igny8.InvalidArgument(op, "items.id", "is required")
		}
		if old, ok := m.items[it.ID]; ok && old.Scope != siteOf(scope) {
			return igny8.Errorf(igny8.CodeConflict, op, "item %q exists in another scope", it.ID)
		}
		if id, ok := urls[it.Page.URL]; ok && id != it.ID {
			return igny8.Errorf(igny8.CodeConflict, op, "url %q is held by item %q", it.Page.URL, id)
		}
		urls[it.Page.URL] = it.ID
	}
	for _, it := range items {
		if old, ok := m.items[it.ID]; ok && old.Page.URL != it.Page.URL {
			delete(urls, old.Page.URL)
		}
		it.Scope = siteOf(scope)
		it.Page = clonePage(it.Page)
		m.items[it.ID] = it
	}
	return nil
}

func clonePage(p Page) Page {
	p.Redirects = slices.Clone(p.Redirects)
	p.Headings = slices.Clone(p.Headings)
	p.Links = slices.Clone(p.Links)
	p.Images = slices.Clone(p.Images)
	return p
}

// GetItem implements Store.
func (m *MemStore) GetItem(ctx context.Context, scope igny8.Scope, id string) (Item, error) {
	const op = "siteaudit.MemStore.GetItem"
	if err := scope.RequireSite(op); err != nil {
		return Item{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	it, ok := m.items[id]
	if !ok || it.Scope != siteOf(scope) {
		return Item{}, igny8.NotFound(op, "item", id)
	}
	it.Page = clonePage(it.Page)
	return it, nil
}

// GetItemByURL implements Store.
func (m *MemStore) GetItemByURL(ctx context.Context, scope igny8.Scope, url string) (Item, error) {
	const op = "siteaudit.MemStore.GetItemByURL"
	if err := scope.RequireSite(op); err != nil {
		return Item{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, it := range m.items {
		if it.Scope == siteOf(scope) && it.Page.URL == url {
			it.Page = clonePage(it.Page)
			return it, nil
		}
	}
	return Item{}, igny8.NotFound(op, "item with url", url)
}

// ListItems implements Store.
func (m *MemStore) ListItems(ctx context.Context, scope igny8.Scope, page igny8.PageRequest) ([]Item, error) {
	const op = "siteaudit.MemStore.ListItems"
	if err := scope.RequireSite(op); err != nil {
		return nil, err
	}
	page = page.Normalize()
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Item
	for _, it := range m.items {
		if it.Scope == siteOf(scope) && it.ID > page.After {
			it.Page = clonePage(it.Page)
			out = append(out, it)
		}
	}
	slices.SortFunc(out, func(a, b Item) int {
		switch {
		case a.ID < b.ID:
			return -1
		case a.ID > b.ID:
			return 1
		}
		return 0
	})
	if len(out) > page.Limit {
		out = out[:page.Limit]
	}
	return out, nil
}

// DeleteItems implements Store.
func (m *MemStore) DeleteItems(ctx context.Context, scope igny8.Scope, ids ...string) error {
	const op = "siteaudit.MemStore.DeleteItems"
	if err := scope.RequireSite(op); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, id := range ids {
		if it, ok := m.items[id]; ok && it.Scope == siteOf(scope) {
			delete(m.items, id)
		}
	}
	return nil
}

// listAll reads every item of the scope.
func listAll(ctx context.Context, s Store, scope igny8.Scope) ([]Item, error) {
	var out []Item
	after := ""
	for {
		items, err := s.ListItems(ctx, scope, igny8.PageRequest{Limit: igny8.MaxPageLimit, After: after})
		if err != nil {
			return nil, err
		}
		out = append(out, items...)
		if len(items) < igny8.MaxPageLimit {
			return out, nil
		}
		after = items[len(items)-1].ID
	}
}
