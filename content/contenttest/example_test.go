package contenttest_test

import (
	"testing"

	"github.com/igny8/sdk/adapters/sqlstore/sqlstoretest"
	"github.com/igny8/sdk/content/contenttest"
)

// A content store proves itself with the suite (it needs a *testing.T, so
// this example is compiled, not run).
func Example() {
	_ = func(t *testing.T) {
		contenttest.Run(t, func(t *testing.T) contenttest.Store { return sqlstoretest.SQLite(t) })
	}
}
