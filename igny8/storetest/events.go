package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/igny8/sdk/igny8"
)

func testEvents(t *testing.T, newStore func(t *testing.T) igny8.Store) {
	t.Run("AppendAssignsSeq", func(t *testing.T) {
		e := newEnv(t, newStore)
		_, scope := e.tenant(nil, "")
		var batch []igny8.Event
		for i := range 3 {
			ev, err := e.events.New(scope, igny8.EventKeywordAdded, fmt.Sprintf("kw-%d", i), map[string]any{"n": i})
			ok(t, err, "Events.New")
			batch = append(batch, ev)
		}
		out, err := e.store.AppendEvents(e.ctx, batch...)
		ok(t, err, "AppendEvents")
		if len(out) != len(batch) {
			t.Fatalf("AppendEvents returned %d events, want %d", len(out), len(batch))
		}
		last := int64(0)
		for i, ev := range out {
			if ev.ID != batch[i].ID || ev.Seq <= last {
				t.Errorf("appended event %d = id %s seq %d, want id %s and seq > %d", i, ev.ID, ev.Seq, batch[i].ID, last)
			}
			last = ev.Seq
		}
		next, err := e.events.Emit(e.ctx, scope, igny8.EventClusterCreated, "c-1", nil)
		ok(t, err, "Emit")
		if next.Seq <= last {
			t.Errorf("later append got seq %d, want more than %d", next.Seq, last)
		}
		got, err := e.events.Read(e.ctx, igny8.EventQuery{Consumer: "c", Scope: scope})
		ok(t, err, "Read")
		want := append(out, next)
		if len(got) != len(want) {
			t.Fatalf("Read returned %d events, want %d", len(got), len(want))
		}
		for i := range want {
			compareEvent(t, fmt.Sprintf("event %d", i), got[i], want[i])
		}
	})

	t.Run("CursorAndAck", func(t *testing.T) {
		e := newEnv(t, newStore)
		_, scope := e.tenant(nil, "")
		evs := e.emitN(scope, 5)
		q := igny8.EventQuery{Consumer: "reader", Scope: scope, Limit: 2}
		e.wantRead(q, evs[0:2], "first read")
		e.wantRead(q, evs[0:2], "read again without ack")
		ok(t, e.events.Ack(e.ctx, "reader", scope, evs[1].Seq), "Ack")
		e.wantRead(q, evs[2:4], "read after ack")
		ok(t, e.events.Ack(e.ctx, "reader", scope, evs[3].Seq), "Ack")
		ok(t, e.events.Ack(e.ctx, "reader", scope, evs[0].Seq), "Ack backwards")
		e.wantRead(q, evs[4:5], "read after a backward ack")
		ok(t, e.events.Ack(e.ctx, "reader", scope, evs[4].Seq), "Ack last")
		e.wantRead(q, nil, "read at the end")
		more := e.emitN(scope, 1)
		e.wantRead(q, more, "read after a new event")
	})

	t.Run("IndependentCursors", func(t *testing.T) {
		e := newEnv(t, newStore)
		_, scope := e.tenant(nil, "")
		evs := e.emitN(scope, 4)
		ok(t, e.events.Ack(e.ctx, "one", scope, evs[2].Seq), "Ack one")
		e.wantRead(igny8.EventQuery{Consumer: "one", Scope: scope}, evs[3:], "consumer one")
		e.wantRead(igny8.EventQuery{Consumer: "two", Scope: scope}, evs, "consumer two")
		// The cursor is per (consumer, scope): the same consumer reading
		// its account's scope has its own.
		e.wantRead(igny8.EventQuery{Consumer: "one", Scope: scope.Account()}, evs, "consumer one, account scope")
		ok(t, e.events.Ack(e.ctx, "two", scope, evs[0].Seq), "Ack two")
		e.wantRead(igny8.EventQuery{Consumer: "one", Scope: scope}, evs[3:], "consumer one after two acked")
	})

	t.Run("ScopeFilters", func(t *testing.T) {
		e := newEnv(t, newStore)
		a, site1 := e.tenant(nil, "")
		acct := scopeOfAccount(a.ID)
		site2 := e.site(acct, "Second").Scope()
		sec := e.sector(site1, "Topic").Scope()
		_, otherScope := e.tenant(nil, "")
		all := []igny8.Event{
			e.emit(acct, igny8.EventCreditsLow),
			e.emit(site1, igny8.EventKeywordAdded),
			e.emit(sec, igny8.EventClusterCreated),
			e.emit(site2, igny8.EventKeywordAdded),
			e.emit(otherScope, igny8.EventKeywordAdded),
			e.emit(sec, igny8.EventKeywordAdded),
		}
		cases := []struct {
			name  string
			scope igny8.Scope
			types []igny8.EventType
			want  []int
		}{
			{"every account", igny8.Scope{}, nil, []int{0, 1, 2, 3, 4, 5}},
			{"account", acct, nil, []int{0, 1, 2, 3, 5}},
			{"site", site1, nil, []int{1, 2, 5}},
			{"other site", site2, nil, []int{3}},
			{"sector", sec, nil, []int{2, 5}},
			{"other account", otherScope.Account(), nil, []int{4}},
			{"types in account", acct, []igny8.EventType{igny8.EventKeywordAdded}, []int{1, 3, 5}},
			{"two types in site", site1, []igny8.EventType{igny8.EventClusterCreated, igny8.EventCreditsLow}, []int{2}},
			{"no match", sec, []igny8.EventType{igny8.EventSiteDeployed}, nil},
		}
		for _, c := range cases {
			var want []igny8.Event
			for _, i := range c.want {
				want = append(want, all[i])
			}
			e.wantRead(igny8.EventQuery{Consumer: "filter-" + c.name, Scope: c.scope, Types: c.types}, want, "scope filter "+c.name)
		}
	})

	t.Run("TypesAndCursor", func(t *testing.T) {
		e := newEnv(t, newStore)
		_, scope := e.tenant(nil, "")
		a := e.emit(scope, igny8.EventKeywordAdded)
		b := e.emit(scope, igny8.EventClusterCreated)
		c := e.emit(scope, igny8.EventKeywordAdded)
		q := igny8.EventQuery{Consumer: "kw", Scope: scope, Types: []igny8.EventType{igny8.EventKeywordAdded}}
		e.wantRead(q, []igny8.Event{a, c}, "keyword events")
		ok(t, e.events.Ack(e.ctx, "kw", scope, a.Seq), "Ack")
		e.wantRead(q, []igny8.Event{c}, "after ack")
		q.Types = nil
		e.wantRead(q, []igny8.Event{b, c}, "all types on the same cursor")

		// The limit counts the events that pass the filter, not the ones
		// scanned.
		var want []igny8.Event
		for range 5 {
			e.emit(scope, igny8.EventClusterCreated)
			e.emit(scope, igny8.EventClusterCreated)
			want = append(want, e.emit(scope, igny8.EventIdeaCreated))
		}
		e.wantRead(igny8.EventQuery{Consumer: "ideas", Scope: scope, Types: []igny8.EventType{igny8.EventIdeaCreated}, Limit: 3}, want[:3], "type filter with a limit")
	})

	t.Run("ConcurrentAcks", func(t *testing.T) {
		e := newEnv(t, newStore)
		_, scope := e.tenant(nil, "")
		evs := e.emitN(scope, 20)
		codes := concurrently(len(evs), func(i int) error {
			return e.events.Ack(e.ctx, "acker", scope, evs[i].Seq)
		})
		if codes[""] != len(evs) {
			t.Errorf("concurrent acks: outcomes %v", codes)
		}
		e.wantRead(igny8.EventQuery{Consumer: "acker", Scope: scope}, nil, "after concurrent acks (the cursor must end at the highest)")
	})

	t.Run("PayloadsAndEmptyAppend", func(t *testing.T) {
		e := newEnv(t, newStore)
		_, scope := e.tenant(nil, "")
		out, err := e.store.AppendEvents(e.ctx)
		if err != nil || len(out) != 0 {
			t.Errorf("AppendEvents() with no events = %v, %v; want nothing", out, err)
		}
		big := map[string]any{"text": strings.Repeat("ünïcode ✓ ", 6000), "nested": map[string]any{"list": []any{1.5, "two", nil, true}}}
		var want []igny8.Event
		for _, payload := range []any{nil, big, []int{}, "a \"quoted\" string"} {
			ev, err := e.events.Emit(e.ctx, scope, igny8.EventContentGenerated, "", payload)
			ok(t, err, "Emit")
			want = append(want, ev)
		}
		e.wantRead(igny8.EventQuery{Consumer: "payloads", Scope: scope}, want, "payload round trip")
	})

	t.Run("RolledBackNeverDelivered", func(t *testing.T) {
		e := newEnv(t, newStore)
		_, scope := e.tenant(nil, "")
		boom := errors.New("boom")
		err := e.store.InTx(e.ctx, func(ctx context.Context) error {
			if _, err := e.events.Emit(ctx, scope, igny8.EventContentGenerated, "lost", nil); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Errorf("InTx returned %v, want the function's error", err)
		}
		e.wantRead(igny8.EventQuery{Consumer: "r", Scope: scope}, nil, "after a rolled-back emit")

		var kept igny8.Event
		err = e.store.InTx(e.ctx, func(ctx context.Context) error {
			var err error
			kept, err = e.events.Emit(ctx, scope, igny8.EventContentGenerated, "kept", nil)
			return err
		})
		ok(t, err, "InTx that commits")
		e.wantRead(igny8.EventQuery{Consumer: "r", Scope: scope}, []igny8.Event{kept}, "after a committed emit")
		ok(t, e.events.Ack(e.ctx, "r", scope, kept.Seq), "Ack")

		// An event written beside a debit that is refused rolls back with it.
		e.grant(scope, 5)
		err = e.store.InTx(e.ctx, func(ctx context.Context) error {
			if _, err := e.events.Emit(ctx, scope, igny8.EventContentGenerated, "unpaid", nil); err != nil {
				return err
			}
			_, err := e.credits.Debit(ctx, scope, igny8.Charge{Amount: 6, Reason: "article", IdempotencyKey: "unpaid"})
			return err
		})
		wantCode(t, err, igny8.CodeInsufficientCredits, "InTx with a refused debit")
		e.wantRead(igny8.EventQuery{Consumer: "r", Scope: scope}, nil, "after a refused debit")
		if b := e.balance(scope); b != 5 {
			t.Errorf("balance = %d, want 5", b)
		}
		// The next committed event is delivered: the rolled-back ones left
		// no gap that stalls the reader.
		next := e.emit(scope, igny8.EventContentPublished)
		e.wantRead(igny8.EventQuery{Consumer: "r", Scope: scope}, []igny8.Event{next}, "after the rollbacks")
	})

	t.Run("ConcurrentAppendersOrderedReader", func(t *testing.T) {
		e := newEnv(t, newStore)
		_, scopeA := e.tenant(nil, "")
		_, scopeB := e.tenant(nil, "")
		scopes := []igny8.Scope{scopeA, scopeB}
		const writers, perWriter = 20, 10
		var (
			wg      sync.WaitGroup
			done    atomic.Bool
			errMu   sync.Mutex
			errs    []error
			written = map[string]string{} // event id -> account
		)
		fail := func(err error) {
			errMu.Lock()
			errs = append(errs, err)
			errMu.Unlock()
		}
		for w := range writers {
			scope := scopes[w%2]
			wg.Go(func() {
				for i := range perWriter {
					err := e.store.InTx(e.ctx, func(ctx context.Context) error {
						ev, err := e.events.Emit(ctx, scope, igny8.EventKeywordAdded, fmt.Sprintf("w%d-%d", w, i), nil)
						if err != nil {
							return err
						}
						errMu.Lock()
						written[ev.ID] = scope.AccountID
						errMu.Unlock()
						// Transactions of different lengths: one that took
						// a seq later may commit first. A store must not let
						// a reader see it before the earlier one.
						time.Sleep(time.Duration((w+i)%3) * time.Millisecond)
						return nil
					})
					if err != nil {
						fail(fmt.Errorf("writer %d event %d: %w", w, i, err))
					}
				}
			})
		}

		// Two readers tail as the writers write, acknowledging as they go:
		// one over every account, one over tenant A alone.
		type result struct {
			seen map[string]int
			err  error
		}
		tail := func(consumer string, scope igny8.Scope) result {
			r := result{seen: map[string]int{}}
			var last int64
			deadline := time.Now().Add(2 * time.Minute)
			for {
				finished := done.Load() // read before the final read, so it sees everything
				evs, err := e.events.Read(e.ctx, igny8.EventQuery{Consumer: consumer, Scope: scope, Limit: 50})
				if err != nil {
					r.err = fmt.Errorf("read: %w", err)
					return r
				}
				for _, ev := range evs {
					if ev.Seq <= last {
						r.err = fmt.Errorf("saw seq %d after %d: not strictly increasing", ev.Seq, last)
						return r
					}
					last = ev.Seq
					r.seen[ev.ID]++
				}
				switch {
				case len(evs) > 0:
					if err := e.events.Ack(e.ctx, consumer, scope, last); err != nil {
						r.err = fmt.Errorf("ack: %w", err)
						return r
					}
				case finished:
					return r
				default:
					time.Sleep(time.Millisecond)
				}
				if time.Now().After(deadline) {
					r.err = fmt.Errorf("still running after 2 minutes; saw %d events", len(r.seen))
					return r
				}
			}
		}
		var all, onlyA result
		var readers sync.WaitGroup
		readers.Go(func() { all = tail("tail-all", igny8.Scope{}) })
		readers.Go(func() { onlyA = tail("tail-a", scopeA.Account()) })
		wg.Wait()
		done.Store(true)
		readers.Wait()

		for _, err := range errs {
			t.Error(err)
		}
		for _, c := range []struct {
			name    string
			r       result
			account string
			want    int
		}{
			{"reader of every account", all, "", writers * perWriter},
			{"reader of tenant A", onlyA, scopeA.AccountID, writers * perWriter / 2},
		} {
			if c.r.err != nil {
				t.Errorf("%s: %v", c.name, c.r.err)
				continue
			}
			if len(c.r.seen) != c.want {
				t.Errorf("%s saw %d distinct events, want %d (an event that became visible behind the cursor is lost)", c.name, len(c.r.seen), c.want)
			}
			for id, n := range c.r.seen {
				if acct, ok := written[id]; n != 1 || !ok || (c.account != "" && acct != c.account) {
					t.Errorf("%s: event %s seen %d times (written for account %q), want once and in its scope", c.name, id, n, acct)
				}
			}
		}
	})
}

// emit appends one event of typ in scope.
func (e *env) emit(scope igny8.Scope, typ igny8.EventType) igny8.Event {
	e.t.Helper()
	ev, err := e.events.Emit(e.ctx, scope, typ, e.ids.NewID(), map[string]any{"scope": scope.String(), "n": 1})
	if err != nil {
		e.t.Fatalf("Emit(%s, %s): %v", scope, typ, err)
	}
	return ev
}

func (e *env) emitN(scope igny8.Scope, n int) []igny8.Event {
	e.t.Helper()
	out := make([]igny8.Event, n)
	for i := range out {
		out[i] = e.emit(scope, igny8.EventKeywordAdded)
	}
	return out
}

// wantRead reads with q and compares the result with want.
func (e *env) wantRead(q igny8.EventQuery, want []igny8.Event, what string) {
	e.t.Helper()
	got, err := e.events.Read(e.ctx, q)
	if err != nil {
		e.t.Errorf("%s: Read: %v", what, err)
		return
	}
	if !sameIDs(idsOf(got, eventID), idsOf(want, eventID)) {
		e.t.Errorf("%s: read %v, want %v", what, idsOf(got, eventID), idsOf(want, eventID))
		return
	}
	for i := range got {
		compareEvent(e.t, what, got[i], want[i])
	}
}

func compareEvent(t *testing.T, what string, got, want igny8.Event) {
	t.Helper()
	if got.Seq != want.Seq || got.ID != want.ID || got.Type != want.Type || got.Scope != want.Scope ||
		got.Subject != want.Subject || !sameTime(got.CreatedAt, want.CreatedAt) || !sameJSON(got.Payload, want.Payload) {
		t.Errorf("%s:\n got  %+v (payload %s)\n want %+v (payload %s)", what, got, got.Payload, want, want.Payload)
	}
}

// sameJSON compares JSON documents by value: a store may keep them in a
// form (jsonb) that changes spacing and key order.
func sameJSON(a, b json.RawMessage) bool {
	if len(a) == 0 || len(b) == 0 {
		return len(a) == len(b) || (isJSONNull(a) && isJSONNull(b))
	}
	var va, vb any
	if json.Unmarshal(a, &va) != nil || json.Unmarshal(b, &vb) != nil {
		return string(a) == string(b)
	}
	return reflect.DeepEqual(va, vb)
}

func isJSONNull(r json.RawMessage) bool { return len(r) == 0 || string(r) == "null" }
