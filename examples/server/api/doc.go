// Package api is the reference HTTP server of IGNY8: a JSON API over every
// domain service, multi-tenant and safe, that a host copies to put the SDK
// on the network (examples/server runs it).
//
// New wires the services (tenancy, credits, limits, planning, content,
// internal linking, optimization with the AI rewrite, publishing with the
// static site renderer and WordPress, the site builder, automation) on one
// sqlstore.Store; Handler serves them with Go's pattern routing. The route
// table (Routes) is the single source of the mux and of the OpenAPI 3
// document at /openapi.json.
//
// # Routes beyond planning and content
//
// Links: POST …/sectors/{sector}/links runs a link pass over the sector's
// content as a job (every page of the site is a target; each source gets
// its links as a new version; the result counts placed and skipped links,
// per rule); GET /v1/sites/{site}/links lists the link records
// (?source=&target=); DELETE …/content/{content}/links/{link} takes a link
// out of its source again; GET /v1/sites/{site}/links/graph is the site's
// link graph (nodes with titles, edges, orphans, pages over the cap,
// broken links, clusters not linking to their pillar) and
// /v1/sites/{site}/links/graph.svg the same graph drawn as a picture
// (image/svg+xml; ?sector= fades the other sectors' pages).
//
// Optimization: GET …/content/{content}/analysis scores a content; POST
// …/content/{content}/optimizations asks the model for a rewrite and keeps
// it only when it scores better, answering the task (accepted, or rejected
// with the reason, with the scores before and after); GET lists and reads
// the content's tasks.
//
// Site building: POST /v1/sites/{site}/blueprints stores a blueprint from a
// brief (the wizard) and answers 202 with the blueprint and the job that
// generates its structure, copy and images; GET lists and reads blueprints
// with their pages; PUT …/blueprints/{blueprint}/pages/{page}/blocks
// replaces a page's blocks (a bad block is 400 naming its field path,
// "blocks[1].button.url"); POST …/deployments deploys the blueprint as the
// site's live static site (admins), GET lists its deployments, and POST
// …/deployments/{deployment}/rollback makes an earlier one's version live
// again.
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
// clusters, ideas, tasks, content, images, links, optimizations and
// blueprints and run jobs; admins and owners manage sites, sectors, users,
// tokens, destinations and rules and deploy, roll back and delete
// blueprints; superusers manage plans and accounts. Bodies are bounded
// (Config.MaxBodyBytes, and MaxUploadBytes for CSV), each site has a token
// bucket, and neither tokens nor destination secrets reach a log or a
// response.
//
// A token's user and a path's site and sector are cached for
// Config.CacheTTL (2 s by default), so that a read or a rate-limited
// answer costs no store round trip for them. This server's own writes to
// users, tokens, sites, sectors and accounts drop the cached entries before
// they answer: a revoked token is refused on the next request. Another
// server process on the same store sees such a change within CacheTTL; a
// negative CacheTTL turns the cache off.
//
// # Long work
//
// Clustering, writing a batch of tasks, a link pass, generating a
// blueprint and running a rule answer 202 with a Job; GET /v1/jobs/{job}
// polls it and /v1/jobs/{job}/events streams it as Server-Sent Events ("progress" events, then one "done"). Shutdown lets
// running jobs finish until its context ends and then cancels them; a
// canceled write batch resumes where it stopped when it is run again.
//
// # Dashboard
//
// /dashboard/ is a server-rendered view for a signed-in token (an HttpOnly,
// SameSite=Strict cookie that the JSON API ignores): the account's sites
// and sectors with counts and the credits used per day, and per sector its
// content with scores, the site's link graph drawn inline (the picture of
// links/graph.svg, the sector's pages in full colour), the latest
// optimization tasks, clusters, keywords and automation runs.
package api
