// Command customhost embeds the automation engine in a host of its own:
// its own publisher (a log line standing in for a CMS), its own rule, and
// the in-process scheduler. Run it with: go run ./examples/customhost
package main

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/igny8/sdk/adapters/sqlstore"
	"github.com/igny8/sdk/automation"
	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/publishing"
)

// cmsPublisher is the host's own destination.
type cmsPublisher struct{ published chan string }

func (p cmsPublisher) Publish(ctx context.Context, it publishing.Item) (publishing.Receipt, error) {
	p.published <- it.Title
	return publishing.Receipt{RemoteID: "cms-" + it.ContentID, URL: "https://cms.example/" + it.Slug}, nil
}

func (cmsPublisher) Unpublish(context.Context, publishing.Receipt) error { return nil }

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	store, err := sqlstore.Open(ctx, "sqlite::memory:", sqlstore.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()
	ten := igny8.NewTenancy(store, igny8.TenancyOptions{})
	plan, _ := ten.CreatePlan(ctx, igny8.Plan{Name: "host"})
	acct, _ := ten.CreateAccount(ctx, igny8.Account{Name: "host", PlanID: plan.ID})
	site, err := ten.CreateSite(ctx, igny8.Scope{AccountID: acct.ID}, igny8.Site{Name: "docs"})
	if err != nil {
		log.Fatal(err)
	}
	cms := cmsPublisher{published: make(chan string, 1)}

	// The host's own action: publish what the event names to its CMS.
	actions := automation.Actions{
		automation.ActionPublish: func(ctx context.Context, ac automation.ActionContext) (automation.ActionOutput, error) {
			r, err := cms.Publish(ctx, publishing.Item{ContentID: ac.Event.Subject, Title: "Article " + ac.Event.Subject, Slug: ac.Event.Subject})
			return automation.ActionOutput{Output: map[string]any{"url": r.URL}}, err
		},
	}
	engine := automation.NewEngine(store, store, actions, automation.EngineOptions{Interval: 100 * time.Millisecond})
	_, err = engine.SaveRule(ctx, site.Scope(), automation.Rule{
		Name: "Publish optimized articles", Trigger: automation.TriggerContentOptimized, Active: true,
		Conditions: []automation.Condition{{Field: "payload.score", Op: automation.OpGte, Value: []byte(`80`)}},
		Actions:    []automation.Action{{Type: automation.ActionPublish}},
	})
	if err != nil {
		log.Fatal(err)
	}
	go func() { _ = engine.Run(ctx) }() // the in-process scheduler

	// Something in the host optimized an article: the event triggers the rule.
	events := igny8.NewEvents(store, nil, nil)
	if _, err := events.Emit(ctx, site.Scope(), igny8.EventContentOptimized, "getting-started", map[string]any{"score": 91}); err != nil {
		log.Fatal(err)
	}
	select {
	case title := <-cms.published:
		fmt.Println("published to the CMS:", title)
	case <-ctx.Done():
		log.Fatal("nothing was published")
	}
}
