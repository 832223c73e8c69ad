package linking

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/igny8/sdk/igny8"
)

type recordedEvents struct {
	mu     sync.Mutex
	events []igny8.Event
	fail   error
}

func (r *recordedEvents) Emit(ctx context.Context, scope igny8.Scope, typ igny8.EventType, subject string, payload any) (igny8.Event, error) {
	if r.fail != nil {
		return igny8.Event{}, r.fail
	}
	raw, _ := json.Marshal(payload)
	ev := igny8.Event{Type: typ, Scope: scope, Subject: subject, Payload: raw}
	r.mu.Lock()
	r.events = append(r.events, ev)
	r.mu.Unlock()
	return ev, nil
}

func TestLinker(t *testing.T) {
	ctx := context.Background()
	scope := igny8.Scope{AccountID: "acc", SiteID: "s1"}
	x := site(t, nil)
	store := NewMemStore()
	ev := &recordedEvents{}
	clock := igny8.NewManualClock(time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC))
	l, err := NewLinker(x, store, LinkerOptions{Events: ev, Clock: clock, IDs: &seqIDs{}, Verify: true})
	if err != nil {
		t.Fatal(err)
	}
	page := Page{ID: "src", URL: "/src", HTML: "<p>Use seo tools.</p><p>" + filler(600) + "</p><p>Do keyword research.</p>"}
	res, err := l.Link(ctx, scope, page)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Links) != 2 || !strings.Contains(res.HTML, `data-igny8-link="l1"`) {
		t.Fatalf("result %+v", res.Links)
	}
	saved, _ := store.ListLinks(ctx, scope, LinkQuery{SourceID: "src"})
	if len(saved) != 2 || saved[0].CreatedAt != clock.Now() {
		t.Fatalf("saved %+v", saved)
	}
	if len(ev.events) != 1 || ev.events[0].Type != igny8.EventContentLinked || ev.events[0].Subject != "src" ||
		!strings.Contains(string(ev.events[0].Payload), `"links":2`) {
		t.Fatalf("events %+v", ev.events)
	}
	back, err := l.Unlink(ctx, scope, res.HTML, "l1")
	if err != nil || strings.Contains(back, `"l1"`) {
		t.Fatalf("Unlink: %v", err)
	}
	if saved, _ := store.ListLinks(ctx, scope, LinkQuery{}); len(saved) != 1 {
		t.Fatalf("after unlink %d records", len(saved))
	}
	if _, err := l.Link(ctx, igny8.Scope{AccountID: "acc"}, page); !errors.Is(err, igny8.ErrInvalidArgument) {
		t.Fatalf("scope without site: %v", err)
	}
	ev.fail = igny8.Errorf(igny8.CodeUnavailable, "test", "outbox down")
	if _, err := l.Link(ctx, scope, page); !errors.Is(err, igny8.ErrUnavailable) {
		t.Fatalf("event failure: %v", err)
	}
	if _, err := NewLinker(nil, store, LinkerOptions{}); !errors.Is(err, igny8.ErrInvalidArgument) {
		t.Fatalf("nil index: %v", err)
	}
}
