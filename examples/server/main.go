// Command server runs the IGNY8 reference server: the JSON API of package
// examples/server/api over a SQLite or Postgres store, with the automation
// scheduler in the same process.
//
//	go run ./examples/server [-addr 127.0.0.1:8080] [-data DIR] [-dsn DSN]
//	    [-llm-url URL] [-llm-model NAME] [-scheduler inprocess|river|none]
//
// Every flag can also be set in the environment (IGNY8_ADDR, IGNY8_DATA,
// IGNY8_DSN, IGNY8_LLM_URL, IGNY8_LLM_MODEL, IGNY8_SCHEDULER); the LLM key
// is read from IGNY8_LLM_KEY or OPENAI_API_KEY only, never from a flag (it
// would show in the process list). Without an LLM URL or key the server
// runs on the offline model, which writes deterministic placeholder text,
// and says so loudly at start.
//
// On first start (an empty store) it creates a superuser and prints its API
// token once. The sealing key of destination credentials is read from
// IGNY8_SEALING_KEY (64 hex characters) or DATA/sealing.key, created on
// first start. WordPress destinations are registered per site through the
// API (POST /v1/sites/{site}/destinations with kind "wordpress", settings
// url and user, and the application password as secret).
//
// SIGINT or SIGTERM stop it gracefully: the HTTP server stops accepting,
// running jobs get the grace period (-grace) to finish, then are canceled
// (a canceled write batch resumes when it is run again).
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/igny8/sdk/adapters/openai"
	"github.com/igny8/sdk/adapters/riverjobs"
	"github.com/igny8/sdk/adapters/sqlstore"
	"github.com/igny8/sdk/examples/server/api"
	"github.com/igny8/sdk/igny8"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, nil); err != nil {
		fmt.Fprintln(os.Stderr, "server:", err)
		os.Exit(1)
	}
}

type options struct {
	addr, data, dsn, llmURL, llmModel, scheduler, bootstrap, logLevel string
	grace, cacheTTL                                                   time.Duration
	rate                                                              float64
	burst                                                             int
}

func parseFlags(args []string, getenv func(string) string) (options, error) {
	env := func(k, def string) string {
		if v := getenv(k); v != "" {
			return v
		}
		return def
	}
	var o options
	fs := flag.NewFlagSet("server", flag.ContinueOnError)
	fs.StringVar(&o.addr, "addr", env("IGNY8_ADDR", "127.0.0.1:8080"), "listen address")
	fs.StringVar(&o.data, "data", env("IGNY8_DATA", "igny8-data"), "folder of the SQLite database, stored objects and rendered sites")
	fs.StringVar(&o.dsn, "dsn", env("IGNY8_DSN", ""), "store DSN: sqlite:FILE or postgres://… (default sqlite:DATA/igny8.db)")
	fs.StringVar(&o.llmURL, "llm-url", env("IGNY8_LLM_URL", getenv("OPENAI_BASE_URL")), "base URL of an OpenAI-compatible API (empty with no key: the offline model)")
	fs.StringVar(&o.llmModel, "llm-model", env("IGNY8_LLM_MODEL", "gpt-4o-mini"), "chat model name")
	fs.StringVar(&o.scheduler, "scheduler", env("IGNY8_SCHEDULER", "inprocess"), "automation scheduler: inprocess, river (Postgres only) or none")
	fs.StringVar(&o.bootstrap, "bootstrap-email", env("IGNY8_BOOTSTRAP_EMAIL", "admin@localhost.localdomain"), "email of the superuser made on first start")
	fs.StringVar(&o.logLevel, "log-level", env("IGNY8_LOG_LEVEL", "info"), "debug, info, warn or error")
	fs.DurationVar(&o.grace, "grace", 30*time.Second, "how long running requests and jobs may take to finish at shutdown")
	fs.Float64Var(&o.rate, "rate", api.DefaultRatePerSecond, "requests per second per site")
	fs.IntVar(&o.burst, "burst", api.DefaultRateBurst, "burst of requests per site")
	fs.DurationVar(&o.cacheTTL, "cache-ttl", api.DefaultCacheTTL, "how long a token's user and a site or sector, once read, are trusted without the store; several servers on one store see another's revocations within it (negative: never cache)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if o.dsn == "" {
		o.dsn = "sqlite:" + filepath.Join(o.data, "igny8.db")
	}
	switch o.scheduler {
	case "inprocess", "none":
	case "river":
		if !strings.HasPrefix(o.dsn, "postgres") {
			return o, fmt.Errorf("-scheduler=river needs a postgres:// DSN, got %q", redactDSN(o.dsn))
		}
	default:
		return o, fmt.Errorf("-scheduler: %q is not inprocess, river or none", o.scheduler)
	}
	return o, nil
}

// run starts the server and blocks until ctx ends; ready, when set,
// receives the listening address.
func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer, ready chan<- string) error {
	o, err := parseFlags(args, getenv)
	if err != nil {
		return err
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(o.logLevel)); err != nil {
		return fmt.Errorf("-log-level: %w", err)
	}
	logger := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	if err := os.MkdirAll(o.data, 0o755); err != nil {
		return err
	}
	key, err := sealingKey(getenv("IGNY8_SEALING_KEY"), filepath.Join(o.data, "sealing.key"))
	if err != nil {
		return err
	}
	store, err := sqlstore.Open(ctx, o.dsn, sqlstore.Options{Logger: logger})
	if err != nil {
		return fmt.Errorf("open store %s: %w", redactDSN(o.dsn), err)
	}
	defer store.Close()
	logger.Info("store open", "dsn", redactDSN(o.dsn), "dialect", store.Dialect())

	cfg := api.Config{Store: store, DataDir: o.data, SealingKey: key, Logger: logger, RatePerSecond: o.rate, RateBurst: o.burst, CacheTTL: o.cacheTTL}
	llmKey := getenv("IGNY8_LLM_KEY")
	if llmKey == "" {
		llmKey = getenv("OPENAI_API_KEY")
	}
	if o.llmURL != "" || llmKey != "" {
		client, err := openai.New(ctx, openai.Config{BaseURL: o.llmURL, APIKey: llmKey, Model: o.llmModel})
		if err != nil {
			return err
		}
		cfg.LLM = client
		logger.Info("LLM", "base_url", o.llmURL, "model", o.llmModel)
	} else {
		logger.Warn("NO LLM CONFIGURED: running on the OFFLINE MODEL, which writes deterministic placeholder text, not articles; set -llm-url and IGNY8_LLM_KEY (or OPENAI_API_KEY) for a real model")
		fmt.Fprintln(stdout, "WARNING: no LLM configured — using the offline model (placeholder output). Set -llm-url / IGNY8_LLM_KEY for real text.")
	}
	if o.scheduler == "river" {
		sched, err := riverjobs.New(ctx, store, riverjobs.Options{Migrate: true, Logger: logger})
		if err != nil {
			return err
		}
		cfg.Scheduler, cfg.Kernel = sched, riverjobs.Outbox(store, sched)
	}

	srv, err := api.New(ctx, cfg)
	if err != nil {
		return err
	}
	defer srv.Close()
	tok, created, err := srv.Bootstrap(ctx, o.bootstrap)
	if err != nil {
		return fmt.Errorf("bootstrap: %w", err)
	}
	if created {
		// Printed once, to stdout only: the log never holds a token.
		fmt.Fprintf(stdout, "superuser %s created; its API token (shown once): %s\n", o.bootstrap, tok.Token)
	}

	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute, ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn)}
	schedCtx, stopSched := context.WithCancel(ctx)
	defer stopSched()
	schedDone := make(chan error, 1)
	if o.scheduler != "none" {
		go func() { schedDone <- srv.RunScheduler(schedCtx) }()
	} else {
		schedDone <- nil
	}
	serveDone := make(chan error, 1)
	go func() { serveDone <- hs.Serve(ln) }()
	fmt.Fprintf(stdout, "listening on http://%s (OpenAPI at /openapi.json)\n", ln.Addr())
	logger.Info("listening", "addr", ln.Addr().String(), "scheduler", o.scheduler)
	if ready != nil {
		ready <- ln.Addr().String()
	}

	select {
	case <-ctx.Done():
	case err := <-serveDone:
		return err
	}
	logger.Info("shutting down", "grace", o.grace)
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), o.grace)
	defer cancel()
	var errs []error
	if err := hs.Shutdown(sctx); err != nil {
		errs = append(errs, fmt.Errorf("http shutdown: %w", err))
	}
	if err := srv.Shutdown(sctx); err != nil {
		errs = append(errs, fmt.Errorf("jobs canceled after the grace period: %w", err))
	}
	stopSched()
	if err := <-schedDone; err != nil && !errors.Is(err, context.Canceled) {
		errs = append(errs, fmt.Errorf("scheduler: %w", err))
	}
	if err := <-serveDone; err != nil && !errors.Is(err, http.ErrServerClosed) {
		errs = append(errs, err)
	}
	logger.Info("stopped")
	return errors.Join(errs...)
}

// sealingKey reads the 32-byte key from hexKey, else from file, creating
// the file with a random key when it does not exist.
func sealingKey(hexKey, file string) ([]byte, error) {
	if hexKey == "" {
		b, err := os.ReadFile(file)
		switch {
		case err == nil:
			hexKey = strings.TrimSpace(string(b))
		case errors.Is(err, os.ErrNotExist):
			k := make([]byte, 32)
			if _, err := rand.Read(k); err != nil {
				return nil, err
			}
			if err := os.WriteFile(file, []byte(hex.EncodeToString(k)+"\n"), 0o600); err != nil {
				return nil, err
			}
			return k, nil
		default:
			return nil, err
		}
	}
	k, err := hex.DecodeString(hexKey)
	if err != nil || len(k) != 32 {
		return nil, igny8.InvalidArgument("server.sealingKey", "IGNY8_SEALING_KEY", "must be 64 hex characters (32 bytes)")
	}
	return k, nil
}

// redactDSN drops the password of a postgres:// DSN for logs.
func redactDSN(dsn string) string {
	scheme, rest, ok := strings.Cut(dsn, "://")
	if !ok {
		return dsn
	}
	at := strings.LastIndex(rest, "@")
	if at < 0 {
		return dsn
	}
	user, _, _ := strings.Cut(rest[:at], ":")
	return scheme + "://" + user + ":***@" + rest[at+1:]
}
