package sqlstore_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/igny8/sdk/adapters/sqlstore"
	"github.com/igny8/sdk/igny8"
)

func Example() {
	ctx := context.Background()
	store, err := sqlstore.Open(ctx, "sqlite::memory:", sqlstore.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer store.Close()

	tenancy := igny8.NewTenancy(store, igny8.TenancyOptions{})
	credits := igny8.NewCredits(store, igny8.CreditsOptions{})
	plan, err := tenancy.CreatePlan(ctx, igny8.Plan{Name: "Growth", Limits: map[igny8.Limit]int64{igny8.LimitMaxSites: 5}})
	if err != nil {
		fmt.Println(err)
		return
	}
	acct, err := tenancy.CreateAccount(ctx, igny8.Account{Name: "Acme", PlanID: plan.ID})
	if err != nil {
		fmt.Println(err)
		return
	}
	scope := igny8.Scope{AccountID: acct.ID}
	if _, err := credits.Grant(ctx, scope, igny8.Charge{Amount: 100, Reason: "welcome", IdempotencyKey: "welcome"}); err != nil {
		fmt.Println(err)
		return
	}
	// The same idempotency key twice debits once.
	for range 2 {
		if _, err := credits.Debit(ctx, scope, igny8.Charge{Amount: 30, Reason: "article", IdempotencyKey: "article-1"}); err != nil {
			fmt.Println(err)
			return
		}
	}
	_, err = credits.Debit(ctx, scope, igny8.Charge{Amount: 500, Reason: "too much", IdempotencyKey: "big"})
	fmt.Println("refused:", errors.Is(err, igny8.ErrInsufficientCredits))

	balance, _ := credits.Balance(ctx, scope)
	fmt.Println(store.Dialect(), "balance:", balance)
	// Output:
	// refused: true
	// sqlite balance: 70
}
