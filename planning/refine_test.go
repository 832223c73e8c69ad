package planning_test

import (
	"context"
	"log/slog"
	"sort"
	"testing"

	"github.com/igny8/sdk/adapters/offline"
	"github.com/igny8/sdk/adapters/sqlstore/sqlstoretest"
	"github.com/igny8/sdk/ai"
	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/planning"
)

func TestAIRefiner(t *testing.T) {
	st := sqlstoretest.SQLite(t)
	e := newEnv(t, st, nil)
	ctx := context.Background()
	runner, err := ai.NewRunner(st, e.limits, e.credits, offline.New(offline.Options{}), st, ai.RunnerOptions{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	texts := map[string]int64{
		"espresso machine": 5000, "espresso machines": 800, "home espresso machine": 600,
		"buy espresso machine": 300, "espresso machine price": 200,
		"how to clean espresso machine": 150, "clean espresso machine": 100,
		"yoga mat": 900, "thick yoga mat": 90,
	}
	importTexts(t, e, texts)
	tests := []struct {
		name  string
		opts  planning.AIRefinerOptions
		calls int
	}{
		{"one batch", planning.AIRefinerOptions{}, 1},
		{"small batches", planning.AIRefinerOptions{BatchKeywords: 3}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			list, err := e.planner.ListKeywords(ctx, e.scope, planning.KeywordFilter{}, igny8.PageRequest{})
			if err != nil {
				t.Fatal(err)
			}
			before, _ := st.ListCalls(ctx, e.scope.Account(), ai.CallQuery{Function: igny8.FuncAutoCluster, Page: igny8.PageRequest{Limit: 1000}})
			ref := planning.NewAIRefiner(nil, runner, nil, e.scope, tc.opts)
			res, err := ref.Cluster(ctx, planning.ClusterRequest{Keywords: list})
			if err != nil {
				t.Fatal(err)
			}
			after, _ := st.ListCalls(ctx, e.scope.Account(), ai.CallQuery{Function: igny8.FuncAutoCluster, Page: igny8.PageRequest{Limit: 1000}})
			if tc.calls > 0 && len(after)-len(before) != tc.calls {
				t.Errorf("%d model calls, want %d", len(after)-len(before), tc.calls)
			}
			if tc.calls == 0 && len(after)-len(before) < 2 {
				t.Errorf("%d model calls with batches of 3, want several", len(after)-len(before))
			}
			text := map[string]string{}
			for _, k := range list {
				text[k.ID] = k.Text
			}
			seen := map[string]bool{}
			for _, g := range res.Groups {
				if g.Name == "" && len(g.KeywordIDs) > 1 {
					t.Errorf("group %v has no name", g.KeywordIDs)
				}
				var names []string
				for _, id := range g.KeywordIDs {
					if seen[id] {
						t.Errorf("keyword %q placed twice", text[id])
					}
					seen[id] = true
					names = append(names, text[id])
				}
				sort.Strings(names)
				buy, clean := false, false
				for _, n := range names {
					buy = buy || n == "buy espresso machine" || n == "espresso machine price"
					clean = clean || n == "how to clean espresso machine"
				}
				if buy && clean {
					t.Errorf("transactional and informational keywords share a refined cluster: %v", names)
				}
			}
			if len(seen)+len(res.Stray) != len(list) {
				t.Errorf("%d of %d keywords placed", len(seen)+len(res.Stray), len(list))
			}
		})
	}
	// the refined clustering persists through the Planner with its names
	rep, err := e.planner.Cluster(ctx, e.scope, planning.NewAIRefiner(nil, runner, nil, e.scope, planning.AIRefinerOptions{}))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range rep.Created {
		if c.Description == "" {
			t.Errorf("cluster %q has no description from the model", c.Name)
		}
	}
	if _, err := planning.NewAIRefiner(nil, nil, nil, e.scope, planning.AIRefinerOptions{}).Cluster(ctx, planning.ClusterRequest{}); igny8.CodeOf(err) != igny8.CodeInvalidArgument {
		t.Errorf("no runner: %v", err)
	}
}
