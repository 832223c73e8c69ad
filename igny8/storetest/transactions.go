package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/igny8/sdk/igny8"
)

func testTransactions(t *testing.T, newStore func(t *testing.T) igny8.Store) {
	t.Run("CommitOnNil", func(t *testing.T) {
		e := newEnv(t, newStore)
		a := e.account(e.plan(nil), "")
		scope := scopeOfAccount(a.ID)
		var s igny8.Site
		err := e.store.InTx(e.ctx, func(ctx context.Context) error {
			var err error
			s, err = e.tenancy.CreateSite(ctx, scope, igny8.Site{Name: "Committed"})
			if err != nil {
				return err
			}
			// The transaction reads its own writes.
			if _, err := e.store.GetSite(ctx, scope, s.ID); err != nil {
				t.Errorf("GetSite inside the transaction that created it: %v", err)
			}
			return nil
		})
		ok(t, err, "InTx")
		if _, err := e.store.GetSite(e.ctx, scope, s.ID); err != nil {
			t.Errorf("GetSite after commit: %v", err)
		}
	})

	t.Run("RollbackOnError", func(t *testing.T) {
		e := newEnv(t, newStore)
		a := e.account(e.plan(nil), "")
		scope := scopeOfAccount(a.ID)
		e.grant(scope, 10)
		boom := errors.New("boom")
		var s igny8.Site
		var sec igny8.Sector
		err := e.store.InTx(e.ctx, func(ctx context.Context) error {
			var err error
			if s, err = e.tenancy.CreateSite(ctx, scope, igny8.Site{Name: "Doomed"}); err != nil {
				return err
			}
			if sec, err = e.tenancy.CreateSector(ctx, s.Scope(), igny8.Sector{Name: "Doomed"}); err != nil {
				return err
			}
			if _, err = e.credits.Debit(ctx, scope, igny8.Charge{Amount: 4, Reason: "x", IdempotencyKey: "rolled-back"}); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Errorf("InTx returned %v, want the function's error", err)
		}
		e.wantGone(scope, s, sec)
		if b := e.balance(scope); b != 10 {
			t.Errorf("balance after a rolled-back debit = %d, want 10", b)
		}
		_, err = e.store.GetLedgerEntry(e.ctx, a.ID, "rolled-back")
		wantCode(t, err, igny8.CodeNotFound, "ledger entry of a rolled-back debit")
		if n := e.usage(igny8.UsageKey{AccountID: a.ID, Limit: igny8.LimitMaxSites}); n != 0 {
			t.Errorf("max_sites usage after a rolled-back CreateSite = %d, want 0", n)
		}
	})

	t.Run("RollbackOnPanic", func(t *testing.T) {
		e := newEnv(t, newStore)
		a := e.account(e.plan(nil), "")
		scope := scopeOfAccount(a.ID)
		var s igny8.Site
		type marker struct{ why string }
		recovered := func() (r any) {
			defer func() { r = recover() }()
			_ = e.store.InTx(e.ctx, func(ctx context.Context) error {
				var err error
				if s, err = e.tenancy.CreateSite(ctx, scope, igny8.Site{Name: "Panicked"}); err != nil {
					t.Errorf("CreateSite: %v", err)
				}
				panic(marker{"boom"})
			})
			return nil
		}()
		if m, isMarker := recovered.(marker); !isMarker || m.why != "boom" {
			t.Errorf("InTx recovered %v from the function's panic, want it re-raised as is", recovered)
		}
		e.wantGone(scope, s, igny8.Sector{})
		// The store still works after the panic.
		e.site(scope, "After")
	})

	t.Run("NestedJoins", func(t *testing.T) {
		e := newEnv(t, newStore)
		a := e.account(e.plan(nil), "")
		scope := scopeOfAccount(a.ID)
		boom := errors.New("outer fails")
		var s igny8.Site
		var sec igny8.Sector
		err := e.store.InTx(e.ctx, func(ctx context.Context) error {
			var err error
			if s, err = e.tenancy.CreateSite(ctx, scope, igny8.Site{Name: "Outer"}); err != nil {
				return err
			}
			err = e.store.InTx(ctx, func(ctx context.Context) error {
				// The inner function sees the outer's writes: it is the same
				// transaction.
				var err error
				sec, err = e.tenancy.CreateSector(ctx, s.Scope(), igny8.Sector{Name: "Inner"})
				return err
			})
			if err != nil {
				return err
			}
			if _, err := e.store.GetSector(ctx, scope, sec.ID); err != nil {
				t.Errorf("outer transaction does not see the inner's sector: %v", err)
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Errorf("InTx returned %v, want the outer function's error", err)
		}
		// The inner InTx returned nil, but it joined the outer: all of it
		// rolled back.
		e.wantGone(scope, s, sec)

		inner := errors.New("inner fails")
		err = e.store.InTx(e.ctx, func(ctx context.Context) error {
			var err error
			if s, err = e.tenancy.CreateSite(ctx, scope, igny8.Site{Name: "Outer 2"}); err != nil {
				return err
			}
			return e.store.InTx(ctx, func(ctx context.Context) error { return inner })
		})
		if !errors.Is(err, inner) {
			t.Errorf("InTx returned %v, want the inner function's error", err)
		}
		e.wantGone(scope, s, igny8.Sector{})
	})

	t.Run("NoDirtyReads", func(t *testing.T) {
		e := newEnv(t, newStore)
		a := e.account(e.plan(nil), "")
		scope := scopeOfAccount(a.ID)
		type read struct {
			err error
			at  string
		}
		seen := make(chan read, 1)
		var s igny8.Site
		err := e.store.InTx(e.ctx, func(ctx context.Context) error {
			var err error
			if s, err = e.tenancy.CreateSite(ctx, scope, igny8.Site{Name: "Uncommitted"}); err != nil {
				return err
			}
			// Another caller, outside the transaction, looks for the site
			// while the transaction is still open. A store may make it wait
			// for the commit; it must not show it the uncommitted row.
			go func() {
				_, err := e.store.GetSite(e.ctx, scope, s.ID)
				seen <- read{err: err}
			}()
			select {
			case r := <-seen:
				r.at = "before commit"
				seen <- r
			case <-time.After(500 * time.Millisecond):
			}
			return nil
		})
		ok(t, err, "InTx")
		r := <-seen
		if r.at == "before commit" && igny8.CodeOf(r.err) != igny8.CodeNotFound {
			t.Errorf("a reader outside the transaction saw its uncommitted site: GetSite = %v, want NotFound", r.err)
		}
	})

	t.Run("CanceledBeforeCommit", func(t *testing.T) {
		e := newEnv(t, newStore)
		a := e.account(e.plan(nil), "")
		scope := scopeOfAccount(a.ID)
		ctx, cancel := context.WithCancel(e.ctx)
		var s igny8.Site
		err := e.store.InTx(ctx, func(ctx context.Context) error {
			var err error
			s, err = e.tenancy.CreateSite(ctx, scope, igny8.Site{Name: "Canceled"})
			cancel()
			return err
		})
		// Either the commit went through and InTx says so, or it did not
		// and InTx reports an error: never a nil error for a lost write.
		_, getErr := e.store.GetSite(e.ctx, scope, s.ID)
		switch {
		case err == nil && getErr != nil:
			t.Errorf("InTx returned nil after its context was canceled, but the site is gone: %v", getErr)
		case err != nil && getErr == nil:
			t.Errorf("InTx returned %v, but the site was committed", err)
		case err != nil:
			if igny8.CodeOf(err) != igny8.CodeUnavailable && !errors.Is(err, context.Canceled) {
				t.Errorf("InTx with a canceled context returned %v (code %q), want Unavailable or context.Canceled", err, igny8.CodeOf(err))
			}
		}
	})

	t.Run("RolledBackReservationNotCounted", func(t *testing.T) {
		e := newEnv(t, newStore)
		_, scope := e.tenant(map[igny8.Limit]int64{igny8.LimitDailyContentTasks: 3}, "")
		boom := errors.New("job failed to queue")
		var r igny8.Reservation
		err := e.store.InTx(e.ctx, func(ctx context.Context) error {
			var err error
			if r, err = e.limits.Reserve(ctx, scope, igny8.LimitDailyContentTasks, 3); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("InTx returned %v, want the function's error", err)
		}
		if n := e.usage(r.Key); n != 0 {
			t.Errorf("usage after a rolled-back reservation = %d, want 0", n)
		}
		if _, err := e.limits.Reserve(e.ctx, scope, igny8.LimitDailyContentTasks, 3); err != nil {
			t.Errorf("Reserve the whole limit after a rolled-back reservation: %v", err)
		}
	})
}

// wantGone checks that a site (and a sector, when its ID is set) do not
// exist.
func (e *env) wantGone(scope igny8.Scope, s igny8.Site, sec igny8.Sector) {
	e.t.Helper()
	if s.ID == "" {
		e.t.Errorf("the site was never created")
		return
	}
	_, err := e.store.GetSite(e.ctx, scope, s.ID)
	wantCode(e.t, err, igny8.CodeNotFound, "GetSite of a rolled-back site")
	if sec.ID != "" {
		_, err := e.store.GetSector(e.ctx, scope, sec.ID)
		wantCode(e.t, err, igny8.CodeNotFound, "GetSector of a rolled-back sector")
	}
	list, err := e.store.ListSites(e.ctx, scope, igny8.PageRequest{})
	ok(e.t, err, "ListSites")
	for _, got := range list {
		if got.ID == s.ID {
			e.t.Errorf("ListSites lists the rolled-back site %s", s.ID)
		}
	}
}
