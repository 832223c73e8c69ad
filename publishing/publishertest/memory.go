package publishertest

import (
	"context"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/publishing"
)

// MemoryStore is a publishing.Store in memory, for tests and examples. A
// transaction holds the store's lock for its length and is undone when its
// function fails.
type MemoryStore struct {
	mu     sync.Mutex
	dests  map[string]publishing.Destination
	recs   map[string]publishing.Record
	events []igny8.Event
	seq    int64
	// undo holds, during a transaction, how to take back each change.
	undo []func()
	inTx bool
}

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{dests: map[string]publishing.Destination{}, recs: map[string]publishing.Record{}}
}

var _ publishing.Store = (*MemoryStore)(nil)

type txKey struct{ s *MemoryStore }

// lock takes the store's lock unless ctx is inside one of its transactions.
func (m *MemoryStore) lock(ctx context.Context) func() {
	if ctx.Value(txKey{m}) != nil {
		return func() {}
	}
	m.mu.Lock()
	return m.mu.Unlock
}

// InTx runs fn in a transaction.
func (m *MemoryStore) InTx(ctx context.Context, fn func(ctx context.Context) error) (err error) {
	if ctx.Value(txKey{m}) != nil {
		return fn(ctx)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	nev, seq := len(m.events), m.seq
	m.undo, m.inTx = m.undo[:0], true
	defer func() { m.undo, m.inTx = m.undo[:0], false }()
	undo := func() {
		for i := len(m.undo) - 1; i >= 0; i-- {
			m.undo[i]()
		}
		m.events, m.seq = m.events[:nev], seq
	}
	defer func() {
		if p := recover(); p != nil {
			undo()
			panic(p)
		}
		if err != nil {
			undo()
		}
	}()
	return fn(context.WithValue(ctx, txKey{m}, true))
}

// setDest and setRec change a row and remember how to undo it.
func (m *MemoryStore) setDest(id string, d *publishing.Destination) {
	if m.inTx {
		old, had := m.dests[id]
		m.undo = append(m.undo, func() {
			if had {
				m.dests[id] = old
			} else {
				delete(m.dests, id)
			}
		})
	}
	if d == nil {
		delete(m.dests, id)
	} else {
		m.dests[id] = *d
	}
}

func (m *MemoryStore) setRec(id string, r *publishing.Record) {
	if m.inTx {
		old, had := m.recs[id]
		m.undo = append(m.undo, func() {
			if had {
				m.recs[id] = old
			} else {
				delete(m.recs, id)
			}
		})
	}
	if r == nil {
		delete(m.recs, id)
	} else {
		m.recs[id] = *r
	}
}

// AppendEvents stores events with increasing Seq.
func (m *MemoryStore) AppendEvents(ctx context.Context, events ...igny8.Event) ([]igny8.Event, error) {
	defer m.lock(ctx)()
	out := make([]igny8.Event, len(events))
	for i, e := range events {
		m.seq++
		e.Seq = m.seq
		out[i] = e
		m.events = append(m.events, e)
	}
	return out, nil
}

// Events returns the events appended so far.
func (m *MemoryStore) Events() []igny8.Event {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.events)
}

func inScope(scope igny8.Scope, accountID, siteID string) bool {
	return scope.AccountID == accountID && (scope.SiteID == "" || scope.SiteID == siteID)
}

// CreateDestination stores d in scope.
func (m *MemoryStore) CreateDestination(ctx context.Context, scope igny8.Scope, d publishing.Destination) error {
	const op = "publishertest.MemoryStore.CreateDestination"
	if err := scope.RequireSite(op); err != nil {
		return err
	}
	defer m.lock(ctx)()
	if _, ok := m.dests[d.ID]; ok {
		return igny8.Errorf(igny8.CodeConflict, op, "destination %q exists", d.ID)
	}
	for _, o := range m.dests {
		if o.AccountID == scope.AccountID && o.SiteID == scope.SiteID && o.Name == d.Name {
			return igny8.Errorf(igny8.CodeConflict, op, "destination name %q is taken in site %s", d.Name, scope.SiteID)
		}
	}
	d.AccountID, d.SiteID = scope.AccountID, scope.SiteID
	d.Settings = maps.Clone(d.Settings)
	m.setDest(d.ID, &d)
	return nil
}

// GetDestination returns a destination in scope.
func (m *MemoryStore) GetDestination(ctx context.Context, scope igny8.Scope, id string) (publishing.Destination, error) {
	defer m.lock(ctx)()
	d, ok := m.dests[id]
	if !ok || !inScope(scope, d.AccountID, d.SiteID) {
		return publishing.Destination{}, igny8.NotFound("publishertest.MemoryStore.GetDestination", "destination", id)
	}
	d.Settings = maps.Clone(d.Settings)
	return d, nil
}

// ListDestinations lists destinations in scope by id.
func (m *MemoryStore) ListDestinations(ctx context.Context, scope igny8.Scope, page igny8.PageRequest) ([]publishing.Destination, error) {
	defer m.lock(ctx)()
	var out []publishing.Destination
	for _, id := range slices.Sorted(maps.Keys(m.dests)) {
		d := m.dests[id]
		if inScope(scope, d.AccountID, d.SiteID) && id > page.After {
			d.Settings = maps.Clone(d.Settings)
			out = append(out, d)
		}
	}
	return limit(out, page.Limit), nil
}

// UpdateDestination changes a destination's name, settings, secret and
// active flag.
func (m *MemoryStore) UpdateDestination(ctx context.Context, scope igny8.Scope, d publishing.Destination) error {
	defer m.lock(ctx)()
	cur, ok := m.dests[d.ID]
	if !ok || !inScope(scope, cur.AccountID, cur.SiteID) {
		return igny8.NotFound("publishertest.MemoryStore.UpdateDestination", "destination", d.ID)
	}
	cur.Name, cur.Settings, cur.Secret, cur.Active, cur.UpdatedAt = d.Name, maps.Clone(d.Settings), d.Secret, d.Active, d.UpdatedAt
	m.setDest(d.ID, &cur)
	return nil
}

// DeleteDestination deletes a destination and its records.
func (m *MemoryStore) DeleteDestination(ctx context.Context, scope igny8.Scope, id string) error {
	defer m.lock(ctx)()
	cur, ok := m.dests[id]
	if !ok || !inScope(scope, cur.AccountID, cur.SiteID) {
		return igny8.NotFound("publishertest.MemoryStore.DeleteDestination", "destination", id)
	}
	m.setDest(id, nil)
	for rid, r := range m.recs {
		if r.DestinationID == id {
			m.setRec(rid, nil)
		}
	}
	return nil
}

// CreatePublishRecord stores r; one per (content, destination).
func (m *MemoryStore) CreatePublishRecord(ctx context.Context, scope igny8.Scope, r publishing.Record) error {
	const op = "publishertest.MemoryStore.CreatePublishRecord"
	if err := scope.RequireSite(op); err != nil {
		return err
	}
	defer m.lock(ctx)()
	d, ok := m.dests[r.DestinationID]
	if !ok || !inScope(scope, d.AccountID, d.SiteID) {
		return igny8.NotFound(op, "destination", r.DestinationID)
	}
	for _, o := range m.recs {
		if o.ID == r.ID || (o.ContentID == r.ContentID && o.DestinationID == r.DestinationID) {
			return igny8.Errorf(igny8.CodeConflict, op, "record of content %s at destination %s exists", r.ContentID, r.DestinationID)
		}
	}
	r.AccountID, r.SiteID = scope.AccountID, scope.SiteID
	m.setRec(r.ID, &r)
	return nil
}

// GetPublishRecord returns the record of a content at a destination.
func (m *MemoryStore) GetPublishRecord(ctx context.Context, scope igny8.Scope, contentID, destinationID string) (publishing.Record, error) {
	defer m.lock(ctx)()
	for _, r := range m.recs {
		if r.ContentID == contentID && r.DestinationID == destinationID && inScope(scope, r.AccountID, r.SiteID) {
			return r, nil
		}
	}
	return publishing.Record{}, igny8.NotFound("publishertest.MemoryStore.GetPublishRecord", "record", contentID+"@"+destinationID)
}

// UpdatePublishRecord replaces a record whose stored revision is r.Revision-1.
func (m *MemoryStore) UpdatePublishRecord(ctx context.Context, scope igny8.Scope, r publishing.Record) error {
	const op = "publishertest.MemoryStore.UpdatePublishRecord"
	defer m.lock(ctx)()
	cur, ok := m.recs[r.ID]
	if !ok || !inScope(scope, cur.AccountID, cur.SiteID) {
		return igny8.NotFound(op, "record", r.ID)
	}
	if cur.Revision != r.Revision-1 {
		return igny8.Errorf(igny8.CodeConflict, op, "record %s is at revision %d, not %d", r.ID, cur.Revision, r.Revision-1)
	}
	r.AccountID, r.SiteID, r.ContentID, r.DestinationID, r.CreatedAt = cur.AccountID, cur.SiteID, cur.ContentID, cur.DestinationID, cur.CreatedAt
	m.setRec(r.ID, &r)
	return nil
}

// ListPublishRecords lists records in scope by id.
func (m *MemoryStore) ListPublishRecords(ctx context.Context, scope igny8.Scope, q publishing.RecordQuery) ([]publishing.Record, error) {
	defer m.lock(ctx)()
	var out []publishing.Record
	for _, id := range slices.Sorted(maps.Keys(m.recs)) {
		r := m.recs[id]
		if !inScope(scope, r.AccountID, r.SiteID) || id <= q.Page.After ||
			(q.ContentID != "" && r.ContentID != q.ContentID) ||
			(q.DestinationID != "" && r.DestinationID != q.DestinationID) ||
			(q.Status != "" && r.Status != q.Status) {
			continue
		}
		out = append(out, r)
	}
	return limit(out, q.Page.Limit), nil
}

func limit[T any](s []T, n int) []T {
	if n <= 0 {
		n = igny8.DefaultPageLimit
	}
	n = min(n, igny8.MaxPageLimit)
	if len(s) > n {
		s = s[:n]
	}
	return s
}

// Fault makes one call of a Memory publisher fail: before it changes
// anything, or (After) after the change, as when the answer is lost.
type Fault struct {
	Err   error
	After bool
}

// Memory is a Publisher, Finder and Updater that keeps items in memory,
// like a remote that does not deduplicate creates (as WordPress does not):
// a service that retried a create blindly would leave two items. An item's
// public address is its Receipt.URL, memory://items/<remote id>; FindPage
// also accepts it with a trailing slash. Every write (create, update,
// UpdatePage) moves the item's modified time forward, so a RemotePage read
// before a write is stale. Inject lets a test fail calls.
type Memory struct {
	// Inject, when set, is asked before each call ("publish", "unpublish",
	// "find", "findpage", "updatepage"); a Fault with an Err fails that
	// call. For "findpage" the item is the one the address names (zero
	// when none), and a Fault fails the call whether or not After is set;
	// for "updatepage" it is the item as it would be written (its HTML the
	// new content, RemoteID the page's id).
	Inject func(op string, item publishing.Item) Fault

	mu      sync.Mutex
	next    int
	items   map[string]publishing.Item
	mods    map[string]time.Time
	last    time.Time
	creates int
}

// NewMemory returns an empty Memory publisher.
func NewMemory() *Memory {
	return &Memory{items: map[string]publishing.Item{}, mods: map[string]time.Time{}}
}

var (
	_ publishing.Publisher = (*Memory)(nil)
	_ publishing.Finder    = (*Memory)(nil)
	_ publishing.Updater   = (*Memory)(nil)
)

// pageURLPrefix is the public address of Memory's items, before the id.
const pageURLPrefix = "memory://items/"

// put stores it and moves its modified time past every earlier write; m.mu
// is held.
func (m *Memory) put(it publishing.Item) time.Time {
	now := time.Now().UTC().Round(0)
	if !now.After(m.last) {
		now = m.last.Add(time.Microsecond)
	}
	m.last = now
	m.items[it.RemoteID] = it
	m.mods[it.RemoteID] = now
	return now
}

func (m *Memory) fault(op string, it publishing.Item) Fault {
	if m.Inject == nil {
		return Fault{}
	}
	return m.Inject(op, it)
}

// Publish creates or updates an item.
func (m *Memory) Publish(ctx context.Context, item publishing.Item) (publishing.Receipt, error) {
	const op = "publishertest.Memory.Publish"
	if err := item.Validate(op); err != nil {
		return publishing.Receipt{}, err
	}
	if err := ctx.Err(); err != nil {
		return publishing.Receipt{}, igny8.Wrap(igny8.CodeUnavailable, op, err)
	}
	f := m.fault("publish", item)
	if f.Err != nil && !f.After {
		return publishing.Receipt{}, f.Err
	}
	m.mu.Lock()
	id := item.RemoteID
	if id == "" {
		m.next++
		m.creates++
		id = strconv.Itoa(m.next)
	} else if _, ok := m.items[id]; !ok {
		m.mu.Unlock()
		return publishing.Receipt{}, igny8.NotFound(op, "item", id)
	}
	item.RemoteID = id
	m.put(item)
	m.mu.Unlock()
	if f.Err != nil {
		return publishing.Receipt{}, f.Err
	}
	return m.receipt(item), nil
}

func (m *Memory) receipt(it publishing.Item) publishing.Receipt {
	return publishing.Receipt{RemoteID: it.RemoteID, URL: pageURLPrefix + it.RemoteID, IdempotencyKey: it.IdempotencyKey, RemoteStatus: string(it.Status)}
}

// Unpublish deletes an item; a missing one is no error.
func (m *Memory) Unpublish(ctx context.Context, r publishing.Receipt) error {
	if err := ctx.Err(); err != nil {
		return igny8.Wrap(igny8.CodeUnavailable, "publishertest.Memory.Unpublish", err)
	}
	f := m.fault("unpublish", publishing.Item{RemoteID: r.RemoteID, IdempotencyKey: r.IdempotencyKey})
	if f.Err != nil && !f.After {
		return f.Err
	}
	m.mu.Lock()
	delete(m.items, r.RemoteID)
	delete(m.mods, r.RemoteID)
	m.mu.Unlock()
	return f.Err
}

// FindByKey finds the item created with key.
func (m *Memory) FindByKey(ctx context.Context, key string) (publishing.Receipt, bool, error) {
	if err := ctx.Err(); err != nil {
		return publishing.Receipt{}, false, igny8.Wrap(igny8.CodeUnavailable, "publishertest.Memory.FindByKey", err)
	}
	if f := m.fault("find", publishing.Item{IdempotencyKey: key}); f.Err != nil {
		return publishing.Receipt{}, false, f.Err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, id := range slices.Sorted(maps.Keys(m.items)) {
		if it := m.items[id]; it.IdempotencyKey == key {
			return m.receipt(it), true, nil
		}
	}
	return publishing.Receipt{}, false, nil
}

// FindPage returns the live item whose address is pageURL (its
// Receipt.URL, a trailing slash aside), with its HTML as the content. An
// address that is not absolute is InvalidArgument on page_url; one no item
// has answers false.
func (m *Memory) FindPage(ctx context.Context, pageURL string) (publishing.RemotePage, bool, error) {
	const op = "publishertest.Memory.FindPage"
	if u, err := url.Parse(pageURL); err != nil || !u.IsAbs() || u.Host == "" {
		return publishing.RemotePage{}, false, igny8.InvalidArgument(op, "page_url", "must be an absolute URL, got %q", pageURL)
	}
	if err := ctx.Err(); err != nil {
		return publishing.RemotePage{}, false, igny8.Wrap(igny8.CodeUnavailable, op, err)
	}
	id, ok := strings.CutPrefix(strings.TrimSuffix(pageURL, "/"), pageURLPrefix)
	m.mu.Lock()
	it, found := m.items[id]
	page := m.page(it)
	m.mu.Unlock()
	found = found && ok && id != ""
	if !found {
		it, page = publishing.Item{}, publishing.RemotePage{}
	}
	if f := m.fault("findpage", it); f.Err != nil {
		return publishing.RemotePage{}, false, f.Err
	}
	return page, found, nil
}

// page returns it as a RemotePage; m.mu is held.
func (m *Memory) page(it publishing.Item) publishing.RemotePage {
	return publishing.RemotePage{ID: it.RemoteID, URL: pageURLPrefix + it.RemoteID, Modified: m.mods[it.RemoteID], Content: it.HTML}
}

// UpdatePage replaces the HTML of the item page.ID with content, unless
// the item's HTML or modified time differ from page's (it changed since
// page was read): then it fails with Conflict and writes nothing. An item
// that is gone is NotFound; an empty id or content is InvalidArgument.
func (m *Memory) UpdatePage(ctx context.Context, page publishing.RemotePage, content string) (publishing.RemotePage, error) {
	const op = "publishertest.Memory.UpdatePage"
	if page.ID == "" {
		return publishing.RemotePage{}, igny8.InvalidArgument(op, "page.id", "is required")
	}
	if strings.TrimSpace(content) == "" {
		return publishing.RemotePage{}, igny8.InvalidArgument(op, "content", "is empty")
	}
	if err := ctx.Err(); err != nil {
		return publishing.RemotePage{}, igny8.Wrap(igny8.CodeUnavailable, op, err)
	}
	m.mu.Lock()
	want, ok := m.items[page.ID]
	m.mu.Unlock()
	if !ok {
		want = publishing.Item{RemoteID: page.ID}
	}
	want.HTML = content
	f := m.fault("updatepage", want)
	if f.Err != nil && !f.After {
		return publishing.RemotePage{}, f.Err
	}
	m.mu.Lock()
	cur, ok := m.items[page.ID]
	if !ok {
		m.mu.Unlock()
		return publishing.RemotePage{}, igny8.NotFound(op, "page", page.ID)
	}
	if mod := m.mods[page.ID]; cur.HTML != page.Content || !mod.Equal(page.Modified) {
		m.mu.Unlock()
		return publishing.RemotePage{}, igny8.Errorf(igny8.CodeConflict, op,
			"item %s changed since it was read (modified %s, read at %s); read it again",
			page.ID, mod.Format(time.RFC3339Nano), page.Modified.Format(time.RFC3339Nano))
	}
	cur.HTML = content
	m.put(cur)
	out := m.page(cur)
	m.mu.Unlock()
	if f.Err != nil {
		return publishing.RemotePage{}, f.Err
	}
	return out, nil
}

// Get returns the item with a remote id.
func (m *Memory) Get(remoteID string) (publishing.Item, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	it, ok := m.items[remoteID]
	return it, ok
}

// Len returns how many items are live.
func (m *Memory) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.items)
}

// Creates returns how many creates succeeded at the remote, answer lost or
// not.
func (m *Memory) Creates() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.creates
}
