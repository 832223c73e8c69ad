package api_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
)

func TestDashboard(t *testing.T) {
	e := newEnv(t, nil)
	plan := e.growthPlan()
	a, b := e.newTenant("acme", plan), e.newTenant("other", plan)
	e.must(201, "POST", a.sectorPath()+"/keywords", a.editor, map[string]any{"keywords": []any{map[string]any{"text": "raised bed soil", "volume": 900}}}, nil)

	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	get := func(path string) (int, string) {
		t.Helper()
		resp, err := c.Get(e.http.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	if _, body := get("/dashboard/"); !strings.Contains(body, `name="token"`) {
		t.Fatalf("no sign-in form without a cookie: %s", body)
	}
	resp, err := c.PostForm(e.http.URL+"/dashboard/login", url.Values{"token": {"igny8_wrong"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Errorf("bad token sign-in = %d, want 401", resp.StatusCode)
	}
	resp, err = c.PostForm(e.http.URL+"/dashboard/login", url.Values{"token": {a.viewer}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()

	cases := []struct {
		name   string
		path   string
		status int
		want   []string
	}{
		{"home", "/dashboard/", 200, []string{"acme blog", "Garden", `id="credits-chart"`, "<rect"}},
		{"sector", "/dashboard/sites/" + a.ids["site"] + "/sectors/" + a.ids["sector"], 200, []string{"raised bed soil", `id="keywords"`, `id="runs"`, `<svg xmlns="http://www.w3.org/2000/svg" id="link-graph"`, "No content yet.", `id="optimizations"`}},
		{"other tenant's sector", "/dashboard/sites/" + b.ids["site"] + "/sectors/" + b.ids["sector"], 404, []string{"not_found"}},
		{"A's site, B's sector", "/dashboard/sites/" + a.ids["site"] + "/sectors/" + b.ids["sector"], 404, []string{"not_found"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body := get(tc.path)
			if status != tc.status {
				t.Errorf("= %d, want %d: %s", status, tc.status, body)
			}
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("page lacks %q", w)
				}
			}
		})
	}
	// The cookie does not authenticate the JSON API (no cross-site writes).
	req, _ := http.NewRequest("GET", e.http.URL+"/v1/sites", nil)
	req.AddCookie(&http.Cookie{Name: "igny8_token", Value: a.viewer})
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Errorf("API with only the dashboard cookie = %d, want 401", resp.StatusCode)
	}
}
