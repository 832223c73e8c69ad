package publishertest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/publishing"
)

// RunStore runs the conformance suite of publishing.Store against the
// store newStore returns: destinations and records in their scope,
// uniqueness, the revision check of UpdatePublishRecord, listing, and
// transactions that roll back.
func RunStore(t *testing.T, newStore func(t *testing.T) publishing.Store) {
	t.Helper()
	t.Run("Destinations", func(t *testing.T) { storeDestinations(t, newStore(t)) })
	t.Run("Records", func(t *testing.T) { storeRecords(t, newStore(t)) })
	t.Run("Rollback", func(t *testing.T) { storeRollback(t, newStore(t)) })
}

// Tenants the store suite writes. A store that checks foreign keys needs
// them to exist: StoreScopes returns them so the caller can create them.
var (
	storeScopeA = igny8.Scope{AccountID: "01900000-0000-7000-8000-00000000000a", SiteID: "01900000-0000-7000-8000-0000000000a1"}
	storeScopeB = igny8.Scope{AccountID: "01900000-0000-7000-8000-00000000000b", SiteID: "01900000-0000-7000-8000-0000000000b1"}
)

// StoreScopes returns the two tenants (account and site) RunStore writes
// to, for stores whose schema needs the accounts and sites to exist.
func StoreScopes() []igny8.Scope { return []igny8.Scope{storeScopeA, storeScopeB} }

func ts(n int) time.Time { return time.Date(2026, 1, 2, 3, 4, n, 0, time.UTC) }

func mustCode(t *testing.T, what string, err error, want igny8.Code) {
	t.Helper()
	if got := igny8.CodeOf(err); got != want {
		t.Fatalf("%s: error %v has code %q, want %q", what, err, got, want)
	}
}

func dest(id, name string) publishing.Destination {
	return publishing.Destination{
		ID: id, Name: name, Kind: "wordpress", Settings: map[string]string{"url": "http://127.0.0.1:1", "user": "admin"},
		Secret: publishing.SealedSecret{KeyID: "k1", Ciphertext: []byte{1, 2, 3, 4, 5}}, Active: true,
		CreatedAt: ts(1), UpdatedAt: ts(1),
	}
}

func storeDestinations(t *testing.T, st publishing.Store) {
	ctx := t.Context()
	a, b := storeScopeA, storeScopeB
	d1 := dest("01900000-0000-7000-8000-000000000d01", "blog")
	if err := st.CreateDestination(ctx, a, d1); err != nil {
		t.Fatalf("CreateDestination: %v", err)
	}
	got, err := st.GetDestination(ctx, a, d1.ID)
	if err != nil {
		t.Fatalf("GetDestination: %v", err)
	}
	if got.Name != "blog" || got.Kind != "wordpress" || got.Settings["url"] != d1.Settings["url"] ||
		got.Secret.KeyID != "k1" || string(got.Secret.Ciphertext) != string(d1.Secret.Ciphertext) ||
		!got.Active || got.AccountID != a.AccountID || got.SiteID != a.SiteID || !got.CreatedAt.Equal(d1.CreatedAt) {
		t.Fatalf("GetDestination = %+v, want %+v in %s", got, d1, a)
	}
	_, err = st.GetDestination(ctx, b, d1.ID)
	mustCode(t, "GetDestination from another tenant", err, igny8.CodeNotFound)
	err = st.CreateDestination(ctx, a, dest("01900000-0000-7000-8000-000000000d02", "blog"))
	mustCode(t, "CreateDestination with a taken name", err, igny8.CodeConflict)
	if err := st.CreateDestination(ctx, b, dest("01900000-0000-7000-8000-000000000d03", "blog")); err != nil {
		t.Fatalf("the same name in another site must be allowed: %v", err)
	}
	if err := st.CreateDestination(ctx, a, dest("01900000-0000-7000-8000-000000000d04", "shop")); err != nil {
		t.Fatal(err)
	}
	list, err := st.ListDestinations(ctx, a, igny8.PageRequest{Limit: 1})
	if err != nil || len(list) != 1 || list[0].ID != d1.ID {
		t.Fatalf("ListDestinations page 1 = %v, %v; want [%s]", ids(list), err, d1.ID)
	}
	list, err = st.ListDestinations(ctx, a, igny8.PageRequest{After: list[0].ID})
	if err != nil || len(list) != 1 || list[0].Name != "shop" {
		t.Fatalf("ListDestinations page 2 = %v, %v; want [shop]", ids(list), err)
	}

	d1.Name, d1.Active, d1.UpdatedAt = "blog2", false, ts(9)
	d1.Settings = map[string]string{"url": "http://127.0.0.1:2"}
	d1.Secret = publishing.SealedSecret{KeyID: "k2", Ciphertext: []byte{9, 9}}
	if err := st.UpdateDestination(ctx, a, d1); err != nil {
		t.Fatalf("UpdateDestination: %v", err)
	}
	got, _ = st.GetDestination(ctx, a, d1.ID)
	if got.Name != "blog2" || got.Active || got.Settings["url"] != "http://127.0.0.1:2" || got.Secret.KeyID != "k2" || !got.UpdatedAt.Equal(ts(9)) {
		t.Fatalf("after UpdateDestination: %+v", got)
	}
	mustCode(t, "UpdateDestination from another tenant", st.UpdateDestination(ctx, b, d1), igny8.CodeNotFound)
	mustCode(t, "DeleteDestination from another tenant", st.DeleteDestination(ctx, b, d1.ID), igny8.CodeNotFound)
	if err := st.DeleteDestination(ctx, a, d1.ID); err != nil {
		t.Fatalf("DeleteDestination: %v", err)
	}
	_, err = st.GetDestination(ctx, a, d1.ID)
	mustCode(t, "GetDestination after delete", err, igny8.CodeNotFound)
}

func ids(ds []publishing.Destination) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.ID
	}
	return out
}

func record(id, content, dest string) publishing.Record {
	return publishing.Record{
		ID: id, ContentID: content, DestinationID: dest, Status: publishing.RecordPublishing,
		IdempotencyKey: "key-" + id, Version: 1, Revision: 1, CreatedAt: ts(1), UpdatedAt: ts(1),
	}
}

func storeRecords(t *testing.T, st publishing.Store) {
	ctx := t.Context()
	a, b := storeScopeA, storeScopeB
	d := dest("01900000-0000-7000-8000-000000000e01", "blog")
	if err := st.CreateDestination(ctx, a, d); err != nil {
		t.Fatal(err)
	}
	r1 := record("01900000-0000-7000-8000-000000000f01", "content-1", d.ID)
	if err := st.CreatePublishRecord(ctx, a, r1); err != nil {
		t.Fatalf("CreatePublishRecord: %v", err)
	}
	err := st.CreatePublishRecord(ctx, a, record("01900000-0000-7000-8000-000000000f02", "content-1", d.ID))
	mustCode(t, "a second record for the same content and destination", err, igny8.CodeConflict)
	if err := st.CreatePublishRecord(ctx, a, record("01900000-0000-7000-8000-000000000f03", "content-2", d.ID)); err != nil {
		t.Fatal(err)
	}
	got, err := st.GetPublishRecord(ctx, a, "content-1", d.ID)
	if err != nil || got.ID != r1.ID || got.Status != publishing.RecordPublishing || got.IdempotencyKey != r1.IdempotencyKey || got.Revision != 1 {
		t.Fatalf("GetPublishRecord = %+v, %v", got, err)
	}
	_, err = st.GetPublishRecord(ctx, b, "content-1", d.ID)
	mustCode(t, "GetPublishRecord from another tenant", err, igny8.CodeNotFound)

	up := got
	up.Status, up.RemoteID, up.RemoteKind, up.URL = publishing.RecordPublished, "42", "posts", "http://example.test/a/"
	up.PublishedVersion, up.Attempts, up.LastError, up.PublishedAt, up.UpdatedAt = 1, 2, "earlier failure", ts(5), ts(5)
	up.Revision = 2
	if err := st.UpdatePublishRecord(ctx, a, up); err != nil {
		t.Fatalf("UpdatePublishRecord: %v", err)
	}
	got, _ = st.GetPublishRecord(ctx, a, "content-1", d.ID)
	if got.Status != publishing.RecordPublished || got.RemoteID != "42" || got.RemoteKind != "posts" || got.URL != up.URL ||
		got.PublishedVersion != 1 || got.Attempts != 2 || got.LastError != "earlier failure" || !got.PublishedAt.Equal(ts(5)) || got.Revision != 2 {
		t.Fatalf("after UpdatePublishRecord: %+v", got)
	}
	stale := up // revision 2 again: the store holds 2, so 1 is expected before it
	mustCode(t, "UpdatePublishRecord with a stale revision", st.UpdatePublishRecord(ctx, a, stale), igny8.CodeConflict)
	up.Revision = 3
	mustCode(t, "UpdatePublishRecord from another tenant", st.UpdatePublishRecord(ctx, b, up), igny8.CodeNotFound)

	all, err := st.ListPublishRecords(ctx, a, publishing.RecordQuery{})
	if err != nil || len(all) != 2 {
		t.Fatalf("ListPublishRecords = %d records, %v; want 2", len(all), err)
	}
	pub, err := st.ListPublishRecords(ctx, a, publishing.RecordQuery{Status: publishing.RecordPublished})
	if err != nil || len(pub) != 1 || pub[0].ID != r1.ID {
		t.Fatalf("ListPublishRecords(published) = %v, %v", pub, err)
	}
	byContent, err := st.ListPublishRecords(ctx, a, publishing.RecordQuery{ContentID: "content-2", DestinationID: d.ID})
	if err != nil || len(byContent) != 1 || byContent[0].ContentID != "content-2" {
		t.Fatalf("ListPublishRecords(content-2) = %v, %v", byContent, err)
	}
	page, err := st.ListPublishRecords(ctx, a, publishing.RecordQuery{Page: igny8.PageRequest{Limit: 1, After: r1.ID}})
	if err != nil || len(page) != 1 || page[0].ContentID != "content-2" {
		t.Fatalf("ListPublishRecords(after %s) = %v, %v", r1.ID, page, err)
	}
	other, err := st.ListPublishRecords(ctx, b, publishing.RecordQuery{})
	if err != nil || len(other) != 0 {
		t.Fatalf("ListPublishRecords of another tenant = %v, %v; want none", other, err)
	}
	if err := st.DeleteDestination(ctx, a, d.ID); err != nil {
		t.Fatal(err)
	}
	_, err = st.GetPublishRecord(ctx, a, "content-1", d.ID)
	mustCode(t, "GetPublishRecord after its destination was deleted", err, igny8.CodeNotFound)
}

func storeRollback(t *testing.T, st publishing.Store) {
	ctx := t.Context()
	a := storeScopeA
	d := dest("01900000-0000-7000-8000-000000000e02", "rollback")
	if err := st.CreateDestination(ctx, a, d); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := st.InTx(ctx, func(ctx context.Context) error {
		if err := st.CreatePublishRecord(ctx, a, record("01900000-0000-7000-8000-000000000f11", "content-rb", d.ID)); err != nil {
			return err
		}
		ev := igny8.Event{ID: "01900000-0000-7000-8000-000000000a11", Type: igny8.EventContentPublished, Scope: a, Subject: "content-rb", CreatedAt: ts(1)}
		out, err := st.AppendEvents(ctx, ev)
		if err != nil {
			return fmt.Errorf("AppendEvents in a transaction: %w", err)
		}
		if len(out) != 1 || out[0].Seq <= 0 {
			return fmt.Errorf("AppendEvents returned %+v, want one event with a Seq", out)
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("InTx returned %v, want the function's error", err)
	}
	_, err = st.GetPublishRecord(ctx, a, "content-rb", d.ID)
	mustCode(t, "GetPublishRecord after a rolled back create", err, igny8.CodeNotFound)
}
