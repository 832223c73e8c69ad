package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/igny8/sdk/igny8"
)

// SharedEmail is the email address both tenants of a Fixture give their
// first user: emails are unique per account, not across accounts.
const SharedEmail = "owner@shared.example"

// FixtureConsumer is the event consumer whose cursors a Fixture sets: in A's
// account scope after A's first event, in B's after B's second.
const FixtureConsumer = "storetest-fixture"

// Tenant is one account of a Fixture and everything it holds.
type Tenant struct {
	Account igny8.Account
	// Sites are the account's two sites. Sectors[i] lies in Sites[i].
	Sites   []igny8.Site
	Sectors []igny8.Sector
	// Users[0] has SharedEmail; Users[1] an address only this tenant has.
	Users []igny8.User
	// CountKey is an account counter (max_keywords); DailyKey the
	// daily_ai_requests counter of Sites[0] in the Fixture's Period. The
	// two tenants hold different values in them (A: 3 and 4, B: 7 and 9).
	CountKey, DailyKey igny8.UsageKey
	// Ledger is the account's ledger, oldest first: a grant with the key
	// "welcome" (both tenants use it, with different amounts), a debit with
	// the key "debit:1" (both) and a debit with OnlyKey.
	Ledger []igny8.LedgerEntry
	// OnlyKey is an idempotency key only this tenant used.
	OnlyKey string
	// Events are, in seq order: one at the account, one in Sites[0], one in
	// Sectors[0] and one in Sites[1]. A's and B's events interleave.
	Events []igny8.Event
}

// Scope returns the tenant's account scope.
func (t *Tenant) Scope() igny8.Scope { return igny8.Scope{AccountID: t.Account.ID} }

// SiteScope returns the scope of the tenant's site i.
func (t *Tenant) SiteScope(i int) igny8.Scope { return t.Sites[i].Scope() }

// SectorScope returns the scope of the tenant's sector i.
func (t *Tenant) SectorScope(i int) igny8.Scope { return t.Sectors[i].Scope() }

// Fixture is two tenants, A and B, with the same shape of data, built by
// NewFixture for the isolation checks. A check acts in A's scope (or a
// narrower one) and aims at B's rows; VerifyB then proves B untouched.
type Fixture struct {
	Plan igny8.Plan
	A, B Tenant
	// Period is the day of the tenants' DailyKey.
	Period string

	snapA, snapB tenantState
}

// NewFixture builds the two tenants of the isolation checks in s through
// the kernel services, and records their state for VerifyA and VerifyB. The
// store may hold other data, other fixtures' included: every fixture makes
// a plan and accounts of its own. It fails t if the store cannot hold them.
func NewFixture(ctx context.Context, t testing.TB, s igny8.Store) *Fixture {
	t.Helper()
	f, err := BuildFixture(ctx, s)
	if err != nil {
		t.Fatalf("storetest.NewFixture: %v", err)
	}
	return f
}

// BuildFixture is NewFixture for callers without a testing.TB (a program
// that audits a store, an example): it returns the error instead.
func BuildFixture(ctx context.Context, s igny8.Store) (*Fixture, error) {
	clock := igny8.NewManualClock(epoch())
	ids := &igny8.UUIDv7{}
	ten := igny8.NewTenancy(s, igny8.TenancyOptions{Clock: clock, IDs: ids})
	cred := igny8.NewCredits(s, igny8.CreditsOptions{Clock: clock, IDs: ids})
	evs := igny8.NewEvents(s, clock, ids)

	f := &Fixture{Period: igny8.PeriodOf(igny8.LimitDailyAIRequests, epoch())}
	var err error
	f.Plan, err = ten.CreatePlan(ctx, igny8.Plan{Name: "Isolation", Limits: map[igny8.Limit]int64{igny8.LimitMaxSites: 10, igny8.LimitMaxUsers: 10}})
	if err != nil {
		return nil, fmt.Errorf("CreatePlan: %w", err)
	}
	type spec struct {
		t            *Tenant
		name         string
		count, daily int64
		grant        int64
		debits       [2]int64
	}
	specs := []spec{
		{&f.A, "a", 3, 4, 100, [2]int64{10, 5}},
		{&f.B, "b", 7, 9, 500, [2]int64{20, 30}},
	}
	for _, sp := range specs {
		tn := sp.t
		tn.Account, err = ten.CreateAccount(ctx, igny8.Account{Name: "Tenant " + sp.name, PlanID: f.Plan.ID})
		if err != nil {
			return nil, fmt.Errorf("CreateAccount(%s): %w", sp.name, err)
		}
		scope := tn.Scope()
		for i := range 2 {
			site, err := ten.CreateSite(ctx, scope, igny8.Site{Name: fmt.Sprintf("Site %s%d", sp.name, i), Domain: fmt.Sprintf("%s%d.example", sp.name, i), Active: true})
			if err != nil {
				return nil, fmt.Errorf("CreateSite(%s%d): %w", sp.name, i, err)
			}
			tn.Sites = append(tn.Sites, site)
			sec, err := ten.CreateSector(ctx, site.Scope(), igny8.Sector{Name: fmt.Sprintf("Sector %s%d", sp.name, i)})
			if err != nil {
				return nil, fmt.Errorf("CreateSector(%s%d): %w", sp.name, i, err)
			}
			tn.Sectors = append(tn.Sectors, sec)
		}
		for _, email := range []string{SharedEmail, "only-" + sp.name + "@" + sp.name + ".example"} {
			u, err := ten.CreateUser(ctx, scope, igny8.User{Email: email, Name: email, Role: igny8.RoleEditor})
			if err != nil {
				return nil, fmt.Errorf("CreateUser(%s): %w", email, err)
			}
			tn.Users = append(tn.Users, u)
		}
		tn.CountKey = igny8.UsageKey{AccountID: tn.Account.ID, Limit: igny8.LimitMaxKeywords}
		tn.DailyKey = igny8.UsageKey{AccountID: tn.Account.ID, SiteID: tn.Sites[0].ID, Limit: igny8.LimitDailyAIRequests, Period: f.Period}
		if _, err := s.ReserveUsage(ctx, tn.CountKey, sp.count, -1); err != nil {
			return nil, fmt.Errorf("ReserveUsage(%s count): %w", sp.name, err)
		}
		if _, err := s.ReserveUsage(ctx, tn.DailyKey, sp.daily, -1); err != nil {
			return nil, fmt.Errorf("ReserveUsage(%s daily): %w", sp.name, err)
		}
		tn.OnlyKey = "only:" + sp.name
		g, err := cred.Grant(ctx, scope, igny8.Charge{Amount: sp.grant, Reason: "welcome", IdempotencyKey: "welcome"})
		if err != nil {
			return nil, fmt.Errorf("Grant(%s): %w", sp.name, err)
		}
		tn.Ledger = append(tn.Ledger, g)
		for i, key := range []string{"debit:1", tn.OnlyKey} {
			d, err := cred.Debit(ctx, scope, igny8.Charge{Amount: sp.debits[i], Reason: "work", Reference: key, IdempotencyKey: key})
			if err != nil {
				return nil, fmt.Errorf("Debit(%s %s): %w", sp.name, key, err)
			}
			tn.Ledger = append(tn.Ledger, d)
		}
	}
	// Events interleave A's and B's so that a cursor shared across tenants
	// would be caught.
	for i := range 4 {
		for _, tn := range []*Tenant{&f.A, &f.B} {
			scopes := []igny8.Scope{tn.Scope(), tn.SiteScope(0), tn.SectorScope(0), tn.SiteScope(1)}
			types := []igny8.EventType{igny8.EventCreditsLow, igny8.EventKeywordAdded, igny8.EventClusterCreated, igny8.EventKeywordAdded}
			ev, err := evs.Emit(ctx, scopes[i], types[i], tn.Account.ID, map[string]any{"tenant": tn.Account.Name, "i": i})
			if err != nil {
				return nil, fmt.Errorf("Emit(%s, %d): %w", tn.Account.Name, i, err)
			}
			tn.Events = append(tn.Events, ev)
		}
	}
	if err := evs.Ack(ctx, FixtureConsumer, f.A.Scope(), f.A.Events[0].Seq); err != nil {
		return nil, fmt.Errorf("Ack(A): %w", err)
	}
	if err := evs.Ack(ctx, FixtureConsumer, f.B.Scope(), f.B.Events[1].Seq); err != nil {
		return nil, fmt.Errorf("Ack(B): %w", err)
	}
	// Refresh the accounts for their balances.
	for _, tn := range []*Tenant{&f.A, &f.B} {
		if tn.Account, err = s.GetAccount(ctx, tn.Account.ID); err != nil {
			return nil, fmt.Errorf("GetAccount: %w", err)
		}
	}
	if f.snapA, err = readState(ctx, s, &f.A); err != nil {
		return nil, fmt.Errorf("reading A: %w", err)
	}
	if f.snapB, err = readState(ctx, s, &f.B); err != nil {
		return nil, fmt.Errorf("reading B: %w", err)
	}
	return f, nil
}

// VerifyA reports how tenant A's data differs from when the fixture was
// built (nil when it does not).
func (f *Fixture) VerifyA(ctx context.Context, s igny8.Store) error {
	return verify(ctx, s, &f.A, f.snapA)
}

// VerifyB reports how tenant B's data differs from when the fixture was
// built (nil when it does not).
func (f *Fixture) VerifyB(ctx context.Context, s igny8.Store) error {
	return verify(ctx, s, &f.B, f.snapB)
}

// tenantState is everything a tenant has that a store keeps, read back
// through the store's own methods in the tenant's own scope.
type tenantState struct {
	Account []byte
	Sites   []byte
	Sectors []byte
	Users   []byte
	Usage   []byte
	Ledger  []byte
	Events  []byte
	Unread  []byte
}

func readState(ctx context.Context, s igny8.Store, tn *Tenant) (tenantState, error) {
	var st tenantState
	scope := tn.Scope()
	all := igny8.PageRequest{Limit: igny8.MaxPageLimit}
	acct, err := s.GetAccount(ctx, tn.Account.ID)
	if err != nil {
		return st, fmt.Errorf("GetAccount: %w", err)
	}
	if st.Account, err = canonical(acct); err != nil {
		return st, err
	}
	sites, err := s.ListSites(ctx, scope, all)
	if err != nil {
		return st, fmt.Errorf("ListSites: %w", err)
	}
	if st.Sites, err = canonical(sites); err != nil {
		return st, err
	}
	sectors, err := s.ListSectors(ctx, scope, all)
	if err != nil {
		return st, fmt.Errorf("ListSectors: %w", err)
	}
	if st.Sectors, err = canonical(sectors); err != nil {
		return st, err
	}
	users, err := s.ListUsers(ctx, scope, all)
	if err != nil {
		return st, fmt.Errorf("ListUsers: %w", err)
	}
	if st.Users, err = canonical(users); err != nil {
		return st, err
	}
	usage := map[string]int64{}
	for _, key := range []igny8.UsageKey{
		tn.CountKey, tn.DailyKey,
		{AccountID: tn.Account.ID, Limit: igny8.LimitMaxSites},
		{AccountID: tn.Account.ID, Limit: igny8.LimitMaxUsers},
	} {
		n, err := s.GetUsage(ctx, key)
		if err != nil {
			return st, fmt.Errorf("GetUsage(%+v): %w", key, err)
		}
		usage[fmt.Sprintf("%s/%s/%s", key.Limit, key.SiteID, key.Period)] = n
	}
	if st.Usage, err = canonical(usage); err != nil {
		return st, err
	}
	ledger, err := s.ListLedger(ctx, tn.Account.ID, all)
	if err != nil {
		return st, fmt.Errorf("ListLedger: %w", err)
	}
	if st.Ledger, err = canonical(ledger); err != nil {
		return st, err
	}
	events, err := s.ReadEvents(ctx, igny8.EventQuery{Consumer: "storetest-verify", Scope: scope, Limit: igny8.MaxPageLimit})
	if err != nil {
		return st, fmt.Errorf("ReadEvents: %w", err)
	}
	if st.Events, err = canonical(events); err != nil {
		return st, err
	}
	unread, err := s.ReadEvents(ctx, igny8.EventQuery{Consumer: FixtureConsumer, Scope: scope, Limit: igny8.MaxPageLimit})
	if err != nil {
		return st, fmt.Errorf("ReadEvents(%s): %w", FixtureConsumer, err)
	}
	if st.Unread, err = canonical(idsOf(unread, eventID)); err != nil {
		return st, err
	}
	return st, nil
}

func verify(ctx context.Context, s igny8.Store, tn *Tenant, want tenantState) error {
	got, err := readState(ctx, s, tn)
	if err != nil {
		return fmt.Errorf("tenant %s: %w", tn.Account.Name, err)
	}
	parts := []struct {
		name      string
		got, want []byte
	}{
		{"account", got.Account, want.Account},
		{"sites", got.Sites, want.Sites},
		{"sectors", got.Sectors, want.Sectors},
		{"users", got.Users, want.Users},
		{"usage", got.Usage, want.Usage},
		{"ledger", got.Ledger, want.Ledger},
		{"events", got.Events, want.Events},
		{"unread events of " + FixtureConsumer, got.Unread, want.Unread},
	}
	for _, p := range parts {
		if string(p.got) != string(p.want) {
			return fmt.Errorf("tenant %s: %s changed:\n now  %s\n was  %s", tn.Account.Name, p.name, p.got, p.want)
		}
	}
	return nil
}

// canonical encodes v as JSON with every time in UTC, so that states read
// at different moments compare byte for byte.
func canonical(v any) ([]byte, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var tree any
	if err := json.Unmarshal(raw, &tree); err != nil {
		return nil, err
	}
	return json.Marshal(normalizeTimes(tree))
}

func normalizeTimes(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = normalizeTimes(e)
		}
	case []any:
		for i, e := range x {
			x[i] = normalizeTimes(e)
		}
	case string:
		if t, err := time.Parse(time.RFC3339Nano, x); err == nil {
			return t.UTC().Format(time.RFC3339Nano)
		}
	}
	return v
}
