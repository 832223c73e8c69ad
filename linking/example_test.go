package linking_test

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/igny8/sdk/linking"
)

type seq struct{ n int }

func (s *seq) NewID() string { s.n++; return fmt.Sprintf("L%d", s.n) }

func Example() {
	ctx := context.Background()
	idx := linking.NewIndex(nil)
	site := []linking.Page{
		{ID: "pillar", URL: "/coffee-brewing", PrimaryKeyword: "coffee brewing", ClusterID: "coffee", IsPillar: true, Published: true,
			HTML: "<p>All about brewing coffee at home.</p>"},
		{ID: "grinder", URL: "/burr-grinder", PrimaryKeyword: "burr grinder", ClusterID: "coffee", Published: true,
			HTML: "<p>Why a burr grinder matters.</p>"},
	}
	for _, p := range site {
		if err := idx.Add(p); err != nil {
			fmt.Println(err)
			return
		}
	}
	page := linking.Page{ID: "pour-over", URL: "/pour-over", ClusterID: "coffee", Published: true,
		HTML: `<h2>Coffee brewing basics</h2><p>Good coffee brewing starts with a burr grinder.</p>`}
	plan, err := idx.Suggest(ctx, page)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range plan.Suggestions {
		fmt.Printf("%s -> %s (%s) %v\n", s.Anchor, s.TargetID, s.Type, s.Reasons)
	}
	for _, s := range plan.Skipped {
		fmt.Printf("skipped %s: %s\n", s.TargetID, s.Rule)
	}
	res, err := linking.ApplyPlan(page.HTML, plan, linking.ApplyOptions{IDs: &seq{}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.HTML)
	back, _ := linking.Remove(res.HTML, "L1")
	fmt.Println(back == page.HTML)
	// Output:
	// coffee brewing -> pillar (pillar) [primary_keyword tfidf member_to_pillar]
	// skipped grinder: links_per_page
	// <h2>Coffee brewing basics</h2><p>Good <a href="/coffee-brewing" data-igny8-link="L1">coffee brewing</a> starts with a burr grinder.</p>
	// true
}

func ExampleBuildGraph() {
	pages := []linking.Page{
		{ID: "a", URL: "/a", ClusterID: "c", IsPillar: true, Published: true, HTML: `<p>Read <a href="/b">b</a>.</p>`},
		{ID: "b", URL: "/b", ClusterID: "c", Published: true, HTML: `<p>Back to <a href="/a">a</a> and <a href="/gone">old</a>.</p>`},
		{ID: "c", URL: "/c", ClusterID: "c", Published: true, HTML: `<p>No links.</p>`},
	}
	g := linking.BuildGraph(pages, linking.GraphOptions{})
	fmt.Println(g.Summary())
	fmt.Println("orphans:", g.Orphans)
	fmt.Println("broken:", g.Broken[0].Href, g.Broken[0].Reason)
	fmt.Println("not linking to pillar:", g.ClusterGaps[0].Members)
	// Output:
	// pages=3 links=3 orphans=1 over_cap=1 broken=1 cluster_gaps=1
	// orphans: [c]
	// broken: /gone gone
	// not linking to pillar: [c]
}

func ExampleIndex_Upsert() {
	ctx := context.Background()
	site := map[string]linking.Page{
		"a": {ID: "a", URL: "/a", Published: true, HTML: "<p>We tested a french press last week.</p>"},
		"b": {ID: "b", URL: "/b", Published: true, HTML: "<h2>French press</h2><p>Only the heading names it.</p>"},
		"c": {ID: "c", URL: "/c", Published: true, HTML: "<p>Press the french roast harder.</p>"},
	}
	idx := linking.NewIndex(nil)
	for _, p := range site {
		if err := idx.Add(p); err != nil {
			fmt.Println(err)
			return
		}
	}
	var loaded atomic.Int32
	load := func(ctx context.Context, id string) (linking.Page, error) {
		loaded.Add(1)
		return site[id], nil
	}
	up, err := idx.Upsert(ctx, linking.Page{ID: "fp", URL: "/french-press", PrimaryKeyword: "french press", Published: true,
		HTML: "<p>How to brew with it.</p>"}, load)
	if err != nil {
		fmt.Println(err)
		return
	}
	// Only page a holds the phrase in linkable text: b has it in a
	// heading, c has both words apart. Neither is even loaded.
	for _, plan := range up.Inbound {
		for _, s := range plan.Suggestions {
			fmt.Printf("%s links %q to %s\n", plan.SourceID, s.Anchor, s.TargetURL)
		}
	}
	fmt.Println("pages loaded:", loaded.Load())
	// Output:
	// a links "french press" to /french-press
	// pages loaded: 1
}
