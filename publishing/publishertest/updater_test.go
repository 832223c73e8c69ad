package publishertest_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/publishing"
	"github.com/igny8/sdk/publishing/publishertest"
)

func TestMemoryUpdaterConformance(t *testing.T) {
	publishertest.RunUpdater(t, publishertest.UpdaterConfig{
		New:      func(t *testing.T) publishing.Publisher { return publishertest.NewMemory() },
		Variants: func(pageURL string) []string { return []string{pageURL + "/"} },
	})
}

// TestMemoryUpdaterFaults shows Memory's fault injection on the Updater's
// calls: a fault before the write leaves the page as it was, one after it
// (a lost answer) leaves the write done.
func TestMemoryUpdaterFaults(t *testing.T) {
	ctx := t.Context()
	m := publishertest.NewMemory()
	r, err := m.Publish(ctx, publishing.Item{Scope: igny8.Scope{AccountID: "a", SiteID: "s"}, ContentID: "c", Version: 1,
		Title: "T", HTML: "<p>v1</p>", Status: publishing.StatusPublish, IdempotencyKey: "k"})
	if err != nil {
		t.Fatal(err)
	}
	boom := errors.New("connection reset")
	var calls []string
	fault := publishertest.Fault{}
	m.Inject = func(op string, it publishing.Item) publishertest.Fault {
		calls = append(calls, op+" "+it.RemoteID+" "+it.HTML)
		return fault
	}

	page, found, err := m.FindPage(ctx, r.URL)
	if err != nil || !found || page.Content != "<p>v1</p>" {
		t.Fatalf("FindPage = %+v %v %v", page, found, err)
	}
	fault = publishertest.Fault{Err: boom}
	if _, _, err := m.FindPage(ctx, r.URL); !errors.Is(err, boom) {
		t.Fatalf("FindPage with a fault: %v", err)
	}
	if _, err := m.UpdatePage(ctx, page, "<p>v2</p>"); !errors.Is(err, boom) {
		t.Fatalf("UpdatePage with a fault before: %v", err)
	}
	if it, _ := m.Get(r.RemoteID); it.HTML != "<p>v1</p>" {
		t.Fatalf("a fault before the write wrote %q", it.HTML)
	}
	fault = publishertest.Fault{Err: boom, After: true}
	if _, err := m.UpdatePage(ctx, page, "<p>v3</p>"); !errors.Is(err, boom) {
		t.Fatalf("UpdatePage with a fault after: %v", err)
	}
	if it, _ := m.Get(r.RemoteID); it.HTML != "<p>v3</p>" {
		t.Fatalf("a fault after the write left %q, want the write done", it.HTML)
	}
	// The page read before that write is now stale.
	fault = publishertest.Fault{}
	if _, err := m.UpdatePage(ctx, page, "<p>v4</p>"); !errors.Is(err, igny8.ErrConflict) {
		t.Fatalf("UpdatePage of a stale page: %v, want Conflict", err)
	}
	want := []string{"findpage 1 <p>v1</p>", "findpage 1 <p>v1</p>", "updatepage 1 <p>v2</p>", "updatepage 1 <p>v3</p>", "updatepage 1 <p>v4</p>"}
	if strings.Join(calls, "|") != strings.Join(want, "|") {
		t.Fatalf("Inject saw %q, want %q", calls, want)
	}
}

// brokenUpdater is a Memory with one deliberate bug in its Updater.
type brokenUpdater struct {
	*publishertest.Memory
	bug string
}

// force writes content over the page as it is now, ignoring what page
// held; bad input it leaves to Memory to refuse.
func (b *brokenUpdater) force(ctx context.Context, page publishing.RemotePage, content string) (publishing.RemotePage, error) {
	if page.ID == "" || strings.TrimSpace(content) == "" {
		return b.Memory.UpdatePage(ctx, page, content)
	}
	cur, found, err := b.Memory.FindPage(ctx, page.URL)
	if err != nil {
		return publishing.RemotePage{}, err
	}
	if !found {
		return publishing.RemotePage{}, igny8.NotFound("brokenUpdater", "page", page.ID)
	}
	return b.Memory.UpdatePage(ctx, cur, content)
}

func (b *brokenUpdater) FindPage(ctx context.Context, pageURL string) (publishing.RemotePage, bool, error) {
	switch b.bug {
	case "ignores-context":
		ctx = context.WithoutCancel(ctx)
	case "exact-url":
		if strings.HasSuffix(pageURL, "/") {
			return publishing.RemotePage{}, false, nil
		}
	case "relative-ok":
		if !strings.Contains(pageURL, "://") {
			return publishing.RemotePage{}, false, nil
		}
	}
	page, found, err := b.Memory.FindPage(ctx, pageURL)
	switch {
	case b.bug == "unknown-is-error" && err == nil && !found:
		return publishing.RemotePage{}, false, igny8.NotFound("brokenUpdater.FindPage", "page", pageURL)
	case b.bug == "stale-read" && found:
		// Answers with the content as first published: a cache that a
		// write does not clear.
		it, _ := b.Memory.Get(page.ID)
		page.Content = strings.SplitN(it.HTML, "\n", 2)[0]
	}
	return page, found, err
}

func (b *brokenUpdater) UpdatePage(ctx context.Context, page publishing.RemotePage, content string) (publishing.RemotePage, error) {
	switch b.bug {
	case "ignores-context":
		ctx = context.WithoutCancel(ctx)
	case "no-conflict":
		return b.force(ctx, page, content)
	case "writes-on-conflict":
		out, err := b.Memory.UpdatePage(ctx, page, content)
		if errors.Is(err, igny8.ErrConflict) {
			_, _ = b.force(ctx, page, content)
		}
		return out, err
	case "no-write":
		if page.ID != "" && strings.TrimSpace(content) != "" && ctx.Err() == nil {
			page.Content = content
			return page, nil
		}
	case "unnamed-field":
		out, err := b.Memory.UpdatePage(ctx, page, content)
		if igny8.CodeOf(err) == igny8.CodeInvalidArgument {
			return out, igny8.Errorf(igny8.CodeInvalidArgument, "brokenUpdater.UpdatePage", "bad input")
		}
		return out, err
	}
	return b.Memory.UpdatePage(ctx, page, content)
}

// brokenUpdaters are the deliberate bugs of brokenUpdater, each with the
// suite's subtests that must fail on it.
var brokenUpdaters = []struct {
	bug      string
	mustFail []string
}{
	{"no-conflict", []string{"Stale/changed_by_a_publish", "Stale/changed_by_an_update"}},
	{"writes-on-conflict", []string{"Stale/changed_by_a_publish", "Stale/changed_by_an_update"}},
	{"unknown-is-error", []string{"Unknown/address_no_page_has", "Unknown/page_taken_down"}},
	{"no-write", []string{"Update", "Stale/changed_by_an_update"}},
	{"stale-read", []string{"Update"}},
	{"ignores-context", []string{"Context"}},
	{"unnamed-field", []string{"BadInput"}},
	{"relative-ok", []string{"BadInput"}},
	{"exact-url", []string{"Variants"}},
}

// TestBrokenUpdater runs RunUpdater on a brokenUpdater with the bug named
// by PUBLISHERTEST_BROKEN; TestUpdaterSuiteFailsOnBrokenUpdaters runs it
// in a child process and expects it to fail. Without the variable it
// skips.
func TestBrokenUpdater(t *testing.T) {
	bug := os.Getenv("PUBLISHERTEST_BROKEN")
	if bug == "" {
		t.Skip("run by TestUpdaterSuiteFailsOnBrokenUpdaters")
	}
	publishertest.RunUpdater(t, publishertest.UpdaterConfig{
		New: func(t *testing.T) publishing.Publisher {
			return &brokenUpdater{Memory: publishertest.NewMemory(), bug: bug}
		},
		Variants: func(pageURL string) []string { return []string{pageURL + "/"} },
	})
}

// TestUpdaterSuiteFailsOnBrokenUpdaters proves that RunUpdater can fail:
// each deliberate bug fails the subtests that guard against it, and only
// those groups.
func TestUpdaterSuiteFailsOnBrokenUpdaters(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the suite in child processes")
	}
	groups := []string{"Find", "Variants", "Unknown", "Update", "Stale", "BadInput", "Context"}
	for _, b := range brokenUpdaters {
		t.Run(b.bug, func(t *testing.T) {
			cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestBrokenUpdater$", "-test.v", "-test.count=1")
			cmd.Env = append(os.Environ(), "PUBLISHERTEST_BROKEN="+b.bug)
			out, err := cmd.CombinedOutput()
			if err == nil {
				t.Fatalf("the suite passed on an Updater with the bug %q:\n%s", b.bug, out)
			}
			for _, name := range b.mustFail {
				if !strings.Contains(string(out), "--- FAIL: TestBrokenUpdater/"+name+" ") {
					t.Errorf("bug %q did not fail %s", b.bug, name)
				}
			}
			// The other groups pass: the failure is the bug's, not the
			// suite's.
			for _, g := range groups {
				if slices.ContainsFunc(b.mustFail, func(name string) bool { return name == g || strings.HasPrefix(name, g+"/") }) {
					continue
				}
				if strings.Contains(string(out), "--- FAIL: TestBrokenUpdater/"+g+" ") {
					t.Errorf("bug %q failed %s too", b.bug, g)
				}
			}
			if t.Failed() {
				t.Logf("child output:\n%s", out)
			}
		})
	}
}
