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

// leaky answers one read (GetBlueprint or GetDeployment, as leak says) in
// the scope the row was created in, whatever scope it is asked in: the
// suite must catch it.
type leaky struct {
	sitebuildingtest.Store
	leak   string
	mu     sync.Mutex
	owners map[string]igny8.Scope
}

func (l *leaky) own(id string, scope igny8.Scope) {
	l.mu.Lock()
	l.owners[id] = scope
	l.mu.Unlock()
}

func (l *leaky) owner(method, id string, scope igny8.Scope) igny8.Scope {
	if method != l.leak {
		return scope
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if owner, ok := l.owners[id]; ok {
		return owner
	}
	return scope
}

func (l *leaky) CreateBlueprint(ctx context.Context, scope igny8.Scope, b sitebuilding.SiteBlueprint) error {
	l.own(b.ID, scope)
	return l.Store.CreateBlueprint(ctx, scope, b)
}

func (l *leaky) GetBlueprint(ctx context.Context, scope igny8.Scope, id string) (sitebuilding.SiteBlueprint, error) {
	return l.Store.GetBlueprint(ctx, l.owner("GetBlueprint", id, scope), id)
}

func (l *leaky) CreateDeployment(ctx context.Context, scope igny8.Scope, d sitebuilding.DeploymentRecord) error {
	l.own(d.ID, scope)
	return l.Store.CreateDeployment(ctx, scope, d)
}

func (l *leaky) GetDeployment(ctx context.Context, scope igny8.Scope, blueprintID, id string) (sitebuilding.DeploymentRecord, error) {
	return l.Store.GetDeployment(ctx, l.owner("GetDeployment", id, scope), blueprintID, id)
}

func TestSuiteCatchesALeakyStore(t *testing.T) {
	for _, leak := range []string{"GetBlueprint", "GetDeployment"} {
		t.Run(leak, func(t *testing.T) {
			ok := testing.RunTests(func(pat, str string) (bool, error) { return true, nil },
				[]testing.InternalTest{{Name: "TestConformance", F: func(t *testing.T) {
					sitebuildingtest.Run(t, func(t *testing.T) sitebuildingtest.Store {
						return &leaky{Store: sqlstoretest.SQLite(t), leak: leak, owners: map[string]igny8.Scope{}}
					})
				}}})
			if ok {
				t.Fatalf("the suite passed a store whose %s returns other tenants' rows", leak)
			}
		})
	}
}
