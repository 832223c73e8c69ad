package automation_test

import (
	"context"
	"encoding/json"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/igny8/sdk/adapters/sqlstore"
	"github.com/igny8/sdk/adapters/sqlstore/sqlstoretest"
	"github.com/igny8/sdk/automation"
	"github.com/igny8/sdk/igny8"
)

type env struct {
	store  *sqlstore.Store
	scope  igny8.Scope
	events *igny8.Events
	clock  *igny8.ManualClock
	calls  map[automation.ActionType]*atomic.Int64
	engine *automation.Engine
}

var t0 = time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC)

func newEnv(t *testing.T, store *sqlstore.Store, limits map[igny8.Limit]int64, cost int64) *env {
	t.Helper()
	ctx := context.Background()
	e := &env{store: store, clock: igny8.NewManualClock(t0), calls: map[automation.ActionType]*atomic.Int64{}}
	ten := igny8.NewTenancy(store, igny8.TenancyOptions{Clock: e.clock})
	plan, err := ten.CreatePlan(ctx, igny8.Plan{Name: "p", Limits: limits})
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
	e.scope = site.Scope()
	e.events = igny8.NewEvents(store, e.clock, nil)
	actions := automation.Actions{}
	for _, at := range automation.ActionTypes() {
		n := &atomic.Int64{}
		e.calls[at] = n
		actions[at] = func(ctx context.Context, ac automation.ActionContext) (automation.ActionOutput, error) {
			n.Add(1)
			if ac.Action.Params["fail"] == true {
				return automation.ActionOutput{}, errors.New("scripted failure")
			}
			return automation.ActionOutput{Output: map[string]any{"did": string(ac.Action.Type)}, Credits: cost}, nil
		}
	}
	est := func(context.Context, automation.ActionContext) (int64, error) { return cost, nil }
	ests := map[automation.ActionType]automation.Estimator{}
	for _, at := range automation.ActionTypes() {
		ests[at] = est
	}
	e.engine = automation.NewEngine(store, store, actions, automation.EngineOptions{Clock: e.clock, Estimators: ests, Workers: 8})
	return e
}

func (e *env) emit(t *testing.T, typ igny8.EventType, payload any) igny8.Event {
	t.Helper()
	ev, err := e.events.Emit(context.Background(), e.scope, typ, "subject-1", payload)
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

func (e *env) drain(t *testing.T) {
	t.Helper()
	for range 100 {
		n, err := e.engine.Poll(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		evs, _ := e.events.Read(context.Background(), igny8.EventQuery{Consumer: automation.Consumer, Limit: 1})
		if n == 0 && len(evs) == 0 {
			return
		}
	}
	t.Fatal("the outbox does not drain")
}

func rule(trig automation.Trigger, acts ...automation.ActionType) automation.Rule {
	r := automation.Rule{Name: "r", Trigger: trig, Active: true}
	for _, a := range acts {
		r.Actions = append(r.Actions, automation.Action{Type: a})
	}
	return r
}

func TestRuleValidationNamesTheField(t *testing.T) {
	e := newEnv(t, sqlstoretest.SQLite(t), map[igny8.Limit]int64{igny8.LimitMaxAutomationRules: 2}, 0)
	ctx := context.Background()
	cases := []struct {
		name  string
		mut   func(*automation.Rule)
		field string
	}{
		{"no name", func(r *automation.Rule) { r.Name = " " }, "name"},
		{"unknown trigger", func(r *automation.Rule) { r.Trigger = "tuesday" }, "trigger"},
		{"unknown action", func(r *automation.Rule) { r.Actions = []automation.Action{{Type: "auto_cluster"}, {Type: "send_fax"}} }, "actions[1].type"},
		{"no actions", func(r *automation.Rule) { r.Actions = nil }, "actions"},
		{"schedule without cron", func(r *automation.Rule) { r.Trigger = automation.TriggerSchedule }, "schedule.cron"},
		{"bad cron", func(r *automation.Rule) {
			r.Trigger, r.Schedule = automation.TriggerSchedule, &automation.Schedule{Cron: "61 * * * *"}
		}, "schedule.cron"},
		{"bad zone", func(r *automation.Rule) {
			r.Trigger, r.Schedule = automation.TriggerSchedule, &automation.Schedule{Cron: "0 9 * * *", TimeZone: "Mars/Base"}
		}, "schedule.time_zone"},
		{"bad field", func(r *automation.Rule) {
			r.Conditions = []automation.Condition{{Field: "password", Op: automation.OpEq, Value: json.RawMessage(`1`)}}
		}, "conditions[0].field"},
		{"bad op", func(r *automation.Rule) {
			r.Conditions = []automation.Condition{{Field: "payload.count", Op: "like", Value: json.RawMessage(`1`)}}
		}, "conditions[0].op"},
		{"gt needs a number", func(r *automation.Rule) {
			r.Conditions = []automation.Condition{{Field: "payload.count", Op: automation.OpGt, Value: json.RawMessage(`"x"`)}}
		}, "conditions[0].value"},
		{"negative cap", func(r *automation.Rule) { r.MaxExecutionsPerDay = -1 }, "max_executions_per_day"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := rule(automation.TriggerKeywordAdded, automation.ActionAutoCluster)
			tc.mut(&r)
			_, err := e.engine.SaveRule(ctx, e.scope, r)
			var ie *igny8.Error
			if !errors.As(err, &ie) || ie.Code != igny8.CodeInvalidArgument || ie.Field != tc.field {
				t.Fatalf("got %v, want InvalidArgument on %s", err, tc.field)
			}
		})
	}
	for range 2 {
		if _, err := e.engine.SaveRule(ctx, e.scope, rule(automation.TriggerKeywordAdded, automation.ActionAutoCluster)); err != nil {
			t.Fatal(err)
		}
	}
	_, err := e.engine.SaveRule(ctx, e.scope, rule(automation.TriggerKeywordAdded, automation.ActionAutoCluster))
	if !errors.Is(err, igny8.ErrLimitExceeded) {
		t.Errorf("third rule on a plan of 2: %v", err)
	}
	if _, err := e.engine.Install(ctx, e.scope, "auto_cluster", "no_such"); igny8.CodeOf(err) != igny8.CodeInvalidArgument {
		t.Errorf("unknown template: %v", err)
	}
}

func TestEventRunsOnceAndInOrder(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		e := newEnv(t, s, nil, 3)
		r, err := e.engine.SaveRule(ctx, e.scope, rule(automation.TriggerContentGenerated, automation.ActionGenerateImages, automation.ActionLinkContent))
		if err != nil {
			t.Fatal(err)
		}
		other, err := e.engine.SaveRule(ctx, e.scope, rule(automation.TriggerKeywordAdded, automation.ActionAutoCluster))
		if err != nil {
			t.Fatal(err)
		}
		ev := e.emit(t, igny8.EventContentGenerated, map[string]any{"words": 1200})
		e.drain(t)
		runs, err := e.engine.Runs(ctx, e.scope, automation.RunFilter{RuleID: r.ID}, igny8.PageRequest{})
		if err != nil {
			t.Fatal(err)
		}
		if len(runs) != 1 || runs[0].Status != automation.RunSucceeded || runs[0].EventID != ev.ID || len(runs[0].Results) != 2 ||
			runs[0].Results[0].Type != automation.ActionGenerateImages || runs[0].CreditsUsed != 6 {
			t.Fatalf("runs: %+v", runs)
		}
		if n, _ := e.engine.Runs(ctx, e.scope, automation.RunFilter{RuleID: other.ID}, igny8.PageRequest{}); len(n) != 0 {
			t.Error("a rule of another trigger ran")
		}
		// Redelivery of the same event does not run the rule again.
		if _, err := e.engine.RunRule(ctx, e.scope, r.ID, &ev); igny8.CodeOf(err) != igny8.CodeConflict {
			t.Errorf("second run for one event: %v", err)
		}
		if e.calls[automation.ActionGenerateImages].Load() != 1 {
			t.Errorf("images ran %d times", e.calls[automation.ActionGenerateImages].Load())
		}
	})
}

func TestDailyCapUnderConcurrentEvents(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		e := newEnv(t, s, map[igny8.Limit]int64{igny8.LimitDailyAutomationExecutions: 10}, 0)
		r, err := e.engine.SaveRule(ctx, e.scope, rule(automation.TriggerKeywordAdded, automation.ActionAutoCluster))
		if err != nil {
			t.Fatal(err)
		}
		for i := range 50 {
			e.emit(t, igny8.EventKeywordAdded, map[string]any{"i": i})
		}
		e.drain(t)
		runs, err := e.engine.Runs(ctx, e.scope, automation.RunFilter{RuleID: r.ID}, igny8.PageRequest{})
		if err != nil {
			t.Fatal(err)
		}
		counts := map[automation.RunStatus]int{}
		for _, run := range runs {
			counts[run.Status]++
			if run.Status == automation.RunSkipped && run.Error == "" {
				t.Error("a skipped run does not say why")
			}
		}
		if counts[automation.RunSucceeded] != 10 || counts[automation.RunSkipped] != 40 || e.calls[automation.ActionAutoCluster].Load() != 10 {
			t.Errorf("runs %v, action calls %d", counts, e.calls[automation.ActionAutoCluster].Load())
		}
	})
}

func TestRuleCapConditionsCreditLimitAndDryRun(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, sqlstoretest.SQLite(t), nil, 40)
	r := rule(automation.TriggerIdeaCreated, automation.ActionCreateTasks, automation.ActionGenerateContent, automation.ActionPublish)
	r.MaxExecutionsPerDay = 2
	r.CreditLimit = 100
	r.Conditions = []automation.Condition{{Field: "payload.count", Op: automation.OpGte, Value: json.RawMessage(`3`)}}
	r, err := e.engine.SaveRule(ctx, e.scope, r)
	if err != nil {
		t.Fatal(err)
	}
	e.emit(t, igny8.EventIdeaCreated, map[string]any{"count": 1}) // fails the condition
	for range 3 {
		e.emit(t, igny8.EventIdeaCreated, map[string]any{"count": 5})
	}
	e.drain(t)
	runs, _ := e.engine.Runs(ctx, e.scope, automation.RunFilter{RuleID: r.ID}, igny8.PageRequest{})
	if len(runs) != 3 {
		t.Fatalf("%d runs, want 3 (one event fails the condition)", len(runs))
	}
	stopped, skipped := 0, 0
	for _, run := range runs {
		switch run.Status {
		case automation.RunStopped:
			stopped++
			// 40 + 40 fit in 100, the third action would pass it.
			if len(run.Results) != 3 || run.Results[2].Status != automation.RunStopped || run.CreditsUsed != 80 {
				t.Errorf("stopped run: %+v", run)
			}
		case automation.RunSkipped:
			skipped++
		}
	}
	if stopped != 2 || skipped != 1 || e.calls[automation.ActionPublish].Load() != 0 {
		t.Errorf("stopped %d, skipped %d, publish calls %d", stopped, skipped, e.calls[automation.ActionPublish].Load())
	}
	rep, err := e.engine.DryRun(ctx, e.scope, r, &igny8.Event{Type: igny8.EventIdeaCreated, Payload: json.RawMessage(`{"count":1}`)})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Matches || len(rep.Failed) != 1 || rep.Credits != 120 || !rep.Stops || len(rep.Actions) != 3 {
		t.Errorf("dry run: %+v", rep)
	}
	if e.calls[automation.ActionCreateTasks].Load() != 2 {
		t.Error("the dry run ran an action")
	}
}

func TestScheduleMissedTicksRunOnce(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, sqlstoretest.SQLite(t), nil, 0)
	r := rule(automation.TriggerSchedule, automation.ActionGenerateContent)
	r.Schedule = &automation.Schedule{Cron: "*/5 * * * *"}
	r, err := e.engine.SaveRule(ctx, e.scope, r)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := e.engine.Tick(ctx, t0.Add(4*time.Minute)); err != nil || n != 0 {
		t.Fatalf("before the first tick: %d %v", n, err)
	}
	// The process was "down" for 23 minutes: four ticks passed, one run.
	if n, err := e.engine.Tick(ctx, t0.Add(23*time.Minute)); err != nil || n != 1 {
		t.Fatalf("after 23 minutes: %d %v", n, err)
	}
	if n, _ := e.engine.Tick(ctx, t0.Add(24*time.Minute)); n != 0 {
		t.Errorf("ticked twice for one slot")
	}
	if n, _ := e.engine.Tick(ctx, t0.Add(25*time.Minute)); n != 1 {
		t.Errorf("the 08:25 tick did not fire")
	}
	runs, _ := e.engine.Runs(ctx, e.scope, automation.RunFilter{RuleID: r.ID}, igny8.PageRequest{})
	if len(runs) != 2 || runs[0].EventID != "tick:"+t0.Add(20*time.Minute).Format(time.RFC3339) {
		t.Errorf("runs: %d, first %+v", len(runs), runs)
	}
}

func TestInstallTemplates(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, sqlstoretest.SQLite(t), nil, 0)
	rules, err := e.engine.Install(ctx, e.scope)
	if err != nil {
		t.Fatal(err)
	}
	if len(rules) != 8 {
		t.Fatalf("%d rules installed", len(rules))
	}
	seen := map[automation.ActionType]bool{}
	for _, r := range rules {
		seen[r.Actions[0].Type] = true
		if r.Template == "" {
			t.Errorf("rule %q does not name its template", r.Name)
		}
	}
	for _, a := range automation.ActionTypes() {
		if !seen[a] {
			t.Errorf("no template runs %s", a)
		}
	}

}
