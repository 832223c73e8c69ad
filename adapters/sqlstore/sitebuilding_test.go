package sqlstore_test

import (
	"testing"

	"github.com/igny8/sdk/adapters/sqlstore/sqlstoretest"
	"github.com/igny8/sdk/sitebuilding/sitebuildingtest"
)

func TestSiteBuildingConformanceSQLite(t *testing.T) {
	sitebuildingtest.Run(t, func(t *testing.T) sitebuildingtest.Store { return sqlstoretest.SQLite(t) })
}

func TestSiteBuildingConformancePostgres(t *testing.T) {
	sitebuildingtest.Run(t, func(t *testing.T) sitebuildingtest.Store { return sqlstoretest.Postgres(t) })
}
