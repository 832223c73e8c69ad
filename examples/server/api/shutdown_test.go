package api_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/igny8/sdk/adapters/offline"
	"github.com/igny8/sdk/examples/server/api"
	"github.com/igny8/sdk/igny8"
)

// slowLLM is the offline model, slowed down: each call takes delay unless
// its context ends first.
type slowLLM struct {
	*offline.Model
	delay time.Duration
}

func (m slowLLM) Chat(ctx context.Context, req igny8.ChatRequest) (igny8.ChatResponse, error) {
	select {
	case <-ctx.Done():
		return igny8.ChatResponse{}, ctx.Err()
	case <-time.After(m.delay):
	}
	return m.Model.Chat(ctx, req)
}

// TestShutdown: a job that finishes within the grace period finishes; one
// that does not is canceled and its unwritten tasks are handed back
// (queued, not completed).
func TestShutdown(t *testing.T) {
	cases := []struct {
		name    string
		delay   time.Duration
		grace   time.Duration
		wantErr bool
		want    api.JobStatus
	}{
		{"finishes within the grace period", 0, 30 * time.Second, false, api.JobSucceeded},
		{"canceled after the grace period", time.Hour, 200 * time.Millisecond, true, api.JobCanceled},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t, func(cfg *api.Config) {
				if c.delay > 0 {
					cfg.LLM = slowLLM{Model: offline.New(offline.Options{}), delay: c.delay}
					cfg.Images = offline.New(offline.Options{})
				}
			})
			tn := e.newTenant("acme", e.growthPlan())
			sp := tn.sectorPath()
			var tasks []struct {
				BatchID string `json:"batch_id"`
			}
			e.must(201, "POST", sp+"/tasks", tn.editor, map[string]any{"tasks": []any{
				map[string]any{"title": "How to grow tomatoes", "primary_keyword": "grow tomatoes", "type": "post", "target_words": 600},
				map[string]any{"title": "Tomato diseases", "primary_keyword": "tomato diseases", "type": "post", "target_words": 600},
			}}, &tasks)
			var job api.Job
			e.must(202, "POST", sp+"/batches/"+tasks[0].BatchID+"/runs", tn.editor, nil, &job)

			ctx, cancel := context.WithTimeout(context.Background(), c.grace)
			defer cancel()
			err := e.srv.Shutdown(ctx)
			if (err != nil) != c.wantErr || (c.wantErr && !errors.Is(err, context.DeadlineExceeded)) {
				t.Fatalf("Shutdown = %v, want error %v", err, c.wantErr)
			}
			var got api.Job
			e.must(200, "GET", "/v1/jobs/"+job.ID, tn.viewer, nil, &got)
			if got.Status != c.want {
				t.Errorf("job %s, want %s: %+v", got.Status, c.want, got)
			}
			var left []struct {
				Status string `json:"status"`
			}
			e.must(200, "GET", sp+"/tasks?status=completed", tn.viewer, nil, &left)
			if c.want == api.JobCanceled && len(left) != 0 {
				t.Errorf("%d tasks completed by a canceled job", len(left))
			}
			if c.want == api.JobSucceeded && len(left) != 2 {
				t.Errorf("%d tasks completed, want 2", len(left))
			}
			// No new job starts once shutting down.
			if r := e.do("POST", sp+"/clusterings", tn.editor, nil); r.Status != 503 {
				t.Errorf("job after Shutdown = %d, want 503", r.Status)
			}
		})
	}
}
