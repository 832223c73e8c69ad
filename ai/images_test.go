package ai_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/igny8/sdk/adapters/offline"
	"github.com/igny8/sdk/ai"
	"github.com/igny8/sdk/igny8"
)

type scriptedImages struct {
	mu    sync.Mutex
	n     int
	reply func(n int) (igny8.GeneratedImage, error)
}

func (s *scriptedImages) GenerateImage(ctx context.Context, req igny8.ImageRequest) (igny8.GeneratedImage, error) {
	s.mu.Lock()
	s.n++
	n := s.n
	s.mu.Unlock()
	return s.reply(n)
}

func TestGenerateImage(t *testing.T) {
	png, err := offline.New(offline.Options{}).GenerateImage(context.Background(), igny8.ImageRequest{Prompt: "x", Size: "8x8"})
	if err != nil {
		t.Fatal(err)
	}
	busy := igny8.Errorf(igny8.CodeUnavailable, "fake", "busy")
	tests := []struct {
		name     string
		reply    func(n int) (igny8.GeneratedImage, error)
		dailyMax int64
		runs     int
		code     igny8.Code // of the last run
		attempts int        // generator calls in all
		balance  int64
		outcomes []ai.Outcome
	}{
		{
			name: "ok after a retry",
			reply: func(n int) (igny8.GeneratedImage, error) {
				if n == 1 {
					return igny8.GeneratedImage{}, busy
				}
				return png, nil
			},
			runs: 1, attempts: 2, balance: 95,
			outcomes: []ai.Outcome{ai.OutcomeUnavailable, ai.OutcomeOK},
		},
		{
			name:     "daily image limit",
			reply:    func(int) (igny8.GeneratedImage, error) { return png, nil },
			dailyMax: 1, runs: 2, code: igny8.CodeLimitExceeded, attempts: 1, balance: 95,
			outcomes: []ai.Outcome{ai.OutcomeOK, ai.OutcomeRefused},
		},
		{
			name: "not an image",
			reply: func(int) (igny8.GeneratedImage, error) {
				return igny8.GeneratedImage{Data: []byte("<html>"), MediaType: "text/html"}, nil
			},
			runs: 1, code: igny8.CodeInternal, attempts: 1, balance: 100,
			outcomes: []ai.Outcome{ai.OutcomeInvalidOutput},
		},
		{
			name: "refused prompt",
			reply: func(int) (igny8.GeneratedImage, error) {
				return igny8.GeneratedImage{}, igny8.Errorf(igny8.CodeInvalidArgument, "fake", "content policy")
			},
			runs: 1, code: igny8.CodeInvalidArgument, attempts: 1, balance: 100,
			outcomes: []ai.Outcome{ai.OutcomeError},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			gen := &scriptedImages{reply: tc.reply}
			cfg := envConfig{balance: 100, opts: ai.RunnerOptions{Images: gen, Retry: ai.RetryPolicy{Jitter: func(time.Duration) time.Duration { return 0 }}}}
			e := newEnv(t, &scripted{}, cfg)
			if tc.dailyMax > 0 {
				setLimit(t, e, igny8.LimitDailyImageGenerations, tc.dailyMax)
			}
			var err error
			var res ai.ImageResult
			for i := 0; i < tc.runs; i++ {
				res, err = e.runner.GenerateImage(context.Background(), e.scope, igny8.ImageRequest{Prompt: "a teapot"}, nil)
			}
			if igny8.CodeOf(err) != tc.code {
				t.Fatalf("code = %q, want %q: %v", igny8.CodeOf(err), tc.code, err)
			}
			if tc.code == "" && (res.Image.MediaType != "image/png" || res.Credits != 5) {
				t.Errorf("result = %s, %d credits", res.Image.MediaType, res.Credits)
			}
			if gen.n != tc.attempts {
				t.Errorf("generator calls = %d, want %d", gen.n, tc.attempts)
			}
			if got := e.balance(t); got != tc.balance {
				t.Errorf("balance = %d, want %d", got, tc.balance)
			}
			u, _ := e.limits.Usage(context.Background(), e.scope, igny8.LimitMonthlyImages)
			if want := (100 - tc.balance) / 5; u.Used != want {
				t.Errorf("monthly images used = %d, want %d", u.Used, want)
			}
			calls := e.calls(t)
			if len(calls) != len(tc.outcomes) {
				t.Fatalf("call log %+v, want outcomes %v", calls, tc.outcomes)
			}
			for i, c := range calls {
				if c.Outcome != tc.outcomes[i] || c.Function != igny8.FuncGenerateImage {
					t.Errorf("row %d = %s %s, want %s", i, c.Function, c.Outcome, tc.outcomes[i])
				}
			}
		})
	}
}

func TestGenerateImageNeedsGenerator(t *testing.T) {
	e := newEnv(t, &scripted{}, envConfig{balance: 10})
	_, err := e.runner.GenerateImage(context.Background(), e.scope, igny8.ImageRequest{Prompt: "x"}, nil)
	if igny8.CodeOf(err) != igny8.CodeInvalidArgument {
		t.Errorf("err = %v", err)
	}
}

func setLimit(t *testing.T, e *env, l igny8.Limit, v int64) {
	t.Helper()
	ctx := context.Background()
	acct, err := e.store.GetAccount(ctx, e.scope.AccountID)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := e.store.GetPlan(ctx, acct.PlanID)
	if err != nil {
		t.Fatal(err)
	}
	if plan.Limits == nil {
		plan.Limits = map[igny8.Limit]int64{}
	}
	plan.Limits[l] = v
	if _, err := igny8.NewTenancy(e.store, igny8.TenancyOptions{}).UpdatePlan(ctx, plan); err != nil {
		t.Fatal(err)
	}
}
