// Package linktest is the conformance suite of linking.Store: every store
// of link records (linking.MemStore, adapters/sqlstore, a host's own) runs
// the same assertions.
//
//	func TestConformance(t *testing.T) {
//		linktest.Run(t, func(t *testing.T) linking.Store { return newStore(t) })
//	}
package linktest

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/linking"
)

// Run runs the suite. newStore returns an empty store for each subtest;
// it may register cleanups with t.Cleanup.
func Run(t *testing.T, newStore func(t *testing.T) linking.Store) {
	t.Helper()
	ctx := context.Background()
	site1 := igny8.Scope{AccountID: "acc-1", SiteID: "site-1"}
	site2 := igny8.Scope{AccountID: "acc-1", SiteID: "site-2"}
	other := igny8.Scope{AccountID: "acc-2", SiteID: "site-1"}
	at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	records := []linking.Link{
		{ID: "0190a000-0000-7000-8000-000000000001", SourceID: "p1", TargetID: "p2", TargetURL: "/p2", Anchor: "two", Offset: 10, Type: linking.LinkContextual, Score: 0.5, CreatedAt: at},
		{ID: "0190a000-0000-7000-8000-000000000002", SourceID: "p1", TargetID: "p3", TargetURL: "/p3", Anchor: "three", Offset: 90, Type: linking.LinkToPillar, Score: 0.75, CreatedAt: at},
		{ID: "0190a000-0000-7000-8000-000000000003", SourceID: "p2", TargetID: "p3", TargetURL: "/p3", Anchor: "three again", Offset: 5, Type: linking.LinkToMember, Score: 0.25, CreatedAt: at},
	}
	seed := func(t *testing.T) linking.Store {
		t.Helper()
		s := newStore(t)
		if err := s.SaveLinks(ctx, site1, records); err != nil {
			t.Fatalf("SaveLinks: %v", err)
		}
		return s
	}
	ids := func(ls []linking.Link) string {
		out := make([]string, len(ls))
		for i, l := range ls {
			out[i] = l.ID[len(l.ID)-1:]
		}
		return strings.Join(out, ",")
	}

	t.Run("RoundTrip", func(t *testing.T) {
		s := seed(t)
		got, err := s.ListLinks(ctx, site1, linking.LinkQuery{})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(records) {
			t.Fatalf("listed %d records, want %d", len(got), len(records))
		}
		for i, l := range got {
			w := records[i]
			if l.ID != w.ID || l.SourceID != w.SourceID || l.TargetID != w.TargetID || l.TargetURL != w.TargetURL ||
				l.Anchor != w.Anchor || l.Offset != w.Offset || l.Type != w.Type || l.Score != w.Score || !l.CreatedAt.Equal(w.CreatedAt) {
				t.Errorf("record %d = %+v, want %+v", i, l, w)
			}
		}
	})

	t.Run("Query", func(t *testing.T) {
		s := seed(t)
		tests := []struct {
			name  string
			scope igny8.Scope
			q     linking.LinkQuery
			want  string
		}{
			{"all", site1, linking.LinkQuery{}, "1,2,3"},
			{"by source", site1, linking.LinkQuery{SourceID: "p1"}, "1,2"},
			{"by target", site1, linking.LinkQuery{TargetID: "p3"}, "2,3"},
			{"both", site1, linking.LinkQuery{SourceID: "p1", TargetID: "p3"}, "2"},
			{"page", site1, linking.LinkQuery{Page: igny8.PageRequest{After: records[0].ID, Limit: 1}}, "2"},
			{"other site of the account", site2, linking.LinkQuery{}, ""},
			{"other account", other, linking.LinkQuery{}, ""},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				got, err := s.ListLinks(ctx, tc.scope, tc.q)
				if err != nil {
					t.Fatal(err)
				}
				if ids(got) != tc.want {
					t.Fatalf("got %s, want %s", ids(got), tc.want)
				}
			})
		}
	})

	t.Run("DuplicateIsConflictAndAtomic", func(t *testing.T) {
		s := seed(t)
		fresh := linking.Link{ID: "0190a000-0000-7000-8000-000000000009", SourceID: "p9", TargetID: "p1", CreatedAt: at}
		err := s.SaveLinks(ctx, site1, []linking.Link{fresh, records[0]})
		if !errors.Is(err, igny8.ErrConflict) {
			t.Fatalf("duplicate id: %v, want Conflict", err)
		}
		got, _ := s.ListLinks(ctx, site1, linking.LinkQuery{SourceID: "p9"})
		if len(got) != 0 {
			t.Fatalf("a failed save stored %d records", len(got))
		}
	})

	t.Run("Delete", func(t *testing.T) {
		s := seed(t)
		if err := s.DeleteLinks(ctx, other, records[0].ID); !errors.Is(err, igny8.ErrNotFound) {
			t.Fatalf("delete from another account: %v, want NotFound", err)
		}
		if err := s.DeleteLinks(ctx, site1, records[0].ID, "0190a000-0000-7000-8000-00000000ffff"); !errors.Is(err, igny8.ErrNotFound) {
			t.Fatalf("delete with an unknown id: %v, want NotFound", err)
		}
		if got, _ := s.ListLinks(ctx, site1, linking.LinkQuery{}); len(got) != 3 {
			t.Fatalf("a failed delete removed records: %d left", len(got))
		}
		if err := s.DeleteLinks(ctx, site1, records[0].ID, records[2].ID); err != nil {
			t.Fatal(err)
		}
		got, _ := s.ListLinks(ctx, site1, linking.LinkQuery{})
		if ids(got) != "2" {
			t.Fatalf("after delete: %s", ids(got))
		}
	})

	t.Run("ScopeNeedsSite", func(t *testing.T) {
		s := newStore(t)
		noSite := igny8.Scope{AccountID: "acc-1"}
		if err := s.SaveLinks(ctx, noSite, records); !errors.Is(err, igny8.ErrInvalidArgument) {
			t.Errorf("SaveLinks without site: %v", err)
		}
		if _, err := s.ListLinks(ctx, noSite, linking.LinkQuery{}); !errors.Is(err, igny8.ErrInvalidArgument) {
			t.Errorf("ListLinks without site: %v", err)
		}
		if err := s.DeleteLinks(ctx, noSite, records[0].ID); !errors.Is(err, igny8.ErrInvalidArgument) {
			t.Errorf("DeleteLinks without site: %v", err)
		}
		if err := s.SaveLinks(ctx, site1, []linking.Link{{SourceID: "x"}}); !errors.Is(err, igny8.ErrInvalidArgument) {
			t.Errorf("SaveLinks of a record without id: %v", err)
		}
	})
}
