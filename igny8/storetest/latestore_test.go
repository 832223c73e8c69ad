package storetest_test

import (
	"context"
	"slices"
	"sort"
	"sync"

	"github.com/igny8/sdk/igny8"
)

// lateStore is a memStore whose events take their seq when appended but
// become visible when their transaction commits, and whose transactions
// run side by side: a Postgres store that numbers events from a sequence
// and takes no lock behaves so. A reader can then see seq 6, acknowledge
// it, and only later see seq 5 appear: lost. Only the events suite's
// concurrent-appenders test runs on it.
type lateStore struct {
	*memStore

	mu      sync.Mutex
	next    int64
	visible []igny8.Event
	cursors map[cursorKey]int64
}

func newLateStore() *lateStore {
	return &lateStore{memStore: newMemStore(), cursors: map[cursorKey]int64{}}
}

type lateTxKey struct{}

type lateTx struct{ events []igny8.Event }

// InTx runs fn without holding anything and publishes its events on
// commit.
func (l *lateStore) InTx(ctx context.Context, fn func(ctx context.Context) error) error {
	if _, ok := ctx.Value(lateTxKey{}).(*lateTx); ok {
		return fn(ctx)
	}
	tx := &lateTx{}
	if err := fn(context.WithValue(ctx, lateTxKey{}, tx)); err != nil {
		return err
	}
	l.mu.Lock()
	l.visible = append(l.visible, tx.events...)
	l.mu.Unlock()
	return nil
}

func (l *lateStore) AppendEvents(ctx context.Context, events ...igny8.Event) ([]igny8.Event, error) {
	l.mu.Lock()
	out := make([]igny8.Event, len(events))
	for i, ev := range events {
		l.next++
		ev.Seq = l.next
		out[i] = ev
	}
	tx, inTx := ctx.Value(lateTxKey{}).(*lateTx)
	if !inTx {
		l.visible = append(l.visible, out...)
	}
	l.mu.Unlock()
	if inTx {
		tx.events = append(tx.events, out...)
	}
	return out, nil
}

func (l *lateStore) ReadEvents(ctx context.Context, q igny8.EventQuery) ([]igny8.Event, error) {
	if q.Limit <= 0 {
		q.Limit = igny8.DefaultPageLimit
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	after := l.cursors[cursorKey{q.Consumer, q.Scope}]
	var out []igny8.Event
	for _, ev := range l.visible {
		if ev.Seq > after && (q.Scope.AccountID == "" || q.Scope.Contains(ev.Scope)) &&
			(len(q.Types) == 0 || slices.Contains(q.Types, ev.Type)) {
			out = append(out, ev)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Seq < out[j].Seq })
	if len(out) > q.Limit {
		out = out[:q.Limit]
	}
	return out, nil
}

func (l *lateStore) AckEvents(ctx context.Context, consumer string, scope igny8.Scope, seq int64) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	k := cursorKey{consumer, scope}
	l.cursors[k] = max(l.cursors[k], seq)
	return nil
}
