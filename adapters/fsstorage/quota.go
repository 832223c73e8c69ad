package fsstorage

import (
	"context"

	"github.com/igny8/sdk/igny8"
)

// Quota holds a site's storage quota in bytes. Reserve must be atomic: under
// any number of concurrent callers the bytes reserved never pass the quota.
// LimitsQuota, over the kernel's plan limits, is the one hosts use;
// NoQuota counts nothing.
type Quota interface {
	// Reserve takes n (> 0) bytes of the site's quota, or returns an error
	// matching igny8.ErrLimitExceeded (a *igny8.LimitError) and takes
	// nothing.
	Reserve(ctx context.Context, scope igny8.Scope, n int64) error
	// Release gives n (> 0) bytes back: a deleted or shrunk object, or a
	// write that failed after its bytes were reserved.
	Release(ctx context.Context, scope igny8.Scope, n int64) error
	// Usage returns the bytes reserved and the quota; max < 0 means
	// unlimited.
	Usage(ctx context.Context, scope igny8.Scope) (used, max int64, err error)
}

// LimitsQuota is the Quota of the plan: the site's igny8.LimitStorageBytes
// gauge, reserved and released through igny8.Limits (atomically, in the
// store).
type LimitsQuota struct {
	Limits *igny8.Limits
}

var _ Quota = LimitsQuota{}

// Reserve reserves n bytes of the site's storage_quota_bytes limit.
func (q LimitsQuota) Reserve(ctx context.Context, scope igny8.Scope, n int64) error {
	_, err := q.Limits.Reserve(ctx, scope.Site(), igny8.LimitStorageBytes, n)
	return err
}

// Release gives n bytes of the site's storage_quota_bytes limit back. A
// gauge limit has no period, so the reservation is rebuilt from the scope:
// bytes written by one process may be released by another, after a
// restart.
func (q LimitsQuota) Release(ctx context.Context, scope igny8.Scope, n int64) error {
	return q.Limits.Release(ctx, igny8.Reservation{
		Key: igny8.UsageKey{AccountID: scope.AccountID, SiteID: scope.SiteID, Limit: igny8.LimitStorageBytes},
		N:   n,
	})
}

// Usage returns the site's reserved bytes and its plan's quota (-1 when the
// plan sets none).
func (q LimitsQuota) Usage(ctx context.Context, scope igny8.Scope) (used, max int64, err error) {
	u, err := q.Limits.Usage(ctx, scope.Site(), igny8.LimitStorageBytes)
	if err != nil {
		return 0, 0, err
	}
	return u.Used, u.Max, nil
}

// NoQuota is a Quota without a limit that counts nothing, for hosts that
// meter storage elsewhere and for scratch storage.
type NoQuota struct{}

var _ Quota = NoQuota{}

// Reserve always succeeds.
func (NoQuota) Reserve(context.Context, igny8.Scope, int64) error { return nil }

// Release does nothing.
func (NoQuota) Release(context.Context, igny8.Scope, int64) error { return nil }

// Usage reports nothing used and no limit.
func (NoQuota) Usage(context.Context, igny8.Scope) (int64, int64, error) { return 0, -1, nil }
