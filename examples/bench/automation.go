package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"sort"
	"time"

	"github.com/igny8/sdk/adapters/riverjobs"
	"github.com/igny8/sdk/adapters/sqlstore"
	"github.com/igny8/sdk/automation"
	"github.com/igny8/sdk/igny8"
)

// benchAutomation emits -events keyword_added events while the engine
// runs, and reports rule runs per second and the latency from an event to
// the start of its run: on SQLite with the in-process scheduler, and on
// Postgres with River (when reachable).
func benchAutomation(ctx context.Context, args []string, out *reporter) error {
	fs := flag.NewFlagSet("automation", flag.ContinueOnError)
	n := fs.Int("events", 10000, "events to emit")
	workers := fs.Int("workers", 8, "runs executed at once")
	pgDSN := fs.String("postgres", envOr("IGNY8_POSTGRES_DSN", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"), "Postgres DSN (empty to skip)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	targets, cleanup, err := storeTargets(ctx, "automation", *pgDSN)
	if err != nil {
		return err
	}
	defer cleanup()
	for _, tg := range targets {
		mode := tg.name // SQLite runs the in-process scheduler, Postgres River
		if mode == "postgres" {
			mode = "postgres+river"
		}
		if err := runAutomation(ctx, out, mode, tg.dsn, *n, *workers); err != nil {
			return err
		}
	}
	return nil
}

func runAutomation(ctx context.Context, out *reporter, mode, dsn string, n, workers int) error {
	quiet := slog.New(slog.DiscardHandler)
	s, err := sqlstore.Open(ctx, dsn, sqlstore.Options{Logger: quiet})
	if err != nil {
		return err
	}
	defer s.Close()
	ten := igny8.NewTenancy(s, igny8.TenancyOptions{})
	plan, err := ten.CreatePlan(ctx, igny8.Plan{Name: "bench"})
	if err != nil {
		return err
	}
	acct, err := ten.CreateAccount(ctx, igny8.Account{Name: "bench", PlanID: plan.ID})
	if err != nil {
		return err
	}
	site, err := ten.CreateSite(ctx, igny8.Scope{AccountID: acct.ID}, igny8.Site{Name: "bench"})
	if err != nil {
		return err
	}
	actions := automation.Actions{automation.ActionAutoCluster: func(context.Context, automation.ActionContext) (automation.ActionOutput, error) {
		return automation.ActionOutput{}, nil
	}}
	engine := automation.NewEngine(s, s, actions, automation.EngineOptions{Workers: workers, Interval: 10 * time.Millisecond, Batch: 500, Logger: quiet})
	if _, err := engine.SaveRule(ctx, site.Scope(), automation.Rule{Name: "bench", Trigger: automation.TriggerKeywordAdded, Active: true,
		Actions: []automation.Action{{Type: automation.ActionAutoCluster}}}); err != nil {
		return err
	}
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	kernel := igny8.Store(s)
	if mode == "sqlite" {
		go func() { _ = engine.Run(runCtx) }()
	} else {
		sched, err := riverjobs.New(ctx, s, riverjobs.Options{Migrate: true, MaxWorkers: workers, PollInterval: 20 * time.Millisecond, Logger: quiet})
		if err != nil {
			return err
		}
		engine.Register(sched)
		go func() { _ = sched.Run(runCtx) }()
		kernel = riverjobs.Outbox(s, sched)
	}
	events := igny8.NewEvents(kernel, nil, nil)
	start := time.Now()
	for i := range n {
		if _, err := events.Emit(ctx, site.Scope(), igny8.EventKeywordAdded, fmt.Sprint(i), nil); err != nil {
			return err
		}
	}
	emitted := time.Since(start)
	var lat []time.Duration
	deadline := time.Now().Add(10 * time.Minute)
	for {
		lat = lat[:0]
		page := igny8.PageRequest{Limit: igny8.MaxPageLimit}
		var last time.Time
		for {
			runs, err := engine.Runs(ctx, site.Scope(), automation.RunFilter{}, page)
			if err != nil {
				return err
			}
			for _, r := range runs {
				if r.Status == automation.RunSucceeded {
					lat = append(lat, r.StartedAt.Sub(r.ScheduledAt))
					if r.FinishedAt.After(last) {
						last = r.FinishedAt
					}
				}
			}
			if len(runs) < page.Limit {
				break
			}
			page.After = runs[len(runs)-1].ID
		}
		if len(lat) >= n {
			elapsed := last.Sub(start)
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			q := func(p float64) float64 {
				return round(float64(lat[int(p*float64(len(lat)-1))])/float64(time.Millisecond), 2)
			}
			return out.Report(Result{Bench: "automation", N: n, Elapsed: elapsed, Extra: map[string]any{
				"mode": mode, "runs_per_second": round(float64(n)/elapsed.Seconds(), 1), "emit_seconds": round(emitted.Seconds(), 3),
				"p50_ms": q(0.50), "p99_ms": q(0.99), "workers": workers,
			}})
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return fmt.Errorf("%s: only %d of %d runs finished", mode, len(lat), n)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
