package load_test

import (
	"context"
	"testing"
	"time"

	"github.com/igny8/sdk/examples/loadgen/load"
)

// TestRun seeds an in-process server and loads it briefly: every request is
// answered, some are rate limited (a burst of 5 per site), none fail.
func TestRun(t *testing.T) {
	ctx := context.Background()
	local, err := load.ServeLocal(ctx, t.TempDir(), "", 20, 5, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = local.Close() })
	cfg := load.Config{URL: local.URL, Token: local.Token, Clients: 8, Sites: 2, Keywords: 5, Duration: 1500 * time.Millisecond}
	fix, err := load.Seed(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := load.Run(ctx, cfg, fix)
	if err != nil {
		t.Fatal(err)
	}
	t.Log(rep)
	if rep.Failed != 0 {
		t.Errorf("%d requests failed: %v", rep.Failed, rep.Failures)
	}
	if rep.RateLimited == 0 || rep.Reads == 0 || rep.Writes == 0 {
		t.Errorf("want reads, writes and rate-limited answers: %s", rep)
	}
	if rep.Requests != rep.Reads+rep.Writes+rep.RateLimited+rep.Failed {
		t.Errorf("counts do not add up: %+v", rep)
	}
	if rep.ReadP50 > rep.ReadP99 || rep.ReadP99 > rep.ReadMax {
		t.Errorf("percentiles out of order: %+v", rep)
	}
}
