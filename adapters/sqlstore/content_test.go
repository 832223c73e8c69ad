package sqlstore_test

import (
	"testing"

	"github.com/igny8/sdk/adapters/sqlstore/sqlstoretest"
	"github.com/igny8/sdk/content/contenttest"
)

func TestContentConformanceSQLite(t *testing.T) {
	contenttest.Run(t, func(t *testing.T) contenttest.Store { return sqlstoretest.SQLite(t) })
}

func TestContentConformancePostgres(t *testing.T) {
	contenttest.Run(t, func(t *testing.T) contenttest.Store { return sqlstoretest.Postgres(t) })
}
