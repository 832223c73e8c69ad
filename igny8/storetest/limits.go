package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/igny8/sdk/igny8"
)

func testLimits(t *testing.T, newStore func(t *testing.T) igny8.Store) {
	t.Run("ReserveWithinLimit", func(t *testing.T) {
		e := newEnv(t, newStore)
		_, scope := e.tenant(map[igny8.Limit]int64{igny8.LimitDailyAIRequests: 5}, "")
		_, err := e.limits.Reserve(e.ctx, scope, igny8.LimitDailyAIRequests, 3)
		ok(t, err, "Reserve 3 of 5")
		// A request larger than what is left is refused whole.
		_, err = e.limits.Reserve(e.ctx, scope, igny8.LimitDailyAIRequests, 3)
		wantCode(t, err, igny8.CodeLimitExceeded, "Reserve 3 with 2 left")
		_, err = e.limits.Reserve(e.ctx, scope, igny8.LimitDailyAIRequests, 2)
		ok(t, err, "Reserve 2 more of 5")
		_, err = e.limits.Reserve(e.ctx, scope, igny8.LimitDailyAIRequests, 1)
		var le *igny8.LimitError
		if !errors.As(err, &le) {
			t.Fatalf("Reserve past the limit: got %v, want a *igny8.LimitError", err)
		}
		want := igny8.LimitError{Limit: igny8.LimitDailyAIRequests, Max: 5, Used: 5, Requested: 1, Period: "2026-03-14"}
		if le.Limit != want.Limit || le.Max != want.Max || le.Used != want.Used || le.Requested != want.Requested || le.Period != want.Period {
			t.Errorf("LimitError = %+v, want %+v", *le, want)
		}
		if !errors.Is(err, igny8.ErrLimitExceeded) || igny8.CodeOf(err) != igny8.CodeLimitExceeded {
			t.Errorf("%v does not carry LimitExceeded", err)
		}
		_, err = e.limits.Reserve(e.ctx, scope, igny8.LimitMonthlyWords, 1)
		ok(t, err, "Reserve of another limit at the same time")
		u, err := e.limits.Usage(e.ctx, scope, igny8.LimitDailyAIRequests)
		ok(t, err, "Usage")
		if u.Used != 5 || u.Max != 5 || u.Period != "2026-03-14" || u.Kind != "daily" {
			t.Errorf("Usage = %+v, want used 5 max 5 period 2026-03-14 kind daily", u)
		}
	})

	t.Run("StoreReserveUsage", func(t *testing.T) {
		e := newEnv(t, newStore)
		a, scope := e.tenant(nil, "")
		key := igny8.UsageKey{AccountID: a.ID, SiteID: scope.SiteID, Limit: igny8.LimitMonthlyImages, Period: "2026-03"}
		if n := e.usage(key); n != 0 {
			t.Errorf("GetUsage of a fresh counter = %d, want 0", n)
		}
		cases := []struct {
			name    string
			n, max  int64
			want    int64
			refused bool
		}{
			{"first", 4, 10, 4, false},
			{"up to the limit", 6, 10, 10, false},
			{"one past", 1, 10, 10, true},
			{"raised limit", 5, 15, 15, false},
			{"unlimited", 100, -1, 115, false},
			{"limit below use", 1, 3, 115, true},
		}
		for _, c := range cases {
			got, err := e.store.ReserveUsage(e.ctx, key, c.n, c.max)
			if c.refused {
				var le *igny8.LimitError
				if !errors.As(err, &le) {
					t.Errorf("%s: got %v, want a *igny8.LimitError", c.name, err)
				} else if le.Used != c.want || le.Max != c.max || le.Requested != c.n || le.Limit != key.Limit {
					t.Errorf("%s: LimitError = %+v, want used %d max %d requested %d", c.name, *le, c.want, c.max, c.n)
				}
			} else if err != nil || got != c.want {
				t.Errorf("%s: ReserveUsage(%d, max %d) = %d, %v; want %d", c.name, c.n, c.max, got, err, c.want)
			}
			if n := e.usage(key); n != c.want {
				t.Errorf("%s: GetUsage = %d, want %d", c.name, n, c.want)
			}
		}
		// Counters of other periods, sites and limits are separate.
		for _, other := range []igny8.UsageKey{
			{AccountID: a.ID, SiteID: scope.SiteID, Limit: igny8.LimitMonthlyImages, Period: "2026-04"},
			{AccountID: a.ID, SiteID: e.ids.NewID(), Limit: igny8.LimitMonthlyImages, Period: "2026-03"},
			{AccountID: a.ID, SiteID: scope.SiteID, Limit: igny8.LimitMonthlyWords, Period: "2026-03"},
		} {
			if n := e.usage(other); n != 0 {
				t.Errorf("GetUsage(%+v) = %d, want 0 (a separate counter)", other, n)
			}
		}
	})

	t.Run("Release", func(t *testing.T) {
		e := newEnv(t, newStore)
		_, scope := e.tenant(map[igny8.Limit]int64{igny8.LimitDailyContentTasks: 5}, "")
		r1, err := e.limits.Reserve(e.ctx, scope, igny8.LimitDailyContentTasks, 3)
		ok(t, err, "Reserve 3")
		r2, err := e.limits.Reserve(e.ctx, scope, igny8.LimitDailyContentTasks, 2)
		ok(t, err, "Reserve 2")
		ok(t, e.limits.Release(e.ctx, r2), "Release 2")
		if n := e.usage(r1.Key); n != 3 {
			t.Errorf("usage after releasing 2 of 5 = %d, want 3", n)
		}
		ok(t, e.store.ReleaseUsage(e.ctx, r1.Key, 100), "ReleaseUsage(100)")
		if n := e.usage(r1.Key); n != 0 {
			t.Errorf("usage after releasing more than used = %d, want 0 (never below zero)", n)
		}
		ok(t, e.store.ReleaseUsage(e.ctx, igny8.UsageKey{AccountID: scope.AccountID, SiteID: scope.SiteID, Limit: igny8.LimitDailyContentTasks, Period: "1999-01-01"}, 1), "ReleaseUsage of a counter never used")
		if _, err := e.limits.Reserve(e.ctx, scope, igny8.LimitDailyContentTasks, 5); err != nil {
			t.Errorf("Reserve 5 of 5 after release: %v (release must not leave a negative counter or a debt)", err)
		}
	})

	t.Run("DayBoundaryInAccountZone", func(t *testing.T) {
		e := newEnv(t, newStore)
		limits := map[igny8.Limit]int64{igny8.LimitDailyAIRequests: 2}
		_, tokyo := e.tenant(limits, "Asia/Tokyo")
		_, utc := e.tenant(limits, "")
		// 23:30 in Tokyo is 14:30 UTC on the same date.
		e.clock.Set(time.Date(2026, 3, 14, 14, 30, 0, 0, time.UTC))
		for _, scope := range []igny8.Scope{tokyo, utc} {
			_, err := e.limits.Reserve(e.ctx, scope, igny8.LimitDailyAIRequests, 2)
			ok(t, err, "Reserve the whole day in %s", scope)
			_, err = e.limits.Reserve(e.ctx, scope, igny8.LimitDailyAIRequests, 1)
			wantCode(t, err, igny8.CodeLimitExceeded, "Reserve past the daily limit")
		}
		// 00:30 the next day in Tokyo; still the 14th in UTC.
		e.clock.Advance(time.Hour)
		r, err := e.limits.Reserve(e.ctx, tokyo, igny8.LimitDailyAIRequests, 2)
		ok(t, err, "Reserve after midnight in Tokyo")
		if r.Key.Period != "2026-03-15" {
			t.Errorf("Tokyo period after its midnight = %q, want 2026-03-15", r.Key.Period)
		}
		_, err = e.limits.Reserve(e.ctx, utc, igny8.LimitDailyAIRequests, 1)
		wantCode(t, err, igny8.CodeLimitExceeded, "Reserve in UTC before its midnight")
		u, err := e.limits.Usage(e.ctx, tokyo, igny8.LimitDailyAIRequests)
		ok(t, err, "Usage")
		if u.Used != 2 || u.Period != "2026-03-15" {
			t.Errorf("Tokyo usage = %+v, want used 2 in 2026-03-15", u)
		}
		prev := r.Key
		prev.Period = "2026-03-14"
		if n := e.usage(prev); n != 2 {
			t.Errorf("Tokyo usage of 2026-03-14 = %d, want 2 (kept)", n)
		}
	})

	t.Run("MonthlyRollover", func(t *testing.T) {
		e := newEnv(t, newStore)
		_, scope := e.tenant(map[igny8.Limit]int64{igny8.LimitMonthlyWords: 1000}, "Asia/Tokyo")
		// 23:30 on 31 March in Tokyo.
		e.clock.Set(time.Date(2026, 3, 31, 14, 30, 0, 0, time.UTC))
		march, err := e.limits.Reserve(e.ctx, scope, igny8.LimitMonthlyWords, 1000)
		ok(t, err, "Reserve March's words")
		_, err = e.limits.Reserve(e.ctx, scope, igny8.LimitMonthlyWords, 1)
		wantCode(t, err, igny8.CodeLimitExceeded, "Reserve past March's words")
		e.clock.Advance(time.Hour)
		april, err := e.limits.Reserve(e.ctx, scope, igny8.LimitMonthlyWords, 1000)
		ok(t, err, "Reserve on 1 April in Tokyo")
		if march.Key.Period != "2026-03" || april.Key.Period != "2026-04" {
			t.Errorf("periods = %q, %q; want 2026-03, 2026-04", march.Key.Period, april.Key.Period)
		}
		// A reservation released after the rollover goes back to its month.
		ok(t, e.limits.Release(e.ctx, march), "Release March after rollover")
		if n := e.usage(march.Key); n != 0 {
			t.Errorf("March usage after release = %d, want 0", n)
		}
		if n := e.usage(april.Key); n != 1000 {
			t.Errorf("April usage = %d, want 1000", n)
		}
	})

	t.Run("UnlimitedAndZero", func(t *testing.T) {
		e := newEnv(t, newStore)
		_, scope := e.tenant(map[igny8.Limit]int64{igny8.LimitMaxKeywords: 0}, "")
		_, err := e.limits.Reserve(e.ctx, scope, igny8.LimitMaxClusters, 1_000_000)
		ok(t, err, "Reserve of a limit the plan omits")
		u, err := e.limits.Usage(e.ctx, scope, igny8.LimitMaxClusters)
		ok(t, err, "Usage")
		if u.Max != -1 || u.Used != 1_000_000 {
			t.Errorf("unlimited usage = %+v, want max -1 used 1000000", u)
		}
		_, err = e.limits.Reserve(e.ctx, scope, igny8.LimitMaxKeywords, 1)
		var le *igny8.LimitError
		if !errors.As(err, &le) || le.Max != 0 || le.Used != 0 || le.Requested != 1 {
			t.Errorf("Reserve on a limit of 0: got %v, want a LimitError max 0 used 0 requested 1", err)
		}
	})

	t.Run("Validation", func(t *testing.T) {
		e := newEnv(t, newStore)
		a, scope := e.tenant(nil, "")
		cases := []struct {
			name  string
			scope igny8.Scope
			limit igny8.Limit
			n     int64
			field string
		}{
			{"zero units", scope, igny8.LimitDailyAIRequests, 0, "n"},
			{"unknown limit", scope, "max_unicorns", 1, "limit"},
			{"per-site limit without site", scopeOfAccount(a.ID), igny8.LimitDailyAIRequests, 1, "scope.site_id"},
			{"no account", igny8.Scope{}, igny8.LimitMaxKeywords, 1, "scope.account_id"},
		}
		for _, c := range cases {
			_, err := e.limits.Reserve(e.ctx, c.scope, c.limit, c.n)
			wantField(t, err, c.field, "Reserve("+c.name+")")
		}
		_, err := e.limits.Reserve(e.ctx, scopeOfAccount(e.ids.NewID()), igny8.LimitMaxKeywords, 1)
		wantCode(t, err, igny8.CodeNotFound, "Reserve for a missing account")
	})

	t.Run("Concurrent", func(t *testing.T) {
		e := newEnv(t, newStore)
		_, scope := e.tenant(map[igny8.Limit]int64{igny8.LimitDailyAIRequests: 20}, "")
		const workers = 50
		codes := concurrently(workers, func(int) error {
			_, err := e.limits.Reserve(e.ctx, scope, igny8.LimitDailyAIRequests, 1)
			return err
		})
		if codes[""] != 20 || codes[igny8.CodeLimitExceeded] != 30 || len(codes) != 2 {
			t.Errorf("50 concurrent reservations of 1 against 20: outcomes %v, want 20 ok and 30 %s", codes, igny8.CodeLimitExceeded)
		}
		u, err := e.limits.Usage(e.ctx, scope, igny8.LimitDailyAIRequests)
		ok(t, err, "Usage")
		if u.Used != 20 {
			t.Errorf("usage after the race = %d, want 20", u.Used)
		}
	})
}

// concurrently runs fn in n goroutines that start together and counts the
// outcomes by error code ("" for success). An error without a code counts
// as its message so that a test sees it.
func concurrently(n int, fn func(i int) error) map[igny8.Code]int {
	var (
		mu    sync.Mutex
		wg    sync.WaitGroup
		start = make(chan struct{})
		codes = map[igny8.Code]int{}
	)
	for i := range n {
		wg.Go(func() {
			<-start
			err := fn(i)
			code := igny8.CodeOf(err)
			if code == igny8.CodeInternal || code == igny8.CodeUnavailable {
				code = igny8.Code(fmt.Sprintf("%s(%v)", code, err))
			}
			mu.Lock()
			codes[code]++
			mu.Unlock()
		})
	}
	close(start)
	wg.Wait()
	return codes
}
