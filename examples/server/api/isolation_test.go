package api_test

import (
	"strings"
	"testing"

	"github.com/igny8/sdk/examples/server/api"
	"github.com/igny8/sdk/igny8"
)

// populate gives a tenant one of everything a route can name.
func (e *env) populate(tn tenant) {
	e.t.Helper()
	sp := tn.sectorPath()
	var kws struct {
		Added []idOnly `json:"added"`
	}
	e.must(201, "POST", sp+"/keywords", tn.editor, map[string]any{"keywords": []any{
		map[string]any{"text": "tomato seeds", "volume": 100}, map[string]any{"text": "tomato seedlings", "volume": 50},
	}}, &kws)
	tn.ids["keyword"] = kws.Added[0].ID
	var job api.Job
	e.must(202, "POST", sp+"/clusterings", tn.editor, nil, &job)
	e.waitJob(tn.editor, job.ID)
	tn.ids["job"] = job.ID
	var clusters []idOnly
	e.must(200, "GET", sp+"/clusters", tn.viewer, nil, &clusters)
	tn.ids["cluster"] = clusters[0].ID
	var ideas []idOnly
	e.must(201, "POST", sp+"/clusters/"+clusters[0].ID+"/ideas", tn.editor, map[string]any{"count": 2}, &ideas)
	tn.ids["idea"] = ideas[0].ID
	var tasks []struct {
		ID      string `json:"id"`
		BatchID string `json:"batch_id"`
	}
	e.must(201, "POST", sp+"/tasks", tn.editor, map[string]any{"idea_ids": []string{ideas[0].ID, ideas[1].ID}}, &tasks)
	tn.ids["task"], tn.ids["batch"] = tasks[0].ID, tasks[0].BatchID
	e.must(202, "POST", sp+"/batches/"+tasks[0].BatchID+"/runs", tn.editor, nil, &job)
	e.waitJob(tn.editor, job.ID)
	// A link pass over the two articles gives a link and its source.
	e.must(202, "POST", sp+"/links", tn.editor, nil, &job)
	if j := e.waitJob(tn.editor, job.ID); j.Status != api.JobSucceeded {
		e.t.Fatalf("link pass: %+v", j)
	}
	var links []struct {
		ID       string `json:"id"`
		SourceID string `json:"source_id"`
	}
	e.must(200, "GET", "/v1/sites/"+tn.ids["site"]+"/links", tn.viewer, nil, &links)
	if len(links) == 0 {
		e.t.Fatal("the link pass placed no link between the two articles")
	}
	tn.ids["link"], tn.ids["content"] = links[0].ID, links[0].SourceID
	tn.ids["version"] = "1"
	var opt idOnly
	e.must(201, "POST", sp+"/content/"+tn.ids["content"]+"/optimizations", tn.editor, nil, &opt)
	tn.ids["optimization"] = opt.ID
	var build api.BlueprintBuild
	e.must(202, "POST", "/v1/sites/"+tn.ids["site"]+"/blueprints", tn.editor, map[string]any{"wizard": map[string]any{
		"site_type": "local_business", "business": "Green Thumb", "brief": "A garden centre in Leeds: seeds, seedlings and advice.", "max_pages": 3,
	}}, &build)
	if j := e.waitJob(tn.editor, build.Job.ID); j.Status != api.JobSucceeded {
		e.t.Fatalf("blueprint job: %+v", j)
	}
	tn.ids["blueprint"], tn.ids["page"] = build.Blueprint.ID, "home"
	var dep idOnly
	e.must(201, "POST", "/v1/sites/"+tn.ids["site"]+"/blueprints/"+build.Blueprint.ID+"/deployments", tn.owner, nil, &dep)
	tn.ids["deployment"] = dep.ID
	var dest idOnly
	e.must(201, "POST", "/v1/sites/"+tn.ids["site"]+"/destinations", tn.owner, map[string]any{"name": "static", "kind": "static"}, &dest)
	tn.ids["destination"] = dest.ID
	var rule idOnly
	e.must(201, "POST", sp+"/rules", tn.owner, map[string]any{"name": "cluster", "trigger": "keyword_added", "actions": []any{map[string]any{"type": "auto_cluster"}}, "active": true}, &rule)
	tn.ids["rule"] = rule.ID
	e.must(202, "POST", sp+"/rules/"+rule.ID+"/runs", tn.editor, nil, &job)
	e.waitJob(tn.editor, job.ID)
	var runs []idOnly
	e.must(200, "GET", sp+"/runs", tn.viewer, nil, &runs)
	tn.ids["run"] = runs[0].ID
}

// fill replaces the pattern's parameters: site and sector from own, every
// other id from leaf.
func fill(pattern string, own, leaf map[string]string) string {
	out := pattern
	for _, seg := range strings.Split(pattern, "/") {
		if !strings.HasPrefix(seg, "{") {
			continue
		}
		name := strings.Trim(seg, "{}")
		v := leaf[name]
		if name == "site" || name == "sector" {
			v = own[name]
		}
		out = strings.Replace(out, seg, v, 1)
	}
	return out
}

func bodyFor(rt api.Route) any {
	switch rt.Body {
	case "application/json":
		return []byte("{}")
	case "text/csv":
		return "keyword\nx\n"
	}
	return nil
}

// TestTenantIsolation drives every route of the table: a token of account
// A gets 404 for every id of account B (B's site and sector, or A's site
// and sector with B's leaf id), and a viewer gets 403 on every write.
func TestTenantIsolation(t *testing.T) {
	e := newEnv(t, nil)
	plan := e.growthPlan()
	a, b := e.newTenant("a", plan), e.newTenant("b", plan)
	e.populate(a)
	e.populate(b)

	for _, rt := range e.srv.Routes() {
		params := rt.Params()
		if len(params) == 0 || rt.Superuser {
			continue
		}
		t.Run(rt.Method+" "+rt.Pattern, func(t *testing.T) {
			variants := map[string]string{"B's ids": fill(rt.Pattern, b.ids, b.ids)}
			if leafy := len(params) > 0 && params[len(params)-1] != "site" && params[len(params)-1] != "sector" && params[len(params)-1] != "version"; leafy {
				variants["A's site, B's id"] = fill(rt.Pattern, a.ids, b.ids)
			}
			for name, path := range variants {
				for _, tok := range []string{a.owner} {
					r := e.do(rt.Method, path, tok, bodyFor(rt))
					if r.Status != 404 || r.Error == nil || r.Error.Code != "not_found" {
						t.Errorf("%s: %s %s = %d %+v, want 404 not_found", name, rt.Method, path, r.Status, r.Error)
					}
				}
			}
		})
	}
	for _, rt := range e.srv.Routes() {
		path := fill(rt.Pattern, a.ids, a.ids)
		r := e.do(rt.Method, path, a.viewer, bodyFor(rt))
		if rt.Writes() && !rt.Superuser && !rt.Role.AtLeast(igny8.RoleEditor) {
			t.Errorf("%s %s writes but a viewer may call it", rt.Method, rt.Pattern)
		}
		switch {
		case rt.Superuser || !igny8.RoleViewer.AtLeast(rt.Role):
			if r.Status != 403 || r.Error.Code != "permission_denied" {
				t.Errorf("viewer %s %s = %d %+v, want 403", rt.Method, path, r.Status, r.Error)
			}
		case r.Status >= 400 && !rt.Stream:
			t.Errorf("viewer %s %s = %d %+v, want success", rt.Method, path, r.Status, r.Error)
		}
	}
	// Superuser routes refuse every account token, whatever its role.
	for _, rt := range e.srv.Routes() {
		if !rt.Superuser {
			continue
		}
		r := e.do(rt.Method, fill(rt.Pattern, b.ids, b.ids), a.owner, bodyFor(rt))
		if r.Status != 403 {
			t.Errorf("owner on superuser route %s %s = %d, want 403", rt.Method, rt.Pattern, r.Status)
		}
	}
}
