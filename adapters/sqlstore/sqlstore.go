package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	"github.com/uptrace/bun/driver/sqliteshim"

	"github.com/igny8/sdk/igny8"
)

// Dialect names returned by (*Store).Dialect.
const (
	DialectSQLite   = "sqlite"
	DialectPostgres = "postgres"
)

// Default pool sizes. SQLite in WAL mode lets readers run beside the one
// writer; writers queue on the database lock (busy_timeout), so a few
// connections are enough. Postgres gets a larger pool.
const (
	DefaultSQLiteMaxOpenConns   = 4
	DefaultPostgresMaxOpenConns = 16
	// DefaultBusyTimeout is how long an SQLite connection waits for the
	// write lock before the driver reports SQLITE_BUSY.
	DefaultBusyTimeout = 10 * time.Second
)

// Options configures Open. The zero value is usable.
type Options struct {
	// Logger receives migration and retry messages; nil discards them.
	Logger *slog.Logger
	// SkipMigrate leaves the schema alone on Open; call Migrate yourself.
	SkipMigrate bool
	// MaxOpenConns caps the pool; 0 means DefaultSQLiteMaxOpenConns or
	// DefaultPostgresMaxOpenConns. On SQLite the store opens one more, on
	// which its transactions run one at a time.
	MaxOpenConns int
	// SearchPath sets Postgres's search_path for every connection (tests
	// isolate themselves in a schema of their own). Ignored on SQLite.
	SearchPath string
	// BusyTimeout overrides DefaultBusyTimeout on SQLite.
	BusyTimeout time.Duration
}

// Store is the SQL implementation of igny8.Store on SQLite or Postgres. It
// is safe for concurrent use.
type Store struct {
	db      *bun.DB
	dialect string
	log     *slog.Logger
	// keep holds one connection of an in-memory SQLite database open for
	// the store's life: the memdb database lives as long as a connection
	// to it does.
	keep *sql.Conn
	// stmts caches SQLite's prepared hot statements.
	stmts stmtCache
	// writers admits one transaction at a time on SQLite. Every SQLite
	// transaction is a writer (BEGIN IMMEDIATE), and the database takes one
	// writer at a time anyway; queueing here instead of in busy_timeout's
	// sleeps (1, 2, 5, 10 ms ...) keeps waiting writers off the connection
	// pool, so reads never queue behind them, and hands the lock on without
	// a sleep. Other processes still meet busy_timeout. Nil on Postgres.
	writers chan struct{}
	busy    time.Duration
	// wconn is the connection SQLite transactions run on, held by the
	// store so that the gate's holder never queues for the pool behind
	// hundreds of reads; only the holder of writers touches it.
	wconn *bun.Conn
}

var _ igny8.Store = (*Store)(nil)

// Open opens the database named by dsn and, unless opts.SkipMigrate, brings
// its schema up to date. DSNs:
//
//	sqlite:path/to/file.db     SQLite file (created if missing), WAL mode
//	sqlite::memory:            private in-memory SQLite database
//	postgres://user@host/db    Postgres (also postgresql://), via pgx
func Open(ctx context.Context, dsn string, opts Options) (*Store, error) {
	const op = "sqlstore.Open"
	cfg, err := parseDSN(dsn)
	if err != nil {
		return nil, err
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Store{dialect: cfg.dialect, log: log}
	switch cfg.dialect {
	case DialectSQLite:
		err = s.openSQLite(ctx, cfg, opts)
	case DialectPostgres:
		err = s.openPostgres(ctx, cfg, opts)
	}
	if err != nil {
		if s.db != nil {
			_ = s.Close()
		}
		return nil, mapErr(op, err)
	}
	if !opts.SkipMigrate {
		if err := s.Migrate(ctx); err != nil {
			_ = s.Close()
			return nil, err
		}
	}
	return s, nil
}

// dsnConfig is a parsed DSN.
type dsnConfig struct {
	dialect string
	// sqlite
	path   string
	memory bool
	query  url.Values
	// postgres
	pg string
}

// parseDSN splits a DSN into its dialect and driver parameters. Its errors
// never repeat a Postgres DSN, which may hold a password.
func parseDSN(dsn string) (dsnConfig, error) {
	const op = "sqlstore.Open"
	scheme, rest, ok := strings.Cut(dsn, ":")
	if !ok || scheme == "" {
		return dsnConfig{}, igny8.InvalidArgument(op, "dsn", "has no scheme; want sqlite:PATH, sqlite::memory: or postgres://...")
	}
	switch strings.ToLower(scheme) {
	case "sqlite", "sqlite3":
		path, rawQuery, _ := strings.Cut(rest, "?")
		q, err := url.ParseQuery(rawQuery)
		if err != nil {
			return dsnConfig{}, igny8.InvalidArgument(op, "dsn", "bad query parameters %q: %v", rawQuery, err)
		}
		for k := range q {
			if !strings.HasPrefix(k, "_") && k != "mode" && k != "cache" {
				return dsnConfig{}, igny8.InvalidArgument(op, "dsn", "unknown SQLite parameter %q", k)
			}
		}
		if v, ok := q["_txlock"]; ok && (len(v) != 1 || !strings.EqualFold(v[0], "immediate")) {
			// The store's atomicity relies on writers taking the lock at
			// BEGIN.
			return dsnConfig{}, igny8.InvalidArgument(op, "dsn", "_txlock must be immediate (the default), got %q", v)
		}
		q.Del("_txlock")
		if strings.HasPrefix(path, "//") {
			path = path[2:] // sqlite:///abs/path and sqlite://rel/path
		}
		if path == "" {
			return dsnConfig{}, igny8.InvalidArgument(op, "dsn", "names no SQLite file; want sqlite:PATH or sqlite::memory:")
		}
		if strings.ContainsRune(path, 0) {
			return dsnConfig{}, igny8.InvalidArgument(op, "dsn", "SQLite path contains a NUL byte")
		}
		return dsnConfig{dialect: DialectSQLite, path: path, memory: path == ":memory:", query: q}, nil
	case "postgres", "postgresql":
		if !strings.HasPrefix(rest, "//") {
			return dsnConfig{}, igny8.InvalidArgument(op, "dsn", "want postgres://user@host:port/db")
		}
		return dsnConfig{dialect: DialectPostgres, pg: dsn}, nil
	}
	return dsnConfig{}, igny8.InvalidArgument(op, "dsn", "unknown scheme %q; want sqlite or postgres", scheme)
}

// sqliteDSN returns the modernc DSN with the pragmas the store relies on.
func (c dsnConfig) sqliteDSN(busy time.Duration) (string, error) {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busy.Milliseconds()))
	q.Add("_pragma", "foreign_keys(1)")
	q.Set("_txlock", "immediate")
	name := c.path
	if c.memory {
		// A private memdb database shared by the store's connections; the
		// random name keeps two stores apart.
		var b [12]byte
		if _, err := rand.Read(b[:]); err != nil {
			return "", err
		}
		name = "file:/igny8-" + hex.EncodeToString(b[:])
		q.Set("vfs", "memdb")
	} else {
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "synchronous(NORMAL)")
		name = "file:" + (&url.URL{Path: name}).EscapedPath()
	}
	for k, vs := range c.query {
		for _, v := range vs {
			q.Add(k, v)
		}
	}
	return name + "?" + q.Encode(), nil
}

func (s *Store) openSQLite(ctx context.Context, cfg dsnConfig, opts Options) error {
	busy := opts.BusyTimeout
	if busy <= 0 {
		busy = DefaultBusyTimeout
	}
	dsn, err := cfg.sqliteDSN(busy)
	if err != nil {
		return err
	}
	sqldb, err := sql.Open(sqliteshim.ShimName, dsn)
	if err != nil {
		return err
	}
	s.writers, s.busy = make(chan struct{}, 1), busy
	n := opts.MaxOpenConns
	if n <= 0 {
		n = DefaultSQLiteMaxOpenConns
	}
	n++ // the writer connection (see Store.wconn) is not for reads
	if cfg.memory {
		n++ // the keep-alive connection below is not for queries
	}
	sqldb.SetMaxOpenConns(n)
	// Idle connections stay: opening one re-runs the pragmas, and an
	// in-memory database must never lose its last connection.
	sqldb.SetMaxIdleConns(n)
	sqldb.SetConnMaxLifetime(0)
	sqldb.SetConnMaxIdleTime(0)
	s.db = bun.NewDB(sqldb, sqlitedialect.New())
	if cfg.memory {
		s.keep, err = sqldb.Conn(ctx)
		if err != nil {
			return err
		}
	}
	if err := sqldb.PingContext(ctx); err != nil {
		return err
	}
	s.log.Debug("sqlstore: opened sqlite", "driver", sqliteshim.DriverName(), "memory", cfg.memory, "max_open_conns", n)
	return nil
}

func (s *Store) openPostgres(ctx context.Context, cfg dsnConfig, opts Options) error {
	pc, err := pgx.ParseConfig(cfg.pg)
	if err != nil {
		// pgx's message may quote the DSN; say only what kind of error.
		return igny8.InvalidArgument("sqlstore.Open", "dsn", "is not a valid Postgres DSN")
	}
	if opts.SearchPath != "" {
		pc.RuntimeParams["search_path"] = opts.SearchPath
	}
	sqldb := stdlib.OpenDB(*pc)
	n := opts.MaxOpenConns
	if n <= 0 {
		n = DefaultPostgresMaxOpenConns
	}
	sqldb.SetMaxOpenConns(n)
	sqldb.SetMaxIdleConns(n)
	sqldb.SetConnMaxIdleTime(5 * time.Minute)
	s.db = bun.NewDB(sqldb, pgdialect.New())
	if err := sqldb.PingContext(ctx); err != nil {
		return igny8.Errorf(igny8.CodeUnavailable, "sqlstore.Open", "cannot reach Postgres: %w", err)
	}
	s.log.Debug("sqlstore: opened postgres", "max_open_conns", n, "search_path", opts.SearchPath)
	return nil
}

// Close closes the database.
func (s *Store) Close() error {
	s.closeStmts()
	if s.writers != nil {
		// Take the gate so that no transaction is using the writer
		// connection; one that runs past the busy timeout is left to
		// db.Close.
		t := time.NewTimer(s.busy)
		select {
		case s.writers <- struct{}{}:
			if s.wconn != nil {
				_ = s.wconn.Close()
				s.wconn = nil
			}
			<-s.writers
		case <-t.C:
		}
		t.Stop()
	}
	if s.keep != nil {
		_ = s.keep.Close()
		s.keep = nil
	}
	return s.db.Close()
}

// DB returns the bun database, for adapters that share the store's
// database (a job queue, a domain store).
func (s *Store) DB() *bun.DB { return s.db }

// Dialect returns DialectSQLite or DialectPostgres.
func (s *Store) Dialect() string { return s.dialect }

// txKey carries the current transaction in a context.
type txKey struct{}

type txState struct {
	db *bun.DB
	tx bun.Tx
}

// IDB returns what a query in ctx should run on: the transaction InTx put
// in ctx (when it belongs to this store's database), else the database.
// Domain stores and adapters built on the store use it so that their
// queries join the caller's transaction.
func (s *Store) IDB(ctx context.Context) bun.IDB {
	if tx, ok := s.tx(ctx); ok {
		return tx
	}
	return s.db
}

// Tx returns the transaction InTx put in ctx, if any, for adapters that
// need the *sql.Tx under it.
func (s *Store) Tx(ctx context.Context) (bun.Tx, bool) { return s.tx(ctx) }

func (s *Store) tx(ctx context.Context) (bun.Tx, bool) {
	st, ok := ctx.Value(txKey{}).(*txState)
	if !ok || st.db != s.db {
		return bun.Tx{}, false
	}
	return st.tx, true
}

// maxBeginRetries bounds retries of an SQLite BEGIN that still met a busy
// database after busy_timeout (possible when another process holds the
// lock for long).
const maxBeginRetries = 5

// InTx runs fn in a transaction carried by the ctx fn receives; store
// methods called with it run in the transaction. A ctx that already carries
// one of this store's transactions joins it. fn's error or panic rolls back
// (the panic is re-raised); otherwise InTx commits.
func (s *Store) InTx(ctx context.Context, fn func(ctx context.Context) error) (err error) {
	const op = "sqlstore.InTx"
	if _, ok := s.tx(ctx); ok {
		return fn(ctx)
	}
	release, err := s.admitWriter(ctx)
	if err != nil {
		return mapErr(op, err)
	}
	defer release()
	tx, err := s.begin(ctx)
	if err != nil {
		return mapErr(op, err)
	}
	txCtx := context.WithValue(ctx, txKey{}, &txState{db: s.db, tx: tx})
	done := false
	defer func() {
		if !done {
			_ = tx.Rollback()
		}
	}()
	if err := fn(txCtx); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil && s.writers != nil {
		// An SQLite transaction began without ctx's cancellation (see
		// beginOnce): a ctx that ended means a rollback here.
		return mapErr(op, fmt.Errorf("transaction rolled back: %w", err))
	}
	done = true
	if err := tx.Commit(); err != nil {
		_ = tx.Rollback()
		if ctx.Err() != nil {
			// database/sql rolled the transaction back when ctx ended; say
			// why rather than "transaction has already been committed or
			// rolled back".
			return mapErr(op, fmt.Errorf("transaction rolled back: %w", ctx.Err()))
		}
		return mapErr(op, err)
	}
	return nil
}

// admitWriter waits for the SQLite writer gate and returns its release. It
// waits as long as begin would have met a busy database (busy_timeout, once
// per attempt), so a long transaction (a large import) delays other writers
// as it did before the gate instead of failing them sooner.
func (s *Store) admitWriter(ctx context.Context) (func(), error) {
	if s.writers == nil {
		return func() {}, nil
	}
	select {
	case s.writers <- struct{}{}:
		return func() { <-s.writers }, nil
	default:
	}
	wait := s.busy * (maxBeginRetries + 1)
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case s.writers <- struct{}{}:
		return func() { <-s.writers }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-t.C:
		return nil, igny8.Errorf(igny8.CodeUnavailable, "sqlstore.InTx", "database busy: another transaction of this store held the write lock for over %s", wait)
	}
}

// begin starts a transaction, retrying a busy SQLite a bounded number of
// times (BEGIN IMMEDIATE is where a writer waits for the lock).
func (s *Store) begin(ctx context.Context) (bun.Tx, error) {
	var lastErr error
	for attempt := 0; attempt <= maxBeginRetries; attempt++ {
		tx, err := s.beginOnce(ctx)
		if err == nil {
			return tx, nil
		}
		if s.dialect != DialectSQLite || !isBusy(err) {
			return bun.Tx{}, err
		}
		lastErr = err
		s.log.Debug("sqlstore: sqlite busy at begin, retrying", "attempt", attempt+1)
		select {
		case <-ctx.Done():
			return bun.Tx{}, ctx.Err()
		case <-time.After(time.Duration(attempt+1) * 10 * time.Millisecond):
		}
	}
	return bun.Tx{}, lastErr
}

// beginOnce begins on the pool (Postgres) or on the store's writer
// connection (SQLite; the caller holds the writer gate), replacing that
// connection once if the driver says it went bad.
func (s *Store) beginOnce(ctx context.Context) (bun.Tx, error) {
	if s.writers == nil {
		return s.db.BeginTx(ctx, nil)
	}
	for retry := 0; ; retry++ {
		if s.wconn == nil {
			c, err := s.db.Conn(ctx)
			if err != nil {
				return bun.Tx{}, err
			}
			s.wconn = &c
		}
		// Without ctx's cancellation: database/sql would roll a canceled
		// transaction back from a goroutine of its own, which can still be
		// running its ROLLBACK on this connection after InTx returned and
		// the next writer began (and so roll that one back). InTx rolls
		// back itself, before it opens the gate, and checks ctx before it
		// commits; the statements inside still run with ctx.
		tx, err := s.wconn.BeginTx(context.WithoutCancel(ctx), nil)
		if err == nil || retry > 0 || !(errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone)) {
			return tx, err
		}
		_ = s.wconn.Close()
		s.wconn = nil
	}
}

// inTx runs fn in the ctx's transaction or a new one; fn gets the IDB.
func (s *Store) inTx(ctx context.Context, fn func(ctx context.Context, db bun.IDB) error) error {
	return s.InTx(ctx, func(ctx context.Context) error { return fn(ctx, s.IDB(ctx)) })
}
