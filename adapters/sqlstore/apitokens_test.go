package sqlstore_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"time"

	"github.com/igny8/sdk/adapters/sqlstore"
	"github.com/igny8/sdk/adapters/sqlstore/sqlstoretest"
	"github.com/igny8/sdk/igny8"
)

func tokenHash(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func TestAPITokens(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		ten := igny8.NewTenancy(s, igny8.TenancyOptions{})
		plan, err := ten.CreatePlan(ctx, igny8.Plan{Name: "p"})
		if err != nil {
			t.Fatal(err)
		}
		newUser := func(name string) (igny8.Scope, igny8.User) {
			t.Helper()
			a, err := ten.CreateAccount(ctx, igny8.Account{Name: name, PlanID: plan.ID})
			if err != nil {
				t.Fatal(err)
			}
			sc := igny8.Scope{AccountID: a.ID}
			u, err := ten.CreateUser(ctx, sc, igny8.User{Email: name + "@example.com", Role: igny8.RoleEditor})
			if err != nil {
				t.Fatal(err)
			}
			return sc, u
		}
		scA, userA := newUser("a")
		scB, userB := newUser("b")
		now := time.Now()
		tok := sqlstore.APIToken{ID: "tok-a", UserID: userA.ID, Name: "ci", Hash: tokenHash("secret-a"), CreatedAt: now}
		if err := s.CreateAPIToken(ctx, scA, tok); err != nil {
			t.Fatal(err)
		}

		cases := []struct {
			name  string
			scope igny8.Scope
			tok   sqlstore.APIToken
			code  igny8.Code
		}{
			{"user of another account", scB, sqlstore.APIToken{ID: "t2", UserID: userA.ID, Hash: tokenHash("x")}, igny8.CodeNotFound},
			{"duplicate hash", scA, sqlstore.APIToken{ID: "t3", UserID: userA.ID, Hash: tok.Hash}, igny8.CodeConflict},
			{"short hash", scA, sqlstore.APIToken{ID: "t4", UserID: userA.ID, Hash: "abc"}, igny8.CodeInvalidArgument},
			{"no user", scA, sqlstore.APIToken{ID: "t5", Hash: tokenHash("y")}, igny8.CodeInvalidArgument},
		}
		for _, c := range cases {
			if err := s.CreateAPIToken(ctx, c.scope, c.tok); igny8.CodeOf(err) != c.code {
				t.Errorf("%s: CreateAPIToken = %v, want %s", c.name, err, c.code)
			}
		}

		got, u, err := s.APITokenUser(ctx, tokenHash("secret-a"))
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != "tok-a" || got.AccountID != scA.AccountID || u.ID != userA.ID || u.Role != igny8.RoleEditor {
			t.Errorf("APITokenUser = %+v, %+v", got, u)
		}
		if _, _, err := s.APITokenUser(ctx, tokenHash("nope")); igny8.CodeOf(err) != igny8.CodeNotFound {
			t.Errorf("unknown hash: %v, want not_found", err)
		}
		if l, err := s.ListAPITokens(ctx, scB, ""); err != nil || len(l) != 0 {
			t.Errorf("ListAPITokens of B = %v, %v, want none", l, err)
		}
		if l, err := s.ListAPITokens(ctx, scA, userA.ID); err != nil || len(l) != 1 {
			t.Errorf("ListAPITokens of A = %v, %v, want 1", l, err)
		}
		if err := s.DeleteAPIToken(ctx, scB, "tok-a"); igny8.CodeOf(err) != igny8.CodeNotFound {
			t.Errorf("B deletes A's token: %v, want not_found", err)
		}
		_ = userB
		if err := s.DeleteAPIToken(ctx, scA, "tok-a"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.APITokenUser(ctx, tokenHash("secret-a")); igny8.CodeOf(err) != igny8.CodeNotFound {
			t.Errorf("revoked token still authenticates: %v", err)
		}
	})
}
