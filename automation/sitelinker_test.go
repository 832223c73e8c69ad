package automation_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/igny8/sdk/adapters/sqlstore"
	"github.com/igny8/sdk/adapters/sqlstore/sqlstoretest"
	"github.com/igny8/sdk/automation"
	"github.com/igny8/sdk/content"
	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/linking"
	"github.com/igny8/sdk/planning"
)

// linkEnv is a site with two sectors and the services a SiteLinker needs.
type linkEnv struct {
	st      *sqlstore.Store
	ten     *igny8.Tenancy
	clock   *igny8.ManualClock
	ids     *igny8.UUIDv7
	events  *igny8.Events
	library *content.Library
	acct    igny8.Scope
	site    igny8.Site
	sector  igny8.Scope // the first sector
	other   igny8.Scope // the second sector
}

func newLinkEnv(t *testing.T, st *sqlstore.Store) *linkEnv {
	t.Helper()
	ctx := context.Background()
	e := &linkEnv{st: st, clock: igny8.NewManualClock(t0)}
	e.ids = &igny8.UUIDv7{Clock: e.clock}
	e.ten = igny8.NewTenancy(st, igny8.TenancyOptions{Clock: e.clock})
	plan, err := e.ten.CreatePlan(ctx, igny8.Plan{Name: "p"})
	if err != nil {
		t.Fatal(err)
	}
	acct, err := e.ten.CreateAccount(ctx, igny8.Account{Name: "a", PlanID: plan.ID})
	if err != nil {
		t.Fatal(err)
	}
	e.acct = igny8.Scope{AccountID: acct.ID}
	e.site = e.newSite(t, "garden.example")
	for i, dst := range []*igny8.Scope{&e.sector, &e.other} {
		sec, err := e.ten.CreateSector(ctx, e.site.Scope(), igny8.Sector{Name: fmt.Sprintf("sector %d", i), Slug: fmt.Sprintf("sector-%d", i)})
		if err != nil {
			t.Fatal(err)
		}
		*dst = igny8.Scope{AccountID: acct.ID, SiteID: e.site.ID, SectorID: sec.ID}
	}
	e.events = igny8.NewEvents(st, e.clock, nil)
	e.library = content.NewLibrary(st, e.events, content.LibraryOptions{Sanitizer: content.DefaultSanitizer(), Clock: e.clock, IDs: e.ids})
	return e
}

func (e *linkEnv) newSite(t *testing.T, domain string) igny8.Site {
	t.Helper()
	site, err := e.ten.CreateSite(context.Background(), e.acct, igny8.Site{Name: domain, Domain: domain})
	if err != nil {
		t.Fatal(err)
	}
	return site
}

func (e *linkEnv) linker(opts *automation.SiteLinkerOptions) *automation.SiteLinker {
	o := automation.SiteLinkerOptions{}
	if opts != nil {
		o = *opts
	}
	o.Clock, o.IDs = e.clock, e.ids
	return automation.NewSiteLinker(e.st, e.library, e.st, e.events, &o)
}

// filler is a sentence that names no page's keyword.
const filler = "The season starts slowly and the ground needs time to warm before anything grows well, so patient growers wait and watch the weather. "

// article is an HTML body about topic with one paragraph per mention of
// another page's keyword, long enough for the page to hold every link.
func article(topic string, mentions ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<h2>About %s</h2>", topic)
	if len(mentions) == 0 {
		mentions = []string{""}
	}
	for _, m := range mentions {
		b.WriteString("<p>" + strings.Repeat(filler, 6))
		if m != "" {
			fmt.Fprintf(&b, "Many readers who plan around %s also ask how the %s fits into a small plot. ", topic, m)
		}
		b.WriteString(strings.Repeat(filler, 6) + "</p>")
	}
	return b.String()
}

func (e *linkEnv) create(t *testing.T, scope igny8.Scope, title, keyword, html string) content.Content {
	t.Helper()
	c, err := e.library.Create(context.Background(), scope, content.Draft{Title: title, PrimaryKeyword: keyword, HTML: html})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// createForTask stores a content written for a task, as the writer does.
func (e *linkEnv) createForTask(t *testing.T, scope igny8.Scope, taskID, slug, keyword, html string) content.Content {
	t.Helper()
	now := e.clock.Now()
	c := content.Content{ID: e.ids.NewID(), Scope: scope, TaskID: taskID, Type: content.TypePost, Status: content.StatusDraft, Version: 1,
		Body: content.Body{Title: slug, Slug: slug, HTML: html}, PrimaryKeyword: keyword, CreatedAt: now, UpdatedAt: now}
	if err := e.st.CreateContent(context.Background(), scope, c, content.Version{ContentID: c.ID, Number: 1, Reason: content.ReasonGenerated, Body: c.Body, CreatedAt: now}); err != nil {
		t.Fatal(err)
	}
	return c
}

func (e *linkEnv) cluster(t *testing.T, scope igny8.Scope, pillar string) string {
	t.Helper()
	now := e.clock.Now()
	cl := planning.Cluster{ID: e.ids.NewID(), Name: pillar, PillarKeyword: pillar, Status: planning.StatusActive, CreatedAt: now, UpdatedAt: now}
	if err := e.st.CreateClusters(context.Background(), scope, []planning.Cluster{cl}); err != nil {
		t.Fatal(err)
	}
	return cl.ID
}

func (e *linkEnv) task(t *testing.T, scope igny8.Scope, clusterID, keyword string) string {
	t.Helper()
	now := e.clock.Now()
	tk := content.Task{ID: e.ids.NewID(), ClusterID: clusterID, Title: keyword, PrimaryKeyword: keyword, Type: content.TypePost,
		TargetWords: 800, Status: content.TaskQueued, CreatedAt: now, UpdatedAt: now}
	if err := e.st.CreateTasks(context.Background(), scope, []content.Task{tk}); err != nil {
		t.Fatal(err)
	}
	return tk.ID
}

func (e *linkEnv) get(t *testing.T, id string) content.Content {
	t.Helper()
	c, err := e.st.GetContent(context.Background(), e.site.Scope(), id)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (e *linkEnv) links(t *testing.T, q linking.LinkQuery) []linking.Link {
	t.Helper()
	l, err := e.st.ListLinks(context.Background(), e.site.Scope(), q)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestSiteLinkerPagesFindPillars(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, st *sqlstore.Store) {
		e := newLinkEnv(t, st)
		ctx := context.Background()
		compost := e.cluster(t, e.sector, "Compost Bin")
		rain := e.cluster(t, e.sector, "rain barrel")
		tA, tB, tC := e.task(t, e.sector, compost, "a"), e.task(t, e.sector, compost, "b"), e.task(t, e.sector, compost, "c")
		tD, tE := e.task(t, e.sector, rain, "d"), e.task(t, e.sector, "", "e")
		// a is the oldest content on its cluster's pillar keyword: the
		// pillar. b has the same keyword but is younger; c is a member; d
		// a member of a cluster without pillar page; e on the pillar
		// keyword but for a task of no cluster; f was written by hand.
		a := e.createForTask(t, e.sector, tA, "compost-bin-guide", "compost bin", article("compost bins"))
		b := e.createForTask(t, e.sector, tB, "compost-bin-again", "COMPOST  bin", article("compost bins"))
		c := e.createForTask(t, e.other, tC, "worm-farm", "worm farm", article("worms"))
		d := e.createForTask(t, e.sector, tD, "rain-gauge", "rain gauge", article("rain"))
		ee := e.createForTask(t, e.sector, tE, "compost-bin-lone", "compost bin", article("compost"))
		f := e.create(t, e.other, "Hand written", "mulch", article("mulch"))
		if err := e.library.SetStatus(ctx, e.other, f.ID, content.StatusPublished, nil); err != nil {
			t.Fatal(err)
		}

		pages, err := e.linker(nil).Pages(ctx, e.sector)
		if err != nil {
			t.Fatal(err)
		}
		type want struct {
			cluster   string
			pillar    bool
			published bool
		}
		wants := map[string]want{a.ID: {compost, true, false}, b.ID: {compost, false, false}, c.ID: {compost, false, false},
			d.ID: {rain, false, false}, ee.ID: {"", false, false}, f.ID: {"", false, true}}
		if len(pages) != len(wants) {
			t.Fatalf("%d pages, want %d (every content of the site, both sectors)", len(pages), len(wants))
		}
		for i, p := range pages {
			if i > 0 && pages[i-1].Content.ID >= p.Content.ID {
				t.Errorf("pages not in ID order at %d", i)
			}
			w := wants[p.Content.ID]
			if p.Page.ID != p.Content.ID || p.Page.URL != "/"+p.Content.Slug+"/" || p.Page.HTML != p.Content.HTML || p.Page.PrimaryKeyword != p.Content.PrimaryKeyword {
				t.Errorf("page %+v does not match its content %s", p.Page, p.Content.Slug)
			}
			if p.Page.ClusterID != w.cluster || p.Page.IsPillar != w.pillar || p.Page.Published != w.published {
				t.Errorf("%s: cluster %q pillar %v published %v, want %q %v %v", p.Content.Slug, p.Page.ClusterID, p.Page.IsPillar, p.Page.Published,
					w.cluster, w.pillar, w.published)
			}
		}
		if _, err := e.linker(nil).Pages(ctx, igny8.Scope{AccountID: e.acct.AccountID}); igny8.CodeOf(err) != igny8.CodeInvalidArgument {
			t.Errorf("Pages without a site = %v, want InvalidArgument", err)
		}
	})
}

// passSite is a sector of three pages that mention one another and a
// page of the other sector, in a cluster whose pillar is a.
type passSite struct {
	a, b, c, d content.Content
}

func newPassSite(t *testing.T, e *linkEnv) passSite {
	cl := e.cluster(t, e.sector, "compost bin")
	var s passSite
	s.a = e.createForTask(t, e.sector, e.task(t, e.sector, cl, "compost bin"), "compost-bin", "compost bin",
		article("compost bins", "worm farm", "rain barrel"))
	s.b = e.createForTask(t, e.sector, e.task(t, e.sector, cl, "worm farm"), "worm-farm", "worm farm",
		article("worm farms", "compost bin", "leaf mould"))
	s.c = e.createForTask(t, e.sector, e.task(t, e.sector, cl, "leaf mould"), "leaf-mould", "leaf mould",
		article("leaf mould", "compost bin", "worm farm"))
	s.d = e.create(t, e.other, "Rain barrels", "rain barrel", article("rain barrels", "compost bin"))
	return s
}

func TestSiteLinkerLinkPassCounts(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, st *sqlstore.Store) {
		e := newLinkEnv(t, st)
		ctx := context.Background()
		s := newPassSite(t, e)
		sl := e.linker(nil)

		// Published targets only: every page is a draft, nothing placed.
		res, err := sl.LinkPass(ctx, e.sector, automation.PassOptions{PublishedOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		if res.Pages != 3 || res.Placed != 0 || res.Versions != 0 || res.SkippedBy[linking.RuleUnpublished] == 0 {
			t.Fatalf("published-only pass over drafts: %+v, want 3 pages, nothing placed, unpublished targets skipped", res)
		}

		type call struct{ total, done, failed int }
		var calls []call
		res, err = sl.LinkPass(ctx, e.sector, automation.PassOptions{Progress: func(total, done, failed int) { calls = append(calls, call{total, done, failed}) }})
		if err != nil {
			t.Fatal(err)
		}
		if res.Pages != 3 || res.Failed != 0 || res.Placed == 0 {
			t.Fatalf("pass: %+v, want 3 pages linked", res)
		}
		if want := []call{{3, 0, 0}, {3, 1, 0}, {3, 2, 0}, {3, 3, 0}}; !slices.Equal(calls, want) {
			t.Errorf("progress %v, want %v", calls, want)
		}
		all := e.links(t, linking.LinkQuery{})
		if len(all) != res.Placed {
			t.Errorf("%d link records, the pass placed %d", len(all), res.Placed)
		}
		skipped := 0
		for _, n := range res.SkippedBy {
			skipped += n
		}
		if skipped != res.Skipped {
			t.Errorf("skipped %d, by rule %v", res.Skipped, res.SkippedBy)
		}
		versions := 0
		for _, c := range []content.Content{s.a, s.b, s.c} {
			now := e.get(t, c.ID)
			if now.Version > 1 {
				versions++
				vs, err := e.library.Versions(ctx, e.sector, c.ID)
				if err != nil {
					t.Fatal(err)
				}
				if last := vs[len(vs)-1]; last.Reason != content.ReasonLinked {
					t.Errorf("%s: version %d has reason %q", c.Slug, last.Number, last.Reason)
				}
			}
		}
		if versions != res.Versions || versions == 0 {
			t.Errorf("%d contents have a new version, the pass counted %d", versions, res.Versions)
		}
		if e.get(t, s.d.ID).Version != 1 {
			t.Error("the pass linked a content of another sector")
		}
		toD, toPillar := 0, 0
		for _, l := range all {
			if l.TargetID == s.d.ID {
				toD++
			}
			if l.TargetID == s.a.ID && l.Type == linking.LinkToPillar {
				toPillar++
			}
			if l.SourceID == s.d.ID {
				t.Errorf("link %s from the other sector's page", l.ID)
			}
		}
		if toD == 0 {
			t.Error("no link to the page of the other sector: every page of the site is a target")
		}
		if toPillar == 0 {
			t.Errorf("no member links to the pillar as such: %+v", all)
		}

		// A second pass finds the links in place.
		again, err := sl.LinkPass(ctx, e.sector, automation.PassOptions{ContentIDs: []string{s.b.ID, s.a.ID, s.b.ID}})
		if err != nil {
			t.Fatal(err)
		}
		if again.Pages != 2 || again.Placed != 0 || again.Versions != 0 {
			t.Errorf("second pass over a and b: %+v, want 2 pages and nothing new", again)
		}
		if n := len(e.links(t, linking.LinkQuery{})); n != len(all) {
			t.Errorf("%d link records after the second pass, want %d", n, len(all))
		}

		for _, ids := range [][]string{{"nope"}, {s.a.ID, s.d.ID}} {
			_, err := sl.LinkPass(ctx, e.sector, automation.PassOptions{ContentIDs: ids})
			field := fmt.Sprintf("content_ids[%d]", len(ids)-1)
			if igny8.CodeOf(err) != igny8.CodeInvalidArgument || !strings.Contains(err.Error(), field) {
				t.Errorf("pass over %v = %v, want InvalidArgument naming %s", ids, err, field)
			}
		}
		if _, err := sl.LinkPass(ctx, igny8.Scope{}, automation.PassOptions{}); igny8.CodeOf(err) != igny8.CodeInvalidArgument {
			t.Errorf("pass without a scope = %v, want InvalidArgument", err)
		}
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := sl.LinkPass(cctx, e.site.Scope(), automation.PassOptions{}); err == nil {
			t.Error("a pass with a cancelled context succeeded")
		}
	})
}

func TestSiteLinkerUnlink(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, st *sqlstore.Store) {
		e := newLinkEnv(t, st)
		ctx := context.Background()
		e.create(t, e.sector, "Compost bins", "compost bin", article("compost bins"))
		e.create(t, e.sector, "Rain barrels", "rain barrel", article("rain barrels"))
		src := e.create(t, e.sector, "Worm farms", "worm farm", article("worm farms", "compost bin", "rain barrel"))
		sl := e.linker(nil)
		n, err := sl.LinkContent(ctx, e.sector, src.ID)
		if err != nil {
			t.Fatal(err)
		}
		links := e.links(t, linking.LinkQuery{SourceID: src.ID})
		if n != 2 || len(links) != 2 {
			t.Fatalf("linked %d, %d records; want 2", n, len(links))
		}
		l := links[0]
		if _, err := sl.Unlink(ctx, e.sector, l.TargetID, l.ID); igny8.CodeOf(err) != igny8.CodeNotFound {
			t.Errorf("unlink through the target = %v, want NotFound", err)
		}
		if _, err := sl.Unlink(ctx, e.other, src.ID, l.ID); igny8.CodeOf(err) != igny8.CodeNotFound {
			t.Errorf("unlink from another sector = %v, want NotFound", err)
		}
		if _, err := sl.Unlink(ctx, e.sector, src.ID, ""); igny8.CodeOf(err) != igny8.CodeInvalidArgument || !strings.Contains(err.Error(), "link_id") {
			t.Errorf("unlink without a link = %v, want InvalidArgument naming link_id", err)
		}

		version := e.get(t, src.ID).Version
		for _, l := range links {
			v, err := sl.Unlink(ctx, e.sector, src.ID, l.ID)
			if err != nil {
				t.Fatal(err)
			}
			now := e.get(t, src.ID)
			if v != version+1 || now.Version != v {
				t.Errorf("unlink returned version %d, content at %d, want %d", v, now.Version, version+1)
			}
			version = v
			if strings.Contains(now.HTML, l.ID) || !strings.Contains(now.HTML, l.Anchor) {
				t.Errorf("after unlink the HTML still holds link %s or lost its anchor %q", l.ID, l.Anchor)
			}
			if got := e.links(t, linking.LinkQuery{SourceID: src.ID}); slices.ContainsFunc(got, func(x linking.Link) bool { return x.ID == l.ID }) {
				t.Errorf("record %s still there", l.ID)
			}
			vs, _ := e.library.Versions(ctx, e.sector, src.ID)
			if last := vs[len(vs)-1]; last.Reason != content.ReasonLinked || !strings.Contains(last.Note, l.ID) {
				t.Errorf("unlink version: reason %q note %q", last.Reason, last.Note)
			}
			if _, err := sl.Unlink(ctx, e.sector, src.ID, l.ID); igny8.CodeOf(err) != igny8.CodeNotFound {
				t.Errorf("second unlink of %s = %v, want NotFound", l.ID, err)
			}
		}
		if got := e.get(t, src.ID).HTML; got != src.HTML {
			t.Errorf("with every link taken out the HTML is not the original, byte for byte:\n%s\n---\n%s", got, src.HTML)
		}

		// A link the restored version does not hold only loses its record.
		if _, err := sl.LinkContent(ctx, e.sector, src.ID); err != nil {
			t.Fatal(err)
		}
		links = e.links(t, linking.LinkQuery{SourceID: src.ID})
		if len(links) == 0 {
			t.Fatal("linking again placed nothing")
		}
		restored, err := e.library.Restore(ctx, e.sector, src.ID, 1)
		if err != nil {
			t.Fatal(err)
		}
		v, err := sl.Unlink(ctx, e.sector, src.ID, links[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if now := e.get(t, src.ID); v != restored.Version || now.Version != restored.Version || now.HTML != restored.HTML {
			t.Errorf("unlinking a link the current version lacks made version %d (restored %d)", now.Version, restored.Version)
		}
		if got := e.links(t, linking.LinkQuery{SourceID: src.ID}); len(got) != len(links)-1 {
			t.Errorf("%d records after, want %d", len(got), len(links)-1)
		}
	})
}

func TestSiteLinkerLinkContentLinksInbound(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, st *sqlstore.Store) {
		e := newLinkEnv(t, st)
		ctx := context.Background()
		sl := e.linker(nil)
		old := e.create(t, e.sector, "Worm farms", "worm farm", article("worm farms", "rain barrel"))
		if n, err := sl.LinkContent(ctx, e.sector, old.ID); err != nil || n != 0 {
			t.Fatalf("linking the only page = %d, %v", n, err)
		}
		// The new page is linked from the existing one that mentions it,
		// through the same SiteLinker's index.
		nu := e.create(t, e.sector, "Rain barrels", "rain barrel", article("rain barrels"))
		n, err := sl.LinkContent(ctx, e.sector, nu.ID)
		if err != nil {
			t.Fatal(err)
		}
		in := e.links(t, linking.LinkQuery{TargetID: nu.ID})
		if n != 1 || len(in) != 1 || in[0].SourceID != old.ID {
			t.Fatalf("linked %d, inbound %+v; want the old page linking to the new", n, in)
		}
		if now := e.get(t, old.ID); now.Version != 2 || !strings.Contains(now.HTML, `href="/`+nu.Slug+`/"`) {
			t.Errorf("old page at version %d without the link", now.Version)
		}
	})
}

// TestSiteLinkerIndexIsNotStale: LinkContent's index of a site is built
// again after IndexTTL, so that pages added elsewhere become targets; a
// target renamed elsewhere is linked at its new address at once; and the
// indexes of at most MaxSites sites are kept.
func TestSiteLinkerIndexIsNotStale(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, st *sqlstore.Store) {
		e := newLinkEnv(t, st)
		ctx := context.Background()
		sl := e.linker(&automation.SiteLinkerOptions{IndexTTL: time.Minute, MaxSites: 2})
		first := e.create(t, e.sector, "Compost bins", "compost bin", article("compost bins"))
		if _, err := sl.LinkContent(ctx, e.sector, first.ID); err != nil {
			t.Fatal(err)
		}
		// Added without the SiteLinker (another process, the API).
		barrel := e.create(t, e.sector, "Rain barrels", "rain barrel", article("rain barrels"))
		linksTo := func(src content.Content, target string) []linking.Link {
			t.Helper()
			if _, err := sl.LinkContent(ctx, e.sector, src.ID); err != nil {
				t.Fatal(err)
			}
			var out []linking.Link
			for _, l := range e.links(t, linking.LinkQuery{SourceID: src.ID}) {
				if l.TargetID == target {
					out = append(out, l)
				}
			}
			return out
		}
		// Within the TTL the index is reused: the page added elsewhere is
		// not a target yet (the trade-off IndexTTL bounds).
		early := e.create(t, e.sector, "Worm farms", "worm farm", article("worm farms", "rain barrel"))
		if l := linksTo(early, barrel.ID); len(l) != 0 {
			t.Fatalf("within the TTL a page added elsewhere was a target: %+v (the index is not reused)", l)
		}
		e.clock.Advance(time.Minute)
		late := e.create(t, e.sector, "Leaf mould", "leaf mould", article("leaf mould", "rain barrel"))
		if l := linksTo(late, barrel.ID); len(l) != 1 || l[0].TargetURL != "/"+barrel.Slug+"/" {
			t.Fatalf("after the TTL the page added elsewhere is no target: %+v", l)
		}

		// Renamed elsewhere within the TTL: the link goes to the new URL.
		slug := "water-butts"
		if _, err := e.library.Update(ctx, e.sector, barrel.ID, 0, content.Edit{Slug: &slug}, content.ReasonEdited, "renamed"); err != nil {
			t.Fatal(err)
		}
		renamed := e.create(t, e.sector, "Hedges", "hedge row", article("hedges", "rain barrel"))
		l := linksTo(renamed, barrel.ID)
		if len(l) != 1 || l[0].TargetURL != "/water-butts/" {
			t.Fatalf("link to the renamed page: %+v, want one to /water-butts/", l)
		}
		if html := e.get(t, renamed.ID).HTML; !strings.Contains(html, `href="/water-butts/"`) || strings.Contains(html, `href="/`+barrel.Slug+`/"`) {
			t.Errorf("the renamed page is linked at its old address: %s", html)
		}

		// Two sites more: the least recently used index goes.
		for _, domain := range []string{"two.example", "three.example"} {
			e.clock.Advance(time.Second)
			site := e.newSite(t, domain)
			c := e.create(t, site.Scope(), "Compost bins", "compost bin", article("compost bins"))
			if _, err := sl.LinkContent(ctx, site.Scope(), c.ID); err != nil {
				t.Fatal(err)
			}
			if got := automation.CachedSites(sl); slices.Contains(got, e.site.ID) == (domain == "three.example") || len(got) > 2 {
				t.Errorf("after linking in %s the cached sites are %v (first site %s)", domain, got, e.site.ID)
			}
		}
	})
}

// flakyStore lets a test change a content just before the SiteLinker's
// transaction, and fail the saves of one content.
type flakyStore struct {
	*sqlstore.Store
	mu       sync.Mutex
	beforeTx func(ctx context.Context)
	failSave string
}

func (f *flakyStore) InTx(ctx context.Context, fn func(ctx context.Context) error) error {
	f.mu.Lock()
	before := f.beforeTx
	f.beforeTx = nil
	f.mu.Unlock()
	if before != nil {
		before(ctx)
	}
	return f.Store.InTx(ctx, fn)
}

func (f *flakyStore) SaveVersion(ctx context.Context, scope igny8.Scope, c content.Content, v content.Version) error {
	f.mu.Lock()
	fail := f.failSave == c.ID
	f.mu.Unlock()
	if fail {
		return errors.New("disk full")
	}
	return f.Store.SaveVersion(ctx, scope, c, v)
}

// TestSiteLinkerRetriesOnConflict: a version saved by someone else
// between reading a content and saving its links (or taking one out) is
// kept, and the links are made on it.
func TestSiteLinkerRetriesOnConflict(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, st *sqlstore.Store) {
		e := newLinkEnv(t, st)
		ctx := context.Background()
		fs := &flakyStore{Store: st}
		e.library = content.NewLibrary(fs, e.events, content.LibraryOptions{Sanitizer: content.DefaultSanitizer(), Clock: e.clock, IDs: e.ids})
		sl := automation.NewSiteLinker(fs, e.library, st, e.events, &automation.SiteLinkerOptions{Clock: e.clock, IDs: e.ids})
		e.create(t, e.sector, "Compost bins", "compost bin", article("compost bins"))
		src := e.create(t, e.sector, "Worm farms", "worm farm", article("worm farms", "compost bin", "compost bin"))
		edit := func(title string) func(context.Context) {
			return func(ctx context.Context) {
				if _, err := e.library.Update(ctx, e.sector, src.ID, 0, content.Edit{Title: &title}, content.ReasonEdited, "meanwhile"); err != nil {
					t.Error(err)
				}
			}
		}
		fs.beforeTx = edit("Worm farms, edited")
		n, err := sl.LinkContent(ctx, e.sector, src.ID)
		if err != nil {
			t.Fatal(err)
		}
		now := e.get(t, src.ID)
		if n != 1 || now.Version != 3 || now.Title != "Worm farms, edited" || !strings.Contains(now.HTML, linking.MarkerAttr) {
			t.Fatalf("after a conflict: %d links, version %d, title %q", n, now.Version, now.Title)
		}
		l := e.links(t, linking.LinkQuery{SourceID: src.ID})
		if len(l) != 1 {
			t.Fatalf("%d link records, want 1 (the rolled back attempt's dropped)", len(l))
		}

		fs.beforeTx = edit("Worm farms, edited again")
		v, err := sl.Unlink(ctx, e.sector, src.ID, l[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if now := e.get(t, src.ID); v != 5 || now.Version != 5 || now.Title != "Worm farms, edited again" || strings.Contains(now.HTML, linking.MarkerAttr) {
			t.Errorf("unlink after a conflict: version %d (returned %d), title %q", now.Version, v, now.Title)
		}

		// A source whose version cannot be saved fails alone.
		other := e.create(t, e.sector, "Leaf mould", "leaf mould", article("leaf mould", "compost bin"))
		fs.failSave = other.ID
		var last [3]int
		res, err := sl.LinkPass(ctx, e.sector, automation.PassOptions{Progress: func(total, done, failed int) { last = [3]int{total, done, failed} }})
		if err != nil {
			t.Fatal(err)
		}
		if res.Failed != 1 || res.Pages != 2 || last != [3]int{3, 3, 1} {
			t.Errorf("pass with a failing save: %+v, last progress %v", res, last)
		}
		if e.get(t, other.ID).Version != 1 || len(e.links(t, linking.LinkQuery{SourceID: other.ID})) != 0 {
			t.Error("the failed source kept links or a version")
		}
	})
}

// TestSiteLinkerIndexKnowsPastAnchors: an index built for a pass (or built
// again after IndexTTL) knows the anchors the site already links with, so
// that one target's anchors still vary.
func TestSiteLinkerIndexKnowsPastAnchors(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, st *sqlstore.Store) {
		e := newLinkEnv(t, st)
		ctx := context.Background()
		target := e.create(t, e.sector, "Compost bins", "compost bin", article("compost bins"))
		sl := e.linker(nil)
		var last automation.PassResult
		for i := range 4 {
			src := e.create(t, e.sector, fmt.Sprintf("Source %d", i), fmt.Sprintf("source topic %d", i), article("sources", "compost bin"))
			res, err := sl.LinkPass(ctx, e.sector, automation.PassOptions{ContentIDs: []string{src.ID}})
			if err != nil {
				t.Fatal(err)
			}
			last = res
		}
		if n := len(e.links(t, linking.LinkQuery{TargetID: target.ID})); n != 3 || last.Placed != 0 || last.SkippedBy[linking.RuleAnchorVariety] != 1 {
			t.Errorf("%d links to the target, the fourth pass %+v; want 3, and the fourth refused by %s", n, last, linking.RuleAnchorVariety)
		}
	})
}

// TestSiteLinkerConcurrent links pages of two sites at once through one
// SiteLinker that keeps one site's index: every call succeeds and every
// page gets its link.
func TestSiteLinkerConcurrent(t *testing.T) {
	st := sqlstoretest.SQLite(t)
	e := newLinkEnv(t, st)
	ctx := context.Background()
	sl := e.linker(&automation.SiteLinkerOptions{MaxSites: 1})
	var ids []igny8.Scope
	var contents []content.Content
	for _, site := range []igny8.Site{e.site, e.newSite(t, "two.example")} {
		e.create(t, site.Scope(), "Compost bins", "compost bin", article("compost bins"))
		for i := range 3 { // three links to one target: its anchor may stay the same
			contents = append(contents, e.create(t, site.Scope(), fmt.Sprintf("Page %d", i), fmt.Sprintf("page topic %d", i), article("pages", "compost bin")))
			ids = append(ids, site.Scope())
		}
	}
	var wg sync.WaitGroup
	for i, c := range contents {
		wg.Go(func() {
			if n, err := sl.LinkContent(ctx, ids[i], c.ID); err != nil || n != 1 {
				t.Errorf("LinkContent(%s) = %d, %v; want its link", c.Slug, n, err)
			}
		})
	}
	wg.Wait()
	if got := automation.CachedSites(sl); len(got) != 1 {
		t.Errorf("cached sites %v, want one", got)
	}
}
