package sqlstore

import (
	"context"
	"database/sql"
	"strings"

	"github.com/uptrace/bun"

	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/linking"
)

var _ linking.Store = (*Store)(nil)

const linkCols = `id, source_id, target_id, target_url, anchor, position, link_type, score, created_at`

func scanLink(row interface{ Scan(...any) error }) (linking.Link, error) {
	var l linking.Link
	err := row.Scan(&l.ID, &l.SourceID, &l.TargetID, &l.TargetURL, &l.Anchor, &l.Offset, &l.Type, &l.Score, timeCol{&l.CreatedAt})
	return l, err
}

// SaveLinks stores new link records in the scope's site, all or none.
func (s *Store) SaveLinks(ctx context.Context, scope igny8.Scope, links []linking.Link) error {
	const op = "sqlstore.SaveLinks"
	if err := scope.RequireSite(op); err != nil {
		return err
	}
	return s.inTx(ctx, func(ctx context.Context, db bun.IDB) error {
		for _, l := range links {
			if l.ID == "" {
				return igny8.InvalidArgument(op, "links.id", "is required")
			}
			_, err := db.ExecContext(ctx, `INSERT INTO internal_links (id, account_id, site_id, source_id, target_id, target_url, anchor, position, link_type, score, created_at)
				VALUES (?,?,?,?,?,?,?,?,?,?,?)`, l.ID, scope.AccountID, scope.SiteID, l.SourceID, l.TargetID, l.TargetURL, l.Anchor, l.Offset,
				string(l.Type), l.Score, utc(l.CreatedAt))
			if err != nil {
				return writeErr(op, "link", l.ID, err)
			}
		}
		return nil
	})
}

// ListLinks lists the site's link records in id order.
func (s *Store) ListLinks(ctx context.Context, scope igny8.Scope, q linking.LinkQuery) ([]linking.Link, error) {
	const op = "sqlstore.ListLinks"
	if err := scope.RequireSite(op); err != nil {
		return nil, err
	}
	after, limit := page(q.Page)
	c := siteCond(scope).and("id > ?", after)
	if q.SourceID != "" {
		c.and("source_id = ?", q.SourceID)
	}
	if q.TargetID != "" {
		c.and("target_id = ?", q.TargetID)
	}
	rows, err := s.IDB(ctx).QueryContext(ctx, `SELECT `+linkCols+` FROM internal_links WHERE `+c.String()+` ORDER BY id LIMIT ?`, append(c.args, limit)...)
	if err != nil {
		return nil, mapErr(op, err)
	}
	return collect(op, rows, func(r *sql.Rows) (linking.Link, error) { return scanLink(r) })
}

// DeleteLinks deletes records of the site by id; an unknown id is NotFound
// and nothing is deleted.
func (s *Store) DeleteLinks(ctx context.Context, scope igny8.Scope, ids ...string) error {
	const op = "sqlstore.DeleteLinks"
	if err := scope.RequireSite(op); err != nil {
		return err
	}
	if len(ids) == 0 {
		return nil
	}
	return s.inTx(ctx, func(ctx context.Context, db bun.IDB) error {
		args := make([]any, len(ids))
		for i, id := range ids {
			args[i] = id
		}
		c := siteCond(scope).and("id IN (?"+strings.Repeat(",?", len(ids)-1)+")", args...)
		res, err := db.ExecContext(ctx, `DELETE FROM internal_links WHERE `+c.String(), c.args...)
		if err != nil {
			return mapErr(op, err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return mapErr(op, err)
		}
		if int(n) != len(uniq(ids)) {
			return notFoundRollback(op, ids)
		}
		return nil
	})
}

func uniq(ids []string) map[string]bool {
	m := make(map[string]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}

// notFoundRollback is returned inside the transaction so the deletes roll
// back: one unknown id deletes nothing.
func notFoundRollback(op string, ids []string) error {
	return igny8.NotFound(op, "link among", strings.Join(ids, ","))
}
