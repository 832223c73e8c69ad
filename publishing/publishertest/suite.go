package publishertest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/publishing"
)

// Snapshot is what a destination holds for a remote item, as an Inspect
// function reads it back.
type Snapshot struct {
	// Live is false once the item is unpublished (deleted, trashed).
	Live  bool
	Title string
	// HTML is the stored body; the suite checks it contains what it sent.
	HTML string
}

// Config is the input of RunWith.
type Config struct {
	// New returns a fresh Publisher with working credentials. Required.
	New func(t *testing.T) publishing.Publisher
	// Denied, when set, returns a Publisher with refused credentials; its
	// Publish must fail with PermissionDenied.
	Denied func(t *testing.T) publishing.Publisher
	// Inspect, when set, reads a remote item back from the destination
	// itself, so the suite can check what was written.
	Inspect func(ctx context.Context, t *testing.T, r publishing.Receipt) (Snapshot, error)
	// MissingRemoteID is a remote id that does not exist at the
	// destination (default "999999999").
	MissingRemoteID string
	// Scope is the tenant of the items (default acct-test/site-test).
	Scope igny8.Scope
	// Concurrency is the number of concurrent publishes (default 8).
	Concurrency int
}

// Run runs the conformance suite against the Publisher newPublisher
// returns: create, update, unpublish, idempotent retry, lookup by key,
// error mapping, concurrent publishes. Use RunWith to check more.
func Run(t *testing.T, newPublisher func(t *testing.T) publishing.Publisher) {
	t.Helper()
	RunWith(t, Config{New: newPublisher})
}

// RunWith runs the conformance suite with cfg.
func RunWith(t *testing.T, cfg Config) {
	t.Helper()
	if cfg.New == nil {
		t.Fatal("publishertest: Config.New is required")
	}
	if cfg.MissingRemoteID == "" {
		cfg.MissingRemoteID = "999999999"
	}
	if cfg.Scope == (igny8.Scope{}) {
		cfg.Scope = igny8.Scope{AccountID: "acct-test", SiteID: "site-test"}
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 8
	}
	s := &suite{cfg: cfg}
	t.Run("Create", s.create)
	t.Run("Update", s.update)
	t.Run("Unpublish", s.unpublish)
	t.Run("LookupByKey", s.lookup)
	t.Run("IdempotentRetry", s.idempotentRetry)
	t.Run("ErrorMapping", s.errorMapping)
	t.Run("Concurrent", s.concurrent)
}

type suite struct{ cfg Config }

func token() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// item returns a unique item to publish.
func (s *suite) item(name string) publishing.Item {
	tok := token()
	return publishing.Item{
		Scope: s.cfg.Scope, ContentID: "content-" + tok, Version: 1, Type: publishing.TypePost,
		Title:          "Conformance " + name + " " + tok,
		Slug:           "conformance-" + strings.ToLower(name) + "-" + tok,
		HTML:           "<p>Body of " + name + " <strong>" + tok + "</strong>.</p>",
		Excerpt:        "Excerpt " + tok,
		Status:         publishing.StatusPublish,
		IdempotencyKey: "key-" + tok,
	}
}

func ctxT(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// publish publishes and registers the item's removal at cleanup.
func (s *suite) publish(t *testing.T, p publishing.Publisher, it publishing.Item) publishing.Receipt {
	t.Helper()
	r, err := p.Publish(ctxT(t), it)
	if err != nil {
		t.Fatalf("Publish(%q): %v", it.Title, err)
	}
	if r.RemoteID == "" {
		t.Fatalf("Publish(%q) returned no remote id: %+v", it.Title, r)
	}
	if r.URL == "" {
		t.Fatalf("Publish(%q) returned no URL: %+v", it.Title, r)
	}
	t.Cleanup(func() {
		if err := p.Unpublish(context.WithoutCancel(t.Context()), r); err != nil {
			t.Errorf("cleanup: Unpublish(%s): %v", r.RemoteID, err)
		}
	})
	return r
}

func (s *suite) inspect(t *testing.T, r publishing.Receipt, live bool, it publishing.Item) {
	t.Helper()
	if s.cfg.Inspect == nil {
		return
	}
	snap, err := s.cfg.Inspect(ctxT(t), t, r)
	if err != nil {
		t.Fatalf("Inspect(%s): %v", r.RemoteID, err)
	}
	if snap.Live != live {
		t.Fatalf("Inspect(%s): live = %v, want %v", r.RemoteID, snap.Live, live)
	}
	if !live {
		return
	}
	if snap.Title != it.Title {
		t.Errorf("Inspect(%s): title = %q, want %q", r.RemoteID, snap.Title, it.Title)
	}
	if !strings.Contains(snap.HTML, it.HTML) {
		t.Errorf("Inspect(%s): html = %q, want it to contain %q", r.RemoteID, snap.HTML, it.HTML)
	}
}

func (s *suite) create(t *testing.T) {
	p := s.cfg.New(t)
	it := s.item("Create")
	r := s.publish(t, p, it)
	s.inspect(t, r, true, it)
}

func (s *suite) update(t *testing.T) {
	p := s.cfg.New(t)
	it := s.item("Update")
	r := s.publish(t, p, it)
	it.Version, it.RemoteID, it.RemoteKind = 2, r.RemoteID, r.Kind
	it.Title += " v2"
	it.HTML = "<p>Second version " + token() + "</p>"
	r2, err := p.Publish(ctxT(t), it)
	if err != nil {
		t.Fatalf("Publish (update): %v", err)
	}
	if r2.RemoteID != r.RemoteID {
		t.Fatalf("update created a new item: remote id %q, want %q", r2.RemoteID, r.RemoteID)
	}
	s.inspect(t, r2, true, it)
}

func (s *suite) unpublish(t *testing.T) {
	p := s.cfg.New(t)
	it := s.item("Unpublish")
	r := s.publish(t, p, it)
	if err := p.Unpublish(ctxT(t), r); err != nil {
		t.Fatalf("Unpublish: %v", err)
	}
	if err := p.Unpublish(ctxT(t), r); err != nil {
		t.Fatalf("Unpublish of an unpublished item must succeed, got %v", err)
	}
	s.inspect(t, r, false, it)
	if f, ok := p.(publishing.Finder); ok {
		got, found, err := f.FindByKey(ctxT(t), it.IdempotencyKey)
		if err != nil {
			t.Fatalf("FindByKey after Unpublish: %v", err)
		}
		if found {
			t.Fatalf("FindByKey after Unpublish found %+v, want nothing", got)
		}
	}
}

func (s *suite) finder(t *testing.T, p publishing.Publisher) publishing.Finder {
	t.Helper()
	f, ok := p.(publishing.Finder)
	if !ok {
		t.Skip("the publisher is not a publishing.Finder")
	}
	return f
}

func (s *suite) lookup(t *testing.T) {
	p := s.cfg.New(t)
	f := s.finder(t, p)
	it := s.item("Lookup")
	r := s.publish(t, p, it)
	got, found, err := f.FindByKey(ctxT(t), it.IdempotencyKey)
	if err != nil || !found {
		t.Fatalf("FindByKey(%q) = found %v, err %v; want the item", it.IdempotencyKey, found, err)
	}
	if got.RemoteID != r.RemoteID {
		t.Fatalf("FindByKey remote id = %q, want %q", got.RemoteID, r.RemoteID)
	}
	if _, found, err := f.FindByKey(ctxT(t), "never-used-"+token()); err != nil || found {
		t.Fatalf("FindByKey(unknown key) = found %v, err %v; want not found, nil", found, err)
	}
}

// lossy loses the answer of the first create: the create is done at the
// remote, the caller sees a dropped connection.
type lossy struct {
	publishing.Publisher
	mu      sync.Mutex
	creates int
	lost    bool
	first   publishing.Receipt
}

func (l *lossy) Publish(ctx context.Context, it publishing.Item) (publishing.Receipt, error) {
	r, err := l.Publisher.Publish(ctx, it)
	l.mu.Lock()
	defer l.mu.Unlock()
	if it.RemoteID == "" {
		l.creates++
	}
	if err == nil && it.RemoteID == "" && !l.lost {
		l.lost, l.first = true, r
		return publishing.Receipt{}, &publishing.RemoteError{Op: "publishertest.lossy", Code: igny8.CodeUnavailable, Uncertain: true, Message: "connection reset after the request was sent"}
	}
	return r, err
}

func (l *lossy) FindByKey(ctx context.Context, key string) (publishing.Receipt, bool, error) {
	return l.Publisher.(publishing.Finder).FindByKey(ctx, key)
}

func (s *suite) idempotentRetry(t *testing.T) {
	p := s.cfg.New(t)
	f := s.finder(t, p)
	l := &lossy{Publisher: p}
	keys, err := publishing.NewKeyring("k1", map[string][]byte{"k1": make([]byte, 32)})
	if err != nil {
		t.Fatal(err)
	}
	store := NewMemoryStore()
	svc, err := publishing.NewService(store, keys, map[string]publishing.Factory{
		"test": func(context.Context, publishing.Destination, []byte) (publishing.Publisher, error) { return l, nil },
	}, publishing.Options{SkipCheck: true, Sleep: func(context.Context, time.Duration) error { return nil }})
	if err != nil {
		t.Fatal(err)
	}
	ctx := ctxT(t)
	d, err := svc.RegisterDestination(ctx, s.cfg.Scope, publishing.DestinationInput{Name: "conformance", Kind: "test"})
	if err != nil {
		t.Fatal(err)
	}
	it := s.item("Retry")
	it.IdempotencyKey = ""
	rec, err := svc.Publish(ctx, s.cfg.Scope, d.ID, it)
	if l.lost {
		t.Cleanup(func() { _ = p.Unpublish(context.WithoutCancel(t.Context()), l.first) })
	}
	if err != nil {
		t.Fatalf("Service.Publish with a lost answer: %v", err)
	}
	if !l.lost {
		t.Fatal("the publish created nothing")
	}
	if l.creates != 1 {
		t.Fatalf("the adapter was asked to create %d times, want 1 (the retry must adopt the item found by key)", l.creates)
	}
	if rec.Status != publishing.RecordPublished || rec.RemoteID != l.first.RemoteID {
		t.Fatalf("record = %s remote %q, want published remote %q", rec.Status, rec.RemoteID, l.first.RemoteID)
	}
	got, found, err := f.FindByKey(ctx, rec.IdempotencyKey)
	if err != nil || !found || got.RemoteID != rec.RemoteID {
		t.Fatalf("FindByKey(record key) = %+v found %v err %v, want remote %q", got, found, err, rec.RemoteID)
	}
	it.RemoteID, it.IdempotencyKey = rec.RemoteID, rec.IdempotencyKey
	s.inspect(t, got, true, it)
}

func (s *suite) errorMapping(t *testing.T) {
	p := s.cfg.New(t)
	cases := []struct {
		name   string
		mutate func(*publishing.Item)
		want   igny8.Code
		field  string
	}{
		{"bad status", func(it *publishing.Item) { it.Status = "bogus" }, igny8.CodeInvalidArgument, "status"},
		{"no title", func(it *publishing.Item) { it.Title = " " }, igny8.CodeInvalidArgument, "title"},
		{"scheduled without time", func(it *publishing.Item) { it.Status = publishing.StatusScheduled }, igny8.CodeInvalidArgument, "scheduled_at"},
		{"update of a missing item", func(it *publishing.Item) { it.RemoteID = s.cfg.MissingRemoteID }, igny8.CodeNotFound, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			it := s.item("Errors")
			tc.mutate(&it)
			r, err := p.Publish(ctxT(t), it)
			if err == nil {
				_ = p.Unpublish(context.WithoutCancel(t.Context()), r)
				t.Fatalf("Publish succeeded (%+v), want %s", r, tc.want)
			}
			if got := igny8.CodeOf(err); got != tc.want {
				t.Fatalf("Publish error %v has code %s, want %s", err, got, tc.want)
			}
			if tc.field != "" && !strings.Contains(err.Error(), tc.field) {
				t.Fatalf("Publish error %q does not name the field %q", err, tc.field)
			}
		})
	}
	t.Run("canceled context", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		r, err := p.Publish(ctx, s.item("Canceled"))
		if err == nil {
			_ = p.Unpublish(context.WithoutCancel(t.Context()), r)
			t.Fatal("Publish with a canceled context succeeded")
		}
		if !errors.Is(err, context.Canceled) && igny8.CodeOf(err) != igny8.CodeUnavailable {
			t.Fatalf("Publish with a canceled context: %v, want context.Canceled or Unavailable", err)
		}
	})
	if s.cfg.Denied != nil {
		t.Run("refused credentials", func(t *testing.T) {
			r, err := s.cfg.Denied(t).Publish(ctxT(t), s.item("Denied"))
			if err == nil {
				_ = p.Unpublish(context.WithoutCancel(t.Context()), r)
				t.Fatal("Publish with refused credentials succeeded")
			}
			if !errors.Is(err, igny8.ErrPermissionDenied) {
				t.Fatalf("Publish with refused credentials: %v, want PermissionDenied", err)
			}
		})
	}
}

func (s *suite) concurrent(t *testing.T) {
	p := s.cfg.New(t)
	n := s.cfg.Concurrency
	items := make([]publishing.Item, n)
	receipts := make([]publishing.Receipt, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		items[i] = s.item(fmt.Sprintf("Concurrent%d", i))
		wg.Go(func() { receipts[i], errs[i] = p.Publish(ctxT(t), items[i]) })
	}
	wg.Wait()
	seen := map[string]int{}
	for i := range n {
		if errs[i] != nil {
			t.Errorf("publish %d: %v", i, errs[i])
			continue
		}
		r := receipts[i]
		t.Cleanup(func() { _ = p.Unpublish(context.WithoutCancel(t.Context()), r) })
		if j, dup := seen[r.RemoteID]; dup {
			t.Errorf("publishes %d and %d got the same remote id %q", j, i, r.RemoteID)
		}
		seen[r.RemoteID] = i
	}
	if t.Failed() {
		return
	}
	for i := range n {
		s.inspect(t, receipts[i], true, items[i])
	}
}
