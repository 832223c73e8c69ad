package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/igny8/sdk/igny8"
)

const (
	// sqlReserveUsage adds to a counter only if the result stays within
	// max; the upsert's WHERE is evaluated on the row it locks.
	sqlReserveUsage = `INSERT INTO usage_counters (account_id, site_id, limit_name, period, used)
			VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (account_id, site_id, limit_name, period)
			DO UPDATE SET used = usage_counters.used + excluded.used
			WHERE ? < 0 OR usage_counters.used + excluded.used <= ?
			RETURNING used`
	sqlGetUsage = `SELECT used FROM usage_counters
		WHERE account_id = ? AND site_id = ? AND limit_name = ? AND period = ?`
)

// releaseUsageSQL subtracts from a counter, never below zero.
func releaseUsageSQL(dialect string) string {
	greatest := "GREATEST"
	if dialect == DialectSQLite {
		greatest = "MAX" // SQLite's scalar max of two values
	}
	return `UPDATE usage_counters SET used = ` + greatest + `(used - ?, 0)
		WHERE account_id = ? AND site_id = ? AND limit_name = ? AND period = ?`
}

func validUsageKey(op string, key igny8.UsageKey) error {
	if key.AccountID == "" {
		return igny8.InvalidArgument(op, "key.account_id", "is required")
	}
	if key.Limit == "" {
		return igny8.InvalidArgument(op, "key.limit", "is required")
	}
	return nil
}

// ReserveUsage adds n to the counter of key if the result stays within max
// (max < 0: unlimited), in one statement: the upsert's WHERE is evaluated
// on the row it locks, so concurrent callers never overshoot.
func (s *Store) ReserveUsage(ctx context.Context, key igny8.UsageKey, n, max int64) (int64, error) {
	const op = "sqlstore.ReserveUsage"
	if err := validUsageKey(op, key); err != nil {
		return 0, err
	}
	if n <= 0 {
		return 0, igny8.InvalidArgument(op, "n", "must be positive, got %d", n)
	}
	if max < 0 || n <= max {
		var used int64
		err := s.hotQueryRow(ctx, sqlReserveUsage,
			key.AccountID, key.SiteID, string(key.Limit), key.Period, n, max, max).Scan(&used)
		if err == nil {
			return used, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return 0, mapErr(op, err)
		}
	}
	used, err := s.GetUsage(ctx, key)
	if err != nil {
		return 0, err
	}
	return 0, &igny8.LimitError{Op: op, Limit: key.Limit, Max: max, Used: used, Requested: n, Period: key.Period}
}

// ReleaseUsage subtracts n from the counter, never below zero.
func (s *Store) ReleaseUsage(ctx context.Context, key igny8.UsageKey, n int64) error {
	const op = "sqlstore.ReleaseUsage"
	if err := validUsageKey(op, key); err != nil {
		return err
	}
	if n < 0 {
		return igny8.InvalidArgument(op, "n", "must not be negative, got %d", n)
	}
	if n == 0 {
		return nil
	}
	_, err := s.hotExec(ctx, releaseUsageSQL(s.dialect),
		n, key.AccountID, key.SiteID, string(key.Limit), key.Period)
	return mapErr(op, err)
}

// GetUsage returns the counter's value, 0 when never used.
func (s *Store) GetUsage(ctx context.Context, key igny8.UsageKey) (int64, error) {
	const op = "sqlstore.GetUsage"
	if err := validUsageKey(op, key); err != nil {
		return 0, err
	}
	var used int64
	err := s.hotQueryRow(ctx, sqlGetUsage,
		key.AccountID, key.SiteID, string(key.Limit), key.Period).Scan(&used)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, mapErr(op, err)
	}
	return used, nil
}
