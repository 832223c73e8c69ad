package openai_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/igny8/sdk/adapters/openai"
	"github.com/igny8/sdk/adapters/openai/openaitest"
	"github.com/igny8/sdk/adapters/sqlstore"
	"github.com/igny8/sdk/adapters/sqlstore/sqlstoretest"
	"github.com/igny8/sdk/ai"
	"github.com/igny8/sdk/ai/llmtest"
	"github.com/igny8/sdk/igny8"
)

func newClient(t *testing.T, srv *openaitest.Server, cfg openai.Config) *openai.Client {
	t.Helper()
	cfg.BaseURL = srv.URL
	if cfg.APIKey == "" {
		cfg.APIKey = "sk-test"
	}
	c, err := openai.New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestConformance(t *testing.T) {
	for _, mode := range []openai.StructuredMode{openai.ModeJSONSchema, openai.ModeTool, openai.ModeJSONObject} {
		t.Run(string(mode), func(t *testing.T) {
			llmtest.RunLLM(t, func(t *testing.T) igny8.LLM {
				return newClient(t, openaitest.New(t, openaitest.Options{}), openai.Config{StructuredMode: mode})
			})
		})
	}
	llmtest.RunEmbedder(t, func(t *testing.T) igny8.Embedder {
		return newClient(t, openaitest.New(t, openaitest.Options{}), openai.Config{})
	})
	llmtest.RunImageGenerator(t, func(t *testing.T) igny8.ImageGenerator {
		return newClient(t, openaitest.New(t, openaitest.Options{}), openai.Config{})
	})
}

func TestStructuredModeFallback(t *testing.T) {
	tests := []struct {
		name      string
		opts      openaitest.Options
		mode      openai.StructuredMode
		wantMode  openai.StructuredMode
		wantCalls int
	}{
		{"json_schema supported", openaitest.Options{}, openai.ModeAuto, openai.ModeJSONSchema, 1},
		{"no json_schema: tool", openaitest.Options{RejectJSONSchema: true}, openai.ModeAuto, openai.ModeTool, 2},
		{"neither: json_object", openaitest.Options{RejectJSONSchema: true, RejectTools: true}, openai.ModeAuto, openai.ModeJSONObject, 3},
		{"fixed mode does not fall back", openaitest.Options{RejectJSONSchema: true}, openai.ModeJSONSchema, openai.ModeJSONSchema, 1},
	}
	lib := ai.NewLibrary()
	in := ai.IdeasInput{Cluster: "tea", Keywords: []string{"green tea", "matcha"}, Count: 2}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := openaitest.New(t, tc.opts)
			c := newClient(t, srv, openai.Config{StructuredMode: tc.mode})
			msgs, _ := lib.GenerateIdeas.Messages(in)
			req := igny8.ChatRequest{Messages: msgs, Schema: lib.GenerateIdeas.Schema(), SchemaName: lib.GenerateIdeas.Name()}
			resp, err := c.Chat(context.Background(), req)
			if tc.mode != openai.ModeAuto && tc.opts.RejectJSONSchema {
				if igny8.CodeOf(err) != igny8.CodeInvalidArgument || !strings.Contains(err.Error(), "json_schema") {
					t.Fatalf("err = %v, want InvalidArgument with the server's message", err)
				}
			} else {
				if err != nil {
					t.Fatal(err)
				}
				if tc.wantMode != openai.ModeJSONObject {
					if _, err := lib.GenerateIdeas.Parse(in, resp.Text, resp.FinishReason); err != nil {
						t.Errorf("reply refused: %v\n%s", err, resp.Text)
					}
				}
			}
			if c.Mode() != tc.wantMode {
				t.Errorf("mode = %s, want %s", c.Mode(), tc.wantMode)
			}
			if n := srv.Count(openaitest.PathChat); n != tc.wantCalls {
				t.Errorf("%d requests, want %d", n, tc.wantCalls)
			}
			// The mode is remembered: the next call costs one request.
			if err == nil {
				if _, err := c.Chat(context.Background(), req); err != nil {
					t.Fatal(err)
				}
				if n := srv.Count(openaitest.PathChat); n != tc.wantCalls+1 {
					t.Errorf("second call: %d requests in all, want %d", n, tc.wantCalls+1)
				}
			}
		})
	}
}

func TestRequestShape(t *testing.T) {
	srv := openaitest.New(t, openaitest.Options{APIKey: "sk-right"})
	c := newClient(t, srv, openai.Config{APIKey: "sk-right", Organization: "org-1", Model: "gpt-x"})
	temp := 0.2
	_, err := c.Chat(context.Background(), igny8.ChatRequest{
		Messages:    []igny8.Message{{Role: igny8.RoleUser, Content: "hi"}},
		Schema:      []byte(`{"type":"object","properties":{"a":{"type":"string","maxLength":5,"minLength":1}},"required":["a"],"additionalProperties":false}`),
		SchemaName:  "my fn!",
		Temperature: &temp, MaxTokens: 50,
	})
	if err != nil {
		t.Fatal(err)
	}
	r := srv.Requests(openaitest.PathChat)[0]
	if r.Header.Get("OpenAI-Organization") != "org-1" || r.Header.Get("Authorization") != "Bearer sk-right" {
		t.Errorf("headers = %v", r.Header)
	}
	body := r.JSON()
	rf, _ := body["response_format"].(map[string]any)
	js, _ := rf["json_schema"].(map[string]any)
	if strings.Contains(string(r.Body), "maxLength") {
		t.Errorf("strict schema keeps maxLength: %s", r.Body)
	}
	if body["model"] != "gpt-x" || rf["type"] != "json_schema" || js["name"] != "myfn" || js["strict"] != true || body["max_tokens"] != 50.0 {
		t.Errorf("body = %s", r.Body)
	}
	bad := newClient(t, srv, openai.Config{APIKey: "sk-wrong"})
	_, err = bad.Chat(context.Background(), igny8.ChatRequest{Messages: []igny8.Message{{Role: igny8.RoleUser, Content: "hi"}}})
	if igny8.CodeOf(err) != igny8.CodePermissionDenied || !strings.Contains(err.Error(), "Incorrect API key") {
		t.Errorf("wrong key: %v", err)
	}
}

func TestErrorMapping(t *testing.T) {
	tests := []struct {
		name       string
		reply      openaitest.Reply
		code       igny8.Code
		retryAfter time.Duration
	}{
		{"429 retry-after seconds", openaitest.ErrorReply(429, "Rate limit reached", map[string]string{"Retry-After": "7"}), igny8.CodeUnavailable, 7 * time.Second},
		{"429 retry-after-ms", openaitest.ErrorReply(429, "Rate limit reached", map[string]string{"Retry-After-Ms": "1500"}), igny8.CodeUnavailable, 1500 * time.Millisecond},
		{"429 no header", openaitest.ErrorReply(429, "Rate limit reached", nil), igny8.CodeUnavailable, 0},
		{"500", openaitest.ErrorReply(500, "The server had an error", nil), igny8.CodeUnavailable, 0},
		{"503 html", openaitest.Reply{Status: 503, Body: "<html>bad gateway</html>"}, igny8.CodeUnavailable, 0},
		{"401", openaitest.ErrorReply(401, "Incorrect API key provided", nil), igny8.CodePermissionDenied, 0},
		{"403", openaitest.ErrorReply(403, "Country not supported", nil), igny8.CodePermissionDenied, 0},
		{"400", openaitest.ErrorReply(400, "max_tokens is too large", nil), igny8.CodeInvalidArgument, 0},
		{"404", openaitest.ErrorReply(404, "The model does not exist", nil), igny8.CodeInvalidArgument, 0},
		{"200 not JSON", openaitest.Reply{Status: 200, Body: "<html>captive portal</html>"}, igny8.CodeUnavailable, 0},
		{"200 no choices", openaitest.Reply{Status: 200, Body: `{"choices":[]}`}, igny8.CodeUnavailable, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := openaitest.New(t, openaitest.Options{})
			c := newClient(t, srv, openai.Config{})
			srv.Script(openaitest.PathChat, tc.reply)
			_, err := c.Chat(context.Background(), igny8.ChatRequest{Messages: []igny8.Message{{Role: igny8.RoleUser, Content: "hi"}}})
			if igny8.CodeOf(err) != tc.code {
				t.Fatalf("code = %s, want %s: %v", igny8.CodeOf(err), tc.code, err)
			}
			var ra *igny8.RetryAfterError
			if got := errors.As(err, &ra); got != (tc.retryAfter > 0) || (got && ra.After != tc.retryAfter) {
				t.Errorf("retry-after: %v (%v), want %v", got, err, tc.retryAfter)
			}
			if strings.HasPrefix(tc.name, "4") && !strings.Contains(err.Error(), tc.reply.Body[strings.Index(tc.reply.Body, ":\"")+2:][:10]) {
				t.Errorf("the server's message is lost: %v", err)
			}
			// The same mapping holds for embeddings and images.
			srv.Script(openaitest.PathEmbeddings, tc.reply)
			if _, err := c.Embed(context.Background(), []string{"x"}); igny8.CodeOf(err) != tc.code && !strings.HasPrefix(tc.name, "200") {
				t.Errorf("embed code = %s, want %s: %v", igny8.CodeOf(err), tc.code, err)
			}
			srv.Script(openaitest.PathImages, tc.reply)
			if _, err := c.GenerateImage(context.Background(), igny8.ImageRequest{Prompt: "x"}); igny8.CodeOf(err) != tc.code {
				t.Errorf("image code = %s, want %s: %v", igny8.CodeOf(err), tc.code, err)
			}
		})
	}
}

func TestTimeout(t *testing.T) {
	srv := openaitest.New(t, openaitest.Options{})
	c := newClient(t, srv, openai.Config{Timeout: 100 * time.Millisecond})
	srv.Script(openaitest.PathChat, openaitest.Reply{Delay: 2 * time.Second, Body: "{}"})
	start := time.Now()
	_, err := c.Chat(context.Background(), igny8.ChatRequest{Messages: []igny8.Message{{Role: igny8.RoleUser, Content: "hi"}}})
	if igny8.CodeOf(err) != igny8.CodeUnavailable {
		t.Fatalf("code = %s: %v", igny8.CodeOf(err), err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("the timeout took %v", d)
	}
}

// ---- the Runner over the real adapter, the real store and the fake API ----

type runEnv struct {
	srv     *openaitest.Server
	credits *igny8.Credits
	limits  *igny8.Limits
	store   *sqlstore.Store
	scope   igny8.Scope
	runner  *ai.Runner
	mu      sync.Mutex
	sleeps  []time.Duration
}

func newRunEnv(t *testing.T, cfg openai.Config) *runEnv {
	t.Helper()
	ctx := context.Background()
	st := sqlstoretest.SQLite(t)
	ten := igny8.NewTenancy(st, igny8.TenancyOptions{})
	plan, err := ten.CreatePlan(ctx, igny8.Plan{Name: "p", Limits: map[igny8.Limit]int64{igny8.LimitDailyAIRequests: 100}})
	if err != nil {
		t.Fatal(err)
	}
	acct, err := ten.CreateAccount(ctx, igny8.Account{Name: "a", PlanID: plan.ID})
	if err != nil {
		t.Fatal(err)
	}
	site, err := ten.CreateSite(ctx, igny8.Scope{AccountID: acct.ID}, igny8.Site{Name: "s"})
	if err != nil {
		t.Fatal(err)
	}
	e := &runEnv{store: st, scope: site.Scope(), srv: openaitest.New(t, openaitest.Options{})}
	e.credits = igny8.NewCredits(st, igny8.CreditsOptions{})
	e.limits = igny8.NewLimits(st, nil)
	if _, err := e.credits.Grant(ctx, e.scope, igny8.Charge{Amount: 100, Reason: "t", IdempotencyKey: "g"}); err != nil {
		t.Fatal(err)
	}
	client := newClient(t, e.srv, cfg)
	e.runner, err = ai.NewRunner(st, e.limits, e.credits, client, st, ai.RunnerOptions{
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Retry:  ai.RetryPolicy{BaseDelay: time.Second, Jitter: func(time.Duration) time.Duration { return 0 }},
		Sleep: func(ctx context.Context, d time.Duration) error {
			e.mu.Lock()
			e.sleeps = append(e.sleeps, d)
			e.mu.Unlock()
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

const threeIdeas = `{"ideas":[` + idea + `,` + idea + `,` + idea + `]}`
const idea = `{"title":"Green tea guide","description":"d","content_type":"post","primary_keyword":"green tea","secondary_keywords":[],"outline":[{"heading":"H","subheadings":[]}],"estimated_words":900}`

func TestRunnerAcceptance(t *testing.T) {
	chat := openaitest.PathChat
	tests := []struct {
		name     string
		cfg      openai.Config
		script   []openaitest.Reply
		code     igny8.Code
		requests int
		sleeps   []time.Duration
		outcomes []ai.Outcome
	}{
		{
			name:     "429 with Retry-After then success",
			script:   []openaitest.Reply{openaitest.ErrorReply(429, "Rate limit reached", map[string]string{"Retry-After": "2"})},
			requests: 2, sleeps: []time.Duration{2 * time.Second},
			outcomes: []ai.Outcome{ai.OutcomeUnavailable, ai.OutcomeOK},
		},
		{
			name:     "500 twice then success",
			script:   []openaitest.Reply{openaitest.ErrorReply(500, "boom", nil), openaitest.ErrorReply(500, "boom", nil)},
			requests: 3, sleeps: []time.Duration{0, 0},
			outcomes: []ai.Outcome{ai.OutcomeUnavailable, ai.OutcomeUnavailable, ai.OutcomeOK},
		},
		{
			name:     "timeout then success",
			cfg:      openai.Config{Timeout: 150 * time.Millisecond},
			script:   []openaitest.Reply{{Delay: 3 * time.Second, Body: "{}"}},
			requests: 2, sleeps: []time.Duration{0},
			outcomes: []ai.Outcome{ai.OutcomeUnavailable, ai.OutcomeOK},
		},
		{
			name: "timeouts until the attempts run out",
			cfg:  openai.Config{Timeout: 100 * time.Millisecond},
			script: []openaitest.Reply{{Delay: 3 * time.Second}, {Delay: 3 * time.Second},
				{Delay: 3 * time.Second}, {Delay: 3 * time.Second}},
			code: igny8.CodeUnavailable, requests: 4, sleeps: []time.Duration{0, 0, 0},
			outcomes: []ai.Outcome{ai.OutcomeUnavailable, ai.OutcomeUnavailable, ai.OutcomeUnavailable, ai.OutcomeUnavailable},
		},
		{
			name: "finish_reason length with truncated JSON, every time",
			script: []openaitest.Reply{
				openaitest.ChatReply(`{"ideas":[{"title":"Green tea gu`, "length", 100, 4096),
				openaitest.ChatReply(`{"ideas":[{"title":"Green tea gu`, "length", 100, 4096),
				openaitest.ChatReply(`{"ideas":[{"title":"Green tea gu`, "length", 100, 4096)},
			code: igny8.CodeInternal, requests: 3,
			outcomes: []ai.Outcome{ai.OutcomeInvalidOutput, ai.OutcomeInvalidOutput, ai.OutcomeInvalidOutput},
		},
		{
			name:     "truncated once then success",
			script:   []openaitest.Reply{openaitest.ChatReply(`{"ideas":[`, "length", 100, 4096)},
			requests: 2,
			outcomes: []ai.Outcome{ai.OutcomeInvalidOutput, ai.OutcomeOK},
		},
		{
			name:     "a body that is not JSON, then success",
			script:   []openaitest.Reply{{Status: 200, Body: "<html><body>Bad Gateway</body></html>"}},
			requests: 2, sleeps: []time.Duration{0},
			outcomes: []ai.Outcome{ai.OutcomeUnavailable, ai.OutcomeOK},
		},
		{
			name: "a body that is not JSON, every time",
			script: []openaitest.Reply{{Status: 200, Body: "<html>"}, {Status: 200, Body: "<html>"},
				{Status: 200, Body: "<html>"}, {Status: 200, Body: "<html>"}},
			code: igny8.CodeUnavailable, requests: 4, sleeps: []time.Duration{0, 0, 0},
			outcomes: []ai.Outcome{ai.OutcomeUnavailable, ai.OutcomeUnavailable, ai.OutcomeUnavailable, ai.OutcomeUnavailable},
		},
		{
			name:     "output that parses but fails validation, then valid",
			script:   []openaitest.Reply{openaitest.ChatReply(threeIdeas, "stop", 300, 300)},
			requests: 2,
			outcomes: []ai.Outcome{ai.OutcomeInvalidOutput, ai.OutcomeOK},
		},
		{
			name: "output that parses but fails validation, every time",
			script: []openaitest.Reply{openaitest.ChatReply(threeIdeas, "stop", 300, 300),
				openaitest.ChatReply(threeIdeas, "stop", 300, 300), openaitest.ChatReply(threeIdeas, "stop", 300, 300)},
			code: igny8.CodeInternal, requests: 3,
			outcomes: []ai.Outcome{ai.OutcomeInvalidOutput, ai.OutcomeInvalidOutput, ai.OutcomeInvalidOutput},
		},
		{
			name:   "401 is not retried",
			script: []openaitest.Reply{openaitest.ErrorReply(401, "Incorrect API key provided", nil)},
			code:   igny8.CodePermissionDenied, requests: 1,
			outcomes: []ai.Outcome{ai.OutcomeError},
		},
		{
			name:   "400 is not retried",
			script: []openaitest.Reply{openaitest.ErrorReply(400, "This model's maximum context length is 8192 tokens", nil)},
			code:   igny8.CodeInvalidArgument, requests: 1,
			outcomes: []ai.Outcome{ai.OutcomeError},
		},
	}
	lib := ai.NewLibrary()
	in := ai.IdeasInput{Cluster: "tea", Keywords: []string{"green tea", "matcha"}, Count: 2}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newRunEnv(t, tc.cfg)
			e.srv.Script(chat, tc.script...)
			ctx := context.Background()
			res, err := lib.GenerateIdeas.Run(ctx, e.runner, e.scope, in, nil)
			if igny8.CodeOf(err) != tc.code {
				t.Fatalf("code = %q, want %q: %v", igny8.CodeOf(err), tc.code, err)
			}
			if n := e.srv.Count(chat); n != tc.requests {
				t.Errorf("%d HTTP requests, want %d", n, tc.requests)
			}
			if len(e.sleeps) != len(tc.sleeps) || (len(tc.sleeps) > 0 && e.sleeps[0] != tc.sleeps[0]) {
				t.Errorf("sleeps = %v, want %v", e.sleeps, tc.sleeps)
			}
			bal, _ := e.credits.Balance(ctx, e.scope)
			ledger, _ := e.credits.Ledger(ctx, e.scope, igny8.PageRequest{})
			var debits, refunds int
			for _, le := range ledger[1:] {
				switch le.Kind {
				case igny8.LedgerDebit:
					debits++
				case igny8.LedgerRefund:
					refunds++
				}
			}
			usage, _ := e.limits.Usage(ctx, e.scope, igny8.LimitDailyAIRequests)
			if tc.code == "" {
				if bal != 100-res.Credits || res.Credits < 1 || refunds != 0 || debits < 1 || debits > 2 {
					t.Errorf("charged: balance %d, credits %d, %d debits, %d refunds", bal, res.Credits, debits, refunds)
				}
				if len(res.Output.Ideas) != 2 || usage.Used != 1 {
					t.Errorf("output %d ideas, usage %d", len(res.Output.Ideas), usage.Used)
				}
			} else if bal != 100 || debits != 1 || refunds != 1 || usage.Used != 0 {
				t.Errorf("not refunded: balance %d, %d debits, %d refunds, usage %d", bal, debits, refunds, usage.Used)
			}
			calls, err := e.store.ListCalls(ctx, e.scope, ai.CallQuery{Function: igny8.FuncGenerateIdeas})
			if err != nil {
				t.Fatal(err)
			}
			var got []ai.Outcome
			for _, c := range calls {
				got = append(got, c.Outcome)
			}
			if len(got) != len(tc.outcomes) {
				t.Fatalf("call log outcomes %v, want %v", got, tc.outcomes)
			}
			for i := range got {
				if got[i] != tc.outcomes[i] {
					t.Errorf("call log outcomes %v, want %v", got, tc.outcomes)
					break
				}
			}
			last := calls[len(calls)-1]
			if !last.Final || (tc.code == "" && last.Credits != res.Credits) || (tc.code != "" && (last.Credits != 0 || last.ErrorCode != tc.code)) {
				t.Errorf("last row = %+v", last)
			}
			if tc.code == "" && (last.PromptTokens == 0 || last.Model == "") {
				t.Errorf("last row lacks tokens or model: %+v", last)
			}
		})
	}
}

func TestImageModelParameters(t *testing.T) {
	tests := []struct {
		model      string
		wantFormat bool
	}{{"dall-e-3", true}, {"gpt-image-1", false}}
	for _, tc := range tests {
		t.Run(tc.model, func(t *testing.T) {
			srv := openaitest.New(t, openaitest.Options{})
			c := newClient(t, srv, openai.Config{ImageModel: tc.model})
			img, err := c.GenerateImage(context.Background(), igny8.ImageRequest{Prompt: "a kettle", Size: "64x64", Style: "natural"})
			if err != nil {
				t.Fatal(err)
			}
			if img.MediaType != "image/png" || img.RevisedPrompt == "" {
				t.Errorf("image = %s, %q", img.MediaType, img.RevisedPrompt)
			}
			body := srv.Requests(openaitest.PathImages)[0].JSON()
			if _, has := body["response_format"]; has != tc.wantFormat || body["model"] != tc.model || body["style"] != "natural" {
				t.Errorf("body = %v", body)
			}
		})
	}
}

func TestNewRefusesBadConfig(t *testing.T) {
	for _, cfg := range []openai.Config{{BaseURL: "ftp://x"}, {StructuredMode: "xml"}} {
		if _, err := openai.New(context.Background(), cfg); igny8.CodeOf(err) != igny8.CodeInvalidArgument {
			t.Errorf("New(%+v) = %v", cfg, err)
		}
	}
}
