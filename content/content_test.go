package content_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/igny8/sdk/adapters/offline"
	"github.com/igny8/sdk/adapters/sqlstore"
	"github.com/igny8/sdk/adapters/sqlstore/sqlstoretest"
	"github.com/igny8/sdk/ai"
	"github.com/igny8/sdk/content"
	"github.com/igny8/sdk/igny8"
)

// env is a site on a real store with the offline model behind the ai
// runtime.
type env struct {
	store   *sqlstore.Store
	scope   igny8.Scope
	limits  *igny8.Limits
	credits *igny8.Credits
	events  *igny8.Events
	library *content.Library
	runner  *ai.Runner
	lib     *ai.Library
	llm     igny8.LLM
}

func newEnv(t testing.TB, store *sqlstore.Store, limits map[igny8.Limit]int64, llm igny8.LLM) *env {
	t.Helper()
	ctx := context.Background()
	e := &env{store: store, llm: llm}
	tenancy := igny8.NewTenancy(store, igny8.TenancyOptions{})
	e.limits = igny8.NewLimits(store, nil)
	e.credits = igny8.NewCredits(store, igny8.CreditsOptions{})
	e.events = igny8.NewEvents(store, nil, nil)
	plan, err := tenancy.CreatePlan(ctx, igny8.Plan{Name: "test", Limits: limits})
	if err != nil {
		t.Fatal(err)
	}
	acct, err := tenancy.CreateAccount(ctx, igny8.Account{Name: "acme", PlanID: plan.ID})
	if err != nil {
		t.Fatal(err)
	}
	site, err := tenancy.CreateSite(ctx, igny8.Scope{AccountID: acct.ID}, igny8.Site{Name: "blog"})
	if err != nil {
		t.Fatal(err)
	}
	e.scope = site.Scope()
	if _, err := e.credits.Grant(ctx, e.scope, igny8.Charge{Amount: 1_000_000, Reason: "test", IdempotencyKey: "grant"}); err != nil {
		t.Fatal(err)
	}
	e.library = content.NewLibrary(store, e.events, content.LibraryOptions{})
	if llm == nil {
		llm = offline.New(offline.Options{})
	}
	e.lib = ai.NewLibrary()
	e.runner, err = ai.NewRunner(store, e.limits, e.credits, llm, store, ai.RunnerOptions{Prompts: store, Logger: quiet, Sleep: func(context.Context, time.Duration) error { return nil }})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *env) writer(opts content.WriterOptions) *content.Writer {
	gen := content.NewAIGenerator(e.runner, e.lib, e.store)
	return content.NewWriter(e.store, e.library, gen, e.limits, e.events, opts)
}

func newTasks(n int) []content.NewTask {
	out := make([]content.NewTask, n)
	for i := range out {
		out[i] = content.NewTask{
			Title:          fmt.Sprintf("How to grow tomatoes in pots, part %d", i),
			PrimaryKeyword: fmt.Sprintf("grow tomatoes in pots %d", i),
			Keywords:       []string{"tomato pots", "container tomatoes"},
			Outline: []content.Section{
				{Heading: "Choosing a pot", Subheadings: []string{"Size", "Drainage"}},
				{Heading: "Soil and feeding"},
				{Heading: "Watering"},
			},
			Type:        content.TypePost,
			TargetWords: 600,
		}
	}
	return out
}

func TestLibraryVersionsCompareRestore(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, sqlstoretest.SQLite(t), nil, nil)
	c, err := e.library.Create(ctx, e.scope, content.Draft{
		Title: "Crème Brûlée at Home",
		HTML:  `<h2>Custard</h2><p onclick="steal()">Heat the cream.</p><script>alert(1)</script><a href="javascript:alert(1)">x</a>`,
	})
	if err != nil {
		t.Fatal(err)
	}
	if c.Slug != "creme-brulee-at-home" || c.Version != 1 {
		t.Errorf("slug %q version %d", c.Slug, c.Version)
	}
	for _, bad := range []string{"<script", "onclick", "javascript:"} {
		if strings.Contains(c.HTML, bad) {
			t.Errorf("stored HTML keeps %q: %s", bad, c.HTML)
		}
	}
	if c.WordCount != 5 || c.MetaDescription == "" || len(c.Blocks) == 0 {
		t.Errorf("derived fields: words %d meta %q blocks %s", c.WordCount, c.MetaDescription, c.Blocks)
	}
	dup, err := e.library.Create(ctx, e.scope, content.Draft{Title: "Crème brûlée at home", HTML: "<p>x</p>"})
	if err != nil || dup.Slug != "creme-brulee-at-home-2" {
		t.Fatalf("second slug %q, %v", dup.Slug, err)
	}

	newHTML := "<h2>Custard</h2><p>Heat the cream slowly.</p><p>Then bake.</p>"
	c2, err := e.library.SaveHTML(ctx, e.scope, c.ID, 1, newHTML, content.ReasonOptimized, "test")
	if err != nil {
		t.Fatal(err)
	}
	if c2.Version != 2 {
		t.Fatalf("version after save %d", c2.Version)
	}
	_, err = e.library.SaveHTML(ctx, e.scope, c.ID, 1, "<p>stale</p>", content.ReasonEdited, "")
	if igny8.CodeOf(err) != igny8.CodeConflict {
		t.Errorf("edit on a stale version: %v", err)
	}
	long := strings.Repeat("x", 61)
	_, err = e.library.Update(ctx, e.scope, c.ID, 0, content.Edit{MetaTitle: &long}, "", "")
	var ie *igny8.Error
	if !errors.As(err, &ie) || ie.Field != "meta_title" {
		t.Errorf("too long meta title: %v", err)
	}
	taken := dup.Slug
	_, err = e.library.Update(ctx, e.scope, c.ID, 0, content.Edit{Slug: &taken}, "", "")
	if igny8.CodeOf(err) != igny8.CodeConflict {
		t.Errorf("slug of another content: %v", err)
	}

	cmp, err := e.library.Compare(ctx, e.scope, c.ID, 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	if !contains(cmp.Fields, "html") || contains(cmp.Fields, "title") || !contains(cmp.TextDiff, "+ Then bake.") {
		t.Errorf("comparison: %+v", cmp)
	}
	c3, err := e.library.Restore(ctx, e.scope, c.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	vs, err := e.library.Versions(ctx, e.scope, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if c3.Version != 3 || c3.HTML != c.HTML || len(vs) != 3 || vs[2].Reason != content.ReasonRestored || vs[1].Reason != content.ReasonOptimized {
		t.Errorf("restore: version %d, %d versions, html %q", c3.Version, len(vs), c3.HTML)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// checkExactlyOnce asserts every task of the scope completed with exactly
// one content, and that credits were charged for exactly one run per
// content: per task, exactly one writing key carries a net charge.
func checkExactlyOnce(t *testing.T, e *env, want int) {
	t.Helper()
	ctx := context.Background()
	tasks, err := e.store.ListTasks(ctx, e.scope, content.TaskFilter{}, igny8.PageRequest{Limit: igny8.MaxPageLimit})
	if err != nil {
		t.Fatal(err)
	}
	contents, err := e.store.ListContent(ctx, e.scope, content.ContentFilter{}, igny8.PageRequest{Limit: igny8.MaxPageLimit})
	if err != nil {
		t.Fatal(err)
	}
	if len(tasks) != want || len(contents) != want {
		t.Fatalf("%d tasks and %d contents, want %d each", len(tasks), len(contents), want)
	}
	byTask := map[string]int{}
	for _, c := range contents {
		byTask[c.TaskID]++
	}
	for _, task := range tasks {
		if task.Status != content.TaskCompleted || byTask[task.ID] != 1 {
			t.Errorf("task %s: status %s, %d contents", task.ID, task.Status, byTask[task.ID])
		}
	}
	net := map[string]int64{}
	page := igny8.PageRequest{Limit: igny8.MaxPageLimit}
	for {
		entries, err := e.credits.Ledger(ctx, e.scope, page)
		if err != nil {
			t.Fatal(err)
		}
		for _, le := range entries {
			k := strings.TrimPrefix(le.IdempotencyKey, "refund:")
			k = strings.TrimSuffix(k, ":tokens")
			if strings.HasPrefix(k, "content:") {
				net[k] += le.Amount
			}
		}
		if len(entries) < page.Limit {
			break
		}
		page.After = entries[len(entries)-1].ID
	}
	charged := map[string]int{}
	for k, v := range net {
		if v > 0 {
			t.Errorf("key %s has a net credit of %d", k, v)
		}
		if v < 0 {
			charged[strings.Split(k, ":")[1]]++
		}
	}
	for _, task := range tasks {
		if charged[task.ID] != 1 {
			t.Errorf("task %s was charged %d times", task.ID, charged[task.ID])
		}
	}
}

func TestWriterBatchOfflineModel(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, sqlstoretest.SQLite(t), map[igny8.Limit]int64{igny8.LimitMaxConcurrentTasks: 3}, nil)
	w := e.writer(content.WriterOptions{})
	tasks, err := w.CreateTasks(ctx, e.scope, newTasks(12))
	if err != nil {
		t.Fatal(err)
	}
	var calls atomic.Int64
	var last content.Progress
	res, err := w.RunBatch(ctx, e.scope, tasks[0].BatchID, content.BatchOptions{Concurrency: 8, Progress: func(p content.Progress) {
		calls.Add(1)
		last = p
	}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Completed != 12 || res.Failed != 0 || calls.Load() != 12 || last.Completed != 12 || last.Total != 12 {
		t.Fatalf("result %+v, %d progress calls, last %+v", res, calls.Load(), last)
	}
	checkExactlyOnce(t, e, 12)

	c, err := e.store.ListContent(ctx, e.scope, content.ContentFilter{}, igny8.PageRequest{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(c[0].HTML, "<h2") || c[0].WordCount < 50 || c[0].Slug == "" || len([]rune(c[0].MetaTitle)) > 60 {
		t.Errorf("article: words %d slug %q meta %q", c[0].WordCount, c[0].Slug, c[0].MetaTitle)
	}
	evs, err := e.events.Read(ctx, igny8.EventQuery{Consumer: "t", Scope: e.scope, Types: []igny8.EventType{igny8.EventContentGenerated}, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 12 {
		t.Errorf("%d content_generated events", len(evs))
	}
	words, err := e.limits.Usage(ctx, e.scope, igny8.LimitMonthlyWords)
	if err != nil {
		t.Fatal(err)
	}
	sum := 0
	all, _ := e.store.ListContent(ctx, e.scope, content.ContentFilter{}, igny8.PageRequest{Limit: 100})
	for _, c := range all {
		sum += c.WordCount
	}
	if words.Used != int64(sum) {
		t.Errorf("monthly words used %d, articles hold %d", words.Used, sum)
	}

	// A second run finds nothing to do.
	res, err = w.RunBatch(ctx, e.scope, tasks[0].BatchID, content.BatchOptions{})
	if err != nil || res.Completed != 0 {
		t.Errorf("second run: %+v %v", res, err)
	}
}

// maxConcurrent is an LLM that records how many calls run at once.
type slowLLM struct {
	inner      igny8.LLM
	delay      time.Duration
	mu         sync.Mutex
	now, peak  int
	callsTotal atomic.Int64
	onCall     func(n int64)
}

func (s *slowLLM) Chat(ctx context.Context, req igny8.ChatRequest) (igny8.ChatResponse, error) {
	n := s.callsTotal.Add(1)
	if s.onCall != nil {
		s.onCall(n)
	}
	s.mu.Lock()
	s.now++
	s.peak = max(s.peak, s.now)
	s.mu.Unlock()
	defer func() { s.mu.Lock(); s.now--; s.mu.Unlock() }()
	select {
	case <-time.After(s.delay):
	case <-ctx.Done():
		return igny8.ChatResponse{}, ctx.Err()
	}
	return s.inner.Chat(ctx, req)
}

func TestWriterLimitsAndConcurrencyCap(t *testing.T) {
	ctx := context.Background()
	llm := &slowLLM{inner: offline.New(offline.Options{}), delay: 30 * time.Millisecond}
	e := newEnv(t, sqlstoretest.SQLite(t), map[igny8.Limit]int64{
		igny8.LimitMaxConcurrentTasks: 2,
		igny8.LimitDailyContentTasks:  5,
	}, llm)
	w := e.writer(content.WriterOptions{})
	tasks, err := w.CreateTasks(ctx, e.scope, newTasks(8))
	if err != nil {
		t.Fatal(err)
	}
	res, err := w.RunBatch(ctx, e.scope, tasks[0].BatchID, content.BatchOptions{Concurrency: 8})
	if err != nil {
		t.Fatal(err)
	}
	if res.Completed != 5 || res.Failed != 3 {
		t.Errorf("daily limit 5: %+v", res)
	}
	if llm.peak > 2 {
		t.Errorf("%d model calls ran at once, plan allows 2", llm.peak)
	}
	failed, _ := e.store.ListTasks(ctx, e.scope, content.TaskFilter{Status: content.TaskFailed}, igny8.PageRequest{})
	if len(failed) != 3 || !strings.Contains(failed[0].LastError, "daily_content_tasks") {
		t.Errorf("failed tasks: %d, first error %q", len(failed), failed[0].LastError)
	}
	u, _ := e.limits.Usage(ctx, e.scope, igny8.LimitDailyContentTasks)
	if u.Used != 5 {
		t.Errorf("daily content tasks used %d", u.Used)
	}
}

func TestWriterResumesAfterCancel(t *testing.T) {
	ctx := context.Background()
	llm := &slowLLM{inner: offline.New(offline.Options{}), delay: 20 * time.Millisecond}
	e := newEnv(t, sqlstoretest.SQLite(t), nil, llm)
	w := e.writer(content.WriterOptions{})
	tasks, err := w.CreateTasks(ctx, e.scope, newTasks(20))
	if err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	llm.onCall = func(n int64) {
		if n == 8 {
			cancel()
		}
	}
	res, err := w.RunBatch(runCtx, e.scope, tasks[0].BatchID, content.BatchOptions{Concurrency: 4})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled run: %+v, %v", res, err)
	}
	if res.Completed >= 20 {
		t.Fatalf("the cancel came too late: %+v", res)
	}
	llm.onCall = nil
	res2, err := w.RunBatch(ctx, e.scope, tasks[0].BatchID, content.BatchOptions{Concurrency: 4})
	if err != nil {
		t.Fatal(err)
	}
	if res.Completed+res2.Completed != 20 {
		t.Errorf("first run %d + resumed run %d != 20", res.Completed, res2.Completed)
	}
	checkExactlyOnce(t, e, 20)
}

// TestWriterTakesOverAfterSIGKILL runs a batch in a child process, kills
// it with SIGKILL half-way, and resumes in this process once the dead
// worker's leases ran out.
func TestWriterTakesOverAfterSIGKILL(t *testing.T) {
	if os.Getenv("IGNY8_WRITER_CHILD") != "" {
		return // the child runs TestWriterChild
	}
	dir := t.TempDir()
	dsn := "sqlite:" + dir + "/kill.db"
	store, err := sqlstore.Open(context.Background(), dsn, sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	llm := &slowLLM{inner: offline.New(offline.Options{}), delay: 40 * time.Millisecond}
	e := newEnv(t, store, nil, llm)
	w := e.writer(content.WriterOptions{})
	tasks, err := w.CreateTasks(context.Background(), e.scope, newTasks(30))
	if err != nil {
		t.Fatal(err)
	}

	cmd := exec.Command(os.Args[0], "-test.run=^TestWriterChild$", "-test.v")
	cmd.Env = append(os.Environ(), "IGNY8_WRITER_CHILD="+dsn, "IGNY8_WRITER_SCOPE="+e.scope.AccountID+"/"+e.scope.SiteID, "IGNY8_WRITER_BATCH="+tasks[0].BatchID)
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill once some articles are stored and others are in flight.
	deadline := time.Now().Add(30 * time.Second)
	for {
		cs, err := store.ListContent(context.Background(), e.scope, content.ContentFilter{}, igny8.PageRequest{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) >= 8 {
			break
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			t.Fatalf("child made no progress:\n%s", out.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	done, _ := store.ListContent(context.Background(), e.scope, content.ContentFilter{}, igny8.PageRequest{Limit: 100})
	inFlight, _ := store.ListTasks(context.Background(), e.scope, content.TaskFilter{Status: content.TaskInProgress}, igny8.PageRequest{Limit: 100})
	t.Logf("killed the child with %d articles stored and %d tasks in flight", len(done), len(inFlight))
	if len(done) >= 30 {
		t.Fatal("the child finished before it was killed")
	}

	// The child's leases are 1 s long; a clock 2 s ahead sees them expired.
	clock := &offsetClock{d: 2 * time.Second}
	w2 := e.writer(content.WriterOptions{Clock: clock, WorkerID: "rescuer"})
	res, err := w2.RunBatch(context.Background(), e.scope, tasks[0].BatchID, content.BatchOptions{Concurrency: 4})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("rescuer completed %d", res.Completed)
	checkExactlyOnce(t, e, 30)
}

type offsetClock struct{ d time.Duration }

func (c *offsetClock) Now() time.Time { return time.Now().Add(c.d) }

// TestWriterChild is the child of TestWriterTakesOverAfterSIGKILL.
func TestWriterChild(t *testing.T) {
	dsn := os.Getenv("IGNY8_WRITER_CHILD")
	if dsn == "" {
		t.Skip("runs only as the child of TestWriterTakesOverAfterSIGKILL")
	}
	ctx := context.Background()
	store, err := sqlstore.Open(ctx, dsn, sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	acct, site, _ := strings.Cut(os.Getenv("IGNY8_WRITER_SCOPE"), "/")
	scope := igny8.Scope{AccountID: acct, SiteID: site}
	llm := &slowLLM{inner: offline.New(offline.Options{}), delay: 40 * time.Millisecond}
	limits := igny8.NewLimits(store, nil)
	credits := igny8.NewCredits(store, igny8.CreditsOptions{})
	events := igny8.NewEvents(store, nil, nil)
	runner, err := ai.NewRunner(store, limits, credits, llm, store, ai.RunnerOptions{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	lib := content.NewLibrary(store, events, content.LibraryOptions{})
	w := content.NewWriter(store, lib, content.NewAIGenerator(runner, ai.NewLibrary(), store), limits, events, content.WriterOptions{Lease: time.Second, WorkerID: "doomed"})
	_, err = w.RunBatch(ctx, scope, os.Getenv("IGNY8_WRITER_BATCH"), content.BatchOptions{Concurrency: 4})
	t.Logf("child finished: %v", err)
}

var quiet = slog.New(slog.DiscardHandler)
