package storetest_test

import (
	"testing"

	"github.com/igny8/sdk/adapters/sqlstore/sqlstoretest"
	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/igny8/storetest"
)

// The suite itself runs against adapters/sqlstore in that package's
// conformance tests (SQLite file and memory, Postgres); here it only proves
// that its isolation checks catch leaks in a real store.

func newSQLite(t *testing.T) igny8.Store { return sqlstoretest.SQLite(t) }

// TestIsolationChecksFailOnLeakySQLStore proves the checks catch leaks in a
// real store, not only in the in-memory one.
func TestIsolationChecksFailOnLeakySQLStore(t *testing.T) {
	testLeaks(t, newSQLite)
}

// BenchmarkBuildFixture measures what one isolation check costs to set up:
// the two tenants of a Fixture, written through the kernel services.
func BenchmarkBuildFixture(b *testing.B) {
	for _, c := range []struct {
		name  string
		store func(b *testing.B) igny8.Store
	}{
		{"sqlite", func(b *testing.B) igny8.Store { return sqlstoretest.SQLite(b) }},
		{"postgres", func(b *testing.B) igny8.Store { return sqlstoretest.Postgres(b) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			s := c.store(b)
			for b.Loop() {
				if _, err := storetest.BuildFixture(b.Context(), s); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
