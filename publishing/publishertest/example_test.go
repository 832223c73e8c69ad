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
