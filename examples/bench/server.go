package main

import (
	"context"
	"flag"
	"os"
	"time"

	"github.com/igny8/sdk/examples/loadgen/load"
	"github.com/igny8/sdk/examples/server/api"
)

// benchServer loads the reference API (examples/server) in this process on
// loopback with concurrent clients (examples/loadgen's generator): reads of
// a site, a keyword page, the clusters and the sector, with a keyword write
// every -write-every requests; it reports requests per second, rate-limited
// answers, failures and read/write latency percentiles.
func benchServer(ctx context.Context, args []string, out *reporter) error {
	fs := flag.NewFlagSet("server", flag.ContinueOnError)
	clients := fs.Int("clients", 200, "concurrent clients")
	dur := fs.Duration("duration", 30*time.Second, "load duration")
	sites := fs.Int("sites", 20, "sites the clients spread over")
	writeEvery := fs.Int("write-every", 10, "every n-th request is a write (-1: reads only)")
	think := fs.Duration("think", 200*time.Millisecond, "mean pause of each client between requests (±50 %); 200 ms makes 200 clients offer about 1,000 requests/s, the rate limit of 20 sites; 0 is a closed loop that measures capacity")
	rate := fs.Float64("rate", api.DefaultRatePerSecond, "per-site rate limit (requests per second)")
	burst := fs.Int("burst", api.DefaultRateBurst, "per-site burst")
	conns := fs.Int("conns", 0, "store connection pool (0: the store's default)")
	dsn := fs.String("dsn", "", "store DSN (default: SQLite in a temporary folder)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the load run (server and clients) to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "igny8-bench-server-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	local, err := load.ServeLocal(ctx, dir, *dsn, *rate, *burst, *conns)
	if err != nil {
		return err
	}
	defer local.Close()
	cfg := load.Config{URL: local.URL, Token: local.Token, Clients: *clients, Duration: *dur, Sites: *sites, WriteEvery: *writeEvery, Think: *think}
	fix, err := load.Seed(ctx, cfg)
	if err != nil {
		return err
	}
	if *cpuProfile != "" {
		stop, err := startCPUProfile(*cpuProfile)
		if err != nil {
			return err
		}
		defer stop()
	}
	rep, err := load.Run(ctx, cfg, fix)
	if err != nil {
		return err
	}
	ms := func(d time.Duration) float64 { return round(d.Seconds()*1000, 2) }
	return out.Report(Result{Bench: "server", N: rep.Requests, Elapsed: rep.Elapsed, Extra: map[string]any{
		"clients": rep.Clients, "reads": rep.Reads, "writes": rep.Writes, "rate_limited": rep.RateLimited, "failed": rep.Failed,
		"read_p50_ms": ms(rep.ReadP50), "read_p95_ms": ms(rep.ReadP95), "read_p99_ms": ms(rep.ReadP99), "read_max_ms": ms(rep.ReadMax),
		"write_p50_ms": ms(rep.WriteP50), "write_p99_ms": ms(rep.WriteP99), "think_ms": ms(*think), "rate": *rate,
	}})
}
