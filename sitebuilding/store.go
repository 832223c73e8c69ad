package sitebuilding

import (
	"context"
	"time"

	"github.com/igny8/sdk/igny8"
)

// Store is the persistence port of the site builder (adapters/sqlstore
// implements it; sitebuildingtest is its conformance suite). Every method
// takes a scope with a site; a row of another account or site is
// NotFound, never returned or changed.
type Store interface {
	// CreateBlueprint stores a new blueprint (ID set by the caller).
	CreateBlueprint(ctx context.Context, scope igny8.Scope, b SiteBlueprint) error
	GetBlueprint(ctx context.Context, scope igny8.Scope, id string) (SiteBlueprint, error)
	// ListBlueprints lists the site's blueprints by ID (page.After is an ID).
	ListBlueprints(ctx context.Context, scope igny8.Scope, page igny8.PageRequest) ([]SiteBlueprint, error)
	// UpdateBlueprint replaces name, base URL, wizard, status, notes and
	// updated_at.
	UpdateBlueprint(ctx context.Context, scope igny8.Scope, b SiteBlueprint) error
	// DeleteBlueprint removes a blueprint with its pages and deployments.
	DeleteBlueprint(ctx context.Context, scope igny8.Scope, id string) error

	// ReplacePages replaces every page of a blueprint with pages, all or
	// none (the structure step, adding, removing and reordering pages).
	ReplacePages(ctx context.Context, scope igny8.Scope, blueprintID string, pages []PageBlueprint) error
	// UpdatePage replaces one page's slug, type, title, description,
	// blocks, status and updated_at, leaving the others untouched.
	UpdatePage(ctx context.Context, scope igny8.Scope, p PageBlueprint) error
	// ListPages returns a blueprint's pages by position.
	ListPages(ctx context.Context, scope igny8.Scope, blueprintID string) ([]PageBlueprint, error)

	CreateDeployment(ctx context.Context, scope igny8.Scope, d DeploymentRecord) error
	// GetDeployment returns one deployment of a blueprint; an id of
	// another blueprint, site or account is NotFound.
	GetDeployment(ctx context.Context, scope igny8.Scope, blueprintID, id string) (DeploymentRecord, error)
	// ListDeployments lists a blueprint's deployments, newest first.
	ListDeployments(ctx context.Context, scope igny8.Scope, blueprintID string, page igny8.PageRequest) ([]DeploymentRecord, error)
}

// RenderSite is what a Renderer renders: the site settings and its pages.
type RenderSite struct {
	Name        string
	BaseURL     string
	Description string
	Language    string
	Menu        []Link
	// Theme holds the style tokens (ThemeTokens).
	Theme map[string]string
	Pages []RenderPage
}

// RenderPage is one page to render; slug "home" is the home page.
type RenderPage struct {
	Slug        string
	Title       string
	Description string
	Blocks      []Block
	// Updated changes only when the page does, so that an incremental
	// renderer re-renders only changed pages.
	Updated time.Time
}

// Rendered is what a deploy or a rollback did.
type Rendered struct {
	Version int
	// Path is the version's folder, URL where it is served.
	Path  string
	URL   string
	Pages int
	Files int
	Bytes int64
	// Written counts the files rendered (none for a rollback).
	Written int
}

// Renderer renders and deploys block sites. The sitebuilding/staticsite
// package adapts adapters/sitesfs to it.
type Renderer interface {
	// Deploy renders site as the scope's live site.
	Deploy(ctx context.Context, scope igny8.Scope, site RenderSite) (Rendered, error)
	// Preview renders site into a new temporary folder, leaving the live
	// site alone, and returns the folder (the caller removes it).
	Preview(ctx context.Context, scope igny8.Scope, site RenderSite) (string, error)
	// Rollback makes an earlier version of the scope's site, one Deploy
	// returned, the live site again without rendering anything. A version
	// the renderer no longer keeps (or never made) is NotFound.
	Rollback(ctx context.Context, scope igny8.Scope, version int) (Rendered, error)
}
