package sqlstore_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/igny8/sdk/adapters/sqlstore"
	"github.com/igny8/sdk/adapters/sqlstore/sqlstoretest"
	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/publishing"
	"github.com/igny8/sdk/publishing/publishertest"
)

// withTenants creates the accounts and sites scopes name (the publishing
// tables refer to them).
func withTenants(t *testing.T, s *sqlstore.Store, scopes ...igny8.Scope) *sqlstore.Store {
	t.Helper()
	ctx := t.Context()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	plan := igny8.Plan{ID: "plan-publishing", Name: "publishing", CreatedAt: now, UpdatedAt: now}
	if err := s.CreatePlan(ctx, plan); err != nil {
		t.Fatal(err)
	}
	for _, sc := range scopes {
		if err := s.CreateAccount(ctx, igny8.Account{ID: sc.AccountID, Name: "acct " + sc.AccountID, PlanID: plan.ID, CreatedAt: now, UpdatedAt: now}); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateSite(ctx, sc.Account(), igny8.Site{ID: sc.SiteID, AccountID: sc.AccountID, Name: "site", Active: true, CreatedAt: now, UpdatedAt: now}); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func TestPublishingStoreConformanceSQLite(t *testing.T) {
	publishertest.RunStore(t, func(t *testing.T) publishing.Store {
		return withTenants(t, sqlstoretest.SQLite(t), publishertest.StoreScopes()...)
	})
}

func TestPublishingStoreConformancePostgres(t *testing.T) {
	sqlstoretest.PostgresDSN(t)
	publishertest.RunStore(t, func(t *testing.T) publishing.Store {
		return withTenants(t, sqlstoretest.Postgres(t), publishertest.StoreScopes()...)
	})
}

var pubScope = igny8.Scope{AccountID: "acct-pub", SiteID: "site-pub"}

const clearSecret = "Xq7v Lm2k Pz9w Rt4y Bn6c Hd3f" // an application password

func newPublishingService(t *testing.T, s *sqlstore.Store, remote *publishertest.Memory) (*publishing.Service, publishing.Destination) {
	t.Helper()
	keys, err := publishing.NewKeyring("2026-01", map[string][]byte{"2026-01": bytes.Repeat([]byte{42}, 32)})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := publishing.NewService(s, keys, map[string]publishing.Factory{
		"memory": func(_ context.Context, _ publishing.Destination, secret []byte) (publishing.Publisher, error) {
			if string(secret) != clearSecret {
				t.Errorf("factory got secret %q", secret)
			}
			return remote, nil
		},
	}, publishing.Options{Sleep: func(context.Context, time.Duration) error { return nil }})
	if err != nil {
		t.Fatal(err)
	}
	d, err := svc.RegisterDestination(t.Context(), pubScope, publishing.DestinationInput{
		Name: "blog", Kind: "memory", Settings: map[string]string{"url": "https://blog.example"}, Secret: []byte(clearSecret),
	})
	if err != nil {
		t.Fatal(err)
	}
	return svc, d
}

// TestDestinationSecretNeverInClear reads the raw destination row, and the
// SQLite database files themselves, and finds no clear credentials.
func TestDestinationSecretNeverInClear(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dump.db")
	s, err := sqlstore.Open(t.Context(), "sqlite:"+path, sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	withTenants(t, s, pubScope)
	svc, d := newPublishingService(t, s, publishertest.NewMemory())
	if _, err := svc.Publish(t.Context(), pubScope, d.ID, publishing.Item{ContentID: "c1", Version: 1, Title: "T", Status: publishing.StatusDraft}); err != nil {
		t.Fatal(err)
	}

	rows, err := s.DB().QueryContext(t.Context(), `SELECT * FROM publishing_destinations`)
	if err != nil {
		t.Fatal(err)
	}
	cols, _ := rows.Columns()
	n := 0
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for i, v := range vals {
			var b []byte
			switch x := v.(type) {
			case string:
				b = []byte(x)
			case []byte:
				b = x
			}
			if bytes.Contains(b, []byte("Xq7v")) || bytes.Contains(b, []byte("Lm2k")) {
				t.Errorf("column %s holds the secret in clear: %q", cols[i], b)
			}
			if cols[i] == "secret_key_id" && string(b) != "2026-01" {
				t.Errorf("secret_key_id = %q, want 2026-01", b)
			}
			if cols[i] == "secret" && len(b) < len(clearSecret)+12+16 {
				t.Errorf("secret column holds %d bytes, want nonce+ciphertext+tag", len(b))
			}
		}
		n++
	}
	rows.Close()
	if n != 1 {
		t.Fatalf("%d destination rows, want 1", n)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{path, path + "-wal"} {
		b, err := os.ReadFile(f)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte("Xq7v")) {
			t.Errorf("%s holds the secret in clear", filepath.Base(f))
		}
	}
}

func TestServiceOnSQL(t *testing.T) {
	for name, open := range map[string]func(t *testing.T) *sqlstore.Store{
		"SQLite":   func(t *testing.T) *sqlstore.Store { return sqlstoretest.SQLite(t) },
		"Postgres": func(t *testing.T) *sqlstore.Store { return sqlstoretest.Postgres(t) },
	} {
		t.Run(name, func(t *testing.T) {
			s := withTenants(t, open(t), pubScope)
			remote := publishertest.NewMemory()
			svc, d := newPublishingService(t, s, remote)
			ctx := t.Context()

			// Many concurrent publishes of one content: one create, the
			// record's revision check keeps the others out.
			var wg sync.WaitGroup
			errs := make([]error, 12)
			for i := range errs {
				wg.Go(func() {
					_, errs[i] = svc.Publish(ctx, pubScope, d.ID, publishing.Item{ContentID: "c1", Version: 1, Title: "One", Status: publishing.StatusPublish})
				})
			}
			wg.Wait()
			for _, err := range errs {
				if err != nil && !errors.Is(err, igny8.ErrConflict) {
					t.Errorf("concurrent publish: %v", err)
				}
			}
			if remote.Creates() != 1 {
				t.Fatalf("creates = %d, want 1", remote.Creates())
			}

			// An answer lost after the create: adopted, not created again;
			// the event is in the store's outbox with the record.
			remote.Inject = func(op string, it publishing.Item) publishertest.Fault {
				if op == "publish" && it.RemoteID == "" && it.ContentID == "c2" && remote.Creates() == 1 {
					return publishertest.Fault{Err: &publishing.RemoteError{Code: igny8.CodeUnavailable, Uncertain: true, Message: "reset"}, After: true}
				}
				return publishertest.Fault{}
			}
			rec, err := svc.Publish(ctx, pubScope, d.ID, publishing.Item{ContentID: "c2", Version: 3, Title: "Two", Status: publishing.StatusPublish})
			if err != nil {
				t.Fatal(err)
			}
			if remote.Creates() != 2 || rec.Status != publishing.RecordPublished || rec.PublishedVersion != 3 || rec.Attempts != 2 {
				t.Fatalf("record %+v, creates %d", rec, remote.Creates())
			}
			evs, err := s.ReadEvents(ctx, igny8.EventQuery{Consumer: "test", Scope: pubScope, Types: []igny8.EventType{igny8.EventContentPublished}, Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			subjects := map[string]bool{}
			for _, ev := range evs {
				subjects[ev.Subject] = true
			}
			if len(evs) != 2 || !subjects["c1"] || !subjects["c2"] {
				t.Fatalf("content_published events = %+v, want one for c1 and one for c2", evs)
			}
			got, err := svc.Records(ctx, pubScope, publishing.RecordQuery{Status: publishing.RecordPublished})
			if err != nil || len(got) != 2 {
				t.Fatalf("published records = %d, %v", len(got), err)
			}
		})
	}
}
