// Command loadgen loads the reference server (examples/server) with many
// concurrent clients and reports throughput, rate-limited answers,
// failures and latency percentiles:
//
//	go run ./examples/loadgen [-clients 200] [-duration 30s] [-sites 20] [-think 200ms]
//	go run ./examples/loadgen -url http://127.0.0.1:8080 -token $SUPERUSER_TOKEN
//
// Each client pauses -think (±50 %) between requests, so 200 clients offer
// about 1,000 requests/s by default: what 20 sites' rate limits let
// through. -think 0 makes every client send its next request the moment
// the last one is answered, a closed loop that measures the server's
// capacity (and mostly its 429 answers) rather than its latency to users.
//
// Without -url it starts the server in this process on loopback over a new
// SQLite database (or -dsn), with -rate and -burst as the per-site rate
// limit. It exits with status 1 when a request failed other than by the
// rate limit or when the p99 of reads is above -max-p99.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"time"

	"github.com/igny8/sdk/examples/loadgen/load"
	"github.com/igny8/sdk/examples/server/api"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ok, err := run(ctx, os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(2)
	}
	if !ok {
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) (bool, error) {
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	var cfg load.Config
	fs.StringVar(&cfg.URL, "url", "", "server base URL (empty: start one in this process)")
	fs.StringVar(&cfg.Token, "token", os.Getenv("IGNY8_TOKEN"), "superuser API token of -url (or IGNY8_TOKEN)")
	fs.IntVar(&cfg.Clients, "clients", 200, "concurrent clients")
	fs.DurationVar(&cfg.Duration, "duration", 30*time.Second, "how long to load")
	fs.IntVar(&cfg.Sites, "sites", 20, "sites the clients spread over")
	fs.IntVar(&cfg.WriteEvery, "write-every", 10, "every n-th request of a client is a write (-1: reads only)")
	fs.DurationVar(&cfg.Think, "think", 200*time.Millisecond, "mean pause of each client between requests (±50 %); 200 ms makes 200 clients offer about 1,000 requests/s, the rate limit of 20 sites; 0 is a closed loop that measures capacity")
	dsn := fs.String("dsn", "", "store of the in-process server (default: SQLite in a temporary folder)")
	rate := fs.Float64("rate", api.DefaultRatePerSecond, "per-site requests per second of the in-process server")
	burst := fs.Int("burst", api.DefaultRateBurst, "per-site burst of the in-process server")
	conns := fs.Int("conns", 0, "connection pool of the in-process server's store (0: the store's default)")
	maxP99 := fs.Duration("max-p99", 50*time.Millisecond, "fail when the p99 of reads is above this")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	if err := fs.Parse(args); err != nil {
		return false, err
	}
	if cfg.URL == "" {
		dir, err := os.MkdirTemp("", "igny8-loadgen-")
		if err != nil {
			return false, err
		}
		defer os.RemoveAll(dir)
		local, err := load.ServeLocal(ctx, dir, *dsn, *rate, *burst, *conns)
		if err != nil {
			return false, err
		}
		defer local.Close()
		cfg.URL, cfg.Token = local.URL, local.Token
	}
	fix, err := load.Seed(ctx, cfg)
	if err != nil {
		return false, fmt.Errorf("seed: %w", err)
	}
	rep, err := load.Run(ctx, cfg, fix)
	if err != nil {
		return false, err
	}
	if *asJSON {
		_ = json.NewEncoder(os.Stdout).Encode(rep)
	} else {
		fmt.Println(rep)
		for _, f := range rep.Failures {
			fmt.Println("  failure:", f)
		}
	}
	ok := rep.Failed == 0 && rep.ReadP99 <= *maxP99
	if !ok {
		fmt.Fprintf(os.Stderr, "loadgen: FAIL (%d failed, read p99 %s, max %s)\n", rep.Failed, rep.ReadP99, *maxP99)
	}
	return ok, nil
}
