package linking

import (
	"context"
	"strings"
	"testing"
)

// site returns an index over a small site.
func site(t *testing.T, opts *Options) *Index {
	t.Helper()
	x := NewIndex(opts)
	pages := []Page{
		{ID: "tools", URL: "/seo-tools", Title: "Tools", PrimaryKeyword: "seo tools", SecondaryKeywords: []string{"rank tracker"}, ClusterID: "seo", Published: true,
			HTML: "<p>Tools for search engine optimization and rank tracking.</p>"},
		{ID: "research", URL: "/keyword-research", Title: "Research", PrimaryKeyword: "keyword research", SecondaryKeywords: []string{"keyword planner", "read more"}, ClusterID: "seo", IsPillar: true, Published: true,
			HTML: "<p>Keyword research is the pillar of search engine optimization.</p>"},
		{ID: "calendar", URL: "/content-calendar", Title: "Calendar", PrimaryKeyword: "content calendar", Published: false,
			HTML: "<p>Plan content with a calendar.</p>"},
		{ID: "links", URL: "/link-building", Title: "Links", PrimaryKeyword: "link building", ClusterID: "seo", Published: true,
			HTML: "<p>Link building earns links from other sites.</p>"},
	}
	for _, p := range pages {
		if err := x.Add(p); err != nil {
			t.Fatalf("Add(%s): %v", p.ID, err)
		}
	}
	return x
}

// filler returns n words of neutral prose in sentences of ten.
func filler(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString("word ")
		if i%10 == 9 {
			b.WriteString("ends. ")
		}
	}
	return b.String()
}

func TestRules(t *testing.T) {
	long := "<p>" + filler(1000) + "</p>"
	tests := []struct {
		name    string
		opts    *Options
		prepare func(t *testing.T, x *Index)
		page    Page
		rule    RuleID
		target  string
		// linked are targets that must be suggested.
		linked []string
	}{
		{name: "self link", page: Page{ID: "tools", URL: "/seo-tools", HTML: "<p>We rate seo tools here.</p>"},
			rule: RuleSelfLink, target: "tools"},
		{name: "at most one link per target", page: Page{ID: "src", URL: "/src", HTML: `<p>See <a href="/seo-tools/">our list</a>.</p><p>The seo tools we like.</p>`},
			rule: RuleOnePerTarget, target: "tools"},
		{name: "a link to another host is not a link to the target", page: Page{ID: "src", URL: "/src", HTML: `<p>See <a href="https://other.org/seo-tools">theirs</a>.</p><p>The seo tools we like.</p>`},
			linked: []string{"tools"}},
		{name: "an absolute link to the site is", opts: &Options{Hosts: []string{"Example.com"}},
			page: Page{ID: "src", URL: "/src", HTML: `<p>See <a href="https://example.com/seo-tools">ours</a>.</p><p>The seo tools we like.</p>`},
			rule: RuleOnePerTarget, target: "tools"},
		{name: "cap scales with length", page: Page{ID: "src", URL: "/src", HTML: "<p>Good seo tools help.</p><p>So does keyword research.</p>"},
			rule: RulePageCap, target: "research", linked: []string{"tools"}},
		{name: "heading holds the anchor", page: Page{ID: "src", URL: "/src", HTML: "<h2>Best seo tools</h2><p>Nothing else.</p>"},
			rule: RuleInHeading, target: "tools"},
		{name: "inside an existing link", page: Page{ID: "src", URL: "/src", HTML: `<p><a href="https://example.org/">seo tools elsewhere</a></p>`},
			rule: RuleInLink, target: "tools"},
		{name: "inside code", page: Page{ID: "src", URL: "/src", HTML: "<pre>seo tools --list</pre><p>x <code>seo tools</code></p>"},
			rule: RuleInCode, target: "tools"},
		{name: "inside a button", page: Page{ID: "src", URL: "/src", HTML: "<p><button>seo tools</button></p>"},
			rule: RuleInButton, target: "tools"},
		{name: "image alt", page: Page{ID: "src", URL: "/src", HTML: `<p><img src="a.png" alt="seo tools chart"> A chart.</p>`},
			rule: RuleInAttribute, target: "tools"},
		{name: "table row outside a cell", page: Page{ID: "src", URL: "/src", HTML: "<table><tr>seo tools<td>x</td></tr></table>"},
			rule: RuleUnsafeMarkup, target: "tools"},
		{name: "two links in one sentence", opts: &Options{Rules: Rules{WordsPerLink: -1, MaxLinksPerPage: 10}},
			page: Page{ID: "src", URL: "/src", HTML: "<p>Use seo tools and do keyword research daily.</p>"},
			rule: RuleSameSentence, target: "research", linked: []string{"tools"}},
		{name: "sentence already holds a link", page: Page{ID: "src", URL: "/src", HTML: `<p>Read <a href="https://example.org/">our guide</a> on seo tools today.</p>`},
			rule: RuleSentenceLinked, target: "tools"},
		{name: "vague anchor", page: Page{ID: "src", URL: "/src", HTML: "<p>To read more, see below.</p>"},
			rule: RuleVagueAnchor, target: "research"},
		{name: "anchor varied across sources",
			prepare: func(t *testing.T, x *Index) {
				for range 3 {
					x.Commit([]Suggestion{{TargetID: "tools", Anchor: "SEO tools"}})
				}
			},
			page: Page{ID: "src", URL: "/src", HTML: "<p>We tried seo tools.</p>"},
			rule: RuleAnchorVariety, target: "tools"},
		{name: "anchor history survives replacing the target",
			prepare: func(t *testing.T, x *Index) {
				for range 3 {
					x.Commit([]Suggestion{{TargetID: "tools", Anchor: "SEO tools"}})
				}
				if err := x.Add(Page{ID: "tools", URL: "/seo-tools", PrimaryKeyword: "seo tools", Published: true, HTML: "<p>v2</p>"}); err != nil {
					t.Fatal(err)
				}
			},
			page: Page{ID: "src", URL: "/src", HTML: "<p>We tried seo tools.</p>"},
			rule: RuleAnchorVariety, target: "tools"},
		{name: "anchor varied: a fresh anchor is taken",
			prepare: func(t *testing.T, x *Index) {
				for range 3 {
					x.Commit([]Suggestion{{TargetID: "tools", Anchor: "SEO tools"}})
				}
			},
			page:   Page{ID: "src", URL: "/src", HTML: "<p>We tried seo tools.</p><p>A rank tracker helps.</p>"},
			linked: []string{"tools"}},
		{name: "unpublished target", page: Page{ID: "src", URL: "/src", HTML: "<p>Keep a content calendar.</p>"},
			rule: RuleUnpublished, target: "calendar"},
		{name: "unpublished target when asked", opts: &Options{Rules: Rules{AllowUnpublished: true}},
			page: Page{ID: "src", URL: "/src", HTML: "<p>Keep a content calendar.</p>"}, linked: []string{"calendar"}},
		{name: "low relevance", opts: &Options{Rules: Rules{MinScore: 0.95}},
			page: Page{ID: "src", URL: "/src", HTML: "<p>Try link building.</p>"},
			rule: RuleLowRelevance, target: "links"},
		{name: "long page gets more links", page: Page{ID: "src", URL: "/src", HTML: "<p>Use seo tools.</p>" + long + "<p>Do keyword research.</p><p>Try link building.</p>"},
			linked: []string{"tools", "research", "links"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			x := site(t, tc.opts)
			if tc.prepare != nil {
				tc.prepare(t, x)
			}
			plan, err := x.Suggest(context.Background(), tc.page)
			if err != nil {
				t.Fatal(err)
			}
			if tc.rule != "" {
				found := false
				for _, s := range plan.SkippedBy(tc.rule) {
					if s.TargetID == tc.target {
						found = true
					}
				}
				if !found {
					t.Errorf("no skip of %q by %s; plan: %+v", tc.target, tc.rule, plan)
				}
				for _, s := range plan.Suggestions {
					if s.TargetID == tc.target {
						t.Errorf("target %q suggested although skipped: %+v", tc.target, s)
					}
				}
			}
			got := map[string]bool{}
			for _, s := range plan.Suggestions {
				got[s.TargetID] = true
				if tc.page.HTML[s.Start:s.End] != s.Anchor {
					t.Errorf("anchor %q not at %d..%d", s.Anchor, s.Start, s.End)
				}
			}
			for _, id := range tc.linked {
				if !got[id] {
					t.Errorf("target %q not suggested; plan: %+v", id, plan)
				}
			}
			if len(plan.Suggestions) > plan.Cap {
				t.Errorf("%d suggestions over cap %d", len(plan.Suggestions), plan.Cap)
			}
			// Whatever was chosen applies cleanly.
			res, err := Apply(tc.page.HTML, plan.Suggestions, ApplyOptions{IDs: &seqIDs{}, Verify: true})
			if err != nil {
				t.Fatalf("Apply: %v", err)
			}
			if back, _ := RemoveAll(res.HTML); back != tc.page.HTML {
				t.Errorf("RemoveAll did not restore: %q", back)
			}
		})
	}
}

func TestFirstLinkEarly(t *testing.T) {
	x := site(t, nil)
	// Cap 1 (under 500 words): keyword research scores higher (pillar of
	// the source's cluster), but only seo tools appears early.
	html := "<p>Start with seo tools.</p><p>" + filler(200) + "</p><p>Then keyword research.</p>"
	plan, err := x.Suggest(context.Background(), Page{ID: "src", URL: "/src", ClusterID: "seo", HTML: html})
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Suggestions) != 1 || plan.Suggestions[0].TargetID != "tools" {
		t.Fatalf("want the early seo tools link, got %+v", plan.Suggestions)
	}
	if plan.Cap != 1 || len(plan.SkippedBy(RulePageCap)) != 1 {
		t.Fatalf("want cap 1 and one cap skip, got cap %d skipped %+v", plan.Cap, plan.Skipped)
	}
	// With room for both, the earliest place of each target is taken.
	html2 := "<p>Keyword research first.</p><p>" + filler(600) + "</p><p>Seo tools. More keyword research.</p>"
	plan, err = x.Suggest(context.Background(), Page{ID: "src", URL: "/src", HTML: html2})
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Suggestions) != 2 || plan.Suggestions[0].TargetID != "research" || plan.Suggestions[0].Word != 0 {
		t.Fatalf("want research at word 0 first, got %+v", plan.Suggestions)
	}
}

func TestClusterSignals(t *testing.T) {
	x := site(t, nil)
	plan, err := x.Suggest(context.Background(), Page{ID: "tools", URL: "/seo-tools", ClusterID: "seo",
		HTML: "<p>Good keyword research matters.</p>" + "<p>" + filler(600) + "</p><p>Link building too.</p>"})
	if err != nil {
		t.Fatal(err)
	}
	types := map[string]LinkType{}
	for _, s := range plan.Suggestions {
		types[s.TargetID] = s.Type
	}
	if types["research"] != LinkToPillar {
		t.Errorf("member to pillar link type = %q, want %q (plan %+v)", types["research"], LinkToPillar, plan)
	}
	if types["links"] != LinkContextual {
		t.Errorf("member to member link type = %q, want %q", types["links"], LinkContextual)
	}
	pl, err := x.Suggest(context.Background(), Page{ID: "research", URL: "/keyword-research", HTML: "<p>Pick seo tools.</p>"})
	if err != nil {
		t.Fatal(err)
	}
	if len(pl.Suggestions) != 1 || pl.Suggestions[0].Type != LinkToMember {
		t.Errorf("pillar to member: %+v", pl.Suggestions)
	}
}
