package storagetest_test

import (
	"fmt"

	"github.com/igny8/sdk/igny8/storagetest"
)

// The key tables are exported so that an adapter can check its own
// validation, or a host its key builder, against the contract.
func ExampleInvalidKeys() {
	for _, k := range storagetest.InvalidKeys()[:5] {
		fmt.Printf("%q\n", k)
	}
	fmt.Println(len(storagetest.ValidKeys()) > 0)
	// Output:
	// ""
	// ".."
	// "."
	// "../x"
	// "a/../../x"
	// true
}
