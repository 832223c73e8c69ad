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
)

// TestPipeline walks the whole pipeline over HTTP: site, CSV upload,
// clustering job, ideas, tasks, a write batch job followed as Server-Sent
// Events, images, and a publish to the static site destination.
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
