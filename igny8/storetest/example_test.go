package storetest_test

import (
	"context"
	"fmt"

	"github.com/igny8/sdk/igny8/storetest"
)

// A host proves its store with one call in its own test:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) igny8.Store { return newMyStore(t) })
//	}
//
// The isolation checks are also data, to run one by one. Here they run on
// this package's in-memory store, and then on the same store wrapped so
// that GetSite ignores the caller's account.
func ExampleIsolationChecks() {
	ctx := context.Background()
	store := newMemStore()
	methods := map[string]bool{}
	failed := 0
	for _, c := range storetest.IsolationChecks() {
		methods[c.Method] = true
		f, err := storetest.BuildFixture(ctx, store)
		if err != nil {
			fmt.Println("fixture:", err)
			return
		}
		if err := c.Run(ctx, store, f); err != nil {
			failed++
			fmt.Println(c.Method, c.Name, err)
		}
	}
	fmt.Printf("%d methods checked, %d checks failed\n", len(methods), failed)

	leaky := &leakyStore{Store: store, leak: "GetSite"}
	for _, c := range storetest.IsolationChecks() {
		if c.Method != "GetSite" {
			continue
		}
		f, err := storetest.BuildFixture(ctx, store)
		if err != nil {
			fmt.Println("fixture:", err)
			return
		}
		fmt.Printf("leaky GetSite, %s: caught=%v\n", c.Name, c.Run(ctx, leaky, f) != nil)
	}
	// Output:
	// 29 methods checked, 0 checks failed
	// leaky GetSite, other account's site: caught=true
	// leaky GetSite, other account's site in a site scope naming it: caught=true
	// leaky GetSite, scope without an account: caught=true
}
