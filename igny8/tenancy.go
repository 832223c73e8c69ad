package igny8

import (
	"time"
)

// Scope names the tenant a call acts for. Every service method that touches
// tenant data takes one explicitly. AccountID is always required; SiteID and
// SectorID narrow it. A store never returns, changes or counts a row outside
// the scope it is given: such a row answers NotFound.
type Scope struct {
	AccountID string `json:"account_id"`
	SiteID    string `json:"site_id,omitempty"`
	SectorID  string `json:"sector_id,omitempty"`
}

// Validate checks that the scope names an account, and that a sector is only
// given together with its site.
func (s Scope) Validate(op string) error {
	if s.AccountID == "" {
		return InvalidArgument(op, "scope.account_id", "is required")
	}
	if s.SectorID != "" && s.SiteID == "" {
		return InvalidArgument(op, "scope.site_id", "is required when scope.sector_id is set")
	}
	return nil
}

// RequireSite checks Validate and that the scope names a site.
func (s Scope) RequireSite(op string) error {
	if err := s.Validate(op); err != nil {
		return err
	}
	if s.SiteID == "" {
		return InvalidArgument(op, "scope.site_id", "is required")
	}
	return nil
}

// RequireSector checks RequireSite and that the scope names a sector.
func (s Scope) RequireSector(op string) error {
	if err := s.RequireSite(op); err != nil {
		return err
	}
	if s.SectorID == "" {
		return InvalidArgument(op, "scope.sector_id", "is required")
	}
	return nil
}

// Account returns the scope narrowed to its account only.
func (s Scope) Account() Scope { return Scope{AccountID: s.AccountID} }

// Site returns the scope narrowed to its account and site.
func (s Scope) Site() Scope { return Scope{AccountID: s.AccountID, SiteID: s.SiteID} }

// Contains reports whether o lies within s: same account, and the same site
// and sector where s names them.
func (s Scope) Contains(o Scope) bool {
	if s.AccountID != o.AccountID {
		return false
	}
	if s.SiteID != "" && s.SiteID != o.SiteID {
		return false
	}
	if s.SectorID != "" && s.SectorID != o.SectorID {
		return false
	}
	return true
}

// String returns "account/site/sector" with empty parts left out at the end.
func (s Scope) String() string {
	out := s.AccountID
	if s.SiteID != "" {
		out += "/" + s.SiteID
	}
	if s.SectorID != "" {
		out += "/" + s.SectorID
	}
	return out
}

// Account is a tenant: it owns sites and users, has a plan, and a credit
// balance kept by the ledger (CreditBalance is read-only to callers: only
// the ledger changes it).
type Account struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	PlanID string `json:"plan_id"`
	// TimeZone is an IANA zone name ("Europe/Berlin"); day and month limits
	// roll over at midnight there. Empty means UTC.
	TimeZone      string    `json:"time_zone"`
	CreditBalance int64     `json:"credit_balance"`
	IsSystem      bool      `json:"is_system"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// Location returns the account's time zone, UTC when unset.
func (a Account) Location() (*time.Location, error) {
	if a.TimeZone == "" {
		return time.UTC, nil
	}
	loc, err := time.LoadLocation(a.TimeZone)
	if err != nil {
		return nil, InvalidArgument("igny8.Account.Location", "time_zone", "unknown time zone %q", a.TimeZone)
	}
	return loc, nil
}

// Site is a website an account runs content for.
type Site struct {
	ID        string    `json:"id"`
	AccountID string    `json:"account_id"`
	Name      string    `json:"name"`
	Domain    string    `json:"domain"`
	Active    bool      `json:"active"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Scope returns the scope of the site.
func (s Site) Scope() Scope { return Scope{AccountID: s.AccountID, SiteID: s.ID} }

// Sector is a topical section of a site; keywords, clusters and content
// belong to one.
type Sector struct {
	ID        string    `json:"id"`
	AccountID string    `json:"account_id"`
	SiteID    string    `json:"site_id"`
	Name      string    `json:"name"`
	Slug      string    `json:"slug"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Scope returns the scope of the sector.
func (s Sector) Scope() Scope {
	return Scope{AccountID: s.AccountID, SiteID: s.SiteID, SectorID: s.ID}
}

// Role is a user's role within an account.
type Role string

// Roles, from most to least privileged.
const (
	RoleOwner  Role = "owner"
	RoleAdmin  Role = "admin"
	RoleEditor Role = "editor"
	RoleViewer Role = "viewer"
)

// Valid reports whether r is one of the four roles.
func (r Role) Valid() bool {
	switch r {
	case RoleOwner, RoleAdmin, RoleEditor, RoleViewer:
		return true
	}
	return false
}

// rank orders roles; higher is more privileged.
func (r Role) rank() int {
	switch r {
	case RoleOwner:
		return 4
	case RoleAdmin:
		return 3
	case RoleEditor:
		return 2
	case RoleViewer:
		return 1
	}
	return 0
}

// AtLeast reports whether r grants at least the rights of min.
func (r Role) AtLeast(min Role) bool { return r.rank() >= min.rank() && r.rank() > 0 }

// User is a person with a role in one account. A superuser may act on every
// account (platform staff).
type User struct {
	ID          string    `json:"id"`
	AccountID   string    `json:"account_id"`
	Email       string    `json:"email"`
	Name        string    `json:"name"`
	Role        Role      `json:"role"`
	IsSuperuser bool      `json:"is_superuser"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// Can reports whether the user may act with at least the rights of min in
// the account of scope.
func (u User) Can(scope Scope, min Role) bool {
	if u.IsSuperuser {
		return true
	}
	return u.AccountID == scope.AccountID && u.Role.AtLeast(min)
}

// Plan is a subscription plan: its limits and what AI functions cost.
type Plan struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Limits maps a limit to its value. A limit absent from the map is
	// unlimited; a limit present with value 0 allows nothing.
	Limits map[Limit]int64 `json:"limits"`
	// Costs overrides DefaultCosts for accounts on this plan, per function.
	Costs CostTable `json:"costs,omitempty"`
	// MonthlyCredits is what a host grants each month (informational: the
	// SDK does not grant on its own).
	MonthlyCredits int64     `json:"monthly_credits"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// LimitValue returns the plan's value for l and whether it is limited.
func (p Plan) LimitValue(l Limit) (value int64, limited bool) {
	v, ok := p.Limits[l]
	return v, ok
}

// Validate checks the plan's fields.
func (p Plan) Validate(op string) error {
	if p.Name == "" {
		return InvalidArgument(op, "name", "is required")
	}
	for l, v := range p.Limits {
		if !l.Valid() {
			return InvalidArgument(op, "limits", "unknown limit %q", string(l))
		}
		if v < 0 {
			return InvalidArgument(op, "limits."+string(l), "must not be negative, got %d", v)
		}
	}
	return p.Costs.Validate(op, "costs")
}
