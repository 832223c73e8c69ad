package load

import (
	"context"
	"crypto/rand"
	"errors"
	"net"
	"net/http"
	"path/filepath"
	"time"

	"github.com/igny8/sdk/adapters/sqlstore"
	"github.com/igny8/sdk/examples/server/api"
)

// Local is a reference server run in this process on loopback, for a load
// run that needs no other process.
type Local struct {
	URL   string
	Token string // the superuser's
	stop  func() error
}

// Close stops the server and closes its store.
func (l *Local) Close() error { return l.stop() }

// ServeLocal starts the API over the store at dsn (sqlite:DIR/igny8.db when
// empty) on 127.0.0.1 with the offline model and the given rate limit;
// conns sizes the store's connection pool (0: the store's default).
func ServeLocal(ctx context.Context, dir, dsn string, rate float64, burst, conns int) (*Local, error) {
	if dsn == "" {
		dsn = "sqlite:" + filepath.Join(dir, "igny8.db")
	}
	store, err := sqlstore.Open(ctx, dsn, sqlstore.Options{MaxOpenConns: conns})
	if err != nil {
		return nil, err
	}
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	srv, err := api.New(ctx, api.Config{Store: store, DataDir: dir, SealingKey: key, RatePerSecond: rate, RateBurst: burst})
	if err != nil {
		store.Close()
		return nil, err
	}
	tok, _, err := srv.Bootstrap(ctx, "load@example.com")
	if err != nil {
		srv.Close()
		store.Close()
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		srv.Close()
		store.Close()
		return nil, err
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = hs.Serve(ln) }()
	return &Local{URL: "http://" + ln.Addr().String(), Token: tok.Token, stop: func() error {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		return errors.Join(hs.Shutdown(sctx), srv.Close(), store.Close())
	}}, nil
}
