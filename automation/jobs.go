package automation

import (
	"context"
	"encoding/json"
	"time"

	"github.com/igny8/sdk/igny8"
)

// Job kinds the engine handles on a distributed igny8.Scheduler.
const (
	// JobEvent carries one domain event (igny8.Event as the payload). A
	// scheduler that shares the store's database enqueues it in the same
	// transaction as the event (see adapters/riverjobs), so no event is
	// missed and none is dispatched for a change that rolled back.
	JobEvent = "igny8.event"
	// JobRun runs one rule for one event; its unique key is rule/event.
	JobRun = "automation.run"
	// JobTick fires due schedules; enqueue it periodically.
	JobTick = "automation.tick"
)

type runPayload struct {
	RuleID string       `json:"rule_id"`
	Event  *igny8.Event `json:"event,omitempty"`
	Tick   time.Time    `json:"tick,omitzero"`
}

// Register makes the engine work through a distributed scheduler: event
// jobs are matched to rules and each match becomes a unique run job
// (rule/event), so many workers on many machines share the work and a
// (rule, event) pair runs once. A run job retried after its worker died
// resumes the run the worker left. Enqueue JobTick periodically (once a
// minute) for schedules.
func (e *Engine) Register(s igny8.Scheduler) {
	s.Handle(JobEvent, func(ctx context.Context, job igny8.Job) error {
		var ev igny8.Event
		if err := json.Unmarshal(job.Payload, &ev); err != nil {
			return igny8.InvalidArgument("automation.JobEvent", "payload", "%v", err)
		}
		return e.dispatch(ctx, s, &ev)
	})
	s.Handle(JobRun, func(ctx context.Context, job igny8.Job) error {
		var p runPayload
		if err := json.Unmarshal(job.Payload, &p); err != nil {
			return igny8.InvalidArgument("automation.JobRun", "payload", "%v", err)
		}
		r, err := e.store.GetRule(ctx, job.Scope, p.RuleID)
		if err != nil {
			if igny8.CodeOf(err) == igny8.CodeNotFound {
				return nil // deleted since: nothing to run
			}
			return err
		}
		id, at := "", e.now()
		if p.Event != nil {
			id, at = p.Event.ID, p.Event.CreatedAt
		} else {
			id, at = "tick:"+p.Tick.Format(time.RFC3339), p.Tick
		}
		_, err = e.executeRun(ctx, r, p.Event, id, at, job.Attempt > 1)
		if igny8.CodeOf(err) == igny8.CodeConflict {
			return nil // ran already
		}
		return err
	})
	s.Handle(JobTick, func(ctx context.Context, job igny8.Job) error {
		_, err := e.Tick(ctx, e.now())
		return err
	})
}

// dispatch enqueues a run job for every active rule the event triggers.
func (e *Engine) dispatch(ctx context.Context, s igny8.Scheduler, ev *igny8.Event) error {
	if ev.Scope.SiteID == "" {
		return nil
	}
	rules, err := e.store.ListRules(ctx, ev.Scope.Site(), RuleFilter{Trigger: Trigger(ev.Type), ActiveOnly: true}, igny8.PageRequest{Limit: igny8.MaxPageLimit})
	if err != nil {
		return err
	}
	data := eventData(ev, ev.CreatedAt)
	for _, r := range rules {
		if !r.matches(data) {
			continue
		}
		payload, err := json.Marshal(runPayload{RuleID: r.ID, Event: ev})
		if err != nil {
			return err
		}
		if err := s.Enqueue(ctx, igny8.Job{ID: e.ids.NewID(), Kind: JobRun, Scope: r.Scope, Payload: payload, UniqueKey: r.ID + "/" + ev.ID}); err != nil {
			return err
		}
	}
	return nil
}
