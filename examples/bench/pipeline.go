package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/igny8/sdk/adapters/offline"
	"github.com/igny8/sdk/adapters/sqlstore"
	"github.com/igny8/sdk/ai"
	"github.com/igny8/sdk/content"
	"github.com/igny8/sdk/igny8"
)

// sleepyLLM answers like the offline model after a fixed delay, standing
// in for a provider's latency.
type sleepyLLM struct {
	inner igny8.LLM
	delay time.Duration
}

func (s sleepyLLM) Chat(ctx context.Context, req igny8.ChatRequest) (igny8.ChatResponse, error) {
	t := time.NewTimer(s.delay)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
		return igny8.ChatResponse{}, ctx.Err()
	}
	return s.inner.Chat(ctx, req)
}

// benchPipeline generates articles for a batch of tasks through the whole
// writer path (leases, limits, credits, ai runner, call log, sanitizer,
// versions, events) with a model that takes -delay per call, and reports
// how close the batch comes to the ideal tasks*delay/concurrency.
func benchPipeline(ctx context.Context, args []string, out *reporter) error {
	fs := flag.NewFlagSet("pipeline", flag.ContinueOnError)
	n := fs.Int("tasks", 1000, "articles to generate")
	conc := fs.Int("concurrency", 16, "articles generated at once")
	delay := fs.Duration("delay", 200*time.Millisecond, "model latency per call")
	dsn := fs.String("dsn", "", "store DSN (default: SQLite in a temporary folder)")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the batch to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	store := *dsn
	if store == "" {
		dir, err := os.MkdirTemp("", "igny8-bench-pipeline-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		store = "sqlite:" + filepath.Join(dir, "pipeline.db")
	}
	s, err := sqlstore.Open(ctx, store, sqlstore.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	quiet := slog.New(slog.DiscardHandler)
	tenancy := igny8.NewTenancy(s, igny8.TenancyOptions{})
	limits := igny8.NewLimits(s, nil)
	credits := igny8.NewCredits(s, igny8.CreditsOptions{})
	events := igny8.NewEvents(s, nil, nil)
	plan, err := tenancy.CreatePlan(ctx, igny8.Plan{Name: "bench", Limits: map[igny8.Limit]int64{igny8.LimitMaxConcurrentTasks: int64(*conc)}})
	if err != nil {
		return err
	}
	acct, err := tenancy.CreateAccount(ctx, igny8.Account{Name: "bench", PlanID: plan.ID})
	if err != nil {
		return err
	}
	site, err := tenancy.CreateSite(ctx, igny8.Scope{AccountID: acct.ID}, igny8.Site{Name: "bench"})
	if err != nil {
		return err
	}
	scope := site.Scope()
	if _, err := credits.Grant(ctx, scope, igny8.Charge{Amount: int64(*n) * 1000, Reason: "bench", IdempotencyKey: "grant"}); err != nil {
		return err
	}
	runner, err := ai.NewRunner(s, limits, credits, sleepyLLM{inner: offline.New(offline.Options{}), delay: *delay}, s, ai.RunnerOptions{Logger: quiet})
	if err != nil {
		return err
	}
	lib := content.NewLibrary(s, events, content.LibraryOptions{Logger: quiet})
	w := content.NewWriter(s, lib, content.NewAIGenerator(runner, ai.NewLibrary(), s), limits, events, content.WriterOptions{Logger: quiet})
	tasks := make([]content.NewTask, *n)
	for i := range tasks {
		tasks[i] = content.NewTask{
			Title:          fmt.Sprintf("Container gardening guide %d: soil, pots and watering", i),
			PrimaryKeyword: fmt.Sprintf("container gardening %d", i),
			Keywords:       []string{"container garden soil", "watering pots"},
			Outline: []content.Section{
				{Heading: "Choosing containers", Subheadings: []string{"Size", "Material"}},
				{Heading: "Soil mixes"}, {Heading: "Watering schedule"}, {Heading: "Feeding"},
			},
			TargetWords: 1200,
		}
	}
	created, err := w.CreateTasks(ctx, scope, tasks)
	if err != nil {
		return err
	}
	if *cpuprofile != "" {
		stop, err := startCPUProfile(*cpuprofile)
		if err != nil {
			return err
		}
		defer stop()
	}
	start := time.Now()
	res, err := w.RunBatch(ctx, scope, created[0].BatchID, content.BatchOptions{Concurrency: *conc})
	elapsed := time.Since(start)
	if err != nil {
		return err
	}
	if res.Completed != *n {
		return fmt.Errorf("completed %d of %d articles (%d failed)", res.Completed, *n, res.Failed)
	}
	ideal := time.Duration(*n) * *delay / time.Duration(*conc)
	extra := map[string]any{
		"store":                   s.Dialect(),
		"concurrency":             *conc,
		"delay_ms":                delay.Milliseconds(),
		"ideal_seconds":           round(ideal.Seconds(), 3),
		"ms_per_article_overhead": round(float64(elapsed-ideal)/float64(time.Millisecond)*float64(*conc)/float64(*n), 3),
	}
	if ideal > 0 {
		extra["efficiency"] = round(ideal.Seconds()/elapsed.Seconds(), 3)
		extra["ratio"] = round(elapsed.Seconds()/ideal.Seconds(), 3)
	}
	return out.Report(Result{Bench: "pipeline", N: *n, Elapsed: elapsed, Extra: extra})
}
