package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/igny8/sdk/adapters/sqlstore"
	"github.com/igny8/sdk/igny8"
)

// benchLedger measures credit debits per second through igny8.Credits on
// SQLite and, where reachable, Postgres: concurrent goroutines each debit 1
// credit with its own idempotency key from a balance that never runs out.
func benchLedger(ctx context.Context, args []string, out *reporter) error {
	fs := flag.NewFlagSet("ledger", flag.ContinueOnError)
	n := fs.Int("n", 5000, "debits per store")
	conc := fs.Int("concurrency", 8, "concurrent debiting goroutines")
	pgDSN := fs.String("postgres", envOr("IGNY8_POSTGRES_DSN", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"), "Postgres DSN (empty to skip)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	return eachStore(ctx, "ledger", *pgDSN, out, func(dsn string) (Result, error) {
		return runLedger(ctx, dsn, *n, *conc)
	})
}

func runLedger(ctx context.Context, dsn string, n, conc int) (Result, error) {
	store, err := sqlstore.Open(ctx, dsn, sqlstore.Options{})
	if err != nil {
		return Result{}, err
	}
	defer store.Close()
	tenancy := igny8.NewTenancy(store, igny8.TenancyOptions{})
	credits := igny8.NewCredits(store, igny8.CreditsOptions{})
	plan, err := tenancy.CreatePlan(ctx, igny8.Plan{Name: "bench"})
	if err != nil {
		return Result{}, err
	}
	acct, err := tenancy.CreateAccount(ctx, igny8.Account{Name: "bench", PlanID: plan.ID})
	if err != nil {
		return Result{}, err
	}
	scope := igny8.Scope{AccountID: acct.ID}
	if _, err := credits.Grant(ctx, scope, igny8.Charge{Amount: int64(n), Reason: "bench", IdempotencyKey: "grant"}); err != nil {
		return Result{}, err
	}

	var next atomic.Int64
	var failed atomic.Int64
	var firstErr error
	var once sync.Once
	var wg sync.WaitGroup
	start := time.Now()
	for range conc {
		wg.Go(func() {
			for {
				i := next.Add(1)
				if i > int64(n) || ctx.Err() != nil {
					return
				}
				_, err := credits.Debit(ctx, scope, igny8.Charge{Amount: 1, Reason: "bench debit", IdempotencyKey: fmt.Sprintf("debit-%d", i)})
				if err != nil {
					failed.Add(1)
					once.Do(func() { firstErr = err })
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	if firstErr != nil {
		return Result{}, fmt.Errorf("%d debits failed, first: %w", failed.Load(), firstErr)
	}
	bal, err := credits.Balance(ctx, scope)
	if err != nil {
		return Result{}, err
	}
	if bal != 0 {
		return Result{}, errors.New("balance after the run is not 0: the ledger lost or doubled a debit")
	}
	return Result{Bench: "ledger", N: n, Elapsed: elapsed, Extra: map[string]any{
		"concurrency":       conc,
		"debits_per_second": round(float64(n)/elapsed.Seconds(), 1),
		"final_balance":     bal,
	}}, nil
}
