package content

import (
	"context"
	"time"

	"github.com/igny8/sdk/igny8"
)

// Store is what the content domain needs from persistence.
// adapters/sqlstore implements it; content/contenttest is its conformance
// suite. Every method is scoped: a row outside the scope answers NotFound.
type Store interface {
	igny8.Transactor

	// CreateTasks stores new tasks (all or none).
	CreateTasks(ctx context.Context, scope igny8.Scope, tasks []Task) error
	GetTask(ctx context.Context, scope igny8.Scope, id string) (Task, error)
	ListTasks(ctx context.Context, scope igny8.Scope, f TaskFilter, page igny8.PageRequest) ([]Task, error)
	// ClaimTasks leases up to limit claimable tasks of the scope (and of
	// batchID when set), oldest first: queued ones, and in_progress ones
	// whose lease ended before now. Each claimed task moves to in_progress
	// with LeaseOwner owner, LeaseUntil until and Attempts+1. Two claimers
	// never get the same task.
	ClaimTasks(ctx context.Context, scope igny8.Scope, batchID, owner string, now, until time.Time, limit int) ([]Task, error)
	// ClaimTask leases one task by id if it is claimable (queued, or
	// in_progress with a lease that ended before now); else Conflict.
	ClaimTask(ctx context.Context, scope igny8.Scope, id, owner string, now, until time.Time) (Task, error)
	// ReleaseTask gives a lease back without counting a failure: the task
	// is queued again with errMsg (may be empty) as its last error. A worker
	// calls it for a task it never started, or whose article was paid for
	// but not stored (the retry reuses the same charge). Conflict if owner
	// does not hold the lease.
	ReleaseTask(ctx context.Context, scope igny8.Scope, id, owner, errMsg string, now time.Time) error
	// CompleteTask marks the task completed with its content, only if it is
	// still in_progress under owner's lease: else Conflict, and the
	// caller's transaction must roll back (the result is discarded).
	CompleteTask(ctx context.Context, scope igny8.Scope, id, owner, contentID string, now time.Time) error
	// FailTask records a failed attempt (Failures+1, LastError) under
	// owner's lease (else Conflict): the task goes back to queued when
	// requeue is true, else to failed.
	FailTask(ctx context.Context, scope igny8.Scope, id, owner, errMsg string, requeue bool, now time.Time) error
	// RequeueTask puts a failed task back in the queue.
	RequeueTask(ctx context.Context, scope igny8.Scope, id string, now time.Time) error

	// CreateContent stores a new content and its version 1. The slug is
	// unique per site: Conflict when taken.
	CreateContent(ctx context.Context, scope igny8.Scope, c Content, v Version) error
	GetContent(ctx context.Context, scope igny8.Scope, id string) (Content, error)
	GetContentBySlug(ctx context.Context, scope igny8.Scope, slug string) (Content, error)
	ListContent(ctx context.Context, scope igny8.Scope, f ContentFilter, page igny8.PageRequest) ([]Content, error)
	// SaveVersion stores v as the content's new current version and c's
	// fields, only if the content's current version is v.Number-1: else
	// Conflict (someone saved in between).
	SaveVersion(ctx context.Context, scope igny8.Scope, c Content, v Version) error
	// SetContentStatus changes the status and the published-to list
	// without a new version.
	SetContentStatus(ctx context.Context, scope igny8.Scope, id string, status Status, publishedTo []Placement, now time.Time) error
	ListVersions(ctx context.Context, scope igny8.Scope, contentID string) ([]Version, error)
	GetVersion(ctx context.Context, scope igny8.Scope, contentID string, number int) (Version, error)
	// SlugTaken reports whether a content of the scope's site other than
	// exceptID uses slug.
	SlugTaken(ctx context.Context, scope igny8.Scope, slug, exceptID string) (bool, error)

	CreateImage(ctx context.Context, scope igny8.Scope, img Image) error
	UpdateImage(ctx context.Context, scope igny8.Scope, img Image) error
	ListImages(ctx context.Context, scope igny8.Scope, contentID string) ([]Image, error)
}
