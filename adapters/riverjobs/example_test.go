package riverjobs_test

import (
	"context"
	"os"

	"github.com/igny8/sdk/adapters/riverjobs"
	"github.com/igny8/sdk/adapters/sqlstore"
	"github.com/igny8/sdk/automation"
	"github.com/igny8/sdk/igny8"
)

// Example shows a worker process: the automation engine on River, sharing
// the work with every other process on the same Postgres. (It needs a
// Postgres, so it is compiled but not run by go test.)
func Example() {
	ctx := context.Background()
	store, err := sqlstore.Open(ctx, os.Getenv("IGNY8_POSTGRES_DSN"), sqlstore.Options{})
	if err != nil {
		panic(err)
	}
	defer store.Close()
	sched, err := riverjobs.New(ctx, store, riverjobs.Options{Migrate: true})
	if err != nil {
		panic(err)
	}
	// Events written through the outbox store become jobs in the same
	// transaction; hand it to igny8.NewEvents for the domain services.
	events := igny8.NewEvents(riverjobs.Outbox(store, sched), nil, nil)
	_ = events

	engine := automation.NewEngine(store, store, automation.Actions{ /* the pipeline's actions */ }, automation.EngineOptions{})
	engine.Register(sched)
	_ = sched.Run(ctx) // until ctx is done
}
