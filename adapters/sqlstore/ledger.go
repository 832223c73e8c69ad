package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/uptrace/bun"

	"github.com/igny8/sdk/igny8"
)

const (
	ledgerCols = `id, account_id, kind, amount, balance_after, reason, reference, idempotency_key, created_at`
	// sqlLedgerMove moves a balance unless it would go below zero.
	sqlLedgerMove = `UPDATE accounts SET credit_balance = credit_balance + ?
			WHERE id = ? AND credit_balance + ? >= 0 RETURNING credit_balance`
	// sqlLedgerInsert appends an entry unless its idempotency key is used.
	sqlLedgerInsert = `INSERT INTO ledger_entries (` + ledgerCols + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (account_id, idempotency_key) DO NOTHING RETURNING id`
)

func scanLedger(row interface{ Scan(...any) error }) (igny8.LedgerEntry, error) {
	var e igny8.LedgerEntry
	var kind string
	err := row.Scan(&e.ID, &e.AccountID, &kind, &e.Amount, &e.BalanceAfter, &e.Reason, &e.Reference, &e.IdempotencyKey, timeCol{&e.CreatedAt})
	e.Kind = igny8.LedgerKind(kind)
	return e, err
}

// errLedgerReplay rolls back the balance change of an entry whose
// idempotency key was already used; ApplyLedger then returns the earlier
// entry.
var errLedgerReplay = errors.New("sqlstore: idempotency key already used")

// ApplyLedger appends e and moves the account's balance by e.Amount in one
// transaction (the caller's, if ctx carries one):
//
//  1. UPDATE accounts ... WHERE credit_balance + amount >= 0 RETURNING the
//     new balance: the row lock serialises concurrent entries of one
//     account, and the condition is checked on the locked row, so no debit
//     overdraws;
//  2. INSERT the entry ON CONFLICT (account_id, idempotency_key) DO
//     NOTHING; a conflict means a replay: the balance change is undone and
//     the earlier entry returned (Conflict if it differs in kind or amount).
//
// A refused debit runs no failing statement, so it leaves a caller's
// Postgres transaction usable.
func (s *Store) ApplyLedger(ctx context.Context, e igny8.LedgerEntry) (igny8.LedgerEntry, error) {
	const op = "sqlstore.ApplyLedger"
	switch {
	case e.ID == "":
		return igny8.LedgerEntry{}, igny8.InvalidArgument(op, "id", "is required")
	case e.AccountID == "":
		return igny8.LedgerEntry{}, igny8.InvalidArgument(op, "account_id", "is required")
	case e.IdempotencyKey == "":
		return igny8.LedgerEntry{}, igny8.InvalidArgument(op, "idempotency_key", "is required")
	case e.Kind == "":
		return igny8.LedgerEntry{}, igny8.InvalidArgument(op, "kind", "is required")
	}
	e.CreatedAt = utc(e.CreatedAt)
	var out igny8.LedgerEntry
	_, outer := s.tx(ctx)
	err := s.inTx(ctx, func(ctx context.Context, db bun.IDB) error {
		var balance int64
		err := s.hotQueryRow(ctx, sqlLedgerMove,
			e.Amount, e.AccountID, e.Amount).Scan(&balance)
		if errors.Is(err, sql.ErrNoRows) {
			return s.ledgerRefused(ctx, db, op, e, &out)
		}
		if err != nil {
			return mapErr(op, err)
		}
		e.BalanceAfter = balance
		var id string
		err = s.hotQueryRow(ctx, sqlLedgerInsert,
			e.ID, e.AccountID, string(e.Kind), e.Amount, e.BalanceAfter, e.Reason, e.Reference, e.IdempotencyKey, e.CreatedAt).Scan(&id)
		if err == nil {
			out = e
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return writeErr(op, "ledger entry", e.ID, err)
		}
		// A replay. In our own transaction a rollback undoes the balance
		// change; inside the caller's, undo it by hand so the caller's
		// other work stays.
		if outer {
			if _, err := db.ExecContext(ctx, `UPDATE accounts SET credit_balance = credit_balance - ? WHERE id = ?`, e.Amount, e.AccountID); err != nil {
				return mapErr(op, err)
			}
			return s.ledgerReplay(ctx, db, op, e, &out)
		}
		return errLedgerReplay
	})
	if errors.Is(err, errLedgerReplay) {
		err = s.ledgerReplay(ctx, s.IDB(ctx), op, e, &out)
	}
	if err != nil {
		return igny8.LedgerEntry{}, err
	}
	return out, nil
}

// ledgerReplay loads the entry that already holds e's idempotency key into
// out, or answers Conflict when it is a different charge.
func (s *Store) ledgerReplay(ctx context.Context, db bun.IDB, op string, e igny8.LedgerEntry, out *igny8.LedgerEntry) error {
	prev, err := scanLedger(db.QueryRowContext(ctx, `SELECT `+ledgerCols+` FROM ledger_entries WHERE account_id = ? AND idempotency_key = ?`,
		e.AccountID, e.IdempotencyKey))
	if err != nil {
		return rowErr(op, "ledger entry", e.IdempotencyKey, err)
	}
	if prev.Kind != e.Kind || prev.Amount != e.Amount {
		return igny8.Errorf(igny8.CodeConflict, op, "idempotency key %q was used for a %s of %d, not a %s of %d",
			e.IdempotencyKey, prev.Kind, prev.Amount, e.Kind, e.Amount)
	}
	*out = prev
	return nil
}

// ledgerRefused explains an UPDATE that matched no row: a replay of an
// earlier entry (returned as is), an unknown account, or a debit the
// balance cannot cover.
func (s *Store) ledgerRefused(ctx context.Context, db bun.IDB, op string, e igny8.LedgerEntry, out *igny8.LedgerEntry) error {
	err := s.ledgerReplay(ctx, db, op, e, out)
	if err == nil || igny8.CodeOf(err) != igny8.CodeNotFound {
		return err
	}
	var balance int64
	err = db.QueryRowContext(ctx, `SELECT credit_balance FROM accounts WHERE id = ?`, e.AccountID).Scan(&balance)
	if err != nil {
		return rowErr(op, "account", e.AccountID, err)
	}
	return &igny8.CreditError{Op: op, AccountID: e.AccountID, Balance: balance, Requested: -e.Amount}
}

// GetLedgerEntry returns the account's entry with the idempotency key.
func (s *Store) GetLedgerEntry(ctx context.Context, accountID, idempotencyKey string) (igny8.LedgerEntry, error) {
	const op = "sqlstore.GetLedgerEntry"
	e, err := scanLedger(s.IDB(ctx).QueryRowContext(ctx, `SELECT `+ledgerCols+` FROM ledger_entries WHERE account_id = ? AND idempotency_key = ?`,
		accountID, idempotencyKey))
	if err != nil {
		return igny8.LedgerEntry{}, rowErr(op, "ledger entry", idempotencyKey, err)
	}
	return e, nil
}

// ListLedger lists the account's entries oldest first (by id), a page at a
// time.
func (s *Store) ListLedger(ctx context.Context, accountID string, p igny8.PageRequest) ([]igny8.LedgerEntry, error) {
	const op = "sqlstore.ListLedger"
	if accountID == "" {
		return nil, igny8.InvalidArgument(op, "account_id", "is required")
	}
	after, limit := page(p)
	rows, err := s.IDB(ctx).QueryContext(ctx, `SELECT `+ledgerCols+` FROM ledger_entries WHERE account_id = ? AND id > ? ORDER BY id LIMIT ?`,
		accountID, after, limit)
	if err != nil {
		return nil, mapErr(op, err)
	}
	return collect(op, rows, func(r *sql.Rows) (igny8.LedgerEntry, error) { return scanLedger(r) })
}
