package storetest_test

import (
	"context"
	"os"
	"os/exec"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/igny8/storetest"
)

// TestConformanceMemStore runs the suite against the in-memory store of
// this package's tests: the suite must hold for a straightforward correct
// store.
func TestConformanceMemStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) igny8.Store { return newMemStore() })
}

// tenantWords mark a Store method as one about tenant data when its name
// holds one of them.
var tenantWords = []string{"Account", "Site", "Sector", "User", "Usage", "Ledger", "Event"}

// tenantTypes mark a Store method as one about tenant data when one of its
// parameters has one of them.
var tenantTypes = []reflect.Type{
	reflect.TypeFor[igny8.Scope](),
	reflect.TypeFor[igny8.UsageKey](),
	reflect.TypeFor[igny8.LedgerEntry](),
	reflect.TypeFor[igny8.EventQuery](),
	reflect.TypeFor[[]igny8.Event](),
	reflect.TypeFor[igny8.Account](),
	reflect.TypeFor[igny8.Site](),
	reflect.TypeFor[igny8.Sector](),
	reflect.TypeFor[igny8.User](),
}

// tenantMethods returns the Store methods about tenant data.
func tenantMethods(t *testing.T) []string {
	t.Helper()
	st := reflect.TypeOf((*igny8.Store)(nil)).Elem()
	var out []string
	for i := range st.NumMethod() {
		m := st.Method(i)
		tenant := false
		for _, w := range tenantWords {
			tenant = tenant || strings.Contains(m.Name, w)
		}
		for j := range m.Type.NumIn() {
			for _, tt := range tenantTypes {
				tenant = tenant || m.Type.In(j) == tt
			}
		}
		if tenant {
			out = append(out, m.Name)
		}
	}
	return out
}

func TestIsolationChecksCoverEveryTenantMethod(t *testing.T) {
	checked := map[string]int{}
	for _, c := range storetest.IsolationChecks() {
		if c.Method == "" || c.Name == "" || c.Run == nil {
			t.Errorf("isolation check %+v lacks a method, name or function", c)
		}
		checked[c.Method]++
	}
	methods := tenantMethods(t)
	// The rule must see the methods that obviously hold tenant data, or it
	// proves nothing.
	for _, must := range []string{"GetSite", "ListSectors", "GetUserByEmail", "ReserveUsage", "ApplyLedger", "ReadEvents", "AckEvents"} {
		if !contains(methods, must) {
			t.Errorf("the tenant-method rule misses %s", must)
		}
	}
	for _, m := range methods {
		if checked[m] == 0 {
			t.Errorf("igny8.Store.%s holds tenant data but no isolation check names it: add one to IsolationChecks", m)
		}
	}
	st := reflect.TypeOf((*igny8.Store)(nil)).Elem()
	for m := range checked {
		if _, ok := st.MethodByName(m); !ok {
			t.Errorf("an isolation check names %s, which is no igny8.Store method", m)
		}
	}
	names := make([]string, 0, len(checked))
	for m := range checked {
		names = append(names, m)
	}
	sort.Strings(names)
	t.Logf("%d tenant methods, %d checks over %v", len(methods), len(storetest.IsolationChecks()), names)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestIsolationChecksFailOnLeakyStore proves the isolation checks can fail:
// each leak, alone, makes at least one check of its method fail.
func TestIsolationChecksFailOnLeakyStore(t *testing.T) {
	testLeaks(t, func(t *testing.T) igny8.Store { return newMemStore() })
}

// testLeaks wraps a store of newStore in each leak of leakyStore in turn
// and asserts that the checks of the leaking method catch it. (That the
// checks pass on the sound store is the Isolation group of the store's
// conformance test.)
func testLeaks(t *testing.T, newStore func(t *testing.T) igny8.Store) {
	checks := storetest.IsolationChecks()
	for _, leak := range leakNames() {
		t.Run(leak, func(t *testing.T) {
			base := newStore(t)
			caught, ran := 0, 0
			for _, c := range checks {
				if c.Method != leak {
					continue
				}
				ran++
				// The fixture is built on the sound store; only the check
				// runs through the leak.
				f := storetest.NewFixture(t.Context(), t, base)
				if err := c.Run(t.Context(), &leakyStore{Store: base, leak: leak}, f); err != nil {
					caught++
					t.Logf("caught by %q: %v", c.Name, firstLine(err.Error()))
				}
			}
			if ran == 0 {
				t.Fatalf("no isolation check for %s", leak)
			}
			if caught == 0 {
				t.Errorf("none of the %d isolation checks of %s noticed a store that leaks in it", ran, leak)
			}
		})
	}
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " ..."
	}
	return s
}

// leakyStore is a store with one deliberate tenant-isolation bug, in the
// method named by leak. It is built on the sound store's own methods: to
// ignore the scope it looks in every account.
type leakyStore struct {
	igny8.Store
	leak string
}

// leakNames lists the methods leakyStore can leak in.
func leakNames() []string {
	return []string{
		"CreateSite", "GetSite", "ListSites", "UpdateSite", "DeleteSite",
		"CreateSector", "GetSector", "ListSectors", "UpdateSector", "DeleteSector",
		"CreateUser", "GetUser", "GetUserByEmail", "ListUsers", "UpdateUser", "DeleteUser",
		"GetUsage", "ReserveUsage", "ReleaseUsage",
		"ApplyLedger", "GetLedgerEntry", "ListLedger",
		"ReadEvents", "AckEvents",
	}
}

// everyAccount returns an account scope for every account in the store.
func (l *leakyStore) everyAccount(ctx context.Context) []igny8.Scope {
	accts, err := l.Store.ListAccounts(ctx, igny8.PageRequest{Limit: igny8.MaxPageLimit})
	if err != nil {
		panic(err)
	}
	out := make([]igny8.Scope, len(accts))
	for i, a := range accts {
		out[i] = igny8.Scope{AccountID: a.ID}
	}
	return out
}

// ownerOfSite finds the account of a site, whatever the caller's scope.
func (l *leakyStore) ownerOfSite(ctx context.Context, id string) (igny8.Scope, bool) {
	for _, sc := range l.everyAccount(ctx) {
		if _, err := l.Store.GetSite(ctx, sc, id); err == nil {
			return sc, true
		}
	}
	return igny8.Scope{}, false
}

func (l *leakyStore) ownerOfSector(ctx context.Context, id string) (igny8.Scope, bool) {
	for _, sc := range l.everyAccount(ctx) {
		if _, err := l.Store.GetSector(ctx, sc, id); err == nil {
			return sc, true
		}
	}
	return igny8.Scope{}, false
}

func (l *leakyStore) ownerOfUser(ctx context.Context, id, email string) (igny8.Scope, bool) {
	for _, sc := range l.everyAccount(ctx) {
		if _, err := l.Store.GetUser(ctx, sc, id); err == nil && id != "" {
			return sc, true
		}
		if _, err := l.Store.GetUserByEmail(ctx, sc, email); err == nil && email != "" {
			return sc, true
		}
	}
	return igny8.Scope{}, false
}

// CreateSite trusts the row's account instead of the scope.
func (l *leakyStore) CreateSite(ctx context.Context, scope igny8.Scope, s igny8.Site) error {
	if l.leak == "CreateSite" && s.AccountID != "" {
		scope = igny8.Scope{AccountID: s.AccountID}
	}
	return l.Store.CreateSite(ctx, scope, s)
}

// GetSite ignores the scope's account.
func (l *leakyStore) GetSite(ctx context.Context, scope igny8.Scope, id string) (igny8.Site, error) {
	if l.leak == "GetSite" {
		if owner, ok := l.ownerOfSite(ctx, id); ok {
			scope = owner
		}
	}
	return l.Store.GetSite(ctx, scope, id)
}

// ListSites lists every account's sites.
func (l *leakyStore) ListSites(ctx context.Context, scope igny8.Scope, p igny8.PageRequest) ([]igny8.Site, error) {
	if l.leak != "ListSites" {
		return l.Store.ListSites(ctx, scope, p)
	}
	var out []igny8.Site
	for _, sc := range l.everyAccount(ctx) {
		s, err := l.Store.ListSites(ctx, sc, p)
		if err != nil {
			return nil, err
		}
		out = append(out, s...)
	}
	return out, nil
}

// UpdateSite finds the site in any account.
func (l *leakyStore) UpdateSite(ctx context.Context, scope igny8.Scope, s igny8.Site) error {
	if l.leak == "UpdateSite" {
		if owner, ok := l.ownerOfSite(ctx, s.ID); ok {
			scope = owner
		}
	}
	return l.Store.UpdateSite(ctx, scope, s)
}

// DeleteSite finds the site in any account.
func (l *leakyStore) DeleteSite(ctx context.Context, scope igny8.Scope, id string) error {
	if l.leak == "DeleteSite" {
		if owner, ok := l.ownerOfSite(ctx, id); ok {
			scope = owner
		}
	}
	return l.Store.DeleteSite(ctx, scope, id)
}

// CreateSector accepts a site of any account.
func (l *leakyStore) CreateSector(ctx context.Context, scope igny8.Scope, s igny8.Sector) error {
	if l.leak == "CreateSector" {
		if owner, ok := l.ownerOfSite(ctx, scope.SiteID); ok {
			scope.AccountID = owner.AccountID
		}
	}
	return l.Store.CreateSector(ctx, scope, s)
}

// GetSector ignores the scope's account and site.
func (l *leakyStore) GetSector(ctx context.Context, scope igny8.Scope, id string) (igny8.Sector, error) {
	if l.leak == "GetSector" {
		if owner, ok := l.ownerOfSector(ctx, id); ok {
			scope = owner
		}
	}
	return l.Store.GetSector(ctx, scope, id)
}

// ListSectors ignores the scope's site.
func (l *leakyStore) ListSectors(ctx context.Context, scope igny8.Scope, p igny8.PageRequest) ([]igny8.Sector, error) {
	if l.leak == "ListSectors" {
		scope = scope.Account()
	}
	return l.Store.ListSectors(ctx, scope, p)
}

// UpdateSector finds the sector in any account.
func (l *leakyStore) UpdateSector(ctx context.Context, scope igny8.Scope, s igny8.Sector) error {
	if l.leak == "UpdateSector" {
		if owner, ok := l.ownerOfSector(ctx, s.ID); ok {
			scope = owner
		}
	}
	return l.Store.UpdateSector(ctx, scope, s)
}

// DeleteSector finds the sector in any account.
func (l *leakyStore) DeleteSector(ctx context.Context, scope igny8.Scope, id string) error {
	if l.leak == "DeleteSector" {
		if owner, ok := l.ownerOfSector(ctx, id); ok {
			scope = owner
		}
	}
	return l.Store.DeleteSector(ctx, scope, id)
}

// CreateUser treats emails as unique across all accounts.
func (l *leakyStore) CreateUser(ctx context.Context, scope igny8.Scope, u igny8.User) error {
	if l.leak == "CreateUser" {
		if _, taken := l.ownerOfUser(ctx, "", u.Email); taken {
			return igny8.Errorf(igny8.CodeConflict, "leaky.CreateUser", "email %q is taken", u.Email)
		}
	}
	return l.Store.CreateUser(ctx, scope, u)
}

// GetUser finds the user in any account.
func (l *leakyStore) GetUser(ctx context.Context, scope igny8.Scope, id string) (igny8.User, error) {
	if l.leak == "GetUser" {
		if owner, ok := l.ownerOfUser(ctx, id, ""); ok {
			scope = owner
		}
	}
	return l.Store.GetUser(ctx, scope, id)
}

// GetUserByEmail finds the email in any account.
func (l *leakyStore) GetUserByEmail(ctx context.Context, scope igny8.Scope, email string) (igny8.User, error) {
	if l.leak == "GetUserByEmail" {
		if owner, ok := l.ownerOfUser(ctx, "", email); ok {
			scope = owner
		}
	}
	return l.Store.GetUserByEmail(ctx, scope, email)
}

// ListUsers lists every account's users.
func (l *leakyStore) ListUsers(ctx context.Context, scope igny8.Scope, p igny8.PageRequest) ([]igny8.User, error) {
	if l.leak != "ListUsers" {
		return l.Store.ListUsers(ctx, scope, p)
	}
	var out []igny8.User
	for _, sc := range l.everyAccount(ctx) {
		u, err := l.Store.ListUsers(ctx, sc, p)
		if err != nil {
			return nil, err
		}
		out = append(out, u...)
	}
	return out, nil
}

// UpdateUser finds the user in any account.
func (l *leakyStore) UpdateUser(ctx context.Context, scope igny8.Scope, u igny8.User) error {
	if l.leak == "UpdateUser" {
		if owner, ok := l.ownerOfUser(ctx, u.ID, ""); ok {
			scope = owner
		}
	}
	return l.Store.UpdateUser(ctx, scope, u)
}

// DeleteUser finds the user in any account.
func (l *leakyStore) DeleteUser(ctx context.Context, scope igny8.Scope, id string) error {
	if l.leak == "DeleteUser" {
		if owner, ok := l.ownerOfUser(ctx, id, ""); ok {
			scope = owner
		}
	}
	return l.Store.DeleteUser(ctx, scope, id)
}

// usageKey keys per-site counters by the site alone, as a store would
// that forgot the account column.
func (l *leakyStore) usageKey(ctx context.Context, method string, key igny8.UsageKey) igny8.UsageKey {
	if l.leak == method && key.SiteID != "" {
		if owner, ok := l.ownerOfSite(ctx, key.SiteID); ok {
			key.AccountID = owner.AccountID
		}
	}
	return key
}

func (l *leakyStore) GetUsage(ctx context.Context, key igny8.UsageKey) (int64, error) {
	return l.Store.GetUsage(ctx, l.usageKey(ctx, "GetUsage", key))
}

func (l *leakyStore) ReserveUsage(ctx context.Context, key igny8.UsageKey, n, max int64) (int64, error) {
	return l.Store.ReserveUsage(ctx, l.usageKey(ctx, "ReserveUsage", key), n, max)
}

func (l *leakyStore) ReleaseUsage(ctx context.Context, key igny8.UsageKey, n int64) error {
	return l.Store.ReleaseUsage(ctx, l.usageKey(ctx, "ReleaseUsage", key), n)
}

// ApplyLedger treats idempotency keys as global: a key another account
// used answers with that account's entry.
func (l *leakyStore) ApplyLedger(ctx context.Context, e igny8.LedgerEntry) (igny8.LedgerEntry, error) {
	if l.leak == "ApplyLedger" {
		for _, sc := range l.everyAccount(ctx) {
			if old, err := l.Store.GetLedgerEntry(ctx, sc.AccountID, e.IdempotencyKey); err == nil {
				return old, nil
			}
		}
	}
	return l.Store.ApplyLedger(ctx, e)
}

// GetLedgerEntry looks the key up in every account.
func (l *leakyStore) GetLedgerEntry(ctx context.Context, accountID, key string) (igny8.LedgerEntry, error) {
	if l.leak == "GetLedgerEntry" {
		for _, sc := range l.everyAccount(ctx) {
			if e, err := l.Store.GetLedgerEntry(ctx, sc.AccountID, key); err == nil {
				return e, nil
			}
		}
	}
	return l.Store.GetLedgerEntry(ctx, accountID, key)
}

// ListLedger lists every account's entries.
func (l *leakyStore) ListLedger(ctx context.Context, accountID string, p igny8.PageRequest) ([]igny8.LedgerEntry, error) {
	if l.leak != "ListLedger" {
		return l.Store.ListLedger(ctx, accountID, p)
	}
	var out []igny8.LedgerEntry
	for _, sc := range l.everyAccount(ctx) {
		e, err := l.Store.ListLedger(ctx, sc.AccountID, p)
		if err != nil {
			return nil, err
		}
		out = append(out, e...)
	}
	return out, nil
}

// ReadEvents ignores the scope.
func (l *leakyStore) ReadEvents(ctx context.Context, q igny8.EventQuery) ([]igny8.Event, error) {
	if l.leak == "ReadEvents" {
		q.Scope = igny8.Scope{}
	}
	return l.Store.ReadEvents(ctx, q)
}

// AckEvents moves the consumer's cursor in every account, as a store would
// that keyed cursors by consumer alone.
func (l *leakyStore) AckEvents(ctx context.Context, consumer string, scope igny8.Scope, seq int64) error {
	if l.leak != "AckEvents" {
		return l.Store.AckEvents(ctx, consumer, scope, seq)
	}
	for _, sc := range l.everyAccount(ctx) {
		if err := l.Store.AckEvents(ctx, consumer, sc, seq); err != nil {
			return err
		}
	}
	return nil
}

// brokenStores are memStore's deliberate bugs, each with the suite's
// subtests that must fail on it.
var brokenStores = []struct {
	bug      string
	mustFail []string
	// run narrows the child's run to these subtests (-test.run), for a
	// bug that only makes sense to them.
	run string
}{
	{"late-visibility", []string{"Events/ConcurrentAppendersOrderedReader"}, "^TestBrokenMemStore$/^Events$/^ConcurrentAppendersOrderedReader$"},
	{"no-rollback", []string{"Transactions/RollbackOnError", "Transactions/NestedJoins", "Transactions/RolledBackReservationNotCounted", "Events/RolledBackNeverDelivered"}, ""},
	{"racy-reserve", []string{"Limits/Concurrent"}, ""},
	{"overdraft", []string{"Credits/NeverNegative", "Credits/Concurrent"}, ""},
	{"no-idempotency", []string{"Credits/Idempotency", "Credits/RefundOnce", "Credits/ConcurrentSameKey"}, ""},
	{"ack-backwards", []string{"Events/CursorAndAck"}, ""},
	{"second-precision", []string{"Tenancy/Sites"}, ""},
	{"no-cascade", []string{"Tenancy/Sites/DeleteRemovesSectors"}, ""},
}

// TestBrokenMemStore runs the suite on a memStore with the bug named by
// STORETEST_BROKEN; TestSuiteFailsOnBrokenStores runs it in a child
// process and expects it to fail. Without the variable it skips.
func TestBrokenMemStore(t *testing.T) {
	bug := os.Getenv("STORETEST_BROKEN")
	if bug == "" {
		t.Skip("run by TestSuiteFailsOnBrokenStores")
	}
	storetest.Run(t, func(t *testing.T) igny8.Store {
		if bug == "late-visibility" {
			return newLateStore()
		}
		s := newMemStore()
		s.broken = bug
		return s
	})
}

// TestSuiteFailsOnBrokenStores proves that the suite's groups beyond
// isolation can fail: each deliberate bug fails the subtests that guard
// against it.
func TestSuiteFailsOnBrokenStores(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the suite in child processes")
	}
	for _, b := range brokenStores {
		t.Run(b.bug, func(t *testing.T) {
			run := "^TestBrokenMemStore$"
			if b.run != "" {
				run = b.run
			}
			cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run="+run, "-test.v", "-test.count=1")
			cmd.Env = append(os.Environ(), "STORETEST_BROKEN="+b.bug)
			out, err := cmd.CombinedOutput()
			if err == nil {
				t.Fatalf("the suite passed on a store with the bug %q:\n%s", b.bug, out)
			}
			for _, name := range b.mustFail {
				if !strings.Contains(string(out), "--- FAIL: TestBrokenMemStore/"+name+" ") {
					t.Errorf("bug %q did not fail %s", b.bug, name)
				}
			}
			if t.Failed() {
				t.Logf("child output:\n%s", out)
			}
		})
	}
}
