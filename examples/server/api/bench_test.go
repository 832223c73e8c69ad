package api_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkReadSector measures one read through the whole middleware
// (token lookup, role, rate limit, site and sector resolution, handler,
// envelope) on SQLite, without the network.
func BenchmarkReadSector(b *testing.B) {
	e := newEnv(b, nil)
	tn := e.newTenant("bench", e.growthPlan())
	h := e.srv.Handler()
	path := tn.sectorPath() + "/keywords?limit=20"
	b.ResetTimer()
	for b.Loop() {
		req := httptest.NewRequest("GET", path, nil)
		req.Header.Set("Authorization", "Bearer "+tn.viewer)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
	}
}
