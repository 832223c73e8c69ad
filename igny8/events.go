package igny8

import (
	"context"
	"encoding/json"
	"time"
)

// EventType names a domain event.
type EventType string

// Domain events. Automation rules trigger on them.
const (
	EventKeywordAdded           EventType = "keyword_added"
	EventClusterCreated         EventType = "cluster_created"
	EventIdeaCreated            EventType = "idea_created"
	EventTaskCreated            EventType = "task_created"
	EventContentGenerated       EventType = "content_generated"
	EventImagesGenerated        EventType = "images_generated"
	EventContentLinked          EventType = "content_linked"
	EventContentOptimized       EventType = "content_optimized"
	EventContentPublished       EventType = "content_published"
	EventSiteStructureGenerated EventType = "site_structure_generated"
	EventSiteDeployed           EventType = "site_deployed"
	EventCreditsLow             EventType = "credits_low"
)

// Event is a domain event. It is written by Store.AppendEvents in the same
// transaction as the change that caused it (a transactional outbox): an
// event exists exactly when its change committed.
type Event struct {
	// Seq is assigned by the store on append: strictly increasing in the
	// order events become visible, so a cursor never skips one.
	Seq   int64     `json:"seq"`
	ID    string    `json:"id"`
	Type  EventType `json:"type"`
	Scope Scope     `json:"scope"`
	// Subject is the id of the entity the event is about, if one.
	Subject   string          `json:"subject,omitempty"`
	Payload   json.RawMessage `json:"payload,omitempty"`
	CreatedAt time.Time       `json:"created_at"`
}

// EventQuery selects events for a consumer.
type EventQuery struct {
	// Consumer names the reader; its cursor is kept per (consumer, scope).
	Consumer string
	// Scope narrows the events read; an empty AccountID reads every
	// account's events (for engines that serve all tenants).
	Scope Scope
	// Types, when non-empty, keeps only these types. The cursor still moves
	// past events of other types once they are acknowledged.
	Types []EventType
	// Limit caps how many events one read returns (default 100).
	Limit int
}

// Events writes domain events. Emit inside Store.InTx so the event commits
// or rolls back with its change.
type Events struct {
	store Store
	clock Clock
	ids   IDGenerator
}

// NewEvents returns an Events over store. Nil clock and ids mean the system
// clock and UUIDv7.
func NewEvents(store Store, clock Clock, ids IDGenerator) *Events {
	if clock == nil {
		clock = SystemClock{}
	}
	if ids == nil {
		ids = &UUIDv7{Clock: clock}
	}
	return &Events{store: store, clock: clock, ids: ids}
}

// New builds an event with a fresh id and time, payload marshalled to JSON.
func (e *Events) New(scope Scope, typ EventType, subject string, payload any) (Event, error) {
	const op = "igny8.Events.New"
	if err := scope.Validate(op); err != nil {
		return Event{}, err
	}
	if typ == "" {
		return Event{}, InvalidArgument(op, "type", "is required")
	}
	ev := Event{ID: e.ids.NewID(), Type: typ, Scope: scope, Subject: subject, CreatedAt: e.clock.Now().UTC()}
	if payload != nil {
		raw, err := json.Marshal(payload)
		if err != nil {
			return Event{}, InvalidArgument(op, "payload", "cannot be encoded: %v", err)
		}
		ev.Payload = raw
	}
	return ev, nil
}

// Emit appends one event.
func (e *Events) Emit(ctx context.Context, scope Scope, typ EventType, subject string, payload any) (Event, error) {
	ev, err := e.New(scope, typ, subject, payload)
	if err != nil {
		return Event{}, err
	}
	out, err := e.store.AppendEvents(ctx, ev)
	if err != nil {
		return Event{}, err
	}
	return out[0], nil
}

// Append writes events built with New (in the caller's transaction, if
// any), as one call to the store: the batch form of Emit.
func (e *Events) Append(ctx context.Context, events ...Event) ([]Event, error) {
	if len(events) == 0 {
		return nil, nil
	}
	return e.store.AppendEvents(ctx, events...)
}

// Read returns the consumer's next events after its acknowledged cursor.
func (e *Events) Read(ctx context.Context, q EventQuery) ([]Event, error) {
	const op = "igny8.Events.Read"
	if q.Consumer == "" {
		return nil, InvalidArgument(op, "consumer", "is required")
	}
	if q.Scope.AccountID != "" {
		if err := q.Scope.Validate(op); err != nil {
			return nil, err
		}
	}
	if q.Limit <= 0 {
		q.Limit = DefaultPageLimit
	}
	if q.Limit > MaxPageLimit {
		q.Limit = MaxPageLimit
	}
	return e.store.ReadEvents(ctx, q)
}

// Ack moves the consumer's cursor for scope to seq: events up to and
// including seq are not read again. The cursor never moves back.
func (e *Events) Ack(ctx context.Context, consumer string, scope Scope, seq int64) error {
	const op = "igny8.Events.Ack"
	if consumer == "" {
		return InvalidArgument(op, "consumer", "is required")
	}
	return e.store.AckEvents(ctx, consumer, scope, seq)
}
