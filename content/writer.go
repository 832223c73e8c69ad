package content

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/igny8/sdk/igny8"
)

// ImagePrompt is a prompt for an image the article wants, and where.
type ImagePrompt struct {
	Kind ImageKind `json:"kind"`
	// Position is the H2 section index an in-article image follows.
	Position int    `json:"position"`
	Prompt   string `json:"prompt"`
	Alt      string `json:"alt"`
}

// Article is what a Generator writes for a task, before sanitizing.
type Article struct {
	Title           string
	MetaTitle       string
	MetaDescription string
	Slug            string
	HTML            string
	Excerpt         string
	FAQ             []FAQ
	ImagePrompts    []ImagePrompt
	// PrimaryKeyword and SecondaryKeywords default to the task's.
	PrimaryKeyword    string
	SecondaryKeywords []string
}

// Generator writes one article for a task. The AI generator (NewAIGenerator)
// runs the content-type's prompt through the ai runtime; a host can plug in
// its own. idempotencyKey is stable across retries of the same attempt, so
// a generator that charges credits charges once per article even when a
// worker dies and another takes the task over.
type Generator interface {
	Generate(ctx context.Context, scope igny8.Scope, task Task, idempotencyKey string) (Article, error)
}

// Writer turns tasks into content: it creates tasks, claims them with a
// lease, generates articles with bounded concurrency, and stores each
// result exactly once.
type Writer struct {
	store   Store
	library *Library
	gen     Generator
	limits  *igny8.Limits
	events  *igny8.Events
	clock   igny8.Clock
	ids     igny8.IDGenerator
	log     *slog.Logger
	opts    WriterOptions
}

// WriterOptions configures a Writer; the zero value is usable.
type WriterOptions struct {
	// Lease is how long a worker holds a claimed task before another may
	// take it over (default 10 minutes). Keep it above the slowest model
	// call.
	Lease time.Duration
	// MaxAttempts bounds how often a failing task is retried before it is
	// marked failed (default 3).
	MaxAttempts int
	// WorkerID names this worker in leases (default: a fresh id).
	WorkerID string
	Clock    igny8.Clock
	IDs      igny8.IDGenerator
	Logger   *slog.Logger
}

// NewWriter returns a Writer. library stores the content; gen writes it;
// limits holds the site's daily content-task and monthly word limits.
func NewWriter(store Store, library *Library, gen Generator, limits *igny8.Limits, events *igny8.Events, opts WriterOptions) *Writer {
	w := &Writer{store: store, library: library, gen: gen, limits: limits, events: events, clock: opts.Clock, ids: opts.IDs, log: opts.Logger, opts: opts}
	if w.clock == nil {
		w.clock = igny8.SystemClock{}
	}
	if w.ids == nil {
		w.ids = &igny8.UUIDv7{Clock: w.clock}
	}
	if w.log == nil {
		w.log = slog.New(slog.DiscardHandler)
	}
	if w.opts.Lease <= 0 {
		w.opts.Lease = 10 * time.Minute
	}
	if w.opts.MaxAttempts <= 0 {
		w.opts.MaxAttempts = 3
	}
	if w.opts.WorkerID == "" {
		w.opts.WorkerID = "writer-" + w.ids.NewID()
	}
	return w
}

func (w *Writer) now() time.Time { return w.clock.Now().UTC() }

// CreateTasks stores new queued tasks in the scope (a sector, or a site),
// all in one batch; it returns them with their batch id.
func (w *Writer) CreateTasks(ctx context.Context, scope igny8.Scope, tasks []NewTask) ([]Task, error) {
	const op = "content.Writer.CreateTasks"
	if err := scope.RequireSite(op); err != nil {
		return nil, err
	}
	if len(tasks) == 0 {
		return nil, igny8.InvalidArgument(op, "tasks", "is empty")
	}
	batch := w.ids.NewID()
	out := make([]Task, len(tasks))
	for i, n := range tasks {
		if err := n.validate(op, i); err != nil {
			return nil, err
		}
		if n.Type == "" {
			n.Type = TypePost
		}
		if n.TargetWords == 0 {
			n.TargetWords = defaultWords(n.Type)
		}
		out[i] = Task{
			ID: w.ids.NewID(), Scope: scope, IdeaID: n.IdeaID, ClusterID: n.ClusterID, BatchID: batch,
			Title: strings.TrimSpace(n.Title), Brief: n.Brief, Outline: n.Outline,
			PrimaryKeyword: n.PrimaryKeyword, Keywords: n.Keywords, Type: n.Type, TargetWords: n.TargetWords,
			AuthorProfile: n.AuthorProfile, Status: TaskQueued, CreatedAt: w.now(), UpdatedAt: w.now(),
		}
	}
	err := w.store.InTx(ctx, func(ctx context.Context) error {
		if err := w.store.CreateTasks(ctx, scope, out); err != nil {
			return err
		}
		if w.events != nil {
			_, err := w.events.Emit(ctx, scope, igny8.EventTaskCreated, batch, map[string]any{"batch_id": batch, "count": len(out)})
			return err
		}
		return nil
	})
	if err != nil {
		return nil, igny8.Wrap(igny8.CodeInternal, op, err)
	}
	return out, nil
}

func defaultWords(t Type) int {
	switch t {
	case TypeTaxonomy:
		return 300
	case TypeProduct, TypeService:
		return 800
	case TypePage:
		return 600
	}
	return 1200
}

// Progress reports a batch's progress. Done counts tasks that finished in
// this run (completed or failed for good); Total is the batch size.
type Progress struct {
	BatchID   string
	Total     int
	Completed int
	Failed    int
	// Skipped counts tasks another worker finished first.
	Skipped int
	// Last is the task that just finished, and its error if it failed.
	Last    Task
	LastErr error
	Elapsed time.Duration
}

// BatchOptions configures RunBatch.
type BatchOptions struct {
	// Concurrency bounds the articles generated at once (default 4); it is
	// further capped by the plan's max_concurrent_tasks for the site.
	Concurrency int
	// Progress, when set, is called after each task, from one goroutine at
	// a time.
	Progress func(Progress)
}

// BatchResult sums up a RunBatch.
type BatchResult struct {
	BatchID   string
	Completed int
	Failed    int
	Skipped   int
	Elapsed   time.Duration
}

// RunBatch generates every claimable task of a batch (batchID "" means every
// claimable task of the scope). It is safe to run again after a
// cancellation or a crash, in this process or another: finished tasks are
// not repeated, and tasks left by a dead worker are taken over when their
// lease runs out. It returns when nothing is left to claim, or with the
// context's error when cancelled.
func (w *Writer) RunBatch(ctx context.Context, scope igny8.Scope, batchID string, opts BatchOptions) (BatchResult, error) {
	const op = "content.Writer.RunBatch"
	if err := scope.RequireSite(op); err != nil {
		return BatchResult{}, err
	}
	conc := opts.Concurrency
	if conc <= 0 {
		conc = 4
	}
	if u, err := w.limits.Usage(ctx, scope, igny8.LimitMaxConcurrentTasks); err == nil && u.Max > 0 && int64(conc) > u.Max {
		conc = int(u.Max)
	} else if err != nil {
		return BatchResult{}, igny8.Wrap(igny8.CodeInternal, op, err)
	}
	total := 0
	if batchID != "" {
		n, err := w.countBatch(ctx, scope, batchID)
		if err != nil {
			return BatchResult{}, igny8.Wrap(igny8.CodeInternal, op, err)
		}
		total = n
	}

	start := time.Now()
	var mu sync.Mutex
	res := BatchResult{BatchID: batchID}
	report := func(t Task, err error, skipped bool) {
		mu.Lock()
		defer mu.Unlock()
		switch {
		case skipped:
			res.Skipped++
		case err != nil:
			res.Failed++
		default:
			res.Completed++
		}
		if opts.Progress != nil {
			opts.Progress(Progress{BatchID: batchID, Total: total, Completed: res.Completed, Failed: res.Failed, Skipped: res.Skipped, Last: t, LastErr: err, Elapsed: time.Since(start)})
		}
	}

	// A feeder claims tasks a few at a time as workers free up; leases are
	// taken just before the work starts, so they do not run out in a queue.
	queue := make(chan Task)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		defer close(queue)
		for {
			claimed, err := w.store.ClaimTasks(gctx, scope, batchID, w.opts.WorkerID, w.now(), w.now().Add(w.opts.Lease), conc)
			if err != nil {
				return err
			}
			if len(claimed) == 0 {
				return nil
			}
			for i, t := range claimed {
				select {
				case queue <- t:
				case <-gctx.Done():
					w.handBack(ctx, claimed[i:])
					return gctx.Err()
				}
			}
		}
	})
	for range conc {
		g.Go(func() error {
			for t := range queue {
				if gctx.Err() != nil {
					w.handBack(ctx, []Task{t})
					continue
				}
				err := w.work(gctx, t)
				if err != nil && gctx.Err() != nil {
					// Failed because the run ended: work handed the task
					// back, and the resumed run reports it.
					return gctx.Err()
				}
				// A task stored before the run ended counts: the resumed
				// run will not see it again.
				report(t, unskip(err), errors.Is(err, errSkipped))
				if gctx.Err() != nil {
					return gctx.Err()
				}
			}
			return nil
		})
	}
	err := g.Wait()
	res.Elapsed = time.Since(start)
	if err != nil {
		return res, igny8.Wrap(igny8.CodeInternal, op, err)
	}
	return res, nil
}

// handBack releases claimed tasks that were never started, so a resumed
// batch takes them at once instead of waiting for their leases.
func (w *Writer) handBack(ctx context.Context, tasks []Task) {
	for _, t := range tasks {
		if err := w.store.ReleaseTask(context.WithoutCancel(ctx), t.Scope, t.ID, w.opts.WorkerID, "", w.now()); err != nil {
			w.log.Warn("handing back an unstarted task", "task", t.ID, "err", err)
		}
	}
}

func unskip(err error) error {
	if errors.Is(err, errSkipped) {
		return nil
	}
	return err
}

var errSkipped = errors.New("task finished by another worker")

func (w *Writer) countBatch(ctx context.Context, scope igny8.Scope, batchID string) (int, error) {
	n := 0
	page := igny8.PageRequest{Limit: igny8.MaxPageLimit}
	for {
		ts, err := w.store.ListTasks(ctx, scope, TaskFilter{BatchID: batchID}, page)
		if err != nil {
			return 0, err
		}
		n += len(ts)
		if len(ts) < page.Limit {
			return n, nil
		}
		page.After = ts[len(ts)-1].ID
	}
}

// Generate writes the article of one task now (claiming it first), and
// returns the stored content.
func (w *Writer) Generate(ctx context.Context, scope igny8.Scope, taskID string) (Content, error) {
	const op = "content.Writer.Generate"
	if err := scope.RequireSite(op); err != nil {
		return Content{}, err
	}
	t, err := w.store.GetTask(ctx, scope, taskID)
	if err != nil {
		return Content{}, err
	}
	if t.Status == TaskCompleted {
		return w.library.Get(ctx, scope, t.ContentID)
	}
	if t.Status == TaskFailed {
		if err := w.store.RequeueTask(ctx, scope, taskID, w.now()); err != nil {
			return Content{}, err
		}
	}
	claimed, err := w.claimOne(ctx, scope, t)
	if err != nil {
		return Content{}, err
	}
	if err := w.work(ctx, claimed); err != nil {
		return Content{}, err
	}
	t, err = w.store.GetTask(ctx, scope, taskID)
	if err != nil {
		return Content{}, err
	}
	return w.library.Get(ctx, scope, t.ContentID)
}

func (w *Writer) claimOne(ctx context.Context, scope igny8.Scope, t Task) (Task, error) {
	return w.store.ClaimTask(ctx, scope, t.ID, w.opts.WorkerID, w.now(), w.now().Add(w.opts.Lease))
}

// work generates, stores and completes one claimed task. Errors are
// recorded on the task; errSkipped means another worker completed it.
func (w *Writer) work(ctx context.Context, t Task) error {
	scope := t.Scope
	log := w.log.With("task", t.ID, "scope", scope.String(), "attempt", t.Attempts)

	// Reserve the day's task and the month's words before the call; give
	// them back if it fails.
	var held []igny8.Reservation
	release := func() {
		for _, r := range held {
			if err := w.limits.Release(context.WithoutCancel(ctx), r); err != nil {
				log.Warn("releasing reservation", "limit", r.Key.Limit, "err", err)
			}
		}
		held = nil
	}
	err := w.store.InTx(ctx, func(ctx context.Context) error {
		day, err := w.limits.Reserve(ctx, scope, igny8.LimitDailyContentTasks, 1)
		if err != nil {
			return err
		}
		words, err := w.limits.Reserve(ctx, scope, igny8.LimitMonthlyWords, int64(t.TargetWords))
		if err != nil {
			return err
		}
		held = []igny8.Reservation{day, words}
		return nil
	})
	if err != nil {
		held = nil
		return w.fail(ctx, t, err, false)
	}

	key := fmt.Sprintf("content:%s:%d", t.ID, t.Failures)
	art, err := w.gen.Generate(ctx, scope, t, key)
	if err != nil {
		release()
		// A cancelled run is handed back as a failure (fail requeues it), so
		// the resumed run charges under a new key: the runner refunded this one.
		return w.fail(ctx, t, err, retryable(err))
	}

	c, err := w.store.GetTask(ctx, scope, t.ID)
	if err == nil && c.Status == TaskCompleted {
		release()
		return errSkipped
	}

	// From here on the article is paid for: a failure hands the task back
	// without counting it, so the retry reuses the same charge.
	body, err := w.library.prepareBody("content.Writer.Generate", Body{
		Title: art.Title, MetaTitle: clampRunes(art.MetaTitle, MaxMetaTitle), MetaDescription: clampRunes(art.MetaDescription, MaxMetaDescription),
		HTML: art.HTML, Excerpt: art.Excerpt, FAQ: art.FAQ,
	})
	if err != nil {
		release()
		return w.failPaid(ctx, t, err)
	}
	content := Content{
		ID: w.ids.NewID(), Scope: scope, TaskID: t.ID, Type: t.Type, Status: StatusDraft, Version: 1, Body: body,
		PrimaryKeyword: firstNonEmpty(art.PrimaryKeyword, t.PrimaryKeyword), SecondaryKeywords: art.SecondaryKeywords,
		CreatedAt: w.now(), UpdatedAt: w.now(),
	}
	if len(content.SecondaryKeywords) == 0 {
		content.SecondaryKeywords = t.Keywords
	}
	err = w.store.InTx(ctx, func(ctx context.Context) error {
		base := art.Slug
		if base == "" {
			base = body.Title
		}
		slug, err := w.library.UniqueSlug(ctx, scope, base, "")
		if err != nil {
			return err
		}
		content.Slug = slug
		if err := w.store.CompleteTask(ctx, scope, t.ID, w.opts.WorkerID, content.ID, w.now()); err != nil {
			return err
		}
		if err := w.store.CreateContent(ctx, scope, content, w.library.version(content, ReasonGenerated, "task "+t.ID)); err != nil {
			return err
		}
		for i, p := range art.ImagePrompts {
			img := Image{ID: w.ids.NewID(), Scope: scope, ContentID: content.ID, Kind: p.Kind, Position: p.Position, Prompt: p.Prompt, Alt: p.Alt, Status: ImagePending, CreatedAt: w.now(), UpdatedAt: w.now()}
			if img.Kind == "" {
				img.Kind = ImageInArticle
				if i == 0 {
					img.Kind = ImageFeatured
				}
			}
			if err := w.store.CreateImage(ctx, scope, img); err != nil {
				return err
			}
		}
		// Settle the word reservation on the words actually written. The
		// article is paid for, so words past the month's limit do not
		// discard it: the limit was checked before the call.
		if diff := int64(body.WordCount - t.TargetWords); diff > 0 {
			if _, err := w.limits.Reserve(ctx, scope, igny8.LimitMonthlyWords, diff); err != nil {
				if igny8.CodeOf(err) != igny8.CodeLimitExceeded {
					return err
				}
				log.Warn("article runs past the monthly word limit", "words", body.WordCount, "reserved", t.TargetWords)
			}
		} else if diff < 0 {
			if err := w.limits.Release(ctx, igny8.Reservation{Key: held[1].Key, N: -diff}); err != nil {
				return err
			}
		}
		if w.events != nil {
			if _, err := w.events.Emit(ctx, scope, igny8.EventContentGenerated, content.ID, map[string]any{
				"task_id": t.ID, "title": content.Title, "words": body.WordCount, "type": string(content.Type),
			}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		release()
		if igny8.CodeOf(err) == igny8.CodeConflict {
			log.Info("task finished by another worker; result discarded")
			return errSkipped
		}
		return w.failPaid(ctx, t, err)
	}
	log.Debug("article stored", "content", content.ID, "words", body.WordCount)
	return nil
}

func (w *Writer) fail(ctx context.Context, t Task, cause error, retry bool) error {
	// A cancelled worker always hands its task back: the cancellation, not
	// the task, failed.
	requeue := ctx.Err() != nil || (retry && t.Attempts < w.opts.MaxAttempts)
	if err := w.store.FailTask(context.WithoutCancel(ctx), t.Scope, t.ID, w.opts.WorkerID, cause.Error(), requeue, w.now()); err != nil && igny8.CodeOf(err) != igny8.CodeConflict {
		w.log.Warn("recording task failure", "task", t.ID, "err", err)
	}
	return cause
}

// failPaid records a failure after the article was generated and charged:
// the task is handed back without counting a failure, so its retry runs
// under the same idempotency key and is not charged again. Past
// MaxAttempts the task fails for good.
func (w *Writer) failPaid(ctx context.Context, t Task, cause error) error {
	if ctx.Err() == nil && (!retryable(cause) || t.Attempts >= w.opts.MaxAttempts) {
		return w.fail(ctx, t, cause, false)
	}
	if err := w.store.ReleaseTask(context.WithoutCancel(ctx), t.Scope, t.ID, w.opts.WorkerID, cause.Error(), w.now()); err != nil && igny8.CodeOf(err) != igny8.CodeConflict {
		w.log.Warn("handing back a task", "task", t.ID, "err", err)
	}
	return cause
}

// retryable reports whether a failure may pass on a later attempt.
func retryable(err error) bool {
	switch igny8.CodeOf(err) {
	case igny8.CodeUnavailable, igny8.CodeInternal, igny8.CodeConflict:
		return true
	}
	return false
}

func clampRunes(s string, n int) string {
	if runeLen(s) <= n {
		return s
	}
	return truncateRunes(s, n)
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
