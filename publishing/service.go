package publishing

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/igny8/sdk/igny8"
)

// Factory builds the Publisher of a destination from its settings and its
// opened secret. The host registers one per destination kind.
type Factory func(ctx context.Context, d Destination, secret []byte) (Publisher, error)

// Defaults of Options.
const (
	DefaultMaxAttempts = 5
	DefaultBaseDelay   = 500 * time.Millisecond
	DefaultMaxDelay    = 30 * time.Second
	DefaultLease       = 10 * time.Minute
)

// Options configures a Service; the zero value is usable.
type Options struct {
	Clock  igny8.Clock
	IDs    igny8.IDGenerator
	Logger *slog.Logger
	// MaxAttempts bounds the calls to the destination in one Publish or
	// Unpublish (default DefaultMaxAttempts).
	MaxAttempts int
	// BaseDelay and MaxDelay shape the exponential backoff between
	// attempts: BaseDelay·2^(n-1), at most MaxDelay, with jitter (the wait
	// is drawn from its upper half). A remote's Retry-After is honoured up
	// to MaxDelay.
	BaseDelay time.Duration
	MaxDelay  time.Duration
	// Sleep waits between attempts; nil means a timer that stops when ctx
	// is done. Tests inject one that does not wait.
	Sleep func(ctx context.Context, d time.Duration) error
	// Lease is how long a record in status publishing keeps other calls
	// for the same content and destination away (Conflict). A call that
	// crashed leaves such a record behind; after the lease another call
	// takes over (default DefaultLease).
	Lease time.Duration
	// SkipCheck skips the credential check of RegisterDestination.
	SkipCheck bool
}

// Service publishes contents to destinations and keeps a Record per
// (content, destination). It is safe for concurrent use.
//
// A retry never creates a second remote item: the record holds the remote
// id once known, so publishing again updates; and before a create is
// retried after a failure that may have reached the remote (timeout,
// dropped connection, 5xx), the Service asks the destination (a Finder)
// for the item by its idempotency key and adopts what it finds.
type Service struct {
	store     Store
	keys      *Keyring
	factories map[string]Factory
	clock     igny8.Clock
	ids       igny8.IDGenerator
	events    *igny8.Events
	log       *slog.Logger
	opts      Options

	mu   sync.Mutex
	pubs map[string]cachedPublisher
}

type cachedPublisher struct {
	updatedAt time.Time
	pub       Publisher
}

// NewService returns a Service over store. keys seals destination
// credentials; factories maps a destination kind ("wordpress", "webhook")
// to the Factory of its Publisher.
func NewService(store Store, keys *Keyring, factories map[string]Factory, opts Options) (*Service, error) {
	const op = "publishing.NewService"
	if store == nil {
		return nil, igny8.InvalidArgument(op, "store", "is required")
	}
	if keys == nil {
		return nil, igny8.InvalidArgument(op, "keys", "is required")
	}
	if len(factories) == 0 {
		return nil, igny8.InvalidArgument(op, "factories", "at least one destination kind is required")
	}
	for kind, f := range factories {
		if kind == "" || f == nil {
			return nil, igny8.InvalidArgument(op, "factories", "kind %q has no factory", kind)
		}
	}
	if opts.Clock == nil {
		opts.Clock = igny8.SystemClock{}
	}
	if opts.IDs == nil {
		opts.IDs = &igny8.UUIDv7{Clock: opts.Clock}
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = DefaultMaxAttempts
	}
	if opts.BaseDelay <= 0 {
		opts.BaseDelay = DefaultBaseDelay
	}
	if opts.MaxDelay <= 0 {
		opts.MaxDelay = DefaultMaxDelay
	}
	if opts.MaxDelay < opts.BaseDelay {
		return nil, igny8.InvalidArgument(op, "max_delay", "must be at least base_delay (%s), got %s", opts.BaseDelay, opts.MaxDelay)
	}
	if opts.Sleep == nil {
		opts.Sleep = sleepCtx
	}
	if opts.Lease <= 0 {
		opts.Lease = DefaultLease
	}
	fs := maps.Clone(factories)
	return &Service{
		store: store, keys: keys, factories: fs,
		clock: opts.Clock, ids: opts.IDs, log: opts.Logger, opts: opts,
		// Events only builds events here (New); they are appended through
		// the publishing Store, in the record's transaction.
		events: igny8.NewEvents(nil, opts.Clock, opts.IDs),
		pubs:   map[string]cachedPublisher{},
	}, nil
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *Service) now() time.Time { return s.clock.Now().UTC() }

// DestinationInput describes a destination to register.
type DestinationInput struct {
	Name     string
	Kind     string
	Settings map[string]string
	// Secret is the credentials (an application password, a signing key);
	// it is sealed before it reaches the store.
	Secret []byte
}

// RegisterDestination adds a destination to the scope's site. The secret
// is sealed with the keyring's primary key; unless Options.SkipCheck, the
// destination's Publisher is built and, if it is a Checker, its
// credentials are checked first (wrong ones: PermissionDenied).
func (s *Service) RegisterDestination(ctx context.Context, scope igny8.Scope, in DestinationInput) (Destination, error) {
	const op = "publishing.RegisterDestination"
	if err := scope.RequireSite(op); err != nil {
		return Destination{}, err
	}
	if strings.TrimSpace(in.Name) == "" {
		return Destination{}, igny8.InvalidArgument(op, "name", "is required")
	}
	factory, ok := s.factories[in.Kind]
	if !ok {
		return Destination{}, igny8.InvalidArgument(op, "kind", "unknown destination kind %q (known: %s)", in.Kind, strings.Join(s.kinds(), ", "))
	}
	now := s.now()
	d := Destination{
		ID: s.ids.NewID(), AccountID: scope.AccountID, SiteID: scope.SiteID,
		Name: strings.TrimSpace(in.Name), Kind: in.Kind, Settings: maps.Clone(in.Settings),
		Active: true, CreatedAt: now, UpdatedAt: now,
	}
	pub, err := factory(ctx, d, in.Secret)
	if err != nil {
		return Destination{}, igny8.Wrap(igny8.CodeInvalidArgument, op, err)
	}
	if c, ok := pub.(Checker); ok && !s.opts.SkipCheck {
		if err := c.Check(ctx); err != nil {
			return Destination{}, igny8.Wrap(igny8.CodeUnavailable, op, err)
		}
	}
	d.Secret, err = s.keys.Seal(in.Secret, destinationAAD(d.AccountID, d.ID))
	if err != nil {
		return Destination{}, err
	}
	if err := s.store.CreateDestination(ctx, scope.Site(), d); err != nil {
		return Destination{}, igny8.Wrap(igny8.CodeInternal, op, err)
	}
	return d, nil
}

func (s *Service) kinds() []string {
	out := make([]string, 0, len(s.factories))
	for k := range s.factories {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// Destination returns a destination of the scope.
func (s *Service) Destination(ctx context.Context, scope igny8.Scope, id string) (Destination, error) {
	const op = "publishing.Destination"
	if err := scope.Validate(op); err != nil {
		return Destination{}, err
	}
	d, err := s.store.GetDestination(ctx, scope, id)
	return d, igny8.Wrap(igny8.CodeInternal, op, err)
}

// Destinations lists the destinations of the scope's site.
func (s *Service) Destinations(ctx context.Context, scope igny8.Scope, page igny8.PageRequest) ([]Destination, error) {
	const op = "publishing.Destinations"
	if err := scope.Validate(op); err != nil {
		return nil, err
	}
	out, err := s.store.ListDestinations(ctx, scope, page)
	return out, igny8.Wrap(igny8.CodeInternal, op, err)
}

// SetDestinationSecret replaces a destination's credentials (checked first
// unless Options.SkipCheck).
func (s *Service) SetDestinationSecret(ctx context.Context, scope igny8.Scope, id string, secret []byte) (Destination, error) {
	const op = "publishing.SetDestinationSecret"
	if err := scope.Validate(op); err != nil {
		return Destination{}, err
	}
	d, err := s.store.GetDestination(ctx, scope, id)
	if err != nil {
		return Destination{}, igny8.Wrap(igny8.CodeInternal, op, err)
	}
	factory, ok := s.factories[d.Kind]
	if !ok {
		return Destination{}, igny8.InvalidArgument(op, "kind", "no factory for destination kind %q", d.Kind)
	}
	pub, err := factory(ctx, d, secret)
	if err != nil {
		return Destination{}, igny8.Wrap(igny8.CodeInvalidArgument, op, err)
	}
	if c, ok := pub.(Checker); ok && !s.opts.SkipCheck {
		if err := c.Check(ctx); err != nil {
			return Destination{}, igny8.Wrap(igny8.CodeUnavailable, op, err)
		}
	}
	if d.Secret, err = s.keys.Seal(secret, destinationAAD(d.AccountID, d.ID)); err != nil {
		return Destination{}, err
	}
	d.UpdatedAt = s.now()
	if err := s.store.UpdateDestination(ctx, d.Scope(), d); err != nil {
		return Destination{}, igny8.Wrap(igny8.CodeInternal, op, err)
	}
	return d, nil
}

// SetDestinationActive turns a destination on or off; publishing to an
// inactive one is refused.
func (s *Service) SetDestinationActive(ctx context.Context, scope igny8.Scope, id string, active bool) (Destination, error) {
	const op = "publishing.SetDestinationActive"
	if err := scope.Validate(op); err != nil {
		return Destination{}, err
	}
	d, err := s.store.GetDestination(ctx, scope, id)
	if err != nil {
		return Destination{}, igny8.Wrap(igny8.CodeInternal, op, err)
	}
	d.Active, d.UpdatedAt = active, s.now()
	if err := s.store.UpdateDestination(ctx, d.Scope(), d); err != nil {
		return Destination{}, igny8.Wrap(igny8.CodeInternal, op, err)
	}
	return d, nil
}

// DeleteDestination deletes a destination and its records (the remote
// items stay where they are).
func (s *Service) DeleteDestination(ctx context.Context, scope igny8.Scope, id string) error {
	const op = "publishing.DeleteDestination"
	if err := scope.Validate(op); err != nil {
		return err
	}
	s.mu.Lock()
	delete(s.pubs, id)
	s.mu.Unlock()
	return igny8.Wrap(igny8.CodeInternal, op, s.store.DeleteDestination(ctx, scope, id))
}

// RotateSecrets reseals, with the keyring's primary key, every secret of
// the scope's destinations that another key sealed, and returns how many it
// resealed. Run it after adding a new primary key; the old key can leave
// the keyring once it returns.
func (s *Service) RotateSecrets(ctx context.Context, scope igny8.Scope) (int, error) {
	const op = "publishing.RotateSecrets"
	if err := scope.Validate(op); err != nil {
		return 0, err
	}
	n := 0
	page := igny8.PageRequest{Limit: igny8.MaxPageLimit}
	for {
		ds, err := s.store.ListDestinations(ctx, scope, page)
		if err != nil {
			return n, igny8.Wrap(igny8.CodeInternal, op, err)
		}
		for _, d := range ds {
			if d.Secret.KeyID == s.keys.Primary() || d.Secret.Empty() {
				continue
			}
			aad := destinationAAD(d.AccountID, d.ID)
			plain, err := s.keys.Open(d.Secret, aad)
			if err != nil {
				return n, fmt.Errorf("%s: destination %s: %w", op, d.ID, err)
			}
			if d.Secret, err = s.keys.Seal(plain, aad); err != nil {
				return n, err
			}
			d.UpdatedAt = s.now()
			if err := s.store.UpdateDestination(ctx, d.Scope(), d); err != nil {
				return n, igny8.Wrap(igny8.CodeInternal, op, err)
			}
			n++
		}
		if len(ds) < page.Limit {
			return n, nil
		}
		page.After = ds[len(ds)-1].ID
	}
}

// publisher returns the destination's Publisher, built once per version of
// the destination.
func (s *Service) publisher(ctx context.Context, d Destination) (Publisher, error) {
	const op = "publishing.Service.publisher"
	s.mu.Lock()
	c, ok := s.pubs[d.ID]
	s.mu.Unlock()
	if ok && c.updatedAt.Equal(d.UpdatedAt) {
		return c.pub, nil
	}
	factory, ok := s.factories[d.Kind]
	if !ok {
		return nil, igny8.InvalidArgument(op, "kind", "no factory for destination kind %q", d.Kind)
	}
	var secret []byte
	if !d.Secret.Empty() {
		var err error
		if secret, err = s.keys.Open(d.Secret, destinationAAD(d.AccountID, d.ID)); err != nil {
			return nil, fmt.Errorf("destination %s: %w", d.ID, err)
		}
	}
	pub, err := factory(ctx, d, secret)
	if err != nil {
		return nil, igny8.Wrap(igny8.CodeInvalidArgument, op, err)
	}
	s.mu.Lock()
	s.pubs[d.ID] = cachedPublisher{updatedAt: d.UpdatedAt, pub: pub}
	s.mu.Unlock()
	return pub, nil
}

// Updater returns the Updater of an active destination, for editing the
// pages that live there (siteaudit.Auditor.PublishLinks). A destination
// whose adapter cannot edit pages is InvalidArgument.
func (s *Service) Updater(ctx context.Context, scope igny8.Scope, destinationID string) (Updater, error) {
	const op = "publishing.Updater"
	if err := scope.RequireSite(op); err != nil {
		return nil, err
	}
	if destinationID == "" {
		return nil, igny8.InvalidArgument(op, "destination_id", "is required")
	}
	d, err := s.store.GetDestination(ctx, scope.Site(), destinationID)
	if err != nil {
		return nil, igny8.Wrap(igny8.CodeInternal, op, err)
	}
	if !d.Active {
		return nil, igny8.InvalidArgument(op, "destination_id", "destination %s (%s) is not active", d.ID, d.Name)
	}
	pub, err := s.publisher(ctx, d)
	if err != nil {
		return nil, err
	}
	u, ok := pub.(Updater)
	if !ok {
		return nil, igny8.InvalidArgument(op, "destination_id", "destination %s (%s) of kind %q cannot edit pages", d.ID, d.Name, d.Kind)
	}
	return u, nil
}

// Record returns the record of a content at a destination.
func (s *Service) Record(ctx context.Context, scope igny8.Scope, contentID, destinationID string) (Record, error) {
	const op = "publishing.Record"
	if err := scope.RequireSite(op); err != nil {
		return Record{}, err
	}
	r, err := s.store.GetPublishRecord(ctx, scope.Site(), contentID, destinationID)
	return r, igny8.Wrap(igny8.CodeInternal, op, err)
}

// Records lists the records of the scope.
func (s *Service) Records(ctx context.Context, scope igny8.Scope, q RecordQuery) ([]Record, error) {
	const op = "publishing.Records"
	if err := scope.Validate(op); err != nil {
		return nil, err
	}
	if q.Status != "" && !q.Status.Valid() {
		return nil, igny8.InvalidArgument(op, "status", "unknown record status %q", string(q.Status))
	}
	out, err := s.store.ListPublishRecords(ctx, scope, q)
	return out, igny8.Wrap(igny8.CodeInternal, op, err)
}

// Publish publishes item (one version of a content) to a destination of
// the scope's site and returns its record. Publishing a version that is
// already live changes nothing; publishing another one updates the remote
// item. Transient failures are retried with backoff; a permanent one
// (refused input, refused credentials) fails at once with the remote's
// message, and the record keeps it as LastError with status failed.
func (s *Service) Publish(ctx context.Context, scope igny8.Scope, destinationID string, item Item) (Record, error) {
	const op = "publishing.Publish"
	if err := scope.RequireSite(op); err != nil {
		return Record{}, err
	}
	scope = scope.Site()
	if destinationID == "" {
		return Record{}, igny8.InvalidArgument(op, "destination_id", "is required")
	}
	if item.Scope == (igny8.Scope{}) {
		item.Scope = scope
	} else if item.Scope.Site() != scope {
		return Record{}, igny8.InvalidArgument(op, "item.scope", "%s is not the call's scope %s", item.Scope, scope)
	}
	// Validate with a placeholder key: the record's key is not known yet.
	probe := item
	probe.IdempotencyKey = "pending"
	if err := probe.Validate(op); err != nil {
		return Record{}, err
	}
	d, err := s.store.GetDestination(ctx, scope, destinationID)
	if err != nil {
		return Record{}, igny8.Wrap(igny8.CodeInternal, op, err)
	}
	if !d.Active {
		return Record{}, igny8.InvalidArgument(op, "destination_id", "destination %s (%s) is not active", d.ID, d.Name)
	}
	pub, err := s.publisher(ctx, d)
	if err != nil {
		return Record{}, err
	}
	rec, done, err := s.claim(ctx, op, scope, item.ContentID, destinationID, item.Version)
	if err != nil || done {
		return rec, err
	}
	return s.run(ctx, op, scope, pub, rec, item)
}

// claim takes the record for a publish: it creates it, or moves it to
// publishing unless another call holds it. done means the version asked
// for is live already.
func (s *Service) claim(ctx context.Context, op string, scope igny8.Scope, contentID, destinationID string, version int) (rec Record, done bool, err error) {
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		now := s.now()
		cur, err := s.store.GetPublishRecord(ctx, scope, contentID, destinationID)
		if errors.Is(err, igny8.ErrNotFound) {
			rec = Record{
				ID: s.ids.NewID(), AccountID: scope.AccountID, SiteID: scope.SiteID,
				ContentID: contentID, DestinationID: destinationID, Status: RecordPublishing,
				IdempotencyKey: s.ids.NewID(), Version: version, Revision: 1,
				CreatedAt: now, UpdatedAt: now,
			}
			return s.store.CreatePublishRecord(ctx, scope, rec)
		}
		if err != nil {
			return err
		}
		if cur.Status == RecordPublished && cur.PublishedVersion == version && cur.RemoteID != "" {
			rec, done = cur, true
			return nil
		}
		if err := s.checkLease(op, cur, now); err != nil {
			return err
		}
		if cur.Status == RecordPublished || cur.Status == RecordUnpublished {
			cur.Attempts = 0 // a fresh publish; failed ones keep counting
		}
		if cur.IdempotencyKey == "" {
			cur.IdempotencyKey = s.ids.NewID()
		}
		cur.Status, cur.Version, cur.UpdatedAt = RecordPublishing, version, now
		cur.Revision++
		rec = cur
		return s.store.UpdatePublishRecord(ctx, scope, cur)
	})
	if errors.Is(err, igny8.ErrConflict) {
		// Held by another call, or a race to create or claim the record
		// lost: whoever won holds it.
		return Record{}, false, igny8.Wrap(igny8.CodeConflict, op, fmt.Errorf("content %s is being published to destination %s by another call: %w", contentID, destinationID, err))
	}
	if err != nil {
		return Record{}, false, igny8.Wrap(igny8.CodeInternal, op, err)
	}
	return rec, done, nil
}

func (s *Service) checkLease(op string, cur Record, now time.Time) error {
	if cur.Status == RecordPublishing && now.Sub(cur.UpdatedAt) < s.opts.Lease {
		return igny8.Errorf(igny8.CodeConflict, op, "content %s is being published to destination %s since %s", cur.ContentID, cur.DestinationID, cur.UpdatedAt.Format(time.RFC3339))
	}
	return nil
}

// save writes rec with the next revision.
func (s *Service) save(ctx context.Context, scope igny8.Scope, rec *Record) error {
	rec.Revision++
	rec.UpdatedAt = s.now()
	return s.store.UpdatePublishRecord(ctx, scope, *rec)
}

// run is the attempt loop of a claimed publish.
func (s *Service) run(ctx context.Context, op string, scope igny8.Scope, pub Publisher, rec Record, item Item) (Record, error) {
	finder, canFind := pub.(Finder)
	// A record without a remote id that saw attempts before may have a
	// remote item from a create whose answer was lost (or a crash).
	uncertain := rec.RemoteID == "" && rec.Attempts > 0
	var lastErr error
	for attempt := 1; attempt <= s.opts.MaxAttempts; attempt++ {
		if attempt > 1 {
			if err := s.opts.Sleep(ctx, s.backoff(attempt-1, lastErr)); err != nil {
				return s.fail(ctx, op, scope, rec, lastErr)
			}
		}
		if rec.RemoteID == "" && uncertain && canFind {
			r, found, err := finder.FindByKey(ctx, rec.IdempotencyKey)
			if err != nil {
				lastErr = err
				if !Transient(err) {
					return s.fail(ctx, op, scope, rec, err)
				}
				continue
			}
			uncertain = false
			if found {
				s.log.InfoContext(ctx, "publishing: adopted remote item of an earlier create",
					"content_id", rec.ContentID, "destination_id", rec.DestinationID, "remote_id", r.RemoteID)
				rec.RemoteID, rec.RemoteKind, rec.URL = r.RemoteID, r.Kind, r.URL
			}
		}
		rec.Attempts++
		if err := s.save(ctx, scope, &rec); err != nil {
			return rec, igny8.Wrap(igny8.CodeInternal, op, err)
		}
		item.IdempotencyKey, item.RemoteID, item.RemoteKind = rec.IdempotencyKey, rec.RemoteID, rec.RemoteKind
		r, err := pub.Publish(ctx, item)
		if err == nil {
			return s.succeed(ctx, op, scope, rec, item, r)
		}
		lastErr = err
		s.log.WarnContext(ctx, "publishing: attempt failed", "content_id", rec.ContentID,
			"destination_id", rec.DestinationID, "attempt", attempt, "err", err)
		switch {
		case item.RemoteID != "" && errors.Is(err, igny8.ErrNotFound):
			// The remote item is gone (deleted at the destination): create
			// a new one, under a new key so the old one is never adopted.
			rec.RemoteID, rec.RemoteKind, rec.URL, rec.PublishedVersion = "", "", "", 0
			rec.IdempotencyKey = s.ids.NewID()
			uncertain = false
			continue
		case !Transient(err):
			return s.fail(ctx, op, scope, rec, err)
		case item.RemoteID == "" && Uncertain(err):
			uncertain = true
			if !canFind {
				// Without a Finder a retry could create a second item.
				return s.fail(ctx, op, scope, rec, fmt.Errorf("create may have reached the destination and it cannot look items up by key, so it is not retried: %w", err))
			}
		}
	}
	return s.fail(ctx, op, scope, rec, lastErr)
}

func (s *Service) backoff(n int, err error) time.Duration {
	d := s.opts.BaseDelay
	for i := 1; i < n && d < s.opts.MaxDelay; i++ {
		d *= 2
	}
	if d > s.opts.MaxDelay {
		d = s.opts.MaxDelay
	}
	// Jitter: draw from the upper half, so waits spread but keep growing.
	d = d/2 + rand.N(d/2+1)
	if ra := retryAfter(err); ra > d {
		d = min(ra, s.opts.MaxDelay)
	}
	return d
}

func (s *Service) succeed(ctx context.Context, op string, scope igny8.Scope, rec Record, item Item, r Receipt) (Record, error) {
	// The remote change is done: record it even if the caller's ctx ends.
	ctx = context.WithoutCancel(ctx)
	rec.Status, rec.RemoteID, rec.RemoteKind, rec.URL = RecordPublished, r.RemoteID, r.Kind, r.URL
	rec.PublishedVersion, rec.LastError = item.Version, ""
	rec.PublishedAt = s.now()
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.save(ctx, scope, &rec); err != nil {
			return err
		}
		ev, err := s.events.New(scope, igny8.EventContentPublished, rec.ContentID, map[string]any{
			"record_id": rec.ID, "content_id": rec.ContentID, "destination_id": rec.DestinationID,
			"remote_id": rec.RemoteID, "url": rec.URL, "version": rec.PublishedVersion,
		})
		if err != nil {
			return err
		}
		_, err = s.store.AppendEvents(ctx, ev)
		return err
	})
	if err != nil {
		return rec, igny8.Wrap(igny8.CodeInternal, op, err)
	}
	return rec, nil
}

func (s *Service) fail(ctx context.Context, op string, scope igny8.Scope, rec Record, cause error) (Record, error) {
	if cause == nil {
		cause = igny8.Errorf(igny8.CodeInternal, op, "no attempt was made")
	}
	ctx = context.WithoutCancel(ctx)
	rec.Status, rec.LastError = RecordFailed, cause.Error()
	if err := s.save(ctx, scope, &rec); err != nil {
		return rec, errors.Join(igny8.Wrap(igny8.CodeInternal, op, cause), err)
	}
	return rec, igny8.Wrap(igny8.CodeInternal, op, cause)
}

// Unpublish takes a content down from a destination and marks its record
// unpublished; a later Publish creates a new remote item.
func (s *Service) Unpublish(ctx context.Context, scope igny8.Scope, destinationID, contentID string) (Record, error) {
	const op = "publishing.Unpublish"
	if err := scope.RequireSite(op); err != nil {
		return Record{}, err
	}
	scope = scope.Site()
	d, err := s.store.GetDestination(ctx, scope, destinationID)
	if err != nil {
		return Record{}, igny8.Wrap(igny8.CodeInternal, op, err)
	}
	pub, err := s.publisher(ctx, d)
	if err != nil {
		return Record{}, err
	}
	var rec Record
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		cur, err := s.store.GetPublishRecord(ctx, scope, contentID, destinationID)
		if err != nil {
			return err
		}
		if err := s.checkLease(op, cur, s.now()); err != nil {
			return err
		}
		rec = cur
		if rec.Status == RecordUnpublished {
			return nil
		}
		rec.Status = RecordPublishing
		return s.save(ctx, scope, &rec)
	})
	if err != nil {
		return Record{}, igny8.Wrap(igny8.CodeInternal, op, err)
	}
	if rec.Status == RecordUnpublished {
		return rec, nil
	}
	if rec.RemoteID == "" && rec.Attempts > 0 {
		if f, ok := pub.(Finder); ok {
			r, found, err := f.FindByKey(ctx, rec.IdempotencyKey)
			if err != nil {
				return s.fail(ctx, op, scope, rec, err)
			}
			if found {
				rec.RemoteID, rec.RemoteKind = r.RemoteID, r.Kind
			}
		}
	}
	if rec.RemoteID != "" {
		var lastErr error
		for attempt := 1; attempt <= s.opts.MaxAttempts; attempt++ {
			if attempt > 1 {
				if err := s.opts.Sleep(ctx, s.backoff(attempt-1, lastErr)); err != nil {
					break
				}
			}
			lastErr = pub.Unpublish(ctx, Receipt{RemoteID: rec.RemoteID, Kind: rec.RemoteKind, URL: rec.URL, IdempotencyKey: rec.IdempotencyKey})
			if lastErr == nil || !Transient(lastErr) {
				break
			}
		}
		if lastErr != nil {
			return s.fail(ctx, op, scope, rec, lastErr)
		}
	}
	ctx = context.WithoutCancel(ctx)
	rec.Status, rec.RemoteID, rec.RemoteKind, rec.URL = RecordUnpublished, "", "", ""
	rec.PublishedVersion, rec.Attempts, rec.LastError = 0, 0, ""
	rec.IdempotencyKey = s.ids.NewID()
	if err := s.save(ctx, scope, &rec); err != nil {
		return rec, igny8.Wrap(igny8.CodeInternal, op, err)
	}
	return rec, nil
}
