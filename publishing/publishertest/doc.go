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
// RunUpdater proves a publishing.Updater, on a Publisher that is also one:
// it publishes pages and checks that FindPage finds them by their public
// address (and the address variants the adapter documents), that an
// address no page has is (RemotePage{}, false, nil), that UpdatePage writes
// what FindPage then returns, that an UpdatePage with a page read before it
// changed is Conflict and writes nothing, that bad input is InvalidArgument
// naming the field (page_url, page.id, content), and that a canceled
// context is honoured.
//
//	func TestUpdaterConformance(t *testing.T) {
//		publishertest.RunUpdater(t, publishertest.UpdaterConfig{
//			New:      func(t *testing.T) publishing.Publisher { return newTestClient(t) },
//			Variants: func(u string) []string { return []string{strings.TrimSuffix(u, "/")} },
//		})
//	}
//
// The package also offers MemoryStore, a publishing.Store in memory, and
// Memory, a Publisher, Finder and Updater in memory with fault injection,
// for tests of code that publishes or edits pages.
package publishertest
