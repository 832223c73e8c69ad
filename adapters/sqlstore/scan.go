package sqlstore

// Helpers for the domain stores in this package (planning.go, content.go,
// ...), so that every table behaves alike on both dialects:
//
//   - run queries on s.IDB(ctx) so they join the caller's InTx;
//   - write times with utc(t) (UTC, microseconds) and read them with
//     timeCol{&t}; booleans with boolCol{&b};
//   - map errors with rowErr (no row: NotFound), writeErr (duplicate:
//     Conflict), affected (UPDATE/DELETE of no row: NotFound) and mapErr;
//   - name the tenant columns in every WHERE (cond, siteScope,
//     sectorScope), and check a parent inside the scope with
//     INSERT ... SELECT ... WHERE EXISTS (parent in scope) + insertedOr;
//   - page with page(p): WHERE id > ? ORDER BY id LIMIT ?;
//   - in Postgres migrations declare id and key columns COLLATE "C".

import (
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/igny8/sdk/igny8"
)

// timeCol scans a time column into *t as UTC, whatever form the driver
// hands it in (time.Time from pgx and from SQLite columns declared
// TIMESTAMP; text from SQLite expressions).
type timeCol struct{ t *time.Time }

var timeFormats = []string{
	"2006-01-02 15:04:05.999999999-07:00",
	"2006-01-02T15:04:05.999999999-07:00",
	"2006-01-02 15:04:05.999999999Z07:00",
	time.RFC3339Nano,
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
}

// Scan implements sql.Scanner.
func (c timeCol) Scan(v any) error {
	switch x := v.(type) {
	case time.Time:
		*c.t = x.UTC()
		return nil
	case string:
		return c.parse(x)
	case []byte:
		return c.parse(string(x))
	case nil:
		*c.t = time.Time{}
		return nil
	}
	return fmt.Errorf("sqlstore: cannot scan %T into a time", v)
}

func (c timeCol) parse(s string) error {
	s = strings.TrimSpace(s)
	for _, f := range timeFormats {
		if t, err := time.Parse(f, s); err == nil {
			*c.t = t.UTC()
			return nil
		}
	}
	return fmt.Errorf("sqlstore: cannot parse time %q", s)
}

// utc returns t in UTC truncated to microseconds, the precision both
// dialects keep, so what a caller wrote equals what it reads back.
func utc(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// boolCol scans a boolean stored as BOOLEAN (Postgres) or 0/1 (SQLite).
type boolCol struct{ b *bool }

// Scan implements sql.Scanner.
func (c boolCol) Scan(v any) error {
	switch x := v.(type) {
	case bool:
		*c.b = x
	case int64:
		*c.b = x != 0
	case string:
		b, err := strconv.ParseBool(x)
		if err != nil {
			return fmt.Errorf("sqlstore: cannot scan %q into a bool", x)
		}
		*c.b = b
	case []byte:
		return c.Scan(string(x))
	case nil:
		*c.b = false
	default:
		return fmt.Errorf("sqlstore: cannot scan %T into a bool", v)
	}
	return nil
}

var (
	_ sql.Scanner = timeCol{}
	_ sql.Scanner = boolCol{}
)

// page returns the keyset condition and limit of a page request.
func page(p igny8.PageRequest) (after string, limit int) {
	p = p.Normalize()
	return p.After, p.Limit
}

// cond accumulates a WHERE clause and its arguments.
type cond struct {
	sql  strings.Builder
	args []any
}

// and appends "AND expr" with its arguments (expr has one ? per arg).
func (c *cond) and(expr string, args ...any) *cond {
	if c.sql.Len() > 0 {
		c.sql.WriteString(" AND ")
	}
	c.sql.WriteString(expr)
	c.args = append(c.args, args...)
	return c
}

func (c *cond) String() string { return c.sql.String() }

// siteCond scopes a domain table with account_id and site_id columns: the
// account always, the site when the scope names one.
func siteCond(scope igny8.Scope) *cond {
	c := &cond{}
	c.and("account_id = ?", scope.AccountID)
	if scope.SiteID != "" {
		c.and("site_id = ?", scope.SiteID)
	}
	return c
}

// tenantCond is siteCond for tables that also have sector_id, narrowed to
// the scope's sector when it names one.
func tenantCond(scope igny8.Scope) *cond {
	c := siteCond(scope)
	if scope.SectorID != "" {
		c.and("sector_id = ?", scope.SectorID)
	}
	return c
}
