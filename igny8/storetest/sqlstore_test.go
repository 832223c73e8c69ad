package storetest_test

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	"github.com/igny8/sdk/adapters/sqlstore"
	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/igny8/storetest"
)

// These tests run the suite against adapters/sqlstore, the reference SQL
// store: on SQLite always, on Postgres when IGNY8_POSTGRES_DSN is set (and
// required when CI=true).

func newSQLite(t *testing.T) igny8.Store {
	t.Helper()
	s, err := sqlstore.Open(t.Context(), "sqlite:"+filepath.Join(t.TempDir(), "store.db"), sqlstore.Options{})
	if err != nil {
		t.Fatalf("open SQLite store: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// postgresDSN returns IGNY8_POSTGRES_DSN, skipping the test when it is
// unset unless CI=true.
func postgresDSN(t *testing.T) string {
	t.Helper()
	dsn := os.Getenv("IGNY8_POSTGRES_DSN")
	if dsn == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("IGNY8_POSTGRES_DSN is not set but CI=true requires Postgres: start one (./.ci/run does) and set IGNY8_POSTGRES_DSN=postgres://postgres@127.0.0.1:5432/test?sslmode=disable")
		}
		t.Skip("IGNY8_POSTGRES_DSN is not set; e.g. IGNY8_POSTGRES_DSN=postgres://postgres@127.0.0.1:5432/test?sslmode=disable")
	}
	return dsn
}

// newPostgres opens a store in a schema of its own, dropped at cleanup.
func newPostgres(t *testing.T) igny8.Store {
	t.Helper()
	dsn := postgresDSN(t)
	admin, err := sqlstore.Open(t.Context(), dsn, sqlstore.Options{SkipMigrate: true, MaxOpenConns: 1})
	if err != nil {
		t.Fatalf("open Postgres: %v", err)
	}
	t.Cleanup(func() { _ = admin.Close() })
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "storetest_" + hex.EncodeToString(b[:])
	if _, err := admin.DB().ExecContext(t.Context(), "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		_, _ = admin.DB().ExecContext(t.Context(), "DROP SCHEMA "+schema+" CASCADE")
	})
	s, err := sqlstore.Open(t.Context(), dsn, sqlstore.Options{SearchPath: schema})
	if err != nil {
		t.Fatalf("open Postgres store in schema %s: %v", schema, err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func TestConformanceSQLite(t *testing.T) {
	storetest.Run(t, newSQLite)
}

func TestConformancePostgres(t *testing.T) {
	postgresDSN(t)
	storetest.Run(t, newPostgres)
}

// TestIsolationChecksFailOnLeakySQLStore proves the checks catch leaks in a
// real store, not only in the in-memory one.
func TestIsolationChecksFailOnLeakySQLStore(t *testing.T) {
	testLeaks(t, newSQLite)
}
