package igny8

import (
	"context"
	"fmt"
	"time"
)

// LedgerKind is the kind of a credit ledger entry.
type LedgerKind string

// Ledger entry kinds.
const (
	LedgerGrant  LedgerKind = "grant"
	LedgerDebit  LedgerKind = "debit"
	LedgerRefund LedgerKind = "refund"
)

// LedgerEntry is one line of an account's append-only credit ledger. Amount
// is signed: positive for grants and refunds, negative for debits.
type LedgerEntry struct {
	ID        string     `json:"id"`
	AccountID string     `json:"account_id"`
	Kind      LedgerKind `json:"kind"`
	Amount    int64      `json:"amount"`
	// BalanceAfter is the account balance right after this entry.
	BalanceAfter int64  `json:"balance_after"`
	Reason       string `json:"reason"`
	// Reference points at what the entry is for: an AI call, a content id.
	Reference string `json:"reference,omitempty"`
	// IdempotencyKey is unique per account: applying an entry whose key was
	// used before returns the earlier entry and changes nothing.
	IdempotencyKey string    `json:"idempotency_key"`
	CreatedAt      time.Time `json:"created_at"`
}

// Charge describes a grant, debit or refund.
type Charge struct {
	// Amount is a positive number of credits.
	Amount int64
	// Reason says why, in words a person reads in the ledger.
	Reason string
	// Reference names what the charge is for (optional).
	Reference string
	// IdempotencyKey makes the charge safe to retry: the same key twice
	// charges once. Required.
	IdempotencyKey string
}

func (c Charge) validate(op string) error {
	if c.Amount <= 0 {
		return InvalidArgument(op, "amount", "must be positive, got %d", c.Amount)
	}
	if c.Reason == "" {
		return InvalidArgument(op, "reason", "is required")
	}
	if c.IdempotencyKey == "" {
		return InvalidArgument(op, "idempotency_key", "is required")
	}
	if len(c.IdempotencyKey) > 200 {
		return InvalidArgument(op, "idempotency_key", "must be at most 200 bytes, got %d", len(c.IdempotencyKey))
	}
	return nil
}

// Cost is what one AI function costs: a fixed part per call plus a part per
// 1,000 tokens (prompt and completion together), rounded up.
type Cost struct {
	PerCall     int64 `json:"per_call"`
	Per1KTokens int64 `json:"per_1k_tokens"`
}

// For returns the cost of a call that used tokens tokens.
func (c Cost) For(tokens int64) int64 {
	if tokens < 0 {
		tokens = 0
	}
	return c.PerCall + (c.Per1KTokens*tokens+999)/1000
}

// CostTable maps an AI function name to its cost.
type CostTable map[string]Cost

// Validate checks that no cost is negative.
func (t CostTable) Validate(op, field string) error {
	for fn, c := range t {
		if c.PerCall < 0 || c.Per1KTokens < 0 {
			return InvalidArgument(op, field+"."+fn, "cost must not be negative")
		}
	}
	return nil
}

// AI function names used in cost tables, call logs and prompts.
const (
	FuncAutoCluster           = "auto_cluster"
	FuncGenerateIdeas         = "generate_ideas"
	FuncGenerateContent       = "generate_content"
	FuncGenerateImagePrompts  = "generate_image_prompts"
	FuncGenerateImage         = "generate_image"
	FuncGenerateSiteStructure = "generate_site_structure"
	FuncOptimizeContent       = "optimize_content"
)

// DefaultCosts returns the cost table used where a plan sets none.
func DefaultCosts() CostTable {
	return CostTable{
		FuncAutoCluster:           {PerCall: 1, Per1KTokens: 1},
		FuncGenerateIdeas:         {PerCall: 1, Per1KTokens: 1},
		FuncGenerateContent:       {PerCall: 2, Per1KTokens: 2},
		FuncGenerateImagePrompts:  {PerCall: 1},
		FuncGenerateImage:         {PerCall: 5},
		FuncGenerateSiteStructure: {PerCall: 2, Per1KTokens: 1},
		FuncOptimizeContent:       {PerCall: 1, Per1KTokens: 2},
	}
}

// Credits keeps the credit ledger. The balance never goes below zero: a
// debit that would is refused with a *CreditError. Every entry carries an
// idempotency key, so a retried grant, debit or refund applies once.
type Credits struct {
	store    Store
	clock    Clock
	ids      IDGenerator
	defaults CostTable
}

// CreditsOptions configures Credits; the zero value is usable.
type CreditsOptions struct {
	Clock Clock
	IDs   IDGenerator
	// Costs is the default cost table; nil means DefaultCosts().
	Costs CostTable
}

// NewCredits returns a Credits over store.
func NewCredits(store Store, opts CreditsOptions) *Credits {
	c := &Credits{store: store, clock: opts.Clock, ids: opts.IDs, defaults: opts.Costs}
	if c.clock == nil {
		c.clock = SystemClock{}
	}
	if c.ids == nil {
		c.ids = &UUIDv7{Clock: c.clock}
	}
	if c.defaults == nil {
		c.defaults = DefaultCosts()
	}
	return c
}

func (c *Credits) apply(ctx context.Context, op string, scope Scope, kind LedgerKind, ch Charge) (LedgerEntry, error) {
	if err := scope.Validate(op); err != nil {
		return LedgerEntry{}, err
	}
	if err := ch.validate(op); err != nil {
		return LedgerEntry{}, err
	}
	amount := ch.Amount
	if kind == LedgerDebit {
		amount = -amount
	}
	e := LedgerEntry{
		ID:             c.ids.NewID(),
		AccountID:      scope.AccountID,
		Kind:           kind,
		Amount:         amount,
		Reason:         ch.Reason,
		Reference:      ch.Reference,
		IdempotencyKey: ch.IdempotencyKey,
		CreatedAt:      c.clock.Now().UTC(),
	}
	out, err := c.store.ApplyLedger(ctx, e)
	if err != nil {
		return LedgerEntry{}, Wrap(CodeInternal, op, err)
	}
	return out, nil
}

// Grant adds credits to the scope's account.
func (c *Credits) Grant(ctx context.Context, scope Scope, ch Charge) (LedgerEntry, error) {
	return c.apply(ctx, "igny8.Credits.Grant", scope, LedgerGrant, ch)
}

// Debit takes credits from the scope's account, or refuses with a
// *CreditError if the balance would go below zero.
func (c *Credits) Debit(ctx context.Context, scope Scope, ch Charge) (LedgerEntry, error) {
	return c.apply(ctx, "igny8.Credits.Debit", scope, LedgerDebit, ch)
}

// Refund gives back the debit made with debitKey, once: its idempotency key
// is derived from the debit's ("refund:" + debitKey). The amount is the
// debit's. Refunding a key that was never debited is NotFound.
func (c *Credits) Refund(ctx context.Context, scope Scope, debitKey, reason string) (LedgerEntry, error) {
	const op = "igny8.Credits.Refund"
	if err := scope.Validate(op); err != nil {
		return LedgerEntry{}, err
	}
	if debitKey == "" {
		return LedgerEntry{}, InvalidArgument(op, "debit_key", "is required")
	}
	debit, err := c.store.GetLedgerEntry(ctx, scope.AccountID, debitKey)
	if err != nil {
		return LedgerEntry{}, Wrap(CodeInternal, op, err)
	}
	if debit.Kind != LedgerDebit {
		return LedgerEntry{}, InvalidArgument(op, "debit_key", "entry %q is a %s, not a debit", debitKey, debit.Kind)
	}
	if reason == "" {
		reason = "refund: " + debit.Reason
	}
	return c.apply(ctx, op, scope, LedgerRefund, Charge{
		Amount:         -debit.Amount,
		Reason:         reason,
		Reference:      debit.Reference,
		IdempotencyKey: "refund:" + debitKey,
	})
}

// Balance returns the account's current balance.
func (c *Credits) Balance(ctx context.Context, scope Scope) (int64, error) {
	const op = "igny8.Credits.Balance"
	if err := scope.Validate(op); err != nil {
		return 0, err
	}
	a, err := c.store.GetAccount(ctx, scope.AccountID)
	if err != nil {
		return 0, Wrap(CodeInternal, op, err)
	}
	return a.CreditBalance, nil
}

// Ledger lists the account's entries, oldest first, a page at a time.
func (c *Credits) Ledger(ctx context.Context, scope Scope, page PageRequest) ([]LedgerEntry, error) {
	const op = "igny8.Credits.Ledger"
	if err := scope.Validate(op); err != nil {
		return nil, err
	}
	return c.store.ListLedger(ctx, scope.AccountID, page.normalize())
}

// CostTable returns the cost table for the scope's account: the defaults
// overlaid with the plan's own costs.
func (c *Credits) CostTable(ctx context.Context, scope Scope) (CostTable, error) {
	const op = "igny8.Credits.CostTable"
	a, err := c.store.GetAccount(ctx, scope.AccountID)
	if err != nil {
		return nil, Wrap(CodeInternal, op, err)
	}
	p, err := c.store.GetPlan(ctx, a.PlanID)
	if err != nil {
		return nil, Wrap(CodeInternal, op, err)
	}
	out := make(CostTable, len(c.defaults)+len(p.Costs))
	for k, v := range c.defaults {
		out[k] = v
	}
	for k, v := range p.Costs {
		out[k] = v
	}
	return out, nil
}

// Cost returns what function costs for the scope's account for a call that
// used tokens tokens. An unknown function is InvalidArgument.
func (c *Credits) Cost(ctx context.Context, scope Scope, function string, tokens int64) (int64, error) {
	t, err := c.CostTable(ctx, scope)
	if err != nil {
		return 0, err
	}
	cost, ok := t[function]
	if !ok {
		return 0, InvalidArgument("igny8.Credits.Cost", "function", "no cost is set for %q", function)
	}
	return cost.For(tokens), nil
}

// PageRequest asks for one page of a list: at most Limit items after the
// item with ID After (IDs are time-ordered, so this is creation order).
type PageRequest struct {
	Limit int
	After string
}

// DefaultPageLimit and MaxPageLimit bound PageRequest.Limit.
const (
	DefaultPageLimit = 100
	MaxPageLimit     = 1000
)

func (p PageRequest) normalize() PageRequest {
	if p.Limit <= 0 {
		p.Limit = DefaultPageLimit
	}
	if p.Limit > MaxPageLimit {
		p.Limit = MaxPageLimit
	}
	return p
}

// Normalize returns p with Limit defaulted and capped; stores call it.
func (p PageRequest) Normalize() PageRequest { return p.normalize() }

func (e LedgerEntry) String() string {
	return fmt.Sprintf("%s %s %+d -> %d (%s)", e.CreatedAt.Format(time.RFC3339), e.Kind, e.Amount, e.BalanceAfter, e.Reason)
}
