package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"github.com/igny8/sdk/ai"
	"github.com/igny8/sdk/igny8"
)

var (
	_ ai.CallStore   = (*Store)(nil)
	_ ai.PromptStore = (*Store)(nil)
)

const aiCallCols = `id, run_id, account_id, site_id, sector_id, function, prompt_id, model, attempt, final,
	prompt_tokens, completion_tokens, latency_us, credits, outcome, error_code, error, created_at`

// RecordCall appends a row to the AI call log.
func (s *Store) RecordCall(ctx context.Context, c ai.Call) error {
	const op = "sqlstore.RecordCall"
	if err := c.Scope.Validate(op); err != nil {
		return err
	}
	if c.ID == "" {
		return igny8.InvalidArgument(op, "id", "is required")
	}
	if c.Function == "" {
		return igny8.InvalidArgument(op, "function", "is required")
	}
	_, err := s.IDB(ctx).ExecContext(ctx, `INSERT INTO ai_calls (`+aiCallCols+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ID, c.RunID, c.Scope.AccountID, c.Scope.SiteID, c.Scope.SectorID, c.Function, c.PromptID, c.Model,
		c.Attempt, c.Final, c.PromptTokens, c.CompletionTokens, c.Latency.Microseconds(), c.Credits,
		string(c.Outcome), string(c.ErrorCode), c.Error, utc(c.CreatedAt))
	if err != nil && classify(err) == classForeignKey {
		return notFound(op, "account", c.Scope.AccountID, err)
	}
	return writeErr(op, "ai call", c.ID, err)
}

func scanCall(r interface{ Scan(...any) error }) (ai.Call, error) {
	var c ai.Call
	var latency int64
	var outcome, code string
	err := r.Scan(&c.ID, &c.RunID, &c.Scope.AccountID, &c.Scope.SiteID, &c.Scope.SectorID, &c.Function, &c.PromptID,
		&c.Model, &c.Attempt, boolCol{&c.Final}, &c.PromptTokens, &c.CompletionTokens, &latency, &c.Credits,
		&outcome, &code, &c.Error, timeCol{&c.CreatedAt})
	c.Latency = time.Duration(latency) * time.Microsecond
	c.Outcome, c.ErrorCode = ai.Outcome(outcome), igny8.Code(code)
	return c, err
}

// ListCalls lists the call log within scope (its account, and its site
// and sector when set), oldest first.
func (s *Store) ListCalls(ctx context.Context, scope igny8.Scope, q ai.CallQuery) ([]ai.Call, error) {
	const op = "sqlstore.ListCalls"
	if err := scope.Validate(op); err != nil {
		return nil, err
	}
	after, limit := page(q.Page)
	c := tenantCond(scope).and("id > ?", after)
	if q.Function != "" {
		c.and("function = ?", q.Function)
	}
	if q.RunID != "" {
		c.and("run_id = ?", q.RunID)
	}
	rows, err := s.IDB(ctx).QueryContext(ctx, `SELECT `+aiCallCols+` FROM ai_calls WHERE `+c.String()+` ORDER BY id LIMIT ?`,
		append(c.args, limit)...)
	if err != nil {
		return nil, mapErr(op, err)
	}
	return collect(op, rows, func(r *sql.Rows) (ai.Call, error) { return scanCall(r) })
}

// SavePromptOverride creates or replaces the account's override of
// o.PromptID.
func (s *Store) SavePromptOverride(ctx context.Context, scope igny8.Scope, o ai.PromptOverride) error {
	const op = "sqlstore.SavePromptOverride"
	if err := scope.Validate(op); err != nil {
		return err
	}
	if o.PromptID == "" {
		return igny8.InvalidArgument(op, "prompt_id", "is required")
	}
	_, err := s.IDB(ctx).ExecContext(ctx, `INSERT INTO ai_prompt_overrides (account_id, prompt_id, system, user_prompt, updated_at)
		VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (account_id, prompt_id) DO UPDATE SET system = excluded.system, user_prompt = excluded.user_prompt, updated_at = excluded.updated_at`,
		scope.AccountID, o.PromptID, o.System, o.User, utc(o.UpdatedAt))
	if err != nil && classify(err) == classForeignKey {
		return notFound(op, "account", scope.AccountID, err)
	}
	return mapErr(op, err)
}

func scanOverride(r interface{ Scan(...any) error }) (ai.PromptOverride, error) {
	var o ai.PromptOverride
	err := r.Scan(&o.AccountID, &o.PromptID, &o.System, &o.User, timeCol{&o.UpdatedAt})
	return o, err
}

const overrideCols = `account_id, prompt_id, system, user_prompt, updated_at`

// GetPromptOverride returns the account's override of promptID.
func (s *Store) GetPromptOverride(ctx context.Context, scope igny8.Scope, promptID string) (ai.PromptOverride, error) {
	const op = "sqlstore.GetPromptOverride"
	if err := scope.Validate(op); err != nil {
		return ai.PromptOverride{}, err
	}
	o, err := scanOverride(s.IDB(ctx).QueryRowContext(ctx, `SELECT `+overrideCols+` FROM ai_prompt_overrides
		WHERE account_id = ? AND prompt_id = ?`, scope.AccountID, promptID))
	if err != nil {
		return ai.PromptOverride{}, rowErr(op, "prompt override", promptID, err)
	}
	return o, nil
}

// ListPromptOverrides lists the account's overrides by prompt ID.
func (s *Store) ListPromptOverrides(ctx context.Context, scope igny8.Scope) ([]ai.PromptOverride, error) {
	const op = "sqlstore.ListPromptOverrides"
	if err := scope.Validate(op); err != nil {
		return nil, err
	}
	rows, err := s.IDB(ctx).QueryContext(ctx, `SELECT `+overrideCols+` FROM ai_prompt_overrides
		WHERE account_id = ? ORDER BY prompt_id`, scope.AccountID)
	if err != nil {
		return nil, mapErr(op, err)
	}
	return collect(op, rows, func(r *sql.Rows) (ai.PromptOverride, error) { return scanOverride(r) })
}

// DeletePromptOverride deletes the account's override of promptID.
func (s *Store) DeletePromptOverride(ctx context.Context, scope igny8.Scope, promptID string) error {
	const op = "sqlstore.DeletePromptOverride"
	if err := scope.Validate(op); err != nil {
		return err
	}
	res, err := s.IDB(ctx).ExecContext(ctx, `DELETE FROM ai_prompt_overrides WHERE account_id = ? AND prompt_id = ?`,
		scope.AccountID, promptID)
	return affected(op, "prompt override", promptID, res, err)
}

const authorCols = `id, account_id, name, style, tone, audience, banned_phrases, created_at, updated_at`

func scanAuthor(r interface{ Scan(...any) error }) (ai.AuthorProfile, error) {
	var a ai.AuthorProfile
	var banned string
	err := r.Scan(&a.ID, &a.AccountID, &a.Name, &a.Voice.Style, &a.Voice.Tone, &a.Voice.Audience, &banned,
		timeCol{&a.CreatedAt}, timeCol{&a.UpdatedAt})
	if err == nil && banned != "" && banned != "[]" {
		err = json.Unmarshal([]byte(banned), &a.Voice.BannedPhrases)
	}
	return a, err
}

// CreateAuthorProfile stores a new author profile in the scope's account;
// a second profile of the same name is Conflict.
func (s *Store) CreateAuthorProfile(ctx context.Context, scope igny8.Scope, a ai.AuthorProfile) error {
	const op = "sqlstore.CreateAuthorProfile"
	if err := scope.Validate(op); err != nil {
		return err
	}
	if a.ID == "" {
		return igny8.InvalidArgument(op, "id", "is required")
	}
	_, err := s.IDB(ctx).ExecContext(ctx, `INSERT INTO ai_author_profiles (`+authorCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.ID, scope.AccountID, a.Name, a.Voice.Style, a.Voice.Tone, a.Voice.Audience, jsonText(a.Voice.BannedPhrases),
		utc(a.CreatedAt), utc(a.UpdatedAt))
	if err != nil && classify(err) == classForeignKey {
		return notFound(op, "account", scope.AccountID, err)
	}
	return writeErr(op, "author profile", a.Name, err)
}

// GetAuthorProfile returns an author profile of the scope's account.
func (s *Store) GetAuthorProfile(ctx context.Context, scope igny8.Scope, id string) (ai.AuthorProfile, error) {
	const op = "sqlstore.GetAuthorProfile"
	if err := scope.Validate(op); err != nil {
		return ai.AuthorProfile{}, err
	}
	a, err := scanAuthor(s.IDB(ctx).QueryRowContext(ctx, `SELECT `+authorCols+` FROM ai_author_profiles
		WHERE account_id = ? AND id = ?`, scope.AccountID, id))
	if err != nil {
		return ai.AuthorProfile{}, rowErr(op, "author profile", id, err)
	}
	return a, nil
}

// ListAuthorProfiles lists the account's author profiles by name.
func (s *Store) ListAuthorProfiles(ctx context.Context, scope igny8.Scope) ([]ai.AuthorProfile, error) {
	const op = "sqlstore.ListAuthorProfiles"
	if err := scope.Validate(op); err != nil {
		return nil, err
	}
	rows, err := s.IDB(ctx).QueryContext(ctx, `SELECT `+authorCols+` FROM ai_author_profiles
		WHERE account_id = ? ORDER BY name, id`, scope.AccountID)
	if err != nil {
		return nil, mapErr(op, err)
	}
	return collect(op, rows, func(r *sql.Rows) (ai.AuthorProfile, error) { return scanAuthor(r) })
}

// UpdateAuthorProfile changes an author profile's name and voice.
func (s *Store) UpdateAuthorProfile(ctx context.Context, scope igny8.Scope, a ai.AuthorProfile) error {
	const op = "sqlstore.UpdateAuthorProfile"
	if err := scope.Validate(op); err != nil {
		return err
	}
	res, err := s.IDB(ctx).ExecContext(ctx, `UPDATE ai_author_profiles SET name = ?, style = ?, tone = ?, audience = ?,
		banned_phrases = ?, updated_at = ? WHERE account_id = ? AND id = ?`,
		a.Name, a.Voice.Style, a.Voice.Tone, a.Voice.Audience, jsonText(a.Voice.BannedPhrases), utc(a.UpdatedAt),
		scope.AccountID, a.ID)
	return affected(op, "author profile", a.ID, res, err)
}

// DeleteAuthorProfile deletes an author profile of the scope's account.
func (s *Store) DeleteAuthorProfile(ctx context.Context, scope igny8.Scope, id string) error {
	const op = "sqlstore.DeleteAuthorProfile"
	if err := scope.Validate(op); err != nil {
		return err
	}
	res, err := s.IDB(ctx).ExecContext(ctx, `DELETE FROM ai_author_profiles WHERE account_id = ? AND id = ?`, scope.AccountID, id)
	return affected(op, "author profile", id, res, err)
}
