package api

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/igny8/sdk/igny8"
)

// Route is one API operation. The mux and the OpenAPI document are both
// built from the table of routes, so they cannot drift apart.
type Route struct {
	Method  string
	Pattern string // Go 1.22 mux pattern without the method: /v1/sites/{site}
	Summary string
	Tag     string
	// Role is the least role that may call the route; Superuser routes are
	// for superusers only (and then Role is ignored).
	Role      igny8.Role
	Superuser bool
	// Body is the request body's media type ("" for none).
	Body string
	// List routes take ?limit=&after= and answer a page.
	List bool
	// Status is the HTTP status of success (default 200).
	Status int
	// Stream routes write their own answer instead of the envelope, of
	// media type Produces (Server-Sent Events, an SVG picture).
	Stream   bool
	Produces string

	handle func(r *request) (any, error)
	stream func(w http.ResponseWriter, r *request)
}

// Writes reports whether the route changes state (everything but GET).
func (rt Route) Writes() bool { return rt.Method != http.MethodGet }

// Params are the path parameters of the route's pattern, in order.
func (rt Route) Params() []string {
	var out []string
	for _, seg := range strings.Split(rt.Pattern, "/") {
		if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
			out = append(out, strings.Trim(seg, "{}"))
		}
	}
	return out
}

// request is what a handler sees: the principal and the scope resolved
// from the token and the path, never from the body.
type request struct {
	*http.Request
	w       http.ResponseWriter
	srv     *Server
	route   *Route
	id      string
	user    igny8.User
	account igny8.Scope // the token's account
	scope   igny8.Scope // account, plus the path's site and sector when present
	site    igny8.Site
	sector  igny8.Sector
	log     *slog.Logger
}

// apiError is the error member of the envelope.
type apiError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
}

// envelope is every JSON response.
type envelope struct {
	Data      any       `json:"data"`
	Error     *apiError `json:"error,omitempty"`
	NextAfter string    `json:"next_after,omitempty"`
	RequestID string    `json:"request_id"`
}

// page is what list handlers return.
type page struct {
	items any
	next  string
}

// listOf makes a page of items: next is the last id when the page is full.
func listOf[T any](items []T, p igny8.PageRequest, id func(T) string) page {
	if items == nil {
		items = []T{}
	}
	pg := page{items: items}
	if len(items) > 0 && len(items) >= p.Limit {
		pg.next = id(items[len(items)-1])
	}
	return pg
}

// Error codes of the API beyond the kernel's.
const (
	codeUnauthenticated = "unauthenticated"
	codeRateLimited     = "rate_limited"
	codeTooLarge        = "payload_too_large"
)

// statusOf maps an error code to its HTTP status. Plan limits answer 409
// (the account's state conflicts with the request; retrying does not help
// until usage drops or the plan changes); 429 is only for the rate limit.
func statusOf(code string) int {
	switch code {
	case string(igny8.CodeNotFound):
		return http.StatusNotFound
	case string(igny8.CodeInvalidArgument):
		return http.StatusBadRequest
	case string(igny8.CodePermissionDenied):
		return http.StatusForbidden
	case string(igny8.CodeLimitExceeded), string(igny8.CodeConflict):
		return http.StatusConflict
	case string(igny8.CodeInsufficientCredits):
		return http.StatusPaymentRequired
	case string(igny8.CodeUnavailable):
		return http.StatusServiceUnavailable
	case codeUnauthenticated:
		return http.StatusUnauthorized
	case codeRateLimited:
		return http.StatusTooManyRequests
	case codeTooLarge:
		return http.StatusRequestEntityTooLarge
	}
	return http.StatusInternalServerError
}

// toAPIError turns an error into the envelope's error; internal errors
// keep their detail in the log, not in the response.
func toAPIError(err error) *apiError {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return &apiError{Code: codeTooLarge, Message: "request body larger than " + strconv.FormatInt(mbe.Limit, 10) + " bytes", Field: "body"}
	}
	code := igny8.CodeOf(err)
	out := &apiError{Code: string(code), Message: err.Error()}
	var ke *igny8.Error
	if errors.As(err, &ke) {
		out.Field = ke.Field
	}
	if code == igny8.CodeInternal {
		out.Message = "internal error"
	}
	return out
}

func (e *apiError) Error() string { return e.Code + ": " + e.Message }

func (s *Server) writeEnvelope(w http.ResponseWriter, r *http.Request, status int, data any, next string, e *apiError) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(envelope{Data: data, Error: e, NextAfter: next, RequestID: w.Header().Get("X-Request-ID")})
}

// statusWriter remembers the status for the access log.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func validRequestID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// wrap is the middleware of every route, in order: request id, access log,
// authentication, role, body limit, id syntax, tenant resolution of the
// path's site and sector, rate limit (the site's bucket), then the handler.
func (s *Server) wrap(rt *Route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, hr *http.Request) {
		start := time.Now()
		id := hr.Header.Get("X-Request-ID")
		if !validRequestID(id) {
			id = s.ids.NewID()
		}
		w.Header().Set("X-Request-ID", id)
		sw := &statusWriter{ResponseWriter: w}
		r := &request{Request: hr, w: sw, srv: s, route: rt, id: id, log: s.log.With("request_id", id)}
		defer func() {
			// The path holds only ids; query strings, headers and bodies
			// (tokens, credentials) are never logged.
			r.log.LogAttrs(hr.Context(), slog.LevelInfo, "request",
				slog.String("method", hr.Method), slog.String("route", rt.Pattern), slog.String("path", hr.URL.Path),
				slog.Int("status", sw.status), slog.Duration("duration", time.Since(start)),
				slog.String("account", r.account.AccountID), slog.String("user", r.user.ID))
		}()
		if err := s.serve(r); err != nil {
			ae := toAPIError(err)
			if ae.Code == string(igny8.CodeInternal) {
				r.log.Error("request failed", "route", rt.Pattern, "err", err)
			}
			s.writeEnvelope(sw, hr, statusOf(ae.Code), nil, "", ae)
		}
	})
}

// forgetFor drops the cached principals a write of r's route may change.
func (s *Server) forgetFor(r *request) {
	if r.route.Superuser || r.account.AccountID == "" {
		s.cache.forgetAll()
		return
	}
	s.cache.forget(r.account.AccountID)
}

func (s *Server) serve(r *request) error {
	if err := s.authenticate(r); err != nil {
		return err
	}
	if err := authorize(r.user, r.route); err != nil {
		return err
	}
	if r.Body != nil {
		limit := s.cfg.MaxBodyBytes
		if r.route.Body == "text/csv" {
			limit = s.cfg.MaxUploadBytes
		}
		r.Body = http.MaxBytesReader(r.w, r.Body, limit)
	}
	// Ids are printable ASCII; anything else names nothing (and never
	// reaches a store query).
	for _, p := range r.route.Params() {
		if v := r.PathValue(p); len(v) > 128 || strings.IndexFunc(v, func(c rune) bool { return c <= ' ' || c > '~' }) >= 0 {
			return igny8.NotFound("api.path", p, v)
		}
	}
	// The bucket is the resolved site's, else the account's: ids that
	// resolve to nothing draw from the account's bucket, so made-up ids
	// neither grow the limiter's map nor escape the limit.
	rerr := s.resolve(r)
	key := r.account.AccountID
	if rerr == nil && r.site.ID != "" {
		key += "/" + r.site.ID
	}
	if wait, ok := s.limiter.allow(key); !ok {
		r.w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
		return &apiError{Code: codeRateLimited, Message: "rate limit of " + strconv.FormatFloat(s.cfg.RatePerSecond, 'f', -1, 64) + " requests per second exceeded; retry after the Retry-After header's seconds"}
	}
	if rerr != nil {
		return rerr
	}
	if r.route.Stream {
		r.route.stream(r.w, r)
		return nil
	}
	data, err := r.route.handle(r)
	if r.route.forgets() {
		// After the write and before its answer: a lookup that raced the
		// write read the epoch before this forget and is not cached.
		s.forgetFor(r)
	}
	if err != nil {
		return err
	}
	status := r.route.Status
	if status == 0 {
		status = http.StatusOK
	}
	if pg, ok := data.(page); ok {
		s.writeEnvelope(r.w, r.Request, status, pg.items, pg.next, nil)
		return nil
	}
	s.writeEnvelope(r.w, r.Request, status, data, "", nil)
	return nil
}

// resolve looks the path's site and sector up within the token's account:
// an id of another tenant is NotFound, exactly like an id that does not
// exist.
func (s *Server) resolve(r *request) error {
	r.scope = r.account
	siteID := r.PathValue("site")
	if siteID == "" {
		return nil
	}
	site, ok := s.cache.site(r.account.AccountID, siteID)
	if !ok {
		gen := s.cache.generation()
		var err error
		if site, err = s.store.GetSite(r.Context(), r.account, siteID); err != nil {
			return err
		}
		s.cache.putSite(site, gen)
	}
	r.site, r.scope = site, site.Scope()
	if sectorID := r.PathValue("sector"); sectorID != "" {
		sec, ok := s.cache.sector(r.account.AccountID, siteID, sectorID)
		if !ok {
			gen := s.cache.generation()
			var err error
			if sec, err = s.store.GetSector(r.Context(), r.scope, sectorID); err != nil {
				return err
			}
			s.cache.putSector(sec, gen)
		}
		r.sector, r.scope = sec, sec.Scope()
	}
	return nil
}

// forgets reports whether a write of the route can change what the
// principals cache holds: users, tokens, accounts, sites and sectors.
func (rt *Route) forgets() bool {
	return rt.Writes() && (rt.Superuser || rt.Tag == "account" || rt.Tag == "sites")
}

// decode reads a JSON body into v, refusing unknown fields.
func (r *request) decode(v any) error {
	if r.Body == nil {
		return igny8.InvalidArgument("api.decode", "body", "is required")
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return err
		}
		if errors.Is(err, io.EOF) {
			return igny8.InvalidArgument("api.decode", "body", "is empty; a JSON object is required")
		}
		return igny8.InvalidArgument("api.decode", "body", "is not the expected JSON: %v", err)
	}
	return nil
}

// page reads ?limit= and ?after=.
func (r *request) page() (igny8.PageRequest, error) {
	p := igny8.PageRequest{Limit: igny8.DefaultPageLimit, After: r.URL.Query().Get("after")}
	// Cursors are ids the API handed out: printable ASCII, short.
	if len(p.After) > 128 || strings.IndexFunc(p.After, func(c rune) bool { return c <= ' ' || c > '~' }) >= 0 {
		return p, igny8.InvalidArgument("api.page", "after", "is not a cursor this API returned: %q", p.After)
	}
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > igny8.MaxPageLimit {
			return p, igny8.InvalidArgument("api.page", "limit", "must be an integer from 1 to %d, got %q", igny8.MaxPageLimit, v)
		}
		p.Limit = n
	}
	return p, nil
}

func (r *request) ctx() context.Context { return r.Context() }

// intQuery reads an optional integer query parameter.
func (r *request) intQuery(name string) (int64, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, igny8.InvalidArgument("api.query", name, "must be an integer, got %q", v)
	}
	return n, nil
}
