package wordpress_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/igny8/sdk/adapters/crawler"
	"github.com/igny8/sdk/adapters/wordpress"
	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/linking"
	"github.com/igny8/sdk/publishing"
	"github.com/igny8/sdk/siteaudit"
)

// TestSiteAuditPublishesLinksToWordPress is issue 13's flow against the
// real WordPress: posts that mention each other's keywords are published
// through the adapter, the site is crawled with adapters/crawler (from the
// posts' category archive) and imported, the audit suggests links, and
// PublishLinks writes them into the posts' raw content. A second run
// changes nothing, and a re-import and audit suggest none of the links
// again. It runs with both trailing slash policies of the crawler: with
// SlashStrip the crawled addresses lack WordPress's slash, and the links
// must still go to the posts' own addresses, not through a redirect.
func TestSiteAuditPublishesLinksToWordPress(t *testing.T) {
	if testing.Short() {
		t.Skip("short mode")
	}
	for _, tc := range []struct {
		name  string
		slash siteaudit.SlashPolicy
	}{{"slash kept", siteaudit.SlashKeep}, {"slash stripped", siteaudit.SlashStrip}} {
		t.Run(tc.name, func(t *testing.T) { auditAndPublish(t, tc.slash) })
	}
}

func auditAndPublish(t *testing.T, slash siteaudit.SlashPolicy) {
	ctx := t.Context()
	c := newClient(t)
	k := tok()
	category := "igny8 audit " + k
	posts := []struct{ slug, title, keyword, html string }{
		{"espresso-grinders-" + k, "Espresso grinders " + k, "espresso grinder",
			"<p>An espresso grinder sets the grind size for every shot you pull. Good burrs last for years and keep the grind even.</p>\n" +
				"<p>Steam the milk with a milk frother after the shot is pulled. Clean the burrs every week.</p>"},
		{"milk-frothers-" + k, "Milk frothers " + k, "milk frother",
			"<p>A milk frother turns cold milk into soft foam for a latte. Whole milk gives the thickest foam.</p>\n" +
				"<p>Grind the beans fresh with an espresso grinder before you steam the milk. Heat tea water in a gooseneck kettle.</p>"},
		{"gooseneck-kettles-" + k, "Gooseneck kettles " + k, "gooseneck kettle",
			"<p>A gooseneck kettle pours a thin and steady stream for pour over coffee. Heat the water to ninety degrees.</p>\n" +
				"<p>Some people keep a milk frother next to the kettle for cocoa.</p>"},
	}
	norm := func(u string) string {
		n, ok := siteaudit.NormalizeURL(u, slash)
		if !ok {
			t.Fatalf("NormalizeURL(%q) failed", u)
		}
		return n
	}
	keyphrases := map[string]string{}
	receipts := map[string]publishing.Receipt{} // by crawled URL
	for _, p := range posts {
		r, err := c.Publish(ctx, publishing.Item{
			Scope: testScope, ContentID: "c-" + p.slug, Version: 1, Type: publishing.TypePost,
			Title: p.title, Slug: p.slug, HTML: p.html, Status: publishing.StatusPublish,
			Categories: []string{category}, IdempotencyKey: "audit-" + p.slug,
		})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { rest(t, http.MethodDelete, "posts/"+r.RemoteID+"?force=true", nil, nil) })
		keyphrases[norm(r.URL)] = p.keyword
		receipts[norm(r.URL)] = r
	}
	var cats []struct {
		ID   int64  `json:"id"`
		Link string `json:"link"`
	}
	if code, _ := rest(t, http.MethodGet, "categories?search="+strings.ReplaceAll(category, " ", "+"), nil, &cats); code != 200 || len(cats) != 1 {
		t.Fatalf("category %q: status %d, %+v", category, code, cats)
	}
	t.Cleanup(func() {
		rest(t, http.MethodDelete, "categories/"+strconv.FormatInt(cats[0].ID, 10)+"?force=true", nil, nil)
	})

	cr, err := crawler.New(crawler.Options{AllowPrivate: true, MaxDepth: 1, MaxPages: 30, Parallelism: 2,
		PageTimeout: 20 * time.Second, Slash: slash})
	if err != nil {
		t.Fatal(err)
	}
	store := siteaudit.NewMemStore()
	// The posts are short, and the theme's comment form puts internal
	// links in the main content, which count against the linker's cap
	// (one link per 250 words by default): allow one per 20 words.
	a, err := siteaudit.NewAuditor(store, cr, siteaudit.Options{Linking: linking.Options{Rules: linking.Rules{WordsPerLink: 20}}})
	if err != nil {
		t.Fatal(err)
	}
	scope := igny8.Scope{AccountID: "acct-wp", SiteID: "site-audit-" + k}
	res, err := a.Import(ctx, scope, siteaudit.CrawlRequest{Start: cats[0].Link})
	if err != nil {
		t.Fatal(err)
	}
	ours := map[string]string{} // item ID → crawled URL of the posts of this test
	for u := range receipts {
		it, err := store.GetItemByURL(ctx, scope, u)
		if err != nil {
			t.Fatalf("post %s not imported (crawl %+v): %v", u, res.Crawl, err)
		}
		ours[it.ID] = u
	}

	// accepted are the suggestions between the posts of this test: the
	// site holds other tests' posts, which stay as they are.
	accepted := func(rep siteaudit.Report) []linking.Suggestion {
		var out []linking.Suggestion
		for _, s := range rep.AllSuggestions() {
			if _, ok := ours[s.SourceID]; ok && receipts[s.TargetURL].RemoteID != "" {
				out = append(out, s)
			}
		}
		return out
	}
	rep, err := a.Audit(ctx, scope, siteaudit.AuditOptions{Keyphrases: keyphrases})
	if err != nil {
		t.Fatal(err)
	}
	sugs := accepted(rep)
	sources := map[string]bool{}
	for _, s := range sugs {
		sources[s.SourceID] = true
	}
	if len(sources) < 2 {
		t.Fatalf("suggestions between the posts = %+v; want links from at least two posts", sugs)
	}

	pub, err := a.PublishLinks(ctx, scope, c, siteaudit.PublishOptions{Suggestions: sugs})
	if err != nil {
		t.Fatal(err)
	}
	if pub.Updated != len(sources) || pub.Failed != 0 || pub.NotFound != 0 || pub.Links != len(sugs) {
		t.Fatalf("first run = %+v", pub)
	}
	modified := map[string]string{}
	for _, pp := range pub.Pages {
		var post struct {
			ModifiedGMT string `json:"modified_gmt"`
			Content     struct {
				Raw      string `json:"raw"`
				Rendered string `json:"rendered"`
			} `json:"content"`
		}
		if code, _ := rest(t, http.MethodGet, "posts/"+pp.RemoteID+"?context=edit", nil, &post); code != 200 {
			t.Fatalf("GET post %s: %d", pp.RemoteID, code)
		}
		modified[pp.RemoteID] = post.ModifiedGMT
		for _, l := range pp.Links {
			// The link goes to the target's address in WordPress.
			if target := receipts[norm(l.TargetURL)]; target.RemoteID == "" || l.TargetURL != target.URL {
				t.Errorf("link %+v does not go to a post of the test as WordPress names it", l)
			}
			tag := `<a href="` + l.TargetURL + `" ` + linking.MarkerAttr + `="` + l.ID + `">` + l.Anchor + `</a>`
			if !strings.Contains(post.Content.Raw, tag) {
				t.Errorf("post %s (%s) lacks %s:\n%s", pp.RemoteID, pp.URL, tag, post.Content.Raw)
			}
			if !strings.Contains(post.Content.Rendered, `href="`+l.TargetURL+`"`) {
				t.Errorf("rendered post %s lacks the link to %s", pp.RemoteID, l.TargetURL)
			}
		}
		// The rest of the content is as it was, down to the adapter's
		// idempotency marker.
		if back, n := linking.RemoveAll(post.Content.Raw); n != len(pp.Links) || !strings.HasSuffix(back, wordpress.Marker(receipts[pp.URL].IdempotencyKey)+" -->") {
			t.Errorf("post %s: %d links, content without them %q", pp.RemoteID, n, back)
		}
	}

	// The same suggestions again: every link is there, nothing is written.
	again, err := a.PublishLinks(ctx, scope, c, siteaudit.PublishOptions{Suggestions: sugs})
	if err != nil {
		t.Fatal(err)
	}
	if again.Updated != 0 || again.Unchanged != len(sources) || again.Present != len(sugs) || again.Failed != 0 {
		t.Fatalf("second run = %+v", again)
	}
	for id, before := range modified {
		var post struct {
			ModifiedGMT string `json:"modified_gmt"`
		}
		rest(t, http.MethodGet, "posts/"+id+"?context=edit&_fields=modified_gmt", nil, &post)
		if post.ModifiedGMT != before {
			t.Errorf("post %s modified again: %s → %s", id, before, post.ModifiedGMT)
		}
	}

	// A re-import sees the links on the live pages; the audit does not
	// suggest them again.
	if _, err := a.Import(ctx, scope, siteaudit.CrawlRequest{Start: cats[0].Link}); err != nil {
		t.Fatal(err)
	}
	rep, err = a.Audit(ctx, scope, siteaudit.AuditOptions{Keyphrases: keyphrases})
	if err != nil {
		t.Fatal(err)
	}
	done := map[[2]string]bool{}
	for _, s := range sugs {
		done[[2]string{s.SourceID, s.TargetURL}] = true
	}
	for _, s := range accepted(rep) {
		if done[[2]string{s.SourceID, s.TargetURL}] {
			t.Errorf("after publishing, the audit suggests %s → %s again", ours[s.SourceID], s.TargetURL)
		}
	}
}
