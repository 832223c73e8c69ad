package api

import (
	"context"
	"embed"
	"html/template"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/igny8/sdk/automation"
	"github.com/igny8/sdk/content"
	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/optimization"
	"github.com/igny8/sdk/optimization/rewrite"
	"github.com/igny8/sdk/planning"
)

//go:embed templates/*.html
var templateFS embed.FS

// cookieName holds the dashboard's token. The cookie is HttpOnly and
// SameSite=Strict, and only the dashboard's GET pages read it: the JSON API
// takes the Authorization header alone, so a cross-site form cannot write.
const cookieName = "igny8_token"

// dashboard serves the server-rendered pages under /dashboard/.
type dashboard struct {
	s    *Server
	tmpl *template.Template
}

func (s *Server) mountDashboard() error {
	t, err := template.New("").Funcs(template.FuncMap{
		"date": func(t time.Time) string { return t.Format("2006-01-02 15:04") },
	}).ParseFS(templateFS, "templates/*.html")
	if err != nil {
		return err
	}
	d := &dashboard{s: s, tmpl: t}
	s.mux.HandleFunc("GET /dashboard/{$}", d.page(d.home))
	s.mux.HandleFunc("GET /dashboard/sites/{site}/sectors/{sector}", d.page(d.sector))
	s.mux.HandleFunc("POST /dashboard/login", d.login)
	s.mux.HandleFunc("POST /dashboard/logout", d.logout)
	return nil
}

// page authenticates with the cookie, resolves the path's site and sector
// within the token's account like the API does, and renders.
func (d *dashboard) page(fn func(r *request) (string, any, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, hr *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Security-Policy", "default-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:")
		w.Header().Set("X-Frame-Options", "DENY")
		r := &request{Request: hr, w: w, srv: d.s, route: &Route{Role: igny8.RoleViewer}, id: d.s.ids.NewID(), log: d.s.log}
		c, err := hr.Cookie(cookieName)
		if err != nil || c.Value == "" {
			d.render(w, http.StatusOK, "login.html", map[string]any{})
			return
		}
		hr.Header.Set("Authorization", "Bearer "+c.Value)
		if err := d.s.authenticate(r); err != nil {
			d.render(w, http.StatusUnauthorized, "login.html", map[string]any{"Error": "That token is not valid."})
			return
		}
		if err := d.s.resolve(r); err != nil {
			d.fail(w, err)
			return
		}
		name, data, err := fn(r)
		if err != nil {
			d.fail(w, err)
			return
		}
		d.render(w, http.StatusOK, name, data)
	}
}

func (d *dashboard) fail(w http.ResponseWriter, err error) {
	ae := toAPIError(err)
	d.render(w, statusOf(ae.Code), "error.html", ae)
}

func (d *dashboard) render(w http.ResponseWriter, status int, name string, data any) {
	w.WriteHeader(status)
	if err := d.tmpl.ExecuteTemplate(w, name, data); err != nil {
		d.s.log.Error("dashboard template", "template", name, "err", err)
	}
}

func (d *dashboard) login(w http.ResponseWriter, hr *http.Request) {
	hr.Body = http.MaxBytesReader(w, hr.Body, 4096)
	token := strings.TrimSpace(hr.PostFormValue("token"))
	if _, _, err := d.s.store.APITokenUser(hr.Context(), hashToken(token)); token == "" || err != nil {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		d.render(w, http.StatusUnauthorized, "login.html", map[string]any{"Error": "That token is not valid."})
		return
	}
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: token, Path: "/dashboard/", HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: hr.TLS != nil, MaxAge: 12 * 3600})
	http.Redirect(w, hr, "/dashboard/", http.StatusSeeOther)
}

func (d *dashboard) logout(w http.ResponseWriter, hr *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: "", Path: "/dashboard/", HttpOnly: true, SameSite: http.SameSiteStrictMode, MaxAge: -1})
	http.Redirect(w, hr, "/dashboard/", http.StatusSeeOther)
}

type siteRow struct {
	Site    igny8.Site
	Sectors []sectorRow
}

type sectorRow struct {
	Sector                             igny8.Sector
	Keywords, Clusters, Ideas, Content string
}

type dayBar struct {
	Day         string
	Credits     int64
	X, Y, H, TX int
}

// count shows the size of a list read with the maximum page.
func count(n int) string {
	if n >= igny8.MaxPageLimit {
		return "1000+"
	}
	return itoa(n)
}

func (d *dashboard) home(r *request) (string, any, error) {
	ctx, s := r.ctx(), d.s
	acct, err := s.store.GetAccount(ctx, r.account.AccountID)
	if err != nil {
		return "", nil, err
	}
	all := igny8.PageRequest{Limit: igny8.MaxPageLimit}
	sites, err := s.store.ListSites(ctx, r.account, igny8.PageRequest{Limit: 100})
	if err != nil {
		return "", nil, err
	}
	var rows []siteRow
	for _, site := range sites {
		secs, err := s.store.ListSectors(ctx, site.Scope(), igny8.PageRequest{Limit: 100})
		if err != nil {
			return "", nil, err
		}
		row := siteRow{Site: site}
		for _, sec := range secs {
			sc := sec.Scope()
			kws, err := s.planner.ListKeywords(ctx, sc, planning.KeywordFilter{}, all)
			if err != nil {
				return "", nil, err
			}
			cls, err := s.planner.ListClusters(ctx, sc, planning.ClusterFilter{}, all)
			if err != nil {
				return "", nil, err
			}
			ideas, err := s.planner.ListIdeas(ctx, sc, planning.IdeaFilter{}, all)
			if err != nil {
				return "", nil, err
			}
			cs, err := s.library.List(ctx, sc, content.ContentFilter{}, all)
			if err != nil {
				return "", nil, err
			}
			row.Sectors = append(row.Sectors, sectorRow{Sector: sec, Keywords: count(len(kws)), Clusters: count(len(cls)), Ideas: count(len(ideas)), Content: count(len(cs))})
		}
		rows = append(rows, row)
	}
	bars, err := d.creditBars(ctx, r.account)
	if err != nil {
		return "", nil, err
	}
	return "home.html", map[string]any{"User": r.user, "Account": acct, "Sites": rows, "Bars": bars}, nil
}

// creditBars sums the credits debited per day over the last 14 days, as
// bars of an SVG chart.
func (d *dashboard) creditBars(ctx context.Context, scope igny8.Scope) ([]dayBar, error) {
	now := d.s.clock.Now().UTC()
	from := now.AddDate(0, 0, -13).Truncate(24 * time.Hour)
	used := map[string]int64{}
	after := ""
	for {
		l, err := d.s.credits.Ledger(ctx, scope, igny8.PageRequest{Limit: igny8.MaxPageLimit, After: after})
		if err != nil {
			return nil, err
		}
		for _, e := range l {
			if e.Amount < 0 && !e.CreatedAt.Before(from) {
				used[e.CreatedAt.UTC().Format("2006-01-02")] += -e.Amount
			} else if e.Amount > 0 && e.Kind == igny8.LedgerRefund && !e.CreatedAt.Before(from) {
				used[e.CreatedAt.UTC().Format("2006-01-02")] -= e.Amount
			}
		}
		if len(l) < igny8.MaxPageLimit {
			break
		}
		after = l[len(l)-1].ID
	}
	var max int64 = 1
	for _, v := range used {
		max = maxInt(max, v)
	}
	bars := make([]dayBar, 14)
	for i := range bars {
		day := from.AddDate(0, 0, i).Format("2006-01-02")
		v := maxInt(used[day], 0)
		h := int(v * 100 / max)
		bars[i] = dayBar{Day: day[5:], Credits: v, X: i * 40, Y: 110 - h, H: h, TX: i*40 + 15}
	}
	return bars, nil
}

func maxInt(a, b int64) int64 {
	if a > b {
		return a
	}
	return b
}

type contentRow struct {
	Content          content.Content
	SEO, Readability int
}

func (d *dashboard) sector(r *request) (string, any, error) {
	ctx, s := r.ctx(), d.s
	page := igny8.PageRequest{Limit: 200}
	kws, err := s.planner.ListKeywords(ctx, r.scope, planning.KeywordFilter{}, page)
	if err != nil {
		return "", nil, err
	}
	cls, err := s.planner.ListClusters(ctx, r.scope, planning.ClusterFilter{}, page)
	if err != nil {
		return "", nil, err
	}
	sort.Slice(cls, func(i, j int) bool { return cls[i].TotalVolume > cls[j].TotalVolume })
	cs, err := s.library.List(ctx, r.scope, content.ContentFilter{}, page)
	if err != nil {
		return "", nil, err
	}
	rows := make([]contentRow, 0, len(cs))
	for _, c := range cs {
		res, err := s.analyze(r, c)
		if err != nil {
			return "", nil, err
		}
		rows = append(rows, contentRow{Content: c, SEO: res.SEO, Readability: res.Readability})
	}
	runs, err := s.engine.Runs(ctx, r.scope, automation.RunFilter{}, igny8.PageRequest{Limit: 50})
	if err != nil {
		return "", nil, err
	}
	graph, err := s.linkGraph(ctx, r.site)
	if err != nil {
		return "", nil, err
	}
	opts, err := d.optimizations(ctx, cs)
	if err != nil {
		return "", nil, err
	}
	gone := 0
	for _, b := range graph.Broken {
		if b.Reason == "gone" {
			gone++
		}
	}
	return "sector.html", map[string]any{"User": r.user, "Site": r.site, "Sector": r.sector, "Keywords": kws, "Clusters": cls, "Content": rows, "Runs": runs,
		// graphSVG escapes every text it draws.
		"Graph": graph, "Gone": gone, "ToUnpublished": len(graph.Broken) - gone, "GraphSVG": template.HTML(graphSVG(graph, "link-graph", r.sector.ID)), "Optimizations": opts}, nil
}

type optimizationRow struct {
	Title string
	Task  rewrite.Task
}

// maxOptimizationRows bounds the optimization tasks the sector page shows.
const maxOptimizationRows = 20

// optimizations returns the newest optimization tasks of the contents.
func (d *dashboard) optimizations(ctx context.Context, cs []content.Content) ([]optimizationRow, error) {
	var rows []optimizationRow
	for _, c := range cs {
		ts, err := d.s.store.ListOptimizationTasks(ctx, c.Scope, c.ID)
		if err != nil {
			return nil, err
		}
		for _, t := range ts {
			t.HTMLBefore, t.HTMLAfter = "", ""
			rows = append(rows, optimizationRow{Title: c.Title, Task: t})
		}
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].Task.CreatedAt.After(rows[j].Task.CreatedAt) })
	if len(rows) > maxOptimizationRows {
		rows = rows[:maxOptimizationRows]
	}
	return rows, nil
}

// analyze scores a content with the on-page analyzer.
func (s *Server) analyze(r *request, c content.Content) (optimization.Result, error) {
	return s.analyzer.Analyze(optimization.Input{
		HTML: c.HTML, Keyphrase: c.PrimaryKeyword, Title: c.MetaTitle, MetaDescription: c.MetaDescription,
		Slug: c.Slug, SiteHost: r.site.Domain,
	})
}
