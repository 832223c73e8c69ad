package igny8

import "context"

// Store is the persistence port of the kernel. adapters/sqlstore implements
// it on SQLite and Postgres; a host may write its own and prove it with
// igny8/storetest.
//
// Rules every implementation keeps:
//
//   - Tenant methods take an explicit Scope and never return, change or
//     count a row outside it: such a row answers NotFound (or is simply not
//     listed). Create methods take the tenant columns from the scope.
//   - Errors carry the kernel's codes: NotFound, Conflict for a duplicate
//     unique value, InvalidArgument for input the store cannot hold.
//   - Methods called with the context that InTx passes to its function run
//     inside that transaction.
type Store interface {
	Transactor
	PlanStore
	TenancyStore
	UsageStore
	LedgerStore
	EventStore
}

// Transactor runs a function in one transaction.
type Transactor interface {
	// InTx runs fn in a transaction: committed if fn returns nil, rolled
	// back otherwise (and on panic, which is re-raised). Store methods given
	// the ctx that fn receives run in the transaction. InTx called with a
	// ctx that already carries a transaction joins it.
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
}

// PlanStore keeps plans. Plans are not tenant data: every account refers to
// one.
type PlanStore interface {
	CreatePlan(ctx context.Context, p Plan) error
	GetPlan(ctx context.Context, id string) (Plan, error)
	UpdatePlan(ctx context.Context, p Plan) error
	ListPlans(ctx context.Context) ([]Plan, error)
}

// TenancyStore keeps accounts, sites, sectors and users.
type TenancyStore interface {
	CreateAccount(ctx context.Context, a Account) error
	// GetAccount returns the account with its current credit balance.
	GetAccount(ctx context.Context, accountID string) (Account, error)
	// UpdateAccount changes name, plan, time zone and system flag; never the
	// balance (only the ledger does).
	UpdateAccount(ctx context.Context, a Account) error
	// ListAccounts is for platform staff (superusers).
	ListAccounts(ctx context.Context, page PageRequest) ([]Account, error)

	CreateSite(ctx context.Context, scope Scope, s Site) error
	GetSite(ctx context.Context, scope Scope, id string) (Site, error)
	ListSites(ctx context.Context, scope Scope, page PageRequest) ([]Site, error)
	UpdateSite(ctx context.Context, scope Scope, s Site) error
	// DeleteSite deletes the site and its sectors.
	DeleteSite(ctx context.Context, scope Scope, id string) error

	// CreateSector creates a sector in scope.SiteID, which must be a site
	// of scope.AccountID (else NotFound).
	CreateSector(ctx context.Context, scope Scope, s Sector) error
	GetSector(ctx context.Context, scope Scope, id string) (Sector, error)
	// ListSectors lists the sectors of the scope's account, or of its site
	// when scope.SiteID is set.
	ListSectors(ctx context.Context, scope Scope, page PageRequest) ([]Sector, error)
	UpdateSector(ctx context.Context, scope Scope, s Sector) error
	DeleteSector(ctx context.Context, scope Scope, id string) error

	// CreateUser creates a user; the email is unique per account (Conflict).
	CreateUser(ctx context.Context, scope Scope, u User) error
	GetUser(ctx context.Context, scope Scope, id string) (User, error)
	GetUserByEmail(ctx context.Context, scope Scope, email string) (User, error)
	ListUsers(ctx context.Context, scope Scope, page PageRequest) ([]User, error)
	UpdateUser(ctx context.Context, scope Scope, u User) error
	DeleteUser(ctx context.Context, scope Scope, id string) error
}

// UsageStore keeps the usage counters behind plan limits.
type UsageStore interface {
	// ReserveUsage atomically adds n to the counter of key if the result
	// stays at or under max (max < 0: unlimited) and returns the new usage;
	// otherwise it changes nothing and returns a *LimitError with the
	// current usage.
	ReserveUsage(ctx context.Context, key UsageKey, n, max int64) (int64, error)
	// ReleaseUsage subtracts n from the counter, never below zero.
	ReleaseUsage(ctx context.Context, key UsageKey, n int64) error
	// GetUsage returns the counter's value (0 when never used).
	GetUsage(ctx context.Context, key UsageKey) (int64, error)
}

// LedgerStore keeps the append-only credit ledger and the balance it drives.
type LedgerStore interface {
	// ApplyLedger appends e and moves the account's balance by e.Amount,
	// atomically, filling in BalanceAfter. A negative amount that would take
	// the balance below zero changes nothing and returns a *CreditError.
	// If the account already has an entry with e.IdempotencyKey, nothing
	// changes and that entry is returned; if that entry differs in kind or
	// amount, the answer is Conflict. An unknown account is NotFound.
	ApplyLedger(ctx context.Context, e LedgerEntry) (LedgerEntry, error)
	// GetLedgerEntry returns the account's entry with the idempotency key.
	GetLedgerEntry(ctx context.Context, accountID, idempotencyKey string) (LedgerEntry, error)
	// ListLedger lists the account's entries oldest first.
	ListLedger(ctx context.Context, accountID string, page PageRequest) ([]LedgerEntry, error)
}

// EventStore is the transactional outbox of domain events.
type EventStore interface {
	// AppendEvents stores events (in the caller's transaction, if any) and
	// returns them with Seq assigned. Seq order is the order in which
	// events become visible to readers: a reader that has seen seq N will
	// never later see a new event with a smaller seq.
	AppendEvents(ctx context.Context, events ...Event) ([]Event, error)
	// ReadEvents returns events in Seq order after the cursor of
	// (q.Consumer, q.Scope), within q.Scope, at most q.Limit.
	ReadEvents(ctx context.Context, q EventQuery) ([]Event, error)
	// AckEvents moves the cursor of (consumer, scope) forward to seq; a
	// smaller seq than the cursor changes nothing.
	AckEvents(ctx context.Context, consumer string, scope Scope, seq int64) error
}
