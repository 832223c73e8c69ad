package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/igny8/sdk/adapters/fsstorage"
	"github.com/igny8/sdk/adapters/offline"
	"github.com/igny8/sdk/adapters/sitesfs"
	"github.com/igny8/sdk/adapters/sqlstore"
	"github.com/igny8/sdk/ai"
	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/sitebuilding"
	"github.com/igny8/sdk/sitebuilding/staticsite"
)

// benchSiteBuild (bench sitegen) builds -builds sites from a brief with the offline model
// (structure, copy, images, deploy on SQLite and the filesystem), then
// edits one block of each and deploys again; it reports the mean time of
// each step and the files the second deploy wrote.
func benchSiteBuild(ctx context.Context, args []string, out *reporter) error {
	fs := flag.NewFlagSet("sitegen", flag.ContinueOnError)
	builds := fs.Int("builds", 10, "sites to build")
	pages := fs.Int("pages", 7, "max pages per site (1 to 50)")
	concurrency := fs.Int("concurrency", 4, "pages written at once")
	dsn := fs.String("dsn", "sqlite::memory:", "store DSN (sqlite:..., postgres://...)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "igny8-bench-sitebuild-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	store, err := sqlstore.Open(ctx, *dsn, sqlstore.Options{})
	if err != nil {
		return err
	}
	defer store.Close()
	ten := igny8.NewTenancy(store, igny8.TenancyOptions{})
	plan, err := ten.CreatePlan(ctx, igny8.Plan{Name: fmt.Sprintf("bench-sitebuild-%d", time.Now().UnixNano())})
	if err != nil {
		return err
	}
	acct, err := ten.CreateAccount(ctx, igny8.Account{Name: "bench", PlanID: plan.ID})
	if err != nil {
		return err
	}
	a := igny8.Scope{AccountID: acct.ID}
	credits := igny8.NewCredits(store, igny8.CreditsOptions{})
	if _, err := credits.Grant(ctx, a, igny8.Charge{Amount: 1 << 40, Reason: "bench", IdempotencyKey: "bench"}); err != nil {
		return err
	}
	limits := igny8.NewLimits(store, nil)
	model := offline.New(offline.Options{})
	quiet := slog.New(slog.DiscardHandler)
	runner, err := ai.NewRunner(store, limits, credits, model, store, ai.RunnerOptions{Logger: quiet})
	if err != nil {
		return err
	}
	media, err := fsstorage.New(filepath.Join(dir, "media"), fsstorage.NoQuota{}, fsstorage.Options{NoSync: true})
	if err != nil {
		return err
	}
	sites, err := sitesfs.New(filepath.Join(dir, "sites"), media, sitesfs.Options{})
	if err != nil {
		return err
	}
	b, err := sitebuilding.NewBuilder(store, runner, ai.NewLibrary(), limits, igny8.NewEvents(store, nil, nil), sitebuilding.Options{
		Renderer: staticsite.New(sites, media, staticsite.Options{PreviewDir: dir}),
		Images:   model, Storage: media, Credits: credits, Concurrency: *concurrency, Logger: quiet,
	})
	if err != nil {
		return err
	}
	var step [6]time.Duration // structure, copy, images, deploy, edit, redeploy
	written, written2, files, pagesOut := 0, 0, 0, 0
	start := time.Now()
	for i := range *builds {
		site, err := ten.CreateSite(ctx, a, igny8.Site{Name: fmt.Sprintf("site %d", i), Domain: fmt.Sprintf("s%d.bench.example", i)})
		if err != nil {
			return err
		}
		scope := site.Scope()
		bp, err := b.Create(ctx, scope, sitebuilding.NewBlueprint{BaseURL: "https://bench.example", Wizard: sitebuilding.Wizard{
			SiteType: sitebuilding.SiteLocalBusiness, Business: "Crumb & Co", MaxPages: *pages,
			Brief:      "A sourdough bakery in Leipzig: bread, pastries and cakes baked every morning, catering for offices.",
			Objectives: []string{"Fresh bread", "Cakes to order", "Catering"},
			Contact:    sitebuilding.ContactInfo{Email: "hello@crumb.example", Phone: "+49 341 555 0101"},
		}})
		if err != nil {
			return err
		}
		t := time.Now()
		lap := func(k int) { step[k] += time.Since(t); t = time.Now() }
		if _, err := b.GenerateStructure(ctx, scope, bp.ID); err != nil {
			return err
		}
		lap(0)
		if _, err := b.GenerateCopy(ctx, scope, bp.ID); err != nil {
			return err
		}
		lap(1)
		if _, err := b.GenerateImages(ctx, scope, bp.ID); err != nil {
			return err
		}
		lap(2)
		rec, err := b.Deploy(ctx, scope, bp.ID)
		if err != nil {
			return err
		}
		lap(3)
		written, files, pagesOut = written+rec.Written, files+rec.Files, pagesOut+rec.Pages
		_, ps, err := b.Get(ctx, scope, bp.ID)
		if err != nil {
			return err
		}
		h := *ps[1].Blocks[0].Data.(*sitebuilding.Hero)
		h.Heading = "Baked before sunrise"
		if _, err := b.UpdateBlock(ctx, scope, bp.ID, ps[1].Slug, 0, sitebuilding.NewBlock(&h)); err != nil {
			return err
		}
		lap(4)
		rec2, err := b.Deploy(ctx, scope, bp.ID)
		if err != nil {
			return err
		}
		lap(5)
		written2 += rec2.Written
	}
	n := float64(*builds)
	ms := func(d time.Duration) float64 { return round(float64(d.Microseconds())/1000/n, 2) }
	return out.Report(Result{Bench: "sitegen", N: *builds, Elapsed: time.Since(start), Extra: map[string]any{
		"dsn_kind": (*dsn)[:min(len(*dsn), 8)], "max_pages": *pages, "pages_per_site": round(float64(pagesOut)/n, 1),
		"structure_ms": ms(step[0]), "copy_ms": ms(step[1]), "images_ms": ms(step[2]), "deploy_ms": ms(step[3]),
		"edit_block_ms": ms(step[4]), "redeploy_ms": ms(step[5]),
		"files_per_site": round(float64(files)/n, 1), "written_first": round(float64(written)/n, 1), "written_after_edit": round(float64(written2)/n, 1),
	}})
}
