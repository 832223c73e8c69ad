package api_test

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"testing"
)

// FuzzBodies sends arbitrary bodies (and query strings) to routes that read
// outside input: every answer is a JSON envelope, never a 5xx.
func FuzzBodies(f *testing.F) {
	e := newEnv(f, nil)
	tn := e.newTenant("fuzz", e.growthPlan())
	sp := tn.sectorPath()
	targets := []struct{ method, path, ct string }{
		{"POST", sp + "/keywords/import", "text/csv"},
		{"POST", sp + "/keywords", "application/json"},
		{"POST", "/v1/sites", "application/json"},
		{"POST", sp + "/tasks", "application/json"},
		{"POST", sp + "/rules", "application/json"},
		{"GET", sp + "/keywords", ""},
	}
	f.Add(uint8(0), []byte("keyword,volume\ntomato,10\n"), "limit=5")
	f.Add(uint8(1), []byte(`{"keywords":[{"text":"a"}]}`), "")
	f.Add(uint8(2), []byte(`{"name":"x","domain":"a..b"}`), "")
	f.Add(uint8(3), []byte(`{"tasks":[{"title":""}]}`), "")
	f.Add(uint8(4), []byte(`{"name":"r","trigger":"schedule","schedule":{"cron":"* * *"},"actions":[]}`), "")
	f.Add(uint8(5), []byte{}, "limit=abc&min_volume=-1&after=%00")
	h := e.srv.Handler()
	f.Fuzz(func(t *testing.T, which uint8, body []byte, query string) {
		tg := targets[int(which)%len(targets)]
		req := httptest.NewRequest(tg.method, tg.path, bytes.NewReader(body))
		if len(query) < 200 {
			req.URL.RawQuery = query
		}
		if tg.ct != "" {
			req.Header.Set("Content-Type", tg.ct)
		}
		req.Header.Set("Authorization", "Bearer "+tn.editor)
		// Editors may not create sites; the owner's token reaches validation.
		if tg.path == "/v1/sites" {
			req.Header.Set("Authorization", "Bearer "+tn.owner)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code >= 500 {
			t.Fatalf("%s %s with %q: %d %s", tg.method, tg.path, body, w.Code, w.Body)
		}
		var env struct {
			RequestID string `json:"request_id"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &env); err != nil || env.RequestID == "" {
			t.Fatalf("%s %s: not an envelope: %q", tg.method, tg.path, w.Body)
		}
	})
}
