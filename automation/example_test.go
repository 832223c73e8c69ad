package automation_test

import (
	"context"
	"fmt"

	"github.com/igny8/sdk/adapters/sqlstore"
	"github.com/igny8/sdk/automation"
	"github.com/igny8/sdk/igny8"
)

func Example() {
	ctx := context.Background()
	store, _ := sqlstore.Open(ctx, "sqlite::memory:", sqlstore.Options{})
	defer store.Close()
	ten := igny8.NewTenancy(store, igny8.TenancyOptions{})
	plan, _ := ten.CreatePlan(ctx, igny8.Plan{Name: "demo"})
	acct, _ := ten.CreateAccount(ctx, igny8.Account{Name: "demo", PlanID: plan.ID})
	site, _ := ten.CreateSite(ctx, igny8.Scope{AccountID: acct.ID}, igny8.Site{Name: "blog"})

	// The host binds actions to its services; this one only says hello.
	actions := automation.Actions{
		automation.ActionAutoCluster: func(ctx context.Context, ac automation.ActionContext) (automation.ActionOutput, error) {
			fmt.Println("clustering for event", ac.Event.Type)
			return automation.ActionOutput{Output: map[string]any{"clusters": 3}}, nil
		},
	}
	engine := automation.NewEngine(store, store, actions, automation.EngineOptions{})
	_, err := engine.SaveRule(ctx, site.Scope(), automation.Rule{
		Name: "Cluster new keywords", Trigger: automation.TriggerKeywordAdded, Active: true,
		Actions: []automation.Action{{Type: automation.ActionAutoCluster}},
	})
	if err != nil {
		panic(err)
	}
	events := igny8.NewEvents(store, nil, nil)
	events.Emit(ctx, site.Scope(), igny8.EventKeywordAdded, "", map[string]any{"count": 120})

	n, _ := engine.Poll(ctx)
	runs, _ := engine.Runs(ctx, site.Scope(), automation.RunFilter{}, igny8.PageRequest{})
	fmt.Println("runs started:", n, "status:", runs[0].Status, "output:", runs[0].Results[0].Output)
	// Output:
	// clustering for event keyword_added
	// runs started: 1 status: succeeded output: map[clusters:3]
}
