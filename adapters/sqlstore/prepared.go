package sqlstore

import (
	"context"
	"database/sql"
	"sync"
	"time"
)

// stmtCache keeps prepared statements for the hot paths on SQLite (usage
// counters, the ledger, events, account and plan reads). The modernc driver
// parses every statement it is handed; reusing a prepared one cuts a point
// read from ~60µs to ~13µs of CPU. Postgres keeps bun's formatted queries:
// there the round trip dominates, and pgx caches statements itself.
type stmtCache struct {
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

// sqliteTimeLayout is bun's time format, so rows written through prepared
// statements and through bun compare and sort alike.
const sqliteTimeLayout = "2006-01-02 15:04:05.999999-07:00"

// prepared returns the cached statement for query, preparing it on the
// pool when outside a transaction. Inside one it never prepares (that would
// need a second connection while the transaction holds one, which can
// starve a small pool) and reports a miss instead.
func (s *Store) prepared(ctx context.Context, query string, inTx bool) (*sql.Stmt, bool) {
	s.stmts.mu.Lock()
	st, ok := s.stmts.m[query]
	s.stmts.mu.Unlock()
	if ok || inTx {
		return st, ok
	}
	st, err := s.db.DB.PrepareContext(ctx, query)
	if err != nil {
		return nil, false
	}
	s.stmts.mu.Lock()
	defer s.stmts.mu.Unlock()
	if prev, ok := s.stmts.m[query]; ok {
		_ = st.Close()
		return prev, true
	}
	if s.stmts.m == nil {
		s.stmts.m = map[string]*sql.Stmt{}
	}
	s.stmts.m[query] = st
	return st, true
}

// warmStmts prepares the hot statements once the schema exists, so that
// transactions find them cached.
func (s *Store) warmStmts(ctx context.Context) {
	if s.dialect != DialectSQLite {
		return
	}
	for _, q := range hotQueries(s.dialect) {
		s.prepared(ctx, q, false)
	}
}

func (s *Store) closeStmts() {
	s.stmts.mu.Lock()
	defer s.stmts.mu.Unlock()
	for _, st := range s.stmts.m {
		_ = st.Close()
	}
	s.stmts.m = nil
}

// hotStmt returns the prepared statement for query, bound to the ctx's
// transaction if there is one, and converts the arguments to the driver's
// form. A nil statement means: run the query unprepared on q.
func (s *Store) hotStmt(ctx context.Context, query string, args []any) (st *sql.Stmt, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
	ExecContext(context.Context, string, ...any) (sql.Result, error)
}) {
	for i, a := range args {
		if t, ok := a.(time.Time); ok {
			args[i] = t.UTC().Format(sqliteTimeLayout)
		}
	}
	tx, inTx := s.tx(ctx)
	st, ok := s.prepared(ctx, query, inTx)
	if !inTx {
		if !ok {
			return nil, s.db.DB
		}
		return st, nil
	}
	if !ok {
		return nil, tx.Tx
	}
	// Closed with the transaction; reuses the statement already prepared
	// on the transaction's connection.
	return tx.Tx.StmtContext(ctx, st), nil
}

// rowScanner is what *sql.Row and hotRow share.
type rowScanner interface{ Scan(dest ...any) error }

// errRow is a row whose Scan returns err.
type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }

// hotQueryRow runs a one-row query (written with ? placeholders, no ? in
// literals) on a prepared statement on SQLite, through bun on Postgres.
func (s *Store) hotQueryRow(ctx context.Context, query string, args ...any) rowScanner {
	if s.dialect != DialectSQLite {
		return s.IDB(ctx).QueryRowContext(ctx, query, args...)
	}
	st, q := s.hotStmt(ctx, query, args)
	if st == nil {
		return q.QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

// hotExec is hotQueryRow for statements that return no rows.
func (s *Store) hotExec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if s.dialect != DialectSQLite {
		return s.IDB(ctx).ExecContext(ctx, query, args...)
	}
	st, q := s.hotStmt(ctx, query, args)
	if st == nil {
		return q.ExecContext(ctx, query, args...)
	}
	return st.ExecContext(ctx, args...)
}

// hotQuery is hotQueryRow for queries of many rows. The statement cache is
// keyed by the query text, so query must be built from the code's own
// fragments (placeholders for every value), never from data.
func (s *Store) hotQuery(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if s.dialect != DialectSQLite {
		return s.IDB(ctx).QueryContext(ctx, query, args...)
	}
	st, _ := s.hotStmt(ctx, query, args)
	if st == nil {
		if tx, ok := s.tx(ctx); ok {
			return tx.Tx.QueryContext(ctx, query, args...)
		}
		return s.db.DB.QueryContext(ctx, query, args...)
	}
	return st.QueryContext(ctx, args...)
}

// hotQueries lists the statements warmStmts prepares.
func hotQueries(dialect string) []string {
	return []string{
		sqlGetPlan, sqlGetAccount,
		sqlReserveUsage, releaseUsageSQL(dialect), sqlGetUsage,
		sqlLedgerMove, sqlLedgerInsert,
		appendEventsSQL(1),
	}
}
