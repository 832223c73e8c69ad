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

func TestMemStore(t *testing.T) {
	ctx := context.Background()
	s := NewMemStore()
	site1 := igny8.Scope{AccountID: "acc", SiteID: "s1"}
	site2 := igny8.Scope{AccountID: "acc", SiteID: "s2"}
	other := igny8.Scope{AccountID: "other", SiteID: "s1"}
	links := []Link{{ID: "a", SourceID: "p1", TargetID: "p2"}, {ID: "b", SourceID: "p1", TargetID: "p3"}, {ID: "c", SourceID: "p2", TargetID: "p3"}}
	if err := s.SaveLinks(ctx, site1, links); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		scope igny8.Scope
		q     LinkQuery
		want  string
	}{
		{"all", site1, LinkQuery{}, "a,b,c"},
		{"by source", site1, LinkQuery{SourceID: "p1"}, "a,b"},
		{"by target", site1, LinkQuery{TargetID: "p3"}, "b,c"},
		{"page", site1, LinkQuery{Page: igny8.PageRequest{After: "a", Limit: 1}}, "b"},
		{"other site", site2, LinkQuery{}, ""},
		{"other account", other, LinkQuery{}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.ListLinks(ctx, tc.scope, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			ids := make([]string, len(got))
			for i, l := range got {
				ids[i] = l.ID
			}
			if strings.Join(ids, ",") != tc.want {
				t.Fatalf("got %v, want %s", ids, tc.want)
			}
		})
	}
	if err := s.SaveLinks(ctx, site1, []Link{{ID: "d"}, {ID: "a"}}); !errors.Is(err, igny8.ErrConflict) {
		t.Fatalf("duplicate: %v", err)
	}
	if got, _ := s.ListLinks(ctx, site1, LinkQuery{}); len(got) != 3 {
		t.Fatalf("a failed save wrote %d links", len(got))
	}
	if err := s.DeleteLinks(ctx, other, "a"); !errors.Is(err, igny8.ErrNotFound) {
		t.Fatalf("delete from another tenant: %v", err)
	}
	if err := s.DeleteLinks(ctx, site1, "a", "zzz"); !errors.Is(err, igny8.ErrNotFound) {
		t.Fatalf("delete of unknown: %v", err)
	}
	if err := s.DeleteLinks(ctx, site1, "a"); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveLinks(ctx, igny8.Scope{AccountID: "acc"}, nil); !errors.Is(err, igny8.ErrInvalidArgument) {
		t.Fatalf("scope without site: %v", err)
	}
	if err := s.SaveLinks(ctx, site1, []Link{{}}); !errors.Is(err, igny8.ErrInvalidArgument) || !strings.Contains(err.Error(), "links[0].id") {
		t.Fatalf("link without id: %v", err)
	}
}

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
