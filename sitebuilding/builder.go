package sitebuilding

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/igny8/sdk/ai"
	"github.com/igny8/sdk/content"
	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/internal/sanitize"
)

// BuilderStore is what the Builder persists to: the site builder's store
// in the kernel's transactions (adapters/sqlstore is one).
type BuilderStore interface {
	igny8.Transactor
	Store
}

// Options configures a Builder; the zero value is usable for the
// structure and copy steps.
type Options struct {
	// Renderer previews and deploys sites (sitebuilding/staticsite over
	// adapters/sitesfs); Preview, Deploy and Rollback need it.
	Renderer Renderer
	// Writer writes article pages (legal, service and product details)
	// with the content writer's generation, e.g. content.NewAIGenerator.
	// Without it those pages get their copy like the others.
	Writer content.Generator
	// Images and Storage generate and keep the images of hero, gallery and
	// image blocks; GenerateImages needs both. Credits, when set, charges
	// each image (igny8.FuncGenerateImage).
	Images    igny8.ImageGenerator
	Storage   igny8.Storage
	Credits   *igny8.Credits
	ImageSize string
	// Concurrency bounds the pages written at once (default 4).
	Concurrency int
	// Sanitize cleans model HTML (text blocks, article pages) before it is
	// stored; default: the SDK's sanitizer (the strict allow-list the
	// content package uses).
	Sanitize func(string) string
	Clock    igny8.Clock
	IDs      igny8.IDGenerator
	Logger   *slog.Logger
}

// Builder runs the site builder's steps on blueprints: structure, copy,
// images, preview and deploy, each on its own and re-runnable, plus the
// edits between them and rollbacks to a deployed version. Every page it stores passes ValidatePages.
type Builder struct {
	store     BuilderStore
	runner    *ai.Runner
	lib       *ai.Library
	limits    *igny8.Limits
	events    *igny8.Events
	opts      Options
	structure *ai.Function[ai.SiteStructureInput, ai.SiteStructureOutput]
	pageCopy  *ai.Function[pageCopyInput, ai.SiteStructureOutput]
}

// NewBuilder returns a Builder. runner and lib run the model; limits holds
// max_sites_built and daily_site_generations; events receives
// site_structure_generated and site_deployed.
func NewBuilder(store BuilderStore, runner *ai.Runner, lib *ai.Library, limits *igny8.Limits, events *igny8.Events, opts Options) (*Builder, error) {
	const op = "sitebuilding.NewBuilder"
	switch {
	case store == nil:
		return nil, igny8.InvalidArgument(op, "store", "is required")
	case runner == nil:
		return nil, igny8.InvalidArgument(op, "runner", "is required")
	case lib == nil:
		return nil, igny8.InvalidArgument(op, "lib", "is required")
	case limits == nil:
		return nil, igny8.InvalidArgument(op, "limits", "is required")
	case events == nil:
		return nil, igny8.InvalidArgument(op, "events", "is required")
	}
	if opts.Clock == nil {
		opts.Clock = igny8.SystemClock{}
	}
	if opts.IDs == nil {
		opts.IDs = &igny8.UUIDv7{Clock: opts.Clock}
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = 4
	}
	if opts.Sanitize == nil {
		opts.Sanitize = sanitize.Sanitize
	}
	if opts.ImageSize == "" {
		opts.ImageSize = "1024x768"
	}
	b := &Builder{store: store, runner: runner, lib: lib, limits: limits, events: events, opts: opts}
	sys, usr := lib.SiteStructure.DefaultPrompt()
	var err error
	// The library's site_structure prompt, schema and prompt ID (so account
	// overrides apply), with the builder's validation: repairs in place,
	// and a re-ask inside the same run when the output is unusable.
	b.structure, err = ai.NewFunction(ai.Spec[ai.SiteStructureInput, ai.SiteStructureOutput]{
		Name: lib.SiteStructure.Name(), PromptID: lib.SiteStructure.PromptID(), System: sys, User: usr,
		CheckInput: checkStructureInput, Validate: func(in ai.SiteStructureInput, out *ai.SiteStructureOutput) error {
			return validateStructure(in, out, opts.Sanitize)
		},
	})
	if err != nil {
		return nil, igny8.Wrap(igny8.CodeInternal, op, err)
	}
	b.pageCopy, err = ai.NewFunction(ai.Spec[pageCopyInput, ai.SiteStructureOutput]{
		Name: igny8.FuncGenerateSiteStructure, PromptID: PageCopyPromptID, System: sys, User: pageCopyUser,
		CheckInput: checkPageCopyInput, Validate: validatePageCopy,
	})
	if err != nil {
		return nil, igny8.Wrap(igny8.CodeInternal, op, err)
	}
	return b, nil
}

// PageCopyPromptID is the prompt ID of the copy step (an account may
// override it like any prompt of the ai library).
const PageCopyPromptID = igny8.FuncGenerateSiteStructure + ".page_copy"

const pageCopyUser = `Write the finished copy of the page "{{.Page.Title}}" of the {{default "business" .SiteType}} website{{if .Business}} for {{.Business}}{{end}}{{if .Tone}}, in a {{.Tone}} tone{{end}}{{if .Audience}}, for {{.Audience}}{{end}}. The brief and the page's block outline are in the input.
Answer with one page: slug "{{.Page.Slug}}", the same title, and exactly the blocks of the outline, in the same order and of the same types. Fill every field with final copy (heading, subheading, text, button_label, button_link; items one per line: features as "Title: text", FAQ as "Question? Answer", testimonials as "Quote — Name", pricing as "Plan: price: feature, feature").`

type pageCopyInput struct {
	ai.SiteStructureInput
	Audience string        `json:"audience,omitempty"`
	Tone     string        `json:"tone,omitempty"`
	Page     ai.PageOutput `json:"page"`
}

func checkStructureInput(in ai.SiteStructureInput) error {
	const op = "sitebuilding.GenerateStructure"
	if strings.TrimSpace(in.Brief) == "" {
		return igny8.InvalidArgument(op, "brief", "is required")
	}
	if in.MaxPages < 1 || in.MaxPages > 50 {
		return igny8.InvalidArgument(op, "max_pages", "must be 1 to 50, got %d", in.MaxPages)
	}
	return nil
}

func checkPageCopyInput(in pageCopyInput) error {
	if strings.TrimSpace(in.Page.Title) == "" {
		return igny8.InvalidArgument("sitebuilding.GenerateCopy", "page.title", "is required")
	}
	return checkStructureInput(in.SiteStructureInput)
}

// validateStructure checks and repairs the model's structure in place of
// the library's validation; an unusable one is an *ai.OutputError, which
// makes the runner ask again in the same run.
func validateStructure(in ai.SiteStructureInput, out *ai.SiteStructureOutput, clean func(string) string) error {
	if len(out.Pages) > in.MaxPages {
		return &ai.OutputError{Path: "$.pages", Reason: fmt.Sprintf("at most %d pages, got %d", in.MaxPages, len(out.Pages))}
	}
	_, _, err := convertStructure(wizardFromInput(in), *out, clean)
	return err
}

func validatePageCopy(in pageCopyInput, out *ai.SiteStructureOutput) error {
	if len(out.Pages) != 1 {
		return &ai.OutputError{Path: "$.pages", Reason: fmt.Sprintf("answer with exactly one page, got %d", len(out.Pages))}
	}
	return nil
}

// structureInput is what the structure step sends the model.
func structureInput(w Wizard) ai.SiteStructureInput {
	brief := w.Brief
	if w.Audience != "" {
		brief += "\nAudience: " + w.Audience
	}
	if w.Style.Tone != "" {
		brief += "\nTone: " + w.Style.Tone
	}
	c := w.Contact
	if c.Email != "" || c.Phone != "" || c.Address != "" {
		brief += "\n" + contactMarker + c.Email + " | " + c.Phone + " | " + c.Address
	}
	return ai.SiteStructureInput{
		Brief: brief, Business: w.Business, SiteType: strings.ReplaceAll(string(w.SiteType), "_", " "),
		Objectives: w.Objectives, Style: w.Style.Tone, MaxPages: w.MaxPages,
	}
}

const contactMarker = "Contact (email | phone | address): "

// wizardFromInput rebuilds what validation needs of the wizard from the
// structure input (contact details travel in the brief's last line).
func wizardFromInput(in ai.SiteStructureInput) Wizard {
	w := Wizard{Business: in.Business, Brief: in.Brief}
	if i := strings.LastIndex(in.Brief, contactMarker); i >= 0 {
		parts := strings.SplitN(in.Brief[i+len(contactMarker):], " | ", 3)
		for len(parts) < 3 {
			parts = append(parts, "")
		}
		w.Contact = ContactInfo{Email: parts[0], Phone: parts[1], Address: strings.TrimSpace(parts[2])}
	}
	return w
}

// NewBlueprint is what Create needs: the wizard's answers and where the
// site will be served.
type NewBlueprint struct {
	Name    string
	BaseURL string
	Wizard  Wizard
}

// Create stores a draft blueprint, counting it against the account's
// max_sites_built in the same transaction.
func (b *Builder) Create(ctx context.Context, scope igny8.Scope, nb NewBlueprint) (SiteBlueprint, error) {
	const op = "sitebuilding.Create"
	if err := scope.RequireSite(op); err != nil {
		return SiteBlueprint{}, err
	}
	scope = scope.Site()
	if strings.TrimSpace(nb.Name) == "" {
		nb.Name = nb.Wizard.Business
	}
	if strings.TrimSpace(nb.Name) == "" || len(nb.Name) > 200 {
		return SiteBlueprint{}, igny8.InvalidArgument(op, "name", "must be 1 to 200 bytes, got %d", len(nb.Name))
	}
	if err := checkBaseURL(op, nb.BaseURL); err != nil {
		return SiteBlueprint{}, err
	}
	if err := nb.Wizard.normalize(op); err != nil {
		return SiteBlueprint{}, err
	}
	now := b.opts.Clock.Now().UTC()
	bp := SiteBlueprint{ID: b.opts.IDs.NewID(), Scope: scope, Name: nb.Name, BaseURL: strings.TrimRight(nb.BaseURL, "/"),
		Wizard: nb.Wizard, Status: StatusDraft, CreatedAt: now, UpdatedAt: now}
	err := b.store.InTx(ctx, func(ctx context.Context) error {
		if _, err := b.limits.Reserve(ctx, scope.Account(), igny8.LimitMaxSitesBuilt, 1); err != nil {
			return err
		}
		return b.store.CreateBlueprint(ctx, scope, bp)
	})
	if err != nil {
		return SiteBlueprint{}, igny8.Wrap(igny8.CodeInternal, op, err)
	}
	return bp, nil
}

func checkBaseURL(op, s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return igny8.InvalidArgument(op, "base_url", "%q is not an http(s) URL without query", s)
	}
	return nil
}

// Delete removes a blueprint, its pages and deployment records, and gives
// back its max_sites_built slot. The deployed files stay where they are.
func (b *Builder) Delete(ctx context.Context, scope igny8.Scope, id string) error {
	const op = "sitebuilding.Delete"
	if err := scope.RequireSite(op); err != nil {
		return err
	}
	scope = scope.Site()
	return b.store.InTx(ctx, func(ctx context.Context) error {
		if err := b.store.DeleteBlueprint(ctx, scope, id); err != nil {
			return err
		}
		// The count is keyed by account only: release the same key Reserve used.
		return b.limits.Release(ctx, igny8.Reservation{Key: igny8.UsageKey{AccountID: scope.AccountID, Limit: igny8.LimitMaxSitesBuilt}, N: 1})
	})
}

// Get returns a blueprint and its pages.
func (b *Builder) Get(ctx context.Context, scope igny8.Scope, id string) (SiteBlueprint, []PageBlueprint, error) {
	const op = "sitebuilding.Get"
	if err := scope.RequireSite(op); err != nil {
		return SiteBlueprint{}, nil, err
	}
	scope = scope.Site()
	bp, err := b.store.GetBlueprint(ctx, scope, id)
	if err != nil {
		return SiteBlueprint{}, nil, err
	}
	pages, err := b.store.ListPages(ctx, scope, id)
	if err != nil {
		return SiteBlueprint{}, nil, err
	}
	return bp, pages, nil
}

// UpdateWizard changes the wizard's answers (the next structure or copy
// step uses them) and the style of the next preview or deploy.
func (b *Builder) UpdateWizard(ctx context.Context, scope igny8.Scope, id string, w Wizard) (SiteBlueprint, error) {
	const op = "sitebuilding.UpdateWizard"
	if err := w.normalize(op); err != nil {
		return SiteBlueprint{}, err
	}
	bp, _, err := b.Get(ctx, scope, id)
	if err != nil {
		return SiteBlueprint{}, err
	}
	bp.Wizard = w
	if bp.Status == StatusDeployed {
		bp.Status = StatusReady
	}
	bp.UpdatedAt = b.opts.Clock.Now().UTC()
	return bp, b.store.UpdateBlueprint(ctx, scope.Site(), bp)
}

// StructureResult is what GenerateStructure did.
type StructureResult struct {
	Blueprint SiteBlueprint
	Pages     []PageBlueprint
	// Notes are the repairs made to the model's output.
	Notes []string
	RunID string
}

// GenerateStructure runs the site_structure function on the wizard's
// answers and replaces the blueprint's pages with the result: pages of
// typed blocks in outline state. The model's output is repaired where that
// is safe (slugs made unique with -2, a missing heading taken from the
// page title, links pointed at existing pages, blocks without content
// dropped) and asked again when it is unusable; invalid output never
// reaches the store. Each run counts against daily_site_generations.
func (b *Builder) GenerateStructure(ctx context.Context, scope igny8.Scope, id string) (StructureResult, error) {
	const op = "sitebuilding.GenerateStructure"
	bp, _, err := b.Get(ctx, scope, id)
	if err != nil {
		return StructureResult{}, err
	}
	scope = scope.Site()
	res, err := b.limits.Reserve(ctx, scope, igny8.LimitDailySiteGenerations, 1)
	if err != nil {
		return StructureResult{}, err
	}
	prev := bp.Status
	if err := b.setStatus(ctx, scope, &bp, StatusGenerating); err != nil {
		_ = b.limits.Release(context.WithoutCancel(ctx), res)
		return StructureResult{}, err
	}
	fail := func(err error) (StructureResult, error) {
		cctx := context.WithoutCancel(ctx)
		if rerr := b.limits.Release(cctx, res); rerr != nil {
			b.opts.Logger.ErrorContext(cctx, "sitebuilding: releasing the daily site generation failed", "blueprint", id, "error", rerr)
		}
		if serr := b.setStatus(cctx, scope, &bp, prev); serr != nil {
			b.opts.Logger.ErrorContext(cctx, "sitebuilding: restoring the blueprint status failed", "blueprint", id, "error", serr)
		}
		return StructureResult{}, err
	}
	out, err := b.structure.Run(ctx, b.runner, scope, structureInput(bp.Wizard), nil)
	if err != nil {
		return fail(err)
	}
	pages, notes, err := convertStructure(bp.Wizard, out.Output, b.opts.Sanitize)
	if err != nil {
		// The run's validation accepted it; converting again cannot differ.
		return fail(igny8.Errorf(igny8.CodeInternal, op, "structure accepted by validation but not converted: %w", err))
	}
	now := b.opts.Clock.Now().UTC()
	for i := range pages {
		pages[i].ID, pages[i].Scope, pages[i].BlueprintID, pages[i].Position = b.opts.IDs.NewID(), scope, bp.ID, i
		pages[i].CreatedAt, pages[i].UpdatedAt = now, now
	}
	bp.Status, bp.Notes, bp.UpdatedAt = StatusReady, notes, now
	err = b.store.InTx(ctx, func(ctx context.Context) error {
		if err := b.store.ReplacePages(ctx, scope, bp.ID, pages); err != nil {
			return err
		}
		if err := b.store.UpdateBlueprint(ctx, scope, bp); err != nil {
			return err
		}
		slugs := make([]string, len(pages))
		for i, p := range pages {
			slugs[i] = p.Slug
		}
		_, err := b.events.Emit(ctx, scope, igny8.EventSiteStructureGenerated, bp.ID, map[string]any{
			"blueprint_id": bp.ID, "pages": slugs, "repairs": len(notes), "run_id": out.RunID,
		})
		return err
	})
	if err != nil {
		return fail(igny8.Wrap(igny8.CodeInternal, op, err))
	}
	return StructureResult{Blueprint: bp, Pages: pages, Notes: notes, RunID: out.RunID}, nil
}

func (b *Builder) setStatus(ctx context.Context, scope igny8.Scope, bp *SiteBlueprint, s Status) error {
	bp.Status, bp.UpdatedAt = s, b.opts.Clock.Now().UTC()
	return b.store.UpdateBlueprint(ctx, scope, *bp)
}

func findPage(pages []PageBlueprint, slug string) (int, error) {
	for i, p := range pages {
		if p.Slug == slug {
			return i, nil
		}
	}
	return -1, igny8.NotFound("sitebuilding", "page", slug)
}

// CopyResult is what GenerateCopy did.
type CopyResult struct {
	Pages []PageBlueprint
	Notes []string
}

// GenerateCopy fills the blocks of the named pages (all pages when none is
// named) with finished copy, several pages at once (Options.Concurrency).
// Article pages go through Options.Writer when it is set. Each page is
// stored as soon as it is written; a page that fails leaves the others
// written and is named in the error, so the step can be run again for it.
func (b *Builder) GenerateCopy(ctx context.Context, scope igny8.Scope, id string, slugs ...string) (CopyResult, error) {
	const op = "sitebuilding.GenerateCopy"
	bp, pages, err := b.Get(ctx, scope, id)
	if err != nil {
		return CopyResult{}, err
	}
	if len(pages) == 0 {
		return CopyResult{}, igny8.InvalidArgument(op, "blueprint", "%s has no pages; run GenerateStructure first", id)
	}
	scope = scope.Site()
	todo := make([]int, 0, len(pages))
	if len(slugs) == 0 {
		for i := range pages {
			todo = append(todo, i)
		}
	}
	for _, s := range slugs {
		i, err := findPage(pages, s)
		if err != nil {
			return CopyResult{}, err
		}
		todo = append(todo, i)
	}
	slugSet := make(map[string]bool, len(pages))
	contact := ""
	for _, p := range pages {
		slugSet[p.Slug] = true
		if p.Type == PageContact && contact == "" {
			contact = pagePath(p.Slug)
		}
	}
	notes := make([][]string, len(pages))
	errs := make([]error, len(pages))
	var g errgroup.Group
	g.SetLimit(b.opts.Concurrency)
	for _, i := range todo {
		g.Go(func() error {
			c := &converter{wizard: bp.Wizard, slugs: slugSet, contact: contact, clean: b.opts.Sanitize}
			p, err := b.writePage(ctx, scope, bp, pages[i], c, -1)
			notes[i] = c.notes
			if err == nil {
				// The page's copy replaces its blocks; other pages edited
				// meanwhile are left as they are.
				p, err = b.commitPage(ctx, op, scope, id, p.ID, func(stored *PageBlueprint) error {
					stored.Blocks, stored.Status = p.Blocks, p.Status
					return nil
				})
			}
			if err != nil {
				errs[i] = fmt.Errorf("page %q: %w", pages[i].Slug, err)
				return nil
			}
			pages[i] = p
			return nil
		})
	}
	_ = g.Wait()
	res := CopyResult{}
	for _, i := range todo {
		res.Pages = append(res.Pages, pages[i])
		res.Notes = append(res.Notes, notes[i]...)
	}
	if err := errors.Join(errs...); err != nil {
		return res, igny8.Wrap(igny8.CodeInternal, op, err)
	}
	return res, nil
}

// writePage writes the copy of one page (only block only, when only >= 0)
// and returns the page, validated, not yet stored.
func (b *Builder) writePage(ctx context.Context, scope igny8.Scope, bp SiteBlueprint, p PageBlueprint, c *converter, only int) (PageBlueprint, error) {
	blocks := append([]Block(nil), p.Blocks...)
	if p.Type.IsArticle() && b.opts.Writer != nil && (only < 0 || blocks[only].Type == BlockText || blocks[only].Type == BlockFAQ) {
		var err error
		if blocks, err = b.writeArticle(ctx, scope, bp, p, blocks, only); err != nil {
			return p, err
		}
	} else {
		in := pageCopyInput{SiteStructureInput: structureInput(bp.Wizard), Audience: bp.Wizard.Audience, Tone: bp.Wizard.Style.Tone,
			Page: ai.PageOutput{Slug: p.Slug, Type: string(p.Type), Title: p.Title, Description: p.Description, Blocks: outline(p.Blocks)}}
		in.MaxPages = 1
		out, err := b.pageCopy.Run(ctx, b.runner, scope, in, nil)
		if err != nil {
			return p, err
		}
		blocks = b.mergeCopy(c, &p, blocks, out.Output.Pages[0].Blocks, only)
	}
	p.Blocks = blocks
	if only < 0 {
		p.Status = PageWritten
	}
	p.UpdatedAt = b.opts.Clock.Now().UTC()
	if err := ValidatePage("page", p); err != nil {
		return p, err
	}
	return p, nil
}

// mergeCopy takes the model's copy of each outline block: the block at the
// same index when it has the same type, else the next unused one of that
// type; a block the copy does not cover keeps its outline.
func (b *Builder) mergeCopy(c *converter, p *PageBlueprint, blocks []Block, copied []ai.Block, only int) []Block {
	used := make([]bool, len(copied))
	for i := range blocks {
		if only >= 0 && i != only {
			continue
		}
		pick := -1
		if i < len(copied) && BlockType(copied[i].Type) == blocks[i].Type {
			pick = i
		} else {
			for j, cb := range copied {
				if !used[j] && BlockType(cb.Type) == blocks[i].Type {
					pick = j
					break
				}
			}
		}
		if pick < 0 {
			c.note("%s.blocks[%d]: the copy has no %s block; the outline stays", p.Slug, i, blocks[i].Type)
			continue
		}
		used[pick] = true
		nb, ok := c.block(fmt.Sprintf("%s.blocks[%d]", p.Slug, i), p, copied[pick])
		if !ok || nb.Validate("block") != nil {
			continue
		}
		keepImages(blocks[i], nb)
		blocks[i] = nb
	}
	return blocks
}

// keepImages carries generated images of old into its rewritten copy nb,
// so that rewriting copy does not throw away paid-for images.
func keepImages(old, nb Block) {
	switch o := old.Data.(type) {
	case *Hero:
		n := nb.Data.(*Hero)
		if o.Image != nil && !o.Image.Pending() {
			n.Image = o.Image
		}
	case *Gallery:
		n := nb.Data.(*Gallery)
		for k := range n.Images {
			if k < len(o.Images) && !o.Images[k].Pending() {
				n.Images[k] = o.Images[k]
			}
		}
	case *Image:
		n := nb.Data.(*Image)
		if !o.Image.Pending() {
			n.Image = o.Image
		}
	}
}

// outline turns typed blocks back into the model's field form.
func outline(blocks []Block) []ai.Block {
	out := make([]ai.Block, 0, len(blocks))
	for _, bl := range blocks {
		var f []ai.BlockField
		add := func(name, v string) {
			if v != "" {
				f = append(f, ai.BlockField{Name: name, Value: clampText(v, 4000)})
			}
		}
		var items []string
		switch d := bl.Data.(type) {
		case *Hero:
			add("heading", d.Heading)
			add("subheading", d.Subheading)
			if d.Button != nil {
				add("button_label", d.Button.Label)
				add("button_link", d.Button.URL)
			}
			if d.Image != nil {
				add("image", d.Image.Alt)
			}
		case *Text:
			add("heading", d.Heading)
			add("text", d.HTML)
		case *Features:
			add("heading", d.Heading)
			for _, it := range d.Items {
				items = append(items, it.Title+": "+it.Text)
			}
		case *CTA:
			add("heading", d.Heading)
			add("text", d.Text)
			add("button_label", d.Button.Label)
			add("button_link", d.Button.URL)
		case *FAQ:
			add("heading", d.Heading)
			for _, it := range d.Items {
				items = append(items, strings.TrimSuffix(it.Question, "?")+"? "+it.Answer)
			}
		case *Testimonials:
			add("heading", d.Heading)
			for _, it := range d.Items {
				items = append(items, it.Quote+" — "+it.Author)
			}
		case *Pricing:
			add("heading", d.Heading)
			for _, pl := range d.Plans {
				items = append(items, pl.Name+": "+pl.Price+": "+strings.Join(pl.Features, ", "))
			}
		case *Gallery:
			add("heading", d.Heading)
			for _, im := range d.Images {
				items = append(items, im.Alt)
			}
		case *Image:
			add("image", d.Image.Alt)
			add("caption", d.Caption)
		case *Contact:
			add("heading", d.Heading)
			add("text", d.Text)
			add("email", d.Email)
			add("phone", d.Phone)
			add("address", d.Address)
		case *PostList:
			add("heading", d.Heading)
			add("category", d.Category)
			add("limit", fmt.Sprint(d.Limit))
		}
		if len(items) > 0 {
			add("items", strings.Join(items, "\n"))
		}
		out = append(out, ai.Block{Type: string(bl.Type), Fields: f})
	}
	return out
}

var articleType = map[PageType]content.Type{
	PageServiceDetail: content.TypeService, PageProduct: content.TypeProduct, PageLegal: content.TypePage, PageArticle: content.TypePage,
}

// writeArticle writes an article page with the content writer: the body
// goes into the page's first text block (one is added after the hero when
// there is none), the article's FAQ into its FAQ block.
func (b *Builder) writeArticle(ctx context.Context, scope igny8.Scope, bp SiteBlueprint, p PageBlueprint, blocks []Block, only int) ([]Block, error) {
	task := content.Task{
		ID: p.ID, Scope: scope, Title: p.Title, Brief: strings.TrimSpace(p.Description + "\n" + bp.Wizard.Brief),
		PrimaryKeyword: p.Title, Type: articleType[p.Type], TargetWords: 600,
	}
	art, err := b.opts.Writer.Generate(ctx, scope, task, "sitebuilding:"+p.ID+":"+b.opts.IDs.NewID())
	if err != nil {
		return nil, err
	}
	body := b.opts.Sanitize(art.HTML)
	if strings.TrimSpace(body) == "" {
		return nil, igny8.Errorf(igny8.CodeInternal, "sitebuilding.GenerateCopy", "the article of page %q is empty after sanitizing", p.Slug)
	}
	body = clampText(body, MaxHTMLBytes)
	placed := false
	for i := range blocks {
		if only >= 0 && i != only {
			continue
		}
		switch d := blocks[i].Data.(type) {
		case *Text:
			if !placed {
				blocks[i] = NewBlock(&Text{Heading: d.Heading, HTML: body})
				placed = true
			}
		case *FAQ:
			var items []QA
			for _, f := range art.FAQ {
				if len(items) < MaxItems && strings.TrimSpace(f.Question) != "" && strings.TrimSpace(f.Answer) != "" {
					items = append(items, QA{Question: clampText(f.Question, 300), Answer: clampText(f.Answer, MaxTextBytes)})
				}
			}
			if len(items) > 0 {
				blocks[i] = NewBlock(&FAQ{Heading: d.Heading, Items: items})
			}
		}
	}
	if !placed && only < 0 && len(blocks) < MaxBlocks {
		at := 0
		if len(blocks) > 0 && blocks[0].Type == BlockHero {
			at = 1
		}
		blocks = append(blocks[:at], append([]Block{NewBlock(&Text{HTML: body})}, blocks[at:]...)...)
	}
	return blocks, nil
}
