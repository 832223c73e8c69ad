package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"github.com/uptrace/bun"

	"github.com/igny8/sdk/automation"
	"github.com/igny8/sdk/igny8"
)

var _ automation.Store = (*Store)(nil)

const ruleCols = `id, account_id, site_id, body, created_at, updated_at`

func scanRule(row interface{ Scan(...any) error }) (automation.Rule, error) {
	var r automation.Rule
	var id, acct, site, body string
	var created, updated time.Time
	if err := row.Scan(&id, &acct, &site, &body, timeCol{&created}, timeCol{&updated}); err != nil {
		return r, err
	}
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		return r, err
	}
	r.ID, r.Scope, r.CreatedAt, r.UpdatedAt = id, igny8.Scope{AccountID: acct, SiteID: site}, created, updated
	return r, nil
}

// CreateRule stores a rule in the scope's site.
func (s *Store) CreateRule(ctx context.Context, scope igny8.Scope, r automation.Rule) error {
	const op = "sqlstore.CreateRule"
	return s.inTx(ctx, func(ctx context.Context, db bun.IDB) error {
		if err := s.checkSite(ctx, op, scope.Site()); err != nil {
			return err
		}
		body, err := json.Marshal(r)
		if err != nil {
			return igny8.InvalidArgument(op, "rule", "%v", err)
		}
		_, err = db.ExecContext(ctx, `INSERT INTO automation_rules (id, account_id, site_id, name, template, trigger_type, body, active, scheduled, created_at, updated_at)
			VALUES (?,?,?,?,?,?,?,?,?,?,?)`, r.ID, scope.AccountID, scope.SiteID, r.Name, r.Template, string(r.Trigger), string(body),
			r.Active, r.Trigger == automation.TriggerSchedule, utc(r.CreatedAt), utc(r.UpdatedAt))
		return writeErr(op, "rule", r.ID, err)
	})
}

// GetRule returns a rule of the scope.
func (s *Store) GetRule(ctx context.Context, scope igny8.Scope, id string) (automation.Rule, error) {
	const op = "sqlstore.GetRule"
	if err := scope.Validate(op); err != nil {
		return automation.Rule{}, err
	}
	c := siteCond(scope).and("id = ?", id)
	r, err := scanRule(s.IDB(ctx).QueryRowContext(ctx, `SELECT `+ruleCols+` FROM automation_rules WHERE `+c.String(), c.args...))
	if err != nil {
		return automation.Rule{}, rowErr(op, "rule", id, err)
	}
	return r, nil
}

// ListRules lists the scope's rules in creation order.
func (s *Store) ListRules(ctx context.Context, scope igny8.Scope, f automation.RuleFilter, p igny8.PageRequest) ([]automation.Rule, error) {
	const op = "sqlstore.ListRules"
	if err := scope.Validate(op); err != nil {
		return nil, err
	}
	after, limit := page(p)
	c := siteCond(scope).and("id > ?", after)
	if f.Trigger != "" {
		c.and("trigger_type = ?", string(f.Trigger))
	}
	if f.ActiveOnly {
		c.and("active = ?", true)
	}
	rows, err := s.IDB(ctx).QueryContext(ctx, `SELECT `+ruleCols+` FROM automation_rules WHERE `+c.String()+` ORDER BY id LIMIT ?`, append(c.args, limit)...)
	if err != nil {
		return nil, mapErr(op, err)
	}
	return collect(op, rows, func(r *sql.Rows) (automation.Rule, error) { return scanRule(r) })
}

// ListScheduledRules lists the active schedule rules of every tenant.
func (s *Store) ListScheduledRules(ctx context.Context, p igny8.PageRequest) ([]automation.Rule, error) {
	const op = "sqlstore.ListScheduledRules"
	after, limit := page(p)
	rows, err := s.IDB(ctx).QueryContext(ctx, `SELECT `+ruleCols+` FROM automation_rules WHERE scheduled = ? AND active = ? AND id > ? ORDER BY id LIMIT ?`, true, true, after, limit)
	if err != nil {
		return nil, mapErr(op, err)
	}
	return collect(op, rows, func(r *sql.Rows) (automation.Rule, error) { return scanRule(r) })
}

// UpdateRule replaces a rule of the scope.
func (s *Store) UpdateRule(ctx context.Context, scope igny8.Scope, r automation.Rule) error {
	const op = "sqlstore.UpdateRule"
	if err := scope.Validate(op); err != nil {
		return err
	}
	body, err := json.Marshal(r)
	if err != nil {
		return igny8.InvalidArgument(op, "rule", "%v", err)
	}
	c := siteCond(scope).and("id = ?", r.ID)
	res, err := s.IDB(ctx).ExecContext(ctx, `UPDATE automation_rules SET name = ?, template = ?, trigger_type = ?, body = ?, active = ?, scheduled = ?, updated_at = ? WHERE `+c.String(),
		append([]any{r.Name, r.Template, string(r.Trigger), string(body), r.Active, r.Trigger == automation.TriggerSchedule, utc(r.UpdatedAt)}, c.args...)...)
	return affected(op, "rule", r.ID, res, err)
}

// DeleteRule deletes a rule of the scope with its runs.
func (s *Store) DeleteRule(ctx context.Context, scope igny8.Scope, id string) error {
	const op = "sqlstore.DeleteRule"
	if err := scope.Validate(op); err != nil {
		return err
	}
	c := siteCond(scope).and("id = ?", id)
	res, err := s.IDB(ctx).ExecContext(ctx, `DELETE FROM automation_rules WHERE `+c.String(), c.args...)
	return affected(op, "rule", id, res, err)
}

const runCols = `id, account_id, site_id, body`

func scanRun(row interface{ Scan(...any) error }) (automation.Run, error) {
	var r automation.Run
	var id, acct, site, body string
	if err := row.Scan(&id, &acct, &site, &body); err != nil {
		return r, err
	}
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		return r, err
	}
	r.ID = id
	if r.Scope.AccountID != acct {
		r.Scope = igny8.Scope{AccountID: acct, SiteID: site}
	}
	return r, nil
}

// CreateRun stores a run of a rule of the scope; a second run of the rule
// for the same event is Conflict.
func (s *Store) CreateRun(ctx context.Context, scope igny8.Scope, r automation.Run) error {
	const op = "sqlstore.CreateRun"
	return s.inTx(ctx, func(ctx context.Context, db bun.IDB) error {
		if _, err := s.GetRule(ctx, scope, r.RuleID); err != nil {
			return err
		}
		body, err := json.Marshal(r)
		if err != nil {
			return igny8.InvalidArgument(op, "run", "%v", err)
		}
		_, err = db.ExecContext(ctx, `INSERT INTO automation_runs (id, account_id, site_id, rule_id, event_id, status, body, scheduled_at, created_at) VALUES (?,?,?,?,?,?,?,?,?)`,
			r.ID, scope.AccountID, scope.SiteID, r.RuleID, r.EventID, string(r.Status), string(body), utc(r.ScheduledAt), utc(time.Now()))
		if err != nil && classify(err) == classUnique {
			return igny8.Errorf(igny8.CodeConflict, op, "rule %s already ran for event %s: %w", r.RuleID, r.EventID, err)
		}
		return mapErr(op, err)
	})
}

// UpdateRun replaces a run's state.
func (s *Store) UpdateRun(ctx context.Context, scope igny8.Scope, r automation.Run) error {
	const op = "sqlstore.UpdateRun"
	if err := scope.Validate(op); err != nil {
		return err
	}
	body, err := json.Marshal(r)
	if err != nil {
		return igny8.InvalidArgument(op, "run", "%v", err)
	}
	c := siteCond(scope).and("id = ?", r.ID)
	res, err := s.IDB(ctx).ExecContext(ctx, `UPDATE automation_runs SET status = ?, body = ? WHERE `+c.String(), append([]any{string(r.Status), string(body)}, c.args...)...)
	return affected(op, "run", r.ID, res, err)
}

// GetRun returns a run of the scope.
func (s *Store) GetRun(ctx context.Context, scope igny8.Scope, id string) (automation.Run, error) {
	const op = "sqlstore.GetRun"
	if err := scope.Validate(op); err != nil {
		return automation.Run{}, err
	}
	c := siteCond(scope).and("id = ?", id)
	r, err := scanRun(s.IDB(ctx).QueryRowContext(ctx, `SELECT `+runCols+` FROM automation_runs WHERE `+c.String(), c.args...))
	if err != nil {
		return automation.Run{}, rowErr(op, "run", id, err)
	}
	return r, nil
}

// GetRunByEvent returns the rule's run for an event id.
func (s *Store) GetRunByEvent(ctx context.Context, scope igny8.Scope, ruleID, eventID string) (automation.Run, error) {
	const op = "sqlstore.GetRunByEvent"
	if err := scope.Validate(op); err != nil {
		return automation.Run{}, err
	}
	c := siteCond(scope).and("rule_id = ?", ruleID).and("event_id = ?", eventID)
	r, err := scanRun(s.IDB(ctx).QueryRowContext(ctx, `SELECT `+runCols+` FROM automation_runs WHERE `+c.String(), c.args...))
	if err != nil {
		return automation.Run{}, rowErr(op, "run for event", eventID, err)
	}
	return r, nil
}

// ListRuns lists the scope's runs in creation order.
func (s *Store) ListRuns(ctx context.Context, scope igny8.Scope, f automation.RunFilter, p igny8.PageRequest) ([]automation.Run, error) {
	const op = "sqlstore.ListRuns"
	if err := scope.Validate(op); err != nil {
		return nil, err
	}
	after, limit := page(p)
	c := siteCond(scope).and("id > ?", after)
	if f.RuleID != "" {
		c.and("rule_id = ?", f.RuleID)
	}
	if f.Status != "" {
		c.and("status = ?", string(f.Status))
	}
	rows, err := s.IDB(ctx).QueryContext(ctx, `SELECT `+runCols+` FROM automation_runs WHERE `+c.String()+` ORDER BY id LIMIT ?`, append(c.args, limit)...)
	if err != nil {
		return nil, mapErr(op, err)
	}
	return collect(op, rows, func(r *sql.Rows) (automation.Run, error) { return scanRun(r) })
}

// ScheduleMark returns when a rule's schedule last fired.
func (s *Store) ScheduleMark(ctx context.Context, scope igny8.Scope, ruleID string) (time.Time, error) {
	const op = "sqlstore.ScheduleMark"
	if err := scope.Validate(op); err != nil {
		return time.Time{}, err
	}
	var t time.Time
	err := s.IDB(ctx).QueryRowContext(ctx, `SELECT fired_at FROM automation_schedule_marks WHERE rule_id = ? AND account_id = ?`, ruleID, scope.AccountID).Scan(timeCol{&t})
	if err == sql.ErrNoRows {
		return time.Time{}, nil
	}
	return t, mapErr(op, err)
}

// SetScheduleMark records when a rule's schedule fired.
func (s *Store) SetScheduleMark(ctx context.Context, scope igny8.Scope, ruleID string, at time.Time) error {
	const op = "sqlstore.SetScheduleMark"
	return s.inTx(ctx, func(ctx context.Context, db bun.IDB) error {
		if _, err := s.GetRule(ctx, scope, ruleID); err != nil {
			return err
		}
		_, err := db.ExecContext(ctx, `INSERT INTO automation_schedule_marks (rule_id, account_id, fired_at) VALUES (?,?,?)
			ON CONFLICT (rule_id) DO UPDATE SET fired_at = excluded.fired_at`, ruleID, scope.AccountID, utc(at))
		return mapErr(op, err)
	})
}
