package main

import (
	"context"
	"log/slog"

	"github.com/igny8/sdk/adapters/fsstorage"
	"github.com/igny8/sdk/adapters/offline"
	"github.com/igny8/sdk/adapters/sitesfs"
	"github.com/igny8/sdk/adapters/sqlstore"
	"github.com/igny8/sdk/ai"
	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/sitebuilding"
	"github.com/igny8/sdk/sitebuilding/staticsite"
)

// buildSite builds a small business site from a brief with the site
// builder (structure, copy, images, deploy) on a site of its own, and
// returns the builder's blueprint, the deployment and its page slugs.
func buildSite(ctx context.Context, store *sqlstore.Store, tenancy *igny8.Tenancy, limits *igny8.Limits, credits *igny8.Credits,
	events *igny8.Events, runner *ai.Runner, model *offline.Model, storage *fsstorage.Storage, logger *slog.Logger,
	root string, account igny8.Scope, business, brief string) (sitebuilding.SiteBlueprint, sitebuilding.DeploymentRecord, []string, error) {
	site, err := tenancy.CreateSite(ctx, account, igny8.Site{Name: business, Domain: "www.acme-landscaping.example", Active: true})
	if err != nil {
		return sitebuilding.SiteBlueprint{}, sitebuilding.DeploymentRecord{}, nil, err
	}
	renderer, err := sitesfs.New(root, storage, sitesfs.Options{Logger: logger})
	if err != nil {
		return sitebuilding.SiteBlueprint{}, sitebuilding.DeploymentRecord{}, nil, err
	}
	builder, err := sitebuilding.NewBuilder(store, runner, ai.NewLibrary(), limits, events, sitebuilding.Options{
		Renderer: staticsite.New(renderer, storage, staticsite.Options{}),
		Images:   model, Storage: storage, Credits: credits, Logger: logger,
	})
	if err != nil {
		return sitebuilding.SiteBlueprint{}, sitebuilding.DeploymentRecord{}, nil, err
	}
	bp, rec, err := sitebuilding.QuickBuild(ctx, builder, site.Scope(), sitebuilding.NewBlueprint{
		BaseURL: "https://" + site.Domain,
		Wizard: sitebuilding.Wizard{
			SiteType: sitebuilding.SiteLocalBusiness, Business: business, Brief: brief, MaxPages: 5,
			Objectives: []string{"get quote requests", "show past projects"},
			Contact:    sitebuilding.ContactInfo{Email: "hello@acme-landscaping.example"},
		},
	})
	if err != nil {
		return bp, rec, nil, err
	}
	_, pages, err := builder.Get(ctx, site.Scope(), bp.ID)
	var slugs []string
	for _, p := range pages {
		slugs = append(slugs, p.Slug)
	}
	return bp, rec, slugs, err
}
