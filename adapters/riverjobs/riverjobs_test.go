package riverjobs_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/igny8/sdk/adapters/riverjobs"
	"github.com/igny8/sdk/adapters/sqlstore"
	"github.com/igny8/sdk/adapters/sqlstore/sqlstoretest"
	"github.com/igny8/sdk/automation"
	"github.com/igny8/sdk/igny8"
)

var quiet = slog.New(slog.DiscardHandler)

func openStore(t *testing.T, dsn, schema string) *sqlstore.Store {
	t.Helper()
	s, err := sqlstore.Open(context.Background(), dsn, sqlstore.Options{SearchPath: schema, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestEnqueueUniqueAndTransactional(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	s := sqlstoretest.Postgres(t)
	sched, err := riverjobs.New(ctx, s, riverjobs.Options{Migrate: true, PollInterval: 50 * time.Millisecond, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	var ran atomic.Int64
	seen := make(chan string, 10)
	sched.Handle("hello", func(ctx context.Context, job igny8.Job) error {
		ran.Add(1)
		seen <- string(job.Payload)
		return nil
	})
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- sched.Run(runCtx) }()

	for range 3 {
		if err := sched.Enqueue(ctx, igny8.Job{ID: "a", Kind: "hello", Payload: []byte(`"once"`), UniqueKey: "same"}); err != nil {
			t.Fatal(err)
		}
	}
	rolledBack := errors.New("roll back")
	err = s.InTx(ctx, func(ctx context.Context) error {
		if err := sched.Enqueue(ctx, igny8.Job{ID: "b", Kind: "hello", Payload: []byte(`"rolled back"`)}); err != nil {
			return err
		}
		return rolledBack
	})
	if !errors.Is(err, rolledBack) {
		t.Fatal(err)
	}
	if err := s.InTx(ctx, func(ctx context.Context) error {
		return sched.Enqueue(ctx, igny8.Job{ID: "c", Kind: "hello", Payload: []byte(`"committed"`)})
	}); err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for len(got) < 2 {
		select {
		case p := <-seen:
			got[p] = true
		case <-ctx.Done():
			t.Fatalf("jobs did not run: %v", got)
		}
	}
	time.Sleep(500 * time.Millisecond)
	stop()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if ran.Load() != 2 || got[`"rolled back"`] {
		t.Errorf("ran %d jobs: %v", ran.Load(), got)
	}
}

func TestPeriodicJobs(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	s := sqlstoretest.Postgres(t)
	sched, err := riverjobs.New(ctx, s, riverjobs.Options{Migrate: true, PollInterval: 50 * time.Millisecond, Logger: quiet,
		Periodic: []riverjobs.Periodic{{Kind: automation.JobTick, Interval: time.Second}}})
	if err != nil {
		t.Fatal(err)
	}
	ticks := make(chan struct{}, 10)
	sched.Handle(automation.JobTick, func(context.Context, igny8.Job) error { ticks <- struct{}{}; return nil })
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	go func() { _ = sched.Run(runCtx) }()
	for i := 0; i < 2; i++ {
		select {
		case <-ticks:
		case <-ctx.Done():
			t.Fatalf("only %d periodic ticks arrived", i)
		}
	}
	if _, err := riverjobs.New(ctx, s, riverjobs.Options{Periodic: []riverjobs.Periodic{{Kind: "x", Interval: time.Millisecond}}}); igny8.CodeOf(err) != igny8.CodeInvalidArgument {
		t.Errorf("a periodic job every millisecond: %v", err)
	}
}

// TestTwoWorkersShareEventsAndTakeOver runs two worker processes on one
// Postgres: 1,000 events make exactly 1,000 rule runs, and one worker is
// killed with SIGKILL half-way; the other finishes what it left.
func TestTwoWorkersShareEventsAndTakeOver(t *testing.T) {
	if os.Getenv("RIVERJOBS_WORKER") != "" {
		return
	}
	// River's leader election and its stuck-job rescuer run on their own
	// clocks (about 15 s and 30 s): a rescue takes up to a minute, more on
	// a loaded machine.
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()
	dsn := sqlstoretest.PostgresDSN(t)
	schema := sqlstoretest.NewSchema(t, dsn)
	s := openStore(t, dsn, schema)
	sched, err := riverjobs.New(ctx, s, riverjobs.Options{Migrate: true, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	ten := igny8.NewTenancy(s, igny8.TenancyOptions{})
	plan, _ := ten.CreatePlan(ctx, igny8.Plan{Name: "p"})
	acct, _ := ten.CreateAccount(ctx, igny8.Account{Name: "a", PlanID: plan.ID})
	site, err := ten.CreateSite(ctx, igny8.Scope{AccountID: acct.ID}, igny8.Site{Name: "s"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().ExecContext(ctx, `CREATE TABLE worked (event_id TEXT NOT NULL, worker TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	engine := automation.NewEngine(s, s, workerActions(s, "parent"), automation.EngineOptions{})
	if _, err := engine.SaveRule(ctx, site.Scope(), automation.Rule{Name: "count", Trigger: automation.TriggerKeywordAdded, Active: true,
		Actions: []automation.Action{{Type: automation.ActionAutoCluster}}}); err != nil {
		t.Fatal(err)
	}

	var killed atomic.Bool
	start := func(name string) *exec.Cmd {
		cmd := exec.Command(os.Args[0], "-test.run=^TestWorkerProcess$", "-test.v")
		cmd.Env = append(os.Environ(), "RIVERJOBS_WORKER="+name, "RIVERJOBS_DSN="+dsn, "RIVERJOBS_SCHEMA="+schema)
		var out strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan struct{})
		go func() { _ = cmd.Wait(); close(exited) }()
		go func() {
			select {
			case <-exited:
				if !killed.Load() || name != "a" {
					cancel() // a worker died on its own: stop waiting
				}
			case <-ctx.Done():
			}
		}()
		t.Cleanup(func() {
			_ = cmd.Process.Kill()
			<-exited
			if t.Failed() {
				t.Logf("worker %s:\n%s", name, out.String())
			}
		})
		return cmd
	}
	a := start("a")
	start("b")

	events := igny8.NewEvents(riverjobs.Outbox(s, sched), nil, nil)
	const n = 1000
	for i := range n {
		if _, err := events.Emit(ctx, site.Scope(), igny8.EventKeywordAdded, fmt.Sprint(i), map[string]any{"i": i}); err != nil {
			t.Fatal(err)
		}
	}
	count := func(q string) int {
		var c int
		if err := s.DB().QueryRowContext(context.WithoutCancel(ctx), q).Scan(&c); err != nil {
			t.Fatal(err)
		}
		return c
	}
	defer func() {
		if t.Failed() {
			rows, err := s.DB().QueryContext(context.Background(), `SELECT state, attempt, COUNT(*) FROM river_job GROUP BY state, attempt`)
			if err == nil {
				for rows.Next() {
					var state string
					var attempt, n int
					_ = rows.Scan(&state, &attempt, &n)
					t.Logf("river jobs: %s attempt %d: %d", state, attempt, n)
				}
				rows.Close()
			}
			rows, err = s.DB().QueryContext(context.Background(), `SELECT args::text, errors::text FROM river_job WHERE state <> 'completed' LIMIT 3`)
			if err == nil {
				for rows.Next() {
					var args, errs string
					_ = rows.Scan(&args, &errs)
					t.Logf("job %s: %s", args, errs)
				}
				rows.Close()
			}
		}
	}()
	for count(`SELECT COUNT(*) FROM automation_runs WHERE status = 'succeeded'`) < 300 {
		if ctx.Err() != nil {
			t.Fatal("no progress")
		}
		time.Sleep(20 * time.Millisecond)
	}
	killed.Store(true)
	if err := a.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	left := count(`SELECT COUNT(*) FROM automation_runs WHERE status = 'running'`)
	t.Logf("killed worker a with %d runs in flight", left)
	for count(`SELECT COUNT(*) FROM automation_runs WHERE status = 'succeeded'`) < n {
		if ctx.Err() != nil {
			t.Fatalf("only %d of %d runs finished", count(`SELECT COUNT(*) FROM automation_runs WHERE status = 'succeeded'`), n)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if got := count(`SELECT COUNT(*) FROM automation_runs`); got != n {
		t.Errorf("%d runs for %d events", got, n)
	}
	if got := count(`SELECT COUNT(DISTINCT event_id) FROM worked`); got != n {
		t.Errorf("the action ran for %d distinct events, want %d", got, n)
	}
	byB := count(`SELECT COUNT(DISTINCT event_id) FROM worked WHERE worker = 'b'`)
	byA := count(`SELECT COUNT(DISTINCT event_id) FROM worked WHERE worker = 'a'`)
	t.Logf("worker a worked %d events, worker b %d", byA, byB)
	if byA == 0 || byB == 0 {
		t.Error("one worker did all the work")
	}
}

func workerActions(s *sqlstore.Store, name string) automation.Actions {
	return automation.Actions{automation.ActionAutoCluster: func(ctx context.Context, ac automation.ActionContext) (automation.ActionOutput, error) {
		time.Sleep(5 * time.Millisecond)
		_, err := s.DB().ExecContext(ctx, `INSERT INTO worked (event_id, worker) VALUES (?, ?)`, ac.Event.ID, name)
		return automation.ActionOutput{}, err
	}}
}

// TestWorkerProcess is a worker of TestTwoWorkersShareEventsAndTakeOver.
func TestWorkerProcess(t *testing.T) {
	name := os.Getenv("RIVERJOBS_WORKER")
	if name == "" {
		t.Skip("runs only as a worker process of TestTwoWorkersShareEventsAndTakeOver")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()
	s := openStore(t, os.Getenv("RIVERJOBS_DSN"), os.Getenv("RIVERJOBS_SCHEMA"))
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	sched, err := riverjobs.New(ctx, s, riverjobs.Options{ID: "worker-" + name, MaxWorkers: 8, PollInterval: 50 * time.Millisecond, RescueAfter: 3 * time.Second, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	engine := automation.NewEngine(s, s, workerActions(s, name), automation.EngineOptions{})
	engine.Register(sched)
	if err := sched.Run(ctx); err != nil {
		t.Fatal(err)
	}

}
