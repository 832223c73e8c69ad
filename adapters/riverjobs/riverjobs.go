// Package riverjobs is the distributed igny8.Scheduler: jobs in Postgres
// worked by River (github.com/riverqueue/river) on any number of processes
// and machines that share the database.
//
// It runs on River's database/sql driver over the same pgx stdlib pool
// that adapters/sqlstore uses, so a job enqueued with the context of a
// store transaction (sqlstore.Store.InTx) commits or rolls back with it.
// Jobs with a UniqueKey are unique per kind and key while they exist;
// failed jobs are retried with River's backoff, and a job whose worker
// died is rescued and run again elsewhere once it has been stuck for
// Options.RescueAfter.
//
// Outbox wraps a store so that every domain event written through it also
// becomes a job (kind automation.JobEvent) in the same transaction:
//
//	sched, _ := riverjobs.New(ctx, store, riverjobs.Options{Migrate: true})
//	kernel := riverjobs.Outbox(store, sched)         // give this to igny8.NewEvents
//	engine := automation.NewEngine(store, kernel, actions, automation.EngineOptions{})
//	engine.Register(sched)                           // with Options.Periodic: {automation.JobTick, time.Minute}
//	go sched.Run(ctx)
package riverjobs

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/igny8/sdk/adapters/sqlstore"
	"github.com/igny8/sdk/igny8"
)

// Options configures a Scheduler; the zero value is usable.
type Options struct {
	// Queue is the River queue (default river.QueueDefault).
	Queue string
	// MaxWorkers bounds the jobs this process works at once (default 8).
	MaxWorkers int
	// MaxAttempts is the default number of tries of a job (default 5).
	MaxAttempts int
	// PollInterval is how often idle workers look for jobs (default
	// 200 ms; database/sql has no LISTEN, so River polls).
	PollInterval time.Duration
	// RescueAfter is how long a running job may go without finishing
	// before another worker takes it over (default 1 hour; keep it above
	// the longest job).
	RescueAfter time.Duration
	// JobTimeout cancels a job's context after this long (default 10 min,
	// at most RescueAfter).
	JobTimeout time.Duration
	// Migrate runs River's migrations on New.
	Migrate bool
	// Periodic jobs are enqueued by River's elected leader at their
	// interval, once across all processes (automation.JobTick every
	// minute, for schedules).
	Periodic []Periodic
	// ID names this worker process (default: River's).
	ID     string
	Logger *slog.Logger
}

// Periodic is a job of a kind enqueued every Interval.
type Periodic struct {
	Kind     string
	Interval time.Duration
}

// Scheduler is an igny8.Scheduler on River.
type Scheduler struct {
	store  *sqlstore.Store
	client *river.Client[*sql.Tx]
	queue  string
	log    *slog.Logger

	mu       sync.RWMutex
	handlers map[string]igny8.JobHandler

	// starting keeps inserts out while the River client starts: River
	// 0.51 pokes a producer that Start is still setting up (a data race
	// the race detector reports).
	starting sync.RWMutex
}

var _ igny8.Scheduler = (*Scheduler)(nil)

// jobArgs is the one River job kind of the SDK; Kind and Key make the
// unique key of jobs that have one.
type jobArgs struct {
	JobKind string          `json:"kind" river:"unique"`
	Key     string          `json:"key" river:"unique"`
	ID      string          `json:"id"`
	Scope   igny8.Scope     `json:"scope"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

func (jobArgs) Kind() string { return "igny8_job" }

// New returns a Scheduler on the store's Postgres database.
func New(ctx context.Context, store *sqlstore.Store, opts Options) (*Scheduler, error) {
	const op = "riverjobs.New"
	if store.Dialect() != sqlstore.DialectPostgres {
		return nil, igny8.InvalidArgument(op, "store", "River needs Postgres, the store is %s", store.Dialect())
	}
	s := &Scheduler{store: store, queue: opts.Queue, log: opts.Logger, handlers: map[string]igny8.JobHandler{}}
	if s.queue == "" {
		s.queue = river.QueueDefault
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if opts.MaxWorkers <= 0 {
		opts.MaxWorkers = 8
	}
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = 5
	}
	if opts.PollInterval <= 0 {
		opts.PollInterval = 200 * time.Millisecond
	}
	if opts.RescueAfter <= 0 {
		opts.RescueAfter = time.Hour
	}
	if opts.JobTimeout <= 0 {
		opts.JobTimeout = 10 * time.Minute
	}
	// River rescues a job only after it could have timed out.
	opts.JobTimeout = min(opts.JobTimeout, opts.RescueAfter)
	db := store.DB().DB
	driver := riverdatabasesql.New(db)
	if opts.Migrate {
		m, err := rivermigrate.New(driver, &rivermigrate.Config{Logger: s.log})
		if err != nil {
			return nil, igny8.Errorf(igny8.CodeInternal, op, "river migrator: %w", err)
		}
		// Each River migration runs in its own transaction (one adds an
		// enum value the next uses); a session advisory lock keeps two
		// processes from migrating at once.
		conn, err := db.Conn(ctx)
		if err != nil {
			return nil, igny8.Errorf(igny8.CodeUnavailable, op, "%w", err)
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(7342001)`); err != nil {
			return nil, igny8.Errorf(igny8.CodeUnavailable, op, "migration lock: %w", err)
		}
		_, err = m.Migrate(ctx, rivermigrate.DirectionUp, nil)
		_, _ = conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(7342001)`)
		if err != nil {
			return nil, igny8.Errorf(igny8.CodeInternal, op, "river migrations: %w", err)
		}
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, river.WorkFunc(s.work))
	var periodic []*river.PeriodicJob
	for i, p := range opts.Periodic {
		if p.Kind == "" || p.Interval < time.Second {
			return nil, igny8.InvalidArgument(op, fmt.Sprintf("periodic[%d]", i), "needs a kind and an interval of at least 1s")
		}
		kind := p.Kind
		periodic = append(periodic, river.NewPeriodicJob(river.PeriodicInterval(p.Interval), func() (river.JobArgs, *river.InsertOpts) {
			return jobArgs{JobKind: kind, Key: "periodic/" + kind + "/" + time.Now().UTC().Truncate(time.Second).Format(time.RFC3339)},
				&river.InsertOpts{Queue: s.queue, UniqueOpts: river.UniqueOpts{ByArgs: true}}
		}, &river.PeriodicJobOpts{RunOnStart: true}))
	}
	client, err := river.NewClient(driver, &river.Config{
		ID:                   opts.ID,
		Logger:               s.log,
		MaxAttempts:          opts.MaxAttempts,
		PollOnly:             true,
		FetchPollInterval:    opts.PollInterval,
		FetchCooldown:        min(opts.PollInterval, 100*time.Millisecond),
		RescueStuckJobsAfter: opts.RescueAfter,
		JobTimeout:           opts.JobTimeout,
		Queues:               map[string]river.QueueConfig{s.queue: {MaxWorkers: opts.MaxWorkers}},
		Workers:              workers,
		PeriodicJobs:         periodic,
	})
	if err != nil {
		return nil, igny8.Errorf(igny8.CodeInternal, op, "river client: %w", err)
	}
	s.client = client
	return s, nil
}

// Handle registers the handler of a job kind.
func (s *Scheduler) Handle(kind string, h igny8.JobHandler) {
	s.mu.Lock()
	s.handlers[kind] = h
	s.mu.Unlock()
}

func (s *Scheduler) work(ctx context.Context, job *river.Job[jobArgs]) error {
	s.mu.RLock()
	h := s.handlers[job.Args.JobKind]
	s.mu.RUnlock()
	if h == nil {
		// Another process may know it; fail so River retries it later.
		return fmt.Errorf("riverjobs: no handler for job kind %q in this process", job.Args.JobKind)
	}
	return h(ctx, igny8.Job{
		ID: job.Args.ID, Kind: job.Args.JobKind, Scope: job.Args.Scope, Payload: job.Args.Payload,
		UniqueKey: job.Args.Key, Attempt: job.Attempt, MaxAttempts: job.MaxAttempts, RunAt: job.ScheduledAt,
	})
}

// Enqueue adds a job, in the store transaction ctx carries when there is
// one. A job with a UniqueKey that already exists (waiting, running,
// retrying or completed and not yet cleaned) is not added again.
func (s *Scheduler) Enqueue(ctx context.Context, job igny8.Job) error {
	const op = "riverjobs.Enqueue"
	if job.Kind == "" {
		return igny8.InvalidArgument(op, "kind", "is required")
	}
	args := jobArgs{JobKind: job.Kind, Key: job.UniqueKey, ID: job.ID, Scope: job.Scope, Payload: job.Payload}
	opts := &river.InsertOpts{Queue: s.queue, MaxAttempts: job.MaxAttempts}
	if !job.RunAt.IsZero() {
		opts.ScheduledAt = job.RunAt
	}
	if job.UniqueKey != "" {
		opts.UniqueOpts = river.UniqueOpts{ByArgs: true}
	} else if args.Key == "" {
		args.Key = job.ID
	}
	var err error
	s.starting.RLock()
	defer s.starting.RUnlock()
	if tx, ok := s.store.Tx(ctx); ok {
		_, err = s.client.InsertTx(ctx, tx.Tx, args, opts)
	} else {
		_, err = s.client.Insert(ctx, args, opts)
	}
	if err != nil {
		return igny8.Errorf(igny8.CodeUnavailable, op, "%w", err)
	}
	return nil
}

// Run works jobs until ctx is done, then stops, letting running jobs end
// (a job still running after 30 s is cancelled and retried later).
func (s *Scheduler) Run(ctx context.Context) error {
	s.starting.Lock()
	err := s.client.Start(ctx)
	s.starting.Unlock()
	if err != nil {
		return igny8.Errorf(igny8.CodeUnavailable, "riverjobs.Run", "%w", err)
	}
	<-ctx.Done()
	stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if err := s.client.Stop(stopCtx); err != nil {
		return s.client.StopAndCancel(context.WithoutCancel(ctx))
	}
	return nil
}

// Client returns the River client, for what the port does not cover
// (periodic jobs, subscriptions, job lists).
func (s *Scheduler) Client() *river.Client[*sql.Tx] { return s.client }

// outbox is a Store whose AppendEvents also enqueues each event as a job.
type outbox struct {
	igny8.Store
	sched *Scheduler
}

// Outbox returns store with AppendEvents extended: every event it writes
// is also enqueued as a job of kind "igny8.event" (automation.JobEvent)
// with the event as payload, in the same transaction.
func Outbox(store *sqlstore.Store, sched *Scheduler) igny8.Store {
	return &outbox{Store: store, sched: sched}
}

func (o *outbox) AppendEvents(ctx context.Context, events ...igny8.Event) ([]igny8.Event, error) {
	var out []igny8.Event
	err := o.Store.InTx(ctx, func(ctx context.Context) error {
		var err error
		out, err = o.Store.AppendEvents(ctx, events...)
		if err != nil {
			return err
		}
		for _, ev := range out {
			raw, err := json.Marshal(ev)
			if err != nil {
				return err
			}
			if err := o.sched.Enqueue(ctx, igny8.Job{ID: ev.ID, Kind: "igny8.event", Scope: ev.Scope, Payload: raw, UniqueKey: "event/" + ev.ID}); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}
