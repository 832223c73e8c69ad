package igny8

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"
)

func TestErrorCodes(t *testing.T) {
	cause := errors.New("disk on fire")
	tests := []struct {
		name     string
		err      error
		code     Code
		sentinel error
		text     string
	}{
		{"invalid argument names field", InvalidArgument("op", "email", "%q is not an email", "x"), CodeInvalidArgument, ErrInvalidArgument, `op: email: "x" is not an email`},
		{"not found", NotFound("sqlstore.GetSite", "site", "s1"), CodeNotFound, ErrNotFound, `sqlstore.GetSite: site "s1" not found`},
		{"errorf keeps wrapped cause", Errorf(CodeUnavailable, "llm.Chat", "call failed: %w", cause), CodeUnavailable, ErrUnavailable, "llm.Chat: call failed: disk on fire"},
		{"wrap keeps inner code", Wrap(CodeInternal, "outer", NotFound("inner", "site", "s")), CodeNotFound, ErrNotFound, `inner: site "s" not found`},
		{"wrap plain error is internal", Wrap(CodeInternal, "op", cause), CodeInternal, ErrInternal, "op: disk on fire"},
		{"fmt wrapped limit error", fmt.Errorf("ctx: %w", &LimitError{Limit: LimitMaxSites, Max: 1, Used: 1, Requested: 1}), CodeLimitExceeded, ErrLimitExceeded, "ctx: limit max_sites exceeded: limit 1, used 1, requested 1"},
		{"credit error", &CreditError{AccountID: "a", Balance: 5, Requested: 10}, CodeInsufficientCredits, ErrInsufficientCredits, "insufficient credits: account a has 5, requested 10"},
		{"retry after is unavailable", &RetryAfterError{After: time.Second, Err: cause}, CodeUnavailable, ErrUnavailable, "unavailable, retry after 1s: disk on fire"},
		{"context canceled", fmt.Errorf("x: %w", context.Canceled), CodeUnavailable, nil, "x: context canceled"},
		{"plain error", cause, CodeInternal, nil, "disk on fire"},
	}
	all := []error{ErrNotFound, ErrInvalidArgument, ErrPermissionDenied, ErrLimitExceeded, ErrInsufficientCredits, ErrConflict, ErrUnavailable, ErrInternal}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := CodeOf(tc.err); got != tc.code {
				t.Errorf("CodeOf = %q, want %q", got, tc.code)
			}
			if tc.err.Error() != tc.text {
				t.Errorf("Error() = %q, want %q", tc.err.Error(), tc.text)
			}
			for _, s := range all {
				if got, want := errors.Is(tc.err, s), s == tc.sentinel; got != want {
					t.Errorf("errors.Is(err, %v) = %v, want %v", s, got, want)
				}
			}
		})
	}
	if CodeOf(nil) != "" || Wrap(CodeInternal, "op", nil) != nil {
		t.Error("nil errors must stay nil and have no code")
	}
	var le *LimitError
	if !errors.As(fmt.Errorf("w: %w", &LimitError{Limit: LimitMaxKeywords, Max: 10, Used: 7}), &le) || le.Remaining() != 3 {
		t.Errorf("LimitError not reachable with errors.As or Remaining wrong: %+v", le)
	}
	if !errors.Is(Errorf(CodeUnavailable, "op", "x: %w", cause), cause) {
		t.Error("Errorf must keep the %w cause reachable")
	}
}

func TestUUIDv7OrderedAndUnique(t *testing.T) {
	clock := NewManualClock(time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC))
	g := &UUIDv7{Clock: clock}
	var mu sync.Mutex
	seen := map[string]bool{}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 2000 {
				id := g.NewID()
				mu.Lock()
				if seen[id] {
					t.Errorf("duplicate id %s", id)
				}
				seen[id] = true
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	// With a stopped clock, ids from one generator must still sort in issue
	// order (the counter carries into the next millisecond on overflow).
	var ids []string
	for range 10000 {
		ids = append(ids, g.NewID())
	}
	if !sort.StringsAreSorted(ids) {
		t.Fatal("ids from one generator are not in creation order")
	}
	id := ids[0]
	if len(id) != 36 || id[14] != '7' || (id[19] != '8' && id[19] != '9' && id[19] != 'a' && id[19] != 'b') {
		t.Fatalf("%s is not a version 7, variant 10 UUID", id)
	}
	// A clock that steps back must not break the order either.
	before := g.NewID()
	clock.Advance(-time.Hour)
	if after := g.NewID(); after <= before {
		t.Fatalf("id after clock step back %s <= %s", after, before)
	}
}

func TestSlugify(t *testing.T) {
	tests := map[string]string{
		"Hello World":                  "hello-world",
		"  --Crème brûlée--  ":         "creme-brulee",
		"../../etc/passwd":             "etc-passwd",
		"<script>alert(1)</script>":    "script-alert-1-script",
		"Straße & Café №5":             "strasse-cafe-no5",
		"日本語":                          "",
		"a\x00b":                       "a-b",
		"Ünïcödé  multiple   spaces":   "unicode-multiple-spaces",
		"UPPER_snake_Case-and-hyphens": "upper-snake-case-and-hyphens",
	}
	for in, want := range tests {
		got := Slugify(in)
		if got != want {
			t.Errorf("Slugify(%q) = %q, want %q", in, got, want)
		}
		if got != "" && !ValidSlug(got) {
			t.Errorf("Slugify(%q) = %q is not a valid slug", in, got)
		}
	}
	long := Slugify(string(make([]byte, 0)) + fmt.Sprintf("%0500d", 7))
	if len(long) > MaxSlugLength || !ValidSlug(long) {
		t.Errorf("long slug has %d bytes, valid=%v", len(long), ValidSlug(long))
	}
	for _, bad := range []string{"", "-a", "a-", "a--b", "A", "a/b", "a.b", "..", "a b", "é"} {
		if ValidSlug(bad) {
			t.Errorf("ValidSlug(%q) = true", bad)
		}
	}
}

func FuzzSlugify(f *testing.F) {
	for _, s := range []string{"Hello World", "../x", "\x00", "ß", "a--b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Slugify(s)
		if got != "" && !ValidSlug(got) {
			t.Fatalf("Slugify(%q) = %q is not a valid slug", s, got)
		}
		if Slugify(got) != got {
			t.Fatalf("Slugify is not idempotent on %q: %q", got, Slugify(got))
		}
	})
}

func TestScope(t *testing.T) {
	tests := []struct {
		name  string
		scope Scope
		check func(Scope, string) error
		field string
	}{
		{"no account", Scope{}, Scope.Validate, "scope.account_id"},
		{"sector without site", Scope{AccountID: "a", SectorID: "x"}, Scope.Validate, "scope.site_id"},
		{"site required", Scope{AccountID: "a"}, Scope.RequireSite, "scope.site_id"},
		{"sector required", Scope{AccountID: "a", SiteID: "s"}, Scope.RequireSector, "scope.sector_id"},
		{"ok", Scope{AccountID: "a", SiteID: "s", SectorID: "x"}, Scope.RequireSector, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.check(tc.scope, "op")
			var e *Error
			switch {
			case tc.field == "" && err != nil:
				t.Fatalf("unexpected error %v", err)
			case tc.field != "" && (!errors.As(err, &e) || e.Field != tc.field):
				t.Fatalf("error %v does not name field %s", err, tc.field)
			}
		})
	}
	s := Scope{AccountID: "a", SiteID: "s", SectorID: "x"}
	if s.String() != "a/s/x" || s.Site() != (Scope{AccountID: "a", SiteID: "s"}) || s.Account() != (Scope{AccountID: "a"}) {
		t.Errorf("narrowing or String wrong: %s %v %v", s, s.Site(), s.Account())
	}
	if !s.Account().Contains(s) || s.Contains(s.Account()) || (Scope{AccountID: "b"}).Contains(s) {
		t.Error("Contains wrong")
	}
}

func TestRoles(t *testing.T) {
	u := User{AccountID: "a", Role: RoleEditor}
	a := Scope{AccountID: "a"}
	if !u.Can(a, RoleViewer) || !u.Can(a, RoleEditor) || u.Can(a, RoleAdmin) || u.Can(Scope{AccountID: "b"}, RoleViewer) {
		t.Error("editor rights wrong")
	}
	if !(User{IsSuperuser: true}).Can(Scope{AccountID: "z"}, RoleOwner) {
		t.Error("superuser must act on every account")
	}
	if Role("root").Valid() || Role("root").AtLeast(RoleViewer) {
		t.Error("unknown role must grant nothing")
	}
}

func TestPeriodOfFollowsAccountZone(t *testing.T) {
	tokyo, err := (Account{TimeZone: "Asia/Tokyo"}).Location()
	if err != nil {
		t.Fatal(err)
	}
	// 15:30 UTC on the 30th is 00:30 on Dec 1st in Tokyo.
	at := time.Date(2026, 11, 30, 15, 30, 0, 0, time.UTC).In(tokyo)
	if got := PeriodOf(LimitDailyAIRequests, at); got != "2026-12-01" {
		t.Errorf("daily period = %s", got)
	}
	if got := PeriodOf(LimitMonthlyWords, at); got != "2026-12" {
		t.Errorf("monthly period = %s", got)
	}
	if got := PeriodOf(LimitMaxSites, at); got != "" {
		t.Errorf("count limit has period %q", got)
	}
	if _, err := (Account{TimeZone: "Mars/Olympus"}).Location(); CodeOf(err) != CodeInvalidArgument {
		t.Errorf("unknown zone: %v", err)
	}
}

func TestLimitsCatalogue(t *testing.T) {
	for _, l := range AllLimits() {
		if !l.Valid() {
			t.Errorf("%s has no kind", l)
		}
	}
	if len(AllLimits()) != len(limitKinds) {
		t.Errorf("AllLimits lists %d limits, kinds know %d", len(AllLimits()), len(limitKinds))
	}
	if Limit("max_unicorns").Valid() {
		t.Error("unknown limit is valid")
	}
	p := Plan{Name: "x", Limits: map[Limit]int64{"max_unicorns": 1}}
	if err := p.Validate("op"); CodeOf(err) != CodeInvalidArgument {
		t.Errorf("plan with unknown limit: %v", err)
	}
	p = Plan{Name: "x", Limits: map[Limit]int64{LimitMaxSites: -1}}
	if err := p.Validate("op"); err == nil {
		t.Error("negative limit accepted")
	}
}

func TestCostFor(t *testing.T) {
	tests := []struct {
		cost   Cost
		tokens int64
		want   int64
	}{
		{Cost{PerCall: 2}, 5000, 2},
		{Cost{Per1KTokens: 1}, 1, 1},
		{Cost{Per1KTokens: 1}, 1000, 1},
		{Cost{Per1KTokens: 1}, 1001, 2},
		{Cost{PerCall: 1, Per1KTokens: 3}, 2500, 9},
		{Cost{PerCall: 1, Per1KTokens: 3}, -5, 1},
	}
	for _, tc := range tests {
		if got := tc.cost.For(tc.tokens); got != tc.want {
			t.Errorf("%+v.For(%d) = %d, want %d", tc.cost, tc.tokens, got, tc.want)
		}
	}
}
