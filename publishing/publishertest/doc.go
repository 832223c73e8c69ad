// Package publishertest proves implementations of the publishing ports, as
// testing/fstest does for io/fs: an adapter author runs the same suite the
// SDK's own adapters run.
//
//	func TestConformance(t *testing.T) {
//		publishertest.Run(t, func(t *testing.T) publishing.Publisher { return newTestClient(t) })
//	}
//
// Run (and RunWith, which can also read items back from the destination and
// check refused credentials) covers create, update, unpublish, idempotent
// retry through publishing.Service, lookup by key, error mapping and
// concurrent publishes. RunStore proves a publishing.Store.
//
// The package also offers MemoryStore, a publishing.Store in memory, and
// Memory, a Publisher and Finder in memory with fault injection, for tests
// of code that publishes.
package publishertest
