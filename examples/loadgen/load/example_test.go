package load_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/igny8/sdk/examples/loadgen/load"
)

// Load an in-process server with 10 clients for half a second.
func Example() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "igny8-load-example-")
	defer os.RemoveAll(dir)
	local, err := load.ServeLocal(ctx, dir, "", 1e6, 1e6, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer local.Close()
	cfg := load.Config{URL: local.URL, Token: local.Token, Clients: 10, Sites: 2, Keywords: 5, Duration: 500 * time.Millisecond}
	fix, err := load.Seed(ctx, cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	rep, err := load.Run(ctx, cfg, fix)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("answered:", rep.Requests > 0, "failed:", rep.Failed)
	// Output: answered: true failed: 0
}
