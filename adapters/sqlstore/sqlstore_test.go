package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/uptrace/bun/driver/sqliteshim"

	"github.com/igny8/sdk/adapters/sqlstore"
	"github.com/igny8/sdk/adapters/sqlstore/sqlstoretest"
	"github.com/igny8/sdk/igny8"
)

// eachStore runs fn on SQLite (file), SQLite (memory) and Postgres.
func eachStore(t *testing.T, fn func(t *testing.T, s *sqlstore.Store)) {
	t.Helper()
	sqlstoretest.Each(t, fn)
	t.Run("sqlite-memory", func(t *testing.T) { fn(t, openMemory(t)) })
}

func openMemory(t testing.TB) *sqlstore.Store {
	t.Helper()
	s, err := sqlstore.Open(context.Background(), "sqlite::memory:", sqlstore.Options{})
	if err != nil {
		t.Fatalf("open memory: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

var ids = &igny8.UUIDv7{}

// fixture creates a plan and an account holding balance credits.
func fixture(t testing.TB, s igny8.Store, balance int64) igny8.Account {
	t.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	plan := igny8.Plan{ID: ids.NewID(), Name: "p", Limits: map[igny8.Limit]int64{igny8.LimitMaxSites: 3}, CreatedAt: now, UpdatedAt: now}
	if err := s.CreatePlan(ctx, plan); err != nil {
		t.Fatalf("CreatePlan: %v", err)
	}
	a := igny8.Account{ID: ids.NewID(), Name: "acme", PlanID: plan.ID, CreatedAt: now, UpdatedAt: now}
	if err := s.CreateAccount(ctx, a); err != nil {
		t.Fatalf("CreateAccount: %v", err)
	}
	if balance > 0 {
		if _, err := s.ApplyLedger(ctx, igny8.LedgerEntry{ID: ids.NewID(), AccountID: a.ID, Kind: igny8.LedgerGrant,
			Amount: balance, Reason: "grant", IdempotencyKey: "grant:" + a.ID, CreatedAt: now}); err != nil {
			t.Fatalf("grant: %v", err)
		}
	}
	a.CreditBalance = balance
	return a
}

func debit(a igny8.Account, key string, n int64) igny8.LedgerEntry {
	return igny8.LedgerEntry{ID: ids.NewID(), AccountID: a.ID, Kind: igny8.LedgerDebit, Amount: -n, Reason: "call",
		IdempotencyKey: key, CreatedAt: time.Now()}
}

func TestSQLitePragmasApply(t *testing.T) {
	if got := sqliteshim.DriverName(); got != "sqlite" {
		t.Fatalf("sqliteshim.DriverName() = %q, want the pure-Go modernc driver %q", got, "sqlite")
	}
	ctx := context.Background()
	tests := []struct {
		name    string
		store   func(t *testing.T) *sqlstore.Store
		journal string
	}{
		{name: "file", store: func(t *testing.T) *sqlstore.Store { return sqlstoretest.SQLite(t) }, journal: "wal"},
		{name: "memory", store: func(t *testing.T) *sqlstore.Store { return openMemory(t) }, journal: "memory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.store(t)
			if s.Dialect() != sqlstore.DialectSQLite {
				t.Fatalf("Dialect() = %q", s.Dialect())
			}
			// Ask several connections at once so that more than the first
			// one is checked.
			var wg sync.WaitGroup
			for range 4 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					err := s.InTx(ctx, func(ctx context.Context) error {
						db := s.IDB(ctx)
						var journal string
						var busy, fk int
						if err := db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&journal); err != nil {
							return err
						}
						if err := db.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&busy); err != nil {
							return err
						}
						if err := db.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil {
							return err
						}
						if journal != tt.journal || busy != 10000 || fk != 1 {
							return fmt.Errorf("journal_mode=%s busy_timeout=%d foreign_keys=%d, want %s 10000 1", journal, busy, fk, tt.journal)
						}
						return nil
					})
					if err != nil {
						t.Error(err)
					}
				}()
			}
			wg.Wait()
		})
	}
}

func TestOpenRejectsBadDSN(t *testing.T) {
	for _, dsn := range []string{"mysql://x", "file.db", "sqlite:"} {
		_, err := sqlstore.Open(context.Background(), dsn, sqlstore.Options{})
		var e *igny8.Error
		if !errors.As(err, &e) || e.Code != igny8.CodeInvalidArgument || e.Field != "dsn" {
			t.Errorf("Open(%q) = %v, want InvalidArgument naming dsn", dsn, err)
		}
	}
}

func TestMemoryStoresAreSeparate(t *testing.T) {
	a, b := openMemory(t), openMemory(t)
	fixture(t, a, 0)
	list, err := b.ListAccounts(context.Background(), igny8.PageRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 0 {
		t.Fatalf("second in-memory store sees %d accounts of the first", len(list))
	}
}

func TestMigrateIsIdempotentAndConcurrent(t *testing.T) {
	ctx := context.Background()
	check := func(t *testing.T, s *sqlstore.Store) {
		t.Helper()
		want, err := sqlstore.Migrations(s.Dialect())
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.AppliedMigrations(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("applied %v, want %d migrations", got, len(want))
		}
		for i, m := range want {
			if got[i] != m.Version {
				t.Fatalf("applied %v, want version %d at %d", got, m.Version, i)
			}
		}
	}
	// Two stores (two pools, as two processes would have) migrate one fresh
	// database at the same time, then once more each.
	run := func(t *testing.T, open func() *sqlstore.Store) {
		a, b := open(), open()
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, s := range []*sqlstore.Store{a, b} {
			wg.Add(1)
			go func() { defer wg.Done(); errs[i] = s.Migrate(ctx) }()
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatalf("concurrent Migrate: %v", err)
			}
		}
		for _, s := range []*sqlstore.Store{a, b} {
			if err := s.Migrate(ctx); err != nil {
				t.Fatalf("second Migrate: %v", err)
			}
			check(t, s)
		}
		fixture(t, a, 5) // the schema works
	}
	t.Run("sqlite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "m.db")
		run(t, func() *sqlstore.Store {
			s, err := sqlstore.Open(ctx, "sqlite:"+path, sqlstore.Options{SkipMigrate: true})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = s.Close() })
			return s
		})
	})
	t.Run("postgres", func(t *testing.T) {
		dsn := sqlstoretest.PostgresDSN(t)
		schema := sqlstoretest.NewSchema(t, dsn)
		run(t, func() *sqlstore.Store {
			s, err := sqlstore.Open(ctx, dsn, sqlstore.Options{SkipMigrate: true, SearchPath: schema})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = s.Close() })
			return s
		})
	})
}

// TestConcurrentDebits: 50 debits of 10 against 200 leave exactly 0 and
// refuse exactly 30, with no error other than InsufficientCredits.
func TestConcurrentDebits(t *testing.T) {
	eachStore(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		a := fixture(t, s, 200)
		var ok, refused, other atomic.Int64
		var wg sync.WaitGroup
		for i := range 50 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := s.ApplyLedger(ctx, debit(a, fmt.Sprintf("d%d", i), 10))
				var ce *igny8.CreditError
				switch {
				case err == nil:
					ok.Add(1)
				case errors.As(err, &ce):
					refused.Add(1)
				default:
					other.Add(1)
					t.Errorf("debit %d: %v", i, err)
				}
			}()
		}
		wg.Wait()
		got, err := s.GetAccount(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.CreditBalance != 0 || ok.Load() != 20 || refused.Load() != 30 || other.Load() != 0 {
			t.Fatalf("balance %d, %d debited, %d refused, %d other errors; want 0, 20, 30, 0",
				got.CreditBalance, ok.Load(), refused.Load(), other.Load())
		}
		entries, err := s.ListLedger(ctx, a.ID, igny8.PageRequest{})
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 21 {
			t.Fatalf("ledger has %d entries, want 21 (grant + 20 debits)", len(entries))
		}
		var sum int64
		for _, e := range entries {
			sum += e.Amount
			if e.BalanceAfter < 0 {
				t.Fatalf("entry %v has a negative balance", e)
			}
		}
		if sum != 0 {
			t.Fatalf("ledger amounts sum to %d, want 0", sum)
		}
	})
}

// TestConcurrentReservations: 50 reservations of 1 against a daily limit of
// 20: exactly 20 succeed, the rest get a *LimitError.
func TestConcurrentReservations(t *testing.T) {
	eachStore(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		key := igny8.UsageKey{AccountID: ids.NewID(), SiteID: "site", Limit: igny8.LimitDailyAIRequests, Period: "2026-11-26"}
		var ok, refused atomic.Int64
		var wg sync.WaitGroup
		for i := range 50 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := s.ReserveUsage(ctx, key, 1, 20)
				var le *igny8.LimitError
				switch {
				case err == nil:
					ok.Add(1)
				case errors.As(err, &le):
					refused.Add(1)
					if le.Max != 20 || le.Requested != 1 || le.Limit != igny8.LimitDailyAIRequests || le.Period != "2026-11-26" {
						t.Errorf("limit error %+v", le)
					}
				default:
					t.Errorf("reserve %d: %v", i, err)
				}
			}()
		}
		wg.Wait()
		used, err := s.GetUsage(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		if ok.Load() != 20 || refused.Load() != 30 || used != 20 {
			t.Fatalf("%d reserved, %d refused, used %d; want 20, 30, 20", ok.Load(), refused.Load(), used)
		}
	})
}

func TestUsageCounters(t *testing.T) {
	eachStore(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		key := igny8.UsageKey{AccountID: ids.NewID(), Limit: igny8.LimitMaxKeywords}
		steps := []struct {
			name    string
			do      func() (int64, error)
			want    int64
			wantErr igny8.Code
		}{
			{name: "unused is zero", do: func() (int64, error) { return s.GetUsage(ctx, key) }, want: 0},
			{name: "too big for the limit at once", do: func() (int64, error) { return s.ReserveUsage(ctx, key, 6, 5) }, wantErr: igny8.CodeLimitExceeded},
			{name: "reserve 4 of 5", do: func() (int64, error) { return s.ReserveUsage(ctx, key, 4, 5) }, want: 4},
			{name: "2 more passes 5", do: func() (int64, error) { return s.ReserveUsage(ctx, key, 2, 5) }, wantErr: igny8.CodeLimitExceeded},
			{name: "1 more fits", do: func() (int64, error) { return s.ReserveUsage(ctx, key, 1, 5) }, want: 5},
			{name: "unlimited counts on", do: func() (int64, error) { return s.ReserveUsage(ctx, key, 10, -1) }, want: 15},
			{name: "release below zero stops at zero", do: func() (int64, error) {
				if err := s.ReleaseUsage(ctx, key, 100); err != nil {
					return 0, err
				}
				return s.GetUsage(ctx, key)
			}, want: 0},
			{name: "zero limit allows nothing", do: func() (int64, error) { return s.ReserveUsage(ctx, key, 1, 0) }, wantErr: igny8.CodeLimitExceeded},
			{name: "n must be positive", do: func() (int64, error) { return s.ReserveUsage(ctx, key, 0, 5) }, wantErr: igny8.CodeInvalidArgument},
		}
		for _, st := range steps {
			got, err := st.do()
			if igny8.CodeOf(err) != st.wantErr {
				t.Fatalf("%s: err = %v, want code %q", st.name, err, st.wantErr)
			}
			if err == nil && got != st.want {
				t.Fatalf("%s: got %d, want %d", st.name, got, st.want)
			}
		}
	})
}

func TestLedger(t *testing.T) {
	eachStore(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		a := fixture(t, s, 50)
		d := debit(a, "k1", 20)
		first, err := s.ApplyLedger(ctx, d)
		if err != nil || first.BalanceAfter != 30 {
			t.Fatalf("debit = %+v, %v; want balance after 30", first, err)
		}
		// A replay with a fresh entry id returns the first entry unchanged.
		replay := debit(a, "k1", 20)
		got, err := s.ApplyLedger(ctx, replay)
		if err != nil || got.ID != first.ID || got.BalanceAfter != 30 {
			t.Fatalf("replay = %+v, %v; want the first entry %s", got, err, first.ID)
		}
		// Replay of a key whose debit could no longer be covered still
		// answers the earlier entry.
		if _, err := s.ApplyLedger(ctx, debit(a, "k2", 30)); err != nil {
			t.Fatal(err)
		}
		if got, err := s.ApplyLedger(ctx, debit(a, "k2", 30)); err != nil || got.BalanceAfter != 0 {
			t.Fatalf("replay at zero balance = %+v, %v", got, err)
		}
		// Same key, other amount: Conflict.
		if _, err := s.ApplyLedger(ctx, debit(a, "k1", 5)); igny8.CodeOf(err) != igny8.CodeConflict {
			t.Fatalf("reused key with another amount: %v, want Conflict", err)
		}
		// Overdraw: CreditError with the balance.
		_, err = s.ApplyLedger(ctx, debit(a, "k3", 1))
		var ce *igny8.CreditError
		if !errors.As(err, &ce) || ce.Balance != 0 || ce.Requested != 1 || ce.AccountID != a.ID {
			t.Fatalf("overdraw: %v, want CreditError balance 0 requested 1", err)
		}
		// Unknown account: NotFound, for a grant and a debit.
		for _, e := range []igny8.LedgerEntry{
			{ID: ids.NewID(), AccountID: "nope", Kind: igny8.LedgerGrant, Amount: 5, Reason: "x", IdempotencyKey: "g"},
			{ID: ids.NewID(), AccountID: "nope", Kind: igny8.LedgerDebit, Amount: -5, Reason: "x", IdempotencyKey: "d"},
		} {
			if _, err := s.ApplyLedger(ctx, e); igny8.CodeOf(err) != igny8.CodeNotFound {
				t.Fatalf("unknown account %s: %v, want NotFound", e.Kind, err)
			}
		}
		acct, _ := s.GetAccount(ctx, a.ID)
		if acct.CreditBalance != 0 {
			t.Fatalf("balance %d, want 0", acct.CreditBalance)
		}
		e, err := s.GetLedgerEntry(ctx, a.ID, "k1")
		if err != nil || e.ID != first.ID || !e.CreatedAt.Equal(first.CreatedAt) || e.CreatedAt.Location() != time.UTC {
			t.Fatalf("GetLedgerEntry = %+v, %v; want %+v", e, err, first)
		}
		if _, err := s.GetLedgerEntry(ctx, "other", "k1"); igny8.CodeOf(err) != igny8.CodeNotFound {
			t.Fatalf("another account's key: %v, want NotFound", err)
		}
		// Pagination: oldest first, keyset on id.
		var all []igny8.LedgerEntry
		after := ""
		for {
			p, err := s.ListLedger(ctx, a.ID, igny8.PageRequest{Limit: 2, After: after})
			if err != nil {
				t.Fatal(err)
			}
			if len(p) == 0 {
				break
			}
			all = append(all, p...)
			after = p[len(p)-1].ID
		}
		if len(all) != 3 || all[0].Kind != igny8.LedgerGrant || all[1].ID != first.ID {
			t.Fatalf("paged ledger %v", all)
		}
	})
}

// TestLedgerInsideOuterTx: a refused debit inside the caller's transaction
// leaves it usable (no aborted Postgres transaction); a replay inside it
// undoes its own balance change; all commits together.
func TestLedgerInsideOuterTx(t *testing.T) {
	eachStore(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		a := fixture(t, s, 10)
		err := s.InTx(ctx, func(ctx context.Context) error {
			if _, err := s.ApplyLedger(ctx, debit(a, "big", 11)); !errors.Is(err, igny8.ErrInsufficientCredits) {
				return fmt.Errorf("big debit: %v, want InsufficientCredits", err)
			}
			if _, err := s.ApplyLedger(ctx, debit(a, "small", 4)); err != nil {
				return fmt.Errorf("small debit after a refused one: %w", err)
			}
			e, err := s.ApplyLedger(ctx, debit(a, "small", 4))
			if err != nil || e.BalanceAfter != 6 {
				return fmt.Errorf("replay in tx = %+v, %v", e, err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		got, _ := s.GetAccount(ctx, a.ID)
		if got.CreditBalance != 6 {
			t.Fatalf("balance %d, want 6", got.CreditBalance)
		}
	})
}

func TestInTx(t *testing.T) {
	eachStore(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		a := fixture(t, s, 0)
		scope := igny8.Scope{AccountID: a.ID}
		site := func(name string) igny8.Site {
			return igny8.Site{ID: ids.NewID(), Name: name, Active: true, CreatedAt: time.Now(), UpdatedAt: time.Now()}
		}
		boom := errors.New("boom")
		rolledBack := site("rolled back")
		if err := s.InTx(ctx, func(ctx context.Context) error {
			if err := s.CreateSite(ctx, scope, rolledBack); err != nil {
				return err
			}
			return boom
		}); !errors.Is(err, boom) {
			t.Fatalf("InTx = %v, want fn's error", err)
		}
		panicked := site("panicked")
		func() {
			defer func() {
				if r := recover(); r != "kaboom" {
					t.Fatalf("recovered %v, want the re-raised panic", r)
				}
			}()
			_ = s.InTx(ctx, func(ctx context.Context) error {
				if err := s.CreateSite(ctx, scope, panicked); err != nil {
					return err
				}
				panic("kaboom")
			})
		}()
		outer, inner := site("outer"), site("inner")
		if err := s.InTx(ctx, func(ctx context.Context) error {
			if err := s.CreateSite(ctx, scope, outer); err != nil {
				return err
			}
			return s.InTx(ctx, func(ctx context.Context) error {
				// The nested call sees the outer transaction's write.
				if _, err := s.GetSite(ctx, scope, outer.ID); err != nil {
					return err
				}
				return s.CreateSite(ctx, scope, inner)
			})
		}); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			site igny8.Site
			want bool
		}{{rolledBack, false}, {panicked, false}, {outer, true}, {inner, true}} {
			_, err := s.GetSite(ctx, scope, tc.site.ID)
			if (err == nil) != tc.want {
				t.Errorf("site %q exists = %v, want %v (err %v)", tc.site.Name, err == nil, tc.want, err)
			}
		}
		// The pool is not leaking connections after the panic.
		for range 20 {
			if err := s.InTx(ctx, func(ctx context.Context) error { return nil }); err != nil {
				t.Fatal(err)
			}
		}
	})
}

func TestErrorMapping(t *testing.T) {
	eachStore(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		a, b := fixture(t, s, 0), fixture(t, s, 0)
		now := time.Now()
		siteA := igny8.Site{ID: ids.NewID(), Name: "a", CreatedAt: now, UpdatedAt: now}
		siteB := igny8.Site{ID: ids.NewID(), Name: "b", CreatedAt: now, UpdatedAt: now}
		scopeA, scopeB := igny8.Scope{AccountID: a.ID}, igny8.Scope{AccountID: b.ID}
		if err := s.CreateSite(ctx, scopeA, siteA); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateSite(ctx, scopeB, siteB); err != nil {
			t.Fatal(err)
		}
		user := igny8.User{ID: ids.NewID(), Email: "x@example.com", Role: igny8.RoleOwner, CreatedAt: now, UpdatedAt: now}
		if err := s.CreateUser(ctx, scopeA, user); err != nil {
			t.Fatal(err)
		}
		sector := igny8.Sector{ID: ids.NewID(), Name: "s", Slug: "s", CreatedAt: now, UpdatedAt: now}
		tests := []struct {
			name   string
			err    error
			code   igny8.Code
			native bool
		}{
			{name: "duplicate plan id", err: s.CreatePlan(ctx, igny8.Plan{ID: a.PlanID, Name: "dup", CreatedAt: now, UpdatedAt: now}), code: igny8.CodeConflict, native: true},
			{name: "duplicate account id", err: s.CreateAccount(ctx, igny8.Account{ID: a.ID, Name: "dup", PlanID: a.PlanID, CreatedAt: now, UpdatedAt: now}), code: igny8.CodeConflict, native: true},
			{name: "duplicate email, other case", err: s.CreateUser(ctx, scopeA, igny8.User{ID: ids.NewID(), Email: "X@example.com", Role: igny8.RoleViewer, CreatedAt: now, UpdatedAt: now}), code: igny8.CodeConflict, native: true},
			{name: "same email in another account", err: s.CreateUser(ctx, scopeB, igny8.User{ID: ids.NewID(), Email: "x@example.com", Role: igny8.RoleViewer, CreatedAt: now, UpdatedAt: now})},
			{name: "account on a missing plan", err: s.CreateAccount(ctx, igny8.Account{ID: ids.NewID(), Name: "x", PlanID: "nope", CreatedAt: now, UpdatedAt: now}), code: igny8.CodeNotFound},
			{name: "update account to a missing plan", err: s.UpdateAccount(ctx, igny8.Account{ID: a.ID, Name: "x", PlanID: "nope", UpdatedAt: now}), code: igny8.CodeNotFound},
			{name: "site in a missing account", err: s.CreateSite(ctx, igny8.Scope{AccountID: "nope"}, igny8.Site{ID: ids.NewID(), Name: "x", CreatedAt: now, UpdatedAt: now}), code: igny8.CodeNotFound},
			{name: "sector under another account's site", err: s.CreateSector(ctx, igny8.Scope{AccountID: a.ID, SiteID: siteB.ID}, sector), code: igny8.CodeNotFound},
			{name: "sector under own site", err: s.CreateSector(ctx, igny8.Scope{AccountID: a.ID, SiteID: siteA.ID}, sector)},
			{name: "sector slug twice in a site", err: s.CreateSector(ctx, igny8.Scope{AccountID: a.ID, SiteID: siteA.ID}, igny8.Sector{ID: ids.NewID(), Name: "s2", Slug: "s", CreatedAt: now, UpdatedAt: now}), code: igny8.CodeConflict, native: true},
			{name: "get another account's site", err: func() error { _, err := s.GetSite(ctx, scopeA, siteB.ID); return err }(), code: igny8.CodeNotFound},
			{name: "update another account's site", err: s.UpdateSite(ctx, scopeA, siteB), code: igny8.CodeNotFound},
			{name: "delete another account's site", err: s.DeleteSite(ctx, scopeA, siteB.ID), code: igny8.CodeNotFound},
			{name: "get missing plan", err: func() error { _, err := s.GetPlan(ctx, "nope"); return err }(), code: igny8.CodeNotFound},
			{name: "scope without account", err: func() error { _, err := s.ListSites(ctx, igny8.Scope{}, igny8.PageRequest{}); return err }(), code: igny8.CodeInvalidArgument},
			{name: "sector without site in scope", err: s.CreateSector(ctx, scopeA, sector), code: igny8.CodeInvalidArgument},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if igny8.CodeOf(tt.err) != tt.code {
					t.Fatalf("err = %v, want code %q", tt.err, tt.code)
				}
				if !tt.native {
					return
				}
				var pgErr *pgconn.PgError
				var liteErr interface{ Code() int }
				if !errors.As(tt.err, &pgErr) && !errors.As(tt.err, &liteErr) {
					t.Fatalf("native driver error not reachable with errors.As in %v", tt.err)
				}
			})
		}
		// The sector was created once and belongs to siteA.
		got, err := s.GetSector(ctx, igny8.Scope{AccountID: a.ID, SiteID: siteA.ID}, sector.ID)
		if err != nil || got.SiteID != siteA.ID || got.AccountID != a.ID {
			t.Fatalf("GetSector = %+v, %v", got, err)
		}
		// Deleting the site deletes its sectors.
		if err := s.DeleteSite(ctx, scopeA, siteA.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.GetSector(ctx, scopeA, sector.ID); igny8.CodeOf(err) != igny8.CodeNotFound {
			t.Fatalf("sector after its site's deletion: %v, want NotFound", err)
		}
	})
}

func TestTimesRoundTripUTCMicroseconds(t *testing.T) {
	eachStore(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		berlin := time.FixedZone("CET", 3600)
		created := time.Date(2026, 3, 29, 1, 59, 59, 123456789, berlin)
		p := igny8.Plan{ID: ids.NewID(), Name: "t", Limits: map[igny8.Limit]int64{igny8.LimitDailyAIRequests: 7},
			Costs: igny8.CostTable{igny8.FuncGenerateImage: {PerCall: 3}}, MonthlyCredits: 99, CreatedAt: created, UpdatedAt: created}
		if err := s.CreatePlan(ctx, p); err != nil {
			t.Fatal(err)
		}
		got, err := s.GetPlan(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := created.UTC().Truncate(time.Microsecond)
		if !got.CreatedAt.Equal(want) || got.CreatedAt.Location() != time.UTC || got.CreatedAt.Nanosecond() != 123456000 {
			t.Fatalf("CreatedAt = %v (%s), want %v UTC", got.CreatedAt, got.CreatedAt.Location(), want)
		}
		if got.Limits[igny8.LimitDailyAIRequests] != 7 || got.Costs[igny8.FuncGenerateImage].PerCall != 3 || got.MonthlyCredits != 99 {
			t.Fatalf("plan round trip = %+v", got)
		}
	})
}

func TestEvents(t *testing.T) {
	eachStore(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		ev := igny8.NewEvents(s, nil, nil)
		acct, site, sector := igny8.Scope{AccountID: "A"}, igny8.Scope{AccountID: "A", SiteID: "S"}, igny8.Scope{AccountID: "A", SiteID: "S", SectorID: "X"}
		other := igny8.Scope{AccountID: "B"}
		emit := func(ctx context.Context, scope igny8.Scope, typ igny8.EventType) igny8.Event {
			t.Helper()
			e, err := ev.Emit(ctx, scope, typ, "subj", map[string]int{"n": 1})
			if err != nil {
				t.Fatal(err)
			}
			return e
		}
		e1 := emit(ctx, acct, igny8.EventKeywordAdded)
		// Rolled back: never delivered.
		boom := errors.New("boom")
		if err := s.InTx(ctx, func(ctx context.Context) error {
			emit(ctx, site, igny8.EventClusterCreated)
			return boom
		}); !errors.Is(err, boom) {
			t.Fatal(err)
		}
		e2 := emit(ctx, site, igny8.EventIdeaCreated)
		e3 := emit(ctx, sector, igny8.EventContentGenerated)
		emit(ctx, other, igny8.EventKeywordAdded)
		if !(e1.Seq < e2.Seq && e2.Seq < e3.Seq) {
			t.Fatalf("seqs %d %d %d not increasing", e1.Seq, e2.Seq, e3.Seq)
		}
		read := func(q igny8.EventQuery) []string {
			t.Helper()
			got, err := ev.Read(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, e := range got {
				if e.Type == igny8.EventClusterCreated {
					t.Fatalf("rolled-back event delivered: %+v", e)
				}
				out = append(out, e.ID)
			}
			return out
		}
		tests := []struct {
			name string
			q    igny8.EventQuery
			want []string
		}{
			{name: "account", q: igny8.EventQuery{Consumer: "c", Scope: acct}, want: []string{e1.ID, e2.ID, e3.ID}},
			{name: "site", q: igny8.EventQuery{Consumer: "c", Scope: site}, want: []string{e2.ID, e3.ID}},
			{name: "sector", q: igny8.EventQuery{Consumer: "c", Scope: sector}, want: []string{e3.ID}},
			{name: "types", q: igny8.EventQuery{Consumer: "c", Scope: acct, Types: []igny8.EventType{igny8.EventIdeaCreated, igny8.EventContentGenerated}}, want: []string{e2.ID, e3.ID}},
			{name: "limit", q: igny8.EventQuery{Consumer: "c", Scope: acct, Limit: 1}, want: []string{e1.ID}},
		}
		for _, tt := range tests {
			if got := read(tt.q); fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("%s: read %v, want %v", tt.name, got, tt.want)
			}
		}
		all := read(igny8.EventQuery{Consumer: "all"})
		if len(all) != 4 {
			t.Fatalf("all-accounts reader got %d events, want 4", len(all))
		}
		got, _ := ev.Read(ctx, igny8.EventQuery{Consumer: "c", Scope: acct})
		if string(got[0].Payload) != `{"n":1}` || got[0].Subject != "subj" || got[0].Scope != acct || got[0].CreatedAt.Location() != time.UTC {
			t.Fatalf("event round trip = %+v", got[0])
		}
		// Ack moves forward only, per (consumer, scope).
		if err := ev.Ack(ctx, "c", acct, e2.Seq); err != nil {
			t.Fatal(err)
		}
		if err := ev.Ack(ctx, "c", acct, e1.Seq); err != nil {
			t.Fatal(err)
		}
		if got := read(igny8.EventQuery{Consumer: "c", Scope: acct}); fmt.Sprint(got) != fmt.Sprint([]string{e3.ID}) {
			t.Fatalf("after ack: %v, want only %s", got, e3.ID)
		}
		if got := read(igny8.EventQuery{Consumer: "c", Scope: site}); len(got) != 2 {
			t.Fatalf("the site cursor moved with the account's: %v", got)
		}
		// Append of a batch returns seqs in order.
		batch := make([]igny8.Event, 3)
		for i := range batch {
			batch[i], _ = ev.New(acct, igny8.EventTaskCreated, fmt.Sprint(i), nil)
		}
		out, err := s.AppendEvents(ctx, batch...)
		if err != nil {
			t.Fatal(err)
		}
		for i := 1; i < len(out); i++ {
			if out[i].Seq <= out[i-1].Seq || out[i].ID != batch[i].ID {
				t.Fatalf("batch seqs %d,%d out of order", out[i-1].Seq, out[i].Seq)
			}
		}
		if _, err := s.AppendEvents(ctx, batch[0]); igny8.CodeOf(err) != igny8.CodeConflict {
			t.Fatalf("duplicate event id: %v, want Conflict", err)
		}
	})
}

// TestEventSeqIsVisibilityOrder: writers append in transactions that stay
// open for a while; a reader that acknowledges what it saw must still get
// every event exactly once (no event commits behind its cursor).
func TestEventSeqIsVisibilityOrder(t *testing.T) {
	eachStore(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		ev := igny8.NewEvents(s, nil, nil)
		scope := igny8.Scope{AccountID: "A"}
		const writers, perWriter = 8, 10
		var wg sync.WaitGroup
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range perWriter {
					err := s.InTx(ctx, func(ctx context.Context) error {
						if _, err := ev.Emit(ctx, scope, igny8.EventTaskCreated, fmt.Sprintf("%d-%d", w, i), nil); err != nil {
							return err
						}
						time.Sleep(time.Duration((w+i)%3) * time.Millisecond)
						return nil
					})
					if err != nil {
						t.Error(err)
						return
					}
				}
			}()
		}
		done := make(chan struct{})
		go func() { wg.Wait(); close(done) }()
		seen := map[string]bool{}
		var last int64
		drain := func() {
			for {
				got, err := ev.Read(ctx, igny8.EventQuery{Consumer: "r", Scope: scope, Limit: 7})
				if err != nil {
					t.Fatal(err)
				}
				if len(got) == 0 {
					return
				}
				for _, e := range got {
					if e.Seq <= last || seen[e.Subject] {
						t.Fatalf("event %s seq %d after %d (seen before: %v)", e.Subject, e.Seq, last, seen[e.Subject])
					}
					last = e.Seq
					seen[e.Subject] = true
				}
				if err := ev.Ack(ctx, "r", scope, last); err != nil {
					t.Fatal(err)
				}
			}
		}
	loop:
		for {
			select {
			case <-done:
				break loop
			default:
				drain()
			}
		}
		drain()
		if len(seen) != writers*perWriter {
			t.Fatalf("reader saw %d events, want %d", len(seen), writers*perWriter)
		}
	})
}

func TestTenancyCRUDAndPaging(t *testing.T) {
	eachStore(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		a := fixture(t, s, 0)
		scope := igny8.Scope{AccountID: a.ID}
		now := time.Now()
		var siteIDs []string
		for i := range 5 {
			x := igny8.Site{ID: ids.NewID(), Name: fmt.Sprint("site", i), Domain: "example.com", Active: i%2 == 0, CreatedAt: now, UpdatedAt: now}
			if err := s.CreateSite(ctx, scope, x); err != nil {
				t.Fatal(err)
			}
			siteIDs = append(siteIDs, x.ID)
		}
		var got []string
		after := ""
		for {
			page, err := s.ListSites(ctx, scope, igny8.PageRequest{Limit: 2, After: after})
			if err != nil {
				t.Fatal(err)
			}
			if len(page) == 0 {
				break
			}
			for _, x := range page {
				got = append(got, x.ID)
			}
			after = page[len(page)-1].ID
		}
		if fmt.Sprint(got) != fmt.Sprint(siteIDs) {
			t.Fatalf("paged sites %v, want %v", got, siteIDs)
		}
		// Site-scoped listing shows that site only.
		one, err := s.ListSites(ctx, igny8.Scope{AccountID: a.ID, SiteID: siteIDs[2]}, igny8.PageRequest{})
		if err != nil || len(one) != 1 || one[0].ID != siteIDs[2] || one[0].Active != true {
			t.Fatalf("site-scoped list = %+v, %v", one, err)
		}
		upd := one[0]
		upd.Name, upd.Active, upd.UpdatedAt = "renamed", false, now.Add(time.Second)
		if err := s.UpdateSite(ctx, scope, upd); err != nil {
			t.Fatal(err)
		}
		back, _ := s.GetSite(ctx, scope, upd.ID)
		if back.Name != "renamed" || back.Active || !back.UpdatedAt.Equal(utcMicro(upd.UpdatedAt)) {
			t.Fatalf("updated site = %+v", back)
		}
		// Users: by email, update, delete.
		u := igny8.User{ID: ids.NewID(), Email: "a@b.co", Name: "A", Role: igny8.RoleEditor, CreatedAt: now, UpdatedAt: now}
		if err := s.CreateUser(ctx, scope, u); err != nil {
			t.Fatal(err)
		}
		byEmail, err := s.GetUserByEmail(ctx, scope, "A@B.co")
		if err != nil || byEmail.ID != u.ID || byEmail.Role != igny8.RoleEditor {
			t.Fatalf("GetUserByEmail = %+v, %v", byEmail, err)
		}
		if _, err := s.GetUserByEmail(ctx, igny8.Scope{AccountID: "other"}, u.Email); igny8.CodeOf(err) != igny8.CodeNotFound {
			t.Fatalf("other account's user by email: %v", err)
		}
		u.Role, u.IsSuperuser = igny8.RoleAdmin, true
		if err := s.UpdateUser(ctx, scope, u); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.GetUser(ctx, scope, u.ID); got.Role != igny8.RoleAdmin || !got.IsSuperuser {
			t.Fatalf("updated user %+v", got)
		}
		if err := s.DeleteUser(ctx, scope, u.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteUser(ctx, scope, u.ID); igny8.CodeOf(err) != igny8.CodeNotFound {
			t.Fatalf("second delete: %v", err)
		}
		// Accounts: update keeps the balance, list pages.
		a.Name, a.TimeZone, a.IsSystem = "renamed", "Europe/Berlin", true
		a.CreditBalance = 1_000_000
		if err := s.UpdateAccount(ctx, a); err != nil {
			t.Fatal(err)
		}
		acct, _ := s.GetAccount(ctx, a.ID)
		if acct.Name != "renamed" || acct.TimeZone != "Europe/Berlin" || !acct.IsSystem || acct.CreditBalance != 0 {
			t.Fatalf("updated account %+v", acct)
		}
		plans, err := s.ListPlans(ctx)
		if err != nil || len(plans) != 1 {
			t.Fatalf("ListPlans = %v, %v", plans, err)
		}
	})
}

func utcMicro(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

func TestInTxCanceledContext(t *testing.T) {
	s := sqlstoretest.SQLite(t)
	ctx, cancel := context.WithCancel(context.Background())
	err := s.InTx(ctx, func(ctx context.Context) error {
		cancel()
		return nil
	})
	if igny8.CodeOf(err) != igny8.CodeUnavailable || !errors.Is(err, context.Canceled) {
		t.Fatalf("InTx with ctx canceled before commit = %v, want Unavailable wrapping context.Canceled", err)
	}
}

// TestOneConnectionPool: with a pool of one connection, store calls inside
// a transaction (including the prepared hot paths, cold or warm) must not
// wait for a second connection.
func TestOneConnectionPool(t *testing.T) {
	for _, skip := range []bool{false, true} {
		t.Run(fmt.Sprintf("skipMigrate=%v", skip), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			s, err := sqlstore.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "one.db"), sqlstore.Options{MaxOpenConns: 1, SkipMigrate: skip})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = s.Close() })
			if skip {
				// Migrate inside nothing: the cache starts cold for the
				// first transaction below only if Migrate did not warm it.
				if err := s.Migrate(ctx); err != nil {
					t.Fatal(err)
				}
			}
			a := fixture(t, s, 10)
			err = s.InTx(ctx, func(ctx context.Context) error {
				if _, err := s.GetAccount(ctx, a.ID); err != nil {
					return err
				}
				if _, err := s.ApplyLedger(ctx, debit(a, "one", 3)); err != nil {
					return err
				}
				_, err := s.ReserveUsage(ctx, igny8.UsageKey{AccountID: a.ID, Limit: igny8.LimitMaxSites}, 1, 3)
				return err
			})
			if err != nil {
				t.Fatalf("InTx on a one-connection pool: %v", err)
			}
			got, err := s.GetAccount(ctx, a.ID)
			if err != nil || got.CreditBalance != 7 {
				t.Fatalf("balance = %d, %v; want 7", got.CreditBalance, err)
			}
		})
	}
}

func TestMemoryOneConnectionPool(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	s, err := sqlstore.Open(ctx, "sqlite::memory:", sqlstore.Options{MaxOpenConns: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	a := fixture(t, s, 5)
	if got, err := s.GetAccount(ctx, a.ID); err != nil || got.CreditBalance != 5 {
		t.Fatalf("GetAccount = %+v, %v", got, err)
	}
}

// TestSQLiteTwoPoolsOneFile: two stores on one file (as two processes
// would be) debit concurrently; writers wait on busy_timeout instead of
// failing with SQLITE_BUSY, and the balance is exact.
func TestSQLiteTwoPoolsOneFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "shared.db")
	open := func() *sqlstore.Store {
		s, err := sqlstore.Open(ctx, "sqlite:"+path, sqlstore.Options{MaxOpenConns: 8})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = s.Close() })
		return s
	}
	a, b := open(), open()
	acct := fixture(t, a, 200)
	var ok, refused atomic.Int64
	var wg sync.WaitGroup
	for i := range 50 {
		s := a
		if i%2 == 1 {
			s = b
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.ApplyLedger(ctx, debit(acct, fmt.Sprintf("d%d", i), 10))
			switch {
			case err == nil:
				ok.Add(1)
			case errors.Is(err, igny8.ErrInsufficientCredits):
				refused.Add(1)
			default:
				t.Errorf("debit %d: %v", i, err)
			}
		}()
	}
	wg.Wait()
	got, err := b.GetAccount(ctx, acct.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.CreditBalance != 0 || ok.Load() != 20 || refused.Load() != 30 {
		t.Fatalf("balance %d, %d debited, %d refused; want 0, 20, 30", got.CreditBalance, ok.Load(), refused.Load())
	}
}
