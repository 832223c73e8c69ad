package sitesfs

import (
	"net/url"
	"strings"
	"time"

	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/sitebuilding"
)

// Site is what the renderer needs to know of a site besides its content.
type Site struct {
	Name string `json:"name"`
	// BaseURL is where the site is served ("https://garden.example"), used
	// for canonical URLs, the sitemap and the feed.
	BaseURL     string `json:"base_url"`
	Description string `json:"description,omitempty"`
	// Language is the BCP 47 language of the site ("en").
	Language string `json:"language,omitempty"`
	// Organization is the publisher in structured data.
	Organization Organization `json:"organization"`
	// PostsPerPage sizes the home page and archive pages (default 10).
	PostsPerPage int `json:"posts_per_page,omitempty"`
	// Menu lists the site paths shown in the header ("/about/").
	Menu []sitebuilding.Link `json:"menu,omitempty"`
	// Theme holds style tokens the theme uses as CSS variables
	// ("color-primary": "#225522").
	Theme map[string]string `json:"theme,omitempty"`
}

// Organization is the business behind the site.
type Organization struct {
	Name    string `json:"name"`
	LogoURL string `json:"logo_url,omitempty"`
}

func (s *Site) normalize(op string) error {
	if strings.TrimSpace(s.Name) == "" {
		return igny8.InvalidArgument(op, "site.name", "is required")
	}
	u, err := url.Parse(s.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return igny8.InvalidArgument(op, "site.base_url", "%q is not an http(s) URL without query", s.BaseURL)
	}
	s.BaseURL = strings.TrimRight(s.BaseURL, "/")
	if s.Language == "" {
		s.Language = "en"
	}
	if s.Organization.Name == "" {
		s.Organization.Name = s.Name
	}
	if s.PostsPerPage <= 0 {
		s.PostsPerPage = 10
	}
	if s.PostsPerPage > 100 {
		return igny8.InvalidArgument(op, "site.posts_per_page", "must be at most 100, got %d", s.PostsPerPage)
	}
	for i, m := range s.Menu {
		if strings.TrimSpace(m.Label) == "" || !sitebuilding.ValidURL(m.URL) {
			return igny8.InvalidArgument(op, "site.menu", "entry %d (%q → %q) needs a label and a site path or http(s) URL", i, m.Label, m.URL)
		}
	}
	for k, v := range s.Theme {
		if !validToken(k) || strings.ContainsAny(v, ";{}<>\\\"'\x00\n") || len(v) > 200 {
			return igny8.InvalidArgument(op, "site.theme", "token %q = %q is not a safe CSS value", k, v)
		}
	}
	return nil
}

func validToken(k string) bool {
	if k == "" || len(k) > 60 {
		return false
	}
	for _, c := range k {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// Post is one article or page of the site, as published.
type Post struct {
	ID              string    `json:"id"`
	Type            string    `json:"type"`
	Slug            string    `json:"slug"`
	Title           string    `json:"title"`
	MetaTitle       string    `json:"meta_title,omitempty"`
	MetaDescription string    `json:"meta_description,omitempty"`
	HTML            string    `json:"html"`
	Excerpt         string    `json:"excerpt,omitempty"`
	Categories      []string  `json:"categories,omitempty"`
	Tags            []string  `json:"tags,omitempty"`
	Author          string    `json:"author,omitempty"`
	FeaturedImage   *Media    `json:"featured_image,omitempty"`
	Images          []Media   `json:"images,omitempty"`
	FAQ             []FAQ     `json:"faq,omitempty"`
	Published       time.Time `json:"published"`
	Updated         time.Time `json:"updated"`
}

// Media is an image kept in igny8.Storage under the site's scope.
type Media struct {
	Key string `json:"key"`
	Alt string `json:"alt,omitempty"`
}

// FAQ is a question and answer shown with a post (FAQPage data).
type FAQ struct {
	Question string `json:"question"`
	Answer   string `json:"answer"`
}

// Page is a page built from blocks (the site builder's pages).
type Page struct {
	Slug        string               `json:"slug"`
	Title       string               `json:"title"`
	Description string               `json:"description,omitempty"`
	Blocks      []sitebuilding.Block `json:"blocks"`
	Updated     time.Time            `json:"updated"`
}

// HomeSlug is the slug of a Page that replaces the default home page.
const HomeSlug = "home"

// reserved slugs would collide with the renderer's own paths.
var reserved = map[string]bool{
	"category": true, "tag": true, "author": true, "page": true, "media": true,
	"assets": true, "feed": true, "sitemap": true, "404": true,
}

// Content is everything a deploy renders.
type Content struct {
	Posts []Post
	Pages []Page
}

// DeployStatus is a deployment's state.
type DeployStatus string

// Deployment statuses.
const (
	DeployLive       DeployStatus = "live"
	DeployReplaced   DeployStatus = "replaced"
	DeployRolledBack DeployStatus = "rolled_back"
	DeployFailed     DeployStatus = "failed"
	DeployPruned     DeployStatus = "pruned"
)

// Deployment records one deploy of a site.
type Deployment struct {
	SiteID  string       `json:"site_id"`
	Version int          `json:"version"`
	Status  DeployStatus `json:"status"`
	// Path is the version's folder; URL the site's base URL.
	Path string `json:"path"`
	URL  string `json:"url"`
	// Pages counts HTML pages; Files all files; Bytes their size.
	Pages int   `json:"pages"`
	Files int   `json:"files"`
	Bytes int64 `json:"bytes"`
	// Written counts files rendered by this deploy; the rest were linked
	// unchanged from the previous version.
	Written    int           `json:"written"`
	Duration   time.Duration `json:"duration"`
	DeployedAt time.Time     `json:"deployed_at"`
	Error      string        `json:"error,omitempty"`
}
