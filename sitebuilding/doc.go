// Package sitebuilding is the site builder: from a wizard's answers (site
// type, business brief, objectives, audience, style) to a deployed
// multi-page site, in steps a person can review.
//
// The main types:
//
//   - SiteBlueprint holds the wizard's answers and where the build is
//     (draft → generating → ready → deployed); PageBlueprint is one page:
//     slug, type (home, about, services, service_detail, product, contact,
//     blog_index, legal, …), title and its blocks in order.
//   - Builder runs the steps, each on its own and re-runnable:
//     GenerateStructure (the model proposes the pages and their block
//     outlines; the output is repaired where that is safe — slugs made
//     unique with -2, a missing heading taken from the page title, links
//     pointed at existing pages, blocks without content dropped, each
//     repair noted — and asked again when it is unusable, so invalid output
//     never reaches the store), GenerateCopy (pages written in parallel with
//     bounded concurrency; article pages through the content writer),
//     GenerateImages (hero, gallery and image blocks, within the image
//     limits), Preview (a render to a temporary folder) and Deploy (through
//     a Renderer, with a DeploymentRecord and a site_deployed event).
//     Deployments and Deployment read the records; Rollback makes an
//     earlier live deployment's version the live site again (the Renderer
//     keeps the last versions; a failed deployment or a version no longer
//     kept is Conflict) and records it as a new deployment of that version
//     with a site_deployed event (rollback: true, rolled_back_to).
//     Edits — add, remove, reorder pages and blocks, regenerate one block or
//     one page — are validated against the schema before they are stored.
//     Creating a blueprint counts against the plan's max_sites_built, each
//     structure run against daily_site_generations.
//   - ThemeTokens turns the wizard's style into the renderer's theme tokens
//     (colours, fonts, spacing), with text, muted text and link colours
//     corrected to WCAG AA contrast (4.5:1) against the background.
//   - Store is the persistence port (adapters/sqlstore implements it;
//     sitebuildingtest is its conformance suite); Renderer the rendering
//     port: deploy, preview and roll back (sitebuilding/staticsite adapts
//     adapters/sitesfs).
//
// QuickBuild runs every step on a wizard:
//
//	b, _ := sitebuilding.NewBuilder(store, runner, ai.NewLibrary(), limits, events, sitebuilding.Options{
//		Renderer: staticsite.New(sites, media, staticsite.Options{}), Images: model, Storage: media,
//	})
//	bp, rec, err := sitebuilding.QuickBuild(ctx, b, scope, sitebuilding.NewBlueprint{BaseURL: "https://bakery.example", Wizard: wizard})
//
// A page is a list of Blocks; each block has a type and typed data (Hero,
// Text, Features, CTA, FAQ, Testimonials, Pricing, Gallery, Contact,
// PostList, Image, Columns). The JSON form of a block is
// {"type": "hero", "data": {...}}. ParseBlocks refuses unknown block types
// and unknown fields when blocks are loaded, not when they are rendered,
// and Validate names the bad field by its path:
//
//	blocks, err := sitebuilding.ParseBlocks(raw)
//	// err: sitebuilding.Validate: blocks[2].button.url: "javascript:x" is not a site path, ...
package sitebuilding
