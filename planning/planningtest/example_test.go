package planningtest_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/igny8/sdk/adapters/sqlstore/sqlstoretest"
	"github.com/igny8/sdk/planning/planningtest"
)

// Example runs the suite against the SQLite store, as a store author would
// from a test function (there, simply call planningtest.Run(t, ...)).
func Example() {
	ok := testing.RunTests(regexp.MatchString, []testing.InternalTest{{
		Name: "PlanningStore",
		F: func(t *testing.T) {
			planningtest.Run(t, func(t *testing.T) planningtest.Store { return sqlstoretest.SQLite(t) })
		},
	}})
	fmt.Println("conformance suite passed:", ok)
	// Output: conformance suite passed: true
}
