package sitebuilding_test

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/igny8/sdk/adapters/fsstorage"
	"github.com/igny8/sdk/adapters/offline"
	"github.com/igny8/sdk/adapters/sitesfs"
	"github.com/igny8/sdk/adapters/sqlstore"
	"github.com/igny8/sdk/adapters/sqlstore/sqlstoretest"
	"github.com/igny8/sdk/ai"
	"github.com/igny8/sdk/content"
	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/sitebuilding"
	"github.com/igny8/sdk/sitebuilding/staticsite"
)

type env struct {
	store    *sqlstore.Store
	builder  *sitebuilding.Builder
	renderer *sitesfs.Renderer
	limits   *igny8.Limits
	events   *igny8.Events
	credits  *igny8.Credits
	scope    igny8.Scope
	clock    *igny8.ManualClock
	root     string
}

// newEnv opens a SQLite store with one account on a plan with limits, a
// site, and a Builder over llm with the offline model's images, a file
// storage and a sitesfs renderer in temporary folders.
func newEnv(t *testing.T, llm igny8.LLM, limits map[igny8.Limit]int64) *env {
	t.Helper()
	return newEnvOn(t, sqlstoretest.SQLite(t), llm, limits, nil)
}

// newEnvOn is newEnv on a given store; renderer, when set, replaces the
// sitesfs one.
func newEnvOn(t *testing.T, st *sqlstore.Store, llm igny8.LLM, limits map[igny8.Limit]int64, renderer sitebuilding.Renderer) *env {
	t.Helper()
	return newEnvWith(t, st, envOptions{llm: llm, limits: limits, renderer: renderer})
}

// envOptions are newEnvWith's choices beyond the store.
type envOptions struct {
	llm      igny8.LLM
	limits   map[igny8.Limit]int64
	renderer sitebuilding.Renderer
	// keep is the sitesfs renderer's Options.Keep (0: its default).
	keep int
	// wrap, when set, wraps the store the Builder is given.
	wrap func(sitebuilding.BuilderStore) sitebuilding.BuilderStore
}

func newEnvWith(t *testing.T, st *sqlstore.Store, o envOptions) *env {
	t.Helper()
	llm, limits, renderer := o.llm, o.limits, o.renderer
	ctx := context.Background()
	clock := igny8.NewManualClock(time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC))
	ids := &igny8.UUIDv7{Clock: clock}
	ten := igny8.NewTenancy(st, igny8.TenancyOptions{Clock: clock, IDs: ids})
	plan, err := ten.CreatePlan(ctx, igny8.Plan{Name: "test", Limits: limits})
	if err != nil {
		t.Fatal(err)
	}
	acct, err := ten.CreateAccount(ctx, igny8.Account{Name: "bakery", PlanID: plan.ID})
	if err != nil {
		t.Fatal(err)
	}
	a := igny8.Scope{AccountID: acct.ID}
	site, err := ten.CreateSite(ctx, a, igny8.Site{Name: "bakery", Domain: "bakery.example"})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{store: st, clock: clock, scope: site.Scope(), root: t.TempDir()}
	e.limits = igny8.NewLimits(st, clock)
	e.events = igny8.NewEvents(st, clock, ids)
	e.credits = igny8.NewCredits(st, igny8.CreditsOptions{Clock: clock, IDs: ids})
	if _, err := e.credits.Grant(ctx, a, igny8.Charge{Amount: 1_000_000, Reason: "test", IdempotencyKey: "grant"}); err != nil {
		t.Fatal(err)
	}
	model := offline.New(offline.Options{})
	if llm == nil {
		llm = model
	}
	runner, err := ai.NewRunner(st, e.limits, e.credits, llm, st, ai.RunnerOptions{Clock: clock, IDs: ids, Logger: slog.New(slog.DiscardHandler),
		Sleep: func(context.Context, time.Duration) error { return nil }})
	if err != nil {
		t.Fatal(err)
	}
	storage, err := fsstorage.New(e.root+"/media", fsstorage.NoQuota{}, fsstorage.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	e.renderer, err = sitesfs.New(e.root+"/sites", storage, sitesfs.Options{Clock: clock, Keep: o.keep})
	if err != nil {
		t.Fatal(err)
	}
	lib := ai.NewLibrary()
	if renderer == nil {
		renderer = staticsite.New(e.renderer, storage, staticsite.Options{PreviewDir: t.TempDir()})
	}
	var bs sitebuilding.BuilderStore = st
	if o.wrap != nil {
		bs = o.wrap(st)
	}
	e.builder, err = sitebuilding.NewBuilder(bs, runner, lib, e.limits, e.events, sitebuilding.Options{
		Renderer: renderer,
		Writer:   content.NewAIGenerator(runner, lib, nil),
		Images:   model, Storage: storage, Credits: e.credits,
		Clock: clock, IDs: ids, Concurrency: 3,
	})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func bakery() sitebuilding.NewBlueprint {
	return sitebuilding.NewBlueprint{
		Name: "Crumb & Co", BaseURL: "https://bakery.example",
		Wizard: sitebuilding.Wizard{
			SiteType: sitebuilding.SiteLocalBusiness, Business: "Crumb & Co",
			Brief:      "A neighbourhood sourdough bakery in Leipzig. We bake bread, pastries and cakes every morning and cater small events.",
			Objectives: []string{"Fresh bread every morning", "Cakes to order", "Catering for events"},
			Audience:   "families and offices nearby",
			Style:      sitebuilding.Style{Palette: sitebuilding.Palette{Primary: "#e0c080", Background: "#ffffff"}, Tone: "warm", Typography: sitebuilding.Typography{Heading: "Playfair Display"}},
			Contact:    sitebuilding.ContactInfo{Email: "hello@crumb.example", Phone: "+49 341 555 0101", Address: "Karl-Liebknecht-Str. 1, Leipzig"},
			MaxPages:   6,
		},
	}
}

func (e *env) eventsOf(t *testing.T, typ igny8.EventType) []igny8.Event {
	t.Helper()
	evs, err := e.events.Read(context.Background(), igny8.EventQuery{Consumer: fmt.Sprintf("test-%d", time.Now().UnixNano()), Scope: e.scope.Account(), Types: []igny8.EventType{typ}, Limit: igny8.MaxPageLimit})
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

func (e *env) usage(t *testing.T, scope igny8.Scope, l igny8.Limit) int64 {
	t.Helper()
	u, err := e.limits.Usage(context.Background(), scope, l)
	if err != nil {
		t.Fatal(err)
	}
	return u.Used
}

// scripted is an igny8.LLM answering from a list, the last answer
// repeating; it records the requests.
type scripted struct {
	mu      sync.Mutex
	answers []string
	calls   []igny8.ChatRequest
}

func (s *scripted) Chat(ctx context.Context, req igny8.ChatRequest) (igny8.ChatResponse, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, req)
	a := s.answers[min(len(s.calls), len(s.answers))-1]
	return igny8.ChatResponse{Text: a, Model: "scripted", FinishReason: "stop", Usage: igny8.TokenUsage{PromptTokens: 100, CompletionTokens: 50}}, nil
}

func (s *scripted) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.calls)
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
