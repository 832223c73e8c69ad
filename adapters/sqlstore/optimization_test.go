package sqlstore_test

import (
	"testing"

	"github.com/igny8/sdk/adapters/sqlstore/sqlstoretest"
	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/optimization/rewrite"
	"github.com/igny8/sdk/optimization/rewrite/rewritetest"
)

func TestOptimizationTaskStoreConformance(t *testing.T) {
	fx := rewritetest.Fixture{Scope: igny8.Scope{AccountID: "acct-a", SiteID: "site-a"}, Other: igny8.Scope{AccountID: "acct-b", SiteID: "site-b"}}
	t.Run("sqlite", func(t *testing.T) {
		rewritetest.Run(t, func(t *testing.T) (rewrite.TaskStore, rewritetest.Fixture) { return sqlstoretest.SQLite(t), fx })
	})
	t.Run("postgres", func(t *testing.T) {
		rewritetest.Run(t, func(t *testing.T) (rewrite.TaskStore, rewritetest.Fixture) { return sqlstoretest.Postgres(t), fx })
	})
}
