package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/igny8/sdk/igny8"
)

// Run runs the whole conformance suite against the stores newStore makes.
// Every call of newStore must return a fresh, empty, migrated store; the
// suite calls it once per subtest, so its cleanup belongs in t.Cleanup.
//
// The subtests are grouped as Plans, Tenancy, Limits, Credits, Events,
// Transactions and Isolation; run one group with
// go test -run 'TestConformance/Isolation'.
func Run(t *testing.T, newStore func(t *testing.T) igny8.Store) {
	t.Helper()
	if newStore == nil {
		t.Fatal("storetest.Run: newStore is nil")
	}
	t.Run("Plans", func(t *testing.T) { testPlans(t, newStore) })
	t.Run("Tenancy", func(t *testing.T) { testTenancy(t, newStore) })
	t.Run("Limits", func(t *testing.T) { testLimits(t, newStore) })
	t.Run("Credits", func(t *testing.T) { testCredits(t, newStore) })
	t.Run("Events", func(t *testing.T) { testEvents(t, newStore) })
	t.Run("Transactions", func(t *testing.T) { testTransactions(t, newStore) })
	t.Run("Isolation", func(t *testing.T) { testIsolation(t, newStore) })
}

// epoch is the time the suite's manual clocks start at: a Saturday noon in
// UTC, far from any month end.
func epoch() time.Time { return time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC) }

// env is one subtest's store and the kernel services over it, all on a
// manual clock.
type env struct {
	t       *testing.T
	ctx     context.Context
	store   igny8.Store
	clock   *igny8.ManualClock
	ids     igny8.IDGenerator
	tenancy *igny8.Tenancy
	limits  *igny8.Limits
	credits *igny8.Credits
	events  *igny8.Events
}

func newEnv(t *testing.T, newStore func(t *testing.T) igny8.Store) *env {
	t.Helper()
	s := newStore(t)
	if s == nil {
		t.Fatal("newStore returned nil")
	}
	// The clock carries microseconds, which every store must keep.
	clock := igny8.NewManualClock(epoch().Add(123456 * time.Microsecond))
	// IDs come from the system clock so that they stay unique even when a
	// host's store shares a database between runs; the manual clock only
	// drives timestamps and limit periods.
	ids := &igny8.UUIDv7{}
	return &env{
		t:       t,
		ctx:     t.Context(),
		store:   s,
		clock:   clock,
		ids:     ids,
		tenancy: igny8.NewTenancy(s, igny8.TenancyOptions{Clock: clock, IDs: ids}),
		limits:  igny8.NewLimits(s, clock),
		credits: igny8.NewCredits(s, igny8.CreditsOptions{Clock: clock, IDs: ids}),
		events:  igny8.NewEvents(s, clock, ids),
	}
}

// plan creates a plan with the given limits through Tenancy.
func (e *env) plan(limits map[igny8.Limit]int64) igny8.Plan {
	e.t.Helper()
	p, err := e.tenancy.CreatePlan(e.ctx, igny8.Plan{Name: "plan " + e.ids.NewID()[:8], Limits: limits})
	if err != nil {
		e.t.Fatalf("CreatePlan: %v", err)
	}
	return p
}

// account creates an account on plan p in zone tz.
func (e *env) account(p igny8.Plan, tz string) igny8.Account {
	e.t.Helper()
	a, err := e.tenancy.CreateAccount(e.ctx, igny8.Account{Name: "account " + e.ids.NewID()[:8], PlanID: p.ID, TimeZone: tz})
	if err != nil {
		e.t.Fatalf("CreateAccount: %v", err)
	}
	return a
}

// site creates a site in the account of scope.
func (e *env) site(scope igny8.Scope, name string) igny8.Site {
	e.t.Helper()
	s, err := e.tenancy.CreateSite(e.ctx, scope, igny8.Site{Name: name, Domain: igny8.Slugify(name) + ".example", Active: true})
	if err != nil {
		e.t.Fatalf("CreateSite(%s): %v", name, err)
	}
	return s
}

// sector creates a sector in the site of scope.
func (e *env) sector(scope igny8.Scope, name string) igny8.Sector {
	e.t.Helper()
	s, err := e.tenancy.CreateSector(e.ctx, scope, igny8.Sector{Name: name})
	if err != nil {
		e.t.Fatalf("CreateSector(%s): %v", name, err)
	}
	return s
}

// tenant creates a plan, an account on it and one site, and returns the
// site's scope.
func (e *env) tenant(limits map[igny8.Limit]int64, tz string) (igny8.Account, igny8.Scope) {
	e.t.Helper()
	a := e.account(e.plan(limits), tz)
	s := e.site(igny8.Scope{AccountID: a.ID}, "Main site")
	return a, s.Scope()
}

// grant adds credits to the account of scope.
func (e *env) grant(scope igny8.Scope, amount int64) igny8.LedgerEntry {
	e.t.Helper()
	le, err := e.credits.Grant(e.ctx, scope, igny8.Charge{Amount: amount, Reason: "test grant", IdempotencyKey: "grant:" + e.ids.NewID()})
	if err != nil {
		e.t.Fatalf("Grant(%d): %v", amount, err)
	}
	return le
}

func (e *env) balance(scope igny8.Scope) int64 {
	e.t.Helper()
	b, err := e.credits.Balance(e.ctx, scope)
	if err != nil {
		e.t.Fatalf("Balance: %v", err)
	}
	return b
}

func (e *env) usage(key igny8.UsageKey) int64 {
	e.t.Helper()
	n, err := e.store.GetUsage(e.ctx, key)
	if err != nil {
		e.t.Fatalf("GetUsage(%+v): %v", key, err)
	}
	return n
}

// ok fails the test now when err is not nil.
func ok(t testing.TB, err error, what string, args ...any) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: unexpected error: %v", fmt.Sprintf(what, args...), err)
	}
}

// wantCode reports an error unless err carries code.
func wantCode(t testing.TB, err error, code igny8.Code, what string, args ...any) bool {
	t.Helper()
	if got := igny8.CodeOf(err); got != code {
		t.Errorf("%s: got error %v (code %q), want code %q", fmt.Sprintf(what, args...), err, got, code)
		return false
	}
	return true
}

// wantField reports an error unless err is an InvalidArgument naming field.
func wantField(t testing.TB, err error, field, what string) {
	t.Helper()
	if !wantCode(t, err, igny8.CodeInvalidArgument, "%s", what) {
		return
	}
	var e *igny8.Error
	if !errors.As(err, &e) || e.Field != field {
		t.Errorf("%s: error %v names field %q, want %q", what, err, fieldOf(err), field)
	}
}

func fieldOf(err error) string {
	var e *igny8.Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}

// codeErr returns nil when err carries code, else an error saying what
// came instead. Isolation checks and goroutines use it where t is not at
// hand.
func codeErr(err error, code igny8.Code, what string) error {
	if got := igny8.CodeOf(err); got != code {
		if err == nil {
			return fmt.Errorf("%s: got no error, want code %q", what, code)
		}
		return fmt.Errorf("%s: got %v (code %q), want code %q", what, err, got, code)
	}
	return nil
}

// pages reads a list page by page with the given limit, checking that no
// page is larger than asked and that pagination ends, and returns all items
// in the order read.
func pages[T any](t testing.TB, what string, limit int, id func(T) string, list func(igny8.PageRequest) ([]T, error)) []T {
	t.Helper()
	var all []T
	after := ""
	for i := 0; ; i++ {
		if i > 1000 {
			t.Fatalf("%s: pagination did not end after %d pages", what, i)
		}
		page, err := list(igny8.PageRequest{Limit: limit, After: after})
		ok(t, err, "%s page %d (after %q)", what, i, after)
		if len(page) > limit {
			t.Fatalf("%s page %d: %d items, more than the limit %d", what, i, len(page), limit)
		}
		all = append(all, page...)
		if len(page) < limit {
			return all
		}
		after = id(page[len(page)-1])
	}
}

// ids returns the ID of each item.
func idsOf[T any](items []T, id func(T) string) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = id(it)
	}
	return out
}

func siteID(s igny8.Site) string         { return s.ID }
func sectorID(s igny8.Sector) string     { return s.ID }
func userID(u igny8.User) string         { return u.ID }
func accountID(a igny8.Account) string   { return a.ID }
func entryID(e igny8.LedgerEntry) string { return e.ID }
func eventID(e igny8.Event) string       { return e.ID }
func sameIDs(got, want []string) bool    { return fmt.Sprint(got) == fmt.Sprint(want) }

// sameTime reports whether two times are the same instant to the
// microsecond, the precision every store keeps (Postgres's).
func sameTime(got, want time.Time) bool {
	d := got.Sub(want)
	return d > -time.Microsecond && d < time.Microsecond
}
func scopeOfAccount(id string) igny8.Scope { return igny8.Scope{AccountID: id} }
