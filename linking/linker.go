package linking

import (
	"context"
	"log/slog"

	"github.com/igny8/sdk/igny8"
)

// EventEmitter writes domain events; *igny8.Events is one.
type EventEmitter interface {
	Emit(ctx context.Context, scope igny8.Scope, typ igny8.EventType, subject string, payload any) (igny8.Event, error)
}

// LinkerOptions configures a Linker. The zero value is useful.
type LinkerOptions struct {
	// Tx, when set, runs saving the records and emitting the event in one
	// transaction.
	Tx igny8.Transactor
	// Events, when set, receives a content_linked event per linked page.
	Events EventEmitter
	Clock  igny8.Clock
	IDs    igny8.IDGenerator
	Logger *slog.Logger
	// Verify re-parses each document after insertion (see ApplyOptions).
	Verify bool
}

// Linker links pages of a site: it suggests from its Index, inserts the
// links, keeps their records in a Store and announces content_linked.
type Linker struct {
	idx   *Index
	store Store
	opts  LinkerOptions
}

// NewLinker returns a Linker over an index and a store of link records.
func NewLinker(idx *Index, store Store, opts LinkerOptions) (*Linker, error) {
	const op = "linking.NewLinker"
	if idx == nil {
		return nil, igny8.InvalidArgument(op, "idx", "is required")
	}
	if store == nil {
		return nil, igny8.InvalidArgument(op, "store", "is required")
	}
	if opts.Clock == nil {
		opts.Clock = igny8.SystemClock{}
	}
	if opts.IDs == nil {
		opts.IDs = &igny8.UUIDv7{Clock: opts.Clock}
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return &Linker{idx: idx, store: store, opts: opts}, nil
}

// Result is the outcome of linking one page.
type Result struct {
	// HTML is the page's new HTML (the new content version to write).
	HTML  string
	Links []Link
	Plan  Plan
}

// LinkedPayload is the payload of the content_linked event.
type LinkedPayload struct {
	ContentID string   `json:"content_id"`
	Links     int      `json:"links"`
	Targets   []string `json:"targets"`
	Skipped   int      `json:"skipped"`
}

// Link suggests links for page (which should be in the index), inserts
// them, saves their records in scope and emits content_linked. The page's
// HTML in the result is the caller's to store as a new content version.
func (l *Linker) Link(ctx context.Context, scope igny8.Scope, page Page) (Result, error) {
	const op = "linking.Linker.Link"
	if err := scope.RequireSite(op); err != nil {
		return Result{}, err
	}
	plan, err := l.idx.Suggest(ctx, page)
	if err != nil {
		return Result{}, err
	}
	applied, err := ApplyPlan(page.HTML, plan, ApplyOptions{IDs: l.opts.IDs, Clock: l.opts.Clock, Verify: l.opts.Verify})
	if err != nil {
		return Result{}, err
	}
	save := func(ctx context.Context) error {
		if len(applied.Links) > 0 {
			if err := l.store.SaveLinks(ctx, scope, applied.Links); err != nil {
				return err
			}
		}
		if l.opts.Events != nil {
			p := LinkedPayload{ContentID: page.ID, Links: len(applied.Links), Skipped: len(plan.Skipped)}
			for _, s := range plan.Suggestions {
				p.Targets = append(p.Targets, s.TargetID)
			}
			if _, err := l.opts.Events.Emit(ctx, scope, igny8.EventContentLinked, page.ID, p); err != nil {
				return err
			}
		}
		return nil
	}
	if l.opts.Tx != nil {
		err = l.opts.Tx.InTx(ctx, save)
	} else {
		err = save(ctx)
	}
	if err != nil {
		return Result{}, igny8.Wrap(igny8.CodeInternal, op, err)
	}
	l.idx.Commit(plan.Suggestions)
	l.opts.Logger.LogAttrs(ctx, slog.LevelInfo, "content linked", slog.String("scope", scope.String()),
		slog.String("content_id", page.ID), slog.Int("links", len(applied.Links)), slog.Int("skipped", len(plan.Skipped)))
	return Result{HTML: applied.HTML, Links: applied.Links, Plan: plan}, nil
}

// Unlink removes an inserted link from html and deletes its record.
func (l *Linker) Unlink(ctx context.Context, scope igny8.Scope, html, linkID string) (string, error) {
	const op = "linking.Linker.Unlink"
	if err := scope.RequireSite(op); err != nil {
		return "", err
	}
	out, err := Remove(html, linkID)
	if err != nil {
		return "", err
	}
	if err := l.store.DeleteLinks(ctx, scope, linkID); err != nil {
		return "", igny8.Wrap(igny8.CodeInternal, op, err)
	}
	return out, nil
}
