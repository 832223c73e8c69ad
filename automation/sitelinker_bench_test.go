package automation_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/igny8/sdk/adapters/sqlstore/sqlstoretest"
	"github.com/igny8/sdk/automation"
	"github.com/igny8/sdk/content"
	"github.com/igny8/sdk/igny8"
)

var (
	benchAdjectives = []string{"raised", "organic", "indoor", "balcony", "winter", "shade", "drought", "vertical", "kitchen", "cottage"}
	benchNouns      = []string{"garden bed", "compost bin", "herb planter", "tomato cage", "seed tray", "rain barrel", "potting soil",
		"hanging basket", "trellis kit", "cold frame", "mulch layer", "worm farm", "flower border", "fruit tree", "hedge row",
		"pond liner", "lawn edging", "greenhouse shelf", "grow light", "bird feeder"}
)

// benchKeyword is the primary keyword of the i-th bench page (200 unique).
func benchKeyword(i int) string {
	return benchAdjectives[i%len(benchAdjectives)] + " " + benchNouns[(i/len(benchAdjectives))%len(benchNouns)]
}

// benchHTML is an article of about 600 words that mentions other pages'
// keywords.
func benchHTML(i, n int) string {
	r := rand.New(rand.NewPCG(uint64(i), 7))
	var b strings.Builder
	fmt.Fprintf(&b, "<h2>All about the %s</h2>", benchKeyword(i))
	for p := 0; p < 8; p++ {
		b.WriteString("<p>")
		for s := 0; s < 5; s++ {
			fmt.Fprintf(&b, "Gardeners who plan a %s often compare it with the %s before the season starts, and they keep notes on watering, light and soil. ",
				benchKeyword(i), benchKeyword(r.IntN(n)))
		}
		b.WriteString("</p>")
	}
	return b.String()
}

// BenchmarkSiteLinkerLinkContent links 200 pages into one site as the
// pipeline does: each page is created, then linked (outbound and inbound),
// with the site's index kept between calls (cached) and built for each
// call (uncached, IndexTTL < 0).
func BenchmarkSiteLinkerLinkContent(b *testing.B) {
	b.Run("cached", func(b *testing.B) { benchLinkContent(b, nil) })
	b.Run("uncached", func(b *testing.B) { benchLinkContent(b, &automation.SiteLinkerOptions{IndexTTL: -1}) })
}

func benchLinkContent(b *testing.B, opts *automation.SiteLinkerOptions) {
	const n = 200
	for b.Loop() {
		b.StopTimer()
		ctx := context.Background()
		st := sqlstoretest.SQLite(b)
		ten := igny8.NewTenancy(st, igny8.TenancyOptions{})
		plan, _ := ten.CreatePlan(ctx, igny8.Plan{Name: "p"})
		acct, _ := ten.CreateAccount(ctx, igny8.Account{Name: "a", PlanID: plan.ID})
		site, err := ten.CreateSite(ctx, igny8.Scope{AccountID: acct.ID}, igny8.Site{Name: "s"})
		if err != nil {
			b.Fatal(err)
		}
		events := igny8.NewEvents(st, nil, nil)
		library := content.NewLibrary(st, events, content.LibraryOptions{})
		sl := automation.NewSiteLinker(st, library, st, events, opts)
		b.StartTimer()
		links := 0
		for i := range n {
			c, err := library.Create(ctx, site.Scope(), content.Draft{Title: "Guide " + benchKeyword(i), HTML: benchHTML(i, n), PrimaryKeyword: benchKeyword(i)})
			if err != nil {
				b.Fatal(err)
			}
			k, err := sl.LinkContent(ctx, site.Scope(), c.ID)
			if err != nil {
				b.Fatal(err)
			}
			links += k
		}
		b.ReportMetric(float64(links), "links")
	}
}
