package api_test

import (
	"bufio"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/igny8/sdk/adapters/sqlstore/sqlstoretest"
	"github.com/igny8/sdk/examples/server/api"
	"github.com/igny8/sdk/linking"
	"github.com/igny8/sdk/optimization/rewrite"
	"github.com/igny8/sdk/sitebuilding"
)

// TestPipeline walks the whole pipeline over HTTP: site, CSV upload,
// clustering job, ideas, tasks, a write batch job followed as Server-Sent
// Events, images, a link pass, the link graph (JSON and SVG), removing a
// link, an AI rewrite, a site blueprint from a brief with a block edit,
// deploys and a rollback, and a publish to the static site destination.
func TestPipeline(t *testing.T) { testPipeline(t, newEnv(t, nil)) }

// TestPipelinePostgres is TestPipeline on Postgres (IGNY8_POSTGRES_DSN;
// skipped without it, required under CI=true).
func TestPipelinePostgres(t *testing.T) {
	testPipeline(t, newEnvOn(t, sqlstoretest.Postgres(t), nil))
}

func testPipeline(t *testing.T, e *env) {
	tn := e.newTenant("acme", e.growthPlan())
	sp := tn.sectorPath()

	csv, err := os.ReadFile(filepath.Join("..", "..", "quickstart", "keywords.csv"))
	if err != nil {
		t.Fatal(err)
	}
	var imp struct {
		Report struct {
			Added []idOnly `json:"added"`
		} `json:"report"`
	}
	e.must(201, "POST", sp+"/keywords/import", tn.editor, string(csv), &imp)
	if len(imp.Report.Added) < 10 {
		t.Fatalf("imported %d keywords, want the sample's 18", len(imp.Report.Added))
	}
	// Pagination: two pages of 10 cover every keyword once.
	p1 := e.must(200, "GET", sp+"/keywords?limit=10", tn.viewer, nil, nil)
	var first, second []idOnly
	_ = json.Unmarshal(p1.Data, &first)
	if len(first) != 10 || p1.NextAfter != first[9].ID {
		t.Fatalf("page 1: %d keywords, next_after %q", len(first), p1.NextAfter)
	}
	e.must(200, "GET", sp+"/keywords?limit=10&after="+p1.NextAfter, tn.viewer, nil, &second)
	if len(first)+len(second) != len(imp.Report.Added) {
		t.Errorf("pages hold %d+%d keywords, want %d", len(first), len(second), len(imp.Report.Added))
	}

	var job api.Job
	e.must(202, "POST", sp+"/clusterings", tn.editor, nil, &job)
	if job = e.waitJob(tn.viewer, job.ID); job.Status != api.JobSucceeded {
		t.Fatalf("clustering job: %+v", job)
	}
	var clusters []idOnly
	e.must(200, "GET", sp+"/clusters", tn.viewer, nil, &clusters)
	if len(clusters) == 0 {
		t.Fatal("no clusters")
	}
	var ideas []idOnly
	e.must(201, "POST", sp+"/clusters/"+clusters[0].ID+"/ideas", tn.editor, map[string]any{"count": 2}, &ideas)
	if len(ideas) != 2 {
		t.Fatalf("%d ideas, want 2", len(ideas))
	}
	var tasks []struct {
		ID      string `json:"id"`
		BatchID string `json:"batch_id"`
	}
	e.must(201, "POST", sp+"/tasks", tn.editor, map[string]any{"idea_ids": []string{ideas[0].ID, ideas[1].ID}}, &tasks)
	if len(tasks) != 2 || tasks[0].BatchID == "" {
		t.Fatalf("tasks: %+v", tasks)
	}

	e.must(202, "POST", sp+"/batches/"+tasks[0].BatchID+"/runs", tn.editor, map[string]any{"concurrency": 2}, &job)
	events := readSSE(t, e, "/v1/jobs/"+job.ID+"/events", tn.viewer)
	last := events[len(events)-1]
	if last.name != "done" || last.job.Status != api.JobSucceeded || last.job.Done != 2 || last.job.Total != 2 {
		t.Fatalf("last event %s %+v, want done with 2/2", last.name, last.job)
	}

	var contents []struct {
		ID      string `json:"id"`
		Title   string `json:"title"`
		Version int    `json:"version"`
	}
	e.must(200, "GET", sp+"/content", tn.viewer, nil, &contents)
	if len(contents) != 2 {
		t.Fatalf("%d contents, want 2", len(contents))
	}
	c := contents[0]
	var ill struct{ Generated int }
	e.must(201, "POST", sp+"/content/"+c.ID+"/images", tn.editor, nil, &ill)
	if ill.Generated == 0 {
		t.Error("no images generated")
	}
	var versions []json.RawMessage
	e.must(200, "GET", sp+"/content/"+c.ID+"/versions", tn.viewer, nil, &versions)
	if len(versions) < 1 {
		t.Error("no versions")
	}
	e.must(200, "GET", sp+"/content/"+c.ID+"/versions/1", tn.viewer, nil, nil)

	testLinksAndOptimization(t, e, tn, c.ID)
	testBlueprint(t, e, tn)

	var dest idOnly
	e.must(201, "POST", "/v1/sites/"+tn.ids["site"]+"/destinations", tn.owner, map[string]any{"name": "static", "kind": "static"}, &dest)
	var rec struct {
		Status string `json:"status"`
		URL    string `json:"url"`
	}
	e.must(201, "POST", sp+"/content/"+c.ID+"/publications", tn.editor, map[string]any{"destination_id": dest.ID}, &rec)
	if rec.URL == "" {
		t.Fatalf("publish record: %+v", rec)
	}
	// Publishing twice is idempotent: still one record.
	e.must(201, "POST", sp+"/content/"+c.ID+"/publications", tn.editor, map[string]any{"destination_id": dest.ID}, nil)
	var recs []json.RawMessage
	e.must(200, "GET", "/v1/sites/"+tn.ids["site"]+"/records", tn.viewer, nil, &recs)
	if len(recs) != 1 {
		t.Errorf("%d records, want 1", len(recs))
	}
	var deps []struct {
		Version int    `json:"version"`
		Pages   int    `json:"pages"`
		Path    string `json:"path"`
	}
	e.must(200, "GET", "/v1/sites/"+tn.ids["site"]+"/deployments", tn.viewer, nil, &deps)
	if len(deps) == 0 || deps[len(deps)-1].Pages == 0 || deps[0].Path != "" {
		t.Errorf("deployments: %+v, want at least one with pages and no server path", deps)
	}
	found := false
	_ = filepath.WalkDir(filepath.Join(e.dir, "sites"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, "index.html") {
			b, _ := os.ReadFile(p)
			found = found || strings.Contains(string(b), c.Title)
		}
		return nil
	})
	if !found {
		t.Errorf("no rendered page holds the title %q", c.Title)
	}

	var credits struct {
		Balance int64 `json:"balance"`
	}
	e.must(200, "GET", "/v1/credits", tn.viewer, nil, &credits)
	if credits.Balance >= 5000 || credits.Balance <= 0 {
		t.Errorf("balance %d, want some of the 5000 credits spent", credits.Balance)
	}

	// An automation rule, run now as a job, leaves a run.
	var rule idOnly
	e.must(201, "POST", sp+"/rules", tn.owner, map[string]any{"name": "cluster", "trigger": "keyword_added", "actions": []any{map[string]any{"type": "auto_cluster"}}, "active": true}, &rule)
	e.must(202, "POST", sp+"/rules/"+rule.ID+"/runs", tn.editor, nil, &job)
	if job = e.waitJob(tn.viewer, job.ID); job.Status != api.JobSucceeded {
		t.Fatalf("rule job: %+v", job)
	}
	var runs []idOnly
	e.must(200, "GET", sp+"/runs", tn.viewer, nil, &runs)
	if len(runs) != 1 {
		t.Errorf("%d runs, want 1", len(runs))
	}
}

type sseEvent struct {
	name string
	job  api.Job
}

func readSSE(t *testing.T, e *env, path, token string) []sseEvent {
	t.Helper()
	req, _ := http.NewRequest("GET", e.http.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := e.http.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != 200 || ct != "text/event-stream" {
		t.Fatalf("SSE: %d %s", resp.StatusCode, ct)
	}
	var out []sseEvent
	var cur sseEvent
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "event: "):
			cur.name = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			if err := json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &cur.job); err != nil {
				t.Fatal(err)
			}
		case line == "" && cur.name != "":
			out = append(out, cur)
			cur = sseEvent{}
		}
	}
	if len(out) == 0 {
		t.Fatal("no events")
	}
	return out
}

// testLinksAndOptimization links the sector's two articles, reads the
// graph, removes a link and optimizes an article.
func testLinksAndOptimization(t *testing.T, e *env, tn tenant, contentID string) {
	t.Helper()
	sp, site := tn.sectorPath(), "/v1/sites/"+tn.ids["site"]
	var job api.Job
	e.must(403, "POST", sp+"/links", tn.viewer, nil, nil)
	e.must(202, "POST", sp+"/links", tn.editor, nil, &job)
	if job = e.waitJob(tn.viewer, job.ID); job.Status != api.JobSucceeded || job.Total != 2 || job.Done != 2 {
		t.Fatalf("link pass job: %+v", job)
	}
	var pass api.LinkPass
	b, _ := json.Marshal(job.Result)
	if err := json.Unmarshal(b, &pass); err != nil {
		t.Fatal(err)
	}
	if pass.Pages != 2 || pass.Placed == 0 || pass.Versions == 0 || pass.Failed != 0 {
		t.Fatalf("link pass: %+v, want both pages linked", pass)
	}
	skipped := 0
	for _, n := range pass.SkippedBy {
		skipped += n
	}
	if skipped != pass.Skipped {
		t.Errorf("skipped %d, by rule %v", pass.Skipped, pass.SkippedBy)
	}
	var links []linking.Link
	e.must(200, "GET", site+"/links", tn.viewer, nil, &links)
	if len(links) != pass.Placed {
		t.Fatalf("%d link records, the pass placed %d", len(links), pass.Placed)
	}
	var bySource []linking.Link
	e.must(200, "GET", site+"/links?source="+links[0].SourceID, tn.viewer, nil, &bySource)
	for _, l := range bySource {
		if l.SourceID != links[0].SourceID {
			t.Errorf("?source= listed a link of %s", l.SourceID)
		}
	}
	// A second pass finds the links in place and places none again.
	e.must(202, "POST", sp+"/links", tn.editor, map[string]any{"content_ids": []string{links[0].SourceID}}, &job)
	if job = e.waitJob(tn.viewer, job.ID); job.Status != api.JobSucceeded {
		t.Fatalf("second link pass: %+v", job)
	}
	var again []linking.Link
	e.must(200, "GET", site+"/links", tn.viewer, nil, &again)
	if len(again) != len(links) {
		t.Errorf("a second pass left %d links, want %d", len(again), len(links))
	}
	r := e.do("POST", sp+"/links", tn.editor, map[string]any{"content_ids": []string{"nope"}})
	if r.Status != 400 || r.Error.Field != "content_ids[0]" {
		t.Errorf("pass over an unknown content = %d %+v, want 400 naming content_ids[0]", r.Status, r.Error)
	}

	var g api.LinkGraph
	e.must(200, "GET", site+"/links/graph", tn.viewer, nil, &g)
	if len(g.Nodes) != 2 || g.Links < len(links) || len(g.Edges) == 0 {
		t.Fatalf("graph: %d nodes, %d links, %d edges; want 2 nodes and the %d links", len(g.Nodes), g.Links, len(g.Edges), len(links))
	}
	inbound := map[string]int{}
	for _, n := range g.Nodes {
		if n.Title == "" || n.SectorID != tn.ids["sector"] {
			t.Errorf("node %+v lacks its title or sector", n)
		}
		inbound[n.ID] = n.Inbound
	}
	edgeLinks := map[string]int{}
	for _, ed := range g.Edges {
		edgeLinks[ed.TargetID] += ed.Links
	}
	for id, n := range edgeLinks {
		if n != inbound[id] {
			t.Errorf("edges bring %d links to %s, the graph counts %d inbound", n, id, inbound[id])
		}
	}
	svg := e.do("GET", site+"/links/graph.svg", tn.viewer, nil)
	if svg.Status != 200 || svg.Header.Get("Content-Type") != "image/svg+xml" {
		t.Fatalf("graph.svg = %d %s", svg.Status, svg.Header.Get("Content-Type"))
	}
	if n := strings.Count(string(svg.Raw), "<circle"); n < 2 || !strings.Contains(string(svg.Raw), "<line") {
		t.Errorf("graph.svg has %d circles and no edge: %s", n, svg.Raw)
	}
	if r := e.do("GET", site+"/links/graph.svg?sector=nope", tn.viewer, nil); r.Status != 400 || r.Error.Field != "sector" {
		t.Errorf("graph.svg?sector=nope = %d %+v, want 400", r.Status, r.Error)
	}

	// Removing a link takes it out of the source as a new version.
	l := links[0]
	var src struct {
		Version int    `json:"version"`
		HTML    string `json:"html"`
	}
	e.must(200, "GET", sp+"/content/"+l.SourceID, tn.viewer, nil, &src)
	if !strings.Contains(src.HTML, linking.MarkerAttr+`="`+l.ID+`"`) {
		t.Fatalf("the source does not hold link %s", l.ID)
	}
	e.must(403, "DELETE", sp+"/content/"+l.SourceID+"/links/"+l.ID, tn.viewer, nil, nil)
	if r := e.do("DELETE", sp+"/content/"+l.TargetID+"/links/"+l.ID, tn.editor, nil); r.Status != 404 {
		t.Errorf("deleting a link through its target = %d, want 404", r.Status)
	}
	e.must(200, "DELETE", sp+"/content/"+l.SourceID+"/links/"+l.ID, tn.editor, nil, nil)
	var after struct {
		Version int    `json:"version"`
		HTML    string `json:"html"`
	}
	e.must(200, "GET", sp+"/content/"+l.SourceID, tn.viewer, nil, &after)
	if after.Version != src.Version+1 || strings.Contains(after.HTML, l.ID) || !strings.Contains(after.HTML, l.Anchor) {
		t.Errorf("after removing the link: version %d (was %d), link still there: %v", after.Version, src.Version, strings.Contains(after.HTML, l.ID))
	}
	e.must(404, "DELETE", sp+"/content/"+l.SourceID+"/links/"+l.ID, tn.editor, nil, nil)

	// An AI rewrite: accepted or rejected, the task has its scores.
	var task rewrite.Task
	e.must(403, "POST", sp+"/content/"+contentID+"/optimizations", tn.viewer, nil, nil)
	e.must(201, "POST", sp+"/content/"+contentID+"/optimizations", tn.editor, nil, &task)
	if task.ID == "" || task.ContentID != contentID || task.SEOBefore == 0 || (task.Status != rewrite.TaskAccepted && task.Status != rewrite.TaskRejected) {
		t.Fatalf("optimization task: %+v", task)
	}
	if task.Status == rewrite.TaskRejected && task.Reason == "" {
		t.Error("a rejected rewrite without a reason")
	}
	var tasks []rewrite.Task
	e.must(200, "GET", sp+"/content/"+contentID+"/optimizations", tn.viewer, nil, &tasks)
	if len(tasks) != 1 || tasks[0].ID != task.ID {
		t.Errorf("optimizations: %+v", tasks)
	}
	e.must(200, "GET", sp+"/content/"+contentID+"/optimizations/"+task.ID, tn.viewer, nil, nil)
	if other := l.SourceID; other != contentID {
		e.must(404, "GET", sp+"/content/"+other+"/optimizations/"+task.ID, tn.viewer, nil, nil)
	} else {
		e.must(404, "GET", sp+"/content/"+l.TargetID+"/optimizations/"+task.ID, tn.viewer, nil, nil)
	}
}

// testBlueprint builds a site from a brief, edits a page's blocks, deploys
// twice and rolls back to the first deploy.
func testBlueprint(t *testing.T, e *env, tn tenant) {
	t.Helper()
	bps := "/v1/sites/" + tn.ids["site"] + "/blueprints"
	wizard := map[string]any{"site_type": "local_business", "business": "Acme <Gardens> & Co", "max_pages": 4,
		"brief": "A garden centre in Leipzig: seeds, seedlings, raised beds and advice for allotment growers."}
	if r := e.do("POST", bps, tn.editor, map[string]any{"wizard": map[string]any{"site_type": "castle", "business": "Acme", "brief": "A castle."}}); r.Status != 400 || !strings.Contains(r.Error.Field, "site_type") {
		t.Errorf("bad wizard = %d %+v, want 400 naming the wizard field", r.Status, r.Error)
	}
	var build api.BlueprintBuild
	e.must(202, "POST", bps, tn.editor, map[string]any{"wizard": wizard}, &build)
	job := e.waitJob(tn.viewer, build.Job.ID)
	if job.Status != api.JobSucceeded || job.Done != 3 {
		t.Fatalf("blueprint job: %+v", job)
	}
	var list []idOnly
	e.must(200, "GET", bps, tn.viewer, nil, &list)
	if len(list) != 1 || list[0].ID != build.Blueprint.ID {
		t.Fatalf("blueprints: %+v", list)
	}
	bp := bps + "/" + build.Blueprint.ID
	var detail struct {
		Blueprint sitebuilding.SiteBlueprint `json:"blueprint"`
		Pages     []json.RawMessage          `json:"pages"`
	}
	e.must(200, "GET", bp, tn.viewer, nil, &detail)
	if detail.Blueprint.BaseURL != "https://acme.example" || len(detail.Pages) < 2 {
		t.Fatalf("blueprint: %+v with %d pages", detail.Blueprint, len(detail.Pages))
	}

	// Blocks are validated: the error names the bad field by its path.
	bad := map[string]any{"blocks": []any{
		map[string]any{"type": "hero", "data": map[string]any{"heading": "Fresh seedlings"}},
		map[string]any{"type": "cta", "data": map[string]any{"heading": "Visit", "button": map[string]any{"label": "Go", "url": "javascript:alert(1)"}}},
	}}
	r := e.do("PUT", bp+"/pages/home/blocks", tn.editor, bad)
	if r.Status != 400 || r.Error.Field != "blocks[1].button.url" {
		t.Errorf("bad block = %d %+v, want 400 naming blocks[1].button.url", r.Status, r.Error)
	}
	if r := e.do("PUT", bp+"/pages/home/blocks", tn.editor, map[string]any{"blocks": []any{map[string]any{"type": "marquee", "data": map[string]any{}}}}); r.Status != 400 || r.Error.Field != "blocks[0].type" {
		t.Errorf("unknown block type = %d %+v, want 400", r.Status, r.Error)
	}
	e.must(404, "PUT", bp+"/pages/no-such-page/blocks", tn.editor, map[string]any{"blocks": []any{}}, nil)
	good := map[string]any{"blocks": []any{
		map[string]any{"type": "hero", "data": map[string]any{"heading": "Seedlings <fresh> every Monday"}},
		map[string]any{"type": "text", "data": map[string]any{"html": "<p>Open daily from 8 to 6.</p>"}},
	}}
	var page sitebuilding.PageBlueprint
	e.must(200, "PUT", bp+"/pages/home/blocks", tn.editor, good, &page)
	if len(page.Blocks) != 2 || page.Slug != "home" {
		t.Fatalf("page after the edit: %+v", page)
	}

	// Deploys are for admins.
	e.must(403, "POST", bp+"/deployments", tn.editor, nil, nil)
	var first, second sitebuilding.DeploymentRecord
	e.must(201, "POST", bp+"/deployments", tn.owner, nil, &first)
	if first.Status != sitebuilding.DeployLive || first.Pages == 0 || first.Path != "" {
		t.Fatalf("deploy: %+v, want live, with pages, without the server's path", first)
	}
	home := liveHome(t, e, tn)
	if !strings.Contains(home, "Seedlings &lt;fresh&gt; every Monday") {
		t.Errorf("the live home page lacks the edited hero:\n%s", home)
	}
	e.must(200, "PUT", bp+"/pages/home/blocks", tn.editor, map[string]any{"blocks": []any{
		map[string]any{"type": "hero", "data": map[string]any{"heading": "Closed for the winter"}},
	}}, nil)
	e.must(201, "POST", bp+"/deployments", tn.owner, nil, &second)
	if second.Version <= first.Version || !strings.Contains(liveHome(t, e, tn), "Closed for the winter") {
		t.Fatalf("second deploy: version %d after %d", second.Version, first.Version)
	}
	var deps []sitebuilding.DeploymentRecord
	e.must(200, "GET", bp+"/deployments", tn.viewer, nil, &deps)
	if len(deps) != 2 || deps[0].ID != second.ID {
		t.Fatalf("deployments: %+v, want the two, newest first", deps)
	}
	e.must(403, "POST", bp+"/deployments/"+first.ID+"/rollback", tn.editor, nil, nil)
	var back sitebuilding.DeploymentRecord
	e.must(200, "POST", bp+"/deployments/"+first.ID+"/rollback", tn.owner, nil, &back)
	if back.Version != first.Version || back.Status != sitebuilding.DeployLive || back.ID == first.ID {
		t.Fatalf("rollback: %+v, want a new record of version %d", back, first.Version)
	}
	if home := liveHome(t, e, tn); !strings.Contains(home, "Seedlings &lt;fresh&gt; every Monday") || strings.Contains(home, "Closed for the winter") {
		t.Errorf("after the rollback the live home page is not the first deploy's:\n%s", home)
	}
	e.must(200, "GET", bp+"/deployments", tn.viewer, nil, &deps)
	if len(deps) != 3 || deps[0].ID != back.ID {
		t.Errorf("deployments after the rollback: %+v", deps)
	}
	e.must(404, "POST", bp+"/deployments/nope/rollback", tn.owner, nil, nil)
	var got sitebuilding.DeploymentRecord
	e.must(200, "GET", bp+"/deployments/"+back.ID, tn.viewer, nil, &got)
	if got.ID != back.ID || got.Version != first.Version || got.Path != "" {
		t.Errorf("GET the rollback's deployment: %+v, want %s of version %d without the server's path", got, back.ID, first.Version)
	}
	e.must(404, "GET", bp+"/deployments/nope", tn.viewer, nil, nil)
}

// liveHome reads the live static site's home page from the data folder.
func liveHome(t *testing.T, e *env, tn tenant) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(e.dir, "sites", tn.ids["account"], tn.ids["site"], "current", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
