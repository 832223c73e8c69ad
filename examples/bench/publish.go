package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/igny8/sdk/adapters/sqlstore"
	"github.com/igny8/sdk/adapters/webhook"
	"github.com/igny8/sdk/adapters/wordpress"
	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/publishing"
	"github.com/igny8/sdk/publishing/publishertest"
)

// benchPublish measures publishing.Service.Publish end to end on the SQLite
// store: claim the record, call the destination, record the result and the
// content_published event in one transaction. Targets: an in-memory
// destination (the service's own cost), the webhook adapter against a
// loopback receiver (signing, HTTP, verification), and a real WordPress
// when -wp-url (or WP_URL) is set.
func benchPublish(ctx context.Context, args []string, out *reporter) error {
	fs := flag.NewFlagSet("publish", flag.ContinueOnError)
	n := fs.Int("n", 1000, "contents published per target (WordPress: at most -wp-n)")
	conc := fs.Int("concurrency", 8, "concurrent publishing goroutines")
	targets := fs.String("targets", "memory,webhook,wordpress", "comma-separated targets; wordpress runs only with -wp-url")
	wpURL := fs.String("wp-url", os.Getenv("WP_URL"), "WordPress base URL")
	wpUser := fs.String("wp-user", os.Getenv("WP_USER"), "WordPress user")
	wpPass := fs.String("wp-app-password", os.Getenv("WP_APP_PASSWORD"), "WordPress Application Password")
	wpN := fs.Int("wp-n", 40, "posts published to WordPress (each is deleted afterwards)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "igny8-bench-publish-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	for _, target := range strings.Split(*targets, ",") {
		target = strings.TrimSpace(target)
		count := *n
		var factory publishing.Factory
		settings := map[string]string{}
		secret := []byte("bench secret of at least 16 bytes")
		switch target {
		case "memory":
			mem := publishertest.NewMemory()
			factory = func(context.Context, publishing.Destination, []byte) (publishing.Publisher, error) { return mem, nil }
		case "webhook":
			v, err := webhook.NewVerifier(webhook.VerifierOptions{}, secret)
			if err != nil {
				return err
			}
			srv := httptest.NewServer(webhook.Handler(v, publishertest.NewMemory()))
			defer srv.Close()
			settings[webhook.SettingURL] = srv.URL
			factory = webhook.Factory(webhook.Options{})
		case "wordpress":
			if *wpURL == "" {
				fmt.Fprintln(os.Stderr, "bench publish: no -wp-url / WP_URL, wordpress skipped")
				continue
			}
			count = min(count, *wpN)
			settings[wordpress.SettingURL], settings[wordpress.SettingUser] = *wpURL, *wpUser
			secret = []byte(*wpPass)
			factory = wordpress.Factory(wordpress.Options{DeleteOnUnpublish: true})
		default:
			return fmt.Errorf("unknown target %q (memory, webhook, wordpress)", target)
		}
		res, err := runPublish(ctx, filepath.Join(dir, target+".db"), target, factory, settings, secret, count, *conc)
		if err != nil {
			return fmt.Errorf("%s: %w", target, err)
		}
		if err := out.Report(res); err != nil {
			return err
		}
	}
	return nil
}

func runPublish(ctx context.Context, path, target string, factory publishing.Factory, settings map[string]string, secret []byte, n, conc int) (Result, error) {
	store, err := sqlstore.Open(ctx, "sqlite:"+path, sqlstore.Options{})
	if err != nil {
		return Result{}, err
	}
	defer store.Close()
	ten := igny8.NewTenancy(store, igny8.TenancyOptions{})
	plan, err := ten.CreatePlan(ctx, igny8.Plan{Name: "bench"})
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
	scope := site.Scope()
	keys, err := publishing.NewKeyring("k1", map[string][]byte{"k1": bytes.Repeat([]byte{9}, 32)})
	if err != nil {
		return Result{}, err
	}
	svc, err := publishing.NewService(store, keys, map[string]publishing.Factory{target: factory}, publishing.Options{})
	if err != nil {
		return Result{}, err
	}
	dest, err := svc.RegisterDestination(ctx, scope, publishing.DestinationInput{Name: target, Kind: target, Settings: settings, Secret: secret})
	if err != nil {
		return Result{}, err
	}

	lat := make([]time.Duration, n)
	errs := make([]error, n)
	next := make(chan int)
	var wg sync.WaitGroup
	start := time.Now()
	for range conc {
		wg.Go(func() {
			for i := range next {
				t0 := time.Now()
				_, errs[i] = svc.Publish(ctx, scope, dest.ID, publishing.Item{
					ContentID: fmt.Sprintf("content-%06d", i), Version: 1, Title: fmt.Sprintf("Bench post %d", i),
					HTML: "<h2>Heading</h2><p>" + strings.Repeat("Some text of the article. ", 40) + "</p>", Excerpt: "Summary",
					Status: publishing.StatusDraft, Tags: []string{"bench"},
				})
				lat[i] = time.Since(t0)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	elapsed := time.Since(start)
	failed := 0
	var firstErr error
	for _, err := range errs {
		if err != nil {
			failed++
			if firstErr == nil {
				firstErr = err
			}
		}
	}
	if target == "wordpress" {
		for i := range n {
			_, _ = svc.Unpublish(ctx, scope, dest.ID, fmt.Sprintf("content-%06d", i))
		}
	}
	if failed > 0 {
		return Result{}, fmt.Errorf("%d of %d publishes failed, first: %w", failed, n, firstErr)
	}
	slices.Sort(lat)
	ms := func(d time.Duration) float64 { return round(float64(d.Microseconds())/1000, 3) }
	return Result{Bench: "publish", N: n, Elapsed: elapsed, Extra: map[string]any{
		"target": target, "store": "sqlite", "concurrency": conc,
		"p50_ms": ms(lat[n/2]), "p99_ms": ms(lat[min(n-1, n*99/100)]), "max_ms": ms(lat[n-1]),
	}}, nil
}
