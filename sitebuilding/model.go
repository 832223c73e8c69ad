package sitebuilding

import (
	"fmt"
	"strings"
	"time"

	"github.com/igny8/sdk/igny8"
)

// SiteType is the kind of site the wizard builds.
type SiteType string

// Site types.
const (
	SiteLocalBusiness SiteType = "local_business"
	SiteSaaS          SiteType = "saas"
	SiteEcommerce     SiteType = "ecommerce"
	SiteBlog          SiteType = "blog"
	SitePortfolio     SiteType = "portfolio"
)

// Valid reports whether t is a known site type.
func (t SiteType) Valid() bool {
	switch t {
	case SiteLocalBusiness, SiteSaaS, SiteEcommerce, SiteBlog, SitePortfolio:
		return true
	}
	return false
}

// Status is where a blueprint is in the builder's steps.
type Status string

// Blueprint statuses: draft (wizard answered) → generating (a step runs) →
// ready (pages can be reviewed, edited, previewed) → deployed (the live
// site shows the blueprint). An edit after a deploy makes it ready again.
const (
	StatusDraft      Status = "draft"
	StatusGenerating Status = "generating"
	StatusReady      Status = "ready"
	StatusDeployed   Status = "deployed"
)

// PageType is the role of a page in the site.
type PageType string

// Page types.
const (
	PageHome          PageType = "home"
	PageAbout         PageType = "about"
	PageServices      PageType = "services"
	PageServiceDetail PageType = "service_detail"
	PageProducts      PageType = "products"
	PageProduct       PageType = "product"
	PageContact       PageType = "contact"
	PageBlogIndex     PageType = "blog_index"
	PageLegal         PageType = "legal"
	PageArticle       PageType = "article"
	PageCustom        PageType = "custom"
)

// Valid reports whether t is a known page type.
func (t PageType) Valid() bool {
	switch t {
	case PageHome, PageAbout, PageServices, PageServiceDetail, PageProducts, PageProduct, PageContact,
		PageBlogIndex, PageLegal, PageArticle, PageCustom:
		return true
	}
	return false
}

// IsArticle reports whether pages of this type are long-form text that the
// content writer generates (a service or product description, a legal
// page, an article) rather than a composition of short blocks.
func (t PageType) IsArticle() bool {
	switch t {
	case PageServiceDetail, PageProduct, PageLegal, PageArticle:
		return true
	}
	return false
}

// PageStatus says how far a page is.
type PageStatus string

// Page statuses: outline (the structure step's blocks), written (copy
// filled by the copy step or by hand).
const (
	PageOutline PageStatus = "outline"
	PageWritten PageStatus = "written"
)

// Palette is the wizard's colours, as #rrggbb. Empty fields take the
// defaults of the site type.
type Palette struct {
	Primary    string `json:"primary,omitempty"`
	Secondary  string `json:"secondary,omitempty"`
	Accent     string `json:"accent,omitempty"`
	Background string `json:"background,omitempty"`
	Text       string `json:"text,omitempty"`
}

// Typography names the fonts: a font family name or one of the stacks
// "sans", "serif", "mono", "rounded".
type Typography struct {
	Heading string `json:"heading,omitempty"`
	Body    string `json:"body,omitempty"`
	// Scale is the base font size in px (14 to 22, default 17).
	Scale int `json:"scale,omitempty"`
}

// Style is the wizard's look and voice.
type Style struct {
	Palette    Palette    `json:"palette"`
	Typography Typography `json:"typography"`
	// Tone is the voice of the copy ("warm and plain").
	Tone string `json:"tone,omitempty"`
	// Spacing is "compact", "normal" (default) or "airy".
	Spacing string `json:"spacing,omitempty"`
}

// ContactInfo is how visitors reach the business; contact blocks the
// model leaves empty are filled from it.
type ContactInfo struct {
	Email   string `json:"email,omitempty"`
	Phone   string `json:"phone,omitempty"`
	Address string `json:"address,omitempty"`
}

// Wizard holds the answers of the site wizard.
type Wizard struct {
	SiteType SiteType `json:"site_type"`
	// Business is the name of the business or project.
	Business string `json:"business"`
	// Brief describes the business: what it offers, where, to whom.
	Brief      string      `json:"brief"`
	Objectives []string    `json:"objectives,omitempty"`
	Audience   string      `json:"audience,omitempty"`
	Style      Style       `json:"style"`
	Contact    ContactInfo `json:"contact"`
	// MaxPages caps the structure (1 to 50, default 6).
	MaxPages int `json:"max_pages,omitempty"`
	// Language is the BCP 47 language of the site (default "en").
	Language string `json:"language,omitempty"`
}

// Limits of the wizard's text.
const (
	MaxBriefBytes   = 4000
	MaxObjectives   = 10
	DefaultMaxPages = 6
)

func (w *Wizard) normalize(op string) error {
	if !w.SiteType.Valid() {
		return igny8.InvalidArgument(op, "wizard.site_type", "%q is not one of local_business, saas, ecommerce, blog, portfolio", w.SiteType)
	}
	w.Business = strings.TrimSpace(w.Business)
	if w.Business == "" {
		return igny8.InvalidArgument(op, "wizard.business", "is required")
	}
	if len(w.Business) > 200 {
		return igny8.InvalidArgument(op, "wizard.business", "must be at most 200 bytes, got %d", len(w.Business))
	}
	w.Brief = strings.TrimSpace(w.Brief)
	if w.Brief == "" {
		return igny8.InvalidArgument(op, "wizard.brief", "is required")
	}
	if len(w.Brief) > MaxBriefBytes {
		return igny8.InvalidArgument(op, "wizard.brief", "must be at most %d bytes, got %d", MaxBriefBytes, len(w.Brief))
	}
	if len(w.Objectives) > MaxObjectives {
		return igny8.InvalidArgument(op, "wizard.objectives", "at most %d, got %d", MaxObjectives, len(w.Objectives))
	}
	for i, o := range w.Objectives {
		if strings.TrimSpace(o) == "" || len(o) > 300 {
			return igny8.InvalidArgument(op, fmt.Sprintf("wizard.objectives[%d]", i), "must be 1 to 300 bytes, got %d", len(o))
		}
	}
	if len(w.Audience) > 500 {
		return igny8.InvalidArgument(op, "wizard.audience", "must be at most 500 bytes, got %d", len(w.Audience))
	}
	if w.MaxPages == 0 {
		w.MaxPages = DefaultMaxPages
	}
	if w.MaxPages < 1 || w.MaxPages > 50 {
		return igny8.InvalidArgument(op, "wizard.max_pages", "must be 1 to 50, got %d", w.MaxPages)
	}
	if w.Language == "" {
		w.Language = "en"
	}
	c := w.Contact
	if c.Email != "" && (!strings.Contains(c.Email, "@") || strings.ContainsAny(c.Email, " <>\"'\x00")) {
		return igny8.InvalidArgument(op, "wizard.contact.email", "%q is not an email address", c.Email)
	}
	if len(c.Phone) > 100 || len(c.Address) > 500 {
		return igny8.InvalidArgument(op, "wizard.contact", "phone or address too long")
	}
	_, err := ThemeTokens(w.SiteType, w.Style)
	if err != nil {
		return err
	}
	return nil
}

// SiteBlueprint is a site being built: the wizard's answers, where it is
// in the steps, and where it is served. Its pages are PageBlueprints.
type SiteBlueprint struct {
	ID    string      `json:"id"`
	Scope igny8.Scope `json:"scope"`
	Name  string      `json:"name"`
	// BaseURL is where the site will be served ("https://bakery.example").
	BaseURL string `json:"base_url"`
	Wizard  Wizard `json:"wizard"`
	Status  Status `json:"status"`
	// Notes are the repairs the last structure step made to the model's
	// output, for the person reviewing it.
	Notes     []string  `json:"notes,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// PageBlueprint is one page of a blueprint: its blocks in order.
type PageBlueprint struct {
	ID          string      `json:"id"`
	Scope       igny8.Scope `json:"scope"`
	BlueprintID string      `json:"blueprint_id"`
	// Position orders the pages (and the menu).
	Position    int        `json:"position"`
	Slug        string     `json:"slug"`
	Type        PageType   `json:"type"`
	Title       string     `json:"title"`
	Description string     `json:"description,omitempty"`
	Blocks      []Block    `json:"blocks"`
	Status      PageStatus `json:"status"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
}

// HomeSlug is the slug of the home page (served at "/").
const HomeSlug = "home"

// reservedSlugs are paths of the renderer (archives, assets, the posts
// list when a block page is the home page).
var reservedSlugs = map[string]bool{
	"category": true, "tag": true, "author": true, "page": true, "media": true,
	"assets": true, "feed": true, "sitemap": true, "404": true, "posts": true,
}

// ValidatePage checks a page against the schema: slug, type, title and
// every block.
func ValidatePage(path string, p PageBlueprint) error {
	const op = "sitebuilding.ValidatePage"
	if !igny8.ValidSlug(p.Slug) || reservedSlugs[p.Slug] {
		return igny8.InvalidArgument(op, path+".slug", "%q is not a usable page slug", p.Slug)
	}
	if !p.Type.Valid() {
		return igny8.InvalidArgument(op, path+".type", "%q is not a page type", p.Type)
	}
	if strings.TrimSpace(p.Title) == "" || len(p.Title) > 200 {
		return igny8.InvalidArgument(op, path+".title", "must be 1 to 200 bytes, got %d", len(p.Title))
	}
	if len(p.Description) > 500 {
		return igny8.InvalidArgument(op, path+".description", "must be at most 500 bytes, got %d", len(p.Description))
	}
	if len(p.Blocks) == 0 {
		return igny8.InvalidArgument(op, path+".blocks", "a page needs at least one block")
	}
	return ValidateBlocks(path+".blocks", p.Blocks)
}

// ValidatePages checks every page and that slugs are unique.
func ValidatePages(pages []PageBlueprint) error {
	seen := make(map[string]int, len(pages))
	for i, p := range pages {
		path := fmt.Sprintf("pages[%d]", i)
		if err := ValidatePage(path, p); err != nil {
			return err
		}
		if j, dup := seen[p.Slug]; dup {
			return igny8.InvalidArgument("sitebuilding.ValidatePages", path+".slug", "%q is also the slug of pages[%d]", p.Slug, j)
		}
		seen[p.Slug] = i
	}
	return nil
}

// DeployStatus is a deployment's outcome.
type DeployStatus string

// Deployment outcomes.
const (
	DeployLive   DeployStatus = "live"
	DeployFailed DeployStatus = "failed"
)

// DeploymentRecord records one deploy of a blueprint.
type DeploymentRecord struct {
	ID          string       `json:"id"`
	Scope       igny8.Scope  `json:"scope"`
	BlueprintID string       `json:"blueprint_id"`
	Version     int          `json:"version"`
	Status      DeployStatus `json:"status"`
	// Path is the deployed version's folder; URL the site's address.
	Path  string `json:"path"`
	URL   string `json:"url"`
	Pages int    `json:"pages"`
	Files int    `json:"files"`
	Bytes int64  `json:"bytes"`
	// Written counts the files this deploy rendered (the rest were kept
	// from the previous version).
	Written    int       `json:"written"`
	Error      string    `json:"error,omitempty"`
	DeployedAt time.Time `json:"deployed_at"`
}
