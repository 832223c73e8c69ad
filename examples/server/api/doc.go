// Package api is the reference HTTP server of IGNY8: a JSON API over every
// domain service, multi-tenant and safe, that a host copies to put the SDK
// on the network (examples/server runs it).
//
// New wires the services (tenancy, credits, limits, planning, content,
// publishing with the static site renderer and WordPress, automation) on
// one sqlstore.Store; Handler serves them with Go's pattern routing. The
// route table (Routes) is the single source of the mux and of the OpenAPI 3
// document at /openapi.json.
//
// # Protocol
//
// Every response is the envelope
//
//	{"data": …, "error": {"code", "message", "field"}, "next_after": "…", "request_id": "…"}
//
// with the HTTP status taken from the error code: not_found 404,
// invalid_argument 400, unauthenticated 401, permission_denied 403,
// insufficient_credits 402, conflict and limit_exceeded (a plan limit) 409,
// payload_too_large 413, rate_limited 429 (with Retry-After), unavailable
// 503, internal 500. Lists page by id: ?limit= (1–1000, default 100) and
// ?after= the previous page's next_after. Request ids (X-Request-ID, taken
// from the request when it is a safe token) are in every log line.
//
// # Security
//
// Every request carries an API token (Authorization: Bearer igny8_…): 32
// random bytes shown once at creation and stored as their SHA-256. The
// token fixes the account: sites and sectors in the path are looked up
// within it, and every other id within the site or sector, so an id of
// another account is not_found exactly like one that does not exist. Roles
// are checked on every route: viewers read; editors write keywords,
// clusters, ideas, tasks, content and images and run jobs; admins and owners
// manage sites, sectors, users, tokens, destinations and rules; superusers
// manage plans and accounts. Bodies are bounded (Config.MaxBodyBytes, and
// MaxUploadBytes for CSV), each site has a token bucket, and neither tokens
// nor destination secrets reach a log or a response.
//
// # Long work
//
// Clustering, writing a batch of tasks and running a rule answer 202 with
// a Job; GET /v1/jobs/{job} polls it and /v1/jobs/{job}/events streams it
// as Server-Sent Events ("progress" events, then one "done"). Shutdown lets
// running jobs finish until its context ends and then cancels them; a
// canceled write batch resumes where it stopped when it is run again.
package api
