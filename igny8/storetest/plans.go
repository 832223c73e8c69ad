package storetest

import (
	"reflect"
	"testing"
	"time"

	"github.com/igny8/sdk/igny8"
)

func testPlans(t *testing.T, newStore func(t *testing.T) igny8.Store) {
	t.Run("CreateGetUpdateList", func(t *testing.T) {
		e := newEnv(t, newStore)
		limits := map[igny8.Limit]int64{}
		for i, l := range igny8.AllLimits() {
			limits[l] = int64(i * 7)
		}
		limits[igny8.LimitMaxKeywords] = 0 // present with 0: allows nothing
		limits[igny8.LimitStorageBytes] = 5 << 40
		want := igny8.Plan{
			Name:           "Growth ‘plus’ 🌱",
			Limits:         limits,
			Costs:          igny8.CostTable{igny8.FuncGenerateContent: {PerCall: 3, Per1KTokens: 4}},
			MonthlyCredits: 2500,
		}
		p, err := e.tenancy.CreatePlan(e.ctx, want)
		ok(t, err, "Tenancy.CreatePlan")
		got, err := e.store.GetPlan(e.ctx, p.ID)
		ok(t, err, "GetPlan(%s)", p.ID)
		comparePlan(t, "GetPlan after create", got, p)

		p.Name = "Growth 2"
		p.Limits = map[igny8.Limit]int64{igny8.LimitMaxSites: 5}
		p.Costs = nil
		p.MonthlyCredits = 3000
		e.clock.Advance(time.Second)
		created := p.CreatedAt
		p.CreatedAt = p.CreatedAt.Add(time.Hour) // an update never moves the creation time
		_, err = e.tenancy.UpdatePlan(e.ctx, p)
		ok(t, err, "Tenancy.UpdatePlan")
		got, err = e.store.GetPlan(e.ctx, p.ID)
		ok(t, err, "GetPlan after update")
		p.CreatedAt, p.UpdatedAt = created, e.clock.Now()
		comparePlan(t, "GetPlan after update", got, p)
		if _, limited := got.LimitValue(igny8.LimitMaxKeywords); limited {
			t.Errorf("limit max_keywords removed by UpdatePlan is still set: %v", got.Limits)
		}
		if !sameTime(got.UpdatedAt, e.clock.Now()) {
			t.Errorf("UpdatedAt = %v, want %v", got.UpdatedAt, e.clock.Now())
		}

		other, err := e.tenancy.CreatePlan(e.ctx, igny8.Plan{Name: "Free"})
		ok(t, err, "CreatePlan(Free)")
		list, err := e.store.ListPlans(e.ctx)
		ok(t, err, "ListPlans")
		seen := map[string]int{}
		for _, lp := range list {
			seen[lp.ID]++
		}
		if len(list) != 2 || seen[p.ID] != 1 || seen[other.ID] != 1 {
			t.Errorf("ListPlans = %v, want exactly plans %s and %s", idsOf(list, planID), p.ID, other.ID)
		}
	})

	t.Run("NotFound", func(t *testing.T) {
		e := newEnv(t, newStore)
		_, err := e.store.GetPlan(e.ctx, e.ids.NewID())
		wantCode(t, err, igny8.CodeNotFound, "GetPlan(missing)")
		err = e.store.UpdatePlan(e.ctx, igny8.Plan{ID: e.ids.NewID(), Name: "x"})
		wantCode(t, err, igny8.CodeNotFound, "UpdatePlan(missing)")
	})

	t.Run("DuplicateID", func(t *testing.T) {
		e := newEnv(t, newStore)
		p := e.plan(nil)
		err := e.store.CreatePlan(e.ctx, igny8.Plan{ID: p.ID, Name: "again", CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt})
		wantCode(t, err, igny8.CodeConflict, "CreatePlan with an existing id")
		got, err := e.store.GetPlan(e.ctx, p.ID)
		ok(t, err, "GetPlan")
		if got.Name != p.Name {
			t.Errorf("refused duplicate CreatePlan changed the name to %q", got.Name)
		}
	})

	t.Run("Validation", func(t *testing.T) {
		e := newEnv(t, newStore)
		cases := []struct {
			name  string
			plan  igny8.Plan
			field string
		}{
			{"empty name", igny8.Plan{}, "name"},
			{"negative limit", igny8.Plan{Name: "x", Limits: map[igny8.Limit]int64{igny8.LimitMaxSites: -1}}, "limits.max_sites"},
			{"unknown limit", igny8.Plan{Name: "x", Limits: map[igny8.Limit]int64{"max_unicorns": 1}}, "limits"},
			{"negative cost", igny8.Plan{Name: "x", Costs: igny8.CostTable{"f": {PerCall: -1}}}, "costs.f"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				_, err := e.tenancy.CreatePlan(e.ctx, c.plan)
				wantField(t, err, c.field, "CreatePlan("+c.name+")")
			})
		}
		list, err := e.store.ListPlans(e.ctx)
		ok(t, err, "ListPlans")
		if len(list) != 0 {
			t.Errorf("invalid plans were stored: %v", idsOf(list, planID))
		}
	})
}

func planID(p igny8.Plan) string { return p.ID }

func comparePlan(t *testing.T, what string, got, want igny8.Plan) {
	t.Helper()
	if got.ID != want.ID || got.Name != want.Name || got.MonthlyCredits != want.MonthlyCredits {
		t.Errorf("%s: got id=%s name=%q monthly=%d, want id=%s name=%q monthly=%d",
			what, got.ID, got.Name, got.MonthlyCredits, want.ID, want.Name, want.MonthlyCredits)
	}
	if !sameMap(got.Limits, want.Limits) {
		t.Errorf("%s: limits %v, want %v", what, got.Limits, want.Limits)
	}
	if !sameMap(got.Costs, want.Costs) {
		t.Errorf("%s: costs %v, want %v", what, got.Costs, want.Costs)
	}
	if !sameTime(got.CreatedAt, want.CreatedAt) || !sameTime(got.UpdatedAt, want.UpdatedAt) {
		t.Errorf("%s: times %v/%v, want %v/%v", what, got.CreatedAt, got.UpdatedAt, want.CreatedAt, want.UpdatedAt)
	}
}

// sameMap compares maps, treating nil and empty as equal.
func sameMap[K comparable, V any](a, b map[K]V) bool {
	if len(a) == 0 && len(b) == 0 {
		return true
	}
	return reflect.DeepEqual(a, b)
}
