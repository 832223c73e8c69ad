// Command quickstart runs the IGNY8 pipeline end to end on the embedded
// SQLite store with the offline model, so it needs no server and no API key:
//
//	go run ./examples/quickstart [-dir DIR]
//
// It creates a plan, an account, a site and a sector in DIR/igny8.db (a new
// temporary folder by default), grants credits and prints each step.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"

	"github.com/igny8/sdk/adapters/sqlstore"
	"github.com/igny8/sdk/igny8"
)

func main() {
	dir := flag.String("dir", "", "folder for the SQLite database and files (default: a new temporary folder)")
	verbose := flag.Bool("v", false, "log at debug level")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Stdout, *dir, *verbose); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, w io.Writer, dir string, verbose bool) error {
	if dir == "" {
		d, err := os.MkdirTemp("", "igny8-quickstart-")
		if err != nil {
			return err
		}
		dir = d
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	level := slog.LevelWarn
	if verbose {
		level = slog.LevelDebug
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	dbPath := filepath.Join(dir, "igny8.db")
	store, err := sqlstore.Open(ctx, "sqlite:"+dbPath, sqlstore.Options{Logger: logger})
	if err != nil {
		return err
	}
	defer store.Close()
	fmt.Fprintf(w, "store      SQLite at %s (migrated)\n", dbPath)

	tenancy := igny8.NewTenancy(store, igny8.TenancyOptions{})
	credits := igny8.NewCredits(store, igny8.CreditsOptions{})
	limits := igny8.NewLimits(store, nil)

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
		return err
	}
	fmt.Fprintf(w, "plan       %q (%d limits set)\n", plan.Name, len(plan.Limits))

	acct, err := tenancy.CreateAccount(ctx, igny8.Account{Name: "Acme Gardening", PlanID: plan.ID, TimeZone: "Europe/Berlin"})
	if err != nil {
		return err
	}
	scope := igny8.Scope{AccountID: acct.ID}
	fmt.Fprintf(w, "account    %q %s\n", acct.Name, acct.ID)

	owner, err := tenancy.CreateUser(ctx, scope, igny8.User{Email: "owner@acme.example", Name: "Ada Owner", Role: igny8.RoleOwner})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "user       %s (%s)\n", owner.Email, owner.Role)

	site, err := tenancy.CreateSite(ctx, scope, igny8.Site{Name: "Acme Garden Blog", Domain: "garden.acme.example", Active: true})
	if err != nil {
		return err
	}
	scope = site.Scope()
	fmt.Fprintf(w, "site       %q %s\n", site.Name, site.Domain)

	sector, err := tenancy.CreateSector(ctx, scope, igny8.Sector{Name: "Vegetable Gardening"})
	if err != nil {
		return err
	}
	scope = sector.Scope()
	fmt.Fprintf(w, "sector     %q /%s\n", sector.Name, sector.Slug)

	grant, err := credits.Grant(ctx, scope, igny8.Charge{Amount: plan.MonthlyCredits, Reason: "monthly plan credits", IdempotencyKey: "grant:" + acct.ID + ":initial"})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "credits    granted %d, balance %d\n", grant.Amount, grant.BalanceAfter)

	sites, err := limits.Usage(ctx, scope, igny8.LimitMaxSites)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "limits     sites %d of %d\n", sites.Used, sites.Max)
	fmt.Fprintf(w, "done       everything is in %s\n", dir)
	return nil
}
