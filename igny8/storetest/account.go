package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/igny8/sdk/igny8"
)

// Account is a tenant for the conformance suites of domain stores: an
// account on a plan of its own, with two sites and a sector in the first.
// Domain rows written in Site or Sector, then looked for from OtherSite (or
// the other way round), prove a store keeps sites apart.
type Account struct {
	Account   igny8.Scope // the account alone
	Site      igny8.Scope // its first site
	Sector    igny8.Scope // the first site's sector
	OtherSite igny8.Scope // its second site, without a sector
}

// NewAccount makes an Account in s through the kernel's store methods,
// named after name (several may share a store). It fails t if s cannot hold
// it.
func NewAccount(t testing.TB, s igny8.Store, name string) Account {
	t.Helper()
	ctx := context.Background()
	at := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	ids := &igny8.UUIDv7{}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("storetest.NewAccount(%q): %v", name, err)
		}
	}
	plan := igny8.Plan{ID: ids.NewID(), Name: "p-" + name, CreatedAt: at, UpdatedAt: at}
	must(s.CreatePlan(ctx, plan))
	acct := igny8.Account{ID: ids.NewID(), Name: name, PlanID: plan.ID, CreatedAt: at, UpdatedAt: at}
	must(s.CreateAccount(ctx, acct))
	a := Account{Account: igny8.Scope{AccountID: acct.ID}}
	for i, site := range []*igny8.Scope{&a.Site, &a.OtherSite} {
		x := igny8.Site{ID: ids.NewID(), AccountID: acct.ID, Name: name + " site " + string(rune('0'+i)), Active: true, CreatedAt: at, UpdatedAt: at}
		must(s.CreateSite(ctx, a.Account, x))
		*site = x.Scope()
	}
	sec := igny8.Sector{ID: ids.NewID(), Name: "sector", Slug: "sector", CreatedAt: at, UpdatedAt: at}
	must(s.CreateSector(ctx, a.Site, sec))
	a.Sector = igny8.Scope{AccountID: acct.ID, SiteID: a.Site.SiteID, SectorID: sec.ID}
	return a
}
