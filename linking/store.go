package linking

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"sync"

	"github.com/igny8/sdk/igny8"
)

// LinkQuery selects link records. Empty fields match everything.
type LinkQuery struct {
	SourceID string
	TargetID string
	Page     igny8.PageRequest
}

// Store keeps the records of inserted links. MemStore is the in-memory
// one; a SQL store implements it in adapters, and every implementation
// proves itself with linking/linktest. Records live in a site: every method
// takes a scope naming one (scope.SiteID required), and never returns or
// changes a record of another scope (it answers NotFound).
type Store interface {
	// SaveLinks stores new records; an ID already stored is Conflict and
	// nothing is saved.
	SaveLinks(ctx context.Context, scope igny8.Scope, links []Link) error
	// ListLinks lists records in ID order after q.Page.After.
	ListLinks(ctx context.Context, scope igny8.Scope, q LinkQuery) ([]Link, error)
	// DeleteLinks deletes records by ID; an unknown ID is NotFound and
	// nothing is deleted.
	DeleteLinks(ctx context.Context, scope igny8.Scope, ids ...string) error
}

// MemStore is a Store in memory, safe for concurrent use.
type MemStore struct {
	mu    sync.Mutex
	links map[string]memLink
}

type memLink struct {
	scope igny8.Scope
	link  Link
}

var _ Store = (*MemStore)(nil)

// NewMemStore returns an empty MemStore.
func NewMemStore() *MemStore { return &MemStore{links: map[string]memLink{}} }

// SaveLinks implements Store.
func (m *MemStore) SaveLinks(ctx context.Context, scope igny8.Scope, links []Link) error {
	const op = "linking.MemStore.SaveLinks"
	if err := scope.RequireSite(op); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	seen := map[string]bool{}
	for i, l := range links {
		if l.ID == "" {
			return igny8.InvalidArgument(op, "links["+strconv.Itoa(i)+"].id", "is required")
		}
		if _, ok := m.links[l.ID]; ok || seen[l.ID] {
			return igny8.Errorf(igny8.CodeConflict, op, "link %q already exists", l.ID)
		}
		seen[l.ID] = true
	}
	for _, l := range links {
		m.links[l.ID] = memLink{scope: scope.Site(), link: l}
	}
	return nil
}

// ListLinks implements Store.
func (m *MemStore) ListLinks(ctx context.Context, scope igny8.Scope, q LinkQuery) ([]Link, error) {
	const op = "linking.MemStore.ListLinks"
	if err := scope.RequireSite(op); err != nil {
		return nil, err
	}
	page := q.Page.Normalize()
	m.mu.Lock()
	var out []Link
	for _, ml := range m.links {
		if ml.scope != scope.Site() || ml.link.ID <= page.After {
			continue
		}
		if q.SourceID != "" && ml.link.SourceID != q.SourceID || q.TargetID != "" && ml.link.TargetID != q.TargetID {
			continue
		}
		out = append(out, ml.link)
	}
	m.mu.Unlock()
	slices.SortFunc(out, func(a, b Link) int { return cmp.Compare(a.ID, b.ID) })
	if len(out) > page.Limit {
		out = out[:page.Limit]
	}
	return out, nil
}

// DeleteLinks implements Store.
func (m *MemStore) DeleteLinks(ctx context.Context, scope igny8.Scope, ids ...string) error {
	const op = "linking.MemStore.DeleteLinks"
	if err := scope.RequireSite(op); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, id := range ids {
		if ml, ok := m.links[id]; !ok || ml.scope != scope.Site() {
			return igny8.NotFound(op, "link", id)
		}
	}
	for _, id := range ids {
		delete(m.links, id)
	}
	return nil
}
