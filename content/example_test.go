package content_test

import (
	"context"
	"fmt"

	"github.com/igny8/sdk/adapters/offline"
	"github.com/igny8/sdk/adapters/sqlstore"
	"github.com/igny8/sdk/ai"
	"github.com/igny8/sdk/content"
	"github.com/igny8/sdk/igny8"
)

func Example() {
	ctx := context.Background()
	store, err := sqlstore.Open(ctx, "sqlite::memory:", sqlstore.Options{})
	if err != nil {
		panic(err)
	}
	defer store.Close()
	tenancy := igny8.NewTenancy(store, igny8.TenancyOptions{})
	limits := igny8.NewLimits(store, nil)
	credits := igny8.NewCredits(store, igny8.CreditsOptions{})
	events := igny8.NewEvents(store, nil, nil)
	plan, _ := tenancy.CreatePlan(ctx, igny8.Plan{Name: "demo"})
	acct, _ := tenancy.CreateAccount(ctx, igny8.Account{Name: "demo", PlanID: plan.ID})
	site, _ := tenancy.CreateSite(ctx, igny8.Scope{AccountID: acct.ID}, igny8.Site{Name: "blog"})
	scope := site.Scope()
	credits.Grant(ctx, scope, igny8.Charge{Amount: 100, Reason: "demo", IdempotencyKey: "demo"})

	// The offline model writes placeholder articles without a provider.
	runner, _ := ai.NewRunner(store, limits, credits, offline.New(offline.Options{}), store, ai.RunnerOptions{Logger: quiet})
	lib := content.NewLibrary(store, events, content.LibraryOptions{})
	w := content.NewWriter(store, lib, content.NewAIGenerator(runner, ai.NewLibrary(), store), limits, events, content.WriterOptions{})

	tasks, _ := w.CreateTasks(ctx, scope, []content.NewTask{
		{Title: "How to prune roses", PrimaryKeyword: "prune roses", Outline: []content.Section{{Heading: "When to prune"}, {Heading: "Which cuts"}}},
		{Title: "Best soil for roses", PrimaryKeyword: "soil for roses"},
	})
	res, err := w.RunBatch(ctx, scope, tasks[0].BatchID, content.BatchOptions{Concurrency: 2})
	if err != nil {
		panic(err)
	}
	fmt.Println("completed:", res.Completed)
	articles, _ := lib.List(ctx, scope, content.ContentFilter{}, igny8.PageRequest{})
	for _, a := range articles {
		fmt.Printf("%s (version %d, %s)\n", a.Slug, a.Version, a.Status)
	}
	// Unordered output:
	// completed: 2
	// how-to-prune-roses (version 1, draft)
	// best-soil-for-roses (version 1, draft)
}
