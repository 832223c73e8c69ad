package main

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestRun starts the server on SQLite with the offline model, calls it with
// the bootstrap token and stops it by canceling its context.
func TestRun(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	out := &syncBuf{}
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-data", dir, "-log-level", "error", "-grace", "5s"}, func(string) string { return "" }, out, ready)
	}()
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		t.Fatalf("run: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("server did not start")
	}
	text := out.String()
	if !strings.Contains(text, "offline model") {
		t.Errorf("no offline-model warning in %q", text)
	}
	_, tok, ok := strings.Cut(text, "(shown once): ")
	if !ok {
		t.Fatalf("no bootstrap token in %q", text)
	}
	tok, _, _ = strings.Cut(tok, "\n")
	req, _ := http.NewRequest("GET", "http://"+addr+"/v1/me", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("GET /v1/me = %d", resp.StatusCode)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run after cancel: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("server did not stop")
	}
}

func TestFlags(t *testing.T) {
	cases := []struct {
		name    string
		args    []string
		env     map[string]string
		wantErr string
		check   func(options) bool
	}{
		{"defaults", nil, nil, "", func(o options) bool { return o.dsn == "sqlite:igny8-data/igny8.db" && o.scheduler == "inprocess" }},
		{"env", nil, map[string]string{"IGNY8_DSN": "postgres://u:p@h/db", "IGNY8_SCHEDULER": "river"}, "", func(o options) bool { return o.scheduler == "river" }},
		{"river needs postgres", []string{"-scheduler", "river"}, nil, "needs a postgres", nil},
		{"unknown scheduler", []string{"-scheduler", "cron"}, nil, "not inprocess", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o, err := parseFlags(c.args, func(k string) string { return c.env[k] })
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Errorf("err = %v, want %q", err, c.wantErr)
				}
				return
			}
			if err != nil || !c.check(o) {
				t.Errorf("parseFlags = %+v, %v", o, err)
			}
		})
	}
	if got := redactDSN("postgres://me:secret@db:5432/x"); strings.Contains(got, "secret") {
		t.Errorf("redactDSN kept the password: %s", got)
	}
}
