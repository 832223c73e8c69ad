package api_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/igny8/sdk/examples/server/api"
)

// TestOpenAPIMatchesRoutes checks that /openapi.json has exactly the
// routes of the table, and that the mux routes every documented operation
// to the pattern the document names.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	e := newEnv(t, nil)
	resp, err := e.http.Client().Get(e.http.URL + "/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc struct {
		OpenAPI string                               `json:"openapi"`
		Paths   map[string]map[string]map[string]any `json:"paths"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Errorf("openapi = %q, want 3.x", doc.OpenAPI)
	}
	routes := e.srv.Routes()
	ops := 0
	for path, item := range doc.Paths {
		for method, op := range item {
			ops++
			m := strings.ToUpper(method)
			// Fill the parameters with a value and ask the mux.
			concrete := path
			for _, p := range (api.Route{Pattern: path}).Params() {
				concrete = strings.Replace(concrete, "{"+p+"}", "x"+p, 1)
			}
			_, pattern := e.srv.Handler().(*http.ServeMux).Handler(httptest.NewRequest(m, concrete, nil))
			if pattern != m+" "+path {
				t.Errorf("documented %s %s: the mux routes %s to %q", m, path, concrete, pattern)
			}
			if op["operationId"] == "" {
				t.Errorf("%s %s has no operationId", m, path)
			}
		}
	}
	for _, rt := range routes {
		if _, ok := doc.Paths[rt.Pattern][strings.ToLower(rt.Method)]; !ok {
			t.Errorf("route %s %s is not in /openapi.json", rt.Method, rt.Pattern)
		}
		if rt.Stream != (rt.Produces != "") {
			t.Errorf("route %s %s: Stream %v with Produces %q (a route that writes its own answer names its media type, and only such a route)", rt.Method, rt.Pattern, rt.Stream, rt.Produces)
		}
	}
	if ops != len(routes) {
		t.Errorf("/openapi.json has %d operations, the route table %d", ops, len(routes))
	}
}

func TestErrorsAndLimits(t *testing.T) {
	e := newEnv(t, func(c *api.Config) { c.RatePerSecond, c.RateBurst, c.MaxBodyBytes = 1, 1000, 512 })
	tn := e.newTenant("acme", e.growthPlan())
	site := "/v1/sites/" + tn.ids["site"]

	cases := []struct {
		name              string
		method, path, tok string
		body              any
		status            int
		code, field       string
	}{
		{"no token", "GET", "/v1/sites", "", nil, 401, "unauthenticated", ""},
		{"bad token", "GET", "/v1/sites", "igny8_nope", nil, 401, "unauthenticated", ""},
		{"unknown route", "GET", "/v1/nothing", tn.owner, nil, 404, "not_found", ""},
		{"missing field", "POST", "/v1/sites", tn.owner, map[string]any{"domain": "x.example"}, 400, "invalid_argument", "name"},
		{"unknown field", "POST", "/v1/sites", tn.owner, map[string]any{"name": "x", "account_id": "other"}, 400, "invalid_argument", "body"},
		{"body too large", "POST", "/v1/sites", tn.owner, map[string]any{"name": strings.Repeat("x", 1000)}, 413, "payload_too_large", "body"},
		{"bad limit", "GET", "/v1/sites?limit=0", tn.owner, nil, 400, "invalid_argument", "limit"},
		{"editor manages sites", "POST", "/v1/sites", tn.editor, map[string]any{"name": "x"}, 403, "permission_denied", ""},
		{"duplicate email", "POST", "/v1/users", tn.owner, map[string]any{"email": "owner@acme.example", "role": "viewer"}, 409, "conflict", ""},
		{"admin cannot grant owner", "POST", "/v1/users", tn.editor, map[string]any{"email": "x@acme.example", "role": "owner"}, 403, "permission_denied", ""},
		{"NUL in an id", "GET", site + "/sectors/%00/keywords", tn.owner, nil, 404, "not_found", ""},
		{"NUL in a cursor", "GET", "/v1/sites?after=%00", tn.owner, nil, 400, "invalid_argument", "after"},
		{"unknown sector", "GET", site + "/sectors/nope/keywords", tn.owner, nil, 404, "not_found", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := e.do(c.method, c.path, c.tok, c.body)
			if r.Status != c.status || r.Error == nil || r.Error.Code != c.code || r.Error.Field != c.field {
				t.Errorf("= %d %+v, want %d %s field %q", r.Status, r.Error, c.status, c.code, c.field)
			}
			if r.RequestID == "" || r.Header.Get("X-Request-ID") != r.RequestID {
				t.Errorf("request id %q, header %q", r.RequestID, r.Header.Get("X-Request-ID"))
			}
		})
	}

	// Plan limits answer 409 limit_exceeded: the plan allows 5 sites.
	for i := range 4 {
		e.must(201, "POST", "/v1/sites", tn.owner, map[string]any{"name": "site " + strconv.Itoa(i)}, nil)
	}
	if r := e.do("POST", "/v1/sites", tn.owner, map[string]any{"name": "one too many"}); r.Status != 409 || r.Error.Code != "limit_exceeded" {
		t.Errorf("sixth site = %d %+v, want 409 limit_exceeded", r.Status, r.Error)
	}

	// The rate limit is per site: one site's bucket runs dry, 429 with
	// Retry-After, while another site of the account still answers.
	e2 := newEnv(t, func(c *api.Config) { c.RatePerSecond, c.RateBurst = 0.01, 20 })
	tn2 := e2.newTenant("acme", e2.growthPlan())
	var other idOnly
	e2.must(201, "POST", "/v1/sites", tn2.owner, map[string]any{"name": "second"}, &other)
	limited := 0
	// The site's bucket gave one token to the sector's creation; 19 left.
	for range 30 {
		r := e2.do("GET", "/v1/sites/"+tn2.ids["site"], tn2.viewer, nil)
		if r.Status == 429 {
			limited++
			if s, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || s < 1 || r.Error.Code != "rate_limited" {
				t.Errorf("429 with Retry-After %q, code %+v", r.Header.Get("Retry-After"), r.Error)
			}
		}
	}
	if limited != 11 {
		t.Errorf("%d of 30 requests limited, want 11 (19 tokens left of the burst of 20)", limited)
	}
	e2.must(200, "GET", "/v1/sites/"+other.ID, tn2.viewer, nil, nil)
	// Made-up site ids draw from the account's bucket (14 of 20 left after
	// the users, tokens and sites were created): 404s, then 429s.
	statuses := map[int]int{}
	for i := range 30 {
		statuses[e2.do("GET", "/v1/sites/made-up-"+strconv.Itoa(i), tn2.viewer, nil).Status]++
	}
	if statuses[404] != 14 || statuses[429] != 16 {
		t.Errorf("made-up site ids: %v, want 14 404s and 16 429s", statuses)
	}
}

func TestBootstrapOnce(t *testing.T) {
	e := newEnv(t, nil)
	if _, ok, err := e.srv.Bootstrap(t.Context(), "again@example.com"); ok || err != nil {
		t.Errorf("second Bootstrap = %v, %v; want nothing created", ok, err)
	}
	var me struct {
		User struct {
			IsSuperuser bool `json:"is_superuser"`
		} `json:"user"`
	}
	e.must(200, "GET", "/v1/me", e.super, nil, &me)
	if !me.User.IsSuperuser {
		t.Error("bootstrap token is not a superuser's")
	}
}
