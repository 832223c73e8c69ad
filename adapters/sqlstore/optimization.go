package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"

	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/optimization/rewrite"
)

var _ rewrite.TaskStore = (*Store)(nil)

func scanOptTask(row interface{ Scan(...any) error }) (rewrite.Task, error) {
	var body string
	if err := row.Scan(&body); err != nil {
		return rewrite.Task{}, err
	}
	var t rewrite.Task
	return t, json.Unmarshal([]byte(body), &t)
}

// CreateOptimizationTask stores an optimization task in the scope's site.
func (s *Store) CreateOptimizationTask(ctx context.Context, scope igny8.Scope, t rewrite.Task) error {
	const op = "sqlstore.CreateOptimizationTask"
	if err := scope.RequireSite(op); err != nil {
		return err
	}
	if t.ID == "" {
		return igny8.InvalidArgument(op, "id", "is required")
	}
	t.Scope = igny8.Scope{AccountID: scope.AccountID, SiteID: scope.SiteID, SectorID: t.Scope.SectorID}
	body, err := json.Marshal(t)
	if err != nil {
		return igny8.InvalidArgument(op, "task", "%v", err)
	}
	_, err = s.IDB(ctx).ExecContext(ctx, `INSERT INTO optimization_tasks (id, account_id, site_id, content_id, status, body, created_at) VALUES (?,?,?,?,?,?,?)`,
		t.ID, scope.AccountID, scope.SiteID, t.ContentID, string(t.Status), string(body), utc(t.CreatedAt))
	return writeErr(op, "optimization task", t.ID, err)
}

// GetOptimizationTask returns a task of the scope.
func (s *Store) GetOptimizationTask(ctx context.Context, scope igny8.Scope, id string) (rewrite.Task, error) {
	const op = "sqlstore.GetOptimizationTask"
	if err := scope.Validate(op); err != nil {
		return rewrite.Task{}, err
	}
	c := siteCond(scope).and("id = ?", id)
	t, err := scanOptTask(s.IDB(ctx).QueryRowContext(ctx, `SELECT body FROM optimization_tasks WHERE `+c.String(), c.args...))
	if err != nil {
		return rewrite.Task{}, rowErr(op, "optimization task", id, err)
	}
	return t, nil
}

// ListOptimizationTasks returns a content's tasks, newest first.
func (s *Store) ListOptimizationTasks(ctx context.Context, scope igny8.Scope, contentID string) ([]rewrite.Task, error) {
	const op = "sqlstore.ListOptimizationTasks"
	if err := scope.Validate(op); err != nil {
		return nil, err
	}
	c := siteCond(scope).and("content_id = ?", contentID)
	rows, err := s.IDB(ctx).QueryContext(ctx, `SELECT body FROM optimization_tasks WHERE `+c.String()+` ORDER BY created_at DESC, id DESC`, c.args...)
	if err != nil {
		return nil, mapErr(op, err)
	}
	return collect(op, rows, func(r *sql.Rows) (rewrite.Task, error) { return scanOptTask(r) })
}
