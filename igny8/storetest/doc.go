// Package storetest is the conformance suite for implementations of
// igny8.Store: the same assertions run against adapters/sqlstore on SQLite
// and Postgres, and against any store a host writes itself. It plays the
// role testing/fstest plays for io/fs and drivertest for gocloud.dev.
//
// A store's own test calls Run with a function that returns a fresh, empty,
// migrated store for each subtest:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) igny8.Store {
//			s, err := mystore.Open(t.Context(), dsnForAFreshDatabase(t))
//			if err != nil {
//				t.Fatal(err)
//			}
//			t.Cleanup(func() { s.Close() })
//			return s
//		})
//	}
//
// Run groups its subtests so that one part can be run alone
// (go test -run 'TestConformance/Credits'):
//
//   - Plans: create, get, update, list; NotFound; Conflict on a duplicate id;
//     validation errors name the field.
//   - Tenancy: accounts, sites, sectors and users through the store and
//     through igny8.Tenancy; pagination with PageRequest.After; NotFound for
//     missing rows; Conflict for a duplicate user email in one account;
//     DeleteSite removes its sectors; max_sites and max_users hold.
//   - Limits: reservations within a limit, *igny8.LimitError with limit,
//     max, used and requested; release never below zero; day and month
//     boundaries in the account's time zone (igny8.ManualClock); unlimited
//     when the plan omits a limit, nothing allowed at 0; 50 concurrent
//     reservations against a daily limit of 20 admit exactly 20.
//   - Credits: grant, debit and refund with balance_after; idempotency keys
//     (the same key charges once, a different amount is Conflict); the
//     balance never goes negative (*igny8.CreditError); a refund applies
//     once; the ledger lists oldest first, by page; 50 concurrent debits of
//     10 against 200 leave exactly 0 and refuse exactly 30; cost tables.
//   - Events: increasing Seq; per-consumer, per-scope cursors; scope and
//     type filters; acknowledgements only move forward; an event appended
//     in a transaction that rolls back is never delivered; 20 concurrent
//     writers and a reader that acknowledges as it goes: the reader sees
//     all 200 events once, in strictly increasing Seq.
//   - Transactions: InTx commits on nil, rolls back on error and on panic
//     (re-raised), nested calls join; a reservation in a rolled-back
//     transaction is not counted.
//   - Isolation: for every Store method that takes a scope, an account or
//     tenant data, a caller in tenant A's scope aims at tenant B's rows and
//     must get NotFound, see none of them in lists, and count or change
//     none of them; B's data is then read back and compared with what it
//     was. A site scope does not reach the account's other sites, a row
//     that names another tenant does not move there, and a scope without
//     an account is refused, not a wildcard.
//
// Beyond the happy path the suite expects times to come back as the same
// instant to the microsecond whatever their zone, strings byte for byte
// (quotes, emoji, SQL fragments), JSON payloads equal by value, pages that
// continue after a deleted cursor row, and InTx never to report success
// for a write it lost (a context canceled before commit).
//
// The isolation checks are data: IsolationChecks returns them, each naming
// its Store method, and NewFixture builds the two tenants they run on. A
// host can run them one by one, for example against a store wrapped in its
// own authorization layer. The package's own tests prove that every Store
// method with tenant data has a check, and that the checks fail on a
// deliberately leaky store.
//
// The suite uses only the igny8.Store interface and the kernel's services;
// it imports no database driver.
package storetest
