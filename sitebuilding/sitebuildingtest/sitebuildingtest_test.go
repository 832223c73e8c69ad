package sitebuildingtest_test

import (
	"context"
	"sync"
	"testing"

	"github.com/igny8/sdk/adapters/sqlstore/sqlstoretest"
	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/sitebuilding"
	"github.com/igny8/sdk/sitebuilding/sitebuildingtest"
)

// leaky answers GetBlueprint in the scope the blueprint was created in,
// whatever scope it is asked in: the suite must catch it.
type leaky struct {
	sitebuildingtest.Store
	mu     sync.Mutex
	owners map[string]igny8.Scope
}

func (l *leaky) CreateBlueprint(ctx context.Context, scope igny8.Scope, b sitebuilding.SiteBlueprint) error {
	l.mu.Lock()
	l.owners[b.ID] = scope
	l.mu.Unlock()
	return l.Store.CreateBlueprint(ctx, scope, b)
}

func (l *leaky) GetBlueprint(ctx context.Context, scope igny8.Scope, id string) (sitebuilding.SiteBlueprint, error) {
	l.mu.Lock()
	owner, ok := l.owners[id]
	l.mu.Unlock()
	if ok {
		scope = owner
	}
	return l.Store.GetBlueprint(ctx, scope, id)
}

func TestSuiteCatchesALeakyStore(t *testing.T) {
	ok := testing.RunTests(func(pat, str string) (bool, error) { return true, nil },
		[]testing.InternalTest{{Name: "TestConformance", F: func(t *testing.T) {
			sitebuildingtest.Run(t, func(t *testing.T) sitebuildingtest.Store {
				return &leaky{Store: sqlstoretest.SQLite(t), owners: map[string]igny8.Scope{}}
			})
		}}})
	if ok {
		t.Fatal("the suite passed a store that returns other tenants' blueprints")
	}
}
