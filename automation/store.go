package automation

import (
	"context"
	"time"

	"github.com/igny8/sdk/igny8"
)

// RuleFilter narrows ListRules.
type RuleFilter struct {
	Trigger Trigger
	// ActiveOnly keeps active rules only.
	ActiveOnly bool
}

// RunFilter narrows ListRuns.
type RunFilter struct {
	RuleID string
	Status RunStatus
}

// Store is what automation needs from persistence. adapters/sqlstore
// implements it. Tenant methods are scoped; a row outside the scope
// answers NotFound.
type Store interface {
	igny8.Transactor

	CreateRule(ctx context.Context, scope igny8.Scope, r Rule) error
	GetRule(ctx context.Context, scope igny8.Scope, id string) (Rule, error)
	ListRules(ctx context.Context, scope igny8.Scope, f RuleFilter, page igny8.PageRequest) ([]Rule, error)
	UpdateRule(ctx context.Context, scope igny8.Scope, r Rule) error
	DeleteRule(ctx context.Context, scope igny8.Scope, id string) error
	// ListScheduledRules lists active schedule rules of every tenant, for
	// the scheduler (an operator's view, not a tenant's).
	ListScheduledRules(ctx context.Context, page igny8.PageRequest) ([]Rule, error)

	// CreateRun stores a run; a second run of the same rule for the same
	// event id is Conflict, whatever its status.
	CreateRun(ctx context.Context, scope igny8.Scope, r Run) error
	UpdateRun(ctx context.Context, scope igny8.Scope, r Run) error
	// GetRunByEvent returns the rule's run for an event id.
	GetRunByEvent(ctx context.Context, scope igny8.Scope, ruleID, eventID string) (Run, error)
	GetRun(ctx context.Context, scope igny8.Scope, id string) (Run, error)
	ListRuns(ctx context.Context, scope igny8.Scope, f RunFilter, page igny8.PageRequest) ([]Run, error)

	// ScheduleMark returns when the rule's schedule last fired (zero if
	// never); SetScheduleMark records it.
	ScheduleMark(ctx context.Context, scope igny8.Scope, ruleID string) (time.Time, error)
	SetScheduleMark(ctx context.Context, scope igny8.Scope, ruleID string, at time.Time) error
}
