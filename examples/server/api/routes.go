package api

import (
	"context"
	"strconv"
	"strings"

	"github.com/igny8/sdk/adapters/sitesfs"
	"github.com/igny8/sdk/adapters/sqlstore"
	"github.com/igny8/sdk/automation"
	"github.com/igny8/sdk/content"
	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/planning"
	"github.com/igny8/sdk/planning/kwimport"
	"github.com/igny8/sdk/publishing"
)

const (
	jsonBody = "application/json"
	csvBody  = "text/csv"
	sector   = "/v1/sites/{site}/sectors/{sector}"
)

// routeTable is every route of the API. Roles: viewer reads; editor
// writes planning and content (links, optimizations, blueprints and
// their pages included); admin manages sites, sectors, users, tokens,
// destinations and rules, and deploys, rolls back and deletes blueprints;
// superusers manage plans and accounts.
func (s *Server) routeTable() []Route {
	V, E, A := igny8.RoleViewer, igny8.RoleEditor, igny8.RoleAdmin
	return []Route{
		{Method: "GET", Pattern: "/v1/me", Tag: "account", Role: V, Summary: "The token's user", handle: s.me},

		{Method: "GET", Pattern: "/v1/plans", Tag: "superuser", Superuser: true, Summary: "List plans", handle: s.listPlans},
		{Method: "POST", Pattern: "/v1/plans", Tag: "superuser", Superuser: true, Body: jsonBody, Status: 201, Summary: "Create a plan", handle: s.createPlan},
		{Method: "GET", Pattern: "/v1/accounts", Tag: "superuser", Superuser: true, List: true, Summary: "List accounts", handle: s.listAccounts},
		{Method: "POST", Pattern: "/v1/accounts", Tag: "superuser", Superuser: true, Body: jsonBody, Status: 201, Summary: "Create an account with its owner and the owner's first token", handle: s.createAccount},
		{Method: "GET", Pattern: "/v1/accounts/{account}", Tag: "superuser", Superuser: true, Summary: "Get an account", handle: s.getAccount},
		{Method: "POST", Pattern: "/v1/accounts/{account}/credits", Tag: "superuser", Superuser: true, Body: jsonBody, Status: 201, Summary: "Grant credits to an account", handle: s.grantCredits},

		{Method: "GET", Pattern: "/v1/credits", Tag: "account", Role: V, List: true, Summary: "Credit balance and ledger", handle: s.getCredits},
		{Method: "GET", Pattern: "/v1/users", Tag: "account", Role: V, List: true, Summary: "List users", handle: s.listUsers},
		{Method: "POST", Pattern: "/v1/users", Tag: "account", Role: A, Body: jsonBody, Status: 201, Summary: "Create a user (at most the caller's role)", handle: s.createUser},
		{Method: "GET", Pattern: "/v1/users/{user}", Tag: "account", Role: V, Summary: "Get a user", handle: s.getUser},
		{Method: "DELETE", Pattern: "/v1/users/{user}", Tag: "account", Role: A, Summary: "Delete a user", handle: s.deleteUser},
		{Method: "GET", Pattern: "/v1/users/{user}/tokens", Tag: "account", Role: A, Summary: "List a user's API tokens (never the secrets)", handle: s.listTokens},
		{Method: "POST", Pattern: "/v1/users/{user}/tokens", Tag: "account", Role: A, Body: jsonBody, Status: 201, Summary: "Create an API token; the secret is shown once", handle: s.createToken},
		{Method: "DELETE", Pattern: "/v1/tokens/{token}", Tag: "account", Role: A, Summary: "Revoke an API token", handle: s.deleteToken},
		{Method: "GET", Pattern: "/v1/jobs/{job}", Tag: "jobs", Role: V, Summary: "A background job's progress", handle: s.getJob},
		{Method: "GET", Pattern: "/v1/jobs/{job}/events", Tag: "jobs", Role: V, Stream: true, Produces: "text/event-stream", Summary: "A background job's progress as Server-Sent Events", stream: s.streamJob},
		{Method: "GET", Pattern: "/v1/automation/templates", Tag: "automation", Role: V, Summary: "Workflow templates", handle: s.listTemplates},

		{Method: "GET", Pattern: "/v1/sites", Tag: "sites", Role: V, List: true, Summary: "List sites", handle: s.listSites},
		{Method: "POST", Pattern: "/v1/sites", Tag: "sites", Role: A, Body: jsonBody, Status: 201, Summary: "Create a site", handle: s.createSite},
		{Method: "GET", Pattern: "/v1/sites/{site}", Tag: "sites", Role: V, Summary: "Get a site", handle: s.getSite},
		{Method: "PATCH", Pattern: "/v1/sites/{site}", Tag: "sites", Role: A, Body: jsonBody, Summary: "Update a site", handle: s.updateSite},
		{Method: "DELETE", Pattern: "/v1/sites/{site}", Tag: "sites", Role: A, Summary: "Delete a site and its sectors", handle: s.deleteSite},
		{Method: "GET", Pattern: "/v1/sites/{site}/usage", Tag: "sites", Role: V, Summary: "Plan limits and their use for the site", handle: s.siteUsage},
		{Method: "GET", Pattern: "/v1/sites/{site}/sectors", Tag: "sites", Role: V, List: true, Summary: "List sectors", handle: s.listSectors},
		{Method: "POST", Pattern: "/v1/sites/{site}/sectors", Tag: "sites", Role: A, Body: jsonBody, Status: 201, Summary: "Create a sector", handle: s.createSector},
		{Method: "GET", Pattern: sector, Tag: "sites", Role: V, Summary: "Get a sector", handle: s.getSector},
		{Method: "DELETE", Pattern: sector, Tag: "sites", Role: A, Summary: "Delete a sector", handle: s.deleteSector},

		{Method: "GET", Pattern: "/v1/sites/{site}/destinations", Tag: "publishing", Role: V, List: true, Summary: "List publishing destinations", handle: s.listDestinations},
		{Method: "POST", Pattern: "/v1/sites/{site}/destinations", Tag: "publishing", Role: A, Body: jsonBody, Status: 201, Summary: "Register a destination (static or wordpress); its secret is sealed", handle: s.createDestination},
		{Method: "GET", Pattern: "/v1/sites/{site}/destinations/{destination}", Tag: "publishing", Role: V, Summary: "Get a destination", handle: s.getDestination},
		{Method: "DELETE", Pattern: "/v1/sites/{site}/destinations/{destination}", Tag: "publishing", Role: A, Summary: "Delete a destination", handle: s.deleteDestination},
		{Method: "GET", Pattern: "/v1/sites/{site}/deployments", Tag: "publishing", Role: V, Summary: "Deployments of the site's static renderer, oldest first", handle: s.listDeployments},
		{Method: "GET", Pattern: "/v1/sites/{site}/records", Tag: "publishing", Role: V, List: true, Summary: "List publishing records (?content=&destination=&status=)", handle: s.listRecords},

		{Method: "GET", Pattern: "/v1/sites/{site}/links", Tag: "linking", Role: V, List: true, Summary: "List the site's internal link records (?source=&target= content ids)", handle: s.listLinks},
		{Method: "GET", Pattern: "/v1/sites/{site}/links/graph", Tag: "linking", Role: V, Summary: "The site's link graph: nodes, edges, orphans, pages over the cap, broken links, clusters not linking to their pillar", handle: s.getLinkGraph},
		{Method: "GET", Pattern: "/v1/sites/{site}/links/graph.svg", Tag: "linking", Role: V, Stream: true, Produces: svgType, Summary: "The site's link graph as an SVG picture (?sector= fades the other sectors' pages)", stream: s.serveLinkGraphSVG},

		{Method: "GET", Pattern: "/v1/sites/{site}/blueprints", Tag: "sitebuilding", Role: V, List: true, Summary: "List site blueprints", handle: s.listBlueprints},
		{Method: "POST", Pattern: "/v1/sites/{site}/blueprints", Tag: "sitebuilding", Role: E, Body: jsonBody, Status: 202, Summary: "Create a blueprint from a brief and generate its structure, copy and images (a job)", handle: s.createBlueprint},
		{Method: "GET", Pattern: "/v1/sites/{site}/blueprints/{blueprint}", Tag: "sitebuilding", Role: V, Summary: "Get a blueprint with its pages", handle: s.getBlueprint},
		{Method: "DELETE", Pattern: "/v1/sites/{site}/blueprints/{blueprint}", Tag: "sitebuilding", Role: A, Summary: "Delete a blueprint (the deployed files stay)", handle: s.deleteBlueprint},
		{Method: "PUT", Pattern: "/v1/sites/{site}/blueprints/{blueprint}/pages/{page}/blocks", Tag: "sitebuilding", Role: E, Body: jsonBody, Summary: "Replace a page's blocks ({\"blocks\": [...]}; a bad block names its field path)", handle: s.setPageBlocks},
		{Method: "GET", Pattern: "/v1/sites/{site}/blueprints/{blueprint}/deployments", Tag: "sitebuilding", Role: V, List: true, Summary: "List a blueprint's deployments, newest first", handle: s.listBlueprintDeployments},
		{Method: "POST", Pattern: "/v1/sites/{site}/blueprints/{blueprint}/deployments", Tag: "sitebuilding", Role: A, Status: 201, Summary: "Deploy a blueprint as the site's live static site", handle: s.deployBlueprint},
		{Method: "GET", Pattern: "/v1/sites/{site}/blueprints/{blueprint}/deployments/{deployment}", Tag: "sitebuilding", Role: V, Summary: "Get a deployment of a blueprint", handle: s.getBlueprintDeployment},
		{Method: "POST", Pattern: "/v1/sites/{site}/blueprints/{blueprint}/deployments/{deployment}/rollback", Tag: "sitebuilding", Role: A, Summary: "Make an earlier deployment's version live again", handle: s.rollbackDeployment},

		{Method: "GET", Pattern: sector + "/keywords", Tag: "planning", Role: V, List: true, Summary: "List keywords (?status=&cluster=&unclustered=&contains=&min_volume=&max_volume=)", handle: s.listKeywords},
		{Method: "POST", Pattern: sector + "/keywords", Tag: "planning", Role: E, Body: jsonBody, Status: 201, Summary: "Add keywords (all or nothing)", handle: s.addKeywords},
		{Method: "POST", Pattern: sector + "/keywords/import", Tag: "planning", Role: E, Body: csvBody, Status: 201, Summary: "Import a keyword CSV (Keyword Planner, Semrush, Ahrefs or plain)", handle: s.importKeywords},
		{Method: "GET", Pattern: sector + "/keywords/{keyword}", Tag: "planning", Role: V, Summary: "Get a keyword", handle: s.getKeyword},
		{Method: "DELETE", Pattern: sector + "/keywords/{keyword}", Tag: "planning", Role: E, Summary: "Delete a keyword", handle: s.deleteKeyword},
		{Method: "POST", Pattern: sector + "/clusterings", Tag: "planning", Role: E, Status: 202, Summary: "Cluster the unclustered keywords (a job)", handle: s.startClustering},
		{Method: "GET", Pattern: sector + "/clusters", Tag: "planning", Role: V, List: true, Summary: "List clusters (?status=)", handle: s.listClusters},
		{Method: "GET", Pattern: sector + "/clusters/{cluster}", Tag: "planning", Role: V, Summary: "Get a cluster", handle: s.getCluster},
		{Method: "DELETE", Pattern: sector + "/clusters/{cluster}", Tag: "planning", Role: E, Summary: "Delete a cluster", handle: s.deleteCluster},
		{Method: "POST", Pattern: sector + "/clusters/{cluster}/ideas", Tag: "planning", Role: E, Body: jsonBody, Status: 201, Summary: "Propose content ideas for a cluster", handle: s.proposeIdeas},
		{Method: "GET", Pattern: sector + "/ideas", Tag: "planning", Role: V, List: true, Summary: "List content ideas (?status=&cluster=)", handle: s.listIdeas},
		{Method: "GET", Pattern: sector + "/ideas/{idea}", Tag: "planning", Role: V, Summary: "Get a content idea", handle: s.getIdea},
		{Method: "DELETE", Pattern: sector + "/ideas/{idea}", Tag: "planning", Role: E, Summary: "Delete a content idea", handle: s.deleteIdea},

		{Method: "GET", Pattern: sector + "/tasks", Tag: "content", Role: V, List: true, Summary: "List writing tasks (?status=&batch=&idea=)", handle: s.listTasks},
		{Method: "POST", Pattern: sector + "/tasks", Tag: "content", Role: E, Body: jsonBody, Status: 201, Summary: "Create writing tasks from ideas or by hand (one batch)", handle: s.createTasks},
		{Method: "GET", Pattern: sector + "/tasks/{task}", Tag: "content", Role: V, Summary: "Get a task", handle: s.getTask},
		{Method: "POST", Pattern: sector + "/batches/{batch}/runs", Tag: "content", Role: E, Body: jsonBody, Status: 202, Summary: "Write a batch of tasks (a job; resumable)", handle: s.runBatch},
		{Method: "GET", Pattern: sector + "/content", Tag: "content", Role: V, List: true, Summary: "List content (?status=&type=&keyword=)", handle: s.listContent},
		{Method: "GET", Pattern: sector + "/content/{content}", Tag: "content", Role: V, Summary: "Get content", handle: s.getContent},
		{Method: "GET", Pattern: sector + "/content/{content}/analysis", Tag: "optimization", Role: V, Summary: "On-page SEO and readability analysis of the current version", handle: s.analyzeContent},
		{Method: "GET", Pattern: sector + "/content/{content}/versions", Tag: "content", Role: V, Summary: "List versions", handle: s.listVersions},
		{Method: "GET", Pattern: sector + "/content/{content}/versions/{version}", Tag: "content", Role: V, Summary: "Get a version", handle: s.getVersion},
		{Method: "POST", Pattern: sector + "/content/{content}/versions/{version}/restore", Tag: "content", Role: E, Summary: "Restore a version (as a new version)", handle: s.restoreVersion},
		{Method: "GET", Pattern: sector + "/content/{content}/images", Tag: "content", Role: V, Summary: "List images", handle: s.listImages},
		{Method: "POST", Pattern: sector + "/content/{content}/images", Tag: "content", Role: E, Status: 201, Summary: "Generate and place the content's images", handle: s.illustrate},
		{Method: "POST", Pattern: sector + "/content/{content}/optimizations", Tag: "optimization", Role: E, Body: jsonBody, Status: 201, Summary: "Rewrite the content with the model; kept only when it scores better (the task says accepted or rejected, and why)", handle: s.optimize},
		{Method: "GET", Pattern: sector + "/content/{content}/optimizations", Tag: "optimization", Role: V, Summary: "The content's optimization tasks, newest first", handle: s.listOptimizations},
		{Method: "GET", Pattern: sector + "/content/{content}/optimizations/{optimization}", Tag: "optimization", Role: V, Summary: "Get an optimization task (scores and HTML before and after)", handle: s.getOptimization},
		{Method: "DELETE", Pattern: sector + "/content/{content}/links/{link}", Tag: "linking", Role: E, Summary: "Remove an inserted link from the content (a new version) and delete its record", handle: s.deleteLink},
		{Method: "POST", Pattern: sector + "/links", Tag: "linking", Role: E, Body: jsonBody, Status: 202, Summary: "Link the sector's content into its site (a job: suggest and insert; placed and skipped counts)", handle: s.startLinkPass},
		{Method: "POST", Pattern: sector + "/content/{content}/publications", Tag: "publishing", Role: E, Body: jsonBody, Status: 201, Summary: "Publish content to a destination (idempotent)", handle: s.publish},

		{Method: "GET", Pattern: sector + "/rules", Tag: "automation", Role: V, List: true, Summary: "List automation rules", handle: s.listRules},
		{Method: "POST", Pattern: sector + "/rules", Tag: "automation", Role: A, Body: jsonBody, Status: 201, Summary: "Create an automation rule", handle: s.createRule},
		{Method: "GET", Pattern: sector + "/rules/{rule}", Tag: "automation", Role: V, Summary: "Get a rule", handle: s.getRule},
		{Method: "DELETE", Pattern: sector + "/rules/{rule}", Tag: "automation", Role: A, Summary: "Delete a rule", handle: s.deleteRule},
		{Method: "POST", Pattern: sector + "/rules/{rule}/runs", Tag: "automation", Role: E, Status: 202, Summary: "Run a rule now (a job)", handle: s.runRule},
		{Method: "GET", Pattern: sector + "/runs", Tag: "automation", Role: V, List: true, Summary: "List automation runs (?rule=&status=)", handle: s.listRuns},
		{Method: "GET", Pattern: sector + "/runs/{run}", Tag: "automation", Role: V, Summary: "Get a run", handle: s.getRun},
	}
}

// --- account, plans, users, tokens ---------------------------------------

func (s *Server) me(r *request) (any, error) {
	a, err := s.store.GetAccount(r.ctx(), r.account.AccountID)
	if err != nil {
		return nil, err
	}
	return map[string]any{"user": r.user, "account": a}, nil
}

func (s *Server) listPlans(r *request) (any, error) { return s.store.ListPlans(r.ctx()) }

func (s *Server) createPlan(r *request) (any, error) {
	var p igny8.Plan
	if err := r.decode(&p); err != nil {
		return nil, err
	}
	return s.tenancy.CreatePlan(r.ctx(), p)
}

func (s *Server) listAccounts(r *request) (any, error) {
	p, err := r.page()
	if err != nil {
		return nil, err
	}
	l, err := s.store.ListAccounts(r.ctx(), p)
	return listOf(l, p, func(a igny8.Account) string { return a.ID }), err
}

type newAccount struct {
	Name       string `json:"name"`
	PlanID     string `json:"plan_id"`
	TimeZone   string `json:"time_zone"`
	OwnerEmail string `json:"owner_email"`
	OwnerName  string `json:"owner_name"`
	Credits    int64  `json:"credits"`
}

func (s *Server) createAccount(r *request) (any, error) {
	var in newAccount
	if err := r.decode(&in); err != nil {
		return nil, err
	}
	a, err := s.tenancy.CreateAccount(r.ctx(), igny8.Account{Name: in.Name, PlanID: in.PlanID, TimeZone: in.TimeZone})
	if err != nil {
		return nil, err
	}
	scope := igny8.Scope{AccountID: a.ID}
	u, err := s.tenancy.CreateUser(r.ctx(), scope, igny8.User{Email: in.OwnerEmail, Name: in.OwnerName, Role: igny8.RoleOwner})
	if err != nil {
		return nil, err
	}
	if in.Credits > 0 {
		if _, err := s.credits.Grant(r.ctx(), scope, igny8.Charge{Amount: in.Credits, Reason: "initial credits", IdempotencyKey: "initial:" + a.ID}); err != nil {
			return nil, err
		}
	}
	tok, err := s.IssueToken(r.ctx(), scope, u.ID, "owner")
	if err != nil {
		return nil, err
	}
	return map[string]any{"account": a, "owner": u, "token": tok}, nil
}

func (s *Server) getAccount(r *request) (any, error) {
	return s.store.GetAccount(r.ctx(), r.PathValue("account"))
}

type grant struct {
	Amount         int64  `json:"amount"`
	Reason         string `json:"reason"`
	IdempotencyKey string `json:"idempotency_key"`
}

func (s *Server) grantCredits(r *request) (any, error) {
	var in grant
	if err := r.decode(&in); err != nil {
		return nil, err
	}
	a, err := s.store.GetAccount(r.ctx(), r.PathValue("account"))
	if err != nil {
		return nil, err
	}
	return s.credits.Grant(r.ctx(), igny8.Scope{AccountID: a.ID}, igny8.Charge{Amount: in.Amount, Reason: in.Reason, IdempotencyKey: in.IdempotencyKey})
}

func (s *Server) getCredits(r *request) (any, error) {
	p, err := r.page()
	if err != nil {
		return nil, err
	}
	bal, err := s.credits.Balance(r.ctx(), r.account)
	if err != nil {
		return nil, err
	}
	l, err := s.credits.Ledger(r.ctx(), r.account, p)
	if err != nil {
		return nil, err
	}
	pg := listOf(l, p, func(e igny8.LedgerEntry) string { return e.ID })
	pg.items = map[string]any{"balance": bal, "ledger": pg.items}
	return pg, nil
}

func (s *Server) listUsers(r *request) (any, error) {
	p, err := r.page()
	if err != nil {
		return nil, err
	}
	l, err := s.store.ListUsers(r.ctx(), r.account, p)
	return listOf(l, p, func(u igny8.User) string { return u.ID }), err
}

type newUser struct {
	Email string     `json:"email"`
	Name  string     `json:"name"`
	Role  igny8.Role `json:"role"`
}

func (s *Server) createUser(r *request) (any, error) {
	var in newUser
	if err := r.decode(&in); err != nil {
		return nil, err
	}
	if in.Role.Valid() && !r.user.IsSuperuser && !r.user.Role.AtLeast(in.Role) {
		return nil, igny8.Errorf(igny8.CodePermissionDenied, "api.createUser", "role: a %s cannot grant role %s", r.user.Role, in.Role)
	}
	return s.tenancy.CreateUser(r.ctx(), r.account, igny8.User{Email: in.Email, Name: in.Name, Role: in.Role})
}

func (s *Server) getUser(r *request) (any, error) {
	return s.store.GetUser(r.ctx(), r.account, r.PathValue("user"))
}

func (s *Server) deleteUser(r *request) (any, error) {
	id := r.PathValue("user")
	u, err := s.store.GetUser(r.ctx(), r.account, id)
	if err != nil {
		return nil, err
	}
	if !r.user.IsSuperuser && !r.user.Role.AtLeast(u.Role) {
		return nil, igny8.Errorf(igny8.CodePermissionDenied, "api.deleteUser", "a %s cannot delete a %s", r.user.Role, u.Role)
	}
	return map[string]string{"deleted": id}, s.tenancy.DeleteUser(r.ctx(), r.account, id)
}

func (s *Server) listTokens(r *request) (any, error) {
	if _, err := s.store.GetUser(r.ctx(), r.account, r.PathValue("user")); err != nil {
		return nil, err
	}
	l, err := s.store.ListAPITokens(r.ctx(), r.account, r.PathValue("user"))
	if l == nil {
		l = []sqlstore.APIToken{}
	}
	return l, err
}

type tokenInput struct {
	Name string `json:"name"`
}

func (s *Server) createToken(r *request) (any, error) {
	var in tokenInput
	if err := r.decode(&in); err != nil {
		return nil, err
	}
	u, err := s.store.GetUser(r.ctx(), r.account, r.PathValue("user"))
	if err != nil {
		return nil, err
	}
	if !r.user.IsSuperuser && !r.user.Role.AtLeast(u.Role) {
		return nil, igny8.Errorf(igny8.CodePermissionDenied, "api.createToken", "a %s cannot create tokens for a %s", r.user.Role, u.Role)
	}
	return s.IssueToken(r.ctx(), r.account, u.ID, in.Name)
}

func (s *Server) deleteToken(r *request) (any, error) {
	id := r.PathValue("token")
	return map[string]string{"deleted": id}, s.store.DeleteAPIToken(r.ctx(), r.account, id)
}

func (s *Server) listTemplates(r *request) (any, error) { return automation.Templates(), nil }

// --- sites and sectors ---------------------------------------------------

func (s *Server) listSites(r *request) (any, error) {
	p, err := r.page()
	if err != nil {
		return nil, err
	}
	l, err := s.store.ListSites(r.ctx(), r.account, p)
	return listOf(l, p, func(x igny8.Site) string { return x.ID }), err
}

type siteInput struct {
	Name   string `json:"name"`
	Domain string `json:"domain"`
	Active *bool  `json:"active"`
}

func (s *Server) createSite(r *request) (any, error) {
	var in siteInput
	if err := r.decode(&in); err != nil {
		return nil, err
	}
	return s.tenancy.CreateSite(r.ctx(), r.account, igny8.Site{Name: in.Name, Domain: in.Domain, Active: in.Active == nil || *in.Active})
}

func (s *Server) getSite(r *request) (any, error) { return r.site, nil }

func (s *Server) updateSite(r *request) (any, error) {
	in := siteInput{Name: r.site.Name, Domain: r.site.Domain, Active: &r.site.Active}
	if err := r.decode(&in); err != nil {
		return nil, err
	}
	site := r.site
	site.Name, site.Domain = in.Name, in.Domain
	if in.Active != nil {
		site.Active = *in.Active
	}
	return s.tenancy.UpdateSite(r.ctx(), r.account, site)
}

func (s *Server) deleteSite(r *request) (any, error) {
	return map[string]string{"deleted": r.site.ID}, s.tenancy.DeleteSite(r.ctx(), r.account, r.site.ID)
}

func (s *Server) siteUsage(r *request) (any, error) {
	var out []igny8.Usage
	for _, l := range igny8.AllLimits() {
		u, err := s.limits.Usage(r.ctx(), r.scope, l)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, nil
}

func (s *Server) listSectors(r *request) (any, error) {
	p, err := r.page()
	if err != nil {
		return nil, err
	}
	l, err := s.store.ListSectors(r.ctx(), r.scope, p)
	return listOf(l, p, func(x igny8.Sector) string { return x.ID }), err
}

type sectorInput struct {
	Name string `json:"name"`
	Slug string `json:"slug"`
}

func (s *Server) createSector(r *request) (any, error) {
	var in sectorInput
	if err := r.decode(&in); err != nil {
		return nil, err
	}
	return s.tenancy.CreateSector(r.ctx(), r.scope, igny8.Sector{Name: in.Name, Slug: in.Slug})
}

func (s *Server) getSector(r *request) (any, error) { return r.sector, nil }

func (s *Server) deleteSector(r *request) (any, error) {
	return map[string]string{"deleted": r.sector.ID}, s.store.DeleteSector(r.ctx(), r.site.Scope(), r.sector.ID)
}

// --- publishing destinations and records --------------------------------

func (s *Server) listDestinations(r *request) (any, error) {
	p, err := r.page()
	if err != nil {
		return nil, err
	}
	l, err := s.publisher.Destinations(r.ctx(), r.scope, p)
	return listOf(l, p, func(x publishing.Destination) string { return x.ID }), err
}

type destinationInput struct {
	Name     string            `json:"name"`
	Kind     string            `json:"kind"`
	Settings map[string]string `json:"settings"`
	// Secret is write-only: sealed at rest, never answered or logged.
	Secret string `json:"secret"`
}

func (s *Server) createDestination(r *request) (any, error) {
	var in destinationInput
	if err := r.decode(&in); err != nil {
		return nil, err
	}
	if in.Kind == KindStatic {
		if err := s.renderer.Configure(r.ctx(), r.scope, siteConfig(r.site)); err != nil {
			return nil, err
		}
	}
	var secret []byte
	if in.Secret != "" {
		secret = []byte(in.Secret)
	}
	return s.publisher.RegisterDestination(r.ctx(), r.scope, publishing.DestinationInput{Name: in.Name, Kind: in.Kind, Settings: in.Settings, Secret: secret})
}

func (s *Server) getDestination(r *request) (any, error) {
	return s.publisher.Destination(r.ctx(), r.scope, r.PathValue("destination"))
}

func (s *Server) deleteDestination(r *request) (any, error) {
	id := r.PathValue("destination")
	return map[string]string{"deleted": id}, s.publisher.DeleteDestination(r.ctx(), r.scope, id)
}

func (s *Server) listDeployments(r *request) (any, error) {
	l, err := s.renderer.Deployments(r.ctx(), r.scope)
	if igny8.CodeOf(err) == igny8.CodeNotFound {
		return []sitesfs.Deployment{}, nil // no static destination yet
	}
	if err != nil {
		return nil, err
	}
	out := make([]sitesfs.Deployment, len(l))
	for i, d := range l {
		d.Path = "" // the server's file system is not the client's business
		out[i] = d
	}
	return out, nil
}

func (s *Server) listRecords(r *request) (any, error) {
	p, err := r.page()
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	l, err := s.publisher.Records(r.ctx(), r.scope, publishing.RecordQuery{
		ContentID: q.Get("content"), DestinationID: q.Get("destination"), Status: publishing.RecordStatus(q.Get("status")), Page: p,
	})
	return listOf(l, p, func(x publishing.Record) string { return x.ID }), err
}

// --- planning ------------------------------------------------------------

func (s *Server) listKeywords(r *request) (any, error) {
	p, err := r.page()
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	f := planning.KeywordFilter{Status: planning.Status(q.Get("status")), ClusterID: q.Get("cluster"), Contains: q.Get("contains"), Unclustered: q.Get("unclustered") == "true"}
	if f.MinVolume, err = r.intQuery("min_volume"); err != nil {
		return nil, err
	}
	if f.MaxVolume, err = r.intQuery("max_volume"); err != nil {
		return nil, err
	}
	l, err := s.planner.ListKeywords(r.ctx(), r.scope, f, p)
	return listOf(l, p, func(x planning.Keyword) string { return x.ID }), err
}

func (s *Server) addKeywords(r *request) (any, error) {
	var in struct {
		Keywords []planning.KeywordInput `json:"keywords"`
	}
	if err := r.decode(&in); err != nil {
		return nil, err
	}
	return s.planner.Import(r.ctx(), r.scope, in.Keywords)
}

func (s *Server) importKeywords(r *request) (any, error) {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "text/csv") && !strings.HasPrefix(ct, "text/plain") && !strings.HasPrefix(ct, "application/octet-stream") {
		return nil, igny8.InvalidArgument("api.importKeywords", "Content-Type", "must be text/csv, got %q", ct)
	}
	parsed, err := kwimport.Parse(r.Body, kwimport.Options{})
	if err != nil {
		return nil, err
	}
	rep, err := s.planner.Import(r.ctx(), r.scope, parsed.Keywords())
	if err != nil {
		return nil, err
	}
	return map[string]any{"format": parsed.Format, "rejected_rows": parsed.Rejected, "folded_rows": parsed.Folded, "report": rep}, nil
}

func (s *Server) getKeyword(r *request) (any, error) {
	return s.planner.GetKeyword(r.ctx(), r.scope, r.PathValue("keyword"))
}

func (s *Server) deleteKeyword(r *request) (any, error) {
	id := r.PathValue("keyword")
	return map[string]string{"deleted": id}, s.planner.DeleteKeyword(r.ctx(), r.scope, id)
}

func (s *Server) startClustering(r *request) (any, error) {
	return s.startJob(r.scope, "cluster", func(ctx context.Context, report progress) (any, error) {
		rep, err := s.planner.Cluster(ctx, r.scope, nil)
		report(1, 1, 0)
		return rep, err
	})
}

func (s *Server) listClusters(r *request) (any, error) {
	p, err := r.page()
	if err != nil {
		return nil, err
	}
	l, err := s.planner.ListClusters(r.ctx(), r.scope, planning.ClusterFilter{Status: planning.Status(r.URL.Query().Get("status"))}, p)
	return listOf(l, p, func(x planning.Cluster) string { return x.ID }), err
}

func (s *Server) getCluster(r *request) (any, error) {
	return s.planner.GetCluster(r.ctx(), r.scope, r.PathValue("cluster"))
}

func (s *Server) deleteCluster(r *request) (any, error) {
	id := r.PathValue("cluster")
	return map[string]string{"deleted": id}, s.planner.DeleteCluster(r.ctx(), r.scope, id)
}

func (s *Server) proposeIdeas(r *request) (any, error) {
	var in struct {
		Count        int                    `json:"count"`
		ContentTypes []planning.ContentType `json:"content_types"`
		Language     string                 `json:"language"`
	}
	if err := r.decode(&in); err != nil {
		return nil, err
	}
	return s.planner.ProposeIdeas(r.ctx(), r.scope, r.PathValue("cluster"), planning.IdeaOptions{
		Count: in.Count, ContentTypes: in.ContentTypes, Language: in.Language, Site: r.site.Name, Sector: r.sector.Name,
	})
}

func (s *Server) listIdeas(r *request) (any, error) {
	p, err := r.page()
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	l, err := s.planner.ListIdeas(r.ctx(), r.scope, planning.IdeaFilter{Status: planning.Status(q.Get("status")), ClusterID: q.Get("cluster")}, p)
	return listOf(l, p, func(x planning.ContentIdea) string { return x.ID }), err
}

func (s *Server) getIdea(r *request) (any, error) {
	return s.planner.GetIdea(r.ctx(), r.scope, r.PathValue("idea"))
}

func (s *Server) deleteIdea(r *request) (any, error) {
	id := r.PathValue("idea")
	return map[string]string{"deleted": id}, s.planner.DeleteIdea(r.ctx(), r.scope, id)
}

// --- content -------------------------------------------------------------

func (s *Server) listTasks(r *request) (any, error) {
	p, err := r.page()
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	l, err := s.store.ListTasks(r.ctx(), r.scope, content.TaskFilter{Status: content.TaskStatus(q.Get("status")), BatchID: q.Get("batch"), IdeaID: q.Get("idea")}, p)
	return listOf(l, p, func(x content.Task) string { return x.ID }), err
}

type taskInput struct {
	Title          string            `json:"title"`
	Brief          string            `json:"brief"`
	Outline        []content.Section `json:"outline"`
	PrimaryKeyword string            `json:"primary_keyword"`
	Keywords       []string          `json:"keywords"`
	Type           content.Type      `json:"type"`
	TargetWords    int               `json:"target_words"`
	AuthorProfile  string            `json:"author_profile"`
}

func (s *Server) createTasks(r *request) (any, error) {
	var in struct {
		IdeaIDs []string    `json:"idea_ids"`
		Tasks   []taskInput `json:"tasks"`
	}
	if err := r.decode(&in); err != nil {
		return nil, err
	}
	var tasks []content.NewTask
	for i, id := range in.IdeaIDs {
		idea, err := s.planner.GetIdea(r.ctx(), r.scope, id)
		if err != nil {
			if igny8.CodeOf(err) == igny8.CodeNotFound {
				return nil, igny8.InvalidArgument("api.createTasks", "idea_ids["+strconv.Itoa(i)+"]", "no idea %q in the sector", id)
			}
			return nil, err
		}
		tasks = append(tasks, automation.TaskFromIdea(idea))
	}
	for _, t := range in.Tasks {
		tasks = append(tasks, content.NewTask{Title: t.Title, Brief: t.Brief, Outline: t.Outline, PrimaryKeyword: t.PrimaryKeyword,
			Keywords: t.Keywords, Type: t.Type, TargetWords: t.TargetWords, AuthorProfile: t.AuthorProfile})
	}
	if len(tasks) == 0 {
		return nil, igny8.InvalidArgument("api.createTasks", "idea_ids", "give idea_ids or tasks")
	}
	return s.writer.CreateTasks(r.ctx(), r.scope, tasks)
}

func (s *Server) getTask(r *request) (any, error) {
	return s.store.GetTask(r.ctx(), r.scope, r.PathValue("task"))
}

func (s *Server) runBatch(r *request) (any, error) {
	var in struct {
		Concurrency int `json:"concurrency"`
	}
	if r.ContentLength != 0 {
		if err := r.decode(&in); err != nil {
			return nil, err
		}
	}
	batch := r.PathValue("batch")
	l, err := s.store.ListTasks(r.ctx(), r.scope, content.TaskFilter{BatchID: batch}, igny8.PageRequest{Limit: 1})
	if err != nil {
		return nil, err
	}
	if len(l) == 0 {
		return nil, igny8.NotFound("api.runBatch", "batch", batch)
	}
	scope := r.scope
	return s.startJob(scope, "write", func(ctx context.Context, report progress) (any, error) {
		return s.writer.RunBatch(ctx, scope, batch, content.BatchOptions{Concurrency: in.Concurrency, Progress: func(p content.Progress) {
			report(p.Total, p.Completed+p.Failed+p.Skipped, p.Failed)
		}})
	})
}

func (s *Server) listContent(r *request) (any, error) {
	p, err := r.page()
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	l, err := s.library.List(r.ctx(), r.scope, content.ContentFilter{Status: content.Status(q.Get("status")), Type: content.Type(q.Get("type")), Keyword: q.Get("keyword")}, p)
	return listOf(l, p, func(x content.Content) string { return x.ID }), err
}

func (s *Server) getContent(r *request) (any, error) {
	return s.library.Get(r.ctx(), r.scope, r.PathValue("content"))
}

func (s *Server) analyzeContent(r *request) (any, error) {
	c, err := s.library.Get(r.ctx(), r.scope, r.PathValue("content"))
	if err != nil {
		return nil, err
	}
	return s.analyze(r, c)
}

func (s *Server) listVersions(r *request) (any, error) {
	return s.library.Versions(r.ctx(), r.scope, r.PathValue("content"))
}

func versionNumber(r *request) (int, error) {
	v := r.PathValue("version")
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, igny8.NotFound("api.version", "version", v)
	}
	return n, nil
}

func (s *Server) getVersion(r *request) (any, error) {
	n, err := versionNumber(r)
	if err != nil {
		return nil, err
	}
	return s.library.Version(r.ctx(), r.scope, r.PathValue("content"), n)
}

func (s *Server) restoreVersion(r *request) (any, error) {
	n, err := versionNumber(r)
	if err != nil {
		return nil, err
	}
	return s.library.Restore(r.ctx(), r.scope, r.PathValue("content"), n)
}

func (s *Server) listImages(r *request) (any, error) {
	id := r.PathValue("content")
	if _, err := s.library.Get(r.ctx(), r.scope, id); err != nil {
		return nil, err
	}
	l, err := s.store.ListImages(r.ctx(), r.scope, id)
	if l == nil {
		l = []content.Image{}
	}
	return l, err
}

func (s *Server) illustrate(r *request) (any, error) {
	return s.illustrator.Illustrate(r.ctx(), r.scope, r.PathValue("content"))
}

func (s *Server) publish(r *request) (any, error) {
	var in struct {
		DestinationID string `json:"destination_id"`
	}
	if err := r.decode(&in); err != nil {
		return nil, err
	}
	c, err := s.library.Get(r.ctx(), r.scope, r.PathValue("content"))
	if err != nil {
		return nil, err
	}
	if in.DestinationID == "" {
		return nil, igny8.InvalidArgument("api.publish", "destination_id", "is required")
	}
	if _, err := s.publisher.Destination(r.ctx(), r.site.Scope(), in.DestinationID); err != nil {
		if igny8.CodeOf(err) == igny8.CodeNotFound {
			return nil, igny8.InvalidArgument("api.publish", "destination_id", "no destination %q in the site", in.DestinationID)
		}
		return nil, err
	}
	imgs, err := s.store.ListImages(r.ctx(), r.scope, c.ID)
	if err != nil {
		return nil, err
	}
	rec, err := s.publisher.Publish(r.ctx(), r.site.Scope(), in.DestinationID, automation.PublishItem(c, imgs, []string{r.sector.Name}))
	if err != nil {
		return nil, err
	}
	placement := content.Placement{Destination: in.DestinationID, ExternalID: rec.RemoteID, URL: rec.URL, Version: rec.PublishedVersion, PublishedAt: s.clock.Now().UTC()}
	if err := s.library.SetStatus(r.ctx(), r.scope, c.ID, content.StatusPublished, []content.Placement{placement}); err != nil {
		return nil, err
	}
	return rec, nil
}

// --- automation ----------------------------------------------------------

func (s *Server) listRules(r *request) (any, error) {
	p, err := r.page()
	if err != nil {
		return nil, err
	}
	l, err := s.store.ListRules(r.ctx(), r.scope, automation.RuleFilter{}, p)
	return listOf(l, p, func(x automation.Rule) string { return x.ID }), err
}

func (s *Server) createRule(r *request) (any, error) {
	var in automation.Rule
	if err := r.decode(&in); err != nil {
		return nil, err
	}
	in.ID, in.Scope = "", r.scope
	return s.engine.SaveRule(r.ctx(), r.scope, in)
}

func (s *Server) getRule(r *request) (any, error) {
	return s.store.GetRule(r.ctx(), r.scope, r.PathValue("rule"))
}

func (s *Server) deleteRule(r *request) (any, error) {
	id := r.PathValue("rule")
	return map[string]string{"deleted": id}, s.engine.DeleteRule(r.ctx(), r.scope, id)
}

func (s *Server) runRule(r *request) (any, error) {
	rule, err := s.store.GetRule(r.ctx(), r.scope, r.PathValue("rule"))
	if err != nil {
		return nil, err
	}
	scope := r.scope
	return s.startJob(scope, "rule", func(ctx context.Context, report progress) (any, error) {
		run, err := s.engine.RunRule(ctx, scope, rule.ID, nil)
		report(1, 1, 0)
		return run, err
	})
}

func (s *Server) listRuns(r *request) (any, error) {
	p, err := r.page()
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	l, err := s.engine.Runs(r.ctx(), r.scope, automation.RunFilter{RuleID: q.Get("rule"), Status: automation.RunStatus(q.Get("status"))}, p)
	return listOf(l, p, func(x automation.Run) string { return x.ID }), err
}

func (s *Server) getRun(r *request) (any, error) {
	return s.store.GetRun(r.ctx(), r.scope, r.PathValue("run"))
}
