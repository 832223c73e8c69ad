package linktest_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/linking"
	"github.com/igny8/sdk/linking/linktest"
)

func TestMemStore(t *testing.T) {
	linktest.Run(t, func(t *testing.T) linking.Store { return linking.NewMemStore() })
}

// leaky lists the records of every tenant: the suite must catch it.
type leaky struct{ *linking.MemStore }

func (l leaky) ListLinks(ctx context.Context, scope igny8.Scope, q linking.LinkQuery) ([]linking.Link, error) {
	return l.MemStore.ListLinks(ctx, igny8.Scope{AccountID: "acc-1", SiteID: "site-1"}, q)
}

func runSuite(newStore func(t *testing.T) linking.Store) bool {
	return testing.RunTests(func(pat, str string) (bool, error) { return true, nil },
		[]testing.InternalTest{{Name: "TestConformance", F: func(t *testing.T) { linktest.Run(t, newStore) }}})
}

func TestSuiteCatchesALeakyStore(t *testing.T) {
	if runSuite(func(t *testing.T) linking.Store { return leaky{linking.NewMemStore()} }) {
		t.Fatal("the suite passed a store that lists other tenants' links")
	}
}

func ExampleRun() {
	ok := runSuite(func(t *testing.T) linking.Store { return linking.NewMemStore() })
	fmt.Println("MemStore conforms:", ok)
	// Output: MemStore conforms: true
}
