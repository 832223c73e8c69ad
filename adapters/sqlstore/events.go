package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"

	"github.com/uptrace/bun"

	"github.com/igny8/sdk/igny8"
)

// eventsLockKey is the Postgres transaction-level advisory lock every
// AppendEvents takes before its rows get their seq. Holding it to commit
// makes seq order commit order, so a reader that has seen seq N never later
// sees a smaller seq appear.
const eventsLockKey int64 = 0x49474e38_00000002

// maxEventsPerAppend bounds one AppendEvents (and so one INSERT).
const maxEventsPerAppend = 1000

const eventCols = `seq, id, account_id, site_id, sector_id, type, subject, payload, created_at`

// AppendEvents stores events in the ctx's transaction (or its own) and
// returns them with Seq assigned.
//
// On Postgres the advisory lock that orders seqs is held until the
// transaction ends, so event-writing transactions commit one at a time:
// emit events at the end of a transaction, not before slow work inside it.
func (s *Store) AppendEvents(ctx context.Context, events ...igny8.Event) ([]igny8.Event, error) {
	const op = "sqlstore.AppendEvents"
	if len(events) == 0 {
		return []igny8.Event{}, nil
	}
	if len(events) > maxEventsPerAppend {
		return nil, igny8.InvalidArgument(op, "events", "at most %d per call, got %d", maxEventsPerAppend, len(events))
	}
	args := make([]any, 0, 8*len(events))
	out := make([]igny8.Event, len(events))
	index := make(map[string]int, len(events))
	for i, ev := range events {
		if ev.ID == "" {
			return nil, igny8.InvalidArgument(op, "events.id", "is required (event %d)", i)
		}
		if err := ev.Scope.Validate(op); err != nil {
			return nil, err
		}
		if ev.Type == "" {
			return nil, igny8.InvalidArgument(op, "events.type", "is required (event %d)", i)
		}
		if len(ev.Payload) > 0 && !json.Valid(ev.Payload) {
			return nil, igny8.InvalidArgument(op, "events.payload", "is not valid JSON (event %d)", i)
		}
		if _, dup := index[ev.ID]; dup {
			return nil, igny8.InvalidArgument(op, "events.id", "%q appears twice", ev.ID)
		}
		index[ev.ID] = i
		ev.CreatedAt = utc(ev.CreatedAt)
		out[i] = ev
		var payload any
		if len(ev.Payload) > 0 {
			payload = string(ev.Payload)
		}
		args = append(args, ev.ID, ev.Scope.AccountID, ev.Scope.SiteID, ev.Scope.SectorID, string(ev.Type), ev.Subject, payload, ev.CreatedAt)
	}
	query := appendEventsSQL(len(events))

	insert := func(ctx context.Context, db bun.IDB) error {
		if len(events) == 1 {
			// The common case: one event, one cacheable statement.
			var id string
			if err := s.hotQueryRow(ctx, query, args...).Scan(&id, &out[0].Seq); err != nil {
				return writeErr(op, "event", events[0].ID, err)
			}
			return nil
		}
		rows, err := db.QueryContext(ctx, query, args...)
		if err != nil {
			return writeErr(op, "event", events[0].ID, err)
		}
		defer rows.Close()
		for rows.Next() {
			var id string
			var seq int64
			if err := rows.Scan(&id, &seq); err != nil {
				return mapErr(op, err)
			}
			out[index[id]].Seq = seq
		}
		if err := rows.Err(); err != nil {
			return writeErr(op, "event", events[0].ID, err)
		}
		return nil
	}
	var err error
	if s.dialect == DialectPostgres {
		err = s.inTx(ctx, func(ctx context.Context, db bun.IDB) error {
			if _, err := db.ExecContext(ctx, `SELECT pg_advisory_xact_lock(?)`, eventsLockKey); err != nil {
				return mapErr(op, err)
			}
			return insert(ctx, db)
		})
	} else {
		// SQLite serialises writers, and one INSERT is atomic on its own.
		err = insert(ctx, s.IDB(ctx))
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// appendEventsSQL inserts n events and returns their ids and seqs.
func appendEventsSQL(n int) string {
	var q strings.Builder
	q.WriteString(`INSERT INTO events (id, account_id, site_id, sector_id, type, subject, payload, created_at) VALUES `)
	for i := range n {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString(`(?, ?, ?, ?, ?, ?, ?, ?)`)
	}
	q.WriteString(` RETURNING id, seq`)
	return q.String()
}

// scopeKey names a consumer's cursor for a scope.
func scopeKey(scope igny8.Scope) string { return scope.String() }

// ReadEvents returns the events after the cursor of (q.Consumer, q.Scope)
// within q.Scope, in seq order, at most q.Limit.
func (s *Store) ReadEvents(ctx context.Context, q igny8.EventQuery) ([]igny8.Event, error) {
	const op = "sqlstore.ReadEvents"
	if q.Consumer == "" {
		return nil, igny8.InvalidArgument(op, "consumer", "is required")
	}
	if q.Scope.AccountID != "" {
		if err := q.Scope.Validate(op); err != nil {
			return nil, err
		}
	} else if q.Scope.SiteID != "" || q.Scope.SectorID != "" {
		return nil, igny8.InvalidArgument(op, "scope.account_id", "is required when a site or sector is set")
	}
	limit := q.Limit
	if limit <= 0 {
		limit = igny8.DefaultPageLimit
	}
	if limit > igny8.MaxPageLimit {
		limit = igny8.MaxPageLimit
	}
	c := &cond{}
	c.and(`seq > COALESCE((SELECT seq FROM event_cursors WHERE consumer = ? AND scope_key = ?), 0)`, q.Consumer, scopeKey(q.Scope))
	if q.Scope.AccountID != "" {
		c.and("account_id = ?", q.Scope.AccountID)
	}
	if q.Scope.SiteID != "" {
		c.and("site_id = ?", q.Scope.SiteID)
	}
	if q.Scope.SectorID != "" {
		c.and("sector_id = ?", q.Scope.SectorID)
	}
	if len(q.Types) > 0 {
		types := make([]string, len(q.Types))
		for i, t := range q.Types {
			types[i] = string(t)
		}
		c.and("type IN (?)", bun.In(types))
	}
	rows, err := s.IDB(ctx).QueryContext(ctx, `SELECT `+eventCols+` FROM events WHERE `+c.String()+` ORDER BY seq LIMIT ?`, append(c.args, limit)...)
	if err != nil {
		return nil, mapErr(op, err)
	}
	return collect(op, rows, func(r *sql.Rows) (igny8.Event, error) {
		var ev igny8.Event
		var typ string
		var payload sql.NullString
		err := r.Scan(&ev.Seq, &ev.ID, &ev.Scope.AccountID, &ev.Scope.SiteID, &ev.Scope.SectorID, &typ, &ev.Subject, &payload, timeCol{&ev.CreatedAt})
		ev.Type = igny8.EventType(typ)
		if payload.Valid && payload.String != "" {
			ev.Payload = json.RawMessage(payload.String)
		}
		return ev, err
	})
}

// AckEvents moves the cursor of (consumer, scope) forward to seq; a seq at
// or below the cursor changes nothing.
func (s *Store) AckEvents(ctx context.Context, consumer string, scope igny8.Scope, seq int64) error {
	const op = "sqlstore.AckEvents"
	if consumer == "" {
		return igny8.InvalidArgument(op, "consumer", "is required")
	}
	if seq < 0 {
		return igny8.InvalidArgument(op, "seq", "must not be negative, got %d", seq)
	}
	_, err := s.IDB(ctx).ExecContext(ctx, `INSERT INTO event_cursors (consumer, scope_key, seq) VALUES (?, ?, ?)
		ON CONFLICT (consumer, scope_key) DO UPDATE SET seq = excluded.seq WHERE event_cursors.seq < excluded.seq`,
		consumer, scopeKey(scope), seq)
	return mapErr(op, err)
}
