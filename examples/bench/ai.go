package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/igny8/sdk/adapters/offline"
	"github.com/igny8/sdk/adapters/sqlstore"
	"github.com/igny8/sdk/ai"
	"github.com/igny8/sdk/igny8"
)

// instantModel answers every call at once with a fixed, valid reply: what
// remains of a run's time is the framework's (prompt rendering, limit
// reservation, credit debits, parsing and validation, the call log).
type instantModel struct{ reply string }

func (m instantModel) Chat(context.Context, igny8.ChatRequest) (igny8.ChatResponse, error) {
	return igny8.ChatResponse{Text: m.reply, Model: "instant", FinishReason: "stop",
		Usage: igny8.TokenUsage{PromptTokens: 400, CompletionTokens: 300}}, nil
}

// benchAI measures the AI runtime's overhead per call, store writes
// included, against a model that answers at once (-model instant), or the
// offline model (-model offline) to include its generation: on SQLite and,
// where reachable, Postgres. One run (sequential) is one reserve+debit
// transaction, the model call, parsing and validation, and one
// transaction for the token debit and the call log row.
func benchAI(ctx context.Context, args []string, out *reporter) error {
	fs := flag.NewFlagSet("ai", flag.ContinueOnError)
	n := fs.Int("n", 2000, "runs per store")
	modelName := fs.String("model", "instant", "instant or offline")
	pgDSN := fs.String("postgres", envOr("IGNY8_POSTGRES_DSN", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"), "Postgres DSN (empty to skip)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	return eachStore(ctx, "ai", *pgDSN, out, func(dsn string) (Result, error) {
		return runAI(ctx, dsn, *n, *modelName)
	})
}

func runAI(ctx context.Context, dsn string, n int, modelName string) (Result, error) {
	store, err := sqlstore.Open(ctx, dsn, sqlstore.Options{})
	if err != nil {
		return Result{}, err
	}
	defer store.Close()
	tenancy := igny8.NewTenancy(store, igny8.TenancyOptions{})
	credits := igny8.NewCredits(store, igny8.CreditsOptions{})
	plan, err := tenancy.CreatePlan(ctx, igny8.Plan{Name: "bench",
		Limits: map[igny8.Limit]int64{igny8.LimitDailyAIRequests: int64(n) + 1}})
	if err != nil {
		return Result{}, err
	}
	acct, err := tenancy.CreateAccount(ctx, igny8.Account{Name: "bench", PlanID: plan.ID})
	if err != nil {
		return Result{}, err
	}
	site, err := tenancy.CreateSite(ctx, igny8.Scope{AccountID: acct.ID}, igny8.Site{Name: "bench"})
	if err != nil {
		return Result{}, err
	}
	scope := site.Scope()
	if _, err := credits.Grant(ctx, scope, igny8.Charge{Amount: int64(n) * 10, Reason: "bench", IdempotencyKey: "grant"}); err != nil {
		return Result{}, err
	}
	lib := ai.NewLibrary()
	in := ai.IdeasInput{Cluster: "green tea", Keywords: []string{"green tea benefits", "matcha", "sencha"}, Count: 3,
		ContentTypes: []ai.ContentType{ai.ContentPost}}

	var llm igny8.LLM
	switch modelName {
	case "instant":
		// Take the offline model's answer once as the fixed reply.
		msgs, err := lib.GenerateIdeas.Messages(in)
		if err != nil {
			return Result{}, err
		}
		resp, err := offline.New(offline.Options{}).Chat(ctx, igny8.ChatRequest{Messages: msgs,
			Schema: lib.GenerateIdeas.Schema(), Function: igny8.FuncGenerateIdeas})
		if err != nil {
			return Result{}, err
		}
		llm = instantModel{reply: resp.Text}
	case "offline":
		llm = offline.New(offline.Options{})
	default:
		return Result{}, fmt.Errorf("-model %q: want instant or offline", modelName)
	}
	runner, err := ai.NewRunner(store, igny8.NewLimits(store, nil), credits, llm, store, ai.RunnerOptions{
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		return Result{}, err
	}
	// One warm-up run: schema caches, prepared connections.
	if _, err := lib.GenerateIdeas.Run(ctx, runner, scope, in, nil); err != nil {
		return Result{}, err
	}
	start := time.Now()
	for i := 0; i < n; i++ {
		if _, err := lib.GenerateIdeas.Run(ctx, runner, scope, in, nil); err != nil {
			return Result{}, fmt.Errorf("run %d: %w", i, err)
		}
	}
	elapsed := time.Since(start)
	calls, err := store.ListCalls(ctx, scope, ai.CallQuery{Page: igny8.PageRequest{Limit: igny8.MaxPageLimit}})
	if err != nil {
		return Result{}, err
	}
	if len(calls) == 0 {
		return Result{}, fmt.Errorf("the call log is empty")
	}
	return Result{Bench: "ai", N: n, Elapsed: elapsed, Extra: map[string]any{
		"model":       modelName,
		"function":    igny8.FuncGenerateIdeas,
		"us_per_call": round(float64(elapsed.Microseconds())/float64(n), 1),
	}}, nil
}
