package sqlstore_test

import (
	"testing"

	"github.com/igny8/sdk/adapters/sqlstore/sqlstoretest"
	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/igny8/storetest"
)

func TestConformanceSQLite(t *testing.T) {
	storetest.Run(t, func(t *testing.T) igny8.Store { return sqlstoretest.SQLite(t) })
}

func TestConformanceSQLiteMemory(t *testing.T) {
	storetest.Run(t, func(t *testing.T) igny8.Store { return openMemory(t) })
}

func TestConformancePostgres(t *testing.T) {
	sqlstoretest.PostgresDSN(t) // skip (or fail under CI=true) before the suite starts
	storetest.Run(t, func(t *testing.T) igny8.Store { return sqlstoretest.Postgres(t) })
}
