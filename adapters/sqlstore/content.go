package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"sort"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/igny8/sdk/content"
	"github.com/igny8/sdk/igny8"
)

var _ content.Store = (*Store)(nil)

// checkSite answers NotFound unless the scope's site (and sector, when
// set) belongs to its account: a row is never created under another
// tenant's site.
func (s *Store) checkSite(ctx context.Context, op string, scope igny8.Scope) error {
	if err := scope.RequireSite(op); err != nil {
		return err
	}
	var one int
	err := s.IDB(ctx).QueryRowContext(ctx, `SELECT 1 FROM sites WHERE id = ? AND account_id = ?`, scope.SiteID, scope.AccountID).Scan(&one)
	if err != nil {
		return rowErr(op, "site", scope.SiteID, err)
	}
	if scope.SectorID != "" {
		err := s.IDB(ctx).QueryRowContext(ctx, `SELECT 1 FROM sectors WHERE id = ? AND site_id = ? AND account_id = ?`, scope.SectorID, scope.SiteID, scope.AccountID).Scan(&one)
		if err != nil {
			return rowErr(op, "sector", scope.SectorID, err)
		}
	}
	return nil
}

func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil || string(b) == "null" {
		return "[]"
	}
	return string(b)
}

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return utc(t)
}

// jsonCol scans a JSON text column into v.
type jsonCol struct{ v any }

func (c jsonCol) Scan(src any) error {
	var b []byte
	switch x := src.(type) {
	case string:
		b = []byte(x)
	case []byte:
		b = x
	case nil:
		return nil
	}
	if len(b) == 0 {
		return nil
	}
	return json.Unmarshal(b, c.v)
}

// ---- tasks ----

const taskCols = `id, account_id, site_id, sector_id, idea_id, cluster_id, batch_id, title, brief, outline,
	primary_keyword, keywords, type, target_words, author_profile, status, attempts, failures, last_error,
	lease_owner, lease_until, content_id, created_at, updated_at`

func scanTask(row interface{ Scan(...any) error }) (content.Task, error) {
	var t content.Task
	err := row.Scan(&t.ID, &t.Scope.AccountID, &t.Scope.SiteID, &t.Scope.SectorID, &t.IdeaID, &t.ClusterID, &t.BatchID,
		&t.Title, &t.Brief, jsonCol{&t.Outline}, &t.PrimaryKeyword, jsonCol{&t.Keywords}, &t.Type, &t.TargetWords,
		&t.AuthorProfile, &t.Status, &t.Attempts, &t.Failures, &t.LastError, &t.LeaseOwner, timeCol{&t.LeaseUntil},
		&t.ContentID, timeCol{&t.CreatedAt}, timeCol{&t.UpdatedAt})
	return t, err
}

// CreateTasks stores tasks in the scope, all or none.
func (s *Store) CreateTasks(ctx context.Context, scope igny8.Scope, tasks []content.Task) error {
	const op = "sqlstore.CreateTasks"
	return s.inTx(ctx, func(ctx context.Context, db bun.IDB) error {
		if err := s.checkSite(ctx, op, scope); err != nil {
			return err
		}
		for _, t := range tasks {
			_, err := db.ExecContext(ctx, `INSERT INTO content_tasks (`+taskCols+`) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
				t.ID, scope.AccountID, scope.SiteID, scope.SectorID, t.IdeaID, t.ClusterID, t.BatchID, t.Title, t.Brief,
				jsonText(t.Outline), t.PrimaryKeyword, jsonText(t.Keywords), string(t.Type), t.TargetWords, t.AuthorProfile,
				string(t.Status), t.Attempts, t.Failures, t.LastError, t.LeaseOwner, nullTime(t.LeaseUntil), t.ContentID,
				utc(t.CreatedAt), utc(t.UpdatedAt))
			if err != nil {
				return writeErr(op, "task", t.ID, err)
			}
		}
		return nil
	})
}

// GetTask returns a task of the scope.
func (s *Store) GetTask(ctx context.Context, scope igny8.Scope, id string) (content.Task, error) {
	const op = "sqlstore.GetTask"
	if err := scope.Validate(op); err != nil {
		return content.Task{}, err
	}
	c := tenantCond(scope).and("id = ?", id)
	t, err := scanTask(s.IDB(ctx).QueryRowContext(ctx, `SELECT `+taskCols+` FROM content_tasks WHERE `+c.String(), c.args...))
	if err != nil {
		return content.Task{}, rowErr(op, "task", id, err)
	}
	return t, nil
}

// ListTasks lists the scope's tasks in creation order.
func (s *Store) ListTasks(ctx context.Context, scope igny8.Scope, f content.TaskFilter, p igny8.PageRequest) ([]content.Task, error) {
	const op = "sqlstore.ListTasks"
	if err := scope.Validate(op); err != nil {
		return nil, err
	}
	after, limit := page(p)
	c := tenantCond(scope).and("id > ?", after)
	if f.Status != "" {
		c.and("status = ?", string(f.Status))
	}
	if f.BatchID != "" {
		c.and("batch_id = ?", f.BatchID)
	}
	if f.IdeaID != "" {
		c.and("idea_id = ?", f.IdeaID)
	}
	rows, err := s.IDB(ctx).QueryContext(ctx, `SELECT `+taskCols+` FROM content_tasks WHERE `+c.String()+` ORDER BY id LIMIT ?`, append(c.args, limit)...)
	if err != nil {
		return nil, mapErr(op, err)
	}
	return collect(op, rows, func(r *sql.Rows) (content.Task, error) { return scanTask(r) })
}

// claimable is the condition of a task a worker may take.
const claimable = `(status = 'queued' OR (status = 'in_progress' AND lease_until < ?))`

// ClaimTasks leases up to limit claimable tasks, oldest first. On Postgres
// the candidates are locked with SKIP LOCKED so concurrent claimers take
// different tasks; on SQLite the write transaction serializes claimers.
func (s *Store) ClaimTasks(ctx context.Context, scope igny8.Scope, batchID, owner string, now, until time.Time, limit int) ([]content.Task, error) {
	const op = "sqlstore.ClaimTasks"
	if err := scope.Validate(op); err != nil {
		return nil, err
	}
	if owner == "" {
		return nil, igny8.InvalidArgument(op, "owner", "is required")
	}
	if limit <= 0 {
		limit = 1
	}
	c := tenantCond(scope).and(claimable, utc(now))
	if batchID != "" {
		c.and("batch_id = ?", batchID)
	}
	lock := ""
	if s.dialect == DialectPostgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	var out []content.Task
	err := s.inTx(ctx, func(ctx context.Context, db bun.IDB) error {
		args := append([]any{owner, utc(until), utc(now)}, c.args...)
		args = append(args, limit)
		rows, err := db.QueryContext(ctx, `UPDATE content_tasks SET status = 'in_progress', lease_owner = ?, lease_until = ?,
			attempts = attempts + 1, updated_at = ?
			WHERE id IN (SELECT id FROM content_tasks WHERE `+c.String()+` ORDER BY id LIMIT ?`+lock+`)
			RETURNING `+taskCols, args...)
		if err != nil {
			return mapErr(op, err)
		}
		out, err = collect(op, rows, func(r *sql.Rows) (content.Task, error) { return scanTask(r) })
		return err
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// ClaimTask leases one task by id if it is claimable, else Conflict.
func (s *Store) ClaimTask(ctx context.Context, scope igny8.Scope, id, owner string, now, until time.Time) (content.Task, error) {
	const op = "sqlstore.ClaimTask"
	if err := scope.Validate(op); err != nil {
		return content.Task{}, err
	}
	if owner == "" {
		return content.Task{}, igny8.InvalidArgument(op, "owner", "is required")
	}
	c := tenantCond(scope).and("id = ?", id).and(claimable, utc(now))
	t, err := scanTask(s.IDB(ctx).QueryRowContext(ctx, `UPDATE content_tasks SET status = 'in_progress', lease_owner = ?, lease_until = ?,
		attempts = attempts + 1, updated_at = ? WHERE `+c.String()+` RETURNING `+taskCols,
		append([]any{owner, utc(until), utc(now)}, c.args...)...))
	if err == nil {
		return t, nil
	}
	if err != sql.ErrNoRows {
		return content.Task{}, mapErr(op, err)
	}
	return content.Task{}, s.taskStateErr(ctx, op, scope, id, "is not claimable (it is being worked or is finished)")
}

// taskStateErr is NotFound when the task is not in scope, else Conflict.
func (s *Store) taskStateErr(ctx context.Context, op string, scope igny8.Scope, id, why string) error {
	t, err := s.GetTask(ctx, scope, id)
	if err != nil {
		return err
	}
	return igny8.Errorf(igny8.CodeConflict, op, "task %s (%s, lease %q) %s", id, t.Status, t.LeaseOwner, why)
}

func (s *Store) leasedUpdate(ctx context.Context, op string, scope igny8.Scope, id, owner, set string, setArgs ...any) error {
	if err := scope.Validate(op); err != nil {
		return err
	}
	c := tenantCond(scope).and("id = ?", id).and("status = 'in_progress'").and("lease_owner = ?", owner)
	res, err := s.IDB(ctx).ExecContext(ctx, `UPDATE content_tasks SET `+set+` WHERE `+c.String(), append(setArgs, c.args...)...)
	if err != nil {
		return mapErr(op, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return mapErr(op, err)
	} else if n == 0 {
		return s.taskStateErr(ctx, op, scope, id, "is not leased by "+owner)
	}
	return nil
}

// CompleteTask marks the task completed if owner still holds its lease.
func (s *Store) CompleteTask(ctx context.Context, scope igny8.Scope, id, owner, contentID string, now time.Time) error {
	return s.leasedUpdate(ctx, "sqlstore.CompleteTask", scope, id, owner,
		`status = 'completed', content_id = ?, lease_owner = '', lease_until = NULL, last_error = '', updated_at = ?`, contentID, utc(now))
}

// FailTask records a failed attempt under owner's lease.
func (s *Store) FailTask(ctx context.Context, scope igny8.Scope, id, owner, errMsg string, requeue bool, now time.Time) error {
	status := content.TaskFailed
	if requeue {
		status = content.TaskQueued
	}
	return s.leasedUpdate(ctx, "sqlstore.FailTask", scope, id, owner,
		`status = ?, failures = failures + 1, last_error = ?, lease_owner = '', lease_until = NULL, updated_at = ?`, string(status), clip(errMsg, 2000), utc(now))
}

// ReleaseTask hands a lease back without counting a failure.
func (s *Store) ReleaseTask(ctx context.Context, scope igny8.Scope, id, owner, errMsg string, now time.Time) error {
	return s.leasedUpdate(ctx, "sqlstore.ReleaseTask", scope, id, owner,
		`status = 'queued', last_error = ?, lease_owner = '', lease_until = NULL, updated_at = ?`, clip(errMsg, 2000), utc(now))
}

func clip(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// RequeueTask puts a failed task back in the queue.
func (s *Store) RequeueTask(ctx context.Context, scope igny8.Scope, id string, now time.Time) error {
	const op = "sqlstore.RequeueTask"
	if err := scope.Validate(op); err != nil {
		return err
	}
	c := tenantCond(scope).and("id = ?", id).and("status = 'failed'")
	res, err := s.IDB(ctx).ExecContext(ctx, `UPDATE content_tasks SET status = 'queued', updated_at = ? WHERE `+c.String(), append([]any{utc(now)}, c.args...)...)
	if err != nil {
		return mapErr(op, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return mapErr(op, err)
	} else if n == 0 {
		return s.taskStateErr(ctx, op, scope, id, "is not failed")
	}
	return nil
}

// ---- content ----

const contentCols = `id, account_id, site_id, sector_id, task_id, type, status, version, title, meta_title,
	meta_description, slug, html, blocks, excerpt, faq, word_count, primary_keyword, secondary_keywords,
	published_to, created_at, updated_at`

func scanContent(row interface{ Scan(...any) error }) (content.Content, error) {
	var c content.Content
	var blocks string
	err := row.Scan(&c.ID, &c.Scope.AccountID, &c.Scope.SiteID, &c.Scope.SectorID, &c.TaskID, &c.Type, &c.Status,
		&c.Version, &c.Title, &c.MetaTitle, &c.MetaDescription, &c.Slug, &c.HTML, &blocks, &c.Excerpt,
		jsonCol{&c.FAQ}, &c.WordCount, &c.PrimaryKeyword, jsonCol{&c.SecondaryKeywords}, jsonCol{&c.PublishedTo},
		timeCol{&c.CreatedAt}, timeCol{&c.UpdatedAt})
	c.Blocks = json.RawMessage(blocks)
	return c, err
}

func blocksText(b json.RawMessage) string {
	if len(b) == 0 {
		return "[]"
	}
	return string(b)
}

func (s *Store) insertVersion(ctx context.Context, db bun.IDB, op string, scope igny8.Scope, v content.Version) error {
	_, err := db.ExecContext(ctx, `INSERT INTO content_versions (content_id, number, account_id, site_id, reason, note, title,
		meta_title, meta_description, slug, html, blocks, excerpt, faq, word_count, created_at)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		v.ContentID, v.Number, scope.AccountID, scope.SiteID, string(v.Reason), v.Note, v.Title, v.MetaTitle,
		v.MetaDescription, v.Slug, v.HTML, blocksText(v.Blocks), v.Excerpt, jsonText(v.FAQ), v.WordCount, utc(v.CreatedAt))
	return writeErr(op, "content version", v.ContentID, err)
}

// CreateContent stores a content and its first version.
func (s *Store) CreateContent(ctx context.Context, scope igny8.Scope, c content.Content, v content.Version) error {
	const op = "sqlstore.CreateContent"
	return s.inTx(ctx, func(ctx context.Context, db bun.IDB) error {
		if err := s.checkSite(ctx, op, scope); err != nil {
			return err
		}
		_, err := db.ExecContext(ctx, `INSERT INTO contents (`+contentCols+`) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
			c.ID, scope.AccountID, scope.SiteID, scope.SectorID, c.TaskID, string(c.Type), string(c.Status), c.Version,
			c.Title, c.MetaTitle, c.MetaDescription, c.Slug, c.HTML, blocksText(c.Blocks), c.Excerpt, jsonText(c.FAQ),
			c.WordCount, c.PrimaryKeyword, jsonText(c.SecondaryKeywords), jsonText(c.PublishedTo), utc(c.CreatedAt), utc(c.UpdatedAt))
		if err != nil {
			if classify(err) == classUnique {
				return igny8.Errorf(igny8.CodeConflict, op, "content %s: slug %q or task %q already has a content: %w", c.ID, c.Slug, c.TaskID, err)
			}
			return mapErr(op, err)
		}
		return s.insertVersion(ctx, db, op, scope, v)
	})
}

// GetContent returns a content of the scope.
func (s *Store) GetContent(ctx context.Context, scope igny8.Scope, id string) (content.Content, error) {
	const op = "sqlstore.GetContent"
	if err := scope.Validate(op); err != nil {
		return content.Content{}, err
	}
	c := tenantCond(scope).and("id = ?", id)
	out, err := scanContent(s.IDB(ctx).QueryRowContext(ctx, `SELECT `+contentCols+` FROM contents WHERE `+c.String(), c.args...))
	if err != nil {
		return content.Content{}, rowErr(op, "content", id, err)
	}
	return out, nil
}

// GetContentBySlug returns the content of the scope's site with slug.
func (s *Store) GetContentBySlug(ctx context.Context, scope igny8.Scope, slug string) (content.Content, error) {
	const op = "sqlstore.GetContentBySlug"
	if err := scope.RequireSite(op); err != nil {
		return content.Content{}, err
	}
	c := tenantCond(scope).and("slug = ?", slug)
	out, err := scanContent(s.IDB(ctx).QueryRowContext(ctx, `SELECT `+contentCols+` FROM contents WHERE `+c.String(), c.args...))
	if err != nil {
		return content.Content{}, rowErr(op, "content with slug", slug, err)
	}
	return out, nil
}

// ListContent lists the scope's content in creation order.
func (s *Store) ListContent(ctx context.Context, scope igny8.Scope, f content.ContentFilter, p igny8.PageRequest) ([]content.Content, error) {
	const op = "sqlstore.ListContent"
	if err := scope.Validate(op); err != nil {
		return nil, err
	}
	after, limit := page(p)
	c := tenantCond(scope).and("id > ?", after)
	if f.Status != "" {
		c.and("status = ?", string(f.Status))
	}
	if f.Type != "" {
		c.and("type = ?", string(f.Type))
	}
	if f.Keyword != "" {
		c.and("LOWER(primary_keyword) = ?", strings.ToLower(f.Keyword))
	}
	rows, err := s.IDB(ctx).QueryContext(ctx, `SELECT `+contentCols+` FROM contents WHERE `+c.String()+` ORDER BY id LIMIT ?`, append(c.args, limit)...)
	if err != nil {
		return nil, mapErr(op, err)
	}
	return collect(op, rows, func(r *sql.Rows) (content.Content, error) { return scanContent(r) })
}

// SaveVersion stores v as the new current version if the content is still
// at v.Number-1.
func (s *Store) SaveVersion(ctx context.Context, scope igny8.Scope, x content.Content, v content.Version) error {
	const op = "sqlstore.SaveVersion"
	if err := scope.Validate(op); err != nil {
		return err
	}
	return s.inTx(ctx, func(ctx context.Context, db bun.IDB) error {
		c := tenantCond(scope).and("id = ?", x.ID).and("version = ?", v.Number-1)
		res, err := db.ExecContext(ctx, `UPDATE contents SET version = ?, title = ?, meta_title = ?, meta_description = ?, slug = ?,
			html = ?, blocks = ?, excerpt = ?, faq = ?, word_count = ?, updated_at = ? WHERE `+c.String(),
			append([]any{v.Number, x.Title, x.MetaTitle, x.MetaDescription, x.Slug, x.HTML, blocksText(x.Blocks), x.Excerpt,
				jsonText(x.FAQ), x.WordCount, utc(x.UpdatedAt)}, c.args...)...)
		if err != nil {
			if classify(err) == classUnique {
				return igny8.Errorf(igny8.CodeConflict, op, "slug %q is used by another content of the site: %w", x.Slug, err)
			}
			return mapErr(op, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return mapErr(op, err)
		} else if n == 0 {
			cur, err := s.GetContent(ctx, scope, x.ID)
			if err != nil {
				return err
			}
			return igny8.Errorf(igny8.CodeConflict, op, "content %s is at version %d, cannot save version %d", x.ID, cur.Version, v.Number)
		}
		owner, err := s.GetContent(ctx, scope, x.ID)
		if err != nil {
			return err
		}
		return s.insertVersion(ctx, db, op, owner.Scope, v)
	})
}

// SetContentStatus changes status and placements without a new version.
func (s *Store) SetContentStatus(ctx context.Context, scope igny8.Scope, id string, status content.Status, publishedTo []content.Placement, now time.Time) error {
	const op = "sqlstore.SetContentStatus"
	if err := scope.Validate(op); err != nil {
		return err
	}
	c := tenantCond(scope).and("id = ?", id)
	res, err := s.IDB(ctx).ExecContext(ctx, `UPDATE contents SET status = ?, published_to = ?, updated_at = ? WHERE `+c.String(),
		append([]any{string(status), jsonText(publishedTo), utc(now)}, c.args...)...)
	return affected(op, "content", id, res, err)
}

const versionCols = `content_id, number, reason, note, title, meta_title, meta_description, slug, html, blocks, excerpt, faq, word_count, created_at`

func scanVersion(row interface{ Scan(...any) error }) (content.Version, error) {
	var v content.Version
	var blocks string
	err := row.Scan(&v.ContentID, &v.Number, &v.Reason, &v.Note, &v.Title, &v.MetaTitle, &v.MetaDescription, &v.Slug,
		&v.HTML, &blocks, &v.Excerpt, jsonCol{&v.FAQ}, &v.WordCount, timeCol{&v.CreatedAt})
	v.Blocks = json.RawMessage(blocks)
	return v, err
}

// ListVersions lists a content's versions, oldest first.
func (s *Store) ListVersions(ctx context.Context, scope igny8.Scope, contentID string) ([]content.Version, error) {
	const op = "sqlstore.ListVersions"
	if _, err := s.GetContent(ctx, scope, contentID); err != nil {
		return nil, err
	}
	rows, err := s.IDB(ctx).QueryContext(ctx, `SELECT `+versionCols+` FROM content_versions WHERE account_id = ? AND content_id = ? ORDER BY number`, scope.AccountID, contentID)
	if err != nil {
		return nil, mapErr(op, err)
	}
	return collect(op, rows, func(r *sql.Rows) (content.Version, error) { return scanVersion(r) })
}

// GetVersion returns one version of a content of the scope.
func (s *Store) GetVersion(ctx context.Context, scope igny8.Scope, contentID string, number int) (content.Version, error) {
	const op = "sqlstore.GetVersion"
	if _, err := s.GetContent(ctx, scope, contentID); err != nil {
		return content.Version{}, err
	}
	v, err := scanVersion(s.IDB(ctx).QueryRowContext(ctx, `SELECT `+versionCols+` FROM content_versions WHERE account_id = ? AND content_id = ? AND number = ?`, scope.AccountID, contentID, number))
	if err != nil {
		return content.Version{}, rowErr(op, "content version", contentID, err)
	}
	return v, nil
}

// SlugTaken reports whether another content of the scope's site uses slug.
func (s *Store) SlugTaken(ctx context.Context, scope igny8.Scope, slug, exceptID string) (bool, error) {
	const op = "sqlstore.SlugTaken"
	if err := scope.RequireSite(op); err != nil {
		return false, err
	}
	var n int
	err := s.IDB(ctx).QueryRowContext(ctx, `SELECT COUNT(*) FROM contents WHERE account_id = ? AND site_id = ? AND slug = ? AND id <> ?`,
		scope.AccountID, scope.SiteID, slug, exceptID).Scan(&n)
	if err != nil {
		return false, mapErr(op, err)
	}
	return n > 0, nil
}

// ---- images ----

const imageCols = `id, account_id, site_id, sector_id, content_id, kind, position, prompt, alt, storage_key, media_type, size, status, error, created_at, updated_at`

func scanImage(row interface{ Scan(...any) error }) (content.Image, error) {
	var m content.Image
	err := row.Scan(&m.ID, &m.Scope.AccountID, &m.Scope.SiteID, &m.Scope.SectorID, &m.ContentID, &m.Kind, &m.Position,
		&m.Prompt, &m.Alt, &m.StorageKey, &m.MediaType, &m.Size, &m.Status, &m.Error, timeCol{&m.CreatedAt}, timeCol{&m.UpdatedAt})
	return m, err
}

// CreateImage stores an image record of a content of the scope.
func (s *Store) CreateImage(ctx context.Context, scope igny8.Scope, m content.Image) error {
	const op = "sqlstore.CreateImage"
	return s.inTx(ctx, func(ctx context.Context, db bun.IDB) error {
		owner, err := s.GetContent(ctx, scope, m.ContentID)
		if err != nil {
			return err
		}
		sc := owner.Scope
		_, err = db.ExecContext(ctx, `INSERT INTO content_images (`+imageCols+`) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
			m.ID, sc.AccountID, sc.SiteID, sc.SectorID, m.ContentID, string(m.Kind), m.Position, m.Prompt, m.Alt,
			m.StorageKey, m.MediaType, m.Size, string(m.Status), m.Error, utc(m.CreatedAt), utc(m.UpdatedAt))
		return writeErr(op, "image", m.ID, err)
	})
}

// UpdateImage changes an image's generated fields.
func (s *Store) UpdateImage(ctx context.Context, scope igny8.Scope, m content.Image) error {
	const op = "sqlstore.UpdateImage"
	if err := scope.Validate(op); err != nil {
		return err
	}
	c := tenantCond(scope).and("id = ?", m.ID)
	res, err := s.IDB(ctx).ExecContext(ctx, `UPDATE content_images SET prompt = ?, alt = ?, storage_key = ?, media_type = ?, size = ?,
		status = ?, error = ?, position = ?, updated_at = ? WHERE `+c.String(),
		append([]any{m.Prompt, m.Alt, m.StorageKey, m.MediaType, m.Size, string(m.Status), m.Error, m.Position, utc(m.UpdatedAt)}, c.args...)...)
	return affected(op, "image", m.ID, res, err)
}

// ListImages lists a content's images in creation order.
func (s *Store) ListImages(ctx context.Context, scope igny8.Scope, contentID string) ([]content.Image, error) {
	const op = "sqlstore.ListImages"
	if err := scope.Validate(op); err != nil {
		return nil, err
	}
	c := tenantCond(scope).and("content_id = ?", contentID)
	rows, err := s.IDB(ctx).QueryContext(ctx, `SELECT `+imageCols+` FROM content_images WHERE `+c.String()+` ORDER BY id`, c.args...)
	if err != nil {
		return nil, mapErr(op, err)
	}
	return collect(op, rows, func(r *sql.Rows) (content.Image, error) { return scanImage(r) })
}
