package automation_test

import (
	"context"
	"crypto/sha256"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/igny8/sdk/adapters/fsstorage"
	"github.com/igny8/sdk/adapters/offline"
	"github.com/igny8/sdk/adapters/riverjobs"
	"github.com/igny8/sdk/adapters/sitesfs"
	"github.com/igny8/sdk/adapters/sqlstore"
	"github.com/igny8/sdk/adapters/sqlstore/sqlstoretest"
	"github.com/igny8/sdk/ai"
	"github.com/igny8/sdk/automation"
	"github.com/igny8/sdk/content"
	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/linking"
	"github.com/igny8/sdk/optimization"
	"github.com/igny8/sdk/optimization/rewrite"
	"github.com/igny8/sdk/planning"
	"github.com/igny8/sdk/planning/kwimport"
	"github.com/igny8/sdk/publishing"
)

// fastClock runs 600 times faster than the wall clock, so schedules fire
// within a test.
type fastClock struct{ start, real time.Time }

func (c fastClock) Now() time.Time { return c.start.Add(time.Since(c.real) * 600) }

// TestPipelineRunsFromImportToPublish imports keywords and lets the
// installed workflows do the rest: cluster, ideas, tasks, articles,
// images, and publishing to a static site. The test makes no call after
// the import but waiting.
func TestPipelineRunsFromImportToPublish(t *testing.T) {
	t.Run("sqlite in-process", func(t *testing.T) { runPipeline(t, sqlstoretest.SQLite(t), false) })
	t.Run("postgres river", func(t *testing.T) { runPipeline(t, sqlstoretest.Postgres(t), true) })
}

func runPipeline(t *testing.T, st *sqlstore.Store, river bool) {
	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
	defer cancel()
	quiet := slog.New(slog.DiscardHandler)
	ten := igny8.NewTenancy(st, igny8.TenancyOptions{})
	// With River, events written through the outbox store become jobs in
	// their own transactions; the engine works them on River's workers.
	var sched *riverjobs.Scheduler
	kernel := igny8.Store(st)
	if river {
		var err error
		sched, err = riverjobs.New(ctx, st, riverjobs.Options{Migrate: true, PollInterval: 50 * time.Millisecond, Logger: quiet,
			Periodic: []riverjobs.Periodic{{Kind: automation.JobTick, Interval: time.Second}}})
		if err != nil {
			t.Fatal(err)
		}
		kernel = riverjobs.Outbox(st, sched)
	}
	limits, events := igny8.NewLimits(st, nil), igny8.NewEvents(kernel, nil, nil)
	credits := igny8.NewCredits(st, igny8.CreditsOptions{})
	plan, _ := ten.CreatePlan(ctx, igny8.Plan{Name: "p"})
	acct, _ := ten.CreateAccount(ctx, igny8.Account{Name: "a", PlanID: plan.ID})
	site, _ := ten.CreateSite(ctx, igny8.Scope{AccountID: acct.ID}, igny8.Site{Name: "Garden", Domain: "garden.example"})
	scope := site.Scope()
	if _, err := credits.Grant(ctx, scope, igny8.Charge{Amount: 100000, Reason: "t", IdempotencyKey: "g"}); err != nil {
		t.Fatal(err)
	}
	model := offline.New(offline.Options{})
	runner, err := ai.NewRunner(st, limits, credits, model, st, ai.RunnerOptions{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	lib := ai.NewLibrary()
	library := content.NewLibrary(st, events, content.LibraryOptions{})
	planner := planning.NewPlanner(st, limits, events, planning.PlannerOptions{Runner: runner, Library: lib, Logger: quiet})
	writer := content.NewWriter(st, library, content.NewAIGenerator(runner, lib, st), limits, events, content.WriterOptions{})
	storage, err := fsstorage.New(t.TempDir(), fsstorage.NoQuota{}, fsstorage.Options{NoSync: true, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	defer storage.Close()
	illustrator := content.NewIllustrator(st, library, model, storage, limits, credits, events, content.IllustratorOptions{Size: "32x32"})
	renderer, err := sitesfs.New(t.TempDir(), storage, sitesfs.Options{TrustHTML: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := renderer.Configure(ctx, scope, sitesfs.Site{Name: "Garden", BaseURL: "https://garden.example"}); err != nil {
		t.Fatal(err)
	}
	key := sha256.Sum256([]byte("test"))
	keys, _ := publishing.NewKeyring("k", map[string][]byte{"k": key[:]})
	svc, err := publishing.NewService(st, keys, map[string]publishing.Factory{
		"static": func(ctx context.Context, d publishing.Destination, _ []byte) (publishing.Publisher, error) {
			return renderer.Publisher(igny8.Scope{AccountID: d.AccountID, SiteID: d.SiteID})
		},
	}, publishing.Options{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.RegisterDestination(ctx, scope, publishing.DestinationInput{Name: "site", Kind: "static"}); err != nil {
		t.Fatal(err)
	}

	optimizer := rewrite.NewOptimizer(st, library, rewrite.AIRewriter{Library: lib, Runner: runner}, st, events, optimization.NewAnalyzer(optimization.Options{}), rewrite.OptimizerOptions{})
	pipe := automation.Pipeline{Kernel: st, Credits: credits, Planner: planner, Writer: writer, Library: library,
		Illustrator: illustrator, Images: st, Publisher: svc, Linker: automation.NewSiteLinker(st, library, st, events, nil),
		Optimizer: automation.NewContentOptimizer(optimizer, st, events)}
	engine := automation.NewEngine(st, st, pipe.Actions(), automation.EngineOptions{
		Interval: 50 * time.Millisecond, Clock: fastClock{start: time.Now().UTC(), real: time.Now()}, Logger: quiet,
	})
	// All eight workflows: cluster, ideas, tasks, content, images, link,
	// optimize, publish.
	if _, err := engine.Install(ctx, scope); err != nil {
		t.Fatal(err)
	}
	rules, _ := st.ListRules(ctx, scope, automation.RuleFilter{}, igny8.PageRequest{})
	for _, r := range rules {
		if r.Template == "auto_content" {
			r.Schedule.Cron = "* * * * *"
			if _, err := engine.SaveRule(ctx, scope, r); err != nil {
				t.Fatal(err)
			}
		}
	}
	if river {
		engine.Register(sched)
		go func() { _ = sched.Run(ctx) }()
	} else {
		go func() { _ = engine.Run(ctx) }()
	}

	csv := "keyword,volume\nraised garden bed,9900\nraised garden beds,6600\ndiy raised garden bed,2400\n" +
		"compost bin,12100\nbuy compost bin,700\ncomposting at home,2400\n"
	parsed, err := kwimport.Parse(strings.NewReader(csv), kwimport.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := planner.Import(ctx, scope, parsed.Keywords()); err != nil {
		t.Fatal(err)
	}

	// Wait for published articles: every idea written and published.
	for {
		if ctx.Err() != nil {
			runs, _ := engine.Runs(context.Background(), scope, automation.RunFilter{}, igny8.PageRequest{Limit: 1000})
			for _, r := range runs {
				t.Logf("run %s %s %s", r.Trigger, r.Status, r.Error)
			}
			if river {
				rows, err := st.DB().QueryContext(context.Background(), `SELECT state, args->>'kind', COUNT(*) FROM river_job GROUP BY 1, 2`)
				if err == nil {
					for rows.Next() {
						var state, kind string
						var n int
						_ = rows.Scan(&state, &kind, &n)
						t.Logf("river: %s %s %d", state, kind, n)
					}
					rows.Close()
				}
				rows, err = st.DB().QueryContext(context.Background(), `SELECT type, COUNT(*) FROM events GROUP BY 1`)
				if err == nil {
					for rows.Next() {
						var typ string
						var n int
						_ = rows.Scan(&typ, &n)
						t.Logf("events: %s %d", typ, n)
					}
					rows.Close()
				}
			}
			t.Fatal("the pipeline did not finish")
		}
		ideas, _ := planner.ListIdeas(ctx, scope, planning.IdeaFilter{}, igny8.PageRequest{})
		published, _ := library.List(ctx, scope, content.ContentFilter{Status: content.StatusPublished}, igny8.PageRequest{})
		if len(ideas) > 0 && len(published) == len(ideas) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	runs, err := engine.Runs(ctx, scope, automation.RunFilter{}, igny8.PageRequest{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	steps := map[automation.ActionType]int{}
	for _, r := range runs {
		if r.Status == automation.RunFailed {
			t.Errorf("run of %s failed: %s", r.RuleID, r.Error)
		}
		for _, res := range r.Results {
			if res.Status == automation.RunSucceeded {
				steps[res.Type]++
			}
		}
	}
	for _, a := range []automation.ActionType{automation.ActionAutoCluster, automation.ActionGenerateIdeas, automation.ActionCreateTasks,
		automation.ActionGenerateContent, automation.ActionGenerateImages, automation.ActionLinkContent, automation.ActionOptimizeContent,
		automation.ActionPublish} {
		if steps[a] == 0 {
			t.Errorf("the run history shows no %s step (%v)", a, steps)
		}
	}
	linked := 0
	all, _ := library.List(ctx, scope, content.ContentFilter{}, igny8.PageRequest{})
	for _, c := range all {
		vs, _ := library.Versions(ctx, scope, c.ID)
		for _, v := range vs {
			if v.Reason == content.ReasonLinked {
				linked++
			}
		}
	}
	if linked == 0 {
		t.Error("no content got a linked version")
	}
	links, _ := st.ListLinks(ctx, scope, linking.LinkQuery{})
	t.Logf("%d linked versions, %d link records", linked, len(links))
	deps, _ := renderer.Deployments(ctx, scope)
	if len(deps) == 0 {
		t.Fatal("nothing was deployed")
	}
	t.Logf("steps %v, %d deployments", steps, len(deps))
}
