package staticsite_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/igny8/sdk/adapters/fsstorage"
	"github.com/igny8/sdk/adapters/offline"
	"github.com/igny8/sdk/adapters/sitesfs"
	"github.com/igny8/sdk/adapters/sqlstore"
	"github.com/igny8/sdk/ai"
	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/sitebuilding"
	"github.com/igny8/sdk/sitebuilding/staticsite"
)

// Build a small business site from a brief with the offline model and
// deploy it as static files: the quickstart's five calls in QuickBuild.
func Example() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "igny8-example-")
	defer os.RemoveAll(dir)

	store, err := sqlstore.Open(ctx, "sqlite::memory:", sqlstore.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()
	ten := igny8.NewTenancy(store, igny8.TenancyOptions{})
	plan, _ := ten.CreatePlan(ctx, igny8.Plan{Name: "starter"})
	acct, _ := ten.CreateAccount(ctx, igny8.Account{Name: "Crumb & Co", PlanID: plan.ID})
	site, _ := ten.CreateSite(ctx, igny8.Scope{AccountID: acct.ID}, igny8.Site{Name: "bakery", Domain: "bakery.example"})
	credits := igny8.NewCredits(store, igny8.CreditsOptions{})
	credits.Grant(ctx, igny8.Scope{AccountID: acct.ID}, igny8.Charge{Amount: 1000, Reason: "welcome", IdempotencyKey: "welcome"})

	limits := igny8.NewLimits(store, nil)
	model := offline.New(offline.Options{})
	runner, _ := ai.NewRunner(store, limits, credits, model, store, ai.RunnerOptions{})
	media, _ := fsstorage.New(filepath.Join(dir, "media"), fsstorage.NoQuota{}, fsstorage.Options{})
	sites, _ := sitesfs.New(filepath.Join(dir, "sites"), media, sitesfs.Options{})
	builder, err := sitebuilding.NewBuilder(store, runner, ai.NewLibrary(), limits, igny8.NewEvents(store, nil, nil), sitebuilding.Options{
		Renderer: staticsite.New(sites, media, staticsite.Options{}),
		Images:   model, Storage: media, Credits: credits,
	})
	if err != nil {
		log.Fatal(err)
	}

	bp, rec, err := sitebuilding.QuickBuild(ctx, builder, site.Scope(), sitebuilding.NewBlueprint{
		BaseURL: "https://bakery.example",
		Wizard: sitebuilding.Wizard{
			SiteType: sitebuilding.SiteLocalBusiness, Business: "Crumb & Co", MaxPages: 4,
			Brief:   "A sourdough bakery in Leipzig: bread, pastries and cakes baked every morning.",
			Contact: sitebuilding.ContactInfo{Email: "hello@crumb.example"},
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	_, pages, _ := builder.Get(ctx, site.Scope(), bp.ID)
	var slugs []string
	for _, p := range pages {
		slugs = append(slugs, p.Slug)
	}
	fmt.Println(bp.Status, rec.Status, "version", rec.Version)
	fmt.Println(strings.Join(slugs, " "))
	_, err = os.Stat(filepath.Join(rec.Path, "contact", "index.html"))
	fmt.Println("contact page deployed:", err == nil)
	// Output:
	// deployed live version 1
	// home about services contact
	// contact page deployed: true
}
