package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/igny8/sdk/adapters/fsstorage"
	"github.com/igny8/sdk/adapters/sqlstore"
	"github.com/igny8/sdk/igny8"
)

// benchStorage measures fsstorage Put and Get: n objects of -size bytes
// written by -concurrency goroutines into one site, then read back, once
// without a quota and once with the plan's quota held through igny8.Limits
// on SQLite (the reservation is a transaction per Put).
func benchStorage(ctx context.Context, args []string, out *reporter) error {
	fs := flag.NewFlagSet("storage", flag.ContinueOnError)
	n := fs.Int("n", 2000, "objects to write and read")
	size := fs.Int("size", 64<<10, "bytes per object")
	conc := fs.Int("concurrency", 8, "concurrent goroutines")
	noSync := fs.Bool("nosync", false, "skip fsync (Options.NoSync)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "igny8-bench-storage-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	for _, quota := range []string{"none", "limits-sqlite"} {
		var q fsstorage.Quota = fsstorage.NoQuota{}
		scope := igny8.Scope{AccountID: "bench", SiteID: "site-" + quota}
		if quota == "limits-sqlite" {
			store, err := sqlstore.Open(ctx, "sqlite:"+filepath.Join(dir, "quota.db"), sqlstore.Options{})
			if err != nil {
				return err
			}
			defer store.Close()
			ten := igny8.NewTenancy(store, igny8.TenancyOptions{})
			plan, err := ten.CreatePlan(ctx, igny8.Plan{Name: "bench", Limits: map[igny8.Limit]int64{igny8.LimitStorageBytes: 1 << 50}})
			if err != nil {
				return err
			}
			acct, err := ten.CreateAccount(ctx, igny8.Account{Name: "bench", PlanID: plan.ID})
			if err != nil {
				return err
			}
			q = fsstorage.LimitsQuota{Limits: igny8.NewLimits(store, nil)}
			scope.AccountID = acct.ID
		}
		st, err := fsstorage.New(filepath.Join(dir, "files-"+quota), q, fsstorage.Options{NoSync: *noSync})
		if err != nil {
			return err
		}
		body := bytes.Repeat([]byte("igny8 "), *size/6+1)[:*size]
		extra := func(op string) map[string]any {
			return map[string]any{"op": op, "quota": quota, "size_bytes": *size, "concurrency": *conc, "fsync": !*noSync}
		}
		put := func(i int) error {
			_, err := st.Put(ctx, scope, fmt.Sprintf("img/%03d/%05d.png", i%100, i), bytes.NewReader(body), "image/png")
			return err
		}
		get := func(i int) error {
			rc, _, err := st.Get(ctx, scope, fmt.Sprintf("img/%03d/%05d.png", i%100, i))
			if err != nil {
				return err
			}
			defer rc.Close()
			m, err := io.Copy(io.Discard, rc)
			if err == nil && m != int64(*size) {
				err = fmt.Errorf("read %d bytes, want %d", m, *size)
			}
			return err
		}
		for _, phase := range []struct {
			op string
			fn func(int) error
		}{{"put", put}, {"get", get}} {
			elapsed, err := storageParallel(ctx, *n, *conc, phase.fn)
			if err != nil {
				st.Close()
				return fmt.Errorf("%s %s: %w", quota, phase.op, err)
			}
			x := extra(phase.op)
			x["mb_per_second"] = round(float64(*n)*float64(*size)/elapsed.Seconds()/1e6, 1)
			if err := out.Report(Result{Bench: "storage", N: *n, Elapsed: elapsed, Extra: x}); err != nil {
				st.Close()
				return err
			}
		}
		used, err := st.Usage(ctx, scope)
		st.Close()
		if err != nil {
			return err
		}
		if used != int64(*n)*int64(*size) {
			return fmt.Errorf("%s: usage %d bytes, want %d", quota, used, int64(*n)*int64(*size))
		}
	}
	return nil
}

// storageParallel calls fn(0..n-1) from conc goroutines and returns the wall
// time, or the first error.
func storageParallel(ctx context.Context, n, conc int, fn func(int) error) (time.Duration, error) {
	var next atomic.Int64
	var firstErr error
	var once sync.Once
	var wg sync.WaitGroup
	start := time.Now()
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				if err := fn(i); err != nil {
					once.Do(func() { firstErr = err })
					return
				}
			}
		}()
	}
	wg.Wait()
	if firstErr == nil {
		firstErr = ctx.Err()
	}
	return time.Since(start), firstErr
}
