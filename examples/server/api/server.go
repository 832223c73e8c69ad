package api

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/igny8/sdk/adapters/fsstorage"
	"github.com/igny8/sdk/adapters/offline"
	"github.com/igny8/sdk/adapters/sitesfs"
	"github.com/igny8/sdk/adapters/sqlstore"
	"github.com/igny8/sdk/adapters/wordpress"
	"github.com/igny8/sdk/ai"
	"github.com/igny8/sdk/automation"
	"github.com/igny8/sdk/content"
	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/optimization"
	"github.com/igny8/sdk/optimization/rewrite"
	"github.com/igny8/sdk/planning"
	"github.com/igny8/sdk/publishing"
	"github.com/igny8/sdk/sitebuilding"
	"github.com/igny8/sdk/sitebuilding/staticsite"
)

// Defaults of Config.
const (
	DefaultMaxBodyBytes   = 1 << 20  // JSON bodies
	DefaultMaxUploadBytes = 16 << 20 // CSV uploads
	DefaultRatePerSecond  = 50
	DefaultRateBurst      = 100
	DefaultJobRetention   = time.Hour
)

// Config configures a Server. Store and SealingKey are required; every
// other field has a working default.
type Config struct {
	// Store is the SQL store of every domain and of the API tokens.
	Store *sqlstore.Store
	// Kernel is the igny8.Store that domain events are written through;
	// nil means Store. A River deployment passes riverjobs.Outbox here so
	// that events become jobs in the same transaction.
	Kernel igny8.Store
	// LLM writes text; nil means the offline model (deterministic
	// placeholder output, not a writer).
	LLM igny8.LLM
	// Images generates images; nil means LLM when it can, else the offline
	// model.
	Images igny8.ImageGenerator
	// DataDir holds stored objects (DataDir/storage) and rendered static
	// sites (DataDir/sites).
	DataDir string
	// SealingKey (32 bytes) encrypts the destinations' credentials at rest.
	SealingKey []byte
	// Scheduler runs automation jobs; nil means the automation engine's own
	// in-process poll loop (see Server.RunScheduler).
	Scheduler igny8.Scheduler
	// MaxBodyBytes bounds JSON request bodies, MaxUploadBytes CSV uploads.
	MaxBodyBytes, MaxUploadBytes int64
	// RatePerSecond and RateBurst size the token bucket of each site (and
	// of each account for the routes outside a site).
	RatePerSecond float64
	RateBurst     int
	// JobRetention is how long a finished job stays readable.
	JobRetention time.Duration
	// CacheTTL is how long a token's user and a path's site and sector,
	// once looked up, are trusted without the store (DefaultCacheTTL when
	// 0, never when negative). This server's own writes to users, tokens,
	// sites and sectors drop the cached entries at once; other processes
	// serving the same store see such a change within CacheTTL.
	CacheTTL time.Duration
	Logger   *slog.Logger
	Clock    igny8.Clock
}

// Server is the reference HTTP API over the SDK's services.
type Server struct {
	cfg     Config
	log     *slog.Logger
	clock   igny8.Clock
	ids     igny8.IDGenerator
	store   *sqlstore.Store
	tenancy *igny8.Tenancy
	credits *igny8.Credits
	limits  *igny8.Limits
	events  *igny8.Events

	planner     *planning.Planner
	library     *content.Library
	writer      *content.Writer
	illustrator *content.Illustrator
	storage     *fsstorage.Storage
	renderer    *sitesfs.Renderer
	publisher   *publishing.Service
	engine      *automation.Engine
	analyzer    *optimization.Analyzer
	optimizer   *rewrite.Optimizer
	// linker serves the link routes and the automation pipeline alike, so
	// that a pass or an unlink through the API drops the site's cached
	// index that the pipeline links with.
	linker  *automation.SiteLinker
	builder *sitebuilding.Builder

	jobs    *jobs
	limiter *rateLimiter
	cache   *principals
	routes  []Route
	mux     *http.ServeMux

	// base is the context of background jobs; Shutdown cancels it after
	// the jobs had their grace period.
	base   context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	closed sync.Once
}

// New wires the services on cfg.Store and builds the route table and mux.
func New(ctx context.Context, cfg Config) (*Server, error) {
	const op = "api.New"
	if cfg.Store == nil {
		return nil, igny8.InvalidArgument(op, "Store", "is required")
	}
	if len(cfg.SealingKey) != 32 {
		return nil, igny8.InvalidArgument(op, "SealingKey", "must be 32 bytes, got %d", len(cfg.SealingKey))
	}
	if cfg.DataDir == "" {
		return nil, igny8.InvalidArgument(op, "DataDir", "is required")
	}
	if cfg.Kernel == nil {
		cfg.Kernel = cfg.Store
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if cfg.MaxUploadBytes <= 0 {
		cfg.MaxUploadBytes = DefaultMaxUploadBytes
	}
	if cfg.RatePerSecond <= 0 {
		cfg.RatePerSecond = DefaultRatePerSecond
	}
	if cfg.RateBurst <= 0 {
		cfg.RateBurst = DefaultRateBurst
	}
	if cfg.CacheTTL == 0 {
		cfg.CacheTTL = DefaultCacheTTL
	}
	if cfg.JobRetention <= 0 {
		cfg.JobRetention = DefaultJobRetention
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Clock == nil {
		cfg.Clock = igny8.SystemClock{}
	}
	model := offline.New(offline.Options{})
	if cfg.LLM == nil {
		cfg.LLM = model
	}
	if cfg.Images == nil {
		if g, ok := cfg.LLM.(igny8.ImageGenerator); ok {
			cfg.Images = g
		} else {
			cfg.Images = model
		}
	}

	s := &Server{cfg: cfg, log: cfg.Logger, clock: cfg.Clock, ids: &igny8.UUIDv7{Clock: cfg.Clock}, store: cfg.Store}
	s.tenancy = igny8.NewTenancy(cfg.Store, igny8.TenancyOptions{Clock: cfg.Clock, IDs: s.ids})
	s.credits = igny8.NewCredits(cfg.Store, igny8.CreditsOptions{})
	s.limits = igny8.NewLimits(cfg.Store, cfg.Clock)
	s.events = igny8.NewEvents(cfg.Kernel, nil, nil)

	runner, err := ai.NewRunner(cfg.Store, s.limits, s.credits, cfg.LLM, cfg.Store, ai.RunnerOptions{Logger: s.log, Prompts: cfg.Store})
	if err != nil {
		return nil, err
	}
	lib := ai.NewLibrary()
	s.library = content.NewLibrary(cfg.Store, s.events, content.LibraryOptions{Logger: s.log})
	s.planner = planning.NewPlanner(cfg.Store, s.limits, s.events, planning.PlannerOptions{
		Runner: runner, Library: lib, Logger: s.log, Targets: content.NewTargeting(cfg.Store, planning.Normalize),
	})
	generator := content.NewAIGenerator(runner, lib, cfg.Store)
	s.writer = content.NewWriter(cfg.Store, s.library, generator, s.limits, s.events, content.WriterOptions{Logger: s.log})
	s.storage, err = fsstorage.New(filepath.Join(cfg.DataDir, "storage"), fsstorage.LimitsQuota{Limits: s.limits}, fsstorage.Options{Logger: s.log})
	if err != nil {
		return nil, err
	}
	s.illustrator = content.NewIllustrator(cfg.Store, s.library, cfg.Images, s.storage, s.limits, s.credits, s.events, content.IllustratorOptions{Logger: s.log})
	s.renderer, err = sitesfs.New(filepath.Join(cfg.DataDir, "sites"), s.storage, sitesfs.Options{Logger: s.log, TrustHTML: true})
	if err != nil {
		s.storage.Close()
		return nil, err
	}
	keyID := fmt.Sprintf("k%x", sha256.Sum256(cfg.SealingKey))[:9]
	keys, err := publishing.NewKeyring(keyID, map[string][]byte{keyID: cfg.SealingKey})
	if err != nil {
		s.storage.Close()
		return nil, err
	}
	s.publisher, err = publishing.NewService(cfg.Store, keys, map[string]publishing.Factory{
		KindStatic: func(ctx context.Context, d publishing.Destination, _ []byte) (publishing.Publisher, error) {
			return s.renderer.Publisher(d.Scope())
		},
		KindWordPress: wordpress.Factory(wordpress.Options{Storage: s.storage, Logger: s.log}),
	}, publishing.Options{Logger: s.log})
	if err != nil {
		s.storage.Close()
		return nil, err
	}
	s.analyzer = optimization.NewAnalyzer(optimization.Options{})
	s.optimizer = rewrite.NewOptimizer(cfg.Store, s.library, rewrite.AIRewriter{Library: lib, Runner: runner}, cfg.Store, s.events, s.analyzer,
		rewrite.OptimizerOptions{Clock: cfg.Clock, IDs: s.ids, Logger: s.log})
	s.builder, err = sitebuilding.NewBuilder(cfg.Store, runner, lib, s.limits, s.events, sitebuilding.Options{
		Renderer: staticsite.New(s.renderer, s.storage, staticsite.Options{}),
		Writer:   generator, Images: cfg.Images, Storage: s.storage, Credits: s.credits, Clock: cfg.Clock, IDs: s.ids, Logger: s.log,
	})
	if err != nil {
		s.storage.Close()
		return nil, err
	}
	s.linker = s.newSiteLinker()
	pipeline := automation.Pipeline{
		Kernel: cfg.Kernel, Credits: s.credits, Planner: s.planner, Writer: s.writer, Library: s.library,
		Illustrator: s.illustrator, Images: cfg.Store, Publisher: s.publisher,
		Linker:    s.linker,
		Optimizer: automation.NewContentOptimizer(s.optimizer, cfg.Store, s.events),
	}
	s.engine = automation.NewEngine(cfg.Store, cfg.Kernel, pipeline.Actions(), automation.EngineOptions{Clock: cfg.Clock, IDs: s.ids, Logger: s.log})
	if cfg.Scheduler != nil {
		s.engine.Register(cfg.Scheduler)
	}

	s.base, s.cancel = context.WithCancel(context.WithoutCancel(ctx))
	s.jobs = newJobs(cfg.Clock, s.ids, cfg.JobRetention)
	s.limiter = newRateLimiter(cfg.Clock, cfg.RatePerSecond, cfg.RateBurst)
	s.cache = newPrincipals(cfg.Clock, cfg.CacheTTL)
	s.routes = s.routeTable()
	s.mux = http.NewServeMux()
	for i := range s.routes {
		rt := &s.routes[i]
		s.mux.Handle(rt.Method+" "+rt.Pattern, s.wrap(rt))
	}
	s.mux.HandleFunc("GET /openapi.json", s.serveOpenAPI)
	if err := s.mountDashboard(); err != nil {
		s.storage.Close()
		return nil, err
	}
	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-ID", s.ids.NewID())
		s.writeEnvelope(w, r, http.StatusNotFound, nil, "", &apiError{Code: "not_found", Message: "no route " + r.Method + " " + r.URL.Path})
	})
	return s, nil
}

// Destination kinds the server registers.
const (
	KindStatic    = "static"
	KindWordPress = "wordpress"
)

// Handler is the API's http.Handler.
func (s *Server) Handler() http.Handler { return s.mux }

// Routes returns the route table the mux and /openapi.json are built from.
func (s *Server) Routes() []Route { return append([]Route(nil), s.routes...) }

// RunScheduler runs the automation until ctx ends: the scheduler of the
// Config when one was given, else the engine's in-process poll loop over
// the event outbox and the cron schedules.
func (s *Server) RunScheduler(ctx context.Context) error {
	var err error
	if s.cfg.Scheduler != nil {
		err = s.cfg.Scheduler.Run(ctx)
	} else {
		err = s.engine.Run(ctx)
	}
	if errors.Is(err, context.Canceled) && ctx.Err() != nil {
		return nil
	}
	return err
}

// Shutdown lets the running jobs finish until ctx ends, then cancels them:
// a canceled write batch hands its tasks back (their leases run out and
// the next RunBatch of the batch resumes them). It returns ctx's error when
// jobs had to be canceled.
func (s *Server) Shutdown(ctx context.Context) error {
	s.jobs.close()
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	var err error
	select {
	case <-done:
	case <-ctx.Done():
		err = ctx.Err()
		s.cancel()
		<-done
	}
	s.cancel()
	return err
}

// Close cancels running jobs, waits for them and releases the storage.
// The store is the caller's to close.
func (s *Server) Close() error {
	var err error
	s.closed.Do(func() {
		s.jobs.close()
		s.cancel()
		s.wg.Wait()
		err = s.storage.Close()
	})
	return err
}

// siteConfig is what the static renderer is told of a site.
func siteConfig(site igny8.Site) sitesfs.Site {
	base := "http://localhost"
	if site.Domain != "" {
		base = "https://" + strings.ToLower(site.Domain)
	}
	return sitesfs.Site{Name: site.Name, BaseURL: base, Organization: sitesfs.Organization{Name: site.Name}}
}
