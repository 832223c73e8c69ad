package api_test

import (
	"bytes"
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/igny8/sdk/adapters/sqlstore/sqlstoretest"
	"github.com/igny8/sdk/examples/server/api"
	"github.com/igny8/sdk/igny8"
)

// The server caches a token's user and a path's site and sector; its own
// writes must take effect on the very next request.
func TestCachedPrincipalsForgetOnWrite(t *testing.T) {
	e := newEnv(t, nil)
	tn := e.newTenant("cache", e.growthPlan())
	site := "/v1/sites/" + tn.ids["site"]

	// A user and a token, used (and so cached), then the token revoked.
	var u idOnly
	e.must(201, "POST", "/v1/users", tn.owner, map[string]any{"email": "temp@cache.example", "role": "viewer"}, &u)
	var tok struct {
		Token string `json:"token"`
		ID    string `json:"id"`
	}
	e.must(201, "POST", "/v1/users/"+u.ID+"/tokens", tn.owner, map[string]any{"name": "temp"}, &tok)
	e.must(200, "GET", site, tok.Token, nil, nil)
	e.must(200, "GET", site, tok.Token, nil, nil)
	e.must(200, "DELETE", "/v1/tokens/"+tok.ID, tn.owner, nil, nil)
	if r := e.do("GET", site, tok.Token, nil); r.Status != 401 {
		t.Fatalf("revoked token: status %d, want 401 at once", r.Status)
	}

	// A second token of the user, then the user deleted.
	e.must(201, "POST", "/v1/users/"+u.ID+"/tokens", tn.owner, map[string]any{"name": "temp2"}, &tok)
	e.must(200, "GET", site, tok.Token, nil, nil)
	e.must(200, "DELETE", "/v1/users/"+u.ID, tn.owner, nil, nil)
	if r := e.do("GET", site, tok.Token, nil); r.Status != 401 {
		t.Fatalf("token of a deleted user: status %d, want 401 at once", r.Status)
	}

	// A sector and a site, read (cached), then deleted.
	sp := tn.sectorPath()
	e.must(200, "GET", sp, tn.viewer, nil, nil)
	e.must(200, "DELETE", sp, tn.owner, nil, nil)
	if r := e.do("GET", sp+"/keywords", tn.viewer, nil); r.Status != 404 {
		t.Fatalf("deleted sector: status %d, want 404 at once", r.Status)
	}
	e.must(200, "GET", site, tn.viewer, nil, nil)
	e.must(200, "DELETE", site, tn.owner, nil, nil)
	if r := e.do("GET", site+"/sectors", tn.viewer, nil); r.Status != 404 {
		t.Fatalf("deleted site: status %d, want 404 at once", r.Status)
	}
}

// Another server on the same store sees a change within CacheTTL and no
// later; with a negative CacheTTL it sees it at once.
func TestCachedPrincipalsTTLAcrossServers(t *testing.T) {
	store := sqlstoretest.SQLite(t)
	clock := igny8.NewManualClock(time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC))
	a := newEnvOn(t, store, func(c *api.Config) { c.Clock = clock; c.CacheTTL = 5 * time.Second })
	tn := a.newTenant("ttl", a.growthPlan())

	second := func(ttl time.Duration) *env {
		srv, err := api.New(context.Background(), api.Config{Store: store, DataDir: t.TempDir(), SealingKey: bytes.Repeat([]byte{7}, 32),
			RatePerSecond: 1e6, RateBurst: 1e6, Clock: clock, CacheTTL: ttl})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = srv.Close() })
		hs := httptest.NewServer(srv.Handler())
		t.Cleanup(hs.Close)
		return &env{t: t, srv: srv, http: hs, super: a.super}
	}
	b, uncached := second(5*time.Second), second(-1)

	var u idOnly
	a.must(201, "POST", "/v1/users", tn.owner, map[string]any{"email": "ttl@ttl.example", "role": "viewer"}, &u)
	var tok struct {
		Token string `json:"token"`
		ID    string `json:"id"`
	}
	a.must(201, "POST", "/v1/users/"+u.ID+"/tokens", tn.owner, map[string]any{"name": "ttl"}, &tok)
	site := "/v1/sites/" + tn.ids["site"]
	b.must(200, "GET", site, tok.Token, nil, nil) // cached by b
	uncached.must(200, "GET", site, tok.Token, nil, nil)
	a.must(200, "DELETE", "/v1/tokens/"+tok.ID, tn.owner, nil, nil)

	if r := a.do("GET", site, tok.Token, nil); r.Status != 401 {
		t.Fatalf("server that revoked: status %d, want 401", r.Status)
	}
	if r := uncached.do("GET", site, tok.Token, nil); r.Status != 401 {
		t.Fatalf("server without a cache: status %d, want 401", r.Status)
	}
	clock.Advance(4 * time.Second)
	if r := b.do("GET", site, tok.Token, nil); r.Status != 200 {
		t.Fatalf("other server within the TTL: status %d, want 200 (cached)", r.Status)
	}
	clock.Advance(time.Second)
	if r := b.do("GET", site, tok.Token, nil); r.Status != 401 {
		t.Fatalf("other server at the TTL: status %d, want 401", r.Status)
	}
}
