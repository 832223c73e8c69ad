package publishing

import (
	"context"
	"time"

	"github.com/igny8/sdk/igny8"
)

// RecordStatus is where a content stands at one destination.
type RecordStatus string

// Record statuses.
const (
	RecordPending     RecordStatus = "pending"
	RecordPublishing  RecordStatus = "publishing"
	RecordPublished   RecordStatus = "published"
	RecordFailed      RecordStatus = "failed"
	RecordUnpublished RecordStatus = "unpublished"
)

// Valid reports whether s is a record status.
func (s RecordStatus) Valid() bool {
	switch s {
	case RecordPending, RecordPublishing, RecordPublished, RecordFailed, RecordUnpublished:
		return true
	}
	return false
}

// Record is the publishing record of one content at one destination. There
// is at most one per (content, destination): publishing again updates the
// remote item it names.
type Record struct {
	ID            string       `json:"id"`
	AccountID     string       `json:"account_id"`
	SiteID        string       `json:"site_id"`
	ContentID     string       `json:"content_id"`
	DestinationID string       `json:"destination_id"`
	Status        RecordStatus `json:"status"`
	// RemoteID, RemoteKind and URL say where the item lives once created.
	RemoteID   string `json:"remote_id,omitempty"`
	RemoteKind string `json:"remote_kind,omitempty"`
	URL        string `json:"url,omitempty"`
	// IdempotencyKey is the key of the current remote item's creation; a
	// new one is drawn after an unpublish.
	IdempotencyKey string `json:"idempotency_key"`
	// Version is the content version of the latest publish request;
	// PublishedVersion the one live at the destination (0: none).
	Version          int `json:"version"`
	PublishedVersion int `json:"published_version"`
	// Attempts counts calls to the destination since the last success.
	Attempts  int    `json:"attempts"`
	LastError string `json:"last_error,omitempty"`
	// Revision increases with every write; UpdatePublishRecord refuses a stale one.
	Revision    int64     `json:"revision"`
	PublishedAt time.Time `json:"published_at,omitzero"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// Scope returns the record's tenant scope.
func (r Record) Scope() igny8.Scope { return igny8.Scope{AccountID: r.AccountID, SiteID: r.SiteID} }

// Destination is a publish target registered for a site: its kind names the
// Factory that builds its Publisher, Settings hold its plain configuration
// (URL, user name, post type) and Secret its credentials, sealed.
type Destination struct {
	ID        string            `json:"id"`
	AccountID string            `json:"account_id"`
	SiteID    string            `json:"site_id"`
	Name      string            `json:"name"`
	Kind      string            `json:"kind"`
	Settings  map[string]string `json:"settings,omitempty"`
	// Secret is the credentials, encrypted with the host's Keyring. The
	// store only ever sees this form.
	Secret    SealedSecret `json:"-"`
	Active    bool         `json:"active"`
	CreatedAt time.Time    `json:"created_at"`
	UpdatedAt time.Time    `json:"updated_at"`
}

// Scope returns the destination's tenant scope.
func (d Destination) Scope() igny8.Scope {
	return igny8.Scope{AccountID: d.AccountID, SiteID: d.SiteID}
}

// RecordQuery selects records.
type RecordQuery struct {
	// ContentID and DestinationID narrow the list when set.
	ContentID     string
	DestinationID string
	// Status, when set, keeps only records in it.
	Status RecordStatus
	Page   igny8.PageRequest
}

// Store keeps destinations and records. adapters/sqlstore implements it;
// publishertest.RunStore proves an implementation. Every method keeps to
// its scope (a row of another tenant answers NotFound) and joins the
// transaction of a ctx from InTx.
type Store interface {
	igny8.Transactor
	// AppendEvents writes domain events in the caller's transaction.
	AppendEvents(ctx context.Context, events ...igny8.Event) ([]igny8.Event, error)

	// CreateDestination stores d in scope (account and site); the name is
	// unique per site (Conflict).
	CreateDestination(ctx context.Context, scope igny8.Scope, d Destination) error
	GetDestination(ctx context.Context, scope igny8.Scope, id string) (Destination, error)
	// ListDestinations lists the destinations of the scope's site (or of
	// its account when scope.SiteID is empty), ordered by id.
	ListDestinations(ctx context.Context, scope igny8.Scope, page igny8.PageRequest) ([]Destination, error)
	// UpdateDestination changes name, settings, secret and active flag.
	UpdateDestination(ctx context.Context, scope igny8.Scope, d Destination) error
	// DeleteDestination deletes the destination and its records.
	DeleteDestination(ctx context.Context, scope igny8.Scope, id string) error

	// CreatePublishRecord stores r; a second record for the same (content,
	// destination) is a Conflict.
	CreatePublishRecord(ctx context.Context, scope igny8.Scope, r Record) error
	GetPublishRecord(ctx context.Context, scope igny8.Scope, contentID, destinationID string) (Record, error)
	// UpdatePublishRecord replaces the record whose stored Revision is
	// r.Revision-1 (the caller increments it); another revision is a
	// Conflict, so two writers never both win.
	UpdatePublishRecord(ctx context.Context, scope igny8.Scope, r Record) error
	// ListPublishRecords lists records in scope ordered by id.
	ListPublishRecords(ctx context.Context, scope igny8.Scope, q RecordQuery) ([]Record, error)
}
