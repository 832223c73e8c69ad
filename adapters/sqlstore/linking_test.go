package sqlstore_test

import (
	"testing"

	"github.com/igny8/sdk/adapters/sqlstore/sqlstoretest"
	"github.com/igny8/sdk/linking"
	"github.com/igny8/sdk/linking/linktest"
)

func TestLinkStoreConformance(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		linktest.Run(t, func(t *testing.T) linking.Store { return sqlstoretest.SQLite(t) })
	})
	t.Run("postgres", func(t *testing.T) {
		linktest.Run(t, func(t *testing.T) linking.Store { return sqlstoretest.Postgres(t) })
	})
}
