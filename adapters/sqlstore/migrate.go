package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/igny8/sdk/igny8"
)

// migrationFS holds the schema, one directory per dialect. A file is named
// NNNN_name.sql; every version exists for both dialects. Ranges: 0001–0009
// kernel, 0010–0019 AI call log, 0020–0029 planning, 0030–0039 content,
// 0040+ later domains.
//
//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrationFS embed.FS

// Migration is one schema step.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// parseMigrationName reads "NNNN_name.sql": four digits, an underscore and
// a name of lower-case letters, digits and underscores.
func parseMigrationName(file string) (version int, name string, err error) {
	base, ok := strings.CutSuffix(file, ".sql")
	if !ok {
		return 0, "", fmt.Errorf("migration %q: want NNNN_name.sql", file)
	}
	num, name, ok := strings.Cut(base, "_")
	if !ok || len(num) != 4 || name == "" {
		return 0, "", fmt.Errorf("migration %q: want NNNN_name.sql", file)
	}
	for i := 0; i < len(num); i++ {
		if num[i] < '0' || num[i] > '9' {
			return 0, "", fmt.Errorf("migration %q: version %q is not four digits", file, num)
		}
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return 0, "", fmt.Errorf("migration %q: name %q may hold only a-z, 0-9 and _", file, name)
		}
	}
	version, _ = strconv.Atoi(num)
	if version == 0 {
		return 0, "", fmt.Errorf("migration %q: version 0000 is reserved", file)
	}
	return version, name, nil
}

// Migrations returns the embedded migrations of dialect in version order.
func Migrations(dialect string) ([]Migration, error) {
	return loadMigrations(migrationFS, path.Join("migrations", dialect))
}

func loadMigrations(fsys fs.FS, dir string) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("read migrations %s: %w", dir, err)
	}
	out := make([]Migration, 0, len(entries))
	seen := map[int]string{}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		v, name, err := parseMigrationName(e.Name())
		if err != nil {
			return nil, err
		}
		if prev, dup := seen[v]; dup {
			return nil, fmt.Errorf("migrations %s: version %04d used by %q and %q", dir, v, prev, e.Name())
		}
		seen[v] = e.Name()
		body, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		out = append(out, Migration{Version: v, Name: name, SQL: string(body)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	return out, nil
}

// migrateLockKey is the first key of the Postgres advisory lock taken
// around migrating; the second is the hash of the current schema, so that
// schemas migrate independently.
const migrateLockKey int32 = 0x49474e38 // "IGN8"

// Migrate applies the embedded migrations not yet applied, in version
// order, each recorded in schema_migrations. It is safe to call twice and
// from several processes at once: Postgres migrates under an advisory lock,
// SQLite in one immediate (write-locked) transaction.
func (s *Store) Migrate(ctx context.Context) error {
	const op = "sqlstore.Migrate"
	migs, err := Migrations(s.dialect)
	if err != nil {
		return igny8.Errorf(igny8.CodeInternal, op, "%w", err)
	}
	if s.dialect == DialectPostgres {
		err = s.migratePostgres(ctx, migs)
	} else {
		err = s.migrateSQLite(ctx, migs)
	}
	if err != nil {
		return mapErr(op, err)
	}
	s.warmStmts(ctx)
	return nil
}

const createMigrationsTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version    INTEGER PRIMARY KEY,
	name       TEXT NOT NULL,
	applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
)`

func appliedVersions(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}) (map[int]bool, error) {
	rows, err := q.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int]bool{}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out[v] = true
	}
	return out, rows.Err()
}

func (s *Store) migrateSQLite(ctx context.Context, migs []Migration) error {
	// The raw *sql.DB: migration text must not pass through bun's
	// placeholder formatting. _txlock=immediate makes BEGIN take the write
	// lock, so a second migrator waits here and then finds nothing to do.
	for attempt := 0; ; attempt++ {
		err := s.migrateSQLiteOnce(ctx, migs)
		if err == nil || !isBusy(err) || attempt >= maxBeginRetries {
			return err
		}
		s.log.Warn("sqlstore: sqlite busy while migrating, retrying", "attempt", attempt+1)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(attempt+1) * 20 * time.Millisecond):
		}
	}
}

func (s *Store) migrateSQLiteOnce(ctx context.Context, migs []Migration) error {
	tx, err := s.db.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	if _, err := tx.ExecContext(ctx, createMigrationsTable); err != nil {
		return err
	}
	done, err := appliedVersions(ctx, tx)
	if err != nil {
		return err
	}
	for _, m := range migs {
		if done[m.Version] {
			continue
		}
		if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
			return fmt.Errorf("migration %04d_%s: %w", m.Version, m.Name, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name) VALUES (?, ?)`, m.Version, m.Name); err != nil {
			return err
		}
		s.log.Info("sqlstore: applied migration", "dialect", s.dialect, "version", m.Version, "name", m.Name)
	}
	return tx.Commit()
}

func (s *Store) migratePostgres(ctx context.Context, migs []Migration) error {
	conn, err := s.db.DB.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1, hashtext(current_schema()))`, migrateLockKey); err != nil {
		return err
	}
	defer func() {
		// Unlock even when ctx is done: the connection goes back to the pool.
		_, _ = conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1, hashtext(current_schema()))`, migrateLockKey)
	}()
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
	version    INTEGER PRIMARY KEY,
	name       TEXT NOT NULL,
	applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
)`); err != nil {
		return err
	}
	done, err := appliedVersions(ctx, conn)
	if err != nil {
		return err
	}
	var pending []Migration
	for _, m := range migs {
		if !done[m.Version] {
			pending = append(pending, m)
		}
	}
	if len(pending) == 0 {
		return nil
	}
	// All pending migrations in one transaction: one commit, and a failure
	// leaves the schema as it was.
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	for _, m := range pending {
		// No arguments: pgx sends the file with the simple protocol, which
		// runs several statements.
		if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
			return fmt.Errorf("migration %04d_%s: %w", m.Version, m.Name, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`, m.Version, m.Name); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	for _, m := range pending {
		s.log.Info("sqlstore: applied migration", "dialect", s.dialect, "version", m.Version, "name", m.Name)
	}
	return nil
}

// AppliedMigrations lists the versions recorded in schema_migrations.
func (s *Store) AppliedMigrations(ctx context.Context) ([]int, error) {
	done, err := appliedVersions(ctx, s.db.DB)
	if err != nil {
		return nil, mapErr("sqlstore.AppliedMigrations", err)
	}
	out := make([]int, 0, len(done))
	for v := range done {
		out = append(out, v)
	}
	sort.Ints(out)
	return out, nil
}
