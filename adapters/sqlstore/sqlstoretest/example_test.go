package sqlstoretest_test

import (
	"testing"

	"github.com/igny8/sdk/adapters/sqlstore"
	"github.com/igny8/sdk/adapters/sqlstore/sqlstoretest"
	"github.com/igny8/sdk/content/contenttest"
)

// A store test runs on SQLite always and on Postgres when
// IGNY8_POSTGRES_DSN is set (and must, under CI=true). The helpers take a
// *testing.T, so this example is compiled, not run.
func Example() {
	_ = func(t *testing.T) {
		sqlstoretest.Each(t, func(t *testing.T, s *sqlstore.Store) {
			contenttest.Run(t, func(t *testing.T) contenttest.Store { return s })
		})
	}
}
