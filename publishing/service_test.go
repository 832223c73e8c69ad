package publishing_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/publishing"
	"github.com/igny8/sdk/publishing/publishertest"
)

var scope = igny8.Scope{AccountID: "acct-1", SiteID: "site-1"}

type harness struct {
	svc    *publishing.Service
	store  *publishertest.MemoryStore
	remote *publishertest.Memory
	dest   publishing.Destination
	clock  *igny8.ManualClock

	mu     sync.Mutex
	sleeps []time.Duration
	finds  int
}

type opt func(*publishing.Options, *harness)

func newHarness(t *testing.T, pubOf func(h *harness) publishing.Publisher, opts ...opt) *harness {
	t.Helper()
	h := &harness{store: publishertest.NewMemoryStore(), remote: publishertest.NewMemory(),
		clock: igny8.NewManualClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))}
	keys, err := publishing.NewKeyring("k1", map[string][]byte{"k1": bytes.Repeat([]byte{1}, 32)})
	if err != nil {
		t.Fatal(err)
	}
	o := publishing.Options{
		Clock: h.clock, MaxAttempts: 4, BaseDelay: 100 * time.Millisecond, MaxDelay: time.Second,
		Sleep: func(_ context.Context, d time.Duration) error {
			h.mu.Lock()
			h.sleeps = append(h.sleeps, d)
			h.mu.Unlock()
			return nil
		},
	}
	for _, f := range opts {
		f(&o, h)
	}
	if pubOf == nil {
		pubOf = func(h *harness) publishing.Publisher { return h.remote }
	}
	h.svc, err = publishing.NewService(h.store, keys, map[string]publishing.Factory{
		"mem": func(context.Context, publishing.Destination, []byte) (publishing.Publisher, error) {
			return pubOf(h), nil
		},
	}, o)
	if err != nil {
		t.Fatal(err)
	}
	h.dest, err = h.svc.RegisterDestination(t.Context(), scope, publishing.DestinationInput{Name: "blog", Kind: "mem", Secret: []byte("s3cret-app-password")})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func item(content string, version int) publishing.Item {
	return publishing.Item{ContentID: content, Version: version, Title: "Title of " + content, HTML: "<p>v</p>", Status: publishing.StatusPublish}
}

func unavailable(uncertain bool, status int) error {
	return &publishing.RemoteError{Op: "test", Code: igny8.CodeUnavailable, Status: status, Uncertain: uncertain, Message: "remote trouble"}
}

// failN fails the first n calls of op with f.
func failN(n int, op string, f publishertest.Fault) func(string, publishing.Item) publishertest.Fault {
	var mu sync.Mutex
	return func(o string, _ publishing.Item) publishertest.Fault {
		mu.Lock()
		defer mu.Unlock()
		if o != op || n == 0 {
			return publishertest.Fault{}
		}
		n--
		return f
	}
}

func TestPublishRetries(t *testing.T) {
	cases := []struct {
		name        string
		inject      func(string, publishing.Item) publishertest.Fault
		noFinder    bool
		wantErr     igny8.Code
		wantStatus  publishing.RecordStatus
		wantCreates int
		wantLive    int
		wantAttempt int
		wantSleeps  int
		wantInError string
	}{
		{name: "answer lost after the create is adopted",
			inject:     failN(1, "publish", publishertest.Fault{Err: unavailable(true, 0), After: true}),
			wantStatus: publishing.RecordPublished, wantCreates: 1, wantLive: 1, wantAttempt: 2, wantSleeps: 1},
		{name: "answer of the create and of the update lost, still one item",
			inject:     failN(2, "publish", publishertest.Fault{Err: unavailable(true, 0), After: true}),
			wantStatus: publishing.RecordPublished, wantCreates: 1, wantLive: 1, wantAttempt: 3, wantSleeps: 2},
		{name: "5xx before the create retries and creates once",
			inject:     failN(2, "publish", publishertest.Fault{Err: unavailable(true, 502)}),
			wantStatus: publishing.RecordPublished, wantCreates: 1, wantLive: 1, wantAttempt: 3, wantSleeps: 2},
		{name: "429 is retried without a lookup",
			inject:     failN(1, "publish", publishertest.Fault{Err: unavailable(false, 429)}),
			wantStatus: publishing.RecordPublished, wantCreates: 1, wantLive: 1, wantAttempt: 2, wantSleeps: 1},
		{name: "refused input fails at once with the remote's message",
			inject:  failN(1, "publish", publishertest.Fault{Err: &publishing.RemoteError{Code: igny8.CodeInvalidArgument, Status: 400, Field: "status", Message: "Invalid parameter(s): status"}}),
			wantErr: igny8.CodeInvalidArgument, wantStatus: publishing.RecordFailed, wantAttempt: 1, wantInError: "Invalid parameter(s): status"},
		{name: "refused credentials fail at once",
			inject:  failN(1, "publish", publishertest.Fault{Err: &publishing.RemoteError{Code: igny8.CodePermissionDenied, Status: 401, Message: "You are not currently logged in."}}),
			wantErr: igny8.CodePermissionDenied, wantStatus: publishing.RecordFailed, wantAttempt: 1, wantInError: "You are not currently logged in."},
		{name: "transient failures exhaust the attempts",
			inject:  failN(100, "publish", publishertest.Fault{Err: unavailable(false, 503)}),
			wantErr: igny8.CodeUnavailable, wantStatus: publishing.RecordFailed, wantAttempt: 4, wantSleeps: 3, wantInError: "remote trouble"},
		{name: "without a finder an unclear create is not retried",
			inject:   failN(1, "publish", publishertest.Fault{Err: unavailable(true, 0), After: true}),
			noFinder: true, wantErr: igny8.CodeUnavailable, wantStatus: publishing.RecordFailed, wantCreates: 1, wantLive: 1, wantAttempt: 1,
			wantInError: "cannot look items up"},
		{name: "a failing lookup is retried",
			inject: func() func(string, publishing.Item) publishertest.Fault {
				pub := failN(1, "publish", publishertest.Fault{Err: unavailable(true, 0), After: true})
				find := failN(1, "find", publishertest.Fault{Err: unavailable(true, 500)})
				return func(op string, it publishing.Item) publishertest.Fault {
					if f := pub(op, it); f.Err != nil {
						return f
					}
					return find(op, it)
				}
			}(),
			wantStatus: publishing.RecordPublished, wantCreates: 1, wantLive: 1, wantAttempt: 2, wantSleeps: 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var pubOf func(h *harness) publishing.Publisher
			if tc.noFinder {
				pubOf = func(h *harness) publishing.Publisher { return struct{ publishing.Publisher }{h.remote} }
			}
			h := newHarness(t, pubOf)
			h.remote.Inject = tc.inject
			rec, err := h.svc.Publish(t.Context(), scope, h.dest.ID, item("c1", 1))
			if got := igny8.CodeOf(err); got != tc.wantErr {
				t.Fatalf("Publish error %v (code %q), want code %q", err, got, tc.wantErr)
			}
			if tc.wantInError != "" && !strings.Contains(err.Error(), tc.wantInError) {
				t.Errorf("error %q does not contain %q", err, tc.wantInError)
			}
			stored, gerr := h.svc.Record(t.Context(), scope, "c1", h.dest.ID)
			if gerr != nil {
				t.Fatal(gerr)
			}
			if stored.Status != tc.wantStatus || rec.Status != tc.wantStatus {
				t.Errorf("record status = %s (returned %s), want %s", stored.Status, rec.Status, tc.wantStatus)
			}
			if stored.Attempts != tc.wantAttempt {
				t.Errorf("attempts = %d, want %d", stored.Attempts, tc.wantAttempt)
			}
			if tc.wantInError != "" && !strings.Contains(stored.LastError, tc.wantInError) {
				t.Errorf("last error %q does not contain %q", stored.LastError, tc.wantInError)
			}
			if got := h.remote.Creates(); got != tc.wantCreates {
				t.Errorf("creates at the remote = %d, want %d", got, tc.wantCreates)
			}
			if got := h.remote.Len(); got != tc.wantLive {
				t.Errorf("live remote items = %d, want %d", got, tc.wantLive)
			}
			if len(h.sleeps) != tc.wantSleeps {
				t.Errorf("sleeps = %v, want %d", h.sleeps, tc.wantSleeps)
			}
			if tc.wantStatus == publishing.RecordPublished {
				if _, ok := h.remote.Get(stored.RemoteID); !ok || stored.PublishedVersion != 1 || stored.URL == "" {
					t.Errorf("published record %+v does not name a live remote item", stored)
				}
			}
		})
	}
}

func TestBackoffGrowsWithJitterAndHonoursRetryAfter(t *testing.T) {
	h := newHarness(t, nil, func(o *publishing.Options, _ *harness) { o.MaxAttempts = 6 })
	h.remote.Inject = failN(100, "publish", publishertest.Fault{Err: unavailable(false, 503)})
	_, err := h.svc.Publish(t.Context(), scope, h.dest.ID, item("c1", 1))
	if !errors.Is(err, igny8.ErrUnavailable) {
		t.Fatalf("err = %v", err)
	}
	// BaseDelay 100ms doubling, MaxDelay 1s; each wait in the upper half.
	bounds := [][2]time.Duration{{50, 100}, {100, 200}, {200, 400}, {400, 800}, {500, 1000}}
	if len(h.sleeps) != len(bounds) {
		t.Fatalf("sleeps = %v, want %d", h.sleeps, len(bounds))
	}
	for i, b := range bounds {
		lo, hi := b[0]*time.Millisecond, b[1]*time.Millisecond
		if h.sleeps[i] < lo || h.sleeps[i] > hi {
			t.Errorf("sleep %d = %s, want within [%s, %s]", i, h.sleeps[i], lo, hi)
		}
	}

	h2 := newHarness(t, nil)
	h2.remote.Inject = failN(1, "publish", publishertest.Fault{Err: &publishing.RemoteError{Code: igny8.CodeUnavailable, Status: 429, RetryAfter: 700 * time.Millisecond}})
	if _, err := h2.svc.Publish(t.Context(), scope, h2.dest.ID, item("c1", 1)); err != nil {
		t.Fatal(err)
	}
	if len(h2.sleeps) != 1 || h2.sleeps[0] != 700*time.Millisecond {
		t.Fatalf("sleeps = %v, want the remote's Retry-After of 700ms", h2.sleeps)
	}
}

func TestRepublishUpdatesAndRecordsVersion(t *testing.T) {
	h := newHarness(t, nil)
	ctx := t.Context()
	r1, err := h.svc.Publish(ctx, scope, h.dest.ID, item("c1", 1))
	if err != nil {
		t.Fatal(err)
	}
	same, err := h.svc.Publish(ctx, scope, h.dest.ID, item("c1", 1))
	if err != nil || same.Revision != r1.Revision {
		t.Fatalf("republishing the live version changed the record: %+v, %v", same, err)
	}
	v2 := item("c1", 2)
	v2.Title = "New title"
	r2, err := h.svc.Publish(ctx, scope, h.dest.ID, v2)
	if err != nil {
		t.Fatal(err)
	}
	if r2.RemoteID != r1.RemoteID || r2.PublishedVersion != 2 || r2.Version != 2 {
		t.Fatalf("republish: %+v, want remote %s at version 2", r2, r1.RemoteID)
	}
	if live, _ := h.remote.Get(r1.RemoteID); live.Title != "New title" || h.remote.Creates() != 1 {
		t.Fatalf("remote = %+v, creates %d", live, h.remote.Creates())
	}
	evs := h.store.Events()
	if len(evs) != 2 {
		t.Fatalf("events = %d, want 2 content_published", len(evs))
	}
	for i, ev := range evs {
		if ev.Type != igny8.EventContentPublished || ev.Subject != "c1" || ev.Scope != scope ||
			!strings.Contains(string(ev.Payload), `"remote_id":"`+r1.RemoteID+`"`) {
			t.Errorf("event %d = %+v %s", i, ev, ev.Payload)
		}
	}
	if !strings.Contains(string(evs[1].Payload), `"version":2`) {
		t.Errorf("second event payload %s lacks version 2", evs[1].Payload)
	}
}

func TestRemoteItemDeletedIsCreatedAgain(t *testing.T) {
	h := newHarness(t, nil)
	r1, err := h.svc.Publish(t.Context(), scope, h.dest.ID, item("c1", 1))
	if err != nil {
		t.Fatal(err)
	}
	if err := h.remote.Unpublish(t.Context(), publishing.Receipt{RemoteID: r1.RemoteID}); err != nil {
		t.Fatal(err)
	}
	r2, err := h.svc.Publish(t.Context(), scope, h.dest.ID, item("c1", 2))
	if err != nil {
		t.Fatal(err)
	}
	if r2.RemoteID == r1.RemoteID || r2.IdempotencyKey == r1.IdempotencyKey || h.remote.Len() != 1 {
		t.Fatalf("after the remote item was deleted: %+v (was %+v), live %d", r2, r1, h.remote.Len())
	}
}

func TestUnpublishThenPublishCreatesANewItem(t *testing.T) {
	h := newHarness(t, nil)
	ctx := t.Context()
	r1, err := h.svc.Publish(ctx, scope, h.dest.ID, item("c1", 1))
	if err != nil {
		t.Fatal(err)
	}
	u, err := h.svc.Unpublish(ctx, scope, h.dest.ID, "c1")
	if err != nil {
		t.Fatal(err)
	}
	if u.Status != publishing.RecordUnpublished || u.RemoteID != "" || h.remote.Len() != 0 {
		t.Fatalf("after Unpublish: %+v, live %d", u, h.remote.Len())
	}
	if again, err := h.svc.Unpublish(ctx, scope, h.dest.ID, "c1"); err != nil || again.Status != publishing.RecordUnpublished {
		t.Fatalf("second Unpublish: %+v, %v", again, err)
	}
	r2, err := h.svc.Publish(ctx, scope, h.dest.ID, item("c1", 1))
	if err != nil {
		t.Fatal(err)
	}
	if r2.RemoteID == r1.RemoteID || r2.IdempotencyKey == r1.IdempotencyKey || h.remote.Creates() != 2 {
		t.Fatalf("publish after unpublish: %+v (first %+v), creates %d", r2, r1, h.remote.Creates())
	}
}

func TestConcurrentPublishesOfOneContentCreateOnce(t *testing.T) {
	h := newHarness(t, nil)
	var wg sync.WaitGroup
	errs := make([]error, 20)
	for i := range errs {
		wg.Go(func() { _, errs[i] = h.svc.Publish(t.Context(), scope, h.dest.ID, item("c1", 1)) })
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, igny8.ErrConflict):
			t.Errorf("unexpected error %v", err)
		}
	}
	if ok == 0 || h.remote.Creates() != 1 {
		t.Fatalf("%d succeeded, %d creates at the remote; want at least one success and exactly one create", ok, h.remote.Creates())
	}
}

func TestCrashedPublishIsTakenOverAfterTheLease(t *testing.T) {
	h := newHarness(t, nil)
	ctx := t.Context()
	// A publish whose process died after the remote create: the remote has
	// the item under the record's key, the record says publishing.
	crash := errors.New("process died")
	h.remote.Inject = failN(1, "publish", publishertest.Fault{Err: crash, After: true})
	_, _ = h.svc.Publish(ctx, scope, h.dest.ID, item("c1", 1))
	h.remote.Inject = nil
	rec, _ := h.svc.Record(ctx, scope, "c1", h.dest.ID)
	rec.Status, rec.Revision = publishing.RecordPublishing, rec.Revision+1
	if err := h.store.UpdatePublishRecord(ctx, scope, rec); err != nil {
		t.Fatal(err)
	}
	if _, err := h.svc.Publish(ctx, scope, h.dest.ID, item("c1", 1)); !errors.Is(err, igny8.ErrConflict) {
		t.Fatalf("publish within the lease: %v, want Conflict", err)
	}
	h.clock.Advance(publishing.DefaultLease + time.Second)
	got, err := h.svc.Publish(ctx, scope, h.dest.ID, item("c1", 1))
	if err != nil {
		t.Fatal(err)
	}
	if h.remote.Creates() != 1 || got.Status != publishing.RecordPublished || got.RemoteID == "" {
		t.Fatalf("takeover: %+v, creates %d; want the earlier item adopted", got, h.remote.Creates())
	}
}

func TestSecretsAreSealedAndRotate(t *testing.T) {
	h := newHarness(t, nil)
	ctx := t.Context()
	raw, err := h.store.GetDestination(ctx, scope, h.dest.ID)
	if err != nil {
		t.Fatal(err)
	}
	if raw.Secret.KeyID != "k1" || bytes.Contains(raw.Secret.Ciphertext, []byte("s3cret")) || len(raw.Secret.Ciphertext) < 12+16 {
		t.Fatalf("stored secret = %+v, want it sealed with k1", raw.Secret)
	}
	k1 := bytes.Repeat([]byte{1}, 32)
	k2 := bytes.Repeat([]byte{2}, 32)
	ring, err := publishing.NewKeyring("k2", map[string][]byte{"k1": k1, "k2": k2})
	if err != nil {
		t.Fatal(err)
	}
	var seen []byte
	svc, err := publishing.NewService(h.store, ring, map[string]publishing.Factory{
		"mem": func(_ context.Context, _ publishing.Destination, secret []byte) (publishing.Publisher, error) {
			seen = secret
			return h.remote, nil
		},
	}, publishing.Options{})
	if err != nil {
		t.Fatal(err)
	}
	n, err := svc.RotateSecrets(ctx, scope)
	if err != nil || n != 1 {
		t.Fatalf("RotateSecrets = %d, %v; want 1", n, err)
	}
	raw, _ = h.store.GetDestination(ctx, scope, h.dest.ID)
	if raw.Secret.KeyID != "k2" {
		t.Fatalf("after rotation key id = %q, want k2", raw.Secret.KeyID)
	}
	// Only the new key is needed now.
	only2, _ := publishing.NewKeyring("k2", map[string][]byte{"k2": k2})
	svc2, _ := publishing.NewService(h.store, only2, map[string]publishing.Factory{
		"mem": func(_ context.Context, _ publishing.Destination, secret []byte) (publishing.Publisher, error) {
			seen = secret
			return h.remote, nil
		},
	}, publishing.Options{})
	if _, err := svc2.Publish(ctx, scope, h.dest.ID, item("c9", 1)); err != nil {
		t.Fatal(err)
	}
	if string(seen) != "s3cret-app-password" {
		t.Fatalf("factory got secret %q", seen)
	}
	// A sealed value moved to another destination does not open.
	if _, err := only2.Open(raw.Secret, []byte("other aad")); err == nil {
		t.Fatal("a secret opened with the wrong additional data")
	}
	tampered := raw.Secret
	tampered.Ciphertext = bytes.Clone(tampered.Ciphertext)
	tampered.Ciphertext[len(tampered.Ciphertext)-1] ^= 1
	if _, err := only2.Open(tampered, nil); err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Fatalf("tampered secret: %v", err)
	}
}

func TestKeyringValidation(t *testing.T) {
	cases := []struct {
		name    string
		primary string
		keys    map[string][]byte
		field   string
	}{
		{"no primary", "", map[string][]byte{"a": make([]byte, 32)}, "primary"},
		{"primary missing", "b", map[string][]byte{"a": make([]byte, 32)}, "primary"},
		{"short key", "a", map[string][]byte{"a": make([]byte, 16)}, "keys.a"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := publishing.NewKeyring(tc.primary, tc.keys)
			var e *igny8.Error
			if !errors.As(err, &e) || e.Code != igny8.CodeInvalidArgument || e.Field != tc.field {
				t.Fatalf("err = %v, want InvalidArgument on %s", err, tc.field)
			}
		})
	}
}

type checking struct {
	publishing.Publisher
	err error
}

func (c checking) Check(context.Context) error { return c.err }

func TestRegisterDestinationChecksCredentials(t *testing.T) {
	denied := &publishing.RemoteError{Code: igny8.CodePermissionDenied, Status: 401, Message: "You are not currently logged in."}
	h := newHarness(t, func(h *harness) publishing.Publisher { return checking{h.remote, denied} }, func(o *publishing.Options, _ *harness) { o.SkipCheck = true })
	keys, _ := publishing.NewKeyring("k", map[string][]byte{"k": make([]byte, 32)})
	svc, _ := publishing.NewService(h.store, keys, map[string]publishing.Factory{
		"mem": func(context.Context, publishing.Destination, []byte) (publishing.Publisher, error) {
			return checking{h.remote, denied}, nil
		},
	}, publishing.Options{})
	_, err := svc.RegisterDestination(t.Context(), scope, publishing.DestinationInput{Name: "second", Kind: "mem"})
	if !errors.Is(err, igny8.ErrPermissionDenied) || !strings.Contains(err.Error(), "not currently logged in") {
		t.Fatalf("err = %v, want PermissionDenied with the remote's message", err)
	}
	list, _ := svc.Destinations(t.Context(), scope, igny8.PageRequest{})
	if len(list) != 1 {
		t.Fatalf("destinations = %d, want only the first", len(list))
	}
}

func TestPublishValidation(t *testing.T) {
	h := newHarness(t, nil)
	cases := []struct {
		name  string
		scope igny8.Scope
		dest  string
		item  publishing.Item
		field string
	}{
		{"no site", igny8.Scope{AccountID: "acct-1"}, h.dest.ID, item("c", 1), "scope.site_id"},
		{"no destination", scope, "", item("c", 1), "destination_id"},
		{"no content", scope, h.dest.ID, item("", 1), "content_id"},
		{"version 0", scope, h.dest.ID, item("c", 0), "version"},
		{"bad slug", scope, h.dest.ID, func() publishing.Item { it := item("c", 1); it.Slug = "Not A Slug"; return it }(), "slug"},
		{"other tenant's item", scope, h.dest.ID, func() publishing.Item {
			it := item("c", 1)
			it.Scope = igny8.Scope{AccountID: "acct-2", SiteID: "site-1"}
			return it
		}(), "item.scope"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := h.svc.Publish(t.Context(), tc.scope, tc.dest, tc.item)
			var e *igny8.Error
			if !errors.As(err, &e) || e.Code != igny8.CodeInvalidArgument || e.Field != tc.field {
				t.Fatalf("err = %v, want InvalidArgument on %s", err, tc.field)
			}
		})
	}
	other := igny8.Scope{AccountID: "acct-2", SiteID: "site-2"}
	if _, err := h.svc.Publish(t.Context(), other, h.dest.ID, item("c", 1)); !errors.Is(err, igny8.ErrNotFound) {
		t.Fatalf("publishing to another tenant's destination: %v, want NotFound", err)
	}
	if _, err := h.svc.SetDestinationActive(t.Context(), scope, h.dest.ID, false); err != nil {
		t.Fatal(err)
	}
	if _, err := h.svc.Publish(t.Context(), scope, h.dest.ID, item("c", 1)); !errors.Is(err, igny8.ErrInvalidArgument) {
		t.Fatalf("publishing to an inactive destination: %v, want InvalidArgument", err)
	}
}
