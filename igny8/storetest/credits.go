package storetest

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/igny8/sdk/igny8"
)

func testCredits(t *testing.T, newStore func(t *testing.T) igny8.Store) {
	t.Run("GrantDebitRefund", func(t *testing.T) {
		e := newEnv(t, newStore)
		a, scope := e.tenant(nil, "")
		g, err := e.credits.Grant(e.ctx, scope, igny8.Charge{Amount: 100, Reason: "welcome", IdempotencyKey: "welcome"})
		ok(t, err, "Grant 100")
		d, err := e.credits.Debit(e.ctx, scope, igny8.Charge{Amount: 30, Reason: "article", Reference: "content:1", IdempotencyKey: "debit:1"})
		ok(t, err, "Debit 30")
		r, err := e.credits.Refund(e.ctx, scope, "debit:1", "")
		ok(t, err, "Refund debit:1")
		want := []struct {
			got                   igny8.LedgerEntry
			kind                  igny8.LedgerKind
			amount, after         int64
			reference, reasonPart string
		}{
			{g, igny8.LedgerGrant, 100, 100, "", "welcome"},
			{d, igny8.LedgerDebit, -30, 70, "content:1", "article"},
			{r, igny8.LedgerRefund, 30, 100, "content:1", "article"},
		}
		for _, w := range want {
			if w.got.Kind != w.kind || w.got.Amount != w.amount || w.got.BalanceAfter != w.after ||
				w.got.Reference != w.reference || w.got.AccountID != a.ID || w.got.ID == "" {
				t.Errorf("%s entry = %+v, want amount %d, balance_after %d, reference %q in %s", w.kind, w.got, w.amount, w.after, w.reference, a.ID)
			}
			if !strings.Contains(w.got.Reason, w.reasonPart) {
				t.Errorf("%s entry reason %q does not contain %q", w.kind, w.got.Reason, w.reasonPart)
			}
		}
		if r.IdempotencyKey != "refund:debit:1" {
			t.Errorf("refund key = %q, want refund:debit:1", r.IdempotencyKey)
		}
		if b := e.balance(scope); b != 100 {
			t.Errorf("balance = %d, want 100", b)
		}
		got, err := e.store.GetLedgerEntry(e.ctx, a.ID, "debit:1")
		ok(t, err, "GetLedgerEntry(debit:1)")
		compareEntry(t, "GetLedgerEntry", got, d)
		_, err = e.store.GetLedgerEntry(e.ctx, a.ID, "never-used")
		wantCode(t, err, igny8.CodeNotFound, "GetLedgerEntry(unknown key)")
	})

	t.Run("Idempotency", func(t *testing.T) {
		e := newEnv(t, newStore)
		a, scope := e.tenant(nil, "")
		e.grant(scope, 100)
		// The longest key allowed, with multi-byte runes, is kept whole.
		longKey := strings.Repeat("ключ-", 21) + "xxxxxxxxxxx"
		if len(longKey) != 200 {
			t.Fatalf("test key is %d bytes", len(longKey))
		}
		long, err := e.credits.Debit(e.ctx, scope, igny8.Charge{Amount: 1, Reason: "long key", IdempotencyKey: longKey})
		ok(t, err, "Debit with a 200-byte key")
		again, err := e.store.GetLedgerEntry(e.ctx, a.ID, longKey)
		ok(t, err, "GetLedgerEntry(long key)")
		compareEntry(t, "entry with a long key", again, long)
		e.grant(scope, 1)

		ch := igny8.Charge{Amount: 10, Reason: "retry me", IdempotencyKey: "job:7"}
		first, err := e.credits.Debit(e.ctx, scope, ch)
		ok(t, err, "Debit")
		e.grant(scope, 5) // the balance moves on before the retry
		second, err := e.credits.Debit(e.ctx, scope, ch)
		ok(t, err, "Debit retried")
		compareEntry(t, "retried debit", second, first)
		if b := e.balance(scope); b != 95 {
			t.Errorf("balance after a debit retried = %d, want 95 (charged once)", b)
		}
		cases := []struct {
			name string
			run  func() error
		}{
			{"same key, other amount", func() error {
				_, err := e.credits.Debit(e.ctx, scope, igny8.Charge{Amount: 11, Reason: "retry me", IdempotencyKey: "job:7"})
				return err
			}},
			{"same key, other kind", func() error {
				_, err := e.credits.Grant(e.ctx, scope, igny8.Charge{Amount: 10, Reason: "retry me", IdempotencyKey: "job:7"})
				return err
			}},
		}
		for _, c := range cases {
			wantCode(t, c.run(), igny8.CodeConflict, "%s", c.name)
		}
		list, err := e.store.ListLedger(e.ctx, a.ID, igny8.PageRequest{})
		ok(t, err, "ListLedger")
		if len(list) != 5 {
			t.Errorf("ledger has %d entries, want 5 (grant, debit, grant, debit, grant)", len(list))
		}
		if b := e.balance(scope); b != 95 {
			t.Errorf("balance after conflicts = %d, want 95", b)
		}
	})

	t.Run("NeverNegative", func(t *testing.T) {
		e := newEnv(t, newStore)
		a, scope := e.tenant(nil, "")
		e.grant(scope, 50)
		_, err := e.credits.Debit(e.ctx, scope, igny8.Charge{Amount: 51, Reason: "too much", IdempotencyKey: "big"})
		var ce *igny8.CreditError
		if !errors.As(err, &ce) {
			t.Fatalf("Debit 51 of 50: got %v, want a *igny8.CreditError", err)
		}
		if ce.AccountID != a.ID || ce.Balance != 50 || ce.Requested != 51 {
			t.Errorf("CreditError = %+v, want account %s balance 50 requested 51", *ce, a.ID)
		}
		if !errors.Is(err, igny8.ErrInsufficientCredits) {
			t.Errorf("%v does not match ErrInsufficientCredits", err)
		}
		if b := e.balance(scope); b != 50 {
			t.Errorf("balance after a refused debit = %d, want 50", b)
		}
		_, err = e.store.GetLedgerEntry(e.ctx, a.ID, "big")
		wantCode(t, err, igny8.CodeNotFound, "ledger entry of a refused debit")
		// The refused key is free: after a grant, the retry goes through.
		e.grant(scope, 1)
		d, err := e.credits.Debit(e.ctx, scope, igny8.Charge{Amount: 51, Reason: "too much", IdempotencyKey: "big"})
		ok(t, err, "Debit 51 of 51")
		if d.BalanceAfter != 0 {
			t.Errorf("balance after spending everything = %d, want 0", d.BalanceAfter)
		}
		_, err = e.credits.Debit(e.ctx, scope, igny8.Charge{Amount: 1, Reason: "one more", IdempotencyKey: "one"})
		wantCode(t, err, igny8.CodeInsufficientCredits, "Debit 1 of 0")
	})

	t.Run("RefundOnce", func(t *testing.T) {
		e := newEnv(t, newStore)
		_, scope := e.tenant(nil, "")
		e.grant(scope, 100)
		_, err := e.credits.Debit(e.ctx, scope, igny8.Charge{Amount: 40, Reason: "failed call", IdempotencyKey: "call:1"})
		ok(t, err, "Debit")
		r1, err := e.credits.Refund(e.ctx, scope, "call:1", "model failed")
		ok(t, err, "Refund")
		r2, err := e.credits.Refund(e.ctx, scope, "call:1", "model failed")
		ok(t, err, "Refund again")
		compareEntry(t, "second refund", r2, r1)
		if b := e.balance(scope); b != 100 {
			t.Errorf("balance after a refund applied twice = %d, want 100", b)
		}
		_, err = e.credits.Refund(e.ctx, scope, "call:unknown", "")
		wantCode(t, err, igny8.CodeNotFound, "Refund of an unknown key")
		grant := e.grant(scope, 1)
		_, err = e.credits.Refund(e.ctx, scope, grant.IdempotencyKey, "")
		wantField(t, err, "debit_key", "Refund of a grant")
	})

	t.Run("UnknownAccount", func(t *testing.T) {
		e := newEnv(t, newStore)
		_, err := e.credits.Grant(e.ctx, scopeOfAccount(e.ids.NewID()), igny8.Charge{Amount: 1, Reason: "x", IdempotencyKey: "x"})
		wantCode(t, err, igny8.CodeNotFound, "Grant to a missing account")
	})

	t.Run("Validation", func(t *testing.T) {
		e := newEnv(t, newStore)
		_, scope := e.tenant(nil, "")
		cases := []struct {
			name  string
			ch    igny8.Charge
			field string
		}{
			{"zero amount", igny8.Charge{Reason: "x", IdempotencyKey: "k"}, "amount"},
			{"negative amount", igny8.Charge{Amount: -5, Reason: "x", IdempotencyKey: "k"}, "amount"},
			{"no reason", igny8.Charge{Amount: 1, IdempotencyKey: "k"}, "reason"},
			{"no key", igny8.Charge{Amount: 1, Reason: "x"}, "idempotency_key"},
		}
		for _, c := range cases {
			_, err := e.credits.Grant(e.ctx, scope, c.ch)
			wantField(t, err, c.field, "Grant("+c.name+")")
		}
		if b := e.balance(scope); b != 0 {
			t.Errorf("invalid grants moved the balance to %d", b)
		}
	})

	t.Run("LedgerOrderAndPagination", func(t *testing.T) {
		e := newEnv(t, newStore)
		a, scope := e.tenant(nil, "")
		var want []igny8.LedgerEntry
		want = append(want, e.grant(scope, 50))
		for i := range 6 {
			d, err := e.credits.Debit(e.ctx, scope, igny8.Charge{Amount: int64(i + 1), Reason: "step", IdempotencyKey: fmt.Sprintf("step:%d", i)})
			ok(t, err, "Debit %d", i)
			want = append(want, d)
		}
		got := pages(t, "ListLedger", 3, entryID, func(pr igny8.PageRequest) ([]igny8.LedgerEntry, error) {
			return e.store.ListLedger(e.ctx, a.ID, pr)
		})
		if len(got) != len(want) {
			t.Fatalf("ListLedger returned %d entries, want %d", len(got), len(want))
		}
		var running int64
		for i := range got {
			compareEntry(t, fmt.Sprintf("entry %d", i), got[i], want[i])
			running += got[i].Amount
			if got[i].BalanceAfter != running {
				t.Errorf("entry %d: balance_after %d, want the running sum %d", i, got[i].BalanceAfter, running)
			}
		}
		viaService, err := e.credits.Ledger(e.ctx, scope, igny8.PageRequest{Limit: 2, After: want[4].ID})
		ok(t, err, "Credits.Ledger")
		if !sameIDs(idsOf(viaService, entryID), []string{want[5].ID, want[6].ID}) {
			t.Errorf("Credits.Ledger after entry 4 = %v, want entries 5 and 6", idsOf(viaService, entryID))
		}
	})

	t.Run("Concurrent", func(t *testing.T) {
		e := newEnv(t, newStore)
		a, scope := e.tenant(nil, "")
		e.grant(scope, 200)
		codes := concurrently(50, func(i int) error {
			_, err := e.credits.Debit(e.ctx, scope, igny8.Charge{Amount: 10, Reason: "race", IdempotencyKey: fmt.Sprintf("race:%d", i)})
			return err
		})
		if codes[""] != 20 || codes[igny8.CodeInsufficientCredits] != 30 || len(codes) != 2 {
			t.Errorf("50 concurrent debits of 10 against 200: outcomes %v, want 20 ok and 30 %s", codes, igny8.CodeInsufficientCredits)
		}
		if b := e.balance(scope); b != 0 {
			t.Errorf("balance after the race = %d, want 0", b)
		}
		list, err := e.store.ListLedger(e.ctx, a.ID, igny8.PageRequest{})
		ok(t, err, "ListLedger")
		var afters []int
		for _, le := range list {
			if le.Kind == igny8.LedgerDebit {
				afters = append(afters, int(le.BalanceAfter))
			}
		}
		sort.Ints(afters)
		for i, v := range afters {
			if v != i*10 {
				t.Errorf("debit balance_after values %v, want 0, 10, ..., 190 each once", afters)
				break
			}
		}
		if len(afters) != 20 {
			t.Errorf("ledger holds %d debits, want 20", len(afters))
		}
	})

	t.Run("ConcurrentSameKey", func(t *testing.T) {
		e := newEnv(t, newStore)
		a, scope := e.tenant(nil, "")
		e.grant(scope, 100)
		var mu sync.Mutex
		entries := map[string]int{}
		codes := concurrently(20, func(int) error {
			le, err := e.credits.Debit(e.ctx, scope, igny8.Charge{Amount: 10, Reason: "retried", IdempotencyKey: "same"})
			if err == nil {
				mu.Lock()
				entries[le.ID]++
				mu.Unlock()
			}
			return err
		})
		if codes[""] != 20 || len(codes) != 1 || len(entries) != 1 {
			t.Errorf("20 concurrent debits with one key: outcomes %v, entries %v; want all 20 ok with one entry", codes, entries)
		}
		if b := e.balance(scope); b != 90 {
			t.Errorf("balance = %d, want 90 (charged once)", b)
		}
		list, err := e.store.ListLedger(e.ctx, a.ID, igny8.PageRequest{})
		ok(t, err, "ListLedger")
		if len(list) != 2 {
			t.Errorf("ledger has %d entries, want 2", len(list))
		}
	})

	t.Run("CostTable", func(t *testing.T) {
		e := newEnv(t, newStore)
		p, err := e.tenancy.CreatePlan(e.ctx, igny8.Plan{Name: "Custom", Costs: igny8.CostTable{igny8.FuncGenerateContent: {PerCall: 7}}})
		ok(t, err, "CreatePlan")
		a := e.account(p, "")
		scope := scopeOfAccount(a.ID)
		cases := []struct {
			fn     string
			tokens int64
			want   int64
		}{
			{igny8.FuncGenerateContent, 5000, 7},     // the plan's override: per call only
			{igny8.FuncAutoCluster, 1500, 1 + 2},     // default {1, 1}: 1.5k tokens round up to 2
			{igny8.FuncGenerateImage, 0, 5},          // default per call
			{igny8.FuncOptimizeContent, 1, 1 + 1},    // any token costs a whole unit
			{igny8.FuncOptimizeContent, 1000, 1 + 2}, // exactly 1k tokens
		}
		for _, c := range cases {
			got, err := e.credits.Cost(e.ctx, scope, c.fn, c.tokens)
			if err != nil || got != c.want {
				t.Errorf("Cost(%s, %d) = %d, %v; want %d", c.fn, c.tokens, got, err, c.want)
			}
		}
		_, err = e.credits.Cost(e.ctx, scope, "summon_unicorn", 1)
		wantField(t, err, "function", "Cost of an unknown function")
	})

	t.Run("CostFor", func(t *testing.T) {
		c := igny8.Cost{PerCall: 2, Per1KTokens: 3}
		cases := []struct{ tokens, want int64 }{
			{-5, 2}, {0, 2}, {1, 3}, {333, 3}, {334, 4}, {1000, 5}, {1001, 6},
		}
		for _, tc := range cases {
			if got := c.For(tc.tokens); got != tc.want {
				t.Errorf("%+v.For(%d) = %d, want %d", c, tc.tokens, got, tc.want)
			}
		}
	})
}

func compareEntry(t *testing.T, what string, got, want igny8.LedgerEntry) {
	t.Helper()
	if got.ID != want.ID || got.AccountID != want.AccountID || got.Kind != want.Kind || got.Amount != want.Amount ||
		got.BalanceAfter != want.BalanceAfter || got.Reason != want.Reason || got.Reference != want.Reference ||
		got.IdempotencyKey != want.IdempotencyKey || !sameTime(got.CreatedAt, want.CreatedAt) {
		t.Errorf("%s:\n got  %+v\n want %+v", what, got, want)
	}
}
