package sqlstore_test

import (
	"testing"

	"github.com/igny8/sdk/adapters/sqlstore/sqlstoretest"
	"github.com/igny8/sdk/planning/planningtest"
)

func TestPlanningConformanceSQLite(t *testing.T) {
	planningtest.Run(t, func(t *testing.T) planningtest.Store { return sqlstoretest.SQLite(t) })
}

func TestPlanningConformancePostgres(t *testing.T) {
	planningtest.Run(t, func(t *testing.T) planningtest.Store { return sqlstoretest.Postgres(t) })
}
