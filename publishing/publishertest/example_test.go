package publishertest_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/publishing"
	"github.com/igny8/sdk/publishing/publishertest"
)

// A Memory publisher that loses the answer of its first create, as a
// timed-out HTTP call does: the item exists, the caller sees an error.
func ExampleMemory() {
	remote := publishertest.NewMemory()
	lost := false
	remote.Inject = func(op string, it publishing.Item) publishertest.Fault {
		if op == "publish" && it.RemoteID == "" && !lost {
			lost = true
			return publishertest.Fault{Err: errors.New("connection reset"), After: true}
		}
		return publishertest.Fault{}
	}
	item := publishing.Item{Scope: igny8.Scope{AccountID: "a", SiteID: "s"}, ContentID: "c", Version: 1,
		Title: "Hello", Status: publishing.StatusDraft, IdempotencyKey: "key-1"}
	_, err := remote.Publish(context.Background(), item)
	fmt.Println(err, remote.Len())

	// The lookup by key finds what the lost create made.
	r, found, _ := remote.FindByKey(context.Background(), "key-1")
	fmt.Println(found, r.RemoteID)
	// Output:
	// connection reset 1
	// true 1
}

// Memory is also a publishing.Updater: a page is found by its public
// address and edited, and an edit of a page read before it changed is
// refused.
func ExampleMemory_UpdatePage() {
	ctx := context.Background()
	remote := publishertest.NewMemory()
	r, _ := remote.Publish(ctx, publishing.Item{Scope: igny8.Scope{AccountID: "a", SiteID: "s"}, ContentID: "c", Version: 1,
		Title: "Grinders", HTML: "<p>Burr grinders.</p>", Status: publishing.StatusPublish, IdempotencyKey: "key-1"})

	page, found, _ := remote.FindPage(ctx, r.URL+"/")
	fmt.Println(found, page.ID, page.Content)

	written, err := remote.UpdatePage(ctx, page, `<p>Burr <a href="/grinders/">grinders</a>.</p>`)
	fmt.Println(written.Content, err)

	// page was read before that write: it is stale.
	_, err = remote.UpdatePage(ctx, page, "<p>Something else.</p>")
	fmt.Println(errors.Is(err, igny8.ErrConflict))

	_, found, err = remote.FindPage(ctx, "memory://items/404")
	fmt.Println(found, err)
	// Output:
	// true 1 <p>Burr grinders.</p>
	// <p>Burr <a href="/grinders/">grinders</a>.</p> <nil>
	// true
	// false <nil>
}
