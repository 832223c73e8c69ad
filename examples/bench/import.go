package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"strconv"
	"time"

	"github.com/igny8/sdk/adapters/sqlstore"
	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/planning"
	"github.com/igny8/sdk/planning/kwimport"
)

// benchImport measures a keyword import end to end: parse an n-row CSV
// (kwimport), then Planner.Import into SQLite and into Postgres (a fresh
// schema) — validation, folding, the max_keywords reservation, the bulk
// insert and the keyword_added event in one transaction.
func benchImport(ctx context.Context, args []string, out *reporter) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	n := fs.Int("n", 100000, "CSV rows")
	seed := fs.Uint64("seed", 1, "generator seed")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the -cluster step to this file")
	cluster := fs.Bool("cluster", false, "also time Planner.Cluster (lexical) of the imported keywords, persisted")
	pgDSN := fs.String("postgres", envOr("IGNY8_POSTGRES_DSN", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"), "Postgres DSN (empty to skip)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write([]string{"keyword", "volume", "difficulty", "cpc", "intent"})
	for _, k := range syntheticKeywords(*n, *seed) {
		_ = w.Write([]string{k.Text, strconv.FormatInt(k.Volume, 10), strconv.Itoa(k.Difficulty), "0.75", ""})
	}
	w.Flush()
	data := buf.Bytes()

	return eachStore(ctx, "import", *pgDSN, out, func(dsn string) (Result, error) {
		return runImport(ctx, dsn, data, *n, *cluster, *cpuProfile)
	})
}

func runImport(ctx context.Context, dsn string, data []byte, n int, cluster bool, cpuProfile string) (Result, error) {
	store, err := sqlstore.Open(ctx, dsn, sqlstore.Options{})
	if err != nil {
		return Result{}, err
	}
	defer store.Close()
	ten := igny8.NewTenancy(store, igny8.TenancyOptions{})
	plan, err := ten.CreatePlan(ctx, igny8.Plan{Name: "bench", Limits: map[igny8.Limit]int64{igny8.LimitMaxKeywords: int64(n)}})
	if err != nil {
		return Result{}, err
	}
	acct, err := ten.CreateAccount(ctx, igny8.Account{Name: "bench", PlanID: plan.ID})
	if err != nil {
		return Result{}, err
	}
	site, err := ten.CreateSite(ctx, igny8.Scope{AccountID: acct.ID}, igny8.Site{Name: "bench"})
	if err != nil {
		return Result{}, err
	}
	planner := planning.NewPlanner(store, igny8.NewLimits(store, nil), igny8.NewEvents(store, nil, nil), planning.PlannerOptions{})

	start := time.Now()
	parsed, err := kwimport.Parse(bytes.NewReader(data), kwimport.Options{})
	if err != nil {
		return Result{}, err
	}
	parseTime := time.Since(start)
	rep, err := planner.Import(ctx, site.Scope(), parsed.Keywords())
	if err != nil {
		return Result{}, err
	}
	elapsed := time.Since(start)
	if len(rep.Added) != n {
		return Result{}, fmt.Errorf("imported %d of %d rows (%d rejected, %d folded)", len(rep.Added), n, len(parsed.Rejected)+len(rep.Rejected), len(parsed.Folded)+len(rep.Folded))
	}
	extra := map[string]any{
		"csv_bytes":       len(data),
		"parse_seconds":   round(parseTime.Seconds(), 4),
		"rows_per_second": round(float64(n)/elapsed.Seconds(), 1),
	}
	if cluster {
		if cpuProfile != "" {
			stop, err := startCPUProfile(cpuProfile + "." + store.Dialect())
			if err != nil {
				return Result{}, err
			}
			defer stop()
		}
		cstart := time.Now()
		rep, err := planner.Cluster(ctx, site.Scope(), nil)
		if err != nil {
			return Result{}, err
		}
		extra["cluster_seconds"] = round(time.Since(cstart).Seconds(), 4)
		extra["clusters_created"] = len(rep.Created)
	}
	return Result{Bench: "import", N: n, Elapsed: elapsed, Extra: extra}, nil
}
