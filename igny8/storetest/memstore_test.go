package storetest_test

import (
	"context"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/igny8/sdk/igny8"
)

// memStore is a small in-memory igny8.Store, written for this package's
// tests: it lets the suite prove itself (and the examples run) without a
// database. A transaction holds the store's lock from start to end and works
// on a copy of the state that replaces it on commit, so transactions are
// serializable and a rollback leaves no trace.
type memStore struct {
	mu sync.Mutex
	st *memState
	// broken names a deliberate bug (see brokenStores), "" for none.
	broken string
}

type memState struct {
	plans    map[string]igny8.Plan
	accounts map[string]igny8.Account
	sites    map[string]igny8.Site
	sectors  map[string]igny8.Sector
	users    map[string]igny8.User
	usage    map[igny8.UsageKey]int64
	ledger   []igny8.LedgerEntry
	events   []igny8.Event
	cursors  map[cursorKey]int64
	seq      int64
}

type cursorKey struct {
	consumer string
	scope    igny8.Scope
}

func newMemStore() *memStore {
	return &memStore{st: &memState{
		plans:    map[string]igny8.Plan{},
		accounts: map[string]igny8.Account{},
		sites:    map[string]igny8.Site{},
		sectors:  map[string]igny8.Sector{},
		users:    map[string]igny8.User{},
		usage:    map[igny8.UsageKey]int64{},
		cursors:  map[cursorKey]int64{},
	}}
}

func (s *memState) clone() *memState {
	return &memState{
		plans:    maps(s.plans),
		accounts: maps(s.accounts),
		sites:    maps(s.sites),
		sectors:  maps(s.sectors),
		users:    maps(s.users),
		usage:    maps(s.usage),
		ledger:   slices.Clone(s.ledger),
		events:   slices.Clone(s.events),
		cursors:  maps(s.cursors),
		seq:      s.seq,
	}
}

func maps[K comparable, V any](m map[K]V) map[K]V {
	out := make(map[K]V, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

type memTxKey struct{}

// InTx runs fn on a copy of the state under the store's lock and keeps
// the copy if fn returns nil. A panic unwinds past the commit, so the copy
// is dropped and the panic goes on.
func (m *memStore) InTx(ctx context.Context, fn func(ctx context.Context) error) error {
	if _, ok := ctx.Value(memTxKey{}).(*memState); ok {
		return fn(ctx)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	tx := m.st.clone()
	if err := fn(context.WithValue(ctx, memTxKey{}, tx)); err != nil {
		if m.broken == "no-rollback" {
			m.st = tx
		}
		return err
	}
	m.st = tx
	return nil
}

// do runs f on the transaction's state, or on the store's under its lock.
// Every f checks before it writes, so an error leaves the state as it was.
func (m *memStore) do(ctx context.Context, f func(st *memState) error) error {
	if st, ok := ctx.Value(memTxKey{}).(*memState); ok {
		return f(st)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return f(m.st)
}

func conflict(op, format string, args ...any) error {
	return igny8.Errorf(igny8.CodeConflict, op, format, args...)
}

// page returns the items after p.After, sorted by ID, at most p.Limit.
func page[T any](items []T, id func(T) string, p igny8.PageRequest) []T {
	p = p.Normalize()
	sort.Slice(items, func(i, j int) bool { return id(items[i]) < id(items[j]) })
	out := []T{}
	for _, it := range items {
		if id(it) > p.After {
			out = append(out, it)
			if len(out) == p.Limit {
				break
			}
		}
	}
	return out
}

func (m *memStore) CreatePlan(ctx context.Context, p igny8.Plan) error {
	return m.do(ctx, func(st *memState) error {
		if _, ok := st.plans[p.ID]; ok {
			return conflict("mem.CreatePlan", "plan %q exists", p.ID)
		}
		p.Limits, p.Costs = maps(p.Limits), maps(p.Costs)
		st.plans[p.ID] = p
		return nil
	})
}

func (m *memStore) GetPlan(ctx context.Context, id string) (p igny8.Plan, err error) {
	err = m.do(ctx, func(st *memState) error {
		var ok bool
		if p, ok = st.plans[id]; !ok {
			return igny8.NotFound("mem.GetPlan", "plan", id)
		}
		return nil
	})
	return p, err
}

func (m *memStore) UpdatePlan(ctx context.Context, p igny8.Plan) error {
	return m.do(ctx, func(st *memState) error {
		old, ok := st.plans[p.ID]
		if !ok {
			return igny8.NotFound("mem.UpdatePlan", "plan", p.ID)
		}
		p.CreatedAt = old.CreatedAt
		p.Limits, p.Costs = maps(p.Limits), maps(p.Costs)
		st.plans[p.ID] = p
		return nil
	})
}

func (m *memStore) ListPlans(ctx context.Context) (out []igny8.Plan, err error) {
	err = m.do(ctx, func(st *memState) error {
		for _, p := range st.plans {
			out = append(out, p)
		}
		return nil
	})
	return out, err
}

func (m *memStore) CreateAccount(ctx context.Context, a igny8.Account) error {
	return m.do(ctx, func(st *memState) error {
		if _, ok := st.accounts[a.ID]; ok {
			return conflict("mem.CreateAccount", "account %q exists", a.ID)
		}
		a.CreditBalance = 0
		st.accounts[a.ID] = a
		return nil
	})
}

func (m *memStore) GetAccount(ctx context.Context, id string) (a igny8.Account, err error) {
	err = m.do(ctx, func(st *memState) error {
		var ok bool
		if a, ok = st.accounts[id]; !ok {
			return igny8.NotFound("mem.GetAccount", "account", id)
		}
		return nil
	})
	return a, err
}

func (m *memStore) UpdateAccount(ctx context.Context, a igny8.Account) error {
	return m.do(ctx, func(st *memState) error {
		old, ok := st.accounts[a.ID]
		if !ok {
			return igny8.NotFound("mem.UpdateAccount", "account", a.ID)
		}
		old.Name, old.PlanID, old.TimeZone, old.IsSystem, old.UpdatedAt = a.Name, a.PlanID, a.TimeZone, a.IsSystem, a.UpdatedAt
		st.accounts[a.ID] = old
		return nil
	})
}

func (m *memStore) ListAccounts(ctx context.Context, p igny8.PageRequest) (out []igny8.Account, err error) {
	err = m.do(ctx, func(st *memState) error {
		var all []igny8.Account
		for _, a := range st.accounts {
			all = append(all, a)
		}
		out = page(all, func(a igny8.Account) string { return a.ID }, p)
		return nil
	})
	return out, err
}

func siteIn(st *memState, scope igny8.Scope, id string) (igny8.Site, bool) {
	s, ok := st.sites[id]
	return s, ok && s.AccountID == scope.AccountID && (scope.SiteID == "" || scope.SiteID == id)
}

func (m *memStore) CreateSite(ctx context.Context, scope igny8.Scope, s igny8.Site) error {
	return m.do(ctx, func(st *memState) error {
		if _, ok := st.sites[s.ID]; ok {
			return conflict("mem.CreateSite", "site %q exists", s.ID)
		}
		s.AccountID = scope.AccountID
		if m.broken == "second-precision" {
			s.CreatedAt, s.UpdatedAt = s.CreatedAt.Truncate(time.Second), s.UpdatedAt.Truncate(time.Second)
		}
		st.sites[s.ID] = s
		return nil
	})
}

func (m *memStore) GetSite(ctx context.Context, scope igny8.Scope, id string) (s igny8.Site, err error) {
	err = m.do(ctx, func(st *memState) error {
		var ok bool
		if s, ok = siteIn(st, scope, id); !ok {
			return igny8.NotFound("mem.GetSite", "site", id)
		}
		return nil
	})
	return s, err
}

func (m *memStore) ListSites(ctx context.Context, scope igny8.Scope, p igny8.PageRequest) (out []igny8.Site, err error) {
	err = m.do(ctx, func(st *memState) error {
		var all []igny8.Site
		for id := range st.sites {
			if s, ok := siteIn(st, scope, id); ok {
				all = append(all, s)
			}
		}
		out = page(all, func(s igny8.Site) string { return s.ID }, p)
		return nil
	})
	return out, err
}

func (m *memStore) UpdateSite(ctx context.Context, scope igny8.Scope, s igny8.Site) error {
	return m.do(ctx, func(st *memState) error {
		old, ok := siteIn(st, scope, s.ID)
		if !ok {
			return igny8.NotFound("mem.UpdateSite", "site", s.ID)
		}
		old.Name, old.Domain, old.Active, old.UpdatedAt = s.Name, s.Domain, s.Active, s.UpdatedAt
		st.sites[s.ID] = old
		return nil
	})
}

func (m *memStore) DeleteSite(ctx context.Context, scope igny8.Scope, id string) error {
	return m.do(ctx, func(st *memState) error {
		if _, ok := siteIn(st, scope, id); !ok {
			return igny8.NotFound("mem.DeleteSite", "site", id)
		}
		delete(st.sites, id)
		for sid, sec := range st.sectors {
			if sec.SiteID == id && m.broken != "no-cascade" {
				delete(st.sectors, sid)
			}
		}
		return nil
	})
}

func sectorIn(st *memState, scope igny8.Scope, id string) (igny8.Sector, bool) {
	s, ok := st.sectors[id]
	return s, ok && s.AccountID == scope.AccountID && (scope.SiteID == "" || scope.SiteID == s.SiteID) &&
		(scope.SectorID == "" || scope.SectorID == id)
}

func (m *memStore) CreateSector(ctx context.Context, scope igny8.Scope, s igny8.Sector) error {
	return m.do(ctx, func(st *memState) error {
		if _, ok := siteIn(st, scope.Site(), scope.SiteID); !ok || scope.SiteID == "" {
			return igny8.NotFound("mem.CreateSector", "site", scope.SiteID)
		}
		if _, ok := st.sectors[s.ID]; ok {
			return conflict("mem.CreateSector", "sector %q exists", s.ID)
		}
		s.AccountID, s.SiteID = scope.AccountID, scope.SiteID
		st.sectors[s.ID] = s
		return nil
	})
}

func (m *memStore) GetSector(ctx context.Context, scope igny8.Scope, id string) (s igny8.Sector, err error) {
	err = m.do(ctx, func(st *memState) error {
		var ok bool
		if s, ok = sectorIn(st, scope, id); !ok {
			return igny8.NotFound("mem.GetSector", "sector", id)
		}
		return nil
	})
	return s, err
}

func (m *memStore) ListSectors(ctx context.Context, scope igny8.Scope, p igny8.PageRequest) (out []igny8.Sector, err error) {
	err = m.do(ctx, func(st *memState) error {
		var all []igny8.Sector
		for id := range st.sectors {
			if s, ok := sectorIn(st, scope, id); ok {
				all = append(all, s)
			}
		}
		out = page(all, func(s igny8.Sector) string { return s.ID }, p)
		return nil
	})
	return out, err
}

func (m *memStore) UpdateSector(ctx context.Context, scope igny8.Scope, s igny8.Sector) error {
	return m.do(ctx, func(st *memState) error {
		old, ok := sectorIn(st, scope, s.ID)
		if !ok {
			return igny8.NotFound("mem.UpdateSector", "sector", s.ID)
		}
		old.Name, old.Slug, old.UpdatedAt = s.Name, s.Slug, s.UpdatedAt
		st.sectors[s.ID] = old
		return nil
	})
}

func (m *memStore) DeleteSector(ctx context.Context, scope igny8.Scope, id string) error {
	return m.do(ctx, func(st *memState) error {
		if _, ok := sectorIn(st, scope, id); !ok {
			return igny8.NotFound("mem.DeleteSector", "sector", id)
		}
		delete(st.sectors, id)
		return nil
	})
}

func userIn(st *memState, scope igny8.Scope, id string) (igny8.User, bool) {
	u, ok := st.users[id]
	return u, ok && u.AccountID == scope.AccountID
}

func emailTaken(st *memState, account, email, except string) bool {
	for _, u := range st.users {
		if u.AccountID == account && strings.EqualFold(u.Email, email) && u.ID != except {
			return true
		}
	}
	return false
}

func (m *memStore) CreateUser(ctx context.Context, scope igny8.Scope, u igny8.User) error {
	return m.do(ctx, func(st *memState) error {
		if _, ok := st.users[u.ID]; ok {
			return conflict("mem.CreateUser", "user %q exists", u.ID)
		}
		if emailTaken(st, scope.AccountID, u.Email, "") {
			return conflict("mem.CreateUser", "email %q is taken in the account", u.Email)
		}
		u.AccountID = scope.AccountID
		st.users[u.ID] = u
		return nil
	})
}

func (m *memStore) GetUser(ctx context.Context, scope igny8.Scope, id string) (u igny8.User, err error) {
	err = m.do(ctx, func(st *memState) error {
		var ok bool
		if u, ok = userIn(st, scope, id); !ok {
			return igny8.NotFound("mem.GetUser", "user", id)
		}
		return nil
	})
	return u, err
}

func (m *memStore) GetUserByEmail(ctx context.Context, scope igny8.Scope, email string) (u igny8.User, err error) {
	err = m.do(ctx, func(st *memState) error {
		for _, c := range st.users {
			if c.AccountID == scope.AccountID && strings.EqualFold(c.Email, email) {
				u = c
				return nil
			}
		}
		return igny8.NotFound("mem.GetUserByEmail", "user", email)
	})
	return u, err
}

func (m *memStore) ListUsers(ctx context.Context, scope igny8.Scope, p igny8.PageRequest) (out []igny8.User, err error) {
	err = m.do(ctx, func(st *memState) error {
		var all []igny8.User
		for id := range st.users {
			if u, ok := userIn(st, scope, id); ok {
				all = append(all, u)
			}
		}
		out = page(all, func(u igny8.User) string { return u.ID }, p)
		return nil
	})
	return out, err
}

func (m *memStore) UpdateUser(ctx context.Context, scope igny8.Scope, u igny8.User) error {
	return m.do(ctx, func(st *memState) error {
		old, ok := userIn(st, scope, u.ID)
		if !ok {
			return igny8.NotFound("mem.UpdateUser", "user", u.ID)
		}
		if emailTaken(st, scope.AccountID, u.Email, u.ID) {
			return conflict("mem.UpdateUser", "email %q is taken in the account", u.Email)
		}
		old.Email, old.Name, old.Role, old.IsSuperuser, old.UpdatedAt = u.Email, u.Name, u.Role, u.IsSuperuser, u.UpdatedAt
		st.users[u.ID] = old
		return nil
	})
}

func (m *memStore) DeleteUser(ctx context.Context, scope igny8.Scope, id string) error {
	return m.do(ctx, func(st *memState) error {
		if _, ok := userIn(st, scope, id); !ok {
			return igny8.NotFound("mem.DeleteUser", "user", id)
		}
		delete(st.users, id)
		return nil
	})
}

func (m *memStore) ReserveUsage(ctx context.Context, key igny8.UsageKey, n, max int64) (used int64, err error) {
	if m.broken == "racy-reserve" {
		// Check, then write in a second step: the classic lost race.
		cur, err := m.GetUsage(ctx, key)
		if err != nil {
			return 0, err
		}
		if max >= 0 && cur+n > max {
			return cur, &igny8.LimitError{Limit: key.Limit, Max: max, Used: cur, Requested: n}
		}
		time.Sleep(time.Millisecond)
		err = m.do(ctx, func(st *memState) error {
			st.usage[key] += n
			used = st.usage[key]
			return nil
		})
		return used, err
	}
	err = m.do(ctx, func(st *memState) error {
		cur := st.usage[key]
		if max >= 0 && cur+n > max {
			used = cur
			return &igny8.LimitError{Op: "mem.ReserveUsage", Limit: key.Limit, Max: max, Used: cur, Requested: n, Period: key.Period}
		}
		used = cur + n
		st.usage[key] = used
		return nil
	})
	return used, err
}

func (m *memStore) ReleaseUsage(ctx context.Context, key igny8.UsageKey, n int64) error {
	return m.do(ctx, func(st *memState) error {
		st.usage[key] = max(0, st.usage[key]-n)
		return nil
	})
}

func (m *memStore) GetUsage(ctx context.Context, key igny8.UsageKey) (used int64, err error) {
	err = m.do(ctx, func(st *memState) error {
		used = st.usage[key]
		return nil
	})
	return used, err
}

func (m *memStore) ApplyLedger(ctx context.Context, e igny8.LedgerEntry) (out igny8.LedgerEntry, err error) {
	const op = "mem.ApplyLedger"
	err = m.do(ctx, func(st *memState) error {
		a, ok := st.accounts[e.AccountID]
		if !ok {
			return igny8.NotFound(op, "account", e.AccountID)
		}
		for _, old := range st.ledger {
			if old.AccountID == e.AccountID && old.IdempotencyKey == e.IdempotencyKey && m.broken != "no-idempotency" {
				if old.Kind != e.Kind || old.Amount != e.Amount {
					return conflict(op, "idempotency key %q was used for a %s of %d", e.IdempotencyKey, old.Kind, old.Amount)
				}
				out = old
				return nil
			}
		}
		if a.CreditBalance+e.Amount < 0 && m.broken != "overdraft" {
			return &igny8.CreditError{Op: op, AccountID: a.ID, Balance: a.CreditBalance, Requested: -e.Amount}
		}
		a.CreditBalance += e.Amount
		e.BalanceAfter = a.CreditBalance
		st.accounts[a.ID] = a
		st.ledger = append(st.ledger, e)
		out = e
		return nil
	})
	return out, err
}

func (m *memStore) GetLedgerEntry(ctx context.Context, accountID, key string) (out igny8.LedgerEntry, err error) {
	err = m.do(ctx, func(st *memState) error {
		for _, e := range st.ledger {
			if e.AccountID == accountID && e.IdempotencyKey == key {
				out = e
				return nil
			}
		}
		return igny8.NotFound("mem.GetLedgerEntry", "ledger entry", key)
	})
	return out, err
}

func (m *memStore) ListLedger(ctx context.Context, accountID string, p igny8.PageRequest) (out []igny8.LedgerEntry, err error) {
	err = m.do(ctx, func(st *memState) error {
		var all []igny8.LedgerEntry
		for _, e := range st.ledger {
			if e.AccountID == accountID {
				all = append(all, e)
			}
		}
		out = page(all, func(e igny8.LedgerEntry) string { return e.ID }, p)
		return nil
	})
	return out, err
}

func (m *memStore) AppendEvents(ctx context.Context, events ...igny8.Event) (out []igny8.Event, err error) {
	err = m.do(ctx, func(st *memState) error {
		for _, ev := range events {
			st.seq++
			ev.Seq = st.seq
			st.events = append(st.events, ev)
			out = append(out, ev)
		}
		return nil
	})
	return out, err
}

func (m *memStore) ReadEvents(ctx context.Context, q igny8.EventQuery) (out []igny8.Event, err error) {
	if q.Limit <= 0 {
		q.Limit = igny8.DefaultPageLimit
	}
	err = m.do(ctx, func(st *memState) error {
		after := st.cursors[cursorKey{q.Consumer, q.Scope}]
		for _, ev := range st.events {
			if ev.Seq <= after || (q.Scope.AccountID != "" && !q.Scope.Contains(ev.Scope)) {
				continue
			}
			if len(q.Types) > 0 && !slices.Contains(q.Types, ev.Type) {
				continue
			}
			out = append(out, ev)
			if len(out) == q.Limit {
				break
			}
		}
		return nil
	})
	return out, err
}

func (m *memStore) AckEvents(ctx context.Context, consumer string, scope igny8.Scope, seq int64) error {
	return m.do(ctx, func(st *memState) error {
		k := cursorKey{consumer, scope}
		if m.broken == "ack-backwards" {
			st.cursors[k] = seq
			return nil
		}
		st.cursors[k] = max(st.cursors[k], seq)
		return nil
	})
}

var _ igny8.Store = (*memStore)(nil)
