package sitebuilding_test

import (
	"context"
	"encoding/json"
	"errors"
	"html/template"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/igny8/sdk/adapters/sqlstore"
	"github.com/igny8/sdk/adapters/sqlstore/sqlstoretest"
	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/sitebuilding"
)

// TestRollback deploys two versions, rolls back to the first, and checks
// the live files, the new record and the site_deployed event; then the
// refusals: a failed deployment, a version the renderer pruned, another
// tenant's deployment, a deployment of another blueprint.
func TestRollback(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, st *sqlstore.Store) {
		// Keep 2: the renderer prunes v1 once v3 is deployed after v2.
		rollback(t, newEnvWith(t, st, envOptions{keep: 2}))
	})
}

func rollback(t *testing.T, e *env) {
	ctx := context.Background()
	b := e.builder
	bp, err := b.Create(ctx, e.scope, bakery())
	must(t, err)
	_, err = b.GenerateStructure(ctx, e.scope, bp.ID)
	must(t, err)
	setHero := func(heading string) {
		t.Helper()
		e.clock.Advance(60_000_000_000)
		_, err := b.UpdateBlock(ctx, e.scope, bp.ID, sitebuilding.HomeSlug, 0, sitebuilding.NewBlock(&sitebuilding.Hero{Heading: heading}))
		must(t, err)
	}
	liveHome := func() string {
		t.Helper()
		dir, err := e.renderer.CurrentDir(e.scope)
		must(t, err)
		raw, err := os.ReadFile(filepath.Join(dir, "index.html"))
		must(t, err)
		return string(raw)
	}
	setHero("Fresh bread every morning")
	first, err := b.Deploy(ctx, e.scope, bp.ID)
	must(t, err)
	setHero("Closed for the winter")
	second, err := b.Deploy(ctx, e.scope, bp.ID)
	must(t, err)
	if !strings.Contains(liveHome(), "Closed for the winter") {
		t.Fatal("the second deploy is not live")
	}

	e.clock.Advance(60_000_000_000)
	back, err := b.Rollback(ctx, e.scope, bp.ID, first.ID)
	must(t, err)
	if back.ID == first.ID || back.Version != first.Version || back.Status != sitebuilding.DeployLive || back.BlueprintID != bp.ID ||
		back.Scope != e.scope || back.URL != first.URL || back.Pages != first.Pages || back.Files != first.Files || back.Bytes != first.Bytes ||
		back.Path != first.Path || back.Written != 0 || !back.DeployedAt.Equal(e.clock.Now()) {
		t.Errorf("rollback record:\n got %+v\nwant a new live record of %+v, nothing written, now", back, first)
	}
	if home := liveHome(); !strings.Contains(home, template.HTMLEscapeString("Fresh bread every morning")) || strings.Contains(home, "Closed for the winter") {
		t.Errorf("after the rollback the live home page is not the first deploy's:\n%s", home)
	}
	deps, err := b.Deployments(ctx, e.scope, bp.ID, igny8.PageRequest{})
	must(t, err)
	if len(deps) != 3 || deps[0].ID != back.ID || deps[1].ID != second.ID || deps[2].ID != first.ID {
		t.Errorf("deployments after the rollback: %+v", deps)
	}
	got, err := b.Deployment(ctx, e.scope, bp.ID, back.ID)
	must(t, err)
	if !reflect.DeepEqual(got, back) {
		t.Errorf("Deployment:\n got %+v\nwant %+v", got, back)
	}
	evs := e.eventsOf(t, igny8.EventSiteDeployed)
	if len(evs) != 3 {
		t.Fatalf("site_deployed events: %d, want 3", len(evs))
	}
	var payload map[string]any
	must(t, json.Unmarshal(evs[2].Payload, &payload))
	if payload["rollback"] != true || payload["rolled_back_to"] != first.ID || payload["version"] != float64(first.Version) ||
		payload["blueprint_id"] != bp.ID || payload["written"] != float64(0) || payload["url"] != first.URL || evs[2].Subject != bp.ID {
		t.Errorf("rollback event: subject %s, payload %v", evs[2].Subject, payload)
	}
	for _, ev := range evs[:2] {
		if strings.Contains(string(ev.Payload), "rollback") {
			t.Errorf("a deploy's event says rollback: %s", ev.Payload)
		}
	}
	after, _, err := b.Get(ctx, e.scope, bp.ID)
	must(t, err)
	if after.Status != sitebuilding.StatusDeployed {
		t.Errorf("blueprint status after the rollback: %s", after.Status)
	}

	// unchanged asserts that a refused rollback left the live site, the
	// records and the events as they were.
	unchanged := func(what, home string, records, events int) {
		t.Helper()
		if got := liveHome(); got != home {
			t.Errorf("%s changed the live site", what)
		}
		deps, err := b.Deployments(ctx, e.scope, bp.ID, igny8.PageRequest{})
		must(t, err)
		if len(deps) != records {
			t.Errorf("%s: %d deployment records, want %d", what, len(deps), records)
		}
		if n := len(e.eventsOf(t, igny8.EventSiteDeployed)); n != events {
			t.Errorf("%s: %d site_deployed events, want %d", what, n, events)
		}
	}

	// A failed deployment has no version to make live.
	failed := sitebuilding.DeploymentRecord{ID: (&igny8.UUIDv7{Clock: e.clock}).NewID(), Scope: e.scope, BlueprintID: bp.ID, Status: sitebuilding.DeployFailed,
		URL: bp.BaseURL, Error: "disk full", DeployedAt: e.clock.Now().UTC()}
	must(t, e.store.CreateDeployment(ctx, e.scope, failed))
	home := liveHome()
	_, err = b.Rollback(ctx, e.scope, bp.ID, failed.ID)
	if igny8.CodeOf(err) != igny8.CodeConflict || !strings.Contains(err.Error(), "only a deployed version") {
		t.Errorf("rollback to a failed deployment: %v, want Conflict saying only a deployed version can be made live", err)
	}
	unchanged("rolling back to a failed deployment", home, 4, 3)

	// Deploy v3: with Keep 2 the renderer prunes v1, and rolling back to
	// it is Conflict, with a message that says what to do.
	setHero("Open again in spring")
	third, err := b.Deploy(ctx, e.scope, bp.ID)
	must(t, err)
	home = liveHome()
	for _, id := range []string{first.ID, back.ID} {
		_, err = b.Rollback(ctx, e.scope, bp.ID, id)
		var ke *igny8.Error
		if igny8.CodeOf(err) != igny8.CodeConflict || !errors.As(err, &ke) || !strings.Contains(ke.Message, "deploy the blueprint again") {
			t.Errorf("rollback to pruned version %d: %v, want Conflict saying to deploy again", first.Version, err)
		}
	}
	unchanged("rolling back to a pruned version", home, 5, 4)
	// v2 is still kept.
	if _, err := b.Rollback(ctx, e.scope, bp.ID, second.ID); err != nil {
		t.Errorf("rollback to the kept version %d: %v", second.Version, err)
	}
	if !strings.Contains(liveHome(), "Closed for the winter") {
		t.Error("the rollback to v2 is not live")
	}
	if _, err := b.Rollback(ctx, e.scope, bp.ID, third.ID); err != nil {
		t.Errorf("rollback to the newest version %d: %v", third.Version, err)
	}

	// Another tenant, or another blueprint, does not see the deployment.
	ten := igny8.NewTenancy(e.store, igny8.TenancyOptions{Clock: e.clock})
	otherSite, err := ten.CreateSite(ctx, e.scope.Account(), igny8.Site{Name: "other", Domain: "other.example"})
	must(t, err)
	plan, err := ten.CreatePlan(ctx, igny8.Plan{Name: "theirs"})
	must(t, err)
	acct, err := ten.CreateAccount(ctx, igny8.Account{Name: "theirs", PlanID: plan.ID})
	must(t, err)
	theirSite, err := ten.CreateSite(ctx, igny8.Scope{AccountID: acct.ID}, igny8.Site{Name: "theirs", Domain: "theirs.example"})
	must(t, err)
	other, err := b.Create(ctx, e.scope, bakery())
	must(t, err)
	home = liveHome()
	for name, c := range map[string]struct {
		scope igny8.Scope
		bp    string
	}{
		"other site, same account":   {otherSite.Scope(), bp.ID},
		"other account":              {theirSite.Scope(), bp.ID},
		"other account, my site id":  {igny8.Scope{AccountID: acct.ID, SiteID: e.scope.SiteID}, bp.ID},
		"other blueprint, same site": {e.scope, other.ID},
		"missing blueprint":          {e.scope, "nope"},
	} {
		_, err := b.Rollback(ctx, c.scope, c.bp, first.ID)
		if igny8.CodeOf(err) != igny8.CodeNotFound {
			t.Errorf("%s: Rollback = %v, want NotFound", name, err)
		}
		_, err = b.Deployment(ctx, c.scope, c.bp, first.ID)
		if igny8.CodeOf(err) != igny8.CodeNotFound {
			t.Errorf("%s: Deployment = %v, want NotFound", name, err)
		}
	}
	_, err = b.Rollback(ctx, e.scope, bp.ID, "nope")
	if igny8.CodeOf(err) != igny8.CodeNotFound {
		t.Errorf("rollback to a missing deployment: %v, want NotFound", err)
	}
	_, err = b.Rollback(ctx, e.scope.Account(), bp.ID, second.ID)
	if igny8.CodeOf(err) != igny8.CodeInvalidArgument {
		t.Errorf("rollback without a site in scope: %v, want InvalidArgument", err)
	}
	unchanged("rollbacks of another tenant", home, 7, 6)
}

// failCommit fails the transactions of a Builder after their work is done
// while armed, so that the work is rolled back.
type failCommit struct {
	sitebuilding.BuilderStore
	armed atomic.Bool
}

var errCommit = errors.New("commit failed")

func (f *failCommit) InTx(ctx context.Context, fn func(ctx context.Context) error) error {
	return f.BuilderStore.InTx(ctx, func(ctx context.Context) error {
		if err := fn(ctx); err != nil {
			return err
		}
		if f.armed.Load() {
			return errCommit
		}
		return nil
	})
}

// TestRollbackRecordAndEventInOneTransaction: when the transaction that
// records a rollback fails, neither the record nor the event is kept.
func TestRollbackRecordAndEventInOneTransaction(t *testing.T) {
	fc := &failCommit{}
	e := newEnvWith(t, sqlstoretest.SQLite(t), envOptions{wrap: func(s sitebuilding.BuilderStore) sitebuilding.BuilderStore {
		fc.BuilderStore = s
		return fc
	}})
	ctx := context.Background()
	bp, err := e.builder.Create(ctx, e.scope, bakery())
	must(t, err)
	_, err = e.builder.GenerateStructure(ctx, e.scope, bp.ID)
	must(t, err)
	first, err := e.builder.Deploy(ctx, e.scope, bp.ID)
	must(t, err)
	_, err = e.builder.Deploy(ctx, e.scope, bp.ID)
	must(t, err)
	fc.armed.Store(true)
	_, err = e.builder.Rollback(ctx, e.scope, bp.ID, first.ID)
	if !errors.Is(err, errCommit) {
		t.Fatalf("rollback with a failing transaction: %v", err)
	}
	deps, err := e.builder.Deployments(ctx, e.scope, bp.ID, igny8.PageRequest{})
	must(t, err)
	if len(deps) != 2 {
		t.Errorf("%d deployment records after a failed rollback transaction, want 2", len(deps))
	}
	if n := len(e.eventsOf(t, igny8.EventSiteDeployed)); n != 2 {
		t.Errorf("%d site_deployed events after a failed rollback transaction, want 2", n)
	}
}
