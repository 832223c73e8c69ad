package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"

	"github.com/uptrace/bun"

	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/sitebuilding"
)

var _ sitebuilding.Store = (*Store)(nil)

const blueprintCols = `id, account_id, site_id, name, base_url, wizard, status, notes, created_at, updated_at`

func scanBlueprint(row interface{ Scan(...any) error }) (sitebuilding.SiteBlueprint, error) {
	var b sitebuilding.SiteBlueprint
	err := row.Scan(&b.ID, &b.Scope.AccountID, &b.Scope.SiteID, &b.Name, &b.BaseURL, jsonCol{&b.Wizard}, &b.Status,
		jsonCol{&b.Notes}, timeCol{&b.CreatedAt}, timeCol{&b.UpdatedAt})
	return b, err
}

func objText(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}

// CreateBlueprint stores a new blueprint under the scope's site.
func (s *Store) CreateBlueprint(ctx context.Context, scope igny8.Scope, b sitebuilding.SiteBlueprint) error {
	const op = "sqlstore.CreateBlueprint"
	return s.inTx(ctx, func(ctx context.Context, db bun.IDB) error {
		if err := s.checkSite(ctx, op, scope.Site()); err != nil {
			return err
		}
		wiz, err := objText(b.Wizard)
		if err != nil {
			return igny8.InvalidArgument(op, "wizard", "%v", err)
		}
		_, err = db.ExecContext(ctx, `INSERT INTO site_blueprints (`+blueprintCols+`) VALUES (?,?,?,?,?,?,?,?,?,?)`,
			b.ID, scope.AccountID, scope.SiteID, b.Name, b.BaseURL, wiz, string(b.Status), jsonText(b.Notes), utc(b.CreatedAt), utc(b.UpdatedAt))
		return writeErr(op, "blueprint", b.ID, err)
	})
}

// GetBlueprint returns a blueprint of the scope's site.
func (s *Store) GetBlueprint(ctx context.Context, scope igny8.Scope, id string) (sitebuilding.SiteBlueprint, error) {
	const op = "sqlstore.GetBlueprint"
	if err := scope.RequireSite(op); err != nil {
		return sitebuilding.SiteBlueprint{}, err
	}
	c := siteCond(scope).and("id = ?", id)
	b, err := scanBlueprint(s.IDB(ctx).QueryRowContext(ctx, `SELECT `+blueprintCols+` FROM site_blueprints WHERE `+c.String(), c.args...))
	if err != nil {
		return sitebuilding.SiteBlueprint{}, rowErr(op, "blueprint", id, err)
	}
	return b, nil
}

// ListBlueprints lists the site's blueprints by ID.
func (s *Store) ListBlueprints(ctx context.Context, scope igny8.Scope, p igny8.PageRequest) ([]sitebuilding.SiteBlueprint, error) {
	const op = "sqlstore.ListBlueprints"
	if err := scope.RequireSite(op); err != nil {
		return nil, err
	}
	after, limit := page(p)
	c := siteCond(scope)
	if after != "" {
		c.and("id > ?", after)
	}
	rows, err := s.IDB(ctx).QueryContext(ctx, `SELECT `+blueprintCols+` FROM site_blueprints WHERE `+c.String()+` ORDER BY id LIMIT ?`, append(c.args, limit)...)
	if err != nil {
		return nil, mapErr(op, err)
	}
	return collect(op, rows, func(r *sql.Rows) (sitebuilding.SiteBlueprint, error) { return scanBlueprint(r) })
}

// UpdateBlueprint replaces a blueprint's name, base URL, wizard, status,
// notes and updated_at.
func (s *Store) UpdateBlueprint(ctx context.Context, scope igny8.Scope, b sitebuilding.SiteBlueprint) error {
	const op = "sqlstore.UpdateBlueprint"
	if err := scope.RequireSite(op); err != nil {
		return err
	}
	wiz, err := objText(b.Wizard)
	if err != nil {
		return igny8.InvalidArgument(op, "wizard", "%v", err)
	}
	c := siteCond(scope).and("id = ?", b.ID)
	res, err := s.IDB(ctx).ExecContext(ctx, `UPDATE site_blueprints SET name = ?, base_url = ?, wizard = ?, status = ?, notes = ?, updated_at = ? WHERE `+c.String(),
		append([]any{b.Name, b.BaseURL, wiz, string(b.Status), jsonText(b.Notes), utc(b.UpdatedAt)}, c.args...)...)
	return affected(op, "blueprint", b.ID, res, err)
}

// DeleteBlueprint removes a blueprint with its pages and deployments.
func (s *Store) DeleteBlueprint(ctx context.Context, scope igny8.Scope, id string) error {
	const op = "sqlstore.DeleteBlueprint"
	if err := scope.RequireSite(op); err != nil {
		return err
	}
	return s.inTx(ctx, func(ctx context.Context, db bun.IDB) error {
		if err := s.checkBlueprint(ctx, db, op, scope, id); err != nil {
			return err
		}
		// Explicit deletes: the cascade needs foreign keys on, which a
		// host's own SQLite connection might not set.
		for _, q := range []string{`DELETE FROM site_pages WHERE blueprint_id = ?`, `DELETE FROM site_deployments WHERE blueprint_id = ?`} {
			if _, err := db.ExecContext(ctx, q, id); err != nil {
				return mapErr(op, err)
			}
		}
		c := siteCond(scope).and("id = ?", id)
		res, err := db.ExecContext(ctx, `DELETE FROM site_blueprints WHERE `+c.String(), c.args...)
		return affected(op, "blueprint", id, res, err)
	})
}

func (s *Store) checkBlueprint(ctx context.Context, db bun.IDB, op string, scope igny8.Scope, id string) error {
	if err := scope.RequireSite(op); err != nil {
		return err
	}
	var one int
	c := siteCond(scope).and("id = ?", id)
	err := db.QueryRowContext(ctx, `SELECT 1 FROM site_blueprints WHERE `+c.String(), c.args...).Scan(&one)
	return rowErr(op, "blueprint", id, err)
}

const pageCols = `id, account_id, site_id, blueprint_id, position, slug, type, title, description, blocks, status, created_at, updated_at`

func scanPage(row interface{ Scan(...any) error }) (sitebuilding.PageBlueprint, error) {
	var p sitebuilding.PageBlueprint
	err := row.Scan(&p.ID, &p.Scope.AccountID, &p.Scope.SiteID, &p.BlueprintID, &p.Position, &p.Slug, &p.Type, &p.Title,
		&p.Description, jsonCol{&p.Blocks}, &p.Status, timeCol{&p.CreatedAt}, timeCol{&p.UpdatedAt})
	return p, err
}

func pageBlocksText(op string, blocks []sitebuilding.Block) (string, error) {
	if blocks == nil {
		return "[]", nil
	}
	b, err := json.Marshal(blocks)
	if err != nil {
		return "", igny8.InvalidArgument(op, "blocks", "%v", err)
	}
	return string(b), nil
}

// ReplacePages replaces every page of a blueprint, all or none.
func (s *Store) ReplacePages(ctx context.Context, scope igny8.Scope, blueprintID string, pages []sitebuilding.PageBlueprint) error {
	const op = "sqlstore.ReplacePages"
	return s.inTx(ctx, func(ctx context.Context, db bun.IDB) error {
		if err := s.checkBlueprint(ctx, db, op, scope, blueprintID); err != nil {
			return err
		}
		if _, err := db.ExecContext(ctx, `DELETE FROM site_pages WHERE blueprint_id = ?`, blueprintID); err != nil {
			return mapErr(op, err)
		}
		for _, p := range pages {
			blocks, err := pageBlocksText(op, p.Blocks)
			if err != nil {
				return err
			}
			_, err = db.ExecContext(ctx, `INSERT INTO site_pages (`+pageCols+`) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`,
				p.ID, scope.AccountID, scope.SiteID, blueprintID, p.Position, p.Slug, string(p.Type), p.Title, p.Description,
				blocks, string(p.Status), utc(p.CreatedAt), utc(p.UpdatedAt))
			if err != nil {
				return writeErr(op, "page", p.ID, err)
			}
		}
		return nil
	})
}

// UpdatePage replaces one page's content, leaving the others untouched.
func (s *Store) UpdatePage(ctx context.Context, scope igny8.Scope, p sitebuilding.PageBlueprint) error {
	const op = "sqlstore.UpdatePage"
	if err := scope.RequireSite(op); err != nil {
		return err
	}
	blocks, err := pageBlocksText(op, p.Blocks)
	if err != nil {
		return err
	}
	c := siteCond(scope).and("id = ?", p.ID).and("blueprint_id = ?", p.BlueprintID)
	res, err := s.IDB(ctx).ExecContext(ctx, `UPDATE site_pages SET slug = ?, type = ?, title = ?, description = ?, blocks = ?, status = ?, updated_at = ? WHERE `+c.String(),
		append([]any{p.Slug, string(p.Type), p.Title, p.Description, blocks, string(p.Status), utc(p.UpdatedAt)}, c.args...)...)
	return affected(op, "page", p.ID, res, err)
}

// ListPages returns a blueprint's pages by position.
func (s *Store) ListPages(ctx context.Context, scope igny8.Scope, blueprintID string) ([]sitebuilding.PageBlueprint, error) {
	const op = "sqlstore.ListPages"
	db := s.IDB(ctx)
	if err := s.checkBlueprint(ctx, db, op, scope, blueprintID); err != nil {
		return nil, err
	}
	c := siteCond(scope).and("blueprint_id = ?", blueprintID)
	rows, err := db.QueryContext(ctx, `SELECT `+pageCols+` FROM site_pages WHERE `+c.String()+` ORDER BY position, id`, c.args...)
	if err != nil {
		return nil, mapErr(op, err)
	}
	return collect(op, rows, func(r *sql.Rows) (sitebuilding.PageBlueprint, error) { return scanPage(r) })
}

const deploymentCols = `id, account_id, site_id, blueprint_id, version, status, path, url, pages, files, bytes, written, error, deployed_at`

func scanDeployment(row interface{ Scan(...any) error }) (sitebuilding.DeploymentRecord, error) {
	var d sitebuilding.DeploymentRecord
	err := row.Scan(&d.ID, &d.Scope.AccountID, &d.Scope.SiteID, &d.BlueprintID, &d.Version, &d.Status, &d.Path, &d.URL,
		&d.Pages, &d.Files, &d.Bytes, &d.Written, &d.Error, timeCol{&d.DeployedAt})
	return d, err
}

// CreateDeployment records a deploy of a blueprint of the scope's site.
func (s *Store) CreateDeployment(ctx context.Context, scope igny8.Scope, d sitebuilding.DeploymentRecord) error {
	const op = "sqlstore.CreateDeployment"
	return s.inTx(ctx, func(ctx context.Context, db bun.IDB) error {
		if err := s.checkBlueprint(ctx, db, op, scope, d.BlueprintID); err != nil {
			return err
		}
		_, err := db.ExecContext(ctx, `INSERT INTO site_deployments (`+deploymentCols+`) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
			d.ID, scope.AccountID, scope.SiteID, d.BlueprintID, d.Version, string(d.Status), d.Path, d.URL, d.Pages, d.Files,
			d.Bytes, d.Written, d.Error, utc(d.DeployedAt))
		return writeErr(op, "deployment", d.ID, err)
	})
}

// GetDeployment returns one deployment of a blueprint of the scope's site.
func (s *Store) GetDeployment(ctx context.Context, scope igny8.Scope, blueprintID, id string) (sitebuilding.DeploymentRecord, error) {
	const op = "sqlstore.GetDeployment"
	if err := scope.RequireSite(op); err != nil {
		return sitebuilding.DeploymentRecord{}, err
	}
	c := siteCond(scope).and("blueprint_id = ?", blueprintID).and("id = ?", id)
	d, err := scanDeployment(s.IDB(ctx).QueryRowContext(ctx, `SELECT `+deploymentCols+` FROM site_deployments WHERE `+c.String(), c.args...))
	if err != nil {
		return sitebuilding.DeploymentRecord{}, rowErr(op, "deployment", id, err)
	}
	return d, nil
}

// ListDeployments lists a blueprint's deployments, newest first (page.After
// is the ID of the last one seen).
func (s *Store) ListDeployments(ctx context.Context, scope igny8.Scope, blueprintID string, p igny8.PageRequest) ([]sitebuilding.DeploymentRecord, error) {
	const op = "sqlstore.ListDeployments"
	db := s.IDB(ctx)
	if err := s.checkBlueprint(ctx, db, op, scope, blueprintID); err != nil {
		return nil, err
	}
	after, limit := page(p)
	c := siteCond(scope).and("blueprint_id = ?", blueprintID)
	if after != "" {
		c.and("id < ?", after)
	}
	rows, err := db.QueryContext(ctx, `SELECT `+deploymentCols+` FROM site_deployments WHERE `+c.String()+` ORDER BY id DESC LIMIT ?`, append(c.args, limit)...)
	if err != nil {
		return nil, mapErr(op, err)
	}
	return collect(op, rows, func(r *sql.Rows) (sitebuilding.DeploymentRecord, error) { return scanDeployment(r) })
}
