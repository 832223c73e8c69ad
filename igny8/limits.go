package igny8

import (
	"context"
	"time"
)

// Limit names a plan limit. The names are the plan fields of the reference
// (sections 6.2 and 10.1–10.2).
type Limit string

// Count limits: how many of a thing an account may have at once.
const (
	LimitMaxKeywords        Limit = "max_keywords"
	LimitMaxClusters        Limit = "max_clusters"
	LimitMaxContentIdeas    Limit = "max_content_ideas"
	LimitMaxSites           Limit = "max_sites"
	LimitMaxUsers           Limit = "max_users"
	LimitMaxSitesBuilt      Limit = "max_sites_built"
	LimitMaxAutomationRules Limit = "max_automation_rules"
)

// Daily limits, per site, reset at midnight in the account's time zone.
const (
	LimitDailyContentTasks         Limit = "daily_content_tasks"
	LimitDailyAIRequests           Limit = "daily_ai_requests"
	LimitDailyImageGenerations     Limit = "daily_image_generation_limit"
	LimitDailySiteGenerations      Limit = "daily_site_generations"
	LimitDailyAutomationExecutions Limit = "daily_automation_executions"
)

// Monthly limits, per site, reset on the first of the month in the account's
// time zone.
const (
	LimitMonthlyWords  Limit = "monthly_word_count_limit"
	LimitMonthlyImages Limit = "monthly_image_count"
)

// Gauge limits, per site: held while in use and given back when done.
const (
	// LimitStorageBytes is the storage quota in bytes (the reference's
	// storage_quota_gb, kept in bytes so that no rounding lets a write
	// overshoot it).
	LimitStorageBytes Limit = "storage_quota_bytes"
	// LimitMaxConcurrentTasks caps the tasks running at once for a site.
	LimitMaxConcurrentTasks Limit = "max_concurrent_tasks"
)

// LimitKind says how a limit is counted.
type LimitKind int

// Limit kinds.
const (
	// KindUnknown is the kind of a name that is no limit.
	KindUnknown LimitKind = iota
	// KindCount: things an account has at once; reserved on create,
	// released on delete.
	KindCount
	// KindDaily: units a site uses per day.
	KindDaily
	// KindMonthly: units a site uses per calendar month.
	KindMonthly
	// KindGauge: units a site holds at once (bytes stored, tasks running).
	KindGauge
)

func (k LimitKind) String() string {
	switch k {
	case KindCount:
		return "count"
	case KindDaily:
		return "daily"
	case KindMonthly:
		return "monthly"
	case KindGauge:
		return "gauge"
	}
	return "unknown"
}

var limitKinds = map[Limit]LimitKind{
	LimitMaxKeywords:               KindCount,
	LimitMaxClusters:               KindCount,
	LimitMaxContentIdeas:           KindCount,
	LimitMaxSites:                  KindCount,
	LimitMaxUsers:                  KindCount,
	LimitMaxSitesBuilt:             KindCount,
	LimitMaxAutomationRules:        KindCount,
	LimitDailyContentTasks:         KindDaily,
	LimitDailyAIRequests:           KindDaily,
	LimitDailyImageGenerations:     KindDaily,
	LimitDailySiteGenerations:      KindDaily,
	LimitDailyAutomationExecutions: KindDaily,
	LimitMonthlyWords:              KindMonthly,
	LimitMonthlyImages:             KindMonthly,
	LimitStorageBytes:              KindGauge,
	LimitMaxConcurrentTasks:        KindGauge,
}

// Kind returns how l is counted.
func (l Limit) Kind() LimitKind { return limitKinds[l] }

// Valid reports whether l is a known limit.
func (l Limit) Valid() bool { return l.Kind() != KindUnknown }

// PerSite reports whether l is counted per site (daily, monthly and gauge
// limits) rather than per account.
func (l Limit) PerSite() bool {
	k := l.Kind()
	return k == KindDaily || k == KindMonthly || k == KindGauge
}

// AllLimits returns every known limit, in a stable order.
func AllLimits() []Limit {
	return []Limit{
		LimitMaxKeywords, LimitMaxClusters, LimitMaxContentIdeas, LimitMaxSites, LimitMaxUsers,
		LimitMaxSitesBuilt, LimitMaxAutomationRules,
		LimitDailyContentTasks, LimitDailyAIRequests, LimitDailyImageGenerations,
		LimitDailySiteGenerations, LimitDailyAutomationExecutions,
		LimitMonthlyWords, LimitMonthlyImages,
		LimitStorageBytes, LimitMaxConcurrentTasks,
	}
}

// UsageKey identifies one usage counter: a limit for an account (count
// limits) or a site (the others) in a period.
type UsageKey struct {
	AccountID string
	// SiteID is empty for count limits.
	SiteID string
	Limit  Limit
	// Period is "2006-01-02" for daily limits, "2006-01" for monthly ones
	// and empty for count and gauge limits.
	Period string
}

// Reservation is what Reserve took; Release gives exactly it back, even
// after the day or month has rolled over.
type Reservation struct {
	Key UsageKey
	N   int64
}

// Limits enforces plan limits. Reserve is atomic in the store: under any
// number of concurrent callers the counter never passes the limit.
// Reservations made inside Store.InTx commit or roll back with the change
// they guard.
type Limits struct {
	store Store
	clock Clock
}

// NewLimits returns a Limits over store. A nil clock means the system clock.
func NewLimits(store Store, clock Clock) *Limits {
	if clock == nil {
		clock = SystemClock{}
	}
	return &Limits{store: store, clock: clock}
}

// Key returns the usage key of limit for scope at time t, with the period
// computed in the account's time zone.
func (l *Limits) key(ctx context.Context, op string, scope Scope, limit Limit) (UsageKey, Plan, error) {
	if !limit.Valid() {
		return UsageKey{}, Plan{}, InvalidArgument(op, "limit", "unknown limit %q", string(limit))
	}
	if err := scope.Validate(op); err != nil {
		return UsageKey{}, Plan{}, err
	}
	if limit.PerSite() && scope.SiteID == "" {
		return UsageKey{}, Plan{}, InvalidArgument(op, "scope.site_id", "is required for the per-site limit %s", limit)
	}
	acct, err := l.store.GetAccount(ctx, scope.AccountID)
	if err != nil {
		return UsageKey{}, Plan{}, Wrap(CodeInternal, op, err)
	}
	plan, err := l.store.GetPlan(ctx, acct.PlanID)
	if err != nil {
		return UsageKey{}, Plan{}, Wrap(CodeInternal, op, err)
	}
	key := UsageKey{AccountID: scope.AccountID, Limit: limit}
	if limit.PerSite() {
		key.SiteID = scope.SiteID
	}
	switch limit.Kind() {
	case KindDaily, KindMonthly:
		loc, err := acct.Location()
		if err != nil {
			return UsageKey{}, Plan{}, err
		}
		key.Period = PeriodOf(limit, l.clock.Now().In(loc))
	}
	return key, plan, nil
}

// PeriodOf returns the period key of limit at t (already in the account's
// zone): "2006-01-02" for daily limits, "2006-01" for monthly, else "".
func PeriodOf(limit Limit, t time.Time) string {
	switch limit.Kind() {
	case KindDaily:
		return t.Format("2006-01-02")
	case KindMonthly:
		return t.Format("2006-01")
	}
	return ""
}

// Reserve takes n units of limit for scope if that stays within the plan,
// else returns a *LimitError (matching ErrLimitExceeded) naming the limit,
// its value and the current usage. A limit the plan does not set is
// unlimited but still counted.
func (l *Limits) Reserve(ctx context.Context, scope Scope, limit Limit, n int64) (Reservation, error) {
	const op = "igny8.Limits.Reserve"
	if n <= 0 {
		return Reservation{}, InvalidArgument(op, "n", "must be positive, got %d", n)
	}
	key, plan, err := l.key(ctx, op, scope, limit)
	if err != nil {
		return Reservation{}, err
	}
	max, limited := plan.LimitValue(limit)
	if !limited {
		max = -1
	}
	if _, err := l.store.ReserveUsage(ctx, key, n, max); err != nil {
		return Reservation{}, err
	}
	return Reservation{Key: key, N: n}, nil
}

// Release gives a reservation back (a failed job returns its units, a
// deleted keyword frees its slot). Usage never drops below zero.
func (l *Limits) Release(ctx context.Context, r Reservation) error {
	if r.N <= 0 {
		return nil
	}
	return l.store.ReleaseUsage(ctx, r.Key, r.N)
}

// Usage is a limit's current use and value.
type Usage struct {
	Limit  Limit  `json:"limit"`
	Kind   string `json:"kind"`
	Period string `json:"period,omitempty"`
	Used   int64  `json:"used"`
	// Max is the plan's value, -1 when unlimited.
	Max int64 `json:"max"`
}

// Usage reports the current use of limit for scope.
func (l *Limits) Usage(ctx context.Context, scope Scope, limit Limit) (Usage, error) {
	const op = "igny8.Limits.Usage"
	key, plan, err := l.key(ctx, op, scope, limit)
	if err != nil {
		return Usage{}, err
	}
	used, err := l.store.GetUsage(ctx, key)
	if err != nil {
		return Usage{}, err
	}
	max, limited := plan.LimitValue(limit)
	if !limited {
		max = -1
	}
	return Usage{Limit: limit, Kind: limit.Kind().String(), Period: key.Period, Used: used, Max: max}, nil
}
