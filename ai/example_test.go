package ai_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/igny8/sdk/adapters/offline"
	"github.com/igny8/sdk/adapters/sqlstore"
	"github.com/igny8/sdk/ai"
	"github.com/igny8/sdk/igny8"
)

func ExampleSchemaFor() {
	type Out struct {
		Title string   `json:"title" jsonschema:"maxLength=60"`
		Tags  []string `json:"tags" jsonschema:"maxItems=3"`
		Note  string   `json:"note,omitempty"`
	}
	s, _ := ai.SchemaFor[Out]()
	raw, _ := s.MarshalJSON()
	fmt.Println(string(raw))
	// Output:
	// {"type":"object","properties":{"title":{"type":"string","maxLength":60},"tags":{"type":"array","items":{"type":"string"},"maxItems":3},"note":{"type":["string","null"]}},"required":["title","tags","note"],"additionalProperties":false}
}

func ExampleFunction_Parse() {
	f := ai.MustFunction(ai.Spec[struct{}, struct {
		Answer string `json:"answer" jsonschema:"minLength=1"`
	}]{Name: "answer", User: "Answer."})
	out, err := f.Parse(struct{}{}, "```json\n{\"answer\":\"yes\"}\n```", "stop")
	fmt.Println(out.Answer, err)
	_, err = f.Parse(struct{}{}, `{"answer":""}`, "stop")
	fmt.Println(err)
	_, err = f.Parse(struct{}{}, `{"answer":"ye`, "length")
	fmt.Println(err)
	// Output:
	// yes <nil>
	// $.answer: must be at least 1 characters, got 0
	// the reply was cut off at the token limit: output truncated
}

func ExampleFunction_Run() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "ai-example-")
	check(err)
	defer os.RemoveAll(dir)
	store, err := sqlstore.Open(ctx, "sqlite:"+filepath.Join(dir, "igny8.db"), sqlstore.Options{})
	check(err)
	defer store.Close()
	tenancy := igny8.NewTenancy(store, igny8.TenancyOptions{})
	credits := igny8.NewCredits(store, igny8.CreditsOptions{})
	plan, err := tenancy.CreatePlan(ctx, igny8.Plan{Name: "Starter", Limits: map[igny8.Limit]int64{igny8.LimitDailyAIRequests: 50}})
	check(err)
	acct, err := tenancy.CreateAccount(ctx, igny8.Account{Name: "Acme", PlanID: plan.ID})
	check(err)
	site, err := tenancy.CreateSite(ctx, igny8.Scope{AccountID: acct.ID}, igny8.Site{Name: "Acme Tea"})
	check(err)
	_, err = credits.Grant(ctx, site.Scope(), igny8.Charge{Amount: 100, Reason: "welcome", IdempotencyKey: "welcome"})
	check(err)

	// The offline model needs no key; swap in adapters/openai for real text.
	model := offline.New(offline.Options{})
	runner, err := ai.NewRunner(store, igny8.NewLimits(store, nil), credits, model, store, ai.RunnerOptions{
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		panic(err)
	}
	lib := ai.NewLibrary()
	res, err := lib.GenerateIdeas.Run(ctx, runner, site.Scope(), ai.IdeasInput{
		Cluster: "green tea", Keywords: []string{"green tea benefits", "matcha"}, Count: 2,
	}, nil)
	if err != nil {
		panic(err)
	}
	balance, _ := credits.Balance(ctx, site.Scope())
	for _, idea := range res.Output.Ideas {
		fmt.Printf("%s (%s, %s)\n", idea.Title, idea.ContentType, idea.PrimaryKeyword)
	}
	fmt.Println("credits charged:", res.Credits, "balance:", balance)
	// Output:
	// The Complete Guide to Green Tea Benefits (post, green tea benefits)
	// How to Choose the Right Matcha (post, matcha)
	// credits charged: 2 balance: 98
}

func check(err error) {
	if err != nil {
		panic(err)
	}
}
