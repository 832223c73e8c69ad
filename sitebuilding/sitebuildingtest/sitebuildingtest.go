// Package sitebuildingtest is the conformance suite for implementations of
// sitebuilding.Store. A store author runs it from a test:
//
//	func TestSiteBuildingStore(t *testing.T) {
//		sitebuildingtest.Run(t, func(t *testing.T) sitebuildingtest.Store { return openMyStore(t) })
//	}
//
// Each call of the constructor must return a fresh, empty store that also
// implements igny8.Store (the suite creates the tenants it needs). Every
// method is checked for isolation: a row of another account, or of another
// site of the same account, is NotFound and never changed.
package sitebuildingtest

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/igny8/storetest"
	"github.com/igny8/sdk/sitebuilding"
)

// Store is what the suite tests: a site builder store over a kernel store.
type Store interface {
	igny8.Store
	sitebuilding.Store
}

// Run runs the whole suite.
func Run(t *testing.T, newStore func(t *testing.T) Store) {
	t.Run("Blueprints", func(t *testing.T) { testBlueprints(t, newStore(t)) })
	t.Run("Pages", func(t *testing.T) { testPages(t, newStore(t)) })
	t.Run("Deployments", func(t *testing.T) { testDeployments(t, newStore(t)) })
	t.Run("Transactions", func(t *testing.T) { testTx(t, newStore(t)) })
	t.Run("Isolation", func(t *testing.T) { testIsolation(t, newStore(t)) })
}

var t0 = time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)

type tenant struct{ site, otherSite igny8.Scope }

func newTenant(t *testing.T, s Store, name string) tenant {
	t.Helper()
	a := storetest.NewAccount(t, s, name)
	return tenant{site: a.Site, otherSite: a.OtherSite}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantCode(t *testing.T, what string, err error, code igny8.Code) {
	t.Helper()
	if got := igny8.CodeOf(err); got != code {
		t.Errorf("%s: got %v (code %q), want code %q", what, err, got, code)
	}
}

var ids = &igny8.UUIDv7{}

func blueprint(scope igny8.Scope, name string) sitebuilding.SiteBlueprint {
	return sitebuilding.SiteBlueprint{
		ID: ids.NewID(), Scope: scope, Name: name, BaseURL: "https://" + name + ".example",
		Wizard: sitebuilding.Wizard{SiteType: sitebuilding.SiteLocalBusiness, Business: name, Brief: "Bread and cakes.",
			Objectives: []string{"Orders"}, Style: sitebuilding.Style{Palette: sitebuilding.Palette{Primary: "#225522"}, Tone: "warm"},
			Contact: sitebuilding.ContactInfo{Email: "hi@" + name + ".example"}, MaxPages: 4, Language: "en"},
		Status: sitebuilding.StatusDraft, Notes: []string{"a note"}, CreatedAt: t0, UpdatedAt: t0,
	}
}

func page(scope igny8.Scope, bpID, slug string, pos int) sitebuilding.PageBlueprint {
	return sitebuilding.PageBlueprint{
		ID: ids.NewID(), Scope: scope, BlueprintID: bpID, Position: pos, Slug: slug, Type: sitebuilding.PageCustom,
		Title: "Page " + slug, Description: "About " + slug,
		Blocks: []sitebuilding.Block{
			sitebuilding.NewBlock(&sitebuilding.Hero{Heading: "Hello " + slug, Button: &sitebuilding.Link{Label: "Go", URL: "/contact/"}}),
			sitebuilding.NewBlock(&sitebuilding.FAQ{Items: []sitebuilding.QA{{Question: "Open?", Answer: "Yes."}}}),
		},
		Status: sitebuilding.PageOutline, CreatedAt: t0, UpdatedAt: t0,
	}
}

func testBlueprints(t *testing.T, s Store) {
	ctx := context.Background()
	ten := newTenant(t, s, "bakery")
	b := blueprint(ten.site, "bakery")
	must(t, s.CreateBlueprint(ctx, ten.site, b))
	wantCode(t, "create twice", s.CreateBlueprint(ctx, ten.site, b), igny8.CodeConflict)
	got, err := s.GetBlueprint(ctx, ten.site, b.ID)
	must(t, err)
	if !reflect.DeepEqual(got, b) {
		t.Errorf("get:\n got %+v\nwant %+v", got, b)
	}
	b.Status, b.Name, b.Notes, b.UpdatedAt = sitebuilding.StatusReady, "Bakery 2", nil, t0.Add(time.Hour)
	b.Wizard.Brief = "Bread, cakes and coffee."
	must(t, s.UpdateBlueprint(ctx, ten.site, b))
	got, err = s.GetBlueprint(ctx, ten.site, b.ID)
	must(t, err)
	if got.Status != sitebuilding.StatusReady || got.Name != "Bakery 2" || got.Wizard.Brief != b.Wizard.Brief || !got.UpdatedAt.Equal(b.UpdatedAt) || len(got.Notes) != 0 {
		t.Errorf("update not kept: %+v", got)
	}
	var made []string
	made = append(made, b.ID)
	for i := range 4 {
		x := blueprint(ten.site, fmt.Sprintf("b%d", i))
		must(t, s.CreateBlueprint(ctx, ten.site, x))
		made = append(made, x.ID)
	}
	first, err := s.ListBlueprints(ctx, ten.site, igny8.PageRequest{Limit: 3})
	must(t, err)
	rest, err := s.ListBlueprints(ctx, ten.site, igny8.PageRequest{Limit: 3, After: first[len(first)-1].ID})
	must(t, err)
	if len(first) != 3 || len(rest) != 2 {
		t.Fatalf("pages of 3: got %d and %d", len(first), len(rest))
	}
	for i, x := range append(first, rest...) {
		if x.ID != made[i] {
			t.Errorf("list[%d] = %s, want %s (by id)", i, x.ID, made[i])
		}
	}
	must(t, s.ReplacePages(ctx, ten.site, b.ID, []sitebuilding.PageBlueprint{page(ten.site, b.ID, "home", 0)}))
	must(t, s.DeleteBlueprint(ctx, ten.site, b.ID))
	_, err = s.GetBlueprint(ctx, ten.site, b.ID)
	wantCode(t, "get deleted", err, igny8.CodeNotFound)
	_, err = s.ListPages(ctx, ten.site, b.ID)
	wantCode(t, "pages of deleted", err, igny8.CodeNotFound)
	wantCode(t, "delete twice", s.DeleteBlueprint(ctx, ten.site, b.ID), igny8.CodeNotFound)
	wantCode(t, "update deleted", s.UpdateBlueprint(ctx, ten.site, b), igny8.CodeNotFound)
	wantCode(t, "no site in scope", s.CreateBlueprint(ctx, igny8.Scope{AccountID: ten.site.AccountID}, blueprint(ten.site, "x")), igny8.CodeInvalidArgument)
}

func testPages(t *testing.T, s Store) {
	ctx := context.Background()
	ten := newTenant(t, s, "shop")
	b := blueprint(ten.site, "shop")
	must(t, s.CreateBlueprint(ctx, ten.site, b))
	pages := []sitebuilding.PageBlueprint{page(ten.site, b.ID, "home", 0), page(ten.site, b.ID, "about", 1), page(ten.site, b.ID, "contact", 2)}
	must(t, s.ReplacePages(ctx, ten.site, b.ID, pages))
	got, err := s.ListPages(ctx, ten.site, b.ID)
	must(t, err)
	if !reflect.DeepEqual(got, pages) {
		t.Fatalf("list:\n got %+v\nwant %+v", got, pages)
	}
	// Replace: reordered, one removed, one added.
	np := page(ten.site, b.ID, "blog", 2)
	pages = []sitebuilding.PageBlueprint{pages[0], pages[2], np}
	pages[1].Position = 1
	must(t, s.ReplacePages(ctx, ten.site, b.ID, pages))
	got, err = s.ListPages(ctx, ten.site, b.ID)
	must(t, err)
	if !reflect.DeepEqual(got, pages) {
		t.Fatalf("after replace:\n got %+v\nwant %+v", got, pages)
	}
	// Duplicate slugs are refused and change nothing.
	dup := []sitebuilding.PageBlueprint{page(ten.site, b.ID, "same", 0), page(ten.site, b.ID, "same", 1)}
	wantCode(t, "duplicate slugs", s.ReplacePages(ctx, ten.site, b.ID, dup), igny8.CodeConflict)
	got, _ = s.ListPages(ctx, ten.site, b.ID)
	if len(got) != 3 {
		t.Errorf("a refused replace changed the pages: %d pages", len(got))
	}
	// UpdatePage changes one page only.
	p := pages[1]
	p.Title, p.Status, p.UpdatedAt = "Contact us", sitebuilding.PageWritten, t0.Add(time.Minute)
	p.Blocks = append(p.Blocks, sitebuilding.NewBlock(&sitebuilding.Contact{Email: "a@b.example"}))
	must(t, s.UpdatePage(ctx, ten.site, p))
	got, _ = s.ListPages(ctx, ten.site, b.ID)
	if !reflect.DeepEqual(got[1], p) {
		t.Errorf("updated page:\n got %+v\nwant %+v", got[1], p)
	}
	if !reflect.DeepEqual(got[0], pages[0]) || !reflect.DeepEqual(got[2], pages[2]) {
		t.Errorf("UpdatePage touched other pages")
	}
	p.BlueprintID = "other"
	wantCode(t, "page of another blueprint", s.UpdatePage(ctx, ten.site, p), igny8.CodeNotFound)
	ghost := page(ten.site, b.ID, "ghost", 9)
	wantCode(t, "update missing page", s.UpdatePage(ctx, ten.site, ghost), igny8.CodeNotFound)
	wantCode(t, "pages of missing blueprint", s.ReplacePages(ctx, ten.site, "nope", pages), igny8.CodeNotFound)
	must(t, s.ReplacePages(ctx, ten.site, b.ID, nil))
	got, err = s.ListPages(ctx, ten.site, b.ID)
	must(t, err)
	if len(got) != 0 {
		t.Errorf("replace with none left %d pages", len(got))
	}
}

func deployment(scope igny8.Scope, bpID string, v int) sitebuilding.DeploymentRecord {
	return sitebuilding.DeploymentRecord{ID: ids.NewID(), Scope: scope, BlueprintID: bpID, Version: v, Status: sitebuilding.DeployLive,
		Path: fmt.Sprintf("/srv/v%d", v), URL: "https://x.example", Pages: 4, Files: 12, Bytes: 1 << 20, Written: 3, DeployedAt: t0.Add(time.Duration(v) * time.Minute)}
}

func testDeployments(t *testing.T, s Store) {
	ctx := context.Background()
	ten := newTenant(t, s, "dep")
	b := blueprint(ten.site, "dep")
	must(t, s.CreateBlueprint(ctx, ten.site, b))
	var made []sitebuilding.DeploymentRecord
	for v := 1; v <= 3; v++ {
		d := deployment(ten.site, b.ID, v)
		must(t, s.CreateDeployment(ctx, ten.site, d))
		made = append(made, d)
	}
	failed := deployment(ten.site, b.ID, 0)
	failed.Status, failed.Error, failed.Path = sitebuilding.DeployFailed, "disk full", ""
	must(t, s.CreateDeployment(ctx, ten.site, failed))
	made = append(made, failed)
	got, err := s.ListDeployments(ctx, ten.site, b.ID, igny8.PageRequest{Limit: 2})
	must(t, err)
	more, err := s.ListDeployments(ctx, ten.site, b.ID, igny8.PageRequest{Limit: 2, After: got[len(got)-1].ID})
	must(t, err)
	all := append(got, more...)
	if len(all) != 4 {
		t.Fatalf("got %d deployments, want 4", len(all))
	}
	for i := range all {
		if want := made[len(made)-1-i]; !reflect.DeepEqual(all[i], want) {
			t.Errorf("list[%d] (newest first):\n got %+v\nwant %+v", i, all[i], want)
		}
	}
	wantCode(t, "deployment of a missing blueprint", s.CreateDeployment(ctx, ten.site, deployment(ten.site, "nope", 1)), igny8.CodeNotFound)
	for _, want := range made {
		got, err := s.GetDeployment(ctx, ten.site, b.ID, want.ID)
		must(t, err)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("get deployment %s:\n got %+v\nwant %+v", want.ID, got, want)
		}
	}
	_, err = s.GetDeployment(ctx, ten.site, b.ID, "nope")
	wantCode(t, "get a missing deployment", err, igny8.CodeNotFound)
	// A deployment is found under its own blueprint only.
	b2 := blueprint(ten.site, "dep2")
	must(t, s.CreateBlueprint(ctx, ten.site, b2))
	_, err = s.GetDeployment(ctx, ten.site, b2.ID, made[0].ID)
	wantCode(t, "get a deployment under another blueprint", err, igny8.CodeNotFound)
	_, err = s.GetDeployment(ctx, ten.site, "nope", made[0].ID)
	wantCode(t, "get a deployment under a missing blueprint", err, igny8.CodeNotFound)
	_, err = s.GetDeployment(ctx, igny8.Scope{AccountID: ten.site.AccountID}, b.ID, made[0].ID)
	wantCode(t, "get a deployment without a site in scope", err, igny8.CodeInvalidArgument)
	must(t, s.DeleteBlueprint(ctx, ten.site, b.ID))
	_, err = s.GetDeployment(ctx, ten.site, b.ID, made[0].ID)
	wantCode(t, "get a deployment of a deleted blueprint", err, igny8.CodeNotFound)
}

func testTx(t *testing.T, s Store) {
	ctx := context.Background()
	ten := newTenant(t, s, "tx")
	b := blueprint(ten.site, "tx")
	boom := fmt.Errorf("boom")
	err := s.InTx(ctx, func(ctx context.Context) error {
		must(t, s.CreateBlueprint(ctx, ten.site, b))
		must(t, s.ReplacePages(ctx, ten.site, b.ID, []sitebuilding.PageBlueprint{page(ten.site, b.ID, "home", 0)}))
		return boom
	})
	if err != boom {
		t.Fatalf("InTx returned %v", err)
	}
	_, err = s.GetBlueprint(ctx, ten.site, b.ID)
	wantCode(t, "rolled back blueprint", err, igny8.CodeNotFound)
}

func testIsolation(t *testing.T, s Store) {
	ctx := context.Background()
	mine := newTenant(t, s, "mine")
	theirs := newTenant(t, s, "theirs")
	b := blueprint(mine.site, "mine")
	must(t, s.CreateBlueprint(ctx, mine.site, b))
	p := page(mine.site, b.ID, "home", 0)
	must(t, s.ReplacePages(ctx, mine.site, b.ID, []sitebuilding.PageBlueprint{p}))
	d := deployment(mine.site, b.ID, 1)
	must(t, s.CreateDeployment(ctx, mine.site, d))

	for name, other := range map[string]igny8.Scope{
		"other account":             theirs.site,
		"other site, same account":  mine.otherSite,
		"other account, my site id": {AccountID: theirs.site.AccountID, SiteID: mine.site.SiteID},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := s.GetBlueprint(ctx, other, b.ID)
			wantCode(t, "GetBlueprint", err, igny8.CodeNotFound)
			list, err := s.ListBlueprints(ctx, other, igny8.PageRequest{})
			must(t, err)
			if len(list) != 0 {
				t.Errorf("ListBlueprints shows %d rows of another tenant", len(list))
			}
			hijack := b
			hijack.Name = "hijacked"
			wantCode(t, "UpdateBlueprint", s.UpdateBlueprint(ctx, other, hijack), igny8.CodeNotFound)
			wantCode(t, "DeleteBlueprint", s.DeleteBlueprint(ctx, other, b.ID), igny8.CodeNotFound)
			_, err = s.ListPages(ctx, other, b.ID)
			wantCode(t, "ListPages", err, igny8.CodeNotFound)
			wantCode(t, "ReplacePages", s.ReplacePages(ctx, other, b.ID, nil), igny8.CodeNotFound)
			hp := p
			hp.Title = "hijacked"
			wantCode(t, "UpdatePage", s.UpdatePage(ctx, other, hp), igny8.CodeNotFound)
			wantCode(t, "CreateDeployment", s.CreateDeployment(ctx, other, deployment(other, b.ID, 2)), igny8.CodeNotFound)
			_, err = s.ListDeployments(ctx, other, b.ID, igny8.PageRequest{})
			wantCode(t, "ListDeployments", err, igny8.CodeNotFound)
			_, err = s.GetDeployment(ctx, other, b.ID, d.ID)
			wantCode(t, "GetDeployment", err, igny8.CodeNotFound)
			// A blueprint cannot be created under a site of another account.
			x := blueprint(other, "x")
			if other.AccountID != mine.site.AccountID && other.SiteID == mine.site.SiteID {
				wantCode(t, "CreateBlueprint on a foreign site", s.CreateBlueprint(ctx, other, x), igny8.CodeNotFound)
			}
		})
	}
	// Everything of mine is intact.
	got, err := s.GetBlueprint(ctx, mine.site, b.ID)
	must(t, err)
	if got.Name != b.Name {
		t.Errorf("blueprint changed by another tenant: %q", got.Name)
	}
	pages, err := s.ListPages(ctx, mine.site, b.ID)
	must(t, err)
	if len(pages) != 1 || pages[0].Title != p.Title {
		t.Errorf("pages changed by another tenant: %+v", pages)
	}
	deps, err := s.ListDeployments(ctx, mine.site, b.ID, igny8.PageRequest{})
	must(t, err)
	if len(deps) != 1 {
		t.Errorf("deployments changed by another tenant: %d", len(deps))
	}
	gotD, err := s.GetDeployment(ctx, mine.site, b.ID, d.ID)
	must(t, err)
	if !reflect.DeepEqual(gotD, d) {
		t.Errorf("deployment changed by another tenant:\n got %+v\nwant %+v", gotD, d)
	}
}
