package automation

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/igny8/sdk/igny8"
)

// Trigger is what starts a rule: a schedule tick or a domain event.
type Trigger string

// Triggers.
const (
	TriggerSchedule         Trigger = "schedule"
	TriggerKeywordAdded     Trigger = Trigger(igny8.EventKeywordAdded)
	TriggerClusterCreated   Trigger = Trigger(igny8.EventClusterCreated)
	TriggerIdeaCreated      Trigger = Trigger(igny8.EventIdeaCreated)
	TriggerContentGenerated Trigger = Trigger(igny8.EventContentGenerated)
	TriggerContentLinked    Trigger = Trigger(igny8.EventContentLinked)
	TriggerContentOptimized Trigger = Trigger(igny8.EventContentOptimized)
	TriggerContentPublished Trigger = Trigger(igny8.EventContentPublished)
)

// Triggers returns every trigger.
func Triggers() []Trigger {
	return []Trigger{TriggerSchedule, TriggerKeywordAdded, TriggerClusterCreated, TriggerIdeaCreated,
		TriggerContentGenerated, TriggerContentLinked, TriggerContentOptimized, TriggerContentPublished}
}

func (t Trigger) valid() bool {
	for _, x := range Triggers() {
		if x == t {
			return true
		}
	}
	return false
}

// ActionType names what an action does.
type ActionType string

// The pipeline's actions.
const (
	ActionAutoCluster     ActionType = "auto_cluster"
	ActionGenerateIdeas   ActionType = "generate_ideas"
	ActionCreateTasks     ActionType = "create_tasks"
	ActionGenerateContent ActionType = "generate_content"
	ActionGenerateImages  ActionType = "generate_images"
	ActionLinkContent     ActionType = "link_content"
	ActionOptimizeContent ActionType = "optimize_content"
	ActionPublish         ActionType = "publish"
)

// ActionTypes returns every built-in action type.
func ActionTypes() []ActionType {
	return []ActionType{ActionAutoCluster, ActionGenerateIdeas, ActionCreateTasks, ActionGenerateContent,
		ActionGenerateImages, ActionLinkContent, ActionOptimizeContent, ActionPublish}
}

// Operator compares a condition's field with its value.
type Operator string

// Condition operators.
const (
	OpEq       Operator = "eq"
	OpNe       Operator = "ne"
	OpGt       Operator = "gt"
	OpGte      Operator = "gte"
	OpLt       Operator = "lt"
	OpLte      Operator = "lte"
	OpIn       Operator = "in"
	OpContains Operator = "contains"
)

// Condition must hold for a rule to run. Field is a dotted path into the
// trigger's data: the event ("type", "subject", "site_id", "sector_id")
// and its payload ("payload.count", "payload.words").
type Condition struct {
	Field string          `json:"field"`
	Op    Operator        `json:"op"`
	Value json.RawMessage `json:"value"`
}

// Action is one step of a rule, with its parameters.
type Action struct {
	Type   ActionType     `json:"type"`
	Params map[string]any `json:"params,omitempty"`
}

// Schedule runs a rule on a cron expression in a time zone.
type Schedule struct {
	Cron     string `json:"cron"`
	TimeZone string `json:"time_zone,omitempty"`
}

// Rule is an automation: when its trigger fires and its conditions hold,
// its actions run in order.
type Rule struct {
	ID    string      `json:"id"`
	Scope igny8.Scope `json:"scope"`
	Name  string      `json:"name"`
	// Template names the workflow template the rule was installed from.
	Template   string      `json:"template,omitempty"`
	Trigger    Trigger     `json:"trigger"`
	Conditions []Condition `json:"conditions,omitempty"`
	Actions    []Action    `json:"actions"`
	// Schedule is required for TriggerSchedule and ignored otherwise.
	Schedule *Schedule `json:"schedule,omitempty"`
	Active   bool      `json:"active"`
	// MaxExecutionsPerDay caps this rule's runs per day (0: only the
	// site's daily_automation_executions limit applies).
	MaxExecutionsPerDay int `json:"max_executions_per_day"`
	// CreditLimit stops an execution before an action would take its
	// credits past this many (0: no limit beyond the balance).
	CreditLimit int64     `json:"credit_limit"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// validate checks a rule against the known action types.
func (r *Rule) validate(op string, known map[ActionType]bool) error {
	if strings.TrimSpace(r.Name) == "" {
		return igny8.InvalidArgument(op, "name", "is required")
	}
	if len(r.Name) > 200 {
		return igny8.InvalidArgument(op, "name", "must be at most 200 bytes, got %d", len(r.Name))
	}
	if !r.Trigger.valid() {
		return igny8.InvalidArgument(op, "trigger", "unknown trigger %q", string(r.Trigger))
	}
	if r.Trigger == TriggerSchedule {
		if r.Schedule == nil || strings.TrimSpace(r.Schedule.Cron) == "" {
			return igny8.InvalidArgument(op, "schedule.cron", "is required for a schedule trigger")
		}
		if _, err := ParseCron(r.Schedule.Cron, r.Schedule.TimeZone); err != nil {
			if strings.Contains(err.Error(), "time zone") {
				return igny8.InvalidArgument(op, "schedule.time_zone", "%v", err)
			}
			return igny8.InvalidArgument(op, "schedule.cron", "%v", err)
		}
	}
	if len(r.Actions) == 0 {
		return igny8.InvalidArgument(op, "actions", "needs at least one action")
	}
	if len(r.Actions) > 20 {
		return igny8.InvalidArgument(op, "actions", "at most 20 actions, got %d", len(r.Actions))
	}
	for i, a := range r.Actions {
		if !known[a.Type] {
			return igny8.InvalidArgument(op, fmt.Sprintf("actions[%d].type", i), "unknown action %q", string(a.Type))
		}
	}
	for i, c := range r.Conditions {
		if err := c.validate(); err != nil {
			return igny8.InvalidArgument(op, fmt.Sprintf("conditions[%d].%s", i, err.field), "%s", err.msg)
		}
	}
	if r.MaxExecutionsPerDay < 0 {
		return igny8.InvalidArgument(op, "max_executions_per_day", "must not be negative, got %d", r.MaxExecutionsPerDay)
	}
	if r.CreditLimit < 0 {
		return igny8.InvalidArgument(op, "credit_limit", "must not be negative, got %d", r.CreditLimit)
	}
	return nil
}

type fieldErr struct{ field, msg string }

func (c Condition) validate() *fieldErr {
	if c.Field == "" || strings.ContainsAny(c.Field, " \t") || strings.HasPrefix(c.Field, ".") || strings.HasSuffix(c.Field, ".") || strings.Contains(c.Field, "..") {
		return &fieldErr{"field", fmt.Sprintf("%q is not a field path", c.Field)}
	}
	root, _, _ := strings.Cut(c.Field, ".")
	switch root {
	case "type", "subject", "site_id", "sector_id", "payload", "time":
	default:
		return &fieldErr{"field", fmt.Sprintf("%q is not one of type, subject, site_id, sector_id, time, payload.*", c.Field)}
	}
	var v any
	if len(c.Value) == 0 || json.Unmarshal(c.Value, &v) != nil {
		return &fieldErr{"value", "is not JSON"}
	}
	switch c.Op {
	case OpEq, OpNe, OpContains:
	case OpGt, OpGte, OpLt, OpLte:
		if _, ok := v.(float64); !ok {
			return &fieldErr{"value", fmt.Sprintf("%s compares numbers, got %s", c.Op, c.Value)}
		}
	case OpIn:
		if _, ok := v.([]any); !ok {
			return &fieldErr{"value", fmt.Sprintf("in needs a list, got %s", c.Value)}
		}
	default:
		return &fieldErr{"op", fmt.Sprintf("unknown operator %q (eq, ne, gt, gte, lt, lte, in, contains)", string(c.Op))}
	}
	return nil
}

// holds reports whether the condition holds for data (the trigger's
// fields). A missing field holds for ne only.
func (c Condition) holds(data map[string]any) bool {
	got, ok := lookup(data, c.Field)
	var want any
	_ = json.Unmarshal(c.Value, &want)
	if !ok {
		return c.Op == OpNe
	}
	switch c.Op {
	case OpEq:
		return equal(got, want)
	case OpNe:
		return !equal(got, want)
	case OpGt, OpGte, OpLt, OpLte:
		g, ok1 := got.(float64)
		w, ok2 := want.(float64)
		if !ok1 || !ok2 {
			return false
		}
		switch c.Op {
		case OpGt:
			return g > w
		case OpGte:
			return g >= w
		case OpLt:
			return g < w
		}
		return g <= w
	case OpIn:
		list, _ := want.([]any)
		for _, x := range list {
			if equal(got, x) {
				return true
			}
		}
		return false
	case OpContains:
		switch g := got.(type) {
		case string:
			w, ok := want.(string)
			return ok && strings.Contains(strings.ToLower(g), strings.ToLower(w))
		case []any:
			for _, x := range g {
				if equal(x, want) {
					return true
				}
			}
		}
	}
	return false
}

func equal(a, b any) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}

func lookup(data map[string]any, path string) (any, bool) {
	var cur any = data
	for _, part := range strings.Split(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		cur, ok = m[part]
		if !ok {
			return nil, false
		}
	}
	return cur, true
}

// RunStatus is an execution's state.
type RunStatus string

// Run statuses.
const (
	RunRunning   RunStatus = "running"
	RunSucceeded RunStatus = "succeeded"
	RunFailed    RunStatus = "failed"
	// RunSkipped: the rule matched but did not run (daily cap, a limit);
	// Error says why.
	RunSkipped RunStatus = "skipped"
	// RunStopped: the credit limit stopped it before an action.
	RunStopped RunStatus = "stopped"
)

// ActionResult is what one action of a run did.
type ActionResult struct {
	Type     ActionType     `json:"type"`
	Status   RunStatus      `json:"status"`
	Output   map[string]any `json:"output,omitempty"`
	Credits  int64          `json:"credits"`
	Error    string         `json:"error,omitempty"`
	Duration time.Duration  `json:"duration"`
}

// Run is one execution of a rule.
type Run struct {
	ID     string      `json:"id"`
	RuleID string      `json:"rule_id"`
	Scope  igny8.Scope `json:"scope"`
	// Trigger and EventID say what started it; a (rule, event) pair runs
	// at most once. Schedule ticks use "tick:<RFC 3339 minute>" as id.
	Trigger     Trigger        `json:"trigger"`
	EventID     string         `json:"event_id"`
	Status      RunStatus      `json:"status"`
	Results     []ActionResult `json:"results,omitempty"`
	CreditsUsed int64          `json:"credits_used"`
	Error       string         `json:"error,omitempty"`
	ScheduledAt time.Time      `json:"scheduled_at"`
	StartedAt   time.Time      `json:"started_at,omitzero"`
	FinishedAt  time.Time      `json:"finished_at,omitzero"`
}
