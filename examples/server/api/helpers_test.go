package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/igny8/sdk/adapters/sqlstore"
	"github.com/igny8/sdk/adapters/sqlstore/sqlstoretest"
	"github.com/igny8/sdk/examples/server/api"
)

// env is a server on httptest over SQLite with the offline model, and its
// superuser token.
type env struct {
	t     testing.TB
	srv   *api.Server
	http  *httptest.Server
	super string
	dir   string
}

func newEnv(t testing.TB, tweak func(*api.Config)) *env {
	t.Helper()
	return newEnvOn(t, sqlstoretest.SQLite(t), tweak)
}

// newEnvOn is newEnv on a given store.
func newEnvOn(t testing.TB, store *sqlstore.Store, tweak func(*api.Config)) *env {
	t.Helper()
	dir := t.TempDir()
	cfg := api.Config{Store: store, DataDir: dir, SealingKey: bytes.Repeat([]byte{7}, 32), RatePerSecond: 1e6, RateBurst: 1e6}
	if tweak != nil {
		tweak(&cfg)
	}
	srv, err := api.New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	tok, ok, err := srv.Bootstrap(context.Background(), "root@example.com")
	if err != nil || !ok {
		t.Fatalf("Bootstrap = %v, %v", ok, err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	return &env{t: t, srv: srv, http: hs, super: tok.Token, dir: dir}
}

// reply is a decoded envelope.
type reply struct {
	Status int
	Header http.Header
	// Raw is the body of a response that is not the envelope (an event
	// stream, a picture).
	Raw       []byte
	Data      json.RawMessage `json:"data"`
	NextAfter string          `json:"next_after"`
	RequestID string          `json:"request_id"`
	Error     *struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Field   string `json:"field"`
	} `json:"error"`
}

func (e *env) do(method, path, token string, body any) reply {
	e.t.Helper()
	var rd io.Reader
	ct := ""
	switch b := body.(type) {
	case nil:
	case string:
		rd, ct = strings.NewReader(b), "text/csv"
	case []byte:
		rd, ct = bytes.NewReader(b), "application/json"
	default:
		j, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd, ct = bytes.NewReader(j), "application/json"
	}
	req, err := http.NewRequest(method, e.http.URL+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := e.http.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var r reply
	if ct := resp.Header.Get("Content-Type"); ct == "text/event-stream" || ct == "image/svg+xml" {
		r.Status, r.Header, r.Raw = resp.StatusCode, resp.Header, raw
		return r
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		e.t.Fatalf("%s %s: %d, body not an envelope: %q", method, path, resp.StatusCode, raw)
	}
	r.Status, r.Header = resp.StatusCode, resp.Header
	return r
}

// must calls and wants status; it decodes data into out when out is set.
func (e *env) must(want int, method, path, token string, body, out any) reply {
	e.t.Helper()
	r := e.do(method, path, token, body)
	if r.Status != want {
		e.t.Fatalf("%s %s = %d %+v, want %d", method, path, r.Status, r.Error, want)
	}
	if out != nil {
		if err := json.Unmarshal(r.Data, out); err != nil {
			e.t.Fatalf("%s %s: data %s: %v", method, path, r.Data, err)
		}
	}
	return r
}

// waitJob polls a job until it finished.
func (e *env) waitJob(token, id string) api.Job {
	e.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		var j api.Job
		e.must(200, "GET", "/v1/jobs/"+id, token, nil, &j)
		if j.Status != api.JobRunning {
			return j
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("job %s still running: %+v", id, j)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

type idOnly struct {
	ID string `json:"id"`
}

// tenant is an account with one of everything, made over the API.
type tenant struct {
	owner, editor, viewer string // tokens
	ids                   map[string]string
}

func (e *env) newTenant(name string, planID string) tenant {
	e.t.Helper()
	var acct struct {
		Account idOnly `json:"account"`
		Owner   idOnly `json:"owner"`
		Token   struct {
			Token string `json:"token"`
			ID    string `json:"id"`
		} `json:"token"`
	}
	e.must(201, "POST", "/v1/accounts", e.super, map[string]any{"name": name, "plan_id": planID, "owner_email": "owner@" + name + ".example", "credits": 5000}, &acct)
	tn := tenant{owner: acct.Token.Token, ids: map[string]string{"account": acct.Account.ID, "token": acct.Token.ID}}
	mkUser := func(role string) string {
		var u idOnly
		e.must(201, "POST", "/v1/users", tn.owner, map[string]any{"email": role + "@" + name + ".example", "role": role}, &u)
		var tok struct {
			Token string `json:"token"`
		}
		e.must(201, "POST", "/v1/users/"+u.ID+"/tokens", tn.owner, map[string]any{"name": role}, &tok)
		tn.ids["user"] = u.ID
		return tok.Token
	}
	tn.viewer = mkUser("viewer")
	tn.editor = mkUser("editor")
	var site, sec idOnly
	e.must(201, "POST", "/v1/sites", tn.owner, map[string]any{"name": name + " blog", "domain": name + ".example"}, &site)
	e.must(201, "POST", "/v1/sites/"+site.ID+"/sectors", tn.owner, map[string]any{"name": "Garden"}, &sec)
	tn.ids["site"], tn.ids["sector"] = site.ID, sec.ID
	return tn
}

func (tn tenant) sectorPath() string {
	return "/v1/sites/" + tn.ids["site"] + "/sectors/" + tn.ids["sector"]
}

// growthPlan creates a plan with room for the tests.
func (e *env) growthPlan() string {
	e.t.Helper()
	var p idOnly
	e.must(201, "POST", "/v1/plans", e.super, map[string]any{"name": "Growth", "monthly_credits": 5000, "limits": map[string]int64{
		"max_sites": 5, "max_keywords": 10000, "daily_content_tasks": 100,
	}}, &p)
	return p.ID
}
