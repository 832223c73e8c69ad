package api

import (
	"html"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/linking"
)

// svgType is the media type of the link graph picture.
const svgType = "image/svg+xml"

// Size of the link graph picture.
const (
	graphWidth     = 760
	graphHeight    = 600
	graphMaxLabels = 40 // more nodes than this get tooltips only
)

// graphSVG draws a link graph as an SVG picture with a deterministic
// circle layout: pages around an ellipse, grouped by cluster and then by
// id, each sized by its inbound links; pillars dark, unpublished pages
// pale, orphans ringed red, pages over the link cap ringed orange. Pages outside
// the highlighted sector (when one is named) are faded. Every text is
// escaped; the picture holds no script and no external reference.
func graphSVG(g LinkGraph, id, highlightSector string) string {
	var b strings.Builder
	num := func(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }
	attr := html.EscapeString
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg"`)
	if id != "" {
		b.WriteString(` id="` + attr(id) + `"`)
	}
	b.WriteString(` viewBox="0 0 ` + strconv.Itoa(graphWidth) + ` ` + strconv.Itoa(graphHeight) + `" width="` + strconv.Itoa(graphWidth) + `" height="` + strconv.Itoa(graphHeight) + `" role="img" aria-label="Internal link graph: ` +
		strconv.Itoa(len(g.Nodes)) + ` pages, ` + strconv.Itoa(g.Links) + ` links" font-family="system-ui,sans-serif">`)
	b.WriteString(`<defs><marker id="` + attr(id) + `-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#8a94a6"/></marker></defs>`)
	b.WriteString(`<rect width="100%" height="100%" fill="#ffffff"/>`)
	if len(g.Nodes) == 0 {
		b.WriteString(`<text x="` + strconv.Itoa(graphWidth/2) + `" y="` + strconv.Itoa(graphHeight/2) + `" text-anchor="middle" font-size="14" fill="#556">No content yet.</text></svg>`)
		return b.String()
	}

	// Layout: clusters together around the circle, in a stable order.
	order := make([]int, len(g.Nodes))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, c int) int {
		na, nc := g.Nodes[a], g.Nodes[c]
		if x := strings.Compare(na.ClusterID, nc.ClusterID); x != 0 {
			return x
		}
		return strings.Compare(na.ID, nc.ID)
	})
	labels := len(g.Nodes) <= graphMaxLabels
	// An ellipse over the picture; with labels, room for them left and
	// right (they are written sideways from their node).
	cx, cy := float64(graphWidth)/2, float64(graphHeight-40)/2
	rx, ry := cx-30, cy-30
	if labels {
		rx = cx - 210
	}
	type pos struct{ x, y, r, angle float64 }
	at := make(map[string]pos, len(g.Nodes))
	for k, i := range order {
		n := g.Nodes[i]
		angle := 2*math.Pi*float64(k)/float64(len(order)) - math.Pi/2
		p := pos{x: cx + rx*math.Cos(angle), y: cy + ry*math.Sin(angle), angle: angle}
		if len(order) == 1 {
			p.x, p.y = cx, cy
		}
		p.r = math.Min(5+3*math.Sqrt(float64(n.Inbound)), 18)
		at[n.ID] = p
	}
	orphan, overCap := set(g.Orphans), set(g.OverCap)

	edges := slices.Clone(g.Edges)
	slices.SortFunc(edges, func(a, c linking.Edge) int {
		if x := strings.Compare(a.SourceID, c.SourceID); x != 0 {
			return x
		}
		return strings.Compare(a.TargetID, c.TargetID)
	})
	b.WriteString(`<g class="edges" stroke="#8a94a6" stroke-opacity="0.55" fill="none">`)
	for _, e := range edges {
		s, okS := at[e.SourceID]
		t, okT := at[e.TargetID]
		if !okS || !okT {
			continue
		}
		// Stop the line at the target's rim so the arrow shows.
		dx, dy := t.x-s.x, t.y-s.y
		d := math.Hypot(dx, dy)
		if d <= t.r+s.r {
			continue
		}
		x1, y1 := s.x+dx*s.r/d, s.y+dy*s.r/d
		x2, y2 := t.x-dx*(t.r+1)/d, t.y-dy*(t.r+1)/d
		w := math.Min(1+0.5*float64(e.Links-1), 3)
		b.WriteString(`<line x1="` + num(x1) + `" y1="` + num(y1) + `" x2="` + num(x2) + `" y2="` + num(y2) + `" stroke-width="` + num(w) +
			`" marker-end="url(#` + attr(id) + `-arrow)"/>`)
	}
	b.WriteString(`</g><g class="nodes">`)
	for _, i := range order {
		n := g.Nodes[i]
		p := at[n.ID]
		fill, fillOpacity := "#4f7df3", "1"
		if n.IsPillar {
			fill = "#1d3f9e"
		}
		if !n.Published {
			fillOpacity = "0.35"
		}
		stroke, sw := "#ffffff", "1.5"
		switch {
		case orphan[n.ID]:
			stroke, sw = "#d62828", "3"
		case overCap[n.ID]:
			stroke, sw = "#f08c00", "3"
		}
		opacity := "1"
		if highlightSector != "" && n.SectorID != highlightSector {
			opacity = "0.35"
		}
		tip := n.Title + " — " + n.URL + ": " + strconv.Itoa(n.Inbound) + " inbound, " + strconv.Itoa(n.Outbound) + " outbound"
		if n.IsPillar {
			tip += ", pillar"
		}
		if !n.Published {
			tip += ", unpublished"
		}
		b.WriteString(`<g class="node" data-id="` + attr(n.ID) + `" opacity="` + opacity + `"><title>` + attr(tip) + `</title>`)
		b.WriteString(`<circle cx="` + num(p.x) + `" cy="` + num(p.y) + `" r="` + num(p.r) + `" fill="` + fill + `" fill-opacity="` + fillOpacity + `" stroke="` + stroke + `" stroke-width="` + sw + `"/>`)
		if labels {
			anchor, lx := "start", p.x+p.r+4
			if math.Cos(p.angle) < -0.01 {
				anchor, lx = "end", p.x-p.r-4
			}
			if len(order) == 1 {
				anchor, lx = "middle", p.x
			}
			ly := p.y + 3.5
			if len(order) == 1 {
				ly = p.y + p.r + 14
			}
			b.WriteString(`<text x="` + num(lx) + `" y="` + num(ly) + `" text-anchor="` + anchor + `" font-size="11" fill="#334">` + attr(clip(n.Title, 28)) + `</text>`)
		}
		b.WriteString(`</g>`)
	}
	b.WriteString(`</g>`)

	// Legend and totals.
	y := strconv.Itoa(graphHeight - 14)
	b.WriteString(`<g class="legend" font-size="11" fill="#334">`)
	item := func(x int, fill, opacity, stroke, label string) {
		b.WriteString(`<circle cx="` + strconv.Itoa(x) + `" cy="` + strconv.Itoa(graphHeight-18) + `" r="5" fill="` + fill + `" fill-opacity="` + opacity + `" stroke="` + stroke + `" stroke-width="2"/>`)
		b.WriteString(`<text x="` + strconv.Itoa(x+9) + `" y="` + y + `">` + label + `</text>`)
	}
	item(16, "#4f7df3", "1", "#ffffff", "page")
	item(70, "#1d3f9e", "1", "#ffffff", "pillar")
	item(130, "#4f7df3", "0.35", "#ffffff", "unpublished")
	item(222, "#4f7df3", "1", "#d62828", "orphan")
	item(286, "#4f7df3", "1", "#f08c00", "over link cap")
	gone := 0
	for _, bl := range g.Broken {
		if bl.Reason == "gone" {
			gone++
		}
	}
	b.WriteString(`<text x="` + strconv.Itoa(graphWidth-12) + `" y="` + y + `" text-anchor="end">` + strconv.Itoa(len(g.Nodes)) + ` pages · ` +
		strconv.Itoa(g.Links) + ` links · ` + strconv.Itoa(len(g.Orphans)) + ` orphans · ` + strconv.Itoa(gone) + ` broken · ` +
		strconv.Itoa(len(g.ClusterGaps)) + ` cluster gaps</text>`)
	b.WriteString(`</g></svg>`)
	return b.String()
}

func set(ids []string) map[string]bool {
	m := make(map[string]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}

// clip shortens s to at most n runes, with an ellipsis when cut.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// serveLinkGraphSVG answers the site's link graph as an SVG picture.
// ?sector= fades the pages of the site's other sectors.
func (s *Server) serveLinkGraphSVG(w http.ResponseWriter, r *request) {
	sector := r.URL.Query().Get("sector")
	err := func() error {
		if sector != "" {
			if _, err := s.store.GetSector(r.ctx(), r.site.Scope(), sector); err != nil {
				if igny8.CodeOf(err) == igny8.CodeNotFound {
					return igny8.InvalidArgument("api.linkGraphSVG", "sector", "no sector %q in the site", sector)
				}
				return err
			}
		}
		return nil
	}()
	var g LinkGraph
	if err == nil {
		g, err = s.linkGraph(r.ctx(), r.site)
	}
	if err != nil {
		ae := toAPIError(err)
		if ae.Code == string(igny8.CodeInternal) {
			r.log.Error("request failed", "route", r.route.Pattern, "err", err)
		}
		s.writeEnvelope(w, r.Request, statusOf(ae.Code), nil, "", ae)
		return
	}
	w.Header().Set("Content-Type", svgType)
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(graphSVG(g, "link-graph", sector)))
}
