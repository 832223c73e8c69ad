package rewrite_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/igny8/sdk/adapters/sqlstore"
	"github.com/igny8/sdk/ai"
	"github.com/igny8/sdk/content"
	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/optimization"
	"github.com/igny8/sdk/optimization/rewrite"
	"github.com/igny8/sdk/optimization/rewrite/rewritetest"
)

// scriptedModel answers every chat with the next scripted reply.
type scriptedModel struct {
	mu      sync.Mutex
	replies []string
	reqs    []igny8.ChatRequest
}

func (m *scriptedModel) Chat(ctx context.Context, req igny8.ChatRequest) (igny8.ChatResponse, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.reqs = append(m.reqs, req)
	if len(m.replies) == 0 {
		return igny8.ChatResponse{}, igny8.Errorf(igny8.CodeUnavailable, "scripted", "no reply left")
	}
	r := m.replies[0]
	m.replies = m.replies[1:]
	return igny8.ChatResponse{Text: r, Model: "scripted", FinishReason: "stop", Usage: igny8.TokenUsage{PromptTokens: 100, CompletionTokens: 100}}, nil
}

// memTasks keeps optimization tasks in memory, scoped.
type memTasks struct {
	mu    sync.Mutex
	tasks []rewrite.Task
}

func (m *memTasks) CreateOptimizationTask(ctx context.Context, scope igny8.Scope, t rewrite.Task) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	t.Scope = scope
	m.tasks = append(m.tasks, t)
	return nil
}

func (m *memTasks) GetOptimizationTask(ctx context.Context, scope igny8.Scope, id string) (rewrite.Task, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, t := range m.tasks {
		if t.ID == id && scope.Contains(t.Scope) {
			return t, nil
		}
	}
	return rewrite.Task{}, igny8.NotFound("memTasks.Get", "optimization task", id)
}

func (m *memTasks) ListOptimizationTasks(ctx context.Context, scope igny8.Scope, contentID string) ([]rewrite.Task, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []rewrite.Task
	for i := len(m.tasks) - 1; i >= 0; i-- {
		if t := m.tasks[i]; t.ContentID == contentID && scope.Contains(t.Scope) {
			out = append(out, t)
		}
	}
	return out, nil
}

type optEnv struct {
	store    *sqlstore.Store
	scope    igny8.Scope
	contents *content.Library
	model    *scriptedModel
	tasks    *memTasks
	opt      *rewrite.Optimizer
	events   *igny8.Events
}

func newOptEnv(t *testing.T) *optEnv {
	t.Helper()
	e, closeFn, err := buildEnv(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(closeFn)
	return e
}

// buildEnv opens a SQLite store in dir with an account, a site, credits, an
// ai.Runner over a scripted model and the content library.
func buildEnv(dir string) (*optEnv, func(), error) {
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, "sqlite:"+filepath.Join(dir, "opt.db"), sqlstore.Options{})
	if err != nil {
		return nil, nil, err
	}
	closeFn := func() { _ = st.Close() }
	fail := func(err error) (*optEnv, func(), error) { closeFn(); return nil, nil, err }
	ten := igny8.NewTenancy(st, igny8.TenancyOptions{})
	plan, err := ten.CreatePlan(ctx, igny8.Plan{Name: "test"})
	if err != nil {
		return fail(err)
	}
	acct, err := ten.CreateAccount(ctx, igny8.Account{Name: "Acme", PlanID: plan.ID})
	if err != nil {
		return fail(err)
	}
	site, err := ten.CreateSite(ctx, igny8.Scope{AccountID: acct.ID}, igny8.Site{Name: "shop", Domain: "shop.test"})
	if err != nil {
		return fail(err)
	}
	credits := igny8.NewCredits(st, igny8.CreditsOptions{})
	if _, err := credits.Grant(ctx, site.Scope(), igny8.Charge{Amount: 1000, Reason: "test", IdempotencyKey: "grant"}); err != nil {
		return fail(err)
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	model := &scriptedModel{}
	runner, err := ai.NewRunner(st, igny8.NewLimits(st, nil), credits, model, st, ai.RunnerOptions{Logger: quiet,
		Sleep: func(ctx context.Context, _ time.Duration) error { return ctx.Err() }}) // no real backoff in tests
	if err != nil {
		return fail(err)
	}
	events := igny8.NewEvents(st, nil, nil)
	contents := content.NewLibrary(st, events, content.LibraryOptions{Logger: quiet})
	tasks := &memTasks{}
	opt := rewrite.NewOptimizer(st, contents, rewrite.AIRewriter{Library: ai.NewLibrary(), Runner: runner}, tasks, events,
		optimization.NewAnalyzer(optimization.Options{}), rewrite.OptimizerOptions{Logger: quiet})
	return &optEnv{store: st, scope: site.Scope(), contents: contents, model: model, tasks: tasks, opt: opt, events: events}, closeFn, nil
}

const originalHTML = `<p>Shoes matter for every runner. Pick a pair that fits.</p>
<h2>Fit</h2>
<p>Try 3 pairs in the afternoon. <a href="/guides/fit">Our fit guide</a> helps, and <a href="https://www.example.org/study">a study</a> agrees.</p>
<img src="/img/shoes.jpg" alt="shoes">`

func (e *optEnv) createContent(t *testing.T) content.Content {
	t.Helper()
	c, err := e.draft()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (e *optEnv) draft() (content.Content, error) {
	return e.contents.Create(context.Background(), e.scope, content.Draft{
		Type: content.TypePost, Title: "Shoes", MetaTitle: "Shoes", MetaDescription: "About shoes.",
		Slug: "running-shoes", HTML: originalHTML, PrimaryKeyword: "running shoes",
	})
}

func reply(t *testing.T, html string) string {
	t.Helper()
	return replyJSON(html)
}

func replyJSON(html string) string {
	b, err := json.Marshal(ai.OptimizeOutput{
		Title: "Running shoes", MetaTitle: "Running Shoes: How to Choose a Pair That Fits",
		MetaDescription: "Running shoes that fit make every run easier. Learn how to try running shoes, what to check and which mistakes to avoid.",
		HTML:            html, Changes: []string{"used the keyphrase in the intro and subheading"},
	})
	if err != nil {
		panic(err)
	}
	return string(b)
}

// improvedHTML is originalHTML rewritten for "running shoes", every link,
// image, heading and number kept.
const improvedHTML = `<p>Running shoes matter for every runner. Pick running shoes that fit.</p>
<h2>How running shoes should fit</h2>
<p>Try 3 pairs in the afternoon. <a href="/guides/fit">Our fit guide</a> helps, and <a href="https://www.example.org/study">a study</a> agrees.</p>
<img src="/img/shoes.jpg" alt="running shoes">`

func TestOptimizeRejectsRewriteThatDropsALink(t *testing.T) {
	e := newOptEnv(t)
	c := e.createContent(t)
	// Better for the keyphrase, but the fit guide link is gone.
	e.model.replies = []string{reply(t, `<p>Running shoes matter for every runner. Pick running shoes that fit.</p>
<h2>How running shoes should fit</h2>
<p>Try 3 pairs in the afternoon. <a href="https://www.example.org/study">A study</a> agrees.</p>
<img src="/img/shoes.jpg" alt="running shoes">`)}
	task, err := e.opt.Optimize(context.Background(), e.scope, rewrite.OptimizeRequest{ContentID: c.ID, SiteHost: "shop.test"})
	if err != nil {
		t.Fatal(err)
	}
	if task.Status != rewrite.TaskRejected || !strings.Contains(task.Reason, "/guides/fit") {
		t.Fatalf("task %s: %q, want rejected for the dropped link", task.Status, task.Reason)
	}
	got, err := e.contents.Get(context.Background(), e.scope, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != c.Version || got.HTML != c.HTML {
		t.Errorf("content changed to version %d after a rejected rewrite", got.Version)
	}
	recorded, err := e.tasks.GetOptimizationTask(context.Background(), e.scope, task.ID)
	if err != nil || recorded.HTMLAfter == "" || recorded.HTMLBefore != c.HTML || recorded.NewVersion != 0 {
		t.Errorf("recorded task %+v, %v", recorded, err)
	}
}

func TestOptimizeKeepsImprovedRewriteAsNewVersion(t *testing.T) {
	e := newOptEnv(t)
	c := e.createContent(t)
	e.model.replies = []string{reply(t, improvedHTML)}
	task, err := e.opt.Optimize(context.Background(), e.scope, rewrite.OptimizeRequest{ContentID: c.ID, SiteHost: "shop.test"})
	if err != nil {
		t.Fatal(err)
	}
	if task.Status != rewrite.TaskAccepted {
		t.Fatalf("task %s: %q, want accepted", task.Status, task.Reason)
	}
	if task.SEOAfter <= task.SEOBefore || task.NewVersion != c.Version+1 || task.BaseVersion != c.Version {
		t.Errorf("task scores %d → %d, versions %d → %d", task.SEOBefore, task.SEOAfter, task.BaseVersion, task.NewVersion)
	}
	got, err := e.contents.Get(context.Background(), e.scope, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != task.NewVersion || !strings.Contains(got.HTML, "How running shoes should fit") {
		t.Errorf("content at version %d: %q", got.Version, got.HTML)
	}
	vs, err := e.contents.Versions(context.Background(), e.scope, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	last := vs[len(vs)-1]
	for _, v := range vs {
		if v.Number > last.Number {
			last = v
		}
	}
	if last.Reason != content.ReasonOptimized || !strings.Contains(last.Note, task.ID) {
		t.Errorf("last version %d reason %s note %q", last.Number, last.Reason, last.Note)
	}
	evs, err := e.events.Read(context.Background(), igny8.EventQuery{Consumer: "test", Scope: e.scope, Types: []igny8.EventType{igny8.EventContentOptimized}})
	if err != nil || len(evs) != 1 || evs[0].Subject != c.ID {
		t.Errorf("content_optimized events %+v, %v", evs, err)
	}
	// The model was told what to fix.
	prompt := e.model.reqs[0].Messages[len(e.model.reqs[0].Messages)-1].Content
	if !strings.Contains(prompt, "first paragraph") {
		t.Errorf("prompt lacks the failing checks: %s", prompt)
	}
}

func TestOptimizeRejectsWorseRewrite(t *testing.T) {
	e := newOptEnv(t)
	c := e.createContent(t)
	e.model.replies = []string{reply(t, `<h2>Fit</h2><p>Try 3 pairs. <a href="/guides/fit">Guide</a> <a href="https://www.example.org/study">study</a>. The shoe was chosen, was bought, was worn, was returned, was replaced by many.</p><img src="/img/shoes.jpg" alt="x">`)}
	task, err := e.opt.Optimize(context.Background(), e.scope, rewrite.OptimizeRequest{ContentID: c.ID, Keyphrase: "sandals"})
	if err != nil {
		t.Fatal(err)
	}
	if task.Status != rewrite.TaskRejected || !strings.Contains(task.Reason, "did not rise") {
		t.Fatalf("task %s: %q, want rejected for lower scores", task.Status, task.Reason)
	}
}

func TestOptimizeRejectsLostImagesHeadingsAndNumbers(t *testing.T) {
	tests := []struct {
		name, html, want string
	}{
		{"image dropped", strings.Replace(improvedHTML, `<img src="/img/shoes.jpg" alt="running shoes">`, "", 1), "drops image /img/shoes.jpg"},
		{"number changed", strings.Replace(improvedHTML, "Try 3 pairs", "Try three pairs", 1), "drops number 3"},
		{"heading removed", strings.Replace(strings.Replace(improvedHTML, "<h2>", "<p>", 1), "</h2>", "</p>", 1), "heading structure"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newOptEnv(t)
			c := e.createContent(t)
			e.model.replies = []string{reply(t, tt.html)}
			task, err := e.opt.Optimize(context.Background(), e.scope, rewrite.OptimizeRequest{ContentID: c.ID, SiteHost: "shop.test"})
			if err != nil {
				t.Fatal(err)
			}
			if task.Status != rewrite.TaskRejected || !strings.Contains(task.Reason, tt.want) {
				t.Errorf("task %s: %q, want rejected with %q", task.Status, task.Reason, tt.want)
			}
		})
	}
}

func TestOptimizeRecordsFailedModelCall(t *testing.T) {
	e := newOptEnv(t)
	c := e.createContent(t)
	// No scripted reply: the model answers Unavailable on every attempt.
	task, err := e.opt.Optimize(context.Background(), e.scope, rewrite.OptimizeRequest{ContentID: c.ID})
	if err == nil || task.Status != rewrite.TaskFailed {
		t.Fatalf("task %s, err %v; want a failed task and an error", task.Status, err)
	}
	tasks, _ := e.tasks.ListOptimizationTasks(context.Background(), e.scope, c.ID)
	if len(tasks) != 1 || tasks[0].Status != rewrite.TaskFailed {
		t.Errorf("recorded tasks %+v", tasks)
	}
}

func TestOptimizeBadRequests(t *testing.T) {
	e := newOptEnv(t)
	tests := []struct {
		name  string
		scope igny8.Scope
		req   rewrite.OptimizeRequest
		code  igny8.Code
	}{
		{"no site", igny8.Scope{AccountID: e.scope.AccountID}, rewrite.OptimizeRequest{ContentID: "x"}, igny8.CodeInvalidArgument},
		{"no content id", e.scope, rewrite.OptimizeRequest{}, igny8.CodeInvalidArgument},
		{"unknown content", e.scope, rewrite.OptimizeRequest{ContentID: "missing"}, igny8.CodeNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := e.opt.Optimize(context.Background(), tt.scope, tt.req); igny8.CodeOf(err) != tt.code {
				t.Errorf("err = %v, want %s", err, tt.code)
			}
		})
	}
}

// TestMemTasksConformance proves the test double keeps tasks as a real
// store must, so the tests above rely on a faithful store.
func TestMemTasksConformance(t *testing.T) {
	rewritetest.Run(t, func(t *testing.T) (rewrite.TaskStore, rewritetest.Fixture) {
		return &memTasks{}, rewritetest.Fixture{
			Scope: igny8.Scope{AccountID: "a1", SiteID: "s1"},
			Other: igny8.Scope{AccountID: "a2", SiteID: "s2"},
		}
	})
}
