package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"

	"github.com/uptrace/bun"

	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/siteaudit"
)

var _ siteaudit.Store = (*Store)(nil)

const siteauditCols = `id, account_id, site_id, kind, page, crawled_at, changed_at, created_at, updated_at`

func scanSiteItem(row interface{ Scan(...any) error }) (siteaudit.Item, error) {
	var it siteaudit.Item
	var page []byte
	err := row.Scan(&it.ID, &it.Scope.AccountID, &it.Scope.SiteID, &it.Kind, &page,
		timeCol{&it.CrawledAt}, timeCol{&it.ChangedAt}, timeCol{&it.CreatedAt}, timeCol{&it.UpdatedAt})
	if err != nil {
		return it, err
	}
	if err := json.Unmarshal(page, &it.Page); err != nil {
		return it, &igny8.Error{Code: igny8.CodeInternal, Op: "sqlstore.scanSiteItem", Message: "page of item " + it.ID, Err: err}
	}
	return it, nil
}

// SaveItems inserts or replaces inventory items of the scope's site, all
// or none. An ID held by another tenant answers NotFound, a URL held by
// another item of the site Conflict.
func (s *Store) SaveItems(ctx context.Context, scope igny8.Scope, items []siteaudit.Item) error {
	const op = "sqlstore.SaveItems"
	if err := scope.RequireSite(op); err != nil {
		return err
	}
	for _, it := range items {
		if it.ID == "" {
			return igny8.InvalidArgument(op, "items.id", "is required")
		}
		if it.Page.URL == "" {
			return igny8.InvalidArgument(op, "items.page.url", "is required for item %q", it.ID)
		}
	}
	return s.inTx(ctx, func(ctx context.Context, db bun.IDB) error {
		if err := s.checkSite(ctx, op, scope.Site()); err != nil {
			return err
		}
		for _, it := range items {
			page, err := json.Marshal(it.Page)
			if err != nil {
				return igny8.InvalidArgument(op, "items.page", "item %q: %v", it.ID, err)
			}
			kind := it.Kind
			if kind == "" {
				kind = siteaudit.KindImported
			}
			res, err := db.ExecContext(ctx, `INSERT INTO siteaudit_items (id, account_id, site_id, kind, url, final_url, status, hash, page,
				crawled_at, changed_at, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)
				ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, url = excluded.url, final_url = excluded.final_url,
				status = excluded.status, hash = excluded.hash, page = excluded.page, crawled_at = excluded.crawled_at,
				changed_at = excluded.changed_at, updated_at = excluded.updated_at
				WHERE siteaudit_items.account_id = excluded.account_id AND siteaudit_items.site_id = excluded.site_id`,
				it.ID, scope.AccountID, scope.SiteID, kind, it.Page.URL, it.Page.FinalURL, it.Page.Status, it.Page.Hash, string(page),
				utc(it.CrawledAt), utc(it.ChangedAt), utc(it.CreatedAt), utc(it.UpdatedAt))
			if err != nil {
				return writeErr(op, "item with url", it.Page.URL, err)
			}
			if n, err := res.RowsAffected(); err == nil && n == 0 {
				// The ID belongs to another tenant's item.
				return notFound(op, "item", it.ID, nil)
			}
		}
		return nil
	})
}

// GetItem returns an inventory item of the scope's site.
func (s *Store) GetItem(ctx context.Context, scope igny8.Scope, id string) (siteaudit.Item, error) {
	const op = "sqlstore.GetItem"
	if err := scope.RequireSite(op); err != nil {
		return siteaudit.Item{}, err
	}
	c := siteCond(scope).and("id = ?", id)
	it, err := scanSiteItem(s.IDB(ctx).QueryRowContext(ctx, `SELECT `+siteauditCols+` FROM siteaudit_items WHERE `+c.String(), c.args...))
	if err != nil {
		return siteaudit.Item{}, rowErr(op, "item", id, err)
	}
	return it, nil
}

// GetItemByURL returns the item of the scope's site for a normalized URL.
func (s *Store) GetItemByURL(ctx context.Context, scope igny8.Scope, url string) (siteaudit.Item, error) {
	const op = "sqlstore.GetItemByURL"
	if err := scope.RequireSite(op); err != nil {
		return siteaudit.Item{}, err
	}
	c := siteCond(scope).and("url = ?", url)
	it, err := scanSiteItem(s.IDB(ctx).QueryRowContext(ctx, `SELECT `+siteauditCols+` FROM siteaudit_items WHERE `+c.String(), c.args...))
	if err != nil {
		return siteaudit.Item{}, rowErr(op, "item with url", url, err)
	}
	return it, nil
}

// ListItems lists the items of the scope's site in ID order.
func (s *Store) ListItems(ctx context.Context, scope igny8.Scope, p igny8.PageRequest) ([]siteaudit.Item, error) {
	const op = "sqlstore.ListItems"
	if err := scope.RequireSite(op); err != nil {
		return nil, err
	}
	after, limit := page(p)
	c := siteCond(scope).and("id > ?", after)
	rows, err := s.IDB(ctx).QueryContext(ctx, `SELECT `+siteauditCols+` FROM siteaudit_items WHERE `+c.String()+` ORDER BY id LIMIT ?`, append(c.args, limit)...)
	if err != nil {
		return nil, mapErr(op, err)
	}
	return collect(op, rows, func(r *sql.Rows) (siteaudit.Item, error) { return scanSiteItem(r) })
}

// DeleteItems deletes items of the scope's site; other IDs are ignored.
func (s *Store) DeleteItems(ctx context.Context, scope igny8.Scope, ids ...string) error {
	const op = "sqlstore.DeleteItems"
	if err := scope.RequireSite(op); err != nil {
		return err
	}
	return s.inTx(ctx, func(ctx context.Context, db bun.IDB) error {
		for _, id := range ids {
			c := siteCond(scope).and("id = ?", id)
			if _, err := db.ExecContext(ctx, `DELETE FROM siteaudit_items WHERE `+c.String(), c.args...); err != nil {
				return mapErr(op, err)
			}
		}
		return nil
	})
}
