// Package storagetest is the conformance suite of igny8.Storage: the
// assertions every storage adapter (the filesystem one in
// adapters/fsstorage, a host's S3 or database one) must pass, so that
// content, images and rendered sites behave the same on each.
//
// An adapter's test runs it with a constructor of empty storages:
//
//	func TestConformance(t *testing.T) {
//		storagetest.Run(t, func(t *testing.T) (igny8.Storage, igny8.Scope) {
//			st, err := fsstorage.New(t.TempDir(), fsstorage.NoQuota{}, fsstorage.Options{})
//			if err != nil {
//				t.Fatal(err)
//			}
//			t.Cleanup(func() { st.Close() })
//			return st, igny8.Scope{AccountID: "acct-1", SiteID: "site-1"}
//		})
//	}
//
// The suite checks put, get, overwrite, delete, list by prefix and usage;
// NotFound for missing keys; InvalidArgument (naming the field "key") for
// every key in InvalidKeys; that every key in ValidKeys round-trips; that
// a site's objects are invisible to another site and to another account;
// that concurrent writers of distinct keys all land and concurrent writers
// of one key leave exactly one whole write (no torn objects); and that a
// failed or cancelled write changes nothing.
//
// Quotas are not part of the port (a Storage may have none); adapters that
// enforce one test it themselves.
package storagetest
