package ai_test

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/igny8/sdk/adapters/sqlstore"
	"github.com/igny8/sdk/adapters/sqlstore/sqlstoretest"
	"github.com/igny8/sdk/ai"
	"github.com/igny8/sdk/igny8"
)

// scripted is an LLM whose answers a test scripts by call number.
type scripted struct {
	mu    sync.Mutex
	reqs  []igny8.ChatRequest
	reply func(n int, req igny8.ChatRequest) (igny8.ChatResponse, error)
}

func (s *scripted) Chat(ctx context.Context, req igny8.ChatRequest) (igny8.ChatResponse, error) {
	s.mu.Lock()
	s.reqs = append(s.reqs, req)
	n := len(s.reqs)
	s.mu.Unlock()
	return s.reply(n, req)
}

func (s *scripted) calls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.reqs)
}

func (s *scripted) request(i int) igny8.ChatRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.reqs[i]
}

type env struct {
	store   *sqlstore.Store
	credits *igny8.Credits
	limits  *igny8.Limits
	scope   igny8.Scope
	runner  *ai.Runner
	sleeps  *[]time.Duration
}

type envConfig struct {
	aiLimit int64 // daily AI requests; 0 means unlimited
	balance int64
	costs   igny8.CostTable
	opts    ai.RunnerOptions
}

func openStore(t testing.TB) *sqlstore.Store {
	t.Helper()
	return sqlstoretest.SQLite(t)
}

func newEnvB(b *testing.B, llm igny8.LLM) *env {
	b.Helper()
	return buildEnv(b, llm, envConfig{balance: 1 << 40, costs: titleCosts})
}

func newEnv(t *testing.T, llm igny8.LLM, cfg envConfig) *env {
	t.Helper()
	return buildEnv(t, llm, cfg)
}

func buildEnv(t testing.TB, llm igny8.LLM, cfg envConfig) *env {
	t.Helper()
	return buildEnvOn(t, openStore(t), llm, cfg)
}

func buildEnvOn(t testing.TB, st *sqlstore.Store, llm igny8.LLM, cfg envConfig) *env {
	t.Helper()
	ctx := context.Background()
	ten := igny8.NewTenancy(st, igny8.TenancyOptions{})
	limits := map[igny8.Limit]int64{}
	if cfg.aiLimit > 0 {
		limits[igny8.LimitDailyAIRequests] = cfg.aiLimit
	}
	plan, err := ten.CreatePlan(ctx, igny8.Plan{Name: "test", Limits: limits, Costs: cfg.costs})
	if err != nil {
		t.Fatal(err)
	}
	acct, err := ten.CreateAccount(ctx, igny8.Account{Name: "Acme", PlanID: plan.ID})
	if err != nil {
		t.Fatal(err)
	}
	site, err := ten.CreateSite(ctx, igny8.Scope{AccountID: acct.ID}, igny8.Site{Name: "acme.test", Domain: "acme.test"})
	if err != nil {
		t.Fatal(err)
	}
	credits := igny8.NewCredits(st, igny8.CreditsOptions{})
	if cfg.balance > 0 {
		if _, err := credits.Grant(ctx, site.Scope(), igny8.Charge{Amount: cfg.balance, Reason: "test", IdempotencyKey: "grant"}); err != nil {
			t.Fatal(err)
		}
	}
	limitsSvc := igny8.NewLimits(st, nil)
	var sleeps []time.Duration
	var mu sync.Mutex
	opts := cfg.opts
	if opts.Sleep == nil {
		opts.Sleep = func(ctx context.Context, d time.Duration) error {
			mu.Lock()
			sleeps = append(sleeps, d)
			mu.Unlock()
			return ctx.Err()
		}
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	r, err := ai.NewRunner(st, limitsSvc, credits, llm, st, opts)
	if err != nil {
		t.Fatal(err)
	}
	return &env{store: st, credits: credits, limits: limitsSvc, scope: site.Scope(), runner: r, sleeps: &sleeps}
}

func (e *env) balance(t *testing.T) int64 {
	t.Helper()
	b, err := e.credits.Balance(context.Background(), e.scope)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (e *env) aiUsage(t *testing.T) int64 {
	t.Helper()
	u, err := e.limits.Usage(context.Background(), e.scope, igny8.LimitDailyAIRequests)
	if err != nil {
		t.Fatal(err)
	}
	return u.Used
}

func (e *env) calls(t *testing.T) []ai.Call {
	t.Helper()
	cs, err := e.store.ListCalls(context.Background(), e.scope, ai.CallQuery{})
	if err != nil {
		t.Fatal(err)
	}
	return cs
}
