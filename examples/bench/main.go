// Command bench runs the SDK's named benchmarks and prints one JSON object
// per run on its own line:
//
//	go run ./examples/bench ledger [-n 2000] [-concurrency 8]
//
// Every line has at least bench, n, seconds, per_second and peak_rss_mb;
// each benchmark adds the figures its issue asks for. Run with no
// arguments to list the benchmarks.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"sort"
	"syscall"
	"time"

	"github.com/igny8/sdk/adapters/sqlstore"
)

// benchFunc runs one benchmark with its own flags and reports through out.
type benchFunc func(ctx context.Context, args []string, out *reporter) error

func benches() map[string]benchFunc {
	return map[string]benchFunc{
		"ledger":     benchLedger,
		"ai":         benchAI,
		"analyze":    benchAnalyze,
		"cluster":    benchCluster,
		"crawl":      benchCrawl,
		"import":     benchImport,
		"link":       benchLink,
		"publish":    benchPublish,
		"pipeline":   benchPipeline,
		"render":     benchRender,
		"automation": benchAutomation,
		"sitegen":    benchSiteBuild,
		"storage":    benchStorage,
		"server":     benchServer,
	}
}

func main() {
	all := benches()
	if len(os.Args) < 2 || all[os.Args[1]] == nil {
		names := make([]string, 0, len(all))
		for n := range all {
			names = append(names, n)
		}
		sort.Strings(names)
		fmt.Fprintf(os.Stderr, "usage: bench <name> [flags]\nbenchmarks: %v\n", names)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	out := &reporter{enc: json.NewEncoder(os.Stdout)}
	if err := all[os.Args[1]](ctx, os.Args[2:], out); err != nil {
		fmt.Fprintf(os.Stderr, "bench %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}

// reporter prints result lines.
type reporter struct{ enc *json.Encoder }

// Result is one run's line. Extra holds the benchmark's own figures, merged
// into the same JSON object.
type Result struct {
	Bench   string
	N       int
	Elapsed time.Duration
	Extra   map[string]any
}

// Report prints r as one JSON line with per_second and peak_rss_mb filled.
func (r *reporter) Report(res Result) error {
	line := map[string]any{}
	for k, v := range res.Extra {
		line[k] = v
	}
	secs := res.Elapsed.Seconds()
	line["bench"] = res.Bench
	line["n"] = res.N
	line["seconds"] = round(secs, 4)
	if secs > 0 {
		line["per_second"] = round(float64(res.N)/secs, 1)
	} else {
		line["per_second"] = 0.0
	}
	line["peak_rss_mb"] = round(peakRSSMB(), 1)
	return r.enc.Encode(line)
}

func round(v float64, digits int) float64 {
	p := 1.0
	for range digits {
		p *= 10
	}
	return float64(int64(v*p+0.5)) / p
}

// peakRSSMB returns the process's peak resident set size (VmHWM) in MiB.
func peakRSSMB() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Maxrss) / 1024 // Linux reports KiB
}

// storeTarget is a store a benchmark runs on: "sqlite" or "postgres".
type storeTarget struct{ name, dsn string }

// storeTargets returns a new SQLite file in a temporary folder and, when
// pgDSN is set and answers, a new schema in that Postgres; cleanup removes
// both. An unreachable Postgres is skipped with a message on stderr.
func storeTargets(ctx context.Context, bench, pgDSN string) ([]storeTarget, func(), error) {
	dir, err := os.MkdirTemp("", "igny8-bench-"+bench+"-")
	if err != nil {
		return nil, nil, err
	}
	cleanups := []func(){func() { os.RemoveAll(dir) }}
	cleanup := func() {
		for i := len(cleanups) - 1; i >= 0; i-- {
			cleanups[i]()
		}
	}
	targets := []storeTarget{{"sqlite", "sqlite:" + filepath.Join(dir, bench+".db")}}
	if pgDSN != "" {
		dsn, drop, err := freshPostgresSchema(ctx, pgDSN, "bench_"+bench)
		if err != nil {
			fmt.Fprintf(os.Stderr, "bench %s: Postgres not reachable, skipped: %v\n", bench, err)
		} else {
			cleanups = append(cleanups, drop)
			targets = append(targets, storeTarget{"postgres", dsn})
		}
	}
	return targets, cleanup, nil
}

// freshPostgresSchema creates a new schema and returns a DSN that uses it
// and a function that drops it.
func freshPostgresSchema(ctx context.Context, dsn, prefix string) (string, func(), error) {
	admin, err := sqlstore.Open(ctx, dsn, sqlstore.Options{SkipMigrate: true})
	if err != nil {
		return "", nil, err
	}
	pctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	if err := admin.DB().PingContext(pctx); err != nil {
		admin.Close()
		return "", nil, err
	}
	schema := fmt.Sprintf("%s_%d", prefix, time.Now().UnixNano())
	if _, err := admin.DB().ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		return "", nil, err
	}
	u, err := url.Parse(dsn)
	if err != nil {
		admin.Close()
		return "", nil, err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), func() {
		_, _ = admin.DB().ExecContext(context.WithoutCancel(ctx), "DROP SCHEMA "+schema+" CASCADE")
		admin.Close()
	}, nil
}

func envOr(k, def string) string {
	if v, ok := os.LookupEnv(k); ok {
		return v
	}
	return def
}

// startCPUProfile writes a CPU profile to path until stop is called.
func startCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

// eachStore runs a store benchmark on SQLite and, when pgDSN is set, on a
// fresh Postgres schema, and reports each result with its store's name.
func eachStore(ctx context.Context, bench, pgDSN string, out *reporter, run func(dsn string) (Result, error)) error {
	targets, cleanup, err := storeTargets(ctx, bench, pgDSN)
	if err != nil {
		return err
	}
	defer cleanup()
	for _, tg := range targets {
		res, err := run(tg.dsn)
		if err != nil {
			return fmt.Errorf("%s: %w", tg.name, err)
		}
		res.Extra["store"] = tg.name
		if err := out.Report(res); err != nil {
			return err
		}
	}
	return nil
}
