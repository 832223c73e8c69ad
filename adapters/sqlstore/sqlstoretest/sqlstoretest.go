// Package sqlstoretest opens fresh, migrated sqlstore databases for tests:
// an SQLite file in the test's temporary directory, or a Postgres schema of
// its own (created for the test and dropped when it ends).
//
// Postgres is found through IGNY8_POSTGRES_DSN, e.g.
//
//	IGNY8_POSTGRES_DSN='postgres://postgres@127.0.0.1:5432/test?sslmode=disable'
//
// When it is unset, Postgres tests skip, unless CI=true, where they fail:
// under CI nothing that needs a service may skip.
//
//	func TestKeywords(t *testing.T) {
//		sqlstoretest.Each(t, func(t *testing.T, s *sqlstore.Store) {
//			// ... the same assertions on SQLite and Postgres
//		})
//	}
package sqlstoretest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/igny8/sdk/adapters/sqlstore"
)

// PostgresDSNEnv names the environment variable that points tests at a
// Postgres server.
const PostgresDSNEnv = "IGNY8_POSTGRES_DSN"

// SchemaPrefix starts the name of every schema Postgres creates for a
// test.
const SchemaPrefix = "igny8_t_"

// SQLite returns a fresh, migrated store on an SQLite file in t's temporary
// directory, closed when t ends.
func SQLite(t testing.TB) *sqlstore.Store {
	t.Helper()
	path := filepath.Join(t.TempDir(), "igny8.db")
	s, err := sqlstore.Open(context.Background(), "sqlite:"+path, sqlstore.Options{})
	if err != nil {
		t.Fatalf("sqlstoretest: open sqlite %s: %v", path, err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("sqlstoretest: close sqlite: %v", err)
		}
	})
	return s
}

// PostgresDSN returns the DSN of the test Postgres. When none is set it
// skips t, or fails it when CI=true.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(PostgresDSNEnv)
	if dsn != "" {
		return dsn
	}
	const how = PostgresDSNEnv + " is not set; start Postgres (the repository's .ci/run does, or: " +
		"pg_ctlcluster 15 main start) and set " + PostgresDSNEnv +
		"='postgres://postgres@127.0.0.1:5432/test?sslmode=disable'"
	if os.Getenv("CI") == "true" {
		t.Fatal("sqlstoretest: CI=true needs Postgres: " + how)
	}
	t.Skip("sqlstoretest: " + how)
	return ""
}

// Postgres returns a fresh, migrated store in a new schema of the test
// Postgres (see PostgresDSN), closed and dropped when t ends.
func Postgres(t testing.TB) *sqlstore.Store {
	t.Helper()
	return PostgresWith(t, sqlstore.Options{})
}

// PostgresWith is Postgres with store options (SearchPath is set to the
// test's schema).
func PostgresWith(t testing.TB, opts sqlstore.Options) *sqlstore.Store {
	t.Helper()
	schema := NewSchema(t, PostgresDSN(t))
	opts.SearchPath = schema
	s, err := sqlstore.Open(context.Background(), PostgresDSN(t), opts)
	if err != nil {
		t.Fatalf("sqlstoretest: open postgres schema %s: %v", schema, err)
	}
	// Registered after NewSchema's cleanup, so it runs first: close, then
	// drop.
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("sqlstoretest: close postgres: %v", err)
		}
	})
	return s
}

// NewSchema creates an empty schema named SchemaPrefix + random in the
// Postgres at dsn and drops it (with everything in it) when t ends.
func NewSchema(t testing.TB, dsn string) string {
	t.Helper()
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		t.Fatalf("sqlstoretest: %s is not a valid Postgres DSN: %v", PostgresDSNEnv, err)
	}
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	schema := SchemaPrefix + hex.EncodeToString(b[:])
	db := stdlib.OpenDB(*cfg)
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		_ = db.Close()
		t.Fatalf("sqlstoretest: create schema %s: %v", schema, err)
	}
	t.Cleanup(func() {
		defer db.Close()
		if _, err := db.ExecContext(context.Background(), `DROP SCHEMA `+schema+` CASCADE`); err != nil {
			t.Errorf("sqlstoretest: drop schema %s: %v", schema, err)
		}
	})
	return schema
}

// Each runs fn as two subtests, "sqlite" and "postgres", each on a fresh
// store. The postgres subtest skips (or fails under CI=true) without a
// server.
func Each(t *testing.T, fn func(t *testing.T, s *sqlstore.Store)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
}
