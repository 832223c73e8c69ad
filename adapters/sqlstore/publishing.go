package sqlstore

import (
	"context"
	"encoding/json"

	"github.com/uptrace/bun"

	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/publishing"
)

var _ publishing.Store = (*Store)(nil)

func settingsText(m map[string]string) string {
	if len(m) == 0 {
		return "{}"
	}
	b, err := json.Marshal(m)
	if err != nil {
		return "{}"
	}
	return string(b)
}

const destCols = `id, account_id, site_id, name, kind, settings, secret_key_id, secret, active, created_at, updated_at`

func scanDestination(row interface{ Scan(...any) error }) (publishing.Destination, error) {
	var d publishing.Destination
	err := row.Scan(&d.ID, &d.AccountID, &d.SiteID, &d.Name, &d.Kind, jsonCol{&d.Settings}, &d.Secret.KeyID,
		&d.Secret.Ciphertext, boolCol{&d.Active}, timeCol{&d.CreatedAt}, timeCol{&d.UpdatedAt})
	if len(d.Settings) == 0 {
		d.Settings = nil
	}
	return d, err
}

// CreateDestination stores a publish destination in the scope's site. The
// secret is stored as sealed by the publishing service, never in clear.
func (s *Store) CreateDestination(ctx context.Context, scope igny8.Scope, d publishing.Destination) error {
	const op = "sqlstore.CreateDestination"
	return s.inTx(ctx, func(ctx context.Context, db bun.IDB) error {
		if err := s.checkSite(ctx, op, scope.Site()); err != nil {
			return err
		}
		_, err := db.ExecContext(ctx, `INSERT INTO publishing_destinations (`+destCols+`) VALUES (?,?,?,?,?,?,?,?,?,?,?)`,
			d.ID, scope.AccountID, scope.SiteID, d.Name, d.Kind, settingsText(d.Settings), d.Secret.KeyID,
			d.Secret.Ciphertext, d.Active, utc(d.CreatedAt), utc(d.UpdatedAt))
		if err != nil && classify(err) == classUnique {
			return igny8.Errorf(igny8.CodeConflict, op, "destination %q (name %q in site %s) already exists: %w", d.ID, d.Name, scope.SiteID, err)
		}
		return mapErr(op, err)
	})
}

// GetDestination returns a destination of the scope.
func (s *Store) GetDestination(ctx context.Context, scope igny8.Scope, id string) (publishing.Destination, error) {
	const op = "sqlstore.GetDestination"
	if err := scope.Validate(op); err != nil {
		return publishing.Destination{}, err
	}
	c := siteCond(scope).and("id = ?", id)
	d, err := scanDestination(s.IDB(ctx).QueryRowContext(ctx, `SELECT `+destCols+` FROM publishing_destinations WHERE `+c.String(), c.args...))
	if err != nil {
		return publishing.Destination{}, rowErr(op, "destination", id, err)
	}
	return d, nil
}

// ListDestinations lists the scope's destinations by id.
func (s *Store) ListDestinations(ctx context.Context, scope igny8.Scope, p igny8.PageRequest) ([]publishing.Destination, error) {
	const op = "sqlstore.ListDestinations"
	if err := scope.Validate(op); err != nil {
		return nil, err
	}
	after, limit := page(p)
	c := siteCond(scope)
	if after != "" {
		c.and("id > ?", after)
	}
	rows, err := s.IDB(ctx).QueryContext(ctx, `SELECT `+destCols+` FROM publishing_destinations WHERE `+c.String()+` ORDER BY id LIMIT ?`, append(c.args, limit)...)
	if err != nil {
		return nil, mapErr(op, err)
	}
	defer rows.Close()
	var out []publishing.Destination
	for rows.Next() {
		d, err := scanDestination(rows)
		if err != nil {
			return nil, mapErr(op, err)
		}
		out = append(out, d)
	}
	return out, mapErr(op, rows.Err())
}

// UpdateDestination changes a destination's name, settings, secret and
// active flag.
func (s *Store) UpdateDestination(ctx context.Context, scope igny8.Scope, d publishing.Destination) error {
	const op = "sqlstore.UpdateDestination"
	if err := scope.Validate(op); err != nil {
		return err
	}
	c := siteCond(scope).and("id = ?", d.ID)
	res, err := s.IDB(ctx).ExecContext(ctx, `UPDATE publishing_destinations SET name = ?, settings = ?, secret_key_id = ?, secret = ?, active = ?, updated_at = ? WHERE `+c.String(),
		append([]any{d.Name, settingsText(d.Settings), d.Secret.KeyID, d.Secret.Ciphertext, d.Active, utc(d.UpdatedAt)}, c.args...)...)
	if err != nil {
		if classify(err) == classUnique {
			return igny8.Errorf(igny8.CodeConflict, op, "destination name %q is taken in site %s: %w", d.Name, scope.SiteID, err)
		}
		return mapErr(op, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound(op, "destination", d.ID, nil)
	}
	return nil
}

// DeleteDestination deletes a destination and (by cascade) its records.
func (s *Store) DeleteDestination(ctx context.Context, scope igny8.Scope, id string) error {
	const op = "sqlstore.DeleteDestination"
	if err := scope.Validate(op); err != nil {
		return err
	}
	return s.inTx(ctx, func(ctx context.Context, db bun.IDB) error {
		c := siteCond(scope).and("id = ?", id)
		// Delete the records explicitly too: the cascade needs foreign
		// keys on, which a host's own SQLite connection might not set.
		if _, err := db.ExecContext(ctx, `DELETE FROM publishing_records WHERE destination_id IN (SELECT id FROM publishing_destinations WHERE `+c.String()+`)`, c.args...); err != nil {
			return mapErr(op, err)
		}
		res, err := db.ExecContext(ctx, `DELETE FROM publishing_destinations WHERE `+c.String(), c.args...)
		if err != nil {
			return mapErr(op, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound(op, "destination", id, nil)
		}
		return nil
	})
}

const recordCols = `id, account_id, site_id, content_id, destination_id, status, remote_id, remote_kind, url,
	idempotency_key, version, published_version, attempts, last_error, revision, published_at, created_at, updated_at`

func scanRecord(row interface{ Scan(...any) error }) (publishing.Record, error) {
	var r publishing.Record
	err := row.Scan(&r.ID, &r.AccountID, &r.SiteID, &r.ContentID, &r.DestinationID, &r.Status, &r.RemoteID, &r.RemoteKind,
		&r.URL, &r.IdempotencyKey, &r.Version, &r.PublishedVersion, &r.Attempts, &r.LastError, &r.Revision,
		timeCol{&r.PublishedAt}, timeCol{&r.CreatedAt}, timeCol{&r.UpdatedAt})
	return r, err
}

// CreatePublishRecord stores the record of a content at a destination of
// the scope; a second one for the same pair is a Conflict.
func (s *Store) CreatePublishRecord(ctx context.Context, scope igny8.Scope, r publishing.Record) error {
	const op = "sqlstore.CreatePublishRecord"
	if err := scope.RequireSite(op); err != nil {
		return err
	}
	return s.inTx(ctx, func(ctx context.Context, db bun.IDB) error {
		var one int
		c := siteCond(scope).and("id = ?", r.DestinationID)
		if err := db.QueryRowContext(ctx, `SELECT 1 FROM publishing_destinations WHERE `+c.String(), c.args...).Scan(&one); err != nil {
			return rowErr(op, "destination", r.DestinationID, err)
		}
		_, err := db.ExecContext(ctx, `INSERT INTO publishing_records (`+recordCols+`) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
			r.ID, scope.AccountID, scope.SiteID, r.ContentID, r.DestinationID, string(r.Status), r.RemoteID, r.RemoteKind,
			r.URL, r.IdempotencyKey, r.Version, r.PublishedVersion, r.Attempts, r.LastError, r.Revision,
			nullTime(r.PublishedAt), utc(r.CreatedAt), utc(r.UpdatedAt))
		if err != nil && classify(err) == classUnique {
			return igny8.Errorf(igny8.CodeConflict, op, "record of content %q at destination %q already exists: %w", r.ContentID, r.DestinationID, err)
		}
		return mapErr(op, err)
	})
}

// GetPublishRecord returns the record of a content at a destination.
func (s *Store) GetPublishRecord(ctx context.Context, scope igny8.Scope, contentID, destinationID string) (publishing.Record, error) {
	const op = "sqlstore.GetPublishRecord"
	if err := scope.Validate(op); err != nil {
		return publishing.Record{}, err
	}
	c := siteCond(scope).and("destination_id = ?", destinationID).and("content_id = ?", contentID)
	r, err := scanRecord(s.IDB(ctx).QueryRowContext(ctx, `SELECT `+recordCols+` FROM publishing_records WHERE `+c.String(), c.args...))
	if err != nil {
		return publishing.Record{}, rowErr(op, "publishing record", contentID+"@"+destinationID, err)
	}
	return r, nil
}

// UpdatePublishRecord replaces the record if its stored revision is
// r.Revision-1 (compare and set); another revision is a Conflict.
func (s *Store) UpdatePublishRecord(ctx context.Context, scope igny8.Scope, r publishing.Record) error {
	const op = "sqlstore.UpdatePublishRecord"
	if err := scope.Validate(op); err != nil {
		return err
	}
	return s.inTx(ctx, func(ctx context.Context, db bun.IDB) error {
		c := siteCond(scope).and("id = ?", r.ID)
		res, err := db.ExecContext(ctx, `UPDATE publishing_records SET status = ?, remote_id = ?, remote_kind = ?, url = ?,
			idempotency_key = ?, version = ?, published_version = ?, attempts = ?, last_error = ?, revision = ?,
			published_at = ?, updated_at = ? WHERE `+c.String()+` AND revision = ?`,
			append(append([]any{string(r.Status), r.RemoteID, r.RemoteKind, r.URL, r.IdempotencyKey, r.Version,
				r.PublishedVersion, r.Attempts, r.LastError, r.Revision, nullTime(r.PublishedAt), utc(r.UpdatedAt)},
				c.args...), r.Revision-1)...)
		if err != nil {
			return mapErr(op, err)
		}
		if n, _ := res.RowsAffected(); n == 1 {
			return nil
		}
		var rev int64
		if err := db.QueryRowContext(ctx, `SELECT revision FROM publishing_records WHERE `+c.String(), c.args...).Scan(&rev); err != nil {
			return rowErr(op, "publishing record", r.ID, err)
		}
		return igny8.Errorf(igny8.CodeConflict, op, "publishing record %s is at revision %d, not %d", r.ID, rev, r.Revision-1)
	})
}

// ListPublishRecords lists the scope's records by id.
func (s *Store) ListPublishRecords(ctx context.Context, scope igny8.Scope, q publishing.RecordQuery) ([]publishing.Record, error) {
	const op = "sqlstore.ListPublishRecords"
	if err := scope.Validate(op); err != nil {
		return nil, err
	}
	after, limit := page(q.Page)
	c := siteCond(scope)
	if after != "" {
		c.and("id > ?", after)
	}
	if q.ContentID != "" {
		c.and("content_id = ?", q.ContentID)
	}
	if q.DestinationID != "" {
		c.and("destination_id = ?", q.DestinationID)
	}
	if q.Status != "" {
		c.and("status = ?", string(q.Status))
	}
	rows, err := s.IDB(ctx).QueryContext(ctx, `SELECT `+recordCols+` FROM publishing_records WHERE `+c.String()+` ORDER BY id LIMIT ?`, append(c.args, limit)...)
	if err != nil {
		return nil, mapErr(op, err)
	}
	defer rows.Close()
	var out []publishing.Record
	for rows.Next() {
		r, err := scanRecord(rows)
		if err != nil {
			return nil, mapErr(op, err)
		}
		out = append(out, r)
	}
	return out, mapErr(op, rows.Err())
}
