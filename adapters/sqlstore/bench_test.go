package sqlstore_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/igny8/sdk/adapters/sqlstore"
	"github.com/igny8/sdk/adapters/sqlstore/sqlstoretest"
	"github.com/igny8/sdk/igny8"
)

// benchStores runs fn on an SQLite file and, when reachable, Postgres.
func benchStores(b *testing.B, fn func(b *testing.B, s *sqlstore.Store)) {
	b.Run("sqlite", func(b *testing.B) { fn(b, sqlstoretest.SQLite(b)) })
	b.Run("postgres", func(b *testing.B) { fn(b, sqlstoretest.Postgres(b)) })
}

func BenchmarkApplyLedgerDebit(b *testing.B) {
	benchStores(b, func(b *testing.B, s *sqlstore.Store) {
		ctx := context.Background()
		a := fixture(b, s, 1<<40)
		var n atomic.Int64
		b.ReportAllocs()
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				i := n.Add(1)
				if _, err := s.ApplyLedger(ctx, debit(a, fmt.Sprint("k", i), 1)); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}

func BenchmarkReserveUsage(b *testing.B) {
	benchStores(b, func(b *testing.B, s *sqlstore.Store) {
		ctx := context.Background()
		key := igny8.UsageKey{AccountID: "a", SiteID: "s", Limit: igny8.LimitDailyAIRequests, Period: "2026-11-26"}
		b.ReportAllocs()
		b.ResetTimer()
		for b.Loop() {
			if _, err := s.ReserveUsage(ctx, key, 1, -1); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkAppendEvent(b *testing.B) {
	benchStores(b, func(b *testing.B, s *sqlstore.Store) {
		ctx := context.Background()
		ev := igny8.Event{Type: igny8.EventContentGenerated, Scope: igny8.Scope{AccountID: "a", SiteID: "s"}, Payload: []byte(`{"id":"x"}`), CreatedAt: time.Now()}
		b.ReportAllocs()
		b.ResetTimer()
		for b.Loop() {
			ev.ID = ids.NewID()
			if _, err := s.AppendEvents(ctx, ev); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkGetAccount(b *testing.B) {
	benchStores(b, func(b *testing.B, s *sqlstore.Store) {
		ctx := context.Background()
		a := fixture(b, s, 1)
		b.ReportAllocs()
		b.ResetTimer()
		for b.Loop() {
			if _, err := s.GetAccount(ctx, a.ID); err != nil {
				b.Fatal(err)
			}
		}
	})
}
