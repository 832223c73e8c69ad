// Command quickstart runs the IGNY8 pipeline end to end on the embedded
// SQLite store with the offline model, so it needs no server and no API key:
//
//	go run ./examples/quickstart [-dir DIR] [-serve 127.0.0.1:8080]
//
// It creates a plan, an account, a site and a sector in DIR/igny8.db (a new
// temporary folder by default), grants credits, imports a keyword CSV,
// clusters it, proposes content ideas, turns them into writing tasks,
// writes the articles and their images, and publishes them as a static
// site under DIR/sites — and to WordPress too when WP_URL, WP_USER and
// WP_APP_PASSWORD are set. It prints each step.
//
// The offline model writes deterministic placeholder articles: it is a way
// to run the whole pipeline without a provider, not a writer. Point the
// reference server (examples/server) at an OpenAI-compatible endpoint for
// real text.
package main

import (
	"context"
	_ "embed"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/igny8/sdk/adapters/fsstorage"
	"github.com/igny8/sdk/adapters/offline"
	"github.com/igny8/sdk/adapters/sqlstore"
	"github.com/igny8/sdk/ai"
	"github.com/igny8/sdk/automation"
	"github.com/igny8/sdk/content"
	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/linking"
	"github.com/igny8/sdk/optimization"
	"github.com/igny8/sdk/optimization/rewrite"
	"github.com/igny8/sdk/planning"
	"github.com/igny8/sdk/planning/kwimport"
)

//go:embed keywords.csv
var sampleKeywords string

func main() {
	dir := flag.String("dir", "", "folder for the SQLite database and files (default: a new temporary folder)")
	serve := flag.String("serve", "", "after the run, serve the static site on this address (e.g. 127.0.0.1:8080)")
	brief := flag.String("brief", "", `also build a small business site from this brief with the site builder (e.g. "A landscaping firm in Leipzig: garden design, paving, hedge care")`)
	verbose := flag.Bool("v", false, "log at debug level")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	env := map[string]string{"WP_URL": os.Getenv("WP_URL"), "WP_USER": os.Getenv("WP_USER"), "WP_APP_PASSWORD": os.Getenv("WP_APP_PASSWORD")}
	site, err := run(ctx, os.Stdout, options{dir: *dir, verbose: *verbose, env: env, brief: *brief})
	if err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
	if *serve != "" {
		fmt.Printf("serving    http://%s/ (Ctrl-C to stop)\n", *serve)
		srv := &http.Server{Addr: *serve, Handler: http.FileServer(http.Dir(site)), ReadHeaderTimeout: 5 * time.Second}
		go func() { <-ctx.Done(); _ = srv.Close() }()
		if err := srv.ListenAndServe(); err != nil && err != http.ErrServerClosed {
			fmt.Fprintln(os.Stderr, "quickstart:", err)
			os.Exit(1)
		}
	}
}

// options are the command line's.
type options struct {
	dir     string
	verbose bool
	env     map[string]string
	// brief, when set, also builds a business site from it.
	brief string
}

// run executes the pipeline and returns the folder of the live static site.
func run(ctx context.Context, w io.Writer, o options) (string, error) {
	dir, verbose, env := o.dir, o.verbose, o.env
	if dir == "" {
		d, err := os.MkdirTemp("", "igny8-quickstart-")
		if err != nil {
			return "", err
		}
		dir = d
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	level := slog.LevelWarn
	if verbose {
		level = slog.LevelDebug
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	step := func(name, format string, args ...any) {
		fmt.Fprintf(w, "%-10s %s\n", name, fmt.Sprintf(format, args...))
	}

	// --- Store and kernel services ---------------------------------------
	dbPath := filepath.Join(dir, "igny8.db")
	store, err := sqlstore.Open(ctx, "sqlite:"+dbPath, sqlstore.Options{Logger: logger})
	if err != nil {
		return "", err
	}
	defer store.Close()
	step("store", "SQLite at %s (migrated)", dbPath)

	tenancy := igny8.NewTenancy(store, igny8.TenancyOptions{})
	credits := igny8.NewCredits(store, igny8.CreditsOptions{})
	limits := igny8.NewLimits(store, nil)
	events := igny8.NewEvents(store, nil, nil)

	plan, err := tenancy.CreatePlan(ctx, igny8.Plan{
		Name: "Growth",
		Limits: map[igny8.Limit]int64{
			igny8.LimitMaxSites:              3,
			igny8.LimitMaxUsers:              5,
			igny8.LimitMaxKeywords:           10000,
			igny8.LimitMaxClusters:           1000,
			igny8.LimitMaxContentIdeas:       2000,
			igny8.LimitDailyAIRequests:       500,
			igny8.LimitDailyContentTasks:     100,
			igny8.LimitMonthlyWords:          500000,
			igny8.LimitDailyImageGenerations: 100,
			igny8.LimitMonthlyImages:         1000,
			igny8.LimitStorageBytes:          1 << 30,
			igny8.LimitMaxConcurrentTasks:    4,
		},
		MonthlyCredits: 5000,
	})
	if err != nil {
		return "", err
	}
	step("plan", "%q (%d limits set)", plan.Name, len(plan.Limits))

	acct, err := tenancy.CreateAccount(ctx, igny8.Account{Name: "Acme Gardening", PlanID: plan.ID, TimeZone: "Europe/Berlin"})
	if err != nil {
		return "", err
	}
	scope := igny8.Scope{AccountID: acct.ID}
	step("account", "%q %s", acct.Name, acct.ID)

	owner, err := tenancy.CreateUser(ctx, scope, igny8.User{Email: "owner@acme.example", Name: "Ada Owner", Role: igny8.RoleOwner})
	if err != nil {
		return "", err
	}
	step("user", "%s (%s)", owner.Email, owner.Role)

	site, err := tenancy.CreateSite(ctx, scope, igny8.Site{Name: "Acme Garden Blog", Domain: "garden.acme.example", Active: true})
	if err != nil {
		return "", err
	}
	siteScope := site.Scope()
	step("site", "%q %s", site.Name, site.Domain)

	sector, err := tenancy.CreateSector(ctx, siteScope, igny8.Sector{Name: "Vegetable Gardening"})
	if err != nil {
		return "", err
	}
	scope = sector.Scope()
	step("sector", "%q /%s", sector.Name, sector.Slug)

	grant, err := credits.Grant(ctx, scope, igny8.Charge{Amount: plan.MonthlyCredits, Reason: "monthly plan credits", IdempotencyKey: "grant:" + acct.ID + ":initial"})
	if err != nil {
		return "", err
	}
	step("credits", "granted %d, balance %d", grant.Amount, grant.BalanceAfter)
	sites, err := limits.Usage(ctx, scope, igny8.LimitMaxSites)
	if err != nil {
		return "", err
	}
	step("limits", "sites %d of %d", sites.Used, sites.Max)

	// --- AI runtime on the offline model ---------------------------------
	model := offline.New(offline.Options{})
	step("model", "%s", offline.ModelName)
	runner, err := ai.NewRunner(store, limits, credits, model, store, ai.RunnerOptions{Logger: logger, Prompts: store})
	if err != nil {
		return "", err
	}
	lib := ai.NewLibrary()

	// --- Planning: import, cluster, ideas --------------------------------
	library := content.NewLibrary(store, events, content.LibraryOptions{Logger: logger})
	planner := planning.NewPlanner(store, limits, events, planning.PlannerOptions{
		Runner: runner, Library: lib, Logger: logger,
		Targets: content.NewTargeting(store, planning.Normalize),
	})
	parsed, err := kwimport.Parse(strings.NewReader(sampleKeywords), kwimport.Options{})
	if err != nil {
		return "", err
	}
	rep, err := planner.Import(ctx, scope, parsed.Keywords())
	if err != nil {
		return "", err
	}
	step("import", "%d keywords from the sample CSV (%s format), %d duplicates folded", len(rep.Added), parsed.Format, len(parsed.Folded))

	clusters, err := planner.Cluster(ctx, scope, nil)
	if err != nil {
		return "", err
	}
	step("cluster", "%d clusters", len(clusters.Created))
	sort.Slice(clusters.Created, func(i, j int) bool { return clusters.Created[i].TotalVolume > clusters.Created[j].TotalVolume })
	for _, c := range clusters.Created {
		step("", "  %-32q %d keywords, volume %d", c.Name, c.KeywordCount, c.TotalVolume)
	}

	var tasks []content.NewTask
	for i, c := range clusters.Created {
		if i == 3 {
			break
		}
		ideas, err := planner.ProposeIdeas(ctx, scope, c.ID, planning.IdeaOptions{Count: 2, Site: site.Name, Sector: sector.Name})
		if err != nil {
			return "", err
		}
		for _, idea := range ideas {
			tasks = append(tasks, automation.TaskFromIdea(idea))
		}
	}
	step("ideas", "%d ideas for the 3 largest clusters", len(tasks))

	// --- Content: tasks, articles, images --------------------------------
	writer := content.NewWriter(store, library, content.NewAIGenerator(runner, lib, store), limits, events, content.WriterOptions{Logger: logger})
	created, err := writer.CreateTasks(ctx, scope, tasks)
	if err != nil {
		return "", err
	}
	res, err := writer.RunBatch(ctx, scope, created[0].BatchID, content.BatchOptions{Concurrency: 4, Progress: func(p content.Progress) {
		fmt.Fprintf(w, "\r%-10s %d/%d articles written, %d failed", "writing", p.Completed, p.Total, p.Failed)
	}})
	fmt.Fprintln(w)
	if err != nil {
		return "", err
	}
	if res.Failed > 0 {
		return "", fmt.Errorf("%d articles failed", res.Failed)
	}

	storage, err := fsstorage.New(filepath.Join(dir, "storage"), fsstorage.LimitsQuota{Limits: limits}, fsstorage.Options{Logger: logger})
	if err != nil {
		return "", err
	}
	defer storage.Close()
	illustrator := content.NewIllustrator(store, library, model, storage, limits, credits, events, content.IllustratorOptions{Logger: logger})
	articles, err := library.List(ctx, scope, content.ContentFilter{}, igny8.PageRequest{})
	if err != nil {
		return "", err
	}
	images := 0
	for _, a := range articles {
		r, err := illustrator.Illustrate(ctx, scope, a.ID)
		if err != nil {
			return "", err
		}
		images += r.Generated
	}
	step("images", "%d images generated and placed", images)

	// --- Linking: internal links between the articles --------------------
	linker := automation.NewSiteLinker(store, library, store, events, nil)
	links := 0
	for _, a := range articles {
		n, err := linker.LinkContent(ctx, scope, a.ID)
		if err != nil {
			return "", err
		}
		links += n
	}
	articles, err = library.List(ctx, scope, content.ContentFilter{}, igny8.PageRequest{})
	if err != nil {
		return "", err
	}
	var pages []linking.Page
	for _, a := range articles {
		pages = append(pages, linking.Page{ID: a.ID, URL: "/" + a.Slug + "/", Title: a.Title, HTML: a.HTML, PrimaryKeyword: a.PrimaryKeyword, Published: true})
	}
	step("linking", "%d internal links inserted; graph: %s", links, linking.BuildGraph(pages, linking.GraphOptions{}).Summary())

	// --- Optimization: analyze, rewrite, keep only what improves ----------
	optimizer := rewrite.NewOptimizer(store, library, rewrite.AIRewriter{Library: lib, Runner: runner}, store, events,
		optimization.NewAnalyzer(optimization.Options{}), rewrite.OptimizerOptions{Logger: logger})
	kept := 0
	for _, a := range articles {
		task, err := optimizer.Optimize(ctx, scope, rewrite.OptimizeRequest{ContentID: a.ID, SiteHost: site.Domain})
		if err != nil {
			return "", err
		}
		verdict := "kept as version " + fmt.Sprint(task.NewVersion)
		if task.Status != rewrite.TaskAccepted {
			verdict = "rewrite not kept: " + task.Reason
		} else {
			kept++
		}
		step("", "  %-48q SEO %d→%d, readability %d→%d, %s", a.Title, task.SEOBefore, task.SEOAfter, task.ReadabilityBefore, task.ReadabilityAfter, verdict)
	}
	step("optimize", "%d of %d rewrites kept", kept, len(articles))
	if articles, err = library.List(ctx, scope, content.ContentFilter{}, igny8.PageRequest{}); err != nil {
		return "", err
	}

	// --- Publishing: a static site, and WordPress when configured --------
	pub, err := newPublishing(ctx, store, storage, events, logger, filepath.Join(dir, "sites"), siteScope, site, env)
	if err != nil {
		return "", err
	}
	for _, a := range articles {
		imgs, err := store.ListImages(ctx, scope, a.ID)
		if err != nil {
			return "", err
		}
		for _, d := range pub.destinations {
			rec, err := pub.svc.Publish(ctx, siteScope, d.ID, automation.PublishItem(a, imgs, []string{sector.Name}))
			if err != nil {
				return "", fmt.Errorf("publish %q to %s: %w", a.Title, d.Name, err)
			}
			if err := library.SetStatus(ctx, scope, a.ID, content.StatusPublished, []content.Placement{{
				Destination: d.ID, ExternalID: rec.RemoteID, URL: rec.URL, Version: rec.PublishedVersion, PublishedAt: time.Now().UTC(),
			}}); err != nil {
				return "", err
			}
		}
	}
	for _, d := range pub.destinations {
		step("publish", "%d articles to %s (%s)", len(articles), d.Name, d.Kind)
	}
	deps, err := pub.renderer.Deployments(ctx, siteScope)
	if err != nil {
		return "", err
	}
	live := deps[len(deps)-1]
	current, err := pub.renderer.CurrentDir(siteScope)
	if err != nil {
		return "", err
	}
	step("site", "version %d live: %d pages, %.1f KB in %s", live.Version, live.Pages, float64(live.Bytes)/1024, current)
	step("", "  open it with: go run ./examples/quickstart -dir %s -serve 127.0.0.1:8080   (or any static file server)", dir)

	if o.brief != "" {
		bp, rec, slugs, err := buildSite(ctx, store, tenancy, limits, credits, events, runner, model, storage, logger,
			filepath.Join(dir, "sites"), igny8.Scope{AccountID: acct.ID}, "Acme Landscaping", o.brief)
		if err != nil {
			return "", fmt.Errorf("site builder: %w", err)
		}
		step("builder", "%q %s: pages %s", bp.Name, bp.Status, strings.Join(slugs, ", "))
		step("", "  version %d live: %d pages in %s", rec.Version, rec.Pages, rec.Path)
	}

	bal, err := credits.Balance(ctx, scope)
	if err != nil {
		return "", err
	}
	step("credits", "balance %d after the run", bal)
	step("done", "everything is in %s", dir)
	return current, nil
}
