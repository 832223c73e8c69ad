package sqlstore_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/igny8/sdk/adapters/sqlstore"
	"github.com/igny8/sdk/adapters/sqlstore/sqlstoretest"
	"github.com/igny8/sdk/ai"
	"github.com/igny8/sdk/igny8"
)

// aiAccounts creates a plan and two accounts, returning their scopes.
func aiAccounts(t *testing.T, s *sqlstore.Store) (igny8.Scope, igny8.Scope) {
	t.Helper()
	ctx := context.Background()
	ten := igny8.NewTenancy(s, igny8.TenancyOptions{})
	plan, err := ten.CreatePlan(ctx, igny8.Plan{Name: "p"})
	if err != nil {
		t.Fatal(err)
	}
	var out [2]igny8.Scope
	for i := range out {
		a, err := ten.CreateAccount(ctx, igny8.Account{Name: "acct", PlanID: plan.ID})
		if err != nil {
			t.Fatal(err)
		}
		out[i] = igny8.Scope{AccountID: a.ID}
	}
	return out[0], out[1]
}

func TestAICallLog(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		a, b := aiAccounts(t, s)
		ids := &igny8.UUIDv7{}
		now := time.Date(2026, 11, 26, 10, 0, 0, 123456789, time.UTC)
		siteA1 := igny8.Scope{AccountID: a.AccountID, SiteID: "site-1"}
		siteA2 := igny8.Scope{AccountID: a.AccountID, SiteID: "site-2", SectorID: "sec"}
		siteB := igny8.Scope{AccountID: b.AccountID, SiteID: "site-1"}
		var rows []ai.Call
		for i, sc := range []igny8.Scope{siteA1, siteA1, siteA2, siteB} {
			c := ai.Call{ID: ids.NewID(), RunID: "run-" + sc.SiteID, Scope: sc, Function: igny8.FuncGenerateIdeas,
				PromptID: "generate_ideas", Model: "m", Attempt: i + 1, Final: i%2 == 1, PromptTokens: 10 * i,
				CompletionTokens: 5, Latency: 1500 * time.Microsecond, Credits: int64(i), Outcome: ai.OutcomeInvalidOutput,
				ErrorCode: igny8.CodeInternal, Error: "bad", CreatedAt: now}
			if i == 2 {
				c.Function, c.Outcome, c.ErrorCode, c.Error = igny8.FuncAutoCluster, ai.OutcomeOK, "", ""
			}
			if err := s.RecordCall(ctx, c); err != nil {
				t.Fatalf("RecordCall: %v", err)
			}
			c.CreatedAt = now.Truncate(time.Microsecond)
			rows = append(rows, c)
		}
		tests := []struct {
			name  string
			scope igny8.Scope
			q     ai.CallQuery
			want  []ai.Call
		}{
			{"account", a, ai.CallQuery{}, rows[:3]},
			{"site", siteA1, ai.CallQuery{}, rows[:2]},
			{"sector", siteA2, ai.CallQuery{}, rows[2:3]},
			{"other account", b, ai.CallQuery{}, rows[3:]},
			{"function", a, ai.CallQuery{Function: igny8.FuncAutoCluster}, rows[2:3]},
			{"run", a, ai.CallQuery{RunID: "run-site-1"}, rows[:2]},
			{"page", a, ai.CallQuery{Page: igny8.PageRequest{Limit: 1, After: rows[0].ID}}, rows[1:2]},
			{"nothing", igny8.Scope{AccountID: a.AccountID, SiteID: "none"}, ai.CallQuery{}, nil},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				got, err := s.ListCalls(ctx, tc.scope, tc.q)
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != len(tc.want) || (len(got) > 0 && !reflect.DeepEqual(got, tc.want)) {
					t.Errorf("got  %+v\nwant %+v", got, tc.want)
				}
			})
		}
		bad := rows[0]
		bad.ID = ids.NewID()
		bad.Scope = igny8.Scope{AccountID: "no-such-account"}
		if err := s.RecordCall(ctx, bad); igny8.CodeOf(err) != igny8.CodeNotFound {
			t.Errorf("unknown account: %v", err)
		}
		bad.ID = ""
		if err := s.RecordCall(ctx, bad); igny8.CodeOf(err) != igny8.CodeInvalidArgument {
			t.Errorf("no id: %v", err)
		}
	})
}

func TestAIPromptOverrides(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		a, b := aiAccounts(t, s)
		now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
		o := ai.PromptOverride{AccountID: a.AccountID, PromptID: "generate_ideas", System: "s", User: "u", UpdatedAt: now}
		if err := s.SavePromptOverride(ctx, a, o); err != nil {
			t.Fatal(err)
		}
		o.User = "u2"
		if err := s.SavePromptOverride(ctx, a, o); err != nil {
			t.Fatalf("replace: %v", err)
		}
		got, err := s.GetPromptOverride(ctx, a, "generate_ideas")
		if err != nil || !reflect.DeepEqual(got, o) {
			t.Fatalf("get = %+v, %v; want %+v", got, err, o)
		}
		list, err := s.ListPromptOverrides(ctx, a)
		if err != nil || len(list) != 1 {
			t.Fatalf("list = %v, %v", list, err)
		}
		if _, err := s.GetPromptOverride(ctx, b, "generate_ideas"); igny8.CodeOf(err) != igny8.CodeNotFound {
			t.Errorf("other account reads the override: %v", err)
		}
		if err := s.DeletePromptOverride(ctx, b, "generate_ideas"); igny8.CodeOf(err) != igny8.CodeNotFound {
			t.Errorf("other account deletes the override: %v", err)
		}
		if err := s.DeletePromptOverride(ctx, a, "generate_ideas"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.GetPromptOverride(ctx, a, "generate_ideas"); igny8.CodeOf(err) != igny8.CodeNotFound {
			t.Errorf("deleted override still there: %v", err)
		}
	})
}

func TestAIAuthorProfiles(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		a, b := aiAccounts(t, s)
		now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
		p := ai.AuthorProfile{ID: "p1", AccountID: a.AccountID, Name: "Ann", CreatedAt: now, UpdatedAt: now,
			Voice: ai.Voice{Style: "plain", Tone: "warm", Audience: "cooks", BannedPhrases: []string{"delve", "unlock"}}}
		if err := s.CreateAuthorProfile(ctx, a, p); err != nil {
			t.Fatal(err)
		}
		dup := p
		dup.ID = "p2"
		if err := s.CreateAuthorProfile(ctx, a, dup); igny8.CodeOf(err) != igny8.CodeConflict {
			t.Errorf("same name twice: %v", err)
		}
		got, err := s.GetAuthorProfile(ctx, a, "p1")
		if err != nil || !reflect.DeepEqual(got, p) {
			t.Fatalf("get = %+v, %v; want %+v", got, err, p)
		}
		p.Voice.BannedPhrases = nil
		p.Name = "Anne"
		if err := s.UpdateAuthorProfile(ctx, a, p); err != nil {
			t.Fatal(err)
		}
		list, err := s.ListAuthorProfiles(ctx, a)
		if err != nil || len(list) != 1 || list[0].Name != "Anne" || len(list[0].Voice.BannedPhrases) != 0 {
			t.Fatalf("list = %+v, %v", list, err)
		}
		for name, err := range map[string]error{
			"get":    func() error { _, err := s.GetAuthorProfile(ctx, b, "p1"); return err }(),
			"update": s.UpdateAuthorProfile(ctx, b, p),
			"delete": s.DeleteAuthorProfile(ctx, b, "p1"),
		} {
			if igny8.CodeOf(err) != igny8.CodeNotFound {
				t.Errorf("other account %s: %v", name, err)
			}
		}
		if l, _ := s.ListAuthorProfiles(ctx, b); len(l) != 0 {
			t.Errorf("other account lists %d profiles", len(l))
		}
		if err := s.DeleteAuthorProfile(ctx, a, "p1"); err != nil {
			t.Fatal(err)
		}
	})
}
