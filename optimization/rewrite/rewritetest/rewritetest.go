// Package rewritetest is the conformance suite for rewrite.TaskStore: a
// store proves it keeps optimization tasks as the Optimizer expects by
// passing Run.
//
//	func TestTaskStore(t *testing.T) {
//		rewritetest.Run(t, func(t *testing.T) (rewrite.TaskStore, rewritetest.Fixture) {
//			st := openStore(t)
//			return st, rewritetest.Fixture{Scope: site1, Other: site2}
//		})
//	}
package rewritetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/optimization/rewrite"
)

// Fixture names two sites the store knows: Scope, where tasks are written,
// and Other, a site of another account that must never see them.
type Fixture struct {
	Scope igny8.Scope
	Other igny8.Scope
}

// Run runs the suite against stores made by newStore, a fresh one per
// subtest.
func Run(t *testing.T, newStore func(t *testing.T) (rewrite.TaskStore, Fixture)) {
	t.Helper()
	ctx := context.Background()
	base := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	task := func(fx Fixture, id, contentID string, minute int, status rewrite.TaskStatus) rewrite.Task {
		return rewrite.Task{
			ID: id, Scope: fx.Scope, ContentID: contentID, Keyphrase: "running shoes", BaseVersion: 1,
			NewVersion: 2, Status: status, Reason: "why", Instructions: []string{"a", "b"}, Changes: []string{"c"},
			SEOBefore: 40, ReadabilityBefore: 50, SEOAfter: 80, ReadabilityAfter: 90,
			HTMLBefore: "<p>before</p>", HTMLAfter: "<p>after</p>", CreatedAt: base.Add(time.Duration(minute) * time.Minute),
		}
	}

	t.Run("create and get round-trip", func(t *testing.T) {
		st, fx := newStore(t)
		want := task(fx, "t1", "c1", 0, rewrite.TaskAccepted)
		if err := st.CreateOptimizationTask(ctx, fx.Scope, want); err != nil {
			t.Fatal(err)
		}
		got, err := st.GetOptimizationTask(ctx, fx.Scope, "t1")
		if err != nil {
			t.Fatal(err)
		}
		if !equal(got, want) {
			t.Errorf("got %+v\nwant %+v", got, want)
		}
	})

	t.Run("list newest first per content", func(t *testing.T) {
		st, fx := newStore(t)
		for i, id := range []string{"t1", "t2", "t3"} {
			if err := st.CreateOptimizationTask(ctx, fx.Scope, task(fx, id, "c1", i, rewrite.TaskRejected)); err != nil {
				t.Fatal(err)
			}
		}
		if err := st.CreateOptimizationTask(ctx, fx.Scope, task(fx, "t4", "c2", 9, rewrite.TaskFailed)); err != nil {
			t.Fatal(err)
		}
		got, err := st.ListOptimizationTasks(ctx, fx.Scope, "c1")
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 3 || got[0].ID != "t3" || got[2].ID != "t1" {
			t.Errorf("listed %v, want t3 t2 t1", ids(got))
		}
	})

	t.Run("another tenant sees nothing", func(t *testing.T) {
		st, fx := newStore(t)
		if err := st.CreateOptimizationTask(ctx, fx.Scope, task(fx, "t1", "c1", 0, rewrite.TaskAccepted)); err != nil {
			t.Fatal(err)
		}
		if _, err := st.GetOptimizationTask(ctx, fx.Other, "t1"); !errors.Is(err, igny8.ErrNotFound) {
			t.Errorf("get from another scope: err = %v, want NotFound", err)
		}
		got, err := st.ListOptimizationTasks(ctx, fx.Other, "c1")
		if err != nil || len(got) != 0 {
			t.Errorf("list from another scope: %v, %v", ids(got), err)
		}
	})

	t.Run("unknown id is NotFound", func(t *testing.T) {
		st, fx := newStore(t)
		if _, err := st.GetOptimizationTask(ctx, fx.Scope, "nope"); !errors.Is(err, igny8.ErrNotFound) {
			t.Errorf("err = %v, want NotFound", err)
		}
	})
}

func ids(ts []rewrite.Task) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.ID
	}
	return out
}

func equal(a, b rewrite.Task) bool {
	same := func(x, y []string) bool {
		if len(x) != len(y) {
			return false
		}
		for i := range x {
			if x[i] != y[i] {
				return false
			}
		}
		return true
	}
	return a.ID == b.ID && a.Scope == b.Scope && a.ContentID == b.ContentID && a.Keyphrase == b.Keyphrase &&
		a.BaseVersion == b.BaseVersion && a.NewVersion == b.NewVersion && a.Status == b.Status && a.Reason == b.Reason &&
		same(a.Instructions, b.Instructions) && same(a.Changes, b.Changes) &&
		a.SEOBefore == b.SEOBefore && a.ReadabilityBefore == b.ReadabilityBefore && a.SEOAfter == b.SEOAfter &&
		a.ReadabilityAfter == b.ReadabilityAfter && a.HTMLBefore == b.HTMLBefore && a.HTMLAfter == b.HTMLAfter &&
		a.CreatedAt.Equal(b.CreatedAt)
}
