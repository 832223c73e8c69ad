package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/igny8/sdk/igny8"
)

// IsolationCheck is one tenant-isolation assertion about one Store method:
// a caller in tenant A's scope (or a narrower one) aims at B's rows and
// must get NotFound, not see them in lists, and not count or change them.
type IsolationCheck struct {
	// Method is the igny8.Store method the check is about.
	Method string
	// Name says what the check tries.
	Name string
	// Run performs the check on a store holding f, returning an error
	// that says what leaked. It ends by verifying that B is unchanged.
	Run func(ctx context.Context, s igny8.Store, f *Fixture) error
}

// IsolationChecks returns the isolation checks, at least one for every
// Store method that takes a scope, an account or tenant data. Run calls
// each on a fresh store with a fresh Fixture.
func IsolationChecks() []IsolationCheck {
	var cs []IsolationCheck
	add := func(method, name string, run func(ctx context.Context, s igny8.Store, f *Fixture) error) {
		cs = append(cs, IsolationCheck{Method: method, Name: name, Run: func(ctx context.Context, s igny8.Store, f *Fixture) error {
			if err := run(ctx, s, f); err != nil {
				return err
			}
			if err := f.VerifyB(ctx, s); err != nil {
				return fmt.Errorf("%s changed tenant B: %w", method, err)
			}
			return nil
		}})
	}
	now := epoch().Add(time.Hour)

	// Accounts: by id, not by scope; what one account does never shows in
	// another's row.
	add("CreateAccount", "a new account leaves both tenants alone", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		c := igny8.Account{ID: (&igny8.UUIDv7{}).NewID(), Name: "Tenant c", PlanID: f.Plan.ID, CreatedAt: now, UpdatedAt: now}
		if err := s.CreateAccount(ctx, c); err != nil {
			return fmt.Errorf("CreateAccount: %w", err)
		}
		return f.VerifyA(ctx, s)
	})
	add("GetAccount", "the balance counts only the account's own ledger", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		a, err := s.GetAccount(ctx, f.A.Account.ID)
		if err != nil {
			return fmt.Errorf("GetAccount(A): %w", err)
		}
		if a.ID != f.A.Account.ID || a.Name != f.A.Account.Name || a.CreditBalance != 85 {
			return fmt.Errorf("GetAccount(A) = %+v, want A with balance 85", a)
		}
		return nil
	})
	add("UpdateAccount", "changes only the account updated", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		a := f.A.Account
		a.Name, a.TimeZone, a.UpdatedAt = "Tenant a renamed", "Asia/Tokyo", now
		if err := s.UpdateAccount(ctx, a); err != nil {
			return fmt.Errorf("UpdateAccount(A): %w", err)
		}
		got, err := s.GetAccount(ctx, a.ID)
		if err != nil || got.Name != a.Name || got.CreditBalance != 85 {
			return fmt.Errorf("GetAccount(A) after update = %+v, %v; want the new name and balance 85", got, err)
		}
		return nil
	})
	add("ListAccounts", "lists each tenant once with its own balance", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		var list []igny8.Account
		for after := ""; ; {
			page, err := s.ListAccounts(ctx, igny8.PageRequest{Limit: igny8.MaxPageLimit, After: after})
			if err != nil {
				return fmt.Errorf("ListAccounts: %w", err)
			}
			list = append(list, page...)
			if len(page) < igny8.MaxPageLimit {
				break
			}
			after = page[len(page)-1].ID
		}
		want := map[string]int64{f.A.Account.ID: 85, f.B.Account.ID: 450}
		seen := map[string]int{}
		for _, a := range list {
			seen[a.ID]++
			if bal, ok := want[a.ID]; ok && a.CreditBalance != bal {
				return fmt.Errorf("ListAccounts shows %s with balance %d, want %d", a.Name, a.CreditBalance, bal)
			}
		}
		if seen[f.A.Account.ID] != 1 || seen[f.B.Account.ID] != 1 {
			return fmt.Errorf("ListAccounts = %v, want A and B once each", idsOf(list, accountID))
		}
		return nil
	})

	// Sites.
	add("CreateSite", "takes the account from the scope, not the row", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		site := igny8.Site{ID: (&igny8.UUIDv7{}).NewID(), AccountID: f.B.Account.ID, Name: "Smuggled", CreatedAt: now, UpdatedAt: now}
		if err := s.CreateSite(ctx, f.A.Scope(), site); err != nil {
			return fmt.Errorf("CreateSite(A scope): %w", err)
		}
		if _, err := s.GetSite(ctx, f.B.Scope(), site.ID); igny8.CodeOf(err) != igny8.CodeNotFound {
			return fmt.Errorf("a site created in A's scope with B's account id is visible to B (GetSite: %v)", err)
		}
		got, err := s.GetSite(ctx, f.A.Scope(), site.ID)
		if err != nil || got.AccountID != f.A.Account.ID {
			return fmt.Errorf("GetSite(A) of a site created in A's scope = %+v, %v; want it in account A", got, err)
		}
		return nil
	})
	add("GetSite", "other account's site", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		got, err := s.GetSite(ctx, f.A.Scope(), f.B.Sites[0].ID)
		return leakIf(err, got, "GetSite(A scope, B's site)")
	})
	add("GetSite", "other account's site in a site scope naming it", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		got, err := s.GetSite(ctx, igny8.Scope{AccountID: f.A.Account.ID, SiteID: f.B.Sites[0].ID}, f.B.Sites[0].ID)
		return leakIf(err, got, "GetSite(A account with B's site id)")
	})
	add("ListSites", "lists only the account's sites", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		list, err := s.ListSites(ctx, f.A.Scope(), igny8.PageRequest{})
		if err != nil {
			return fmt.Errorf("ListSites(A): %w", err)
		}
		return sameList("ListSites(A)", idsOf(list, siteID), idsOf(f.A.Sites, siteID))
	})
	add("UpdateSite", "other account's site", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		site := f.B.Sites[0]
		site.Name, site.UpdatedAt = "Hijacked", now
		return codeErr(s.UpdateSite(ctx, f.A.Scope(), site), igny8.CodeNotFound, "UpdateSite(A scope, B's site)")
	})
	add("UpdateSite", "other account's site with the row claiming A", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		site := f.B.Sites[0]
		site.AccountID, site.Name, site.UpdatedAt = f.A.Account.ID, "Stolen", now
		return codeErr(s.UpdateSite(ctx, f.A.Scope(), site), igny8.CodeNotFound, "UpdateSite(A scope, B's site id with account A)")
	})
	add("DeleteSite", "other account's site", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		return codeErr(s.DeleteSite(ctx, f.A.Scope(), f.B.Sites[0].ID), igny8.CodeNotFound, "DeleteSite(A scope, B's site)")
	})

	// Sectors.
	add("CreateSector", "under the other account's site", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		sec := igny8.Sector{ID: (&igny8.UUIDv7{}).NewID(), AccountID: f.A.Account.ID, SiteID: f.B.Sites[0].ID, Name: "Planted", Slug: "planted", CreatedAt: now, UpdatedAt: now}
		return codeErr(s.CreateSector(ctx, igny8.Scope{AccountID: f.A.Account.ID, SiteID: f.B.Sites[0].ID}, sec), igny8.CodeNotFound, "CreateSector(A account, B's site)")
	})
	add("CreateSector", "takes account and site from the scope, not the row", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		sec := igny8.Sector{ID: (&igny8.UUIDv7{}).NewID(), AccountID: f.B.Account.ID, SiteID: f.B.Sites[0].ID, Name: "Smuggled", Slug: "smuggled", CreatedAt: now, UpdatedAt: now}
		if err := s.CreateSector(ctx, f.A.SiteScope(0), sec); err != nil {
			return fmt.Errorf("CreateSector(A's site scope): %w", err)
		}
		got, err := s.GetSector(ctx, f.A.SiteScope(0), sec.ID)
		if err != nil || got.AccountID != f.A.Account.ID || got.SiteID != f.A.Sites[0].ID {
			return fmt.Errorf("GetSector(A's site) of a sector created there = %+v, %v; want it in A's site", got, err)
		}
		return nil
	})
	add("GetSector", "other account's sector", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		got, err := s.GetSector(ctx, f.A.Scope(), f.B.Sectors[0].ID)
		return leakIf(err, got, "GetSector(A scope, B's sector)")
	})
	add("GetSector", "other account's sector with its site in scope", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		got, err := s.GetSector(ctx, igny8.Scope{AccountID: f.A.Account.ID, SiteID: f.B.Sites[0].ID}, f.B.Sectors[0].ID)
		return leakIf(err, got, "GetSector(A account with B's site, B's sector)")
	})
	add("GetSector", "sector of the account's other site", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		got, err := s.GetSector(ctx, f.A.SiteScope(0), f.A.Sectors[1].ID)
		return leakIf(err, got, "GetSector(A's site 0, A's site 1 sector)")
	})
	add("GetSector", "another sector of the same site in a sector scope", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		other := igny8.Sector{ID: (&igny8.UUIDv7{}).NewID(), Name: "Sibling", Slug: "sibling", CreatedAt: now, UpdatedAt: now}
		if err := s.CreateSector(ctx, f.A.SiteScope(0), other); err != nil {
			return fmt.Errorf("CreateSector(A's site 0): %w", err)
		}
		got, err := s.GetSector(ctx, f.A.SectorScope(0), other.ID)
		return leakIf(err, got, "GetSector(A's sector 0 scope, a sibling sector)")
	})
	add("ListSectors", "lists only the account's sectors", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		list, err := s.ListSectors(ctx, f.A.Scope(), igny8.PageRequest{})
		if err != nil {
			return fmt.Errorf("ListSectors(A): %w", err)
		}
		return sameList("ListSectors(A)", idsOf(list, sectorID), idsOf(f.A.Sectors, sectorID))
	})
	add("ListSectors", "lists only the scope's site", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		list, err := s.ListSectors(ctx, f.A.SiteScope(0), igny8.PageRequest{})
		if err != nil {
			return fmt.Errorf("ListSectors(A's site 0): %w", err)
		}
		return sameList("ListSectors(A's site 0)", idsOf(list, sectorID), []string{f.A.Sectors[0].ID})
	})
	add("ListSectors", "other account's site in scope", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		list, err := s.ListSectors(ctx, igny8.Scope{AccountID: f.A.Account.ID, SiteID: f.B.Sites[0].ID}, igny8.PageRequest{})
		if err != nil && igny8.CodeOf(err) != igny8.CodeNotFound {
			return fmt.Errorf("ListSectors(A account, B's site): %w", err)
		}
		return sameList("ListSectors(A account, B's site)", idsOf(list, sectorID), nil)
	})
	add("UpdateSector", "other account's sector", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		sec := f.B.Sectors[0]
		sec.Name, sec.UpdatedAt = "Hijacked", now
		return codeErr(s.UpdateSector(ctx, f.A.Scope(), sec), igny8.CodeNotFound, "UpdateSector(A scope, B's sector)")
	})
	add("UpdateSector", "sector of the account's other site", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		sec := f.A.Sectors[1]
		sec.Name, sec.UpdatedAt = "Crossed", now
		if err := codeErr(s.UpdateSector(ctx, f.A.SiteScope(0), sec), igny8.CodeNotFound, "UpdateSector(A's site 0, A's site 1 sector)"); err != nil {
			return err
		}
		return f.VerifyA(ctx, s)
	})
	add("DeleteSector", "other account's sector", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		return codeErr(s.DeleteSector(ctx, f.A.Scope(), f.B.Sectors[0].ID), igny8.CodeNotFound, "DeleteSector(A scope, B's sector)")
	})
	add("DeleteSector", "sector of the account's other site", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		if err := codeErr(s.DeleteSector(ctx, f.A.SiteScope(0), f.A.Sectors[1].ID), igny8.CodeNotFound, "DeleteSector(A's site 0, A's site 1 sector)"); err != nil {
			return err
		}
		return f.VerifyA(ctx, s)
	})

	// Users.
	add("CreateUser", "an email only the other account uses is free", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		u := igny8.User{ID: (&igny8.UUIDv7{}).NewID(), AccountID: f.B.Account.ID, Email: f.B.Users[1].Email, Role: igny8.RoleViewer, CreatedAt: now, UpdatedAt: now}
		if err := s.CreateUser(ctx, f.A.Scope(), u); err != nil {
			return fmt.Errorf("CreateUser(A scope) with an email B uses: %w (emails are unique per account)", err)
		}
		got, err := s.GetUserByEmail(ctx, f.A.Scope(), u.Email)
		if err != nil || got.ID != u.ID || got.AccountID != f.A.Account.ID {
			return fmt.Errorf("GetUserByEmail(A) = %+v, %v; want the new user in account A", got, err)
		}
		return nil
	})
	add("GetUser", "other account's user", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		got, err := s.GetUser(ctx, f.A.Scope(), f.B.Users[0].ID)
		return leakIf(err, got, "GetUser(A scope, B's user)")
	})
	add("GetUserByEmail", "an email only the other account uses", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		got, err := s.GetUserByEmail(ctx, f.A.Scope(), f.B.Users[1].Email)
		return leakIf(err, got, "GetUserByEmail(A scope, B's email)")
	})
	add("GetUserByEmail", "an email both accounts use", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		got, err := s.GetUserByEmail(ctx, f.A.Scope(), SharedEmail)
		if err != nil || got.ID != f.A.Users[0].ID {
			return fmt.Errorf("GetUserByEmail(A scope, %s) = %+v, %v; want A's user %s", SharedEmail, got, err, f.A.Users[0].ID)
		}
		return nil
	})
	add("ListUsers", "lists only the account's users", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		list, err := s.ListUsers(ctx, f.A.Scope(), igny8.PageRequest{})
		if err != nil {
			return fmt.Errorf("ListUsers(A): %w", err)
		}
		return sameList("ListUsers(A)", idsOf(list, userID), idsOf(f.A.Users, userID))
	})
	add("UpdateUser", "other account's user", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		u := f.B.Users[0]
		u.Role, u.IsSuperuser, u.UpdatedAt = igny8.RoleOwner, true, now
		return codeErr(s.UpdateUser(ctx, f.A.Scope(), u), igny8.CodeNotFound, "UpdateUser(A scope, B's user)")
	})
	add("DeleteUser", "other account's user", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		return codeErr(s.DeleteUser(ctx, f.A.Scope(), f.B.Users[0].ID), igny8.CodeNotFound, "DeleteUser(A scope, B's user)")
	})

	// Usage counters: A's keys never read or move B's counters, even for
	// the same limit, or for B's site under A's account.
	crossKey := func(f *Fixture) igny8.UsageKey {
		k := f.B.DailyKey
		k.AccountID = f.A.Account.ID
		return k
	}
	add("GetUsage", "reads only the key's own counter", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		for _, c := range []struct {
			name string
			key  igny8.UsageKey
			want int64
		}{
			{"A's count", f.A.CountKey, 3},
			{"A's daily", f.A.DailyKey, 4},
			{"A's account with B's site", crossKey(f), 0},
		} {
			n, err := s.GetUsage(ctx, c.key)
			if err != nil || n != c.want {
				return fmt.Errorf("GetUsage(%s) = %d, %v; want %d", c.name, n, err, c.want)
			}
		}
		return nil
	})
	add("ReserveUsage", "counts only the key's own counter", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		n, err := s.ReserveUsage(ctx, f.A.CountKey, 1, 4)
		if err != nil || n != 4 {
			return fmt.Errorf("ReserveUsage(A's count 3 +1, max 4) = %d, %v; want 4", n, err)
		}
		n, err = s.ReserveUsage(ctx, crossKey(f), 1, 1)
		if err != nil || n != 1 {
			return fmt.Errorf("ReserveUsage(A's account with B's site, +1, max 1) = %d, %v; want 1 (B's 9 is not A's)", n, err)
		}
		return nil
	})
	add("ReleaseUsage", "releases only the key's own counter", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		if err := s.ReleaseUsage(ctx, f.A.CountKey, 100); err != nil {
			return fmt.Errorf("ReleaseUsage(A's count): %w", err)
		}
		if err := s.ReleaseUsage(ctx, crossKey(f), 100); err != nil {
			return fmt.Errorf("ReleaseUsage(A's account with B's site): %w", err)
		}
		if n, err := s.GetUsage(ctx, f.A.CountKey); err != nil || n != 0 {
			return fmt.Errorf("GetUsage(A's count) after release = %d, %v; want 0", n, err)
		}
		return nil
	})

	// Ledger: idempotency keys and balances are per account.
	add("ApplyLedger", "a key only the other account used is new", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		e := igny8.LedgerEntry{ID: (&igny8.UUIDv7{}).NewID(), AccountID: f.A.Account.ID, Kind: igny8.LedgerGrant, Amount: 1, Reason: "bonus", IdempotencyKey: f.B.OnlyKey, CreatedAt: now}
		got, err := s.ApplyLedger(ctx, e)
		if err != nil {
			return fmt.Errorf("ApplyLedger(A, B's key): %w", err)
		}
		if got.ID != e.ID || got.AccountID != f.A.Account.ID || got.Amount != 1 || got.BalanceAfter != 86 {
			return fmt.Errorf("ApplyLedger(A, B's key) = %+v, want a new entry of A with balance_after 86", got)
		}
		return nil
	})
	add("ApplyLedger", "a key both used is compared with the account's own entry", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		// B's "welcome" grant is 500, A's is 100: a retry of 500 conflicts
		// with A's entry, and must not answer with B's.
		e := igny8.LedgerEntry{ID: (&igny8.UUIDv7{}).NewID(), AccountID: f.A.Account.ID, Kind: igny8.LedgerGrant, Amount: 500, Reason: "welcome", IdempotencyKey: "welcome", CreatedAt: now}
		got, err := s.ApplyLedger(ctx, e)
		if igny8.CodeOf(err) != igny8.CodeConflict {
			return fmt.Errorf("ApplyLedger(A, welcome 500) = %+v, %v; want Conflict with A's welcome of 100", got, err)
		}
		return nil
	})
	add("ApplyLedger", "a debit is checked against the account's own balance", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		e := igny8.LedgerEntry{ID: (&igny8.UUIDv7{}).NewID(), AccountID: f.A.Account.ID, Kind: igny8.LedgerDebit, Amount: -86, Reason: "too much", IdempotencyKey: "too-much", CreatedAt: now}
		_, err := s.ApplyLedger(ctx, e)
		var ce *igny8.CreditError
		if !errors.As(err, &ce) || ce.Balance != 85 {
			return fmt.Errorf("ApplyLedger(A, debit 86 of 85) = %v; want a *igny8.CreditError with balance 85", err)
		}
		return nil
	})
	add("GetLedgerEntry", "a key only the other account used", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		got, err := s.GetLedgerEntry(ctx, f.A.Account.ID, f.B.OnlyKey)
		return leakIf(err, got, "GetLedgerEntry(A, B's key)")
	})
	add("GetLedgerEntry", "a key both used", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		got, err := s.GetLedgerEntry(ctx, f.A.Account.ID, "welcome")
		if err != nil || got.ID != f.A.Ledger[0].ID || got.Amount != 100 {
			return fmt.Errorf("GetLedgerEntry(A, welcome) = %+v, %v; want A's grant of 100", got, err)
		}
		return nil
	})
	add("ListLedger", "lists only the account's entries", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		list, err := s.ListLedger(ctx, f.A.Account.ID, igny8.PageRequest{})
		if err != nil {
			return fmt.Errorf("ListLedger(A): %w", err)
		}
		return sameList("ListLedger(A)", idsOf(list, entryID), idsOf(f.A.Ledger, entryID))
	})

	// Events.
	add("AppendEvents", "an event in A's scope is not B's", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		ev := igny8.Event{ID: (&igny8.UUIDv7{}).NewID(), Type: igny8.EventIdeaCreated, Scope: f.A.SiteScope(0), Subject: "x", CreatedAt: now}
		if _, err := s.AppendEvents(ctx, ev); err != nil {
			return fmt.Errorf("AppendEvents(A): %w", err)
		}
		return nil
	})
	readIDs := func(ctx context.Context, s igny8.Store, consumer string, scope igny8.Scope, types ...igny8.EventType) ([]string, error) {
		evs, err := s.ReadEvents(ctx, igny8.EventQuery{Consumer: consumer, Scope: scope, Types: types, Limit: igny8.MaxPageLimit})
		if err != nil {
			return nil, fmt.Errorf("ReadEvents(%s, %s): %w", consumer, scope, err)
		}
		return idsOf(evs, eventID), nil
	}
	pick := func(evs []igny8.Event, idx ...int) []string {
		out := make([]string, 0, len(idx))
		for _, i := range idx {
			out = append(out, evs[i].ID)
		}
		return out
	}
	add("ReadEvents", "reads only the account's events", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		got, err := readIDs(ctx, s, "check", f.A.Scope())
		if err != nil {
			return err
		}
		return sameList("ReadEvents(A)", got, idsOf(f.A.Events, eventID))
	})
	add("ReadEvents", "reads only the scope's site and its sectors", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		got, err := readIDs(ctx, s, "check", f.A.SiteScope(0))
		if err != nil {
			return err
		}
		return sameList("ReadEvents(A's site 0)", got, pick(f.A.Events, 1, 2))
	})
	add("ReadEvents", "filters by type within the scope", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		got, err := readIDs(ctx, s, "check", f.A.Scope(), igny8.EventKeywordAdded)
		if err != nil {
			return err
		}
		return sameList("ReadEvents(A, keyword_added)", got, pick(f.A.Events, 1, 3))
	})
	add("ReadEvents", "other account's site in scope", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		got, err := readIDs(ctx, s, "check", igny8.Scope{AccountID: f.A.Account.ID, SiteID: f.B.Sites[0].ID})
		if err != nil {
			return err
		}
		return sameList("ReadEvents(A account, B's site)", got, nil)
	})
	add("ReadEvents", "a consumer's cursor is the account's own", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		// A acknowledged its first event, B its second (which lies after
		// A's second): A's reader resumes after A's first.
		got, err := readIDs(ctx, s, FixtureConsumer, f.A.Scope())
		if err != nil {
			return err
		}
		return sameList("ReadEvents("+FixtureConsumer+", A)", got, pick(f.A.Events, 1, 2, 3))
	})
	add("AckEvents", "does not move the other account's cursor", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		last := f.B.Events[len(f.B.Events)-1].Seq
		if err := s.AckEvents(ctx, FixtureConsumer, f.A.Scope(), last); err != nil {
			return fmt.Errorf("AckEvents(A, %d): %w", last, err)
		}
		got, err := readIDs(ctx, s, FixtureConsumer, f.A.Scope())
		if err != nil {
			return err
		}
		return sameList("ReadEvents(A) after acking everything", got, nil)
	})
	add("AckEvents", "a site scope's cursor is not the account's", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		last := f.A.Events[len(f.A.Events)-1].Seq
		if err := s.AckEvents(ctx, FixtureConsumer, f.A.SiteScope(0), last); err != nil {
			return fmt.Errorf("AckEvents(A's site 0, %d): %w", last, err)
		}
		return f.VerifyA(ctx, s)
	})
	// Rows that claim the other tenant: an update in A's scope of A's own
	// row must not move it into B.
	add("UpdateSite", "own site with the row claiming B", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		site := f.A.Sites[0]
		site.AccountID, site.UpdatedAt = f.B.Account.ID, now
		_ = s.UpdateSite(ctx, f.A.Scope(), site)
		if _, err := s.GetSite(ctx, f.A.Scope(), site.ID); err != nil {
			return fmt.Errorf("A's site after an update whose row names B: %w", err)
		}
		return nil
	})
	add("UpdateSector", "own sector with the row claiming B's site", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		sec := f.A.Sectors[0]
		sec.AccountID, sec.SiteID, sec.UpdatedAt = f.B.Account.ID, f.B.Sites[0].ID, now
		_ = s.UpdateSector(ctx, f.A.Scope(), sec)
		got, err := s.GetSector(ctx, f.A.SiteScope(0), sec.ID)
		if err != nil || got.AccountID != f.A.Account.ID || got.SiteID != f.A.Sites[0].ID {
			return fmt.Errorf("A's sector after an update whose row names B's site = %+v, %v; want it still in A's site 0", got, err)
		}
		return nil
	})
	add("UpdateSector", "own sector with the row claiming the account's other site", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		sec := f.A.Sectors[0]
		sec.SiteID, sec.UpdatedAt = f.A.Sites[1].ID, now
		_ = s.UpdateSector(ctx, f.A.SiteScope(0), sec)
		got, err := s.GetSector(ctx, f.A.SiteScope(0), sec.ID)
		if err != nil || got.SiteID != f.A.Sites[0].ID {
			return fmt.Errorf("A's sector after an update in site 0's scope whose row names site 1 = %+v, %v; want it still in site 0", got, err)
		}
		return nil
	})
	add("UpdateUser", "own user with the row claiming B", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		u := f.A.Users[1]
		u.AccountID, u.UpdatedAt = f.B.Account.ID, now
		_ = s.UpdateUser(ctx, f.A.Scope(), u)
		got, err := s.GetUser(ctx, f.A.Scope(), u.ID)
		if err != nil || got.AccountID != f.A.Account.ID {
			return fmt.Errorf("A's user after an update whose row names B = %+v, %v; want it still in A", got, err)
		}
		return nil
	})

	// An empty account in the scope is no wildcard: a store that leaves
	// out its tenant filter when a scope field is empty would hand out
	// every tenant's rows.
	noAccount := func(f *Fixture) igny8.Scope { return igny8.Scope{SiteID: f.B.Sites[0].ID} }
	add("GetSite", "scope without an account", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		got, err := s.GetSite(ctx, noAccount(f), f.B.Sites[0].ID)
		return refused(err, got, "GetSite(no account, B's site)")
	})
	add("ListSites", "scope without an account", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		list, err := s.ListSites(ctx, igny8.Scope{}, igny8.PageRequest{})
		return refusedList(err, idsOf(list, siteID), "ListSites(empty scope)")
	})
	add("UpdateSite", "scope without an account", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		site := f.B.Sites[0]
		site.Name, site.UpdatedAt = "Hijacked", now
		return refused(s.UpdateSite(ctx, noAccount(f), site), nil, "UpdateSite(no account, B's site)")
	})
	add("DeleteSite", "scope without an account", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		return refused(s.DeleteSite(ctx, noAccount(f), f.B.Sites[0].ID), nil, "DeleteSite(no account, B's site)")
	})
	add("CreateSector", "scope without an account", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		sec := igny8.Sector{ID: (&igny8.UUIDv7{}).NewID(), Name: "Planted", Slug: "planted", CreatedAt: now, UpdatedAt: now}
		return refused(s.CreateSector(ctx, noAccount(f), sec), nil, "CreateSector(no account, B's site)")
	})
	add("GetSector", "scope without an account", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		got, err := s.GetSector(ctx, noAccount(f), f.B.Sectors[0].ID)
		return refused(err, got, "GetSector(no account, B's sector)")
	})
	add("ListSectors", "scope without an account", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		list, err := s.ListSectors(ctx, noAccount(f), igny8.PageRequest{})
		return refusedList(err, idsOf(list, sectorID), "ListSectors(no account, B's site)")
	})
	add("UpdateSector", "scope without an account", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		sec := f.B.Sectors[0]
		sec.Name, sec.UpdatedAt = "Hijacked", now
		return refused(s.UpdateSector(ctx, noAccount(f), sec), nil, "UpdateSector(no account, B's sector)")
	})
	add("DeleteSector", "scope without an account", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		return refused(s.DeleteSector(ctx, noAccount(f), f.B.Sectors[0].ID), nil, "DeleteSector(no account, B's sector)")
	})
	add("GetUser", "scope without an account", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		got, err := s.GetUser(ctx, igny8.Scope{}, f.B.Users[0].ID)
		return refused(err, got, "GetUser(empty scope, B's user)")
	})
	add("GetUserByEmail", "scope without an account", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		got, err := s.GetUserByEmail(ctx, igny8.Scope{}, f.B.Users[1].Email)
		return refused(err, got, "GetUserByEmail(empty scope, B's email)")
	})
	add("ListUsers", "scope without an account", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		list, err := s.ListUsers(ctx, igny8.Scope{}, igny8.PageRequest{})
		return refusedList(err, idsOf(list, userID), "ListUsers(empty scope)")
	})
	add("UpdateUser", "scope without an account", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		u := f.B.Users[0]
		u.Role, u.UpdatedAt = igny8.RoleOwner, now
		return refused(s.UpdateUser(ctx, igny8.Scope{}, u), nil, "UpdateUser(empty scope, B's user)")
	})
	add("DeleteUser", "scope without an account", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		return refused(s.DeleteUser(ctx, igny8.Scope{}, f.B.Users[0].ID), nil, "DeleteUser(empty scope, B's user)")
	})
	add("GetLedgerEntry", "no account", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		got, err := s.GetLedgerEntry(ctx, "", f.B.OnlyKey)
		return refused(err, got, "GetLedgerEntry(no account, B's key)")
	})
	add("ListLedger", "no account", func(ctx context.Context, s igny8.Store, f *Fixture) error {
		list, err := s.ListLedger(ctx, "", igny8.PageRequest{})
		return refusedList(err, idsOf(list, entryID), "ListLedger(no account)")
	})
	return cs
}

// refused returns nil when err is NotFound or InvalidArgument: the call
// was refused.
func refused(err error, got any, what string) error {
	switch igny8.CodeOf(err) {
	case igny8.CodeNotFound, igny8.CodeInvalidArgument:
		return nil
	case "":
		if got == nil {
			return fmt.Errorf("%s: succeeded, want NotFound or InvalidArgument", what)
		}
		return fmt.Errorf("%s: returned %+v, want NotFound or InvalidArgument", what, got)
	}
	return fmt.Errorf("%s: got %v (code %q), want NotFound or InvalidArgument", what, err, igny8.CodeOf(err))
}

// refusedList returns nil when a list call was refused or listed nothing.
func refusedList(err error, ids []string, what string) error {
	if err != nil {
		return refused(err, nil, what)
	}
	return sameList(what, ids, nil)
}

// leakIf returns nil when err is NotFound, else an error showing what the
// call returned.
func leakIf(err error, got any, what string) error {
	if igny8.CodeOf(err) == igny8.CodeNotFound {
		return nil
	}
	if err != nil {
		return fmt.Errorf("%s: got %v (code %q), want NotFound", what, err, igny8.CodeOf(err))
	}
	return fmt.Errorf("%s: returned %+v, want NotFound", what, got)
}

// sameList compares id lists in order.
func sameList(what string, got, want []string) error {
	if !sameIDs(got, want) {
		return fmt.Errorf("%s = %v, want %v", what, got, want)
	}
	return nil
}

// testIsolation runs every check on a fixture of its own. The fixtures share
// one store: each has its own plan and accounts, so a check also runs
// beside the tenants of the checks before it, and a store that leaks across
// them fails too.
func testIsolation(t *testing.T, newStore func(t *testing.T) igny8.Store) {
	s := newStore(t)
	for _, c := range IsolationChecks() {
		t.Run(c.Method+"/"+c.Name, func(t *testing.T) {
			f := NewFixture(t.Context(), t, s)
			if err := c.Run(t.Context(), s, f); err != nil {
				t.Errorf("tenant isolation of %s (%s): %v", c.Method, c.Name, err)
			}
		})
	}
}
