package planning_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/igny8/sdk/adapters/offline"
	"github.com/igny8/sdk/adapters/sqlstore"
	"github.com/igny8/sdk/ai"
	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/planning"
	"github.com/igny8/sdk/planning/kwimport"
)

func ExampleLexical() {
	kws := []planning.Keyword{
		{ID: "1", Text: "espresso machine", Volume: 5000},
		{ID: "2", Text: "espresso machines", Volume: 800},
		{ID: "3", Text: "best espresso machine", Volume: 600},
		{ID: "4", Text: "buy espresso machine", Volume: 300},
		{ID: "5", Text: "yoga mat", Volume: 900},
		{ID: "6", Text: "thick yoga mats", Volume: 90},
	}
	res, err := planning.NewLexical(planning.LexicalOptions{}).Cluster(context.Background(), planning.ClusterRequest{Keywords: kws})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, g := range res.Groups {
		fmt.Printf("%v intent=%q\n", g.KeywordIDs, g.Intent)
	}
	// Output:
	// [1 2 3] intent="commercial"
	// [5 6] intent=""
	// [4] intent="transactional"
}

// Example runs the planning stage end to end on an SQLite store with the
// offline model: import a CSV, cluster it, propose ideas.
func Example() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "planning-example-")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	st, err := sqlstore.Open(ctx, "sqlite:"+filepath.Join(dir, "igny8.db"), sqlstore.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer st.Close()
	ten := igny8.NewTenancy(st, igny8.TenancyOptions{})
	plan, err := ten.CreatePlan(ctx, igny8.Plan{Name: "starter", Limits: map[igny8.Limit]int64{igny8.LimitMaxKeywords: 1000}})
	if err != nil {
		fmt.Println(err)
		return
	}
	acct, err := ten.CreateAccount(ctx, igny8.Account{Name: "acme", PlanID: plan.ID})
	if err != nil {
		fmt.Println(err)
		return
	}
	site, err := ten.CreateSite(ctx, igny8.Scope{AccountID: acct.ID}, igny8.Site{Name: "Coffee"})
	if err != nil {
		fmt.Println(err)
		return
	}
	limits, events := igny8.NewLimits(st, nil), igny8.NewEvents(st, nil, nil)
	credits := igny8.NewCredits(st, igny8.CreditsOptions{})
	if _, err := credits.Grant(ctx, site.Scope(), igny8.Charge{Amount: 100, Reason: "welcome", IdempotencyKey: "welcome"}); err != nil {
		fmt.Println(err)
		return
	}
	runner, err := ai.NewRunner(st, limits, credits, offline.New(offline.Options{}), st, ai.RunnerOptions{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		fmt.Println(err)
		return
	}
	planner := planning.NewPlanner(st, limits, events, planning.PlannerOptions{Runner: runner})

	csv := "keyword,volume,difficulty,cpc,intent\n" +
		"espresso machine,5000,60,1.20,commercial\nespresso machines,800,55,1.10,\nhome espresso machine,600,40,,\n" +
		"Espresso Machine,5000,,,\ncold brew coffee,3000,20,,\ncold brew coffee recipe,900,15,,\n"
	parsed, err := kwimport.Parse(strings.NewReader(csv), kwimport.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	rep, err := planner.Import(ctx, site.Scope(), parsed.Keywords())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("imported %d keywords (%d folded in the file)\n", len(rep.Added), len(parsed.Folded))

	clusters, err := planner.Cluster(ctx, site.Scope(), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range clusters.Created {
		fmt.Printf("cluster %q: %d keywords, volume %d, mean difficulty %.1f\n", c.Name, c.KeywordCount, c.TotalVolume, c.MeanDifficulty)
	}
	ideas, err := planner.ProposeIdeas(ctx, site.Scope(), clusters.Created[0].ID, planning.IdeaOptions{Count: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, i := range ideas {
		fmt.Printf("idea for %q (%s, %d words)\n", i.PrimaryKeyword, i.ContentType, i.EstimatedWords)
	}
	// Output:
	// imported 5 keywords (1 folded in the file)
	// cluster "espresso machine": 3 keywords, volume 6400, mean difficulty 51.7
	// cluster "cold brew coffee": 2 keywords, volume 3900, mean difficulty 17.5
	// idea for "espresso machine" (post, 1000 words)
	// idea for "espresso machines" (post, 1200 words)
}
