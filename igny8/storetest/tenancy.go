package storetest

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/igny8/sdk/igny8"
)

func testTenancy(t *testing.T, newStore func(t *testing.T) igny8.Store) {
	t.Run("Accounts", func(t *testing.T) { testAccounts(t, newStore) })
	t.Run("Sites", func(t *testing.T) { testSites(t, newStore) })
	t.Run("MaxSites", func(t *testing.T) { testMaxSites(t, newStore) })
	t.Run("Sectors", func(t *testing.T) { testSectors(t, newStore) })
	t.Run("Users", func(t *testing.T) { testUsers(t, newStore) })
}

func testAccounts(t *testing.T, newStore func(t *testing.T) igny8.Store) {
	e := newEnv(t, newStore)
	p := e.plan(nil)
	p2 := e.plan(map[igny8.Limit]int64{igny8.LimitMaxSites: 1})

	t.Run("CreateGet", func(t *testing.T) {
		a, err := e.tenancy.CreateAccount(e.ctx, igny8.Account{Name: "Acme", PlanID: p.ID, TimeZone: "Europe/Berlin", IsSystem: true})
		ok(t, err, "Tenancy.CreateAccount")
		got, err := e.store.GetAccount(e.ctx, a.ID)
		ok(t, err, "GetAccount")
		compareAccount(t, "GetAccount", got, a)
		if got.CreditBalance != 0 {
			t.Errorf("new account balance = %d, want 0", got.CreditBalance)
		}
	})

	t.Run("UpdateKeepsBalance", func(t *testing.T) {
		a := e.account(p, "")
		e.grant(scopeOfAccount(a.ID), 40)
		e.clock.Advance(time.Minute)
		a.Name, a.PlanID, a.TimeZone, a.IsSystem = "Renamed", p2.ID, "Asia/Tokyo", true
		a.CreditBalance = 999999 // only the ledger moves the balance
		created := a.CreatedAt
		a.CreatedAt = a.CreatedAt.Add(time.Hour) // nor does an update move the creation time
		got, err := e.tenancy.UpdateAccount(e.ctx, a)
		ok(t, err, "Tenancy.UpdateAccount")
		a.CreditBalance, a.CreatedAt = 40, created
		a.UpdatedAt = e.clock.Now().UTC()
		compareAccount(t, "after UpdateAccount", got, a)
	})

	t.Run("NotFound", func(t *testing.T) {
		_, err := e.store.GetAccount(e.ctx, e.ids.NewID())
		wantCode(t, err, igny8.CodeNotFound, "GetAccount(missing)")
		err = e.store.UpdateAccount(e.ctx, igny8.Account{ID: e.ids.NewID(), Name: "x", PlanID: p.ID})
		wantCode(t, err, igny8.CodeNotFound, "UpdateAccount(missing)")
	})

	t.Run("DuplicateID", func(t *testing.T) {
		a := e.account(p, "")
		dup := a
		dup.Name = "twin"
		wantCode(t, e.store.CreateAccount(e.ctx, dup), igny8.CodeConflict, "CreateAccount with an existing id")
	})

	t.Run("Validation", func(t *testing.T) {
		cases := []struct {
			name  string
			acct  igny8.Account
			field string
		}{
			{"empty name", igny8.Account{PlanID: p.ID}, "name"},
			{"no plan", igny8.Account{Name: "x"}, "plan_id"},
			{"unknown plan", igny8.Account{Name: "x", PlanID: e.ids.NewID()}, "plan_id"},
			{"bad time zone", igny8.Account{Name: "x", PlanID: p.ID, TimeZone: "Mars/Olympus"}, "time_zone"},
		}
		for _, c := range cases {
			_, err := e.tenancy.CreateAccount(e.ctx, c.acct)
			wantField(t, err, c.field, "CreateAccount("+c.name+")")
		}
	})

	t.Run("ListPagination", func(t *testing.T) {
		all := pages(t, "ListAccounts", 2, accountID, func(pr igny8.PageRequest) ([]igny8.Account, error) {
			return e.store.ListAccounts(e.ctx, pr)
		})
		// Add more so that the list spans several pages.
		for range 5 {
			e.account(p, "")
		}
		want, err := e.store.ListAccounts(e.ctx, igny8.PageRequest{Limit: 1000})
		ok(t, err, "ListAccounts")
		if len(want) != len(all)+5 {
			t.Fatalf("ListAccounts returned %d accounts, want %d", len(want), len(all)+5)
		}
		assertAscending(t, "ListAccounts", idsOf(want, accountID))
		got := pages(t, "ListAccounts", 2, accountID, func(pr igny8.PageRequest) ([]igny8.Account, error) {
			return e.store.ListAccounts(e.ctx, pr)
		})
		if !sameIDs(idsOf(got, accountID), idsOf(want, accountID)) {
			t.Errorf("paged ListAccounts = %v, want %v", idsOf(got, accountID), idsOf(want, accountID))
		}
	})
}

func testSites(t *testing.T, newStore func(t *testing.T) igny8.Store) {
	e := newEnv(t, newStore)
	a := e.account(e.plan(nil), "")
	scope := scopeOfAccount(a.ID)

	t.Run("CreateGetUpdate", func(t *testing.T) {
		// A name full of quoting hazards must come back byte for byte.
		name := `O'Brien's "Café" 🍰 ; DROP TABLE sites; -- \ %_`
		s, err := e.tenancy.CreateSite(e.ctx, scope, igny8.Site{Name: name, Domain: "blog.example.com", Active: true, AccountID: "ignored"})
		ok(t, err, "Tenancy.CreateSite")
		if s.AccountID != a.ID {
			t.Errorf("site account = %q, want %q", s.AccountID, a.ID)
		}
		got, err := e.store.GetSite(e.ctx, scope, s.ID)
		ok(t, err, "GetSite")
		compareSite(t, "GetSite", got, s)

		e.clock.Advance(time.Minute)
		s.Name, s.Domain, s.Active = "Blog 2", "news.example.com", false
		created := s.CreatedAt
		s.CreatedAt = s.CreatedAt.Add(time.Hour) // an update never moves the creation time
		upd, err := e.tenancy.UpdateSite(e.ctx, scope, s)
		ok(t, err, "Tenancy.UpdateSite")
		s.UpdatedAt, s.CreatedAt = e.clock.Now().UTC(), created
		compareSite(t, "after UpdateSite", upd, s)
	})

	t.Run("NotFound", func(t *testing.T) {
		missing := e.ids.NewID()
		_, err := e.store.GetSite(e.ctx, scope, missing)
		wantCode(t, err, igny8.CodeNotFound, "GetSite(missing)")
		err = e.store.UpdateSite(e.ctx, scope, igny8.Site{ID: missing, AccountID: a.ID, Name: "x"})
		wantCode(t, err, igny8.CodeNotFound, "UpdateSite(missing)")
		wantCode(t, e.store.DeleteSite(e.ctx, scope, missing), igny8.CodeNotFound, "DeleteSite(missing)")
	})

	t.Run("Validation", func(t *testing.T) {
		cases := []struct {
			name  string
			scope igny8.Scope
			site  igny8.Site
			field string
		}{
			{"empty name", scope, igny8.Site{Name: " "}, "name"},
			{"bad domain", scope, igny8.Site{Name: "x", Domain: "http://x.example/"}, "domain"},
			{"no account", igny8.Scope{}, igny8.Site{Name: "x"}, "scope.account_id"},
		}
		for _, c := range cases {
			_, err := e.tenancy.CreateSite(e.ctx, c.scope, c.site)
			wantField(t, err, c.field, "CreateSite("+c.name+")")
		}
	})

	t.Run("ListPagination", func(t *testing.T) {
		for i := range 5 {
			e.site(scope, fmt.Sprintf("Site %d", i))
		}
		want, err := e.store.ListSites(e.ctx, scope, igny8.PageRequest{})
		ok(t, err, "ListSites")
		if len(want) != 6 {
			t.Fatalf("ListSites returned %d sites, want 6", len(want))
		}
		assertAscending(t, "ListSites", idsOf(want, siteID))
		got := pages(t, "ListSites", 2, siteID, func(pr igny8.PageRequest) ([]igny8.Site, error) {
			return e.store.ListSites(e.ctx, scope, pr)
		})
		if !sameIDs(idsOf(got, siteID), idsOf(want, siteID)) {
			t.Errorf("paged ListSites = %v, want %v", idsOf(got, siteID), idsOf(want, siteID))
		}
		// A cursor whose row is gone still pages on from where it was.
		ok(t, e.tenancy.DeleteSite(e.ctx, scope, want[2].ID), "DeleteSite")
		next, err := e.store.ListSites(e.ctx, scope, igny8.PageRequest{Limit: 2, After: want[2].ID})
		ok(t, err, "ListSites after a deleted cursor")
		if !sameIDs(idsOf(next, siteID), []string{want[3].ID, want[4].ID}) {
			t.Errorf("ListSites after the deleted site = %v, want %v", idsOf(next, siteID), []string{want[3].ID, want[4].ID})
		}
	})

	t.Run("DeleteRemovesSectors", func(t *testing.T) {
		keep := e.site(scope, "Keep")
		kept := e.sector(keep.Scope(), "Kept sector")
		s := e.site(scope, "Doomed")
		s1 := e.sector(s.Scope(), "One")
		s2 := e.sector(s.Scope(), "Two")
		ok(t, e.tenancy.DeleteSite(e.ctx, scope, s.ID), "Tenancy.DeleteSite")
		_, err := e.store.GetSite(e.ctx, scope, s.ID)
		wantCode(t, err, igny8.CodeNotFound, "GetSite after delete")
		for _, sec := range []igny8.Sector{s1, s2} {
			_, err := e.store.GetSector(e.ctx, scope, sec.ID)
			wantCode(t, err, igny8.CodeNotFound, "GetSector of a deleted site")
		}
		left, err := e.store.ListSectors(e.ctx, scope, igny8.PageRequest{})
		ok(t, err, "ListSectors")
		if !sameIDs(idsOf(left, sectorID), []string{kept.ID}) {
			t.Errorf("sectors left after DeleteSite = %v, want only %s", idsOf(left, sectorID), kept.ID)
		}
		wantCode(t, e.store.DeleteSite(e.ctx, scope, s.ID), igny8.CodeNotFound, "DeleteSite twice")
	})
}

func testMaxSites(t *testing.T, newStore func(t *testing.T) igny8.Store) {
	e := newEnv(t, newStore)
	a := e.account(e.plan(map[igny8.Limit]int64{igny8.LimitMaxSites: 2}), "")
	scope := scopeOfAccount(a.ID)
	first := e.site(scope, "One")
	e.site(scope, "Two")
	_, err := e.tenancy.CreateSite(e.ctx, scope, igny8.Site{Name: "Three"})
	var le *igny8.LimitError
	if !errors.As(err, &le) {
		t.Fatalf("third site on max_sites=2: got %v, want a *igny8.LimitError", err)
	}
	if le.Limit != igny8.LimitMaxSites || le.Max != 2 || le.Used != 2 || le.Requested != 1 {
		t.Errorf("LimitError = %+v, want limit max_sites, max 2, used 2, requested 1", *le)
	}
	if !errors.Is(err, igny8.ErrLimitExceeded) {
		t.Errorf("%v does not match ErrLimitExceeded", err)
	}
	list, err := e.store.ListSites(e.ctx, scope, igny8.PageRequest{})
	ok(t, err, "ListSites")
	if len(list) != 2 {
		t.Errorf("after a refused CreateSite the account has %d sites, want 2", len(list))
	}
	ok(t, e.tenancy.DeleteSite(e.ctx, scope, first.ID), "DeleteSite")
	if _, err := e.tenancy.CreateSite(e.ctx, scope, igny8.Site{Name: "Three"}); err != nil {
		t.Errorf("CreateSite after deleting one of two: %v", err)
	}

	// Concurrent creates never pass the limit.
	b := e.account(e.plan(map[igny8.Limit]int64{igny8.LimitMaxSites: 3}), "")
	bScope := scopeOfAccount(b.ID)
	codes := concurrently(10, func(i int) error {
		_, err := e.tenancy.CreateSite(e.ctx, bScope, igny8.Site{Name: fmt.Sprintf("Racer %d", i)})
		return err
	})
	if codes[""] != 3 || codes[igny8.CodeLimitExceeded] != 7 || len(codes) != 2 {
		t.Errorf("10 concurrent CreateSite on max_sites=3: outcomes %v, want 3 ok and 7 %s", codes, igny8.CodeLimitExceeded)
	}
	list, err = e.store.ListSites(e.ctx, bScope, igny8.PageRequest{})
	ok(t, err, "ListSites")
	if len(list) != 3 {
		t.Errorf("after the race the account has %d sites, want 3", len(list))
	}
}

func testSectors(t *testing.T, newStore func(t *testing.T) igny8.Store) {
	e := newEnv(t, newStore)
	a, siteScope := e.tenant(nil, "")
	scope := scopeOfAccount(a.ID)
	other := e.site(scope, "Other")

	t.Run("CreateGetUpdateDelete", func(t *testing.T) {
		s, err := e.tenancy.CreateSector(e.ctx, siteScope, igny8.Sector{Name: "Crème Brûlée"})
		ok(t, err, "Tenancy.CreateSector")
		if s.Slug != "creme-brulee" || s.SiteID != siteScope.SiteID || s.AccountID != a.ID {
			t.Errorf("created sector = %+v, want slug creme-brulee in %s", s, siteScope)
		}
		got, err := e.store.GetSector(e.ctx, scope, s.ID)
		ok(t, err, "GetSector")
		compareSector(t, "GetSector", got, s)
		got, err = e.store.GetSector(e.ctx, siteScope, s.ID)
		ok(t, err, "GetSector in its site's scope")
		compareSector(t, "GetSector in site scope", got, s)

		s.Name, s.Slug = "Desserts", "desserts"
		// A time in another zone with nanoseconds: the store keeps the
		// instant (to the microsecond), whatever the zone.
		tokyo, err := time.LoadLocation("Asia/Tokyo")
		ok(t, err, "LoadLocation")
		s.UpdatedAt = s.UpdatedAt.Add(time.Hour + 789*time.Nanosecond).In(tokyo)
		created := s.CreatedAt
		s.CreatedAt = s.CreatedAt.Add(time.Hour) // an update never moves the creation time
		ok(t, e.store.UpdateSector(e.ctx, scope, s), "UpdateSector")
		s.CreatedAt = created
		got, err = e.store.GetSector(e.ctx, scope, s.ID)
		ok(t, err, "GetSector after update")
		compareSector(t, "after UpdateSector", got, s)

		ok(t, e.store.DeleteSector(e.ctx, scope, s.ID), "DeleteSector")
		_, err = e.store.GetSector(e.ctx, scope, s.ID)
		wantCode(t, err, igny8.CodeNotFound, "GetSector after delete")
		wantCode(t, e.store.DeleteSector(e.ctx, scope, s.ID), igny8.CodeNotFound, "DeleteSector twice")
		wantCode(t, e.store.UpdateSector(e.ctx, scope, s), igny8.CodeNotFound, "UpdateSector of a deleted sector")
	})

	t.Run("MissingSite", func(t *testing.T) {
		missing := igny8.Scope{AccountID: a.ID, SiteID: e.ids.NewID()}
		_, err := e.tenancy.CreateSector(e.ctx, missing, igny8.Sector{Name: "Orphan"})
		wantCode(t, err, igny8.CodeNotFound, "CreateSector in a missing site")
	})

	t.Run("Validation", func(t *testing.T) {
		cases := []struct {
			name   string
			scope  igny8.Scope
			sector igny8.Sector
			field  string
		}{
			{"empty name", siteScope, igny8.Sector{}, "name"},
			{"bad slug", siteScope, igny8.Sector{Name: "x", Slug: "../x"}, "slug"},
			{"no site", scope, igny8.Sector{Name: "x"}, "scope.site_id"},
		}
		for _, c := range cases {
			_, err := e.tenancy.CreateSector(e.ctx, c.scope, c.sector)
			wantField(t, err, c.field, "CreateSector("+c.name+")")
		}
	})

	t.Run("ListBySiteAndPagination", func(t *testing.T) {
		var inSite, inOther []string
		for i := range 4 {
			inSite = append(inSite, e.sector(siteScope, fmt.Sprintf("Topic %d", i)).ID)
			inOther = append(inOther, e.sector(other.Scope(), fmt.Sprintf("Other %d", i)).ID)
		}
		got := pages(t, "ListSectors(site)", 3, sectorID, func(pr igny8.PageRequest) ([]igny8.Sector, error) {
			return e.store.ListSectors(e.ctx, siteScope, pr)
		})
		if !sameIDs(idsOf(got, sectorID), inSite) {
			t.Errorf("ListSectors(site) = %v, want %v", idsOf(got, sectorID), inSite)
		}
		all := pages(t, "ListSectors(account)", 3, sectorID, func(pr igny8.PageRequest) ([]igny8.Sector, error) {
			return e.store.ListSectors(e.ctx, scope, pr)
		})
		if len(all) != 8 {
			t.Errorf("ListSectors(account) returned %d sectors, want 8", len(all))
		}
		assertAscending(t, "ListSectors(account)", idsOf(all, sectorID))
	})
}

func testUsers(t *testing.T, newStore func(t *testing.T) igny8.Store) {
	e := newEnv(t, newStore)
	a := e.account(e.plan(map[igny8.Limit]int64{igny8.LimitMaxUsers: 6}), "")
	scope := scopeOfAccount(a.ID)
	b := e.account(e.plan(nil), "")

	t.Run("CreateGetUpdateDelete", func(t *testing.T) {
		u, err := e.tenancy.CreateUser(e.ctx, scope, igny8.User{Email: "Ana@Example.com", Name: "Ana", Role: igny8.RoleAdmin})
		ok(t, err, "Tenancy.CreateUser")
		if u.Email != "ana@example.com" || u.AccountID != a.ID {
			t.Errorf("created user = %+v, want email ana@example.com in %s", u, a.ID)
		}
		got, err := e.store.GetUser(e.ctx, scope, u.ID)
		ok(t, err, "GetUser")
		compareUser(t, "GetUser", got, u)
		got, err = e.store.GetUserByEmail(e.ctx, scope, "ana@example.com")
		ok(t, err, "GetUserByEmail")
		compareUser(t, "GetUserByEmail", got, u)

		u.Name, u.Role, u.IsSuperuser = "Ana B.", igny8.RoleViewer, true
		u.UpdatedAt = u.UpdatedAt.Add(time.Hour)
		created := u.CreatedAt
		u.CreatedAt = u.CreatedAt.Add(time.Hour) // an update never moves the creation time
		ok(t, e.store.UpdateUser(e.ctx, scope, u), "UpdateUser")
		u.CreatedAt = created
		got, err = e.store.GetUser(e.ctx, scope, u.ID)
		ok(t, err, "GetUser after update")
		compareUser(t, "after UpdateUser", got, u)

		ok(t, e.tenancy.DeleteUser(e.ctx, scope, u.ID), "Tenancy.DeleteUser")
		_, err = e.store.GetUser(e.ctx, scope, u.ID)
		wantCode(t, err, igny8.CodeNotFound, "GetUser after delete")
		_, err = e.store.GetUserByEmail(e.ctx, scope, u.Email)
		wantCode(t, err, igny8.CodeNotFound, "GetUserByEmail after delete")
		wantCode(t, e.store.DeleteUser(e.ctx, scope, u.ID), igny8.CodeNotFound, "DeleteUser twice")
		wantCode(t, e.store.UpdateUser(e.ctx, scope, u), igny8.CodeNotFound, "UpdateUser of a deleted user")
	})

	t.Run("DuplicateEmail", func(t *testing.T) {
		u, err := e.tenancy.CreateUser(e.ctx, scope, igny8.User{Email: "dup@example.com", Role: igny8.RoleEditor})
		ok(t, err, "CreateUser")
		_, err = e.tenancy.CreateUser(e.ctx, scope, igny8.User{Email: "dup@example.com", Role: igny8.RoleViewer})
		wantCode(t, err, igny8.CodeConflict, "Tenancy.CreateUser with a taken email")
		raw := igny8.User{ID: e.ids.NewID(), AccountID: a.ID, Email: "dup@example.com", Role: igny8.RoleViewer, CreatedAt: e.clock.Now(), UpdatedAt: e.clock.Now()}
		wantCode(t, e.store.CreateUser(e.ctx, scope, raw), igny8.CodeConflict, "store CreateUser with a taken email")
		// The email is unique per account, not across accounts.
		if _, err := e.tenancy.CreateUser(e.ctx, scope.Account(), igny8.User{Email: "other@example.com", Role: igny8.RoleViewer}); err != nil {
			t.Errorf("CreateUser with a fresh email: %v", err)
		}
		if _, err := e.tenancy.CreateUser(e.ctx, scopeOfAccount(b.ID), igny8.User{Email: "dup@example.com", Role: igny8.RoleOwner}); err != nil {
			t.Errorf("CreateUser with the same email in another account: %v", err)
		}
		// An update to a taken email is a Conflict too.
		other, err := e.store.GetUserByEmail(e.ctx, scope, "other@example.com")
		ok(t, err, "GetUserByEmail(other)")
		other.Email = u.Email
		wantCode(t, e.store.UpdateUser(e.ctx, scope, other), igny8.CodeConflict, "UpdateUser to a taken email")
		// The refused write left the users as they were, and the refused
		// create gave its max_users slot back.
		used := e.usage(igny8.UsageKey{AccountID: a.ID, Limit: igny8.LimitMaxUsers})
		list, err := e.store.ListUsers(e.ctx, scope, igny8.PageRequest{})
		ok(t, err, "ListUsers")
		if int64(len(list)) != used {
			t.Errorf("account has %d users but max_users usage is %d", len(list), used)
		}
		got, err := e.store.GetUser(e.ctx, scope, other.ID)
		ok(t, err, "GetUser(other)")
		if got.Email != "other@example.com" {
			t.Errorf("refused UpdateUser changed the email to %q", got.Email)
		}
	})

	t.Run("ConcurrentSameEmail", func(t *testing.T) {
		c := e.account(e.plan(nil), "")
		cScope := scopeOfAccount(c.ID)
		codes := concurrently(10, func(i int) error {
			_, err := e.tenancy.CreateUser(e.ctx, cScope, igny8.User{Email: "race@example.com", Name: fmt.Sprint(i), Role: igny8.RoleEditor})
			return err
		})
		if codes[""] != 1 || codes[igny8.CodeConflict] != 9 || len(codes) != 2 {
			t.Errorf("10 concurrent CreateUser with one email: outcomes %v, want 1 ok and 9 %s", codes, igny8.CodeConflict)
		}
		if n := e.usage(igny8.UsageKey{AccountID: c.ID, Limit: igny8.LimitMaxUsers}); n != 1 {
			t.Errorf("max_users usage after the race = %d, want 1 (refused creates give their slot back)", n)
		}
	})

	t.Run("Validation", func(t *testing.T) {
		cases := []struct {
			name  string
			user  igny8.User
			field string
		}{
			{"bad email", igny8.User{Email: "not an email", Role: igny8.RoleViewer}, "email"},
			{"named email", igny8.User{Email: "Ana <ana@example.com>", Role: igny8.RoleViewer}, "email"},
			{"bad role", igny8.User{Email: "x@example.com", Role: "god"}, "role"},
		}
		for _, c := range cases {
			_, err := e.tenancy.CreateUser(e.ctx, scope, c.user)
			wantField(t, err, c.field, "CreateUser("+c.name+")")
		}
	})

	t.Run("MaxUsers", func(t *testing.T) {
		list, err := e.store.ListUsers(e.ctx, scope, igny8.PageRequest{})
		ok(t, err, "ListUsers")
		for i := len(list); i < 6; i++ {
			_, err := e.tenancy.CreateUser(e.ctx, scope, igny8.User{Email: fmt.Sprintf("u%d@example.com", i), Role: igny8.RoleViewer})
			ok(t, err, "CreateUser %d of 6", i+1)
		}
		_, err = e.tenancy.CreateUser(e.ctx, scope, igny8.User{Email: "seventh@example.com", Role: igny8.RoleViewer})
		var le *igny8.LimitError
		if !errors.As(err, &le) || le.Limit != igny8.LimitMaxUsers || le.Max != 6 || le.Used != 6 {
			t.Errorf("seventh user on max_users=6: got %v, want a LimitError max_users 6 used 6", err)
		}
		_, err = e.store.GetUserByEmail(e.ctx, scope, "seventh@example.com")
		wantCode(t, err, igny8.CodeNotFound, "user refused by max_users")
	})

	t.Run("ListPagination", func(t *testing.T) {
		want, err := e.store.ListUsers(e.ctx, scope, igny8.PageRequest{})
		ok(t, err, "ListUsers")
		if len(want) < 5 {
			t.Fatalf("ListUsers returned %d users, want at least 5", len(want))
		}
		assertAscending(t, "ListUsers", idsOf(want, userID))
		got := pages(t, "ListUsers", 2, userID, func(pr igny8.PageRequest) ([]igny8.User, error) {
			return e.store.ListUsers(e.ctx, scope, pr)
		})
		if !sameIDs(idsOf(got, userID), idsOf(want, userID)) {
			t.Errorf("paged ListUsers = %v, want %v", idsOf(got, userID), idsOf(want, userID))
		}
	})

	t.Run("NotFound", func(t *testing.T) {
		missing := e.ids.NewID()
		_, err := e.store.GetUser(e.ctx, scope, missing)
		wantCode(t, err, igny8.CodeNotFound, "GetUser(missing)")
		_, err = e.store.GetUserByEmail(e.ctx, scope, "nobody@example.com")
		wantCode(t, err, igny8.CodeNotFound, "GetUserByEmail(missing)")
		wantCode(t, e.store.DeleteUser(e.ctx, scope, missing), igny8.CodeNotFound, "DeleteUser(missing)")
	})
}

// assertAscending checks that ids are in strictly ascending order: the
// creation order of time-ordered IDs.
func assertAscending(t *testing.T, what string, ids []string) {
	t.Helper()
	for i := 1; i < len(ids); i++ {
		if ids[i-1] >= ids[i] {
			t.Errorf("%s: not in id (creation) order at %d: %s then %s", what, i, ids[i-1], ids[i])
			return
		}
	}
}

func compareAccount(t *testing.T, what string, got, want igny8.Account) {
	t.Helper()
	if got.ID != want.ID || got.Name != want.Name || got.PlanID != want.PlanID || got.TimeZone != want.TimeZone ||
		got.IsSystem != want.IsSystem || got.CreditBalance != want.CreditBalance ||
		!sameTime(got.CreatedAt, want.CreatedAt) || !sameTime(got.UpdatedAt, want.UpdatedAt) {
		t.Errorf("%s:\n got  %+v\n want %+v", what, got, want)
	}
}

func compareSite(t *testing.T, what string, got, want igny8.Site) {
	t.Helper()
	if got.ID != want.ID || got.AccountID != want.AccountID || got.Name != want.Name || got.Domain != want.Domain ||
		got.Active != want.Active || !sameTime(got.CreatedAt, want.CreatedAt) || !sameTime(got.UpdatedAt, want.UpdatedAt) {
		t.Errorf("%s:\n got  %+v\n want %+v", what, got, want)
	}
}

func compareSector(t *testing.T, what string, got, want igny8.Sector) {
	t.Helper()
	if got.ID != want.ID || got.AccountID != want.AccountID || got.SiteID != want.SiteID || got.Name != want.Name ||
		got.Slug != want.Slug || !sameTime(got.CreatedAt, want.CreatedAt) || !sameTime(got.UpdatedAt, want.UpdatedAt) {
		t.Errorf("%s:\n got  %+v\n want %+v", what, got, want)
	}
}

func compareUser(t *testing.T, what string, got, want igny8.User) {
	t.Helper()
	if got.ID != want.ID || got.AccountID != want.AccountID || got.Email != want.Email || got.Name != want.Name ||
		got.Role != want.Role || got.IsSuperuser != want.IsSuperuser ||
		!sameTime(got.CreatedAt, want.CreatedAt) || !sameTime(got.UpdatedAt, want.UpdatedAt) {
		t.Errorf("%s:\n got  %+v\n want %+v", what, got, want)
	}
}
