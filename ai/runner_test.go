package ai_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/igny8/sdk/adapters/sqlstore"
	"github.com/igny8/sdk/adapters/sqlstore/sqlstoretest"
	"github.com/igny8/sdk/ai"
	"github.com/igny8/sdk/igny8"
)

type topicIn struct {
	Topic string `json:"topic"`
}

type titleOut struct {
	Title string `json:"title" jsonschema:"minLength=3"`
	Words int    `json:"words" jsonschema:"minimum=1"`
}

func titleFunc(t *testing.T) *ai.Function[topicIn, titleOut] {
	t.Helper()
	f, err := ai.NewFunction(ai.Spec[topicIn, titleOut]{
		Name:   "title",
		System: "You write titles.",
		User:   "Write a title about {{.Topic}}.",
		Validate: func(in topicIn, out *titleOut) error {
			if !strings.Contains(strings.ToLower(out.Title), strings.ToLower(in.Topic)) {
				return fmt.Errorf("the title must mention %q", in.Topic)
			}
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

var titleCosts = igny8.CostTable{"title": {PerCall: 2, Per1KTokens: 1}}

func ok(text string) (igny8.ChatResponse, error) {
	return igny8.ChatResponse{Text: text, Model: "m1", FinishReason: "stop", Usage: igny8.TokenUsage{PromptTokens: 500, CompletionTokens: 100}}, nil
}

const goodTitle = `{"title":"All about tea","words":900}`

func TestRunOutcomes(t *testing.T) {
	unavailable := igny8.Errorf(igny8.CodeUnavailable, "fake", "server overloaded")
	tests := []struct {
		name     string
		reply    func(n int, req igny8.ChatRequest) (igny8.ChatResponse, error)
		wantCode igny8.Code // "" means success
		attempts int
		credits  int64 // charged in the end
		sleeps   []time.Duration
		check    func(t *testing.T, e *env, s *scripted)
	}{
		{
			name:     "valid first time",
			reply:    func(int, igny8.ChatRequest) (igny8.ChatResponse, error) { return ok(goodTitle) },
			attempts: 1, credits: 2 + 1, // 600 tokens round up to 1
		},
		{
			name: "code fence tolerated",
			reply: func(int, igny8.ChatRequest) (igny8.ChatResponse, error) {
				return ok("```json\n" + goodTitle + "\n```")
			},
			attempts: 1, credits: 3,
		},
		{
			name: "schema violation re-asked",
			reply: func(n int, req igny8.ChatRequest) (igny8.ChatResponse, error) {
				if n == 1 {
					return ok(`{"title":"Tea","words":0}`)
				}
				return ok(goodTitle)
			},
			attempts: 2, credits: 2 + 2, // 1200 tokens
			check: func(t *testing.T, e *env, s *scripted) {
				req := s.request(1)
				if len(req.Messages) != 4 {
					t.Fatalf("re-ask has %d messages, want 4", len(req.Messages))
				}
				last := req.Messages[3].Content
				if !strings.Contains(last, "$.words") || !strings.Contains(last, "at least 1") {
					t.Errorf("re-ask does not carry the error: %q", last)
				}
				if req.Messages[2].Role != igny8.RoleAssistant {
					t.Errorf("the invalid reply is not echoed as the assistant's")
				}
			},
		},
		{
			name: "validation failure re-asked",
			reply: func(n int, req igny8.ChatRequest) (igny8.ChatResponse, error) {
				if n == 1 {
					return ok(`{"title":"All about coffee","words":5}`)
				}
				return ok(goodTitle)
			},
			attempts: 2, credits: 4,
		},
		{
			name: "truncated output re-asked then fails",
			reply: func(int, igny8.ChatRequest) (igny8.ChatResponse, error) {
				r, _ := ok(`{"title":"All about t`)
				r.FinishReason = "length"
				return r, nil
			},
			wantCode: igny8.CodeInternal, attempts: 3,
			check: func(t *testing.T, e *env, s *scripted) {
				if last := s.request(1).Messages[3].Content; !strings.Contains(last, "shorter") {
					t.Errorf("re-ask of a truncated reply does not ask for a shorter one: %q", last)
				}
			},
		},
		{
			name: "not JSON fails after re-asks",
			reply: func(int, igny8.ChatRequest) (igny8.ChatResponse, error) {
				return ok("Sure! Here is a title: All about tea")
			},
			wantCode: igny8.CodeInternal, attempts: 3,
		},
		{
			name: "unavailable twice then ok",
			reply: func(n int, req igny8.ChatRequest) (igny8.ChatResponse, error) {
				if n <= 2 {
					return igny8.ChatResponse{}, unavailable
				}
				return ok(goodTitle)
			},
			attempts: 3, credits: 3, sleeps: []time.Duration{0, 0},
		},
		{
			name: "retry-after honoured",
			reply: func(n int, req igny8.ChatRequest) (igny8.ChatResponse, error) {
				if n == 1 {
					return igny8.ChatResponse{}, &igny8.RetryAfterError{Op: "fake", After: 3 * time.Second, Err: errors.New("429")}
				}
				return ok(goodTitle)
			},
			attempts: 2, credits: 3, sleeps: []time.Duration{3 * time.Second},
		},
		{
			name: "retry-after beyond the cap gives up",
			reply: func(int, igny8.ChatRequest) (igny8.ChatResponse, error) {
				return igny8.ChatResponse{}, &igny8.RetryAfterError{Op: "fake", After: time.Hour}
			},
			wantCode: igny8.CodeUnavailable, attempts: 1,
		},
		{
			name:     "unavailable every time",
			reply:    func(int, igny8.ChatRequest) (igny8.ChatResponse, error) { return igny8.ChatResponse{}, unavailable },
			wantCode: igny8.CodeUnavailable, attempts: ai.DefaultMaxAttempts, sleeps: []time.Duration{0, 0, 0},
		},
		{
			name: "permission denied is not retried",
			reply: func(int, igny8.ChatRequest) (igny8.ChatResponse, error) {
				return igny8.ChatResponse{}, igny8.Errorf(igny8.CodePermissionDenied, "fake", "bad key")
			},
			wantCode: igny8.CodePermissionDenied, attempts: 1,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := &scripted{reply: tc.reply}
			e := newEnv(t, s, envConfig{balance: 100, costs: titleCosts, opts: ai.RunnerOptions{
				Retry: ai.RetryPolicy{Jitter: func(time.Duration) time.Duration { return 0 }},
			}})
			res, err := titleFunc(t).Run(context.Background(), e.runner, e.scope, topicIn{Topic: "tea"}, nil)
			if got := igny8.CodeOf(err); got != tc.wantCode {
				t.Fatalf("code = %q, want %q (err %v)", got, tc.wantCode, err)
			}
			if s.calls() != tc.attempts {
				t.Errorf("model calls = %d, want %d", s.calls(), tc.attempts)
			}
			if got := e.balance(t); got != 100-tc.credits {
				t.Errorf("balance = %d, want %d", got, 100-tc.credits)
			}
			wantUsage := int64(1)
			if tc.wantCode != "" {
				wantUsage = 0
				var oe *ai.OutputError
				if tc.wantCode == igny8.CodeInternal && !errors.As(err, &oe) {
					t.Errorf("invalid output error is not an *ai.OutputError: %v", err)
				}
			} else {
				if res.Output.Title != "All about tea" || res.Attempts != tc.attempts || res.Credits != tc.credits || res.Model != "m1" {
					t.Errorf("result = %+v", res)
				}
			}
			if got := e.aiUsage(t); got != wantUsage {
				t.Errorf("daily AI usage = %d, want %d", got, wantUsage)
			}
			if fmt.Sprint(*e.sleeps) != fmt.Sprint(tc.sleeps) && !(len(*e.sleeps) == 0 && len(tc.sleeps) == 0) {
				t.Errorf("sleeps = %v, want %v", *e.sleeps, tc.sleeps)
			}
			calls := e.calls(t)
			if len(calls) != tc.attempts {
				t.Fatalf("call log has %d rows, want %d: %+v", len(calls), tc.attempts, calls)
			}
			for i, c := range calls {
				if c.Attempt != i+1 || c.Function != "title" || c.RunID != calls[0].RunID || c.Scope != e.scope {
					t.Errorf("row %d = %+v", i, c)
				}
				if c.Final != (i == len(calls)-1) {
					t.Errorf("row %d final = %v", i, c.Final)
				}
			}
			last := calls[len(calls)-1]
			if last.Credits != tc.credits {
				t.Errorf("last row credits = %d, want %d", last.Credits, tc.credits)
			}
			if tc.wantCode == "" && last.Outcome != ai.OutcomeOK {
				t.Errorf("last outcome = %s", last.Outcome)
			}
			if tc.wantCode != "" && (last.ErrorCode != tc.wantCode || last.Error == "") {
				t.Errorf("last row error = %q %q, want code %q", last.ErrorCode, last.Error, tc.wantCode)
			}
			if tc.check != nil {
				tc.check(t, e, s)
			}
		})
	}
}

func TestRunHoldsDailyLimitUnderConcurrency(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, st *sqlstore.Store) {
		testDailyLimit(t, st)
	})
}

func testDailyLimit(t *testing.T, st *sqlstore.Store) {
	s := &scripted{reply: func(int, igny8.ChatRequest) (igny8.ChatResponse, error) { return ok(goodTitle) }}
	e := buildEnvOn(t, st, s, envConfig{aiLimit: 5, balance: 1000, costs: titleCosts})
	f := titleFunc(t)
	var wg sync.WaitGroup
	var mu sync.Mutex
	codes := map[igny8.Code]int{}
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := f.Run(context.Background(), e.runner, e.scope, topicIn{Topic: "tea"}, nil)
			mu.Lock()
			codes[igny8.CodeOf(err)]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	if s.calls() != 5 {
		t.Errorf("model calls = %d, want 5", s.calls())
	}
	if codes[""] != 5 || codes[igny8.CodeLimitExceeded] != 15 {
		t.Errorf("outcomes = %v, want 5 ok and 15 limit_exceeded", codes)
	}
	if got := e.balance(t); got != 1000-5*3 {
		t.Errorf("balance = %d, want %d", got, 1000-5*3)
	}
	refused := 0
	for _, c := range e.calls(t) {
		if c.Outcome == ai.OutcomeRefused && c.ErrorCode == igny8.CodeLimitExceeded && c.Attempt == 0 {
			refused++
		}
	}
	if refused != 15 {
		t.Errorf("refused rows = %d, want 15", refused)
	}
}

func TestRunInsufficientCredits(t *testing.T) {
	tests := []struct {
		name    string
		balance int64
		calls   int
		usage   int64
	}{
		// No credits for the per-call part: the model is never called and
		// the daily reservation rolls back with the refused debit.
		{name: "per-call part", balance: 1, calls: 0, usage: 0},
		// Enough for the per-call part, not for the tokens: the output is
		// thrown away, the per-call part refunded.
		{name: "token part", balance: 2, calls: 1, usage: 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := &scripted{reply: func(int, igny8.ChatRequest) (igny8.ChatResponse, error) { return ok(goodTitle) }}
			e := newEnv(t, s, envConfig{balance: tc.balance, costs: titleCosts})
			_, err := titleFunc(t).Run(context.Background(), e.runner, e.scope, topicIn{Topic: "tea"}, nil)
			var ce *igny8.CreditError
			if !errors.As(err, &ce) || !errors.Is(err, igny8.ErrInsufficientCredits) {
				t.Fatalf("err = %v, want a *CreditError", err)
			}
			if s.calls() != tc.calls {
				t.Errorf("model calls = %d, want %d", s.calls(), tc.calls)
			}
			if got := e.balance(t); got != tc.balance {
				t.Errorf("balance = %d, want %d", got, tc.balance)
			}
			if got := e.aiUsage(t); got != tc.usage {
				t.Errorf("usage = %d, want %d", got, tc.usage)
			}
		})
	}
}

func TestRunIdempotencyKey(t *testing.T) {
	fail := false
	s := &scripted{reply: func(int, igny8.ChatRequest) (igny8.ChatResponse, error) {
		if fail {
			return ok("no json")
		}
		return ok(goodTitle)
	}}
	e := newEnv(t, s, envConfig{balance: 100, costs: titleCosts})
	f := titleFunc(t)
	ctx := context.Background()
	opts := &ai.RunOptions{IdempotencyKey: "task-42"}
	for i := 0; i < 2; i++ {
		res, err := f.Run(ctx, e.runner, e.scope, topicIn{Topic: "tea"}, opts)
		if err != nil {
			t.Fatal(err)
		}
		if want := []int64{3, 0}[i]; res.Credits != want {
			t.Errorf("run %d charged %d, want %d", i, res.Credits, want)
		}
	}
	// A replay that fails refunds nothing of the earlier run's charge.
	fail = true
	if _, err := f.Run(ctx, e.runner, e.scope, topicIn{Topic: "tea"}, opts); igny8.CodeOf(err) != igny8.CodeInternal {
		t.Fatalf("failing replay: %v", err)
	}
	fail = false
	if got := e.balance(t); got != 97 {
		t.Errorf("balance after a failed replay = %d, want 97", got)
	}
	if got := e.balance(t); got != 97 {
		t.Errorf("balance after two runs with one key = %d, want 97 (charged once)", got)
	}
	fail = true
	opts = &ai.RunOptions{IdempotencyKey: "task-43"}
	if _, err := f.Run(ctx, e.runner, e.scope, topicIn{Topic: "tea"}, opts); igny8.CodeOf(err) != igny8.CodeInternal {
		t.Fatalf("failing run: %v", err)
	}
	fail = false
	before := s.calls()
	_, err := f.Run(ctx, e.runner, e.scope, topicIn{Topic: "tea"}, opts)
	if igny8.CodeOf(err) != igny8.CodeConflict {
		t.Fatalf("reusing a refunded key: %v, want Conflict", err)
	}
	if s.calls() != before {
		t.Errorf("the model was called for a refused key")
	}
	if got := e.balance(t); got != 97 {
		t.Errorf("balance = %d, want 97", got)
	}
}

func TestRunCanceledDuringBackoffRefunds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	s := &scripted{reply: func(int, igny8.ChatRequest) (igny8.ChatResponse, error) {
		return igny8.ChatResponse{}, igny8.Errorf(igny8.CodeUnavailable, "fake", "busy")
	}}
	e := newEnv(t, s, envConfig{balance: 10, costs: titleCosts, opts: ai.RunnerOptions{
		Sleep: func(ctx context.Context, d time.Duration) error { cancel(); return ctx.Err() },
	}})
	_, err := titleFunc(t).Run(ctx, e.runner, e.scope, topicIn{Topic: "tea"}, nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled in the chain", err)
	}
	if got := e.balance(t); got != 10 {
		t.Errorf("balance = %d, want 10 (refunded)", got)
	}
	if got := e.aiUsage(t); got != 0 {
		t.Errorf("usage = %d, want 0 (released)", got)
	}
}

func TestRunRefusesBadCalls(t *testing.T) {
	s := &scripted{reply: func(int, igny8.ChatRequest) (igny8.ChatResponse, error) { return ok(goodTitle) }}
	e := newEnv(t, s, envConfig{balance: 10, costs: titleCosts})
	f := titleFunc(t)
	noCost, _ := ai.NewFunction(ai.Spec[topicIn, titleOut]{Name: "unpriced", User: "x"})
	tests := []struct {
		name  string
		run   func() error
		field string
	}{
		{"no site", func() error {
			_, err := f.Run(context.Background(), e.runner, igny8.Scope{AccountID: e.scope.AccountID}, topicIn{}, nil)
			return err
		}, "scope.site_id"},
		{"no runner", func() error {
			_, err := f.Run(context.Background(), nil, e.scope, topicIn{}, nil)
			return err
		}, "runner"},
		{"no cost", func() error {
			_, err := noCost.Run(context.Background(), e.runner, e.scope, topicIn{}, nil)
			return err
		}, "function"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.run()
			var ie *igny8.Error
			if !errors.As(err, &ie) || ie.Code != igny8.CodeInvalidArgument || ie.Field != tc.field {
				t.Fatalf("err = %v, want InvalidArgument on %s", err, tc.field)
			}
		})
	}
	if s.calls() != 0 || e.balance(t) != 10 {
		t.Errorf("a refused call reached the model or charged")
	}
}

func BenchmarkRun(b *testing.B) {
	s := &scripted{reply: func(int, igny8.ChatRequest) (igny8.ChatResponse, error) { return ok(goodTitle) }}
	e := newEnvB(b, s)
	f := ai.MustFunction(ai.Spec[topicIn, titleOut]{Name: "title", User: "Write a title about {{.Topic}}."})
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		s.mu.Lock()
		s.reqs = s.reqs[:0]
		s.mu.Unlock()
		if _, err := f.Run(ctx, e.runner, e.scope, topicIn{Topic: "tea"}, nil); err != nil {
			b.Fatal(err)
		}
	}
}
