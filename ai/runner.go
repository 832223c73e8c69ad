package ai

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strings"
	"sync"
	"text/template"
	"time"

	"github.com/igny8/sdk/igny8"
)

// Outcome is how one logged model call (or a run refused before any) ended.
type Outcome string

// Call outcomes.
const (
	// OutcomeOK: the reply was accepted.
	OutcomeOK Outcome = "ok"
	// OutcomeInvalidOutput: the reply was not valid JSON for the schema or
	// failed validation (the run re-asks or fails).
	OutcomeInvalidOutput Outcome = "invalid_output"
	// OutcomeUnavailable: the model was unavailable (the run retries or
	// fails).
	OutcomeUnavailable Outcome = "unavailable"
	// OutcomeError: the model refused the request (bad key, bad request).
	OutcomeError Outcome = "error"
	// OutcomeCanceled: the caller's context ended.
	OutcomeCanceled Outcome = "canceled"
	// OutcomeRefused: the run stopped before calling the model (daily AI
	// request limit, credits) or after it (credits for the tokens).
	OutcomeRefused Outcome = "refused"
)

// Call is one row of the AI call log. A run writes one row per model call
// (Attempt 1, 2, ...); its last row has Final set and carries the credits
// the run charged in the end (0 when it failed and was refunded). A run
// refused before it reached the model writes a single row with Attempt 0.
type Call struct {
	ID               string        `json:"id"`
	RunID            string        `json:"run_id"`
	Scope            igny8.Scope   `json:"scope"`
	Function         string        `json:"function"`
	PromptID         string        `json:"prompt_id"`
	Model            string        `json:"model,omitempty"`
	Attempt          int           `json:"attempt"`
	Final            bool          `json:"final"`
	PromptTokens     int           `json:"prompt_tokens"`
	CompletionTokens int           `json:"completion_tokens"`
	Latency          time.Duration `json:"latency"`
	Credits          int64         `json:"credits"`
	Outcome          Outcome       `json:"outcome"`
	ErrorCode        igny8.Code    `json:"error_code,omitempty"`
	Error            string        `json:"error,omitempty"`
	CreatedAt        time.Time     `json:"created_at"`
}

// CallQuery filters the call log.
type CallQuery struct {
	// Function and RunID, when set, keep only matching rows.
	Function string
	RunID    string
	Page     igny8.PageRequest
}

// CallStore keeps the AI call log. adapters/sqlstore implements it.
type CallStore interface {
	// RecordCall appends a row; c.Scope names its tenant.
	RecordCall(ctx context.Context, c Call) error
	// ListCalls lists rows within scope (an account, or a site of it),
	// oldest first.
	ListCalls(ctx context.Context, scope igny8.Scope, q CallQuery) ([]Call, error)
}

// RunnerStore is what the Runner needs of the store besides Limits and
// Credits: transactions, and the ledger lookup that stops an idempotency
// key of a refunded run from being reused. igny8.Store satisfies it.
type RunnerStore interface {
	igny8.Transactor
	GetLedgerEntry(ctx context.Context, accountID, idempotencyKey string) (igny8.LedgerEntry, error)
}

// RetryPolicy says how the Runner retries a model that is Unavailable.
// Delays grow exponentially from BaseDelay, capped at MaxDelay, with full
// jitter; a Retry-After from the server is a lower bound, and one longer
// than MaxRetryAfter ends the run at once (a scheduler should retry it
// later rather than hold a worker).
type RetryPolicy struct {
	// MaxAttempts counts model calls spent on Unavailable answers, the
	// first included (default 4).
	MaxAttempts   int
	BaseDelay     time.Duration // default 500ms
	MaxDelay      time.Duration // default 20s
	MaxRetryAfter time.Duration // default 60s
	// Jitter picks the delay in [0, ceil]; nil means uniform (full jitter).
	Jitter func(ceil time.Duration) time.Duration
}

// Defaults of RetryPolicy and RunnerOptions.
const (
	DefaultMaxAttempts   = 4
	DefaultBaseDelay     = 500 * time.Millisecond
	DefaultMaxDelay      = 20 * time.Second
	DefaultMaxRetryAfter = 60 * time.Second
	DefaultMaxReasks     = 2
)

// RunnerOptions configures a Runner; the zero value is usable.
type RunnerOptions struct {
	Clock igny8.Clock
	IDs   igny8.IDGenerator
	// Logger receives a line per run; nil discards them.
	Logger *slog.Logger
	Retry  RetryPolicy
	// Sleep waits between retries; nil waits on a timer or ctx. Tests
	// pass one that records the delays.
	Sleep func(ctx context.Context, d time.Duration) error
	// MaxReasks is how often an invalid reply is sent back to the model
	// with the validation error (default 2; negative means never).
	MaxReasks int
	// Prompts, when set, supplies account overrides of prompts.
	Prompts PromptStore
	// Model is the model asked for; empty means the adapter's default.
	Model string
	// Images, when set, lets GenerateImage run image generations under
	// the same limits, credits, retries and call log.
	Images igny8.ImageGenerator
}

// Runner runs AI functions for tenants: it holds the daily AI request
// limit, charges credits once, calls the model with retries and re-asks,
// refunds on failure, and logs every call. It is safe for concurrent use.
type Runner struct {
	store     RunnerStore
	limits    *igny8.Limits
	credits   *igny8.Credits
	llm       igny8.LLM
	images    igny8.ImageGenerator
	calls     CallStore
	prompts   PromptStore
	clock     igny8.Clock
	ids       igny8.IDGenerator
	log       *slog.Logger
	retry     RetryPolicy
	sleep     func(ctx context.Context, d time.Duration) error
	maxReasks int
	model     string

	mu    sync.Mutex
	cache map[string][2]*template.Template
}

// NewRunner returns a Runner. All arguments are required.
func NewRunner(store RunnerStore, limits *igny8.Limits, credits *igny8.Credits, llm igny8.LLM, calls CallStore, opts RunnerOptions) (*Runner, error) {
	const op = "ai.NewRunner"
	switch {
	case store == nil:
		return nil, igny8.InvalidArgument(op, "store", "is required")
	case limits == nil:
		return nil, igny8.InvalidArgument(op, "limits", "is required")
	case credits == nil:
		return nil, igny8.InvalidArgument(op, "credits", "is required")
	case llm == nil:
		return nil, igny8.InvalidArgument(op, "llm", "is required")
	case calls == nil:
		return nil, igny8.InvalidArgument(op, "calls", "is required")
	}
	r := &Runner{
		store: store, limits: limits, credits: credits, llm: llm, calls: calls, images: opts.Images,
		prompts: opts.Prompts, clock: opts.Clock, ids: opts.IDs, log: opts.Logger,
		retry: opts.Retry, sleep: opts.Sleep, maxReasks: opts.MaxReasks, model: opts.Model,
		cache: map[string][2]*template.Template{},
	}
	if r.clock == nil {
		r.clock = igny8.SystemClock{}
	}
	if r.ids == nil {
		r.ids = &igny8.UUIDv7{Clock: r.clock}
	}
	if r.log == nil {
		r.log = slog.New(slog.DiscardHandler)
	}
	if r.sleep == nil {
		r.sleep = sleepCtx
	}
	if r.maxReasks == 0 {
		r.maxReasks = DefaultMaxReasks
	} else if r.maxReasks < 0 {
		r.maxReasks = 0
	}
	p := &r.retry
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = DefaultMaxAttempts
	}
	if p.BaseDelay <= 0 {
		p.BaseDelay = DefaultBaseDelay
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = DefaultMaxDelay
	}
	if p.MaxRetryAfter <= 0 {
		p.MaxRetryAfter = DefaultMaxRetryAfter
	}
	if p.Jitter == nil {
		p.Jitter = fullJitter
	}
	return r, nil
}

func fullJitter(ceil time.Duration) time.Duration {
	if ceil <= 0 {
		return 0
	}
	return time.Duration(rand.Int64N(int64(ceil) + 1))
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// RunOptions are per-run options; nil means defaults.
type RunOptions struct {
	// IdempotencyKey keys the credit debit. Running again with the key of
	// a successful run charges nothing more; the key of a run that failed
	// and was refunded is refused with Conflict. Empty: a fresh key.
	IdempotencyKey string
	// Model overrides the Runner's model for this run.
	Model string
}

// Result is a successful run's output and what it cost.
type Result[Out any] struct {
	Output Out
	RunID  string
	Model  string
	// Attempts counts model calls (retries and re-asks included).
	Attempts int
	Usage    igny8.TokenUsage
	// Credits is what the run charged in total.
	Credits int64
	Latency time.Duration
}

// Run runs f for scope (a site is required) with input in. See the package
// documentation for the steps, the charging rules and the error codes.
func (f *Function[In, Out]) Run(ctx context.Context, r *Runner, scope igny8.Scope, in In, opts *RunOptions) (Result[Out], error) {
	op := "ai.Run(" + f.spec.PromptID + ")"
	if r == nil {
		return Result[Out]{}, igny8.InvalidArgument(op, "runner", "is required")
	}
	if err := scope.RequireSite(op); err != nil {
		return Result[Out]{}, err
	}
	if err := f.check(in); err != nil {
		return Result[Out]{}, err
	}
	if opts == nil {
		opts = &RunOptions{}
	}
	msgs, err := render(ctx, r, scope, f, in)
	if err != nil {
		return Result[Out]{}, err
	}
	var out Out
	j := &job{
		op: op, name: f.spec.Name, promptID: f.spec.PromptID, schema: f.raw, msgs: msgs,
		temperature: f.spec.Temperature, maxTokens: f.spec.MaxTokens,
		parse: func(text, finish string) error {
			var err error
			out, err = f.Parse(in, text, finish)
			return err
		},
	}
	info, err := r.run(ctx, scope, j, opts)
	if err != nil {
		return Result[Out]{}, err
	}
	return Result[Out]{
		Output: out, RunID: info.runID, Model: info.model, Attempts: info.attempts,
		Usage: info.usage, Credits: info.credits, Latency: info.latency,
	}, nil
}

// render builds the messages, from the account's override of the prompt
// when there is a usable one. An override that no longer parses or
// executes (the input type changed since it was saved) is logged and the
// built-in prompt used, so that a stale override cannot stop production.
func render[In, Out any](ctx context.Context, r *Runner, scope igny8.Scope, f *Function[In, Out], in In) ([]igny8.Message, error) {
	if r.prompts != nil {
		o, err := r.prompts.GetPromptOverride(ctx, scope.Account(), f.spec.PromptID)
		switch {
		case err == nil:
			st, ut, perr := r.overrideTemplates(f, o)
			if perr == nil {
				msgs, xerr := f.messages(st, ut, in)
				if xerr == nil {
					return msgs, nil
				}
				perr = xerr
			}
			r.log.WarnContext(ctx, "ai: prompt override unusable, using the built-in prompt",
				"prompt_id", f.spec.PromptID, "scope", scope.String(), "error", perr)
		case igny8.CodeOf(err) == igny8.CodeNotFound:
		default:
			return nil, igny8.Wrap(igny8.CodeInternal, "ai.Run", err)
		}
	}
	msgs, err := f.messages(nil, nil, in)
	if err != nil {
		return nil, igny8.InvalidArgument("ai.Run("+f.spec.PromptID+")", "input", "the prompt cannot be rendered: %v", err)
	}
	return msgs, nil
}

const maxCachedTemplates = 256

func (r *Runner) overrideTemplates(f interface {
	parse(system, user string) (*template.Template, *template.Template, error)
}, o PromptOverride) (*template.Template, *template.Template, error) {
	key := o.PromptID + "\x00" + o.System + "\x00" + o.User
	r.mu.Lock()
	t, ok := r.cache[key]
	r.mu.Unlock()
	if ok {
		return t[0], t[1], nil
	}
	st, ut, err := f.parse(o.System, o.User)
	if err != nil {
		return nil, nil, err
	}
	r.mu.Lock()
	if len(r.cache) >= maxCachedTemplates {
		clear(r.cache)
	}
	r.cache[key] = [2]*template.Template{st, ut}
	r.mu.Unlock()
	return st, ut, nil
}

// job is the type-free part of a run.
type job struct {
	op, name, promptID string
	schema             json.RawMessage
	msgs               []igny8.Message
	temperature        *float64
	maxTokens          int
	parse              func(text, finish string) error
}

type runInfo struct {
	runID    string
	model    string
	attempts int
	usage    igny8.TokenUsage
	credits  int64
	latency  time.Duration
}

// maxEcho caps how much of an invalid reply is sent back on a re-ask.
const maxEcho = 8000

func (r *Runner) run(ctx context.Context, scope igny8.Scope, j *job, opts *RunOptions) (runInfo, error) {
	start := r.clock.Now()
	info := runInfo{runID: r.ids.NewID(), model: opts.Model}
	if info.model == "" {
		info.model = r.model
	}
	base := Call{RunID: info.runID, Scope: scope, Function: j.name, PromptID: j.promptID}

	table, err := r.credits.CostTable(ctx, scope)
	if err != nil {
		return info, igny8.Wrap(igny8.CodeInternal, j.op, err)
	}
	cost, ok := table[j.name]
	if !ok {
		return info, igny8.InvalidArgument(j.op, "function", "no credit cost is set for %q in the plan or the defaults", j.name)
	}
	key := opts.IdempotencyKey
	if key == "" {
		key = "ai:" + j.name + ":" + info.runID
	} else {
		if len(key) > 180 {
			return info, igny8.InvalidArgument(j.op, "idempotency_key", "must be at most 180 bytes, got %d", len(key))
		}
		_, err := r.store.GetLedgerEntry(ctx, scope.AccountID, "refund:"+key)
		switch {
		case err == nil:
			return info, igny8.Errorf(igny8.CodeConflict, j.op, "idempotency key %q belongs to a run that failed and was refunded; use a new key", key)
		case igny8.CodeOf(err) != igny8.CodeNotFound:
			return info, igny8.Wrap(igny8.CodeInternal, j.op, err)
		}
	}

	// The reservation and the per-call debit commit together: a debit
	// refused for lack of credits leaves the daily counter untouched.
	var res igny8.Reservation
	// replay: the key's debit belongs to an earlier run (its Reference is
	// another run's ID), which paid; this run charges and refunds nothing.
	replay := false
	err = r.store.InTx(ctx, func(ctx context.Context) error {
		var err error
		res, err = r.limits.Reserve(ctx, scope.Site(), igny8.LimitDailyAIRequests, 1)
		if err != nil {
			return err
		}
		if cost.PerCall > 0 {
			var e igny8.LedgerEntry
			e, err = r.credits.Debit(ctx, scope.Account(), igny8.Charge{
				Amount: cost.PerCall, Reason: "AI " + j.name, Reference: info.runID, IdempotencyKey: key,
			})
			replay = err == nil && e.Reference != info.runID
		}
		return err
	})
	if err != nil {
		c := base
		c.Final, c.Outcome = true, OutcomeRefused
		r.record(context.WithoutCancel(ctx), c, start, err)
		return info, err
	}
	charged := cost.PerCall
	if replay {
		charged = 0
	}

	fail := func(c Call, err error) (runInfo, error) {
		cctx := context.WithoutCancel(ctx)
		if charged > 0 {
			if _, rerr := r.credits.Refund(cctx, scope.Account(), key, "refund: AI "+j.name+" failed"); rerr != nil {
				r.log.ErrorContext(cctx, "ai: refund failed; refund the debit by its key",
					"run_id", info.runID, "idempotency_key", key, "error", rerr)
			}
		}
		if rerr := r.limits.Release(cctx, res); rerr != nil {
			r.log.ErrorContext(cctx, "ai: releasing the daily AI request failed", "run_id", info.runID, "error", rerr)
		}
		c.Final = true
		r.record(cctx, c, start, err)
		r.log.InfoContext(cctx, "ai: run failed", "function", j.name, "run_id", info.runID, "scope", scope.String(),
			"attempts", info.attempts, "error", err)
		return info, err
	}

	msgs := append(make([]igny8.Message, 0, len(j.msgs)+2*r.maxReasks), j.msgs...)
	unavailable, reasks := 0, 0
	for {
		info.attempts++
		t0 := r.clock.Now()
		resp, err := r.llm.Chat(ctx, igny8.ChatRequest{
			Model: info.model, Messages: msgs, Schema: j.schema, SchemaName: j.name,
			Temperature: j.temperature, MaxTokens: j.maxTokens, Function: j.name,
		})
		c := base
		c.Attempt, c.Model = info.attempts, resp.Model
		c.PromptTokens, c.CompletionTokens = resp.Usage.PromptTokens, resp.Usage.CompletionTokens
		c.Latency = r.clock.Now().Sub(t0)
		info.usage.PromptTokens += resp.Usage.PromptTokens
		info.usage.CompletionTokens += resp.Usage.CompletionTokens
		if resp.Model != "" {
			info.model = resp.Model
		}
		if err != nil {
			if ctx.Err() != nil {
				c.Outcome = OutcomeCanceled
				return fail(c, igny8.Wrap(igny8.CodeUnavailable, j.op, err))
			}
			if igny8.CodeOf(err) != igny8.CodeUnavailable {
				c.Outcome = OutcomeError
				return fail(c, igny8.Wrap(igny8.CodeInternal, j.op, err))
			}
			c.Outcome = OutcomeUnavailable
			unavailable++
			if unavailable >= r.retry.MaxAttempts {
				return fail(c, igny8.Wrap(igny8.CodeUnavailable, j.op, fmt.Errorf("model unavailable after %d attempts: %w", unavailable, err)))
			}
			delay, ok := r.backoff(unavailable-1, err)
			if !ok {
				return fail(c, igny8.Wrap(igny8.CodeUnavailable, j.op, err))
			}
			r.record(ctx, c, t0, err)
			r.log.DebugContext(ctx, "ai: model unavailable, retrying", "function", j.name, "run_id", info.runID,
				"attempt", info.attempts, "delay", delay, "error", err)
			if serr := r.sleep(ctx, delay); serr != nil {
				c := base
				c.Attempt, c.Outcome = info.attempts, OutcomeCanceled
				return fail(c, igny8.Wrap(igny8.CodeUnavailable, j.op, serr))
			}
			continue
		}
		perr := j.parse(resp.Text, resp.FinishReason)
		if perr != nil {
			c.Outcome = OutcomeInvalidOutput
			if reasks >= r.maxReasks {
				return fail(c, igny8.Errorf(igny8.CodeInternal, j.op, "the model's output is invalid after %d attempts: %w", info.attempts, perr))
			}
			reasks++
			r.record(ctx, c, t0, perr)
			msgs = append(msgs,
				igny8.Message{Role: igny8.RoleAssistant, Content: clip(resp.Text, maxEcho)},
				igny8.Message{Role: igny8.RoleUser, Content: reask(perr)})
			continue
		}
		// Accepted: charge the token part, keyed off the run's key so a
		// retried run never pays it twice, and write the final log row in
		// the same transaction (one commit instead of two).
		total := cost.For(int64(info.usage.Total()))
		extra := total - cost.PerCall
		if replay {
			total, extra = 0, 0
		}
		info.credits = total
		info.latency = r.clock.Now().Sub(start)
		c.Outcome, c.Final, c.Credits = OutcomeOK, true, total
		c.ID, c.CreatedAt = r.ids.NewID(), r.clock.Now().UTC()
		debitTokens := func(ctx context.Context) error {
			if extra <= 0 {
				return nil
			}
			_, err := r.credits.Debit(ctx, scope.Account(), igny8.Charge{
				Amount: extra, Reason: fmt.Sprintf("AI %s: %d tokens", j.name, info.usage.Total()),
				Reference: info.runID, IdempotencyKey: key + ":tokens",
			})
			return err
		}
		var debitErr, logErr error
		err = r.store.InTx(ctx, func(ctx context.Context) error {
			if debitErr = debitTokens(ctx); debitErr != nil {
				return debitErr
			}
			logErr = r.calls.RecordCall(ctx, c)
			return logErr
		})
		if err != nil && debitErr == nil && logErr != nil {
			// The log row failed and took the debit with it: charge alone.
			r.log.ErrorContext(ctx, "ai: writing the call log failed", "run_id", info.runID, "attempt", c.Attempt, "error", logErr)
			debitErr = debitTokens(ctx)
		} else if err != nil && debitErr == nil {
			debitErr = err
		}
		if debitErr != nil {
			c.Outcome, c.Credits = OutcomeRefused, 0
			return fail(c, debitErr)
		}
		r.log.InfoContext(ctx, "ai: run ok", "function", j.name, "run_id", info.runID, "scope", scope.String(),
			"model", info.model, "attempts", info.attempts, "tokens", info.usage.Total(), "credits", total)
		return info, nil
	}
}

func reask(err error) string {
	var b strings.Builder
	b.WriteString("Your previous reply was not accepted: ")
	b.WriteString(err.Error())
	if errors.Is(err, ErrTruncated) {
		b.WriteString(". It was cut short: reply with a shorter answer.")
	}
	b.WriteString("\nReply again with only one JSON object that matches the schema, fixing this.")
	return b.String()
}

// backoff returns the delay before retry n (0-based) after err, or false
// when the server asked for a wait longer than MaxRetryAfter.
func (r *Runner) backoff(n int, err error) (time.Duration, bool) {
	p := r.retry
	ceil := p.MaxDelay
	if n < 30 {
		if d := p.BaseDelay << n; d > 0 && d < ceil {
			ceil = d
		}
	}
	d := p.Jitter(ceil)
	var ra *igny8.RetryAfterError
	if errors.As(err, &ra) {
		if ra.After > p.MaxRetryAfter {
			return 0, false
		}
		if ra.After > d {
			d = ra.After
		}
	}
	return d, true
}

// record writes a call row. A row that cannot be written is logged, not
// returned: the run's outcome (and its charge) stands either way.
func (r *Runner) record(ctx context.Context, c Call, since time.Time, err error) {
	c.ID = r.ids.NewID()
	c.CreatedAt = r.clock.Now().UTC()
	if c.Attempt == 0 {
		c.Latency = c.CreatedAt.Sub(since)
	}
	if err != nil {
		c.ErrorCode = igny8.CodeOf(err)
		c.Error = clip(err.Error(), 2000)
	}
	if werr := r.calls.RecordCall(ctx, c); werr != nil {
		r.log.ErrorContext(ctx, "ai: writing the call log failed", "run_id", c.RunID, "attempt", c.Attempt, "error", werr)
	}
}
