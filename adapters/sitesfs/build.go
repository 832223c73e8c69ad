package sitesfs

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"hash"
	"html/template"
	"io/fs"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/sitebuilding"
)

//go:embed theme
var embeddedTheme embed.FS

// Theme is a set of html/template files (base, post, list, page, block,
// notfound) and a style.css. The embedded default is used unless a host
// supplies its own folder with LoadTheme.
type Theme struct {
	tmpl *template.Template
	css  []byte
	sig  string
}

// LoadTheme parses a theme from fsys: every *.html file and style.css at
// its root. It checks that the templates the renderer calls are defined.
func LoadTheme(fsys fs.FS) (*Theme, error) {
	const op = "sitesfs.LoadTheme"
	t := template.New("theme").Funcs(placeholderFuncs())
	t, err := t.ParseFS(fsys, "*.html")
	if err != nil {
		return nil, igny8.InvalidArgument(op, "theme", "%v", err)
	}
	for _, name := range []string{"base", "post", "list", "page", "block", "notfound"} {
		if t.Lookup(name) == nil {
			return nil, igny8.InvalidArgument(op, "theme", "defines no %q template", name)
		}
	}
	css, err := fs.ReadFile(fsys, "style.css")
	if err != nil {
		return nil, igny8.InvalidArgument(op, "theme", "style.css: %v", err)
	}
	h := sha256.New()
	_ = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := fs.ReadFile(fsys, p)
			h.Write([]byte(p))
			h.Write(b)
		}
		return nil
	})
	return &Theme{tmpl: t, css: css, sig: hex.EncodeToString(h.Sum(nil)[:16])}, nil
}

// DefaultTheme returns the embedded theme.
func DefaultTheme() (*Theme, error) {
	sub, err := fs.Sub(embeddedTheme, "theme")
	if err != nil {
		return nil, err
	}
	return LoadTheme(sub)
}

// placeholderFuncs declares the template functions; each build binds its
// own with Funcs on a clone.
func placeholderFuncs() template.FuncMap {
	none := func(...any) string { return "" }
	return template.FuncMap{
		"link": none, "media": none, "body": func(string) template.HTML { return "" }, "slug": none, "catslug": none,
		"root": none, "latest": func(string, int) []postMeta { return nil },
	}
}

// build is one deploy's view of a site: the posts (metadata only), the
// pages, and the derived lists.
type build struct {
	site     Site
	root     string // the site's path prefix, "/" or "/blog/"
	theme    *Theme
	tmpl     *template.Template
	siteSig  string
	posts    []postMeta // live posts, newest first
	bySlug   map[string]bool
	pages    []Page
	home     *Page
	cats     []*term
	tags     []*term
	authors  []*term
	now      time.Time
	load     func(id string) (Post, error)
	sanitize func(string) string
}

type term struct {
	name, slug string
	posts      []postMeta
}

// file is one output file: its path in the version folder, the
// signature of everything it is made from, and how to make it.
type file struct {
	path   string
	sig    string
	page   bool
	media  string // storage key, for files copied from storage
	render func(w *bytes.Buffer) error
}

func newBuild(site Site, theme *Theme, metas map[string]postMeta, pages []Page, now time.Time, load func(string) (Post, error), sanitize func(string) string) (*build, error) {
	const op = "sitesfs.Deploy"
	u, _ := url.Parse(site.BaseURL)
	b := &build{site: site, root: strings.TrimRight(u.Path, "/") + "/", theme: theme, now: now, load: load, sanitize: sanitize, bySlug: map[string]bool{}}
	siteJSON, _ := json.Marshal(site)
	b.siteSig = sig(string(siteJSON), theme.sig, b.root)

	for _, m := range metas {
		if m.Status == "draft" {
			continue
		}
		if m.Status == "scheduled" && m.Published.After(now) {
			continue
		}
		if !igny8.ValidSlug(m.Slug) || reserved[m.Slug] {
			return nil, igny8.InvalidArgument(op, "posts.slug", "post %s: %q is not a usable slug", m.ID, m.Slug)
		}
		if b.bySlug[m.Slug] {
			return nil, igny8.Errorf(igny8.CodeConflict, op, "two posts use the slug %q", m.Slug)
		}
		b.bySlug[m.Slug] = true
		b.posts = append(b.posts, m)
	}
	sort.Slice(b.posts, func(i, j int) bool {
		if !b.posts[i].Published.Equal(b.posts[j].Published) {
			return b.posts[i].Published.After(b.posts[j].Published)
		}
		return b.posts[i].ID > b.posts[j].ID
	})
	for i := range pages {
		p := pages[i]
		if p.Slug == HomeSlug {
			// b.home is set below, once b.pages no longer moves.
		} else if !igny8.ValidSlug(p.Slug) || reserved[p.Slug] || p.Slug == "posts" {
			return nil, igny8.InvalidArgument(op, "pages.slug", "%q is not a usable page slug", p.Slug)
		} else if b.bySlug[p.Slug] {
			return nil, igny8.Errorf(igny8.CodeConflict, op, "page %q and a post share a slug", p.Slug)
		}
		if err := sitebuilding.ValidateBlocks("pages["+p.Slug+"].blocks", p.Blocks); err != nil {
			return nil, err
		}
		b.bySlug[p.Slug] = true
		b.pages = append(b.pages, p)
	}
	for i := range b.pages {
		if b.pages[i].Slug == HomeSlug {
			b.home = &b.pages[i]
		}
	}
	b.cats = b.group(func(m postMeta) []string { return m.Categories })
	b.tags = b.group(func(m postMeta) []string { return m.Tags })
	b.authors = b.group(func(m postMeta) []string {
		if m.Author == "" {
			return nil
		}
		return []string{m.Author}
	})
	b.tmpl = template.Must(theme.tmpl.Clone()).Funcs(b.funcs())
	return b, nil
}

// group builds the archives of a taxonomy; names whose slug is empty (all
// non-Latin, say) get a slug from their hash so they still have a page.
func (b *build) group(names func(postMeta) []string) []*term {
	by := map[string]*term{}
	for _, m := range b.posts {
		seen := map[string]bool{}
		for _, n := range names(m) {
			s := termSlug(n)
			if s == "" || seen[s] {
				continue
			}
			seen[s] = true
			t := by[s]
			if t == nil {
				t = &term{name: n, slug: s}
				by[s] = t
			}
			t.posts = append(t.posts, m)
		}
	}
	out := make([]*term, 0, len(by))
	for _, t := range by {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].slug < out[j].slug })
	return out
}

func termSlug(name string) string {
	if s := igny8.Slugify(name); s != "" {
		return s
	}
	if strings.TrimSpace(name) == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(name))
	return "t-" + hex.EncodeToString(sum[:6])
}

func (b *build) funcs() template.FuncMap {
	return template.FuncMap{
		"link": func(u string) string {
			if sitebuilding.ValidURL(u) {
				if strings.HasPrefix(u, "/") && b.root != "/" {
					return strings.TrimSuffix(b.root, "/") + u
				}
				return u
			}
			return "#"
		},
		"media":   b.mediaURL,
		"body":    func(h string) template.HTML { return template.HTML(b.sanitize(h)) },
		"slug":    termSlug,
		"catslug": termSlug,
		"root":    func() string { return b.root },
		"latest": func(category string, limit int) []postMeta {
			var out []postMeta
			cs := termSlug(category)
			for _, m := range b.posts {
				if category != "" && !hasTerm(m.Categories, cs) {
					continue
				}
				out = append(out, m)
				if len(out) == limit {
					break
				}
			}
			return out
		},
	}
}

func hasTerm(names []string, slug string) bool {
	for _, n := range names {
		if termSlug(n) == slug {
			return true
		}
	}
	return false
}

// mediaURL is where a storage key is served from; an http(s) URL stays.
func (b *build) mediaURL(key string) string {
	if strings.HasPrefix(key, "http://") || strings.HasPrefix(key, "https://") {
		return key
	}
	return b.root + "media/" + escapePath(key)
}

func escapePath(key string) string {
	parts := strings.Split(key, "/")
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	return strings.Join(parts, "/")
}

func (b *build) abs(path string) string { return b.site.BaseURL + "/" + strings.TrimPrefix(path, "/") }

func sig(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

func writeSummary(h hash.Hash, m postMeta) {
	for _, s := range []string{m.ID, m.Slug, m.Title, m.Excerpt, m.Published.Format(time.RFC3339)} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	if m.FeaturedImage != nil {
		h.Write([]byte(m.FeaturedImage.Key + "\x00" + m.FeaturedImage.Alt))
	}
}

// view is what the base template renders.
type view struct {
	Site        *Site
	Root        string
	Title       string
	Description string
	Canonical   string
	OGType      string
	Image       string
	JSONLD      []template.JS
	CSSVars     template.CSS
	Year        int
	Post        *Post
	List        *listView
	Page        *Page
}

type listView struct {
	Heading      string
	Posts        []postMeta
	Number       int
	Total        int
	Prev, Next   string
	canonicalRel string
}

func (b *build) baseView(title, description, path string) *view {
	v := &view{Site: &b.site, Root: b.root, Title: title, Description: description, Canonical: b.abs(path), OGType: "website", Year: b.now.Year()}
	if len(b.site.Theme) > 0 {
		keys := make([]string, 0, len(b.site.Theme))
		for k := range b.site.Theme {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var css strings.Builder
		for _, k := range keys {
			fmt.Fprintf(&css, "--%s:%s;", k, b.site.Theme[k])
		}
		v.CSSVars = template.CSS(css.String())
	}
	return v
}

// jsonLD encodes v for a <script type="application/ld+json">: encoding/json
// escapes <, > and &, so no text can close the script element.
func jsonLD(v any) template.JS {
	raw, _ := json.Marshal(v)
	return template.JS(raw)
}

func (b *build) organization() map[string]any {
	org := map[string]any{"@type": "Organization", "name": b.site.Organization.Name, "url": b.site.BaseURL + "/"}
	if b.site.Organization.LogoURL != "" {
		org["logo"] = b.site.Organization.LogoURL
	}
	return org
}

// plan lists every file of the site with its signature.
func (b *build) plan(mediaSig func(key string) (string, bool)) []file {
	var files []file
	add := func(f file) { files = append(files, f) }

	add(file{path: "assets/style.css", sig: sig(b.theme.sig, "css"), render: func(w *bytes.Buffer) error { _, err := w.Write(b.theme.css); return err }})
	add(file{path: "robots.txt", sig: sig(b.siteSig, "robots"), render: b.renderRobots})
	add(file{path: "404.html", sig: sig(b.siteSig, "404"), page: true, render: func(w *bytes.Buffer) error {
		v := b.baseView("Page not found · "+b.site.Name, "", "404.html")
		return b.tmpl.ExecuteTemplate(w, "base", v)
	}})

	// Posts.
	media := map[string]bool{}
	for _, m := range b.posts {
		m := m
		add(file{path: m.Slug + "/index.html", sig: sig(b.siteSig, "post", m.Hash), page: true, render: func(w *bytes.Buffer) error { return b.renderPost(w, m) }})
		if m.FeaturedImage != nil {
			media[m.FeaturedImage.Key] = true
		}
		for _, im := range m.Images {
			media[im.Key] = true
		}
	}
	// Pages built from blocks.
	listBase := ""
	for i := range b.pages {
		p := &b.pages[i]
		raw, _ := json.Marshal(p)
		dep := ""
		if usesPostList(p.Blocks) {
			h := sha256.New()
			for _, m := range b.posts {
				writeSummary(h, m)
				h.Write([]byte(strings.Join(m.Categories, "\x01")))
			}
			dep = hex.EncodeToString(h.Sum(nil))
		}
		path := p.Slug + "/index.html"
		if p == b.home {
			path = "index.html"
			listBase = "posts/"
		}
		add(file{path: path, sig: sig(b.siteSig, "page", string(raw), dep), page: true, render: func(w *bytes.Buffer) error { return b.renderPage(w, p, path) }})
		collectBlockMedia(p.Blocks, media)
	}
	// Home (or posts index) and archives.
	files = append(files, b.listFiles(listBase, b.site.Name, b.site.Description, b.posts)...)
	for _, t := range b.cats {
		files = append(files, b.listFiles("category/"+t.slug+"/", t.name, "Posts in "+t.name, t.posts)...)
	}
	for _, t := range b.tags {
		files = append(files, b.listFiles("tag/"+t.slug+"/", "#"+t.name, "Posts tagged "+t.name, t.posts)...)
	}
	for _, t := range b.authors {
		files = append(files, b.listFiles("author/"+t.slug+"/", t.name, "Posts by "+t.name, t.posts)...)
	}

	// Media copied from storage.
	keys := make([]string, 0, len(media))
	for k := range media {
		if !strings.Contains(k, "://") {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		s, ok := mediaSig(k)
		if !ok {
			continue
		}
		add(file{path: "media/" + k, sig: s, media: k})
	}

	// Sitemap(s) and feed over the pages planned so far.
	var urls []sitemapURL
	lastMod := b.lastMods()
	for _, f := range files {
		if f.page && f.path != "404.html" {
			urls = append(urls, sitemapURL{Loc: b.abs(strings.TrimSuffix(f.path, "index.html")), LastMod: lastMod(f.path)})
		}
	}
	files = append(files, b.sitemapFiles(urls)...)
	add(b.feedFile())
	return files
}

func usesPostList(blocks []sitebuilding.Block) bool {
	for _, bl := range blocks {
		if bl.Type == sitebuilding.BlockPostList {
			return true
		}
		if c, ok := bl.Data.(*sitebuilding.Columns); ok {
			for _, col := range c.Columns {
				if usesPostList(col) {
					return true
				}
			}
		}
	}
	return false
}

func collectBlockMedia(blocks []sitebuilding.Block, media map[string]bool) {
	for _, bl := range blocks {
		switch d := bl.Data.(type) {
		case *sitebuilding.Hero:
			if d.Image != nil {
				media[d.Image.Src] = true
			}
		case *sitebuilding.Gallery:
			for _, im := range d.Images {
				media[im.Src] = true
			}
		case *sitebuilding.Image:
			media[d.Image.Src] = true
		case *sitebuilding.Columns:
			for _, col := range d.Columns {
				collectBlockMedia(col, media)
			}
		}
	}
}

// lastMods maps each planned page path to its last modification: a post's
// own time, a block page's update time, else the newest post's (lists).
func (b *build) lastMods() func(path string) time.Time {
	by := make(map[string]time.Time, len(b.posts)+len(b.pages))
	for _, m := range b.posts {
		by[m.Slug+"/index.html"] = latest(m.Updated, m.Published)
	}
	for _, p := range b.pages {
		if !p.Updated.IsZero() {
			by[p.Slug+"/index.html"] = p.Updated
		}
	}
	fallback := b.now
	if len(b.posts) > 0 {
		fallback = latest(b.posts[0].Updated, b.posts[0].Published)
	}
	return func(path string) time.Time {
		if t, ok := by[path]; ok {
			return t
		}
		return fallback
	}
}

func latest(a, c time.Time) time.Time {
	if a.After(c) {
		return a
	}
	return c
}

// listFiles plans the pages of one list: base/index.html, base/page/2/ ...
func (b *build) listFiles(base, heading, description string, posts []postMeta) []file {
	per := b.site.PostsPerPage
	total := max(1, (len(posts)+per-1)/per)
	out := make([]file, 0, total)
	for n := 1; n <= total; n++ {
		lo, hi := (n-1)*per, min(n*per, len(posts))
		pagePosts := posts[lo:hi]
		path := base + "index.html"
		if n > 1 {
			path = base + "page/" + strconv.Itoa(n) + "/index.html"
		}
		h := sha256.New()
		h.Write([]byte(b.siteSig + "\x00list\x00" + path + "\x00" + heading + "\x00" + description + "\x00" + strconv.Itoa(total)))
		for _, m := range pagePosts {
			writeSummary(h, m)
		}
		lv := &listView{Heading: heading, Posts: pagePosts, Number: n, Total: total}
		if n > 1 {
			lv.Prev = b.root + base
			if n > 2 {
				lv.Prev = b.root + base + "page/" + strconv.Itoa(n-1) + "/"
			}
		}
		if n < total {
			lv.Next = b.root + base + "page/" + strconv.Itoa(n+1) + "/"
		}
		p := path
		out = append(out, file{path: path, sig: hex.EncodeToString(h.Sum(nil)[:16]), page: true, render: func(w *bytes.Buffer) error {
			title := heading
			if n > 1 {
				title = fmt.Sprintf("%s – page %d", heading, n)
			}
			if title != b.site.Name {
				title += " · " + b.site.Name
			}
			v := b.baseView(title, description, strings.TrimSuffix(p, "index.html"))
			v.List = lv
			crumbs := []map[string]any{{"@type": "ListItem", "position": 1, "name": b.site.Name, "item": b.site.BaseURL + "/"}}
			if base != "" {
				crumbs = append(crumbs, map[string]any{"@type": "ListItem", "position": 2, "name": heading, "item": b.abs(base)})
			}
			v.JSONLD = append(v.JSONLD, jsonLD(map[string]any{"@context": "https://schema.org", "@type": "CollectionPage", "name": title, "url": v.Canonical,
				"breadcrumb": map[string]any{"@type": "BreadcrumbList", "itemListElement": crumbs}}))
			if base == "" && n == 1 {
				v.JSONLD = append(v.JSONLD, jsonLD(b.organization()), jsonLD(map[string]any{
					"@context": "https://schema.org", "@type": "WebSite", "name": b.site.Name, "url": b.site.BaseURL + "/",
				}))
			}
			return b.tmpl.ExecuteTemplate(w, "base", v)
		}})
	}
	return out
}

func (b *build) renderPost(w *bytes.Buffer, m postMeta) error {
	p, err := b.load(m.ID)
	if err != nil {
		return err
	}
	// Inline images are referenced by storage key; serve them from media/.
	for _, im := range p.Images {
		p.HTML = strings.ReplaceAll(p.HTML, `src="`+im.Key+`"`, `src="`+template.HTMLEscapeString(b.mediaURL(im.Key))+`"`)
	}
	title := p.MetaTitle
	if title == "" {
		title = p.Title
	}
	desc := p.MetaDescription
	if desc == "" {
		desc = p.Excerpt
	}
	v := b.baseView(title, desc, p.Slug+"/")
	v.OGType = "article"
	v.Post = &p
	if p.FeaturedImage != nil {
		v.Image = b.abs(b.mediaURL(p.FeaturedImage.Key))
		if strings.Contains(p.FeaturedImage.Key, "://") {
			v.Image = p.FeaturedImage.Key
		}
	}
	article := map[string]any{
		"@context": "https://schema.org", "@type": "Article", "headline": p.Title,
		"mainEntityOfPage": v.Canonical, "publisher": b.organization(),
	}
	if !p.Published.IsZero() {
		article["datePublished"] = p.Published.UTC().Format(time.RFC3339)
		article["dateModified"] = latest(p.Updated, p.Published).UTC().Format(time.RFC3339)
	}
	if p.Author != "" {
		article["author"] = map[string]any{"@type": "Person", "name": p.Author, "url": b.abs("author/" + termSlug(p.Author) + "/")}
	} else {
		article["author"] = b.organization()
	}
	if v.Image != "" {
		article["image"] = v.Image
	}
	if desc != "" {
		article["description"] = desc
	}
	crumbs := []map[string]any{{"@type": "ListItem", "position": 1, "name": b.site.Name, "item": b.site.BaseURL + "/"}}
	if len(p.Categories) > 0 && termSlug(p.Categories[0]) != "" {
		crumbs = append(crumbs, map[string]any{"@type": "ListItem", "position": 2, "name": p.Categories[0], "item": b.abs("category/" + termSlug(p.Categories[0]) + "/")})
	}
	crumbs = append(crumbs, map[string]any{"@type": "ListItem", "position": len(crumbs) + 1, "name": p.Title, "item": v.Canonical})
	v.JSONLD = []template.JS{jsonLD(article), jsonLD(map[string]any{"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": crumbs})}
	if len(p.FAQ) > 0 {
		qs := make([]map[string]any, 0, len(p.FAQ))
		for _, f := range p.FAQ {
			qs = append(qs, map[string]any{"@type": "Question", "name": f.Question, "acceptedAnswer": map[string]any{"@type": "Answer", "text": f.Answer}})
		}
		v.JSONLD = append(v.JSONLD, jsonLD(map[string]any{"@context": "https://schema.org", "@type": "FAQPage", "mainEntity": qs}))
	}
	return b.tmpl.ExecuteTemplate(w, "base", v)
}

func (b *build) renderPage(w *bytes.Buffer, p *Page, path string) error {
	title := p.Title
	if p != b.home {
		title += " · " + b.site.Name
	}
	v := b.baseView(title, p.Description, strings.TrimSuffix(path, "index.html"))
	v.Page = p
	v.JSONLD = append(v.JSONLD, jsonLD(map[string]any{"@context": "https://schema.org", "@type": "WebPage", "name": p.Title, "url": v.Canonical}))
	if p == b.home {
		v.JSONLD = append(v.JSONLD, jsonLD(b.organization()))
	}
	var faqs []map[string]any
	for _, bl := range p.Blocks {
		if f, ok := bl.Data.(*sitebuilding.FAQ); ok {
			for _, q := range f.Items {
				faqs = append(faqs, map[string]any{"@type": "Question", "name": q.Question, "acceptedAnswer": map[string]any{"@type": "Answer", "text": q.Answer}})
			}
		}
	}
	if len(faqs) > 0 {
		v.JSONLD = append(v.JSONLD, jsonLD(map[string]any{"@context": "https://schema.org", "@type": "FAQPage", "mainEntity": faqs}))
	}
	return b.tmpl.ExecuteTemplate(w, "base", v)
}

func (b *build) renderRobots(w *bytes.Buffer) error {
	_, err := fmt.Fprintf(w, "User-agent: *\nAllow: /\n\nSitemap: %s\n", b.abs("sitemap.xml"))
	return err
}

type sitemapURL struct {
	Loc     string
	LastMod time.Time
}

// MaxSitemapURLs is the most URLs one sitemap file may hold.
const MaxSitemapURLs = 50000

func (b *build) sitemapFiles(urls []sitemapURL) []file {
	sort.Slice(urls, func(i, j int) bool { return urls[i].Loc < urls[j].Loc })
	chunks := [][]sitemapURL{}
	for len(urls) > MaxSitemapURLs {
		chunks = append(chunks, urls[:MaxSitemapURLs])
		urls = urls[MaxSitemapURLs:]
	}
	chunks = append(chunks, urls)
	sigOf := func(us []sitemapURL) string {
		h := sha256.New()
		for _, u := range us {
			h.Write([]byte(u.Loc + "\x00" + u.LastMod.UTC().Format(time.RFC3339) + "\x00"))
		}
		return hex.EncodeToString(h.Sum(nil)[:16])
	}
	writeURLSet := func(w *bytes.Buffer, us []sitemapURL) error {
		w.WriteString(xml.Header + `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
		for _, u := range us {
			w.WriteString("<url><loc>")
			xml.EscapeText(w, []byte(u.Loc))
			w.WriteString("</loc><lastmod>" + u.LastMod.UTC().Format("2006-01-02") + "</lastmod></url>\n")
		}
		w.WriteString("</urlset>\n")
		return nil
	}
	if len(chunks) == 1 {
		us := chunks[0]
		return []file{{path: "sitemap.xml", sig: sig(b.siteSig, "sitemap", sigOf(us)), render: func(w *bytes.Buffer) error { return writeURLSet(w, us) }}}
	}
	var out []file
	var parts []string
	for i, us := range chunks {
		us := us
		name := fmt.Sprintf("sitemap-%d.xml", i+1)
		s := sigOf(us)
		parts = append(parts, name+s)
		out = append(out, file{path: name, sig: sig(b.siteSig, "sitemap", s), render: func(w *bytes.Buffer) error { return writeURLSet(w, us) }})
	}
	n := len(chunks)
	out = append(out, file{path: "sitemap.xml", sig: sig(append([]string{b.siteSig, "sitemapindex"}, parts...)...), render: func(w *bytes.Buffer) error {
		w.WriteString(xml.Header + `<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
		for i := 1; i <= n; i++ {
			w.WriteString("<sitemap><loc>")
			xml.EscapeText(w, []byte(b.abs(fmt.Sprintf("sitemap-%d.xml", i))))
			w.WriteString("</loc><lastmod>" + b.now.UTC().Format("2006-01-02") + "</lastmod></sitemap>\n")
		}
		w.WriteString("</sitemapindex>\n")
		return nil
	}})
	return out
}

// FeedLength is how many posts the Atom feed holds.
const FeedLength = 20

func (b *build) feedFile() file {
	posts := b.posts[:min(FeedLength, len(b.posts))]
	h := sha256.New()
	h.Write([]byte(b.siteSig + "\x00feed\x00"))
	for _, m := range posts {
		writeSummary(h, m)
		h.Write([]byte(m.Updated.Format(time.RFC3339) + m.Author))
	}
	return file{path: "feed.xml", sig: hex.EncodeToString(h.Sum(nil)[:16]), render: func(w *bytes.Buffer) error {
		esc := func(s string) { xml.EscapeText(w, []byte(s)) }
		updated := b.now
		if len(posts) > 0 {
			updated = latest(posts[0].Updated, posts[0].Published)
		}
		w.WriteString(xml.Header + `<feed xmlns="http://www.w3.org/2005/Atom">` + "\n<title>")
		esc(b.site.Name)
		w.WriteString("</title>\n<id>")
		esc(b.site.BaseURL + "/")
		w.WriteString("</id>\n<link rel=\"alternate\" href=\"")
		esc(b.site.BaseURL + "/")
		w.WriteString("\"/>\n<link rel=\"self\" href=\"")
		esc(b.abs("feed.xml"))
		w.WriteString("\"/>\n<updated>" + updated.UTC().Format(time.RFC3339) + "</updated>\n")
		for _, m := range posts {
			w.WriteString("<entry><title>")
			esc(m.Title)
			w.WriteString("</title><id>")
			esc(b.abs(m.Slug + "/"))
			w.WriteString("</id><link href=\"")
			esc(b.abs(m.Slug + "/"))
			w.WriteString("\"/><updated>" + latest(m.Updated, m.Published).UTC().Format(time.RFC3339) + "</updated>")
			if !m.Published.IsZero() {
				w.WriteString("<published>" + m.Published.UTC().Format(time.RFC3339) + "</published>")
			}
			w.WriteString("<author><name>")
			esc(firstNonEmpty(m.Author, b.site.Organization.Name))
			w.WriteString("</name></author><summary>")
			esc(m.Excerpt)
			w.WriteString("</summary></entry>\n")
		}
		w.WriteString("</feed>\n")
		return nil
	}}
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
