package api_test

import (
	"bytes"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/igny8/sdk/examples/server/api"
)

type lockedBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuf) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuf) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestLogs: every request is logged with its request id, and neither API
// tokens nor destination secrets reach the log or a response.
func TestLogs(t *testing.T) {
	buf := &lockedBuf{}
	e := newEnv(t, func(c *api.Config) {
		c.Logger = slog.New(slog.NewJSONHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	tn := e.newTenant("acme", e.growthPlan())
	const secret = "wp-app-password-SECRET-1234"
	// Nothing listens on port 1: registering fails (the adapter checks the
	// credentials), and the failure must not echo the secret either.
	r := e.do("POST", "/v1/sites/"+tn.ids["site"]+"/destinations", tn.owner, map[string]any{
		"name": "wp", "kind": "wordpress", "settings": map[string]string{"url": "http://127.0.0.1:1/", "user": "admin"}, "secret": secret,
	})
	if r.Status != 503 {
		t.Errorf("destination with an unreachable WordPress = %d, want 503", r.Status)
	}
	if strings.Contains(string(r.Data), secret) || (r.Error != nil && strings.Contains(r.Error.Message, secret)) {
		t.Errorf("the destination's secret is in the response: %s %+v", r.Data, r.Error)
	}
	e.do("GET", "/v1/sites?after=x", tn.viewer, nil)
	e.do("GET", "/v1/sites", "igny8_wrong-token", nil)
	logs := buf.String()
	for _, s := range []string{secret, tn.owner, tn.viewer, e.super, "igny8_wrong-token"} {
		if strings.Contains(logs, s) {
			t.Errorf("the log holds a secret %q", s[:12])
		}
	}
	if !strings.Contains(logs, `"request_id":"`) || !strings.Contains(logs, `"route":"/v1/sites/{site}/destinations"`) {
		t.Errorf("no request log line with request_id and route:\n%s", logs)
	}
}
