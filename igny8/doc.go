// Package igny8 is the kernel of the IGNY8 SDK: the types and ports every
// other package shares, and nothing heavy (no database driver, no model
// client).
//
// It holds:
//
//   - tenancy: Account (plan, credit balance, system flag, time zone),
//     Site, Sector, User with a Role, Plan with its limits, and Scope, the
//     explicit tenant every call that touches tenant data takes;
//   - errors with codes (NotFound, InvalidArgument, PermissionDenied,
//     LimitExceeded, InsufficientCredits, Conflict, Unavailable, Internal)
//     that work with errors.Is and CodeOf;
//   - IDs assigned by services (UUIDv7, time-ordered) and an injectable
//     Clock;
//   - Limits, which reserves plan limits atomically in the store, and
//     Credits, an append-only ledger whose balance never goes negative;
//   - Events, the domain events written in the same transaction as their
//     change (a transactional outbox) and read by consumers with a cursor;
//   - the ports the adapters fill: Store (and its parts), LLM, Embedder,
//     ImageGenerator, Storage and Scheduler.
//
// A host opens a Store (adapters/sqlstore for SQLite or Postgres), builds
// the services over it, and passes them to the domain packages:
//
//	store, err := sqlstore.Open(ctx, "sqlite:igny8.db", sqlstore.Options{})
//	tenancy := igny8.NewTenancy(store, igny8.TenancyOptions{})
//	credits := igny8.NewCredits(store, igny8.CreditsOptions{})
//	plan, _ := tenancy.CreatePlan(ctx, igny8.Plan{Name: "Growth", Limits: map[igny8.Limit]int64{igny8.LimitMaxSites: 5}})
//	acct, _ := tenancy.CreateAccount(ctx, igny8.Account{Name: "Acme", PlanID: plan.ID})
//	scope := igny8.Scope{AccountID: acct.ID}
//	credits.Grant(ctx, scope, igny8.Charge{Amount: 1000, Reason: "welcome", IdempotencyKey: "welcome:" + acct.ID})
//
// Implementations of Store prove themselves with the conformance suite in
// igny8/storetest.
package igny8
