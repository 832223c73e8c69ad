// Package contenttest is the conformance suite for implementations of
// content.Store. A store author runs it from a test:
//
//	func TestContentStore(t *testing.T) {
//		contenttest.Run(t, func(t *testing.T) contenttest.Store { return openMyStore(t) })
//	}
//
// Each call of the constructor must return a fresh, empty store that also
// implements igny8.Store (the suite creates the tenants it needs).
package contenttest

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/igny8/sdk/content"
	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/igny8/storetest"
)

// Store is what the suite tests: a content store over a kernel store.
type Store interface {
	igny8.Store
	content.Store
}

// Run runs the whole suite.
func Run(t *testing.T, newStore func(t *testing.T) Store) {
	t.Run("Tasks", func(t *testing.T) { testTasks(t, newStore(t)) })
	t.Run("ClaimConcurrent", func(t *testing.T) { testClaimConcurrent(t, newStore(t)) })
	t.Run("LeaseExpiry", func(t *testing.T) { testLeaseExpiry(t, newStore(t)) })
	t.Run("Content", func(t *testing.T) { testContent(t, newStore(t)) })
	t.Run("Versions", func(t *testing.T) { testVersions(t, newStore(t)) })
	t.Run("Images", func(t *testing.T) { testImages(t, newStore(t)) })
	t.Run("Isolation", func(t *testing.T) { testIsolation(t, newStore(t)) })
}

var t0 = time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)

type tenant struct {
	site, sector, otherSite igny8.Scope
}

func newTenant(t *testing.T, s Store, name string) tenant {
	t.Helper()
	a := storetest.NewAccount(t, s, name)
	return tenant{site: a.Site, sector: a.Sector, otherSite: a.OtherSite}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantCode(t *testing.T, what string, err error, code igny8.Code) {
	t.Helper()
	if got := igny8.CodeOf(err); got != code {
		t.Errorf("%s: got %v (code %q), want code %q", what, err, got, code)
	}
}

func makeTasks(scope igny8.Scope, batch string, n int) []content.Task {
	ids := &igny8.UUIDv7{}
	out := make([]content.Task, n)
	for i := range out {
		out[i] = content.Task{
			ID: ids.NewID(), Scope: scope, BatchID: batch, Title: fmt.Sprintf("Task %d", i), Type: content.TypePost,
			TargetWords: 800, Status: content.TaskQueued, Keywords: []string{"a", "b"},
			Outline:   []content.Section{{Heading: "One", Subheadings: []string{"1a"}}},
			CreatedAt: t0, UpdatedAt: t0,
		}
	}
	return out
}

func testTasks(t *testing.T, s Store) {
	ctx := context.Background()
	tn := newTenant(t, s, "tasks")
	tasks := makeTasks(tn.sector, "b1", 5)
	must(t, s.CreateTasks(ctx, tn.sector, tasks))

	got, err := s.GetTask(ctx, tn.site, tasks[0].ID)
	must(t, err)
	if got.Title != "Task 0" || got.Scope != tn.sector || len(got.Outline) != 1 || got.Outline[0].Subheadings[0] != "1a" || len(got.Keywords) != 2 {
		t.Errorf("task read back wrong: %+v", got)
	}
	list, err := s.ListTasks(ctx, tn.site, content.TaskFilter{BatchID: "b1"}, igny8.PageRequest{Limit: 3})
	must(t, err)
	if len(list) != 3 || list[0].ID != tasks[0].ID {
		t.Fatalf("first page: %d tasks", len(list))
	}
	list2, err := s.ListTasks(ctx, tn.site, content.TaskFilter{BatchID: "b1"}, igny8.PageRequest{Limit: 3, After: list[2].ID})
	must(t, err)
	if len(list2) != 2 {
		t.Fatalf("second page: %d tasks", len(list2))
	}

	claimed, err := s.ClaimTasks(ctx, tn.site, "b1", "w1", t0, t0.Add(time.Minute), 2)
	must(t, err)
	if len(claimed) != 2 || claimed[0].ID != tasks[0].ID || claimed[0].Status != content.TaskInProgress || claimed[0].LeaseOwner != "w1" || claimed[0].Attempts != 1 {
		t.Fatalf("claim: %+v", claimed)
	}
	wantCode(t, "complete by a worker without the lease", s.CompleteTask(ctx, tn.site, tasks[0].ID, "w2", "c1", t0), igny8.CodeConflict)
	must(t, s.CompleteTask(ctx, tn.site, tasks[0].ID, "w1", "c1", t0))
	wantCode(t, "complete twice", s.CompleteTask(ctx, tn.site, tasks[0].ID, "w1", "c2", t0), igny8.CodeConflict)
	done, err := s.GetTask(ctx, tn.site, tasks[0].ID)
	must(t, err)
	if done.Status != content.TaskCompleted || done.ContentID != "c1" || done.LeaseOwner != "" {
		t.Errorf("completed task: %+v", done)
	}

	must(t, s.FailTask(ctx, tn.site, tasks[1].ID, "w1", "model down", true, t0))
	f, _ := s.GetTask(ctx, tn.site, tasks[1].ID)
	if f.Status != content.TaskQueued || f.Failures != 1 || f.LastError != "model down" {
		t.Errorf("requeued task: %+v", f)
	}
	c, err := s.ClaimTask(ctx, tn.site, tasks[1].ID, "w1", t0, t0.Add(time.Minute))
	must(t, err)
	if c.Attempts != 2 {
		t.Errorf("attempts after second claim = %d", c.Attempts)
	}
	_, err = s.ClaimTask(ctx, tn.site, tasks[1].ID, "w2", t0, t0.Add(time.Minute))
	wantCode(t, "claim a leased task", err, igny8.CodeConflict)
	must(t, s.FailTask(ctx, tn.site, tasks[1].ID, "w1", "bad output", false, t0))
	f, _ = s.GetTask(ctx, tn.site, tasks[1].ID)
	if f.Status != content.TaskFailed || f.Failures != 2 {
		t.Errorf("failed task: %+v", f)
	}
	must(t, s.RequeueTask(ctx, tn.site, tasks[1].ID, t0))
	wantCode(t, "requeue a queued task", s.RequeueTask(ctx, tn.site, tasks[1].ID, t0), igny8.CodeConflict)

	c, err = s.ClaimTask(ctx, tn.site, tasks[2].ID, "w3", t0, t0.Add(time.Minute))
	must(t, err)
	must(t, s.ReleaseTask(ctx, tn.site, c.ID, "w3", "paused", t0))
	r, _ := s.GetTask(ctx, tn.site, c.ID)
	if r.Status != content.TaskQueued || r.Failures != 0 || r.LeaseOwner != "" || r.LastError != "paused" {
		t.Errorf("released task: %+v", r)
	}
	_, err = s.GetTask(ctx, tn.site, "nope")
	wantCode(t, "missing task", err, igny8.CodeNotFound)
}

func testClaimConcurrent(t *testing.T, s Store) {
	ctx := context.Background()
	tn := newTenant(t, s, "claims")
	const n = 60
	must(t, s.CreateTasks(ctx, tn.site, makeTasks(tn.site, "b", n)))
	var mu sync.Mutex
	seen := map[string]string{}
	var wg sync.WaitGroup
	for w := range 6 {
		owner := fmt.Sprintf("w%d", w)
		wg.Go(func() {
			for {
				got, err := s.ClaimTasks(ctx, tn.site, "b", owner, t0, t0.Add(time.Hour), 3)
				if err != nil {
					t.Errorf("claim: %v", err)
					return
				}
				if len(got) == 0 {
					return
				}
				mu.Lock()
				for _, task := range got {
					if prev, dup := seen[task.ID]; dup {
						t.Errorf("task %s claimed by %s and %s", task.ID, prev, owner)
					}
					seen[task.ID] = owner
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(seen) != n {
		t.Errorf("claimed %d distinct tasks, want %d", len(seen), n)
	}
}

func testLeaseExpiry(t *testing.T, s Store) {
	ctx := context.Background()
	tn := newTenant(t, s, "lease")
	tasks := makeTasks(tn.site, "b", 1)
	must(t, s.CreateTasks(ctx, tn.site, tasks))
	_, err := s.ClaimTasks(ctx, tn.site, "b", "dead", t0, t0.Add(time.Minute), 1)
	must(t, err)
	got, err := s.ClaimTasks(ctx, tn.site, "b", "alive", t0.Add(30*time.Second), t0.Add(2*time.Minute), 1)
	must(t, err)
	if len(got) != 0 {
		t.Fatal("a task under a live lease was claimed")
	}
	got, err = s.ClaimTasks(ctx, tn.site, "b", "alive", t0.Add(61*time.Second), t0.Add(3*time.Minute), 1)
	must(t, err)
	if len(got) != 1 || got[0].LeaseOwner != "alive" || got[0].Attempts != 2 {
		t.Fatalf("expired lease not taken over: %+v", got)
	}
	wantCode(t, "the dead worker completes late", s.CompleteTask(ctx, tn.site, tasks[0].ID, "dead", "late", t0), igny8.CodeConflict)
	must(t, s.CompleteTask(ctx, tn.site, tasks[0].ID, "alive", "c", t0))
}

func newContent(scope igny8.Scope, slug, taskID string) (content.Content, content.Version) {
	id := (&igny8.UUIDv7{}).NewID()
	c := content.Content{
		ID: id, Scope: scope, TaskID: taskID, Type: content.TypePost, Status: content.StatusDraft, Version: 1,
		Body: content.Body{Title: "Title " + slug, MetaTitle: "Meta", MetaDescription: "Desc", Slug: slug,
			HTML: "<p>Hello</p>", Blocks: json.RawMessage(`[{"type":"paragraph","html":"Hello"}]`), WordCount: 1,
			FAQ: []content.FAQ{{Question: "Q?", Answer: "A."}}},
		PrimaryKeyword: "Garden Tools", SecondaryKeywords: []string{"rake"}, CreatedAt: t0, UpdatedAt: t0,
	}
	return c, content.Version{ContentID: id, Number: 1, Reason: content.ReasonGenerated, Body: c.Body, CreatedAt: t0}
}

func testContent(t *testing.T, s Store) {
	ctx := context.Background()
	tn := newTenant(t, s, "content")
	c, v := newContent(tn.sector, "hello", "task-1")
	must(t, s.CreateContent(ctx, tn.sector, c, v))
	got, err := s.GetContent(ctx, tn.site, c.ID)
	must(t, err)
	if got.Title != c.Title || got.Scope != tn.sector || string(got.Blocks) != string(c.Blocks) || len(got.FAQ) != 1 || got.SecondaryKeywords[0] != "rake" {
		t.Errorf("content read back wrong: %+v", got)
	}
	bySlug, err := s.GetContentBySlug(ctx, tn.site, "hello")
	must(t, err)
	if bySlug.ID != c.ID {
		t.Error("by slug found another content")
	}
	dup, dv := newContent(tn.site, "hello", "")
	wantCode(t, "duplicate slug in the site", s.CreateContent(ctx, tn.site, dup, dv), igny8.CodeConflict)
	other, ov := newContent(tn.otherSite, "hello", "")
	must(t, s.CreateContent(ctx, tn.otherSite, other, ov)) // same slug, other site
	again, av := newContent(tn.site, "again", "task-1")
	wantCode(t, "second content for one task", s.CreateContent(ctx, tn.site, again, av), igny8.CodeConflict)

	taken, err := s.SlugTaken(ctx, tn.site, "hello", "")
	must(t, err)
	free, err := s.SlugTaken(ctx, tn.site, "hello", c.ID)
	must(t, err)
	if !taken || free {
		t.Errorf("SlugTaken: taken=%v, free-for-itself=%v", taken, free)
	}
	list, err := s.ListContent(ctx, tn.site, content.ContentFilter{Keyword: "garden tools"}, igny8.PageRequest{})
	must(t, err)
	if len(list) != 1 {
		t.Errorf("list by keyword: %d", len(list))
	}
	must(t, s.SetContentStatus(ctx, tn.site, c.ID, content.StatusPublished, []content.Placement{{Destination: "wp", ExternalID: "5", Version: 1, PublishedAt: t0}}, t0))
	got, _ = s.GetContent(ctx, tn.site, c.ID)
	if got.Status != content.StatusPublished || len(got.PublishedTo) != 1 || got.PublishedTo[0].ExternalID != "5" {
		t.Errorf("status: %+v", got)
	}
	_, err = s.GetContent(ctx, tn.site, "missing")
	wantCode(t, "missing content", err, igny8.CodeNotFound)
}

func testVersions(t *testing.T, s Store) {
	ctx := context.Background()
	tn := newTenant(t, s, "versions")
	c, v := newContent(tn.site, "v", "")
	must(t, s.CreateContent(ctx, tn.site, c, v))
	c2 := c
	c2.Version = 2
	c2.HTML = "<p>Second</p>"
	v2 := content.Version{ContentID: c.ID, Number: 2, Reason: content.ReasonEdited, Body: c2.Body, CreatedAt: t0}
	must(t, s.SaveVersion(ctx, tn.site, c2, v2))
	wantCode(t, "saving version 2 again", s.SaveVersion(ctx, tn.site, c2, v2), igny8.CodeConflict)
	got, err := s.GetContent(ctx, tn.site, c.ID)
	must(t, err)
	if got.Version != 2 || got.HTML != "<p>Second</p>" {
		t.Errorf("after save: version %d html %q", got.Version, got.HTML)
	}
	vs, err := s.ListVersions(ctx, tn.site, c.ID)
	must(t, err)
	if len(vs) != 2 || vs[0].Number != 1 || vs[1].Reason != content.ReasonEdited || vs[0].HTML != "<p>Hello</p>" {
		t.Errorf("versions: %+v", vs)
	}
	one, err := s.GetVersion(ctx, tn.site, c.ID, 1)
	must(t, err)
	if one.HTML != "<p>Hello</p>" {
		t.Errorf("version 1 html %q", one.HTML)
	}
	_, err = s.GetVersion(ctx, tn.site, c.ID, 9)
	wantCode(t, "missing version", err, igny8.CodeNotFound)
}

func testImages(t *testing.T, s Store) {
	ctx := context.Background()
	tn := newTenant(t, s, "images")
	c, v := newContent(tn.site, "img", "")
	must(t, s.CreateContent(ctx, tn.site, c, v))
	ids := &igny8.UUIDv7{}
	for i := range 3 {
		kind := content.ImageInArticle
		if i == 0 {
			kind = content.ImageFeatured
		}
		must(t, s.CreateImage(ctx, tn.site, content.Image{ID: ids.NewID(), ContentID: c.ID, Kind: kind, Position: i, Prompt: "p", Alt: "a", Status: content.ImagePending, CreatedAt: t0, UpdatedAt: t0}))
	}
	imgs, err := s.ListImages(ctx, tn.site, c.ID)
	must(t, err)
	if len(imgs) != 3 || imgs[0].Kind != content.ImageFeatured {
		t.Fatalf("images: %+v", imgs)
	}
	imgs[1].Status, imgs[1].StorageKey, imgs[1].Size, imgs[1].MediaType = content.ImageGenerated, "images/x.png", 123, "image/png"
	must(t, s.UpdateImage(ctx, tn.site, imgs[1]))
	imgs, _ = s.ListImages(ctx, tn.site, c.ID)
	if imgs[1].Status != content.ImageGenerated || imgs[1].Size != 123 {
		t.Errorf("updated image: %+v", imgs[1])
	}
	wantCode(t, "image of a missing content", s.CreateImage(ctx, tn.site, content.Image{ID: ids.NewID(), ContentID: "nope", Kind: content.ImageFeatured, Status: content.ImagePending, CreatedAt: t0, UpdatedAt: t0}), igny8.CodeNotFound)
}

// testIsolation checks every scoped method: a caller in tenant A never
// reaches tenant B's rows, nor site 2 of its own account from site 1.
func testIsolation(t *testing.T, s Store) {
	ctx := context.Background()
	a := newTenant(t, s, "A")
	b := newTenant(t, s, "B")
	bTasks := makeTasks(b.site, "bb", 2)
	must(t, s.CreateTasks(ctx, b.site, bTasks))
	bc, bv := newContent(b.site, "b-post", "")
	must(t, s.CreateContent(ctx, b.site, bc, bv))
	must(t, s.CreateImage(ctx, b.site, content.Image{ID: "b-img", ContentID: bc.ID, Kind: content.ImageFeatured, Status: content.ImagePending, CreatedAt: t0, UpdatedAt: t0}))
	// A's second site holds a content that A's first site must not see.
	sc, sv := newContent(a.otherSite, "a2-post", "")
	must(t, s.CreateContent(ctx, a.otherSite, sc, sv))

	cross := []struct {
		name  string
		scope igny8.Scope
		id    string
	}{{"other account", a.site, bc.ID}, {"other site", a.site, sc.ID}}
	for _, x := range cross {
		t.Run(x.name, func(t *testing.T) {
			_, err := s.GetContent(ctx, x.scope, x.id)
			wantCode(t, "GetContent", err, igny8.CodeNotFound)
			_, err = s.ListVersions(ctx, x.scope, x.id)
			wantCode(t, "ListVersions", err, igny8.CodeNotFound)
			_, err = s.GetVersion(ctx, x.scope, x.id, 1)
			wantCode(t, "GetVersion", err, igny8.CodeNotFound)
			fake, _ := newContent(x.scope, "x", "")
			fake.ID, fake.Version = x.id, 2
			wantCode(t, "SaveVersion", s.SaveVersion(ctx, x.scope, fake, content.Version{ContentID: x.id, Number: 2, Body: fake.Body, CreatedAt: t0}), igny8.CodeNotFound)
			wantCode(t, "SetContentStatus", s.SetContentStatus(ctx, x.scope, x.id, content.StatusPublished, nil, t0), igny8.CodeNotFound)
			wantCode(t, "CreateImage", s.CreateImage(ctx, x.scope, content.Image{ID: "x-img-" + x.name, ContentID: x.id, Kind: content.ImageFeatured, Status: content.ImagePending, CreatedAt: t0, UpdatedAt: t0}), igny8.CodeNotFound)
			imgs, err := s.ListImages(ctx, x.scope, x.id)
			must(t, err)
			if len(imgs) != 0 {
				t.Error("ListImages shows another scope's images")
			}
		})
	}
	_, err := s.GetContentBySlug(ctx, a.site, "b-post")
	wantCode(t, "GetContentBySlug", err, igny8.CodeNotFound)
	if taken, _ := s.SlugTaken(ctx, a.site, "b-post", ""); taken {
		t.Error("SlugTaken counts another account's slug")
	}
	list, err := s.ListContent(ctx, a.site, content.ContentFilter{}, igny8.PageRequest{})
	must(t, err)
	if len(list) != 0 {
		t.Errorf("ListContent of A's site 1 shows %d foreign rows", len(list))
	}
	wantCode(t, "UpdateImage", s.UpdateImage(ctx, a.site, content.Image{ID: "b-img", Status: content.ImageGenerated, UpdatedAt: t0}), igny8.CodeNotFound)

	_, err = s.GetTask(ctx, a.site, bTasks[0].ID)
	wantCode(t, "GetTask", err, igny8.CodeNotFound)
	ts, err := s.ListTasks(ctx, a.site, content.TaskFilter{BatchID: "bb"}, igny8.PageRequest{})
	must(t, err)
	claimed, err := s.ClaimTasks(ctx, a.site, "bb", "thief", t0, t0.Add(time.Hour), 10)
	must(t, err)
	if len(ts) != 0 || len(claimed) != 0 {
		t.Errorf("A lists %d and claims %d of B's tasks", len(ts), len(claimed))
	}
	_, err = s.ClaimTask(ctx, a.site, bTasks[0].ID, "thief", t0, t0.Add(time.Hour))
	wantCode(t, "ClaimTask", err, igny8.CodeNotFound)
	// B claims its own task; A must not complete, fail or release it.
	mine, err := s.ClaimTask(ctx, b.site, bTasks[1].ID, "owner", t0, t0.Add(time.Hour))
	must(t, err)
	wantCode(t, "CompleteTask", s.CompleteTask(ctx, a.site, mine.ID, "owner", "x", t0), igny8.CodeNotFound)
	wantCode(t, "FailTask", s.FailTask(ctx, a.site, mine.ID, "owner", "x", true, t0), igny8.CodeNotFound)
	wantCode(t, "ReleaseTask", s.ReleaseTask(ctx, a.site, mine.ID, "owner", "", t0), igny8.CodeNotFound)
	wantCode(t, "RequeueTask", s.RequeueTask(ctx, a.site, mine.ID, t0), igny8.CodeNotFound)
	wantCode(t, "CreateTasks under B's site", s.CreateTasks(ctx, igny8.Scope{AccountID: a.site.AccountID, SiteID: b.site.SiteID}, makeTasks(b.site, "", 1)), igny8.CodeNotFound)
	fc, fv := newContent(b.site, "sneaky", "")
	wantCode(t, "CreateContent under B's site", s.CreateContent(ctx, igny8.Scope{AccountID: a.site.AccountID, SiteID: b.site.SiteID}, fc, fv), igny8.CodeNotFound)

	// B's rows are unchanged.
	got, err := s.GetTask(ctx, b.site, bTasks[1].ID)
	must(t, err)
	if got.Status != content.TaskInProgress || got.LeaseOwner != "owner" {
		t.Errorf("B's task changed: %+v", got)
	}
	bcGot, err := s.GetContent(ctx, b.site, bc.ID)
	must(t, err)
	if bcGot.Version != 1 || bcGot.Status != content.StatusDraft {
		t.Errorf("B's content changed: %+v", bcGot)
	}
	vs, _ := s.ListVersions(ctx, b.site, bc.ID)
	ids := make([]int, 0, len(vs))
	for _, v := range vs {
		ids = append(ids, v.Number)
	}
	sort.Ints(ids)
	if len(ids) != 1 {
		t.Errorf("B's content has versions %v", ids)
	}
}
