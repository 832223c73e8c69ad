package automation

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/igny8/sdk/igny8"
)

// ActionContext is what an action gets to work with.
type ActionContext struct {
	Scope  igny8.Scope
	Rule   Rule
	Action Action
	RunID  string
	// Event is the triggering event; nil for a schedule tick.
	Event *igny8.Event
	// Budget is the credits the execution may still spend (-1: no limit);
	// an action that can do part of its work stops within it.
	Budget int64
	// Prev holds the outputs of the run's earlier actions, by action type.
	Prev map[ActionType]map[string]any
}

// ActionOutput is what an action did and what it cost.
type ActionOutput struct {
	Output  map[string]any
	Credits int64
}

// ActionFunc performs one action. The engine records its output, credits
// and error in the run.
type ActionFunc func(ctx context.Context, ac ActionContext) (ActionOutput, error)

// Estimator says what an action would cost, for dry runs and for the
// credit limit check before the action starts.
type Estimator func(ctx context.Context, ac ActionContext) (int64, error)

// Actions binds action types to their functions. The pipeline package
// binds the built-in types to the domain services; a host adds its own.
type Actions map[ActionType]ActionFunc

// Consumer is the name of the engine's outbox cursor.
const Consumer = "automation"

// Engine matches rules to events and schedule ticks and runs their
// actions: a (rule, event) pair runs at most once, the site's
// daily_automation_executions limit and the rule's own daily cap are
// reserved atomically before a run starts, and a run stops before an
// action would pass the rule's credit limit. Every run is recorded.
type Engine struct {
	store      Store
	kernel     igny8.Store
	limits     *igny8.Limits
	events     *igny8.Events
	actions    Actions
	estimators map[ActionType]Estimator
	clock      igny8.Clock
	ids        igny8.IDGenerator
	log        *slog.Logger
	opts       EngineOptions
}

// EngineOptions configures an Engine; the zero value is usable.
type EngineOptions struct {
	// Estimators give the expected cost of actions, by type.
	Estimators map[ActionType]Estimator
	// Workers bounds the runs executed at once by Poll (default 4).
	Workers int
	// Batch is how many events one Poll reads (default 100).
	Batch int
	// Interval is how often Run polls the outbox and the schedules
	// (default 1 s).
	Interval time.Duration
	Clock    igny8.Clock
	IDs      igny8.IDGenerator
	Logger   *slog.Logger
}

// NewEngine returns an Engine. kernel is the store of the outbox, limits
// and credits (the same database as store, in the reference adapters).
func NewEngine(store Store, kernel igny8.Store, actions Actions, opts EngineOptions) *Engine {
	e := &Engine{store: store, kernel: kernel, actions: actions, estimators: opts.Estimators, clock: opts.Clock, ids: opts.IDs, log: opts.Logger, opts: opts}
	if e.clock == nil {
		e.clock = igny8.SystemClock{}
	}
	if e.ids == nil {
		e.ids = &igny8.UUIDv7{Clock: e.clock}
	}
	if e.log == nil {
		e.log = slog.New(slog.DiscardHandler)
	}
	if e.opts.Workers <= 0 {
		e.opts.Workers = 4
	}
	if e.opts.Batch <= 0 {
		e.opts.Batch = 100
	}
	if e.opts.Interval <= 0 {
		e.opts.Interval = time.Second
	}
	e.limits = igny8.NewLimits(kernel, e.clock)
	e.events = igny8.NewEvents(kernel, e.clock, e.ids)
	return e
}

func (e *Engine) now() time.Time { return e.clock.Now().UTC() }

func (e *Engine) known() map[ActionType]bool {
	k := make(map[ActionType]bool, len(e.actions))
	for t := range e.actions {
		k[t] = true
	}
	return k
}

// SaveRule validates and stores a rule: a new one (empty ID) within the
// plan's max_automation_rules, or an update of an existing one.
func (e *Engine) SaveRule(ctx context.Context, scope igny8.Scope, r Rule) (Rule, error) {
	const op = "automation.SaveRule"
	if err := scope.RequireSite(op); err != nil {
		return Rule{}, err
	}
	if err := r.validate(op, e.known()); err != nil {
		return Rule{}, err
	}
	r.Scope = scope.Site()
	r.UpdatedAt = e.now()
	if r.ID != "" {
		old, err := e.store.GetRule(ctx, scope, r.ID)
		if err != nil {
			return Rule{}, err
		}
		r.CreatedAt = old.CreatedAt
		if err := e.store.UpdateRule(ctx, scope, r); err != nil {
			return Rule{}, err
		}
		return r, nil
	}
	r.ID, r.CreatedAt = e.ids.NewID(), e.now()
	err := e.store.InTx(ctx, func(ctx context.Context) error {
		if _, err := e.limits.Reserve(ctx, scope.Account(), igny8.LimitMaxAutomationRules, 1); err != nil {
			return err
		}
		return e.store.CreateRule(ctx, scope, r)
	})
	if err != nil {
		return Rule{}, igny8.Wrap(igny8.CodeInternal, op, err)
	}
	return r, nil
}

// DeleteRule deletes a rule and frees its max_automation_rules slot.
func (e *Engine) DeleteRule(ctx context.Context, scope igny8.Scope, id string) error {
	return e.store.InTx(ctx, func(ctx context.Context) error {
		if err := e.store.DeleteRule(ctx, scope, id); err != nil {
			return err
		}
		return e.kernel.ReleaseUsage(ctx, igny8.UsageKey{AccountID: scope.AccountID, Limit: igny8.LimitMaxAutomationRules}, 1)
	})
}

// eventData is what conditions see of an event.
func eventData(ev *igny8.Event, at time.Time) map[string]any {
	d := map[string]any{"time": at.Format(time.RFC3339)}
	if ev == nil {
		d["type"] = string(TriggerSchedule)
		return d
	}
	d["type"], d["subject"], d["site_id"], d["sector_id"] = string(ev.Type), ev.Subject, ev.Scope.SiteID, ev.Scope.SectorID
	var payload any
	if len(ev.Payload) > 0 && json.Unmarshal(ev.Payload, &payload) == nil {
		d["payload"] = payload
	}
	return d
}

func (r Rule) matches(data map[string]any) bool {
	for _, c := range r.Conditions {
		if !c.holds(data) {
			return false
		}
	}
	return true
}

// Poll reads the next events of every tenant from the outbox, runs the
// rules they trigger, and acknowledges them. It returns how many runs it
// started. A crash between a run's start and the acknowledgement is safe:
// the event is read again and its runs answer Conflict.
func (e *Engine) Poll(ctx context.Context) (int, error) {
	evs, err := e.events.Read(ctx, igny8.EventQuery{Consumer: Consumer, Limit: e.opts.Batch})
	if err != nil || len(evs) == 0 {
		return 0, err
	}
	type job struct {
		rule Rule
		ev   *igny8.Event
	}
	var jobs []job
	for i := range evs {
		ev := &evs[i]
		if ev.Scope.SiteID == "" {
			continue
		}
		rules, err := e.store.ListRules(ctx, ev.Scope.Site(), RuleFilter{Trigger: Trigger(ev.Type), ActiveOnly: true}, igny8.PageRequest{Limit: igny8.MaxPageLimit})
		if err != nil {
			return 0, err
		}
		data := eventData(ev, ev.CreatedAt)
		for _, r := range rules {
			if r.matches(data) {
				jobs = append(jobs, job{rule: r, ev: ev})
			}
		}
	}
	started := 0
	var mu sync.Mutex
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(e.opts.Workers)
	for _, j := range jobs {
		g.Go(func() error {
			run, err := e.execute(gctx, j.rule, j.ev, j.ev.ID, j.ev.CreatedAt)
			if err != nil && igny8.CodeOf(err) != igny8.CodeConflict {
				return err
			}
			if err == nil && run.Status != RunSkipped {
				mu.Lock()
				started++
				mu.Unlock()
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return started, err
	}
	return started, e.events.Ack(ctx, Consumer, igny8.Scope{}, evs[len(evs)-1].Seq)
}

// Tick fires the schedule rules that are due at now: each due rule runs
// once, however many of its ticks passed while nothing was running.
func (e *Engine) Tick(ctx context.Context, now time.Time) (int, error) {
	page := igny8.PageRequest{Limit: igny8.MaxPageLimit}
	fired := 0
	for {
		rules, err := e.store.ListScheduledRules(ctx, page)
		if err != nil {
			return fired, err
		}
		for _, r := range rules {
			cron, err := ParseCron(r.Schedule.Cron, r.Schedule.TimeZone)
			if err != nil {
				e.log.Warn("automation: rule with a bad schedule", "rule", r.ID, "err", err)
				continue
			}
			mark, err := e.store.ScheduleMark(ctx, r.Scope, r.ID)
			if err != nil {
				return fired, err
			}
			if mark.IsZero() {
				mark = r.CreatedAt
			}
			due := cron.Next(mark)
			if due.IsZero() || due.After(now) {
				continue
			}
			// The latest tick at or before now stands for all missed ones.
			for next := cron.Next(due); !next.IsZero() && !next.After(now); next = cron.Next(next) {
				due = next
			}
			if err := e.store.SetScheduleMark(ctx, r.Scope, r.ID, due); err != nil {
				return fired, err
			}
			if _, err := e.execute(ctx, r, nil, "tick:"+due.Format(time.RFC3339), due); err != nil && igny8.CodeOf(err) != igny8.CodeConflict {
				e.log.Warn("automation: scheduled run failed", "rule", r.ID, "err", err)
			}
			fired++
		}
		if len(rules) < page.Limit {
			return fired, nil
		}
		page.After = rules[len(rules)-1].ID
	}
}

// Run polls the outbox and the schedules every Interval until ctx is done:
// the in-process scheduler. A missed tick while the process was down runs
// once on start.
func (e *Engine) Run(ctx context.Context) error {
	t := time.NewTicker(e.opts.Interval)
	defer t.Stop()
	for {
		if _, err := e.Tick(ctx, e.now()); err != nil && ctx.Err() == nil {
			e.log.Warn("automation: tick", "err", err)
		}
		for {
			n, err := e.Poll(ctx)
			if err != nil && ctx.Err() == nil {
				e.log.Warn("automation: poll", "err", err)
			}
			if n == 0 || err != nil {
				break
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// RunRule runs a rule now for an event (nil: as a manual run), as the
// engine would. It returns Conflict if the rule already ran for the event.
func (e *Engine) RunRule(ctx context.Context, scope igny8.Scope, ruleID string, ev *igny8.Event) (Run, error) {
	r, err := e.store.GetRule(ctx, scope, ruleID)
	if err != nil {
		return Run{}, err
	}
	id := "manual:" + e.ids.NewID()
	if ev != nil {
		id = ev.ID
	}
	return e.execute(ctx, r, ev, id, e.now())
}

// ruleCapKey is the usage counter of a rule's own daily cap: the kernel's
// atomic counters, keyed by the rule in place of a site.
func ruleCapKey(r Rule, day string) igny8.UsageKey {
	return igny8.UsageKey{AccountID: r.Scope.AccountID, SiteID: "rule:" + r.ID, Limit: igny8.LimitDailyAutomationExecutions, Period: day}
}

// execute records a run of r for eventID and runs its actions.
func (e *Engine) execute(ctx context.Context, r Rule, ev *igny8.Event, eventID string, scheduled time.Time) (Run, error) {
	return e.executeRun(ctx, r, ev, eventID, scheduled, false)
}

// executeRun is execute; with takeover, a run of the same event that a
// dead worker left running is resumed instead of answering Conflict (a
// retried job of a distributed scheduler does that).
func (e *Engine) executeRun(ctx context.Context, r Rule, ev *igny8.Event, eventID string, scheduled time.Time, takeover bool) (Run, error) {
	run := Run{ID: e.ids.NewID(), RuleID: r.ID, Scope: r.Scope, Trigger: r.Trigger, EventID: eventID, Status: RunRunning, ScheduledAt: scheduled, StartedAt: e.now()}
	if ev != nil {
		run.Scope = ev.Scope
		if run.Scope.SiteID == "" {
			run.Scope = r.Scope
		}
	}
	resumed := false
	err := e.store.InTx(ctx, func(ctx context.Context) error {
		if takeover {
			// Look before inserting: on Postgres a failed insert would end
			// the transaction.
			old, err := e.store.GetRunByEvent(ctx, r.Scope, r.ID, eventID)
			switch {
			case err == nil && old.Status == RunRunning:
				run, resumed = old, true
				run.Results, run.CreditsUsed = nil, 0
				return nil
			case err == nil:
				return igny8.Errorf(igny8.CodeConflict, "automation.Run", "rule %s already ran for event %s (%s)", r.ID, eventID, old.Status)
			case igny8.CodeOf(err) != igny8.CodeNotFound:
				return err
			}
		}
		if err := e.store.CreateRun(ctx, r.Scope, run); err != nil {
			return err
		}
		skip := func(err error) error {
			run.Status, run.Error, run.FinishedAt = RunSkipped, err.Error(), e.now()
			return e.store.UpdateRun(ctx, r.Scope, run)
		}
		// The rule's own cap first, then the site's limit: both are
		// counters reserved atomically in this transaction.
		var capKey *igny8.UsageKey
		if r.MaxExecutionsPerDay > 0 {
			acct, err := e.kernel.GetAccount(ctx, r.Scope.AccountID)
			if err != nil {
				return err
			}
			loc, err := acct.Location()
			if err != nil {
				return err
			}
			day := igny8.PeriodOf(igny8.LimitDailyAutomationExecutions, e.now().In(loc))
			key := ruleCapKey(r, day)
			if _, err := e.kernel.ReserveUsage(ctx, key, 1, int64(r.MaxExecutionsPerDay)); err != nil {
				if igny8.CodeOf(err) == igny8.CodeLimitExceeded {
					return skip(fmt.Errorf("rule %q ran its %d executions of the day", r.Name, r.MaxExecutionsPerDay))
				}
				return err
			}
			capKey = &key
		}
		if _, err := e.limits.Reserve(ctx, r.Scope, igny8.LimitDailyAutomationExecutions, 1); err != nil {
			if igny8.CodeOf(err) == igny8.CodeLimitExceeded {
				if capKey != nil {
					if err := e.kernel.ReleaseUsage(ctx, *capKey, 1); err != nil {
						return err
					}
				}
				return skip(err)
			}
			return err
		}
		return nil
	})
	if err != nil {
		return Run{}, err
	}
	if run.Status == RunSkipped {
		e.log.Info("automation: run skipped", "rule", r.ID, "event", eventID, "reason", run.Error)
		return run, nil
	}
	if resumed {
		e.log.Info("automation: resuming a run its worker left", "rule", r.ID, "event", eventID, "run", run.ID)
	}

	prev := map[ActionType]map[string]any{}
	for _, a := range r.Actions {
		budget := int64(-1)
		if r.CreditLimit > 0 {
			budget = r.CreditLimit - run.CreditsUsed
		}
		ac := ActionContext{Scope: run.Scope, Rule: r, Action: a, RunID: run.ID, Event: ev, Budget: budget, Prev: prev}
		if r.CreditLimit > 0 {
			est := int64(0)
			if f := e.estimators[a.Type]; f != nil {
				if est, err = f(ctx, ac); err != nil {
					est = 0
				}
			}
			if budget <= 0 || est > budget {
				run.Results = append(run.Results, ActionResult{Type: a.Type, Status: RunStopped,
					Error: fmt.Sprintf("would pass the execution's credit limit: %d used of %d, this action needs about %d", run.CreditsUsed, r.CreditLimit, est)})
				run.Status = RunStopped
				break
			}
		}
		f := e.actions[a.Type]
		t0 := time.Now()
		var out ActionOutput
		if f == nil {
			err = igny8.InvalidArgument("automation.Run", "action", "no function for action %q", a.Type)
		} else {
			out, err = f(ctx, ac)
		}
		res := ActionResult{Type: a.Type, Status: RunSucceeded, Output: out.Output, Credits: out.Credits, Duration: time.Since(t0)}
		run.CreditsUsed += out.Credits
		if err != nil {
			res.Status, res.Error = RunFailed, err.Error()
			run.Results = append(run.Results, res)
			run.Status, run.Error = RunFailed, fmt.Sprintf("%s: %v", a.Type, err)
			break
		}
		run.Results = append(run.Results, res)
		prev[a.Type] = out.Output
	}
	if run.Status == RunRunning {
		run.Status = RunSucceeded
	}
	run.FinishedAt = e.now()
	if err := e.store.UpdateRun(context.WithoutCancel(ctx), r.Scope, run); err != nil {
		return run, err
	}
	e.log.Info("automation: run finished", "rule", r.ID, "event", eventID, "status", run.Status, "credits", run.CreditsUsed)
	return run, nil
}

// DryRunReport says what a rule would do for an event, without doing it.
type DryRunReport struct {
	Matches bool `json:"matches"`
	// Failed lists the conditions that do not hold.
	Failed  []Condition `json:"failed,omitempty"`
	Actions []DryAction `json:"actions"`
	// Credits is the estimated total; Stops is true when the credit limit
	// would stop the run before its last action.
	Credits int64 `json:"credits"`
	Stops   bool  `json:"stops"`
}

// DryAction is one action a dry run would start.
type DryAction struct {
	Type    ActionType     `json:"type"`
	Params  map[string]any `json:"params,omitempty"`
	Credits int64          `json:"credits"`
	// Known is false when no estimator gives this action's cost.
	Known bool `json:"known"`
}

// DryRun says whether rule would run for ev (nil: a schedule tick) and
// what its actions would cost, without running anything.
func (e *Engine) DryRun(ctx context.Context, scope igny8.Scope, r Rule, ev *igny8.Event) (DryRunReport, error) {
	const op = "automation.DryRun"
	if err := scope.RequireSite(op); err != nil {
		return DryRunReport{}, err
	}
	if err := r.validate(op, e.known()); err != nil {
		return DryRunReport{}, err
	}
	r.Scope = scope.Site()
	data := eventData(ev, e.now())
	rep := DryRunReport{Matches: true}
	for _, c := range r.Conditions {
		if !c.holds(data) {
			rep.Matches = false
			rep.Failed = append(rep.Failed, c)
		}
	}
	for _, a := range r.Actions {
		da := DryAction{Type: a.Type, Params: a.Params}
		if f := e.estimators[a.Type]; f != nil {
			budget := int64(-1)
			if r.CreditLimit > 0 {
				budget = r.CreditLimit - rep.Credits
			}
			c, err := f(ctx, ActionContext{Scope: scope, Rule: r, Action: a, Event: ev, Budget: budget})
			if err != nil {
				return DryRunReport{}, err
			}
			da.Credits, da.Known = c, true
		}
		if r.CreditLimit > 0 && rep.Credits+da.Credits > r.CreditLimit {
			rep.Stops = true
		}
		rep.Credits += da.Credits
		rep.Actions = append(rep.Actions, da)
	}
	return rep, nil
}

// Runs lists a scope's runs, newest last.
func (e *Engine) Runs(ctx context.Context, scope igny8.Scope, f RunFilter, page igny8.PageRequest) ([]Run, error) {
	return e.store.ListRuns(ctx, scope, f, page.Normalize())
}
