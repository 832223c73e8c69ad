package igny8

import (
	"context"
	"net/mail"
	"strings"
	"time"
)

// Tenancy manages plans, accounts, sites, sectors and users: it validates
// input, assigns IDs and times, and holds the max_sites and max_users limits
// in the same transaction as the write.
type Tenancy struct {
	store  Store
	clock  Clock
	ids    IDGenerator
	limits *Limits
}

// TenancyOptions configures Tenancy; the zero value is usable.
type TenancyOptions struct {
	Clock Clock
	IDs   IDGenerator
}

// NewTenancy returns a Tenancy over store.
func NewTenancy(store Store, opts TenancyOptions) *Tenancy {
	t := &Tenancy{store: store, clock: opts.Clock, ids: opts.IDs}
	if t.clock == nil {
		t.clock = SystemClock{}
	}
	if t.ids == nil {
		t.ids = &UUIDv7{Clock: t.clock}
	}
	t.limits = NewLimits(store, t.clock)
	return t
}

func (t *Tenancy) now() time.Time { return t.clock.Now().UTC() }

// CreatePlan stores a new plan with a fresh ID.
func (t *Tenancy) CreatePlan(ctx context.Context, p Plan) (Plan, error) {
	const op = "igny8.Tenancy.CreatePlan"
	if err := p.Validate(op); err != nil {
		return Plan{}, err
	}
	p.ID = t.ids.NewID()
	p.CreatedAt, p.UpdatedAt = t.now(), t.now()
	if err := t.store.CreatePlan(ctx, p); err != nil {
		return Plan{}, Wrap(CodeInternal, op, err)
	}
	return p, nil
}

// UpdatePlan changes a plan's name, limits and costs. Lowering a limit below
// current use refuses new reservations; it does not take back what is used.
func (t *Tenancy) UpdatePlan(ctx context.Context, p Plan) (Plan, error) {
	const op = "igny8.Tenancy.UpdatePlan"
	if p.ID == "" {
		return Plan{}, InvalidArgument(op, "id", "is required")
	}
	if err := p.Validate(op); err != nil {
		return Plan{}, err
	}
	p.UpdatedAt = t.now()
	if err := t.store.UpdatePlan(ctx, p); err != nil {
		return Plan{}, Wrap(CodeInternal, op, err)
	}
	return t.store.GetPlan(ctx, p.ID)
}

// CreateAccount stores a new account on an existing plan with a zero
// balance (credits come from Credits.Grant).
func (t *Tenancy) CreateAccount(ctx context.Context, a Account) (Account, error) {
	const op = "igny8.Tenancy.CreateAccount"
	if strings.TrimSpace(a.Name) == "" {
		return Account{}, InvalidArgument(op, "name", "is required")
	}
	if a.PlanID == "" {
		return Account{}, InvalidArgument(op, "plan_id", "is required")
	}
	if _, err := a.Location(); err != nil {
		return Account{}, InvalidArgument(op, "time_zone", "unknown time zone %q", a.TimeZone)
	}
	if _, err := t.store.GetPlan(ctx, a.PlanID); err != nil {
		if CodeOf(err) == CodeNotFound {
			return Account{}, InvalidArgument(op, "plan_id", "no plan %q", a.PlanID)
		}
		return Account{}, Wrap(CodeInternal, op, err)
	}
	a.ID = t.ids.NewID()
	a.CreditBalance = 0
	a.CreatedAt, a.UpdatedAt = t.now(), t.now()
	if err := t.store.CreateAccount(ctx, a); err != nil {
		return Account{}, Wrap(CodeInternal, op, err)
	}
	return a, nil
}

// UpdateAccount changes an account's name, plan, time zone and system flag.
func (t *Tenancy) UpdateAccount(ctx context.Context, a Account) (Account, error) {
	const op = "igny8.Tenancy.UpdateAccount"
	if a.ID == "" {
		return Account{}, InvalidArgument(op, "id", "is required")
	}
	if strings.TrimSpace(a.Name) == "" {
		return Account{}, InvalidArgument(op, "name", "is required")
	}
	if _, err := a.Location(); err != nil {
		return Account{}, InvalidArgument(op, "time_zone", "unknown time zone %q", a.TimeZone)
	}
	if _, err := t.store.GetPlan(ctx, a.PlanID); err != nil {
		if CodeOf(err) == CodeNotFound {
			return Account{}, InvalidArgument(op, "plan_id", "no plan %q", a.PlanID)
		}
		return Account{}, Wrap(CodeInternal, op, err)
	}
	a.UpdatedAt = t.now()
	if err := t.store.UpdateAccount(ctx, a); err != nil {
		return Account{}, Wrap(CodeInternal, op, err)
	}
	return t.store.GetAccount(ctx, a.ID)
}

// CreateSite adds a site to the scope's account within max_sites.
func (t *Tenancy) CreateSite(ctx context.Context, scope Scope, s Site) (Site, error) {
	const op = "igny8.Tenancy.CreateSite"
	if err := scope.Validate(op); err != nil {
		return Site{}, err
	}
	if strings.TrimSpace(s.Name) == "" {
		return Site{}, InvalidArgument(op, "name", "is required")
	}
	if err := validDomain(s.Domain); err != nil {
		return Site{}, InvalidArgument(op, "domain", "%v", err)
	}
	s.ID = t.ids.NewID()
	s.AccountID = scope.AccountID
	s.CreatedAt, s.UpdatedAt = t.now(), t.now()
	err := t.store.InTx(ctx, func(ctx context.Context) error {
		if _, err := t.limits.Reserve(ctx, scope.Account(), LimitMaxSites, 1); err != nil {
			return err
		}
		return t.store.CreateSite(ctx, scope.Account(), s)
	})
	if err != nil {
		return Site{}, Wrap(CodeInternal, op, err)
	}
	return s, nil
}

// UpdateSite changes a site's name, domain and active flag.
func (t *Tenancy) UpdateSite(ctx context.Context, scope Scope, s Site) (Site, error) {
	const op = "igny8.Tenancy.UpdateSite"
	if err := scope.Validate(op); err != nil {
		return Site{}, err
	}
	if strings.TrimSpace(s.Name) == "" {
		return Site{}, InvalidArgument(op, "name", "is required")
	}
	if err := validDomain(s.Domain); err != nil {
		return Site{}, InvalidArgument(op, "domain", "%v", err)
	}
	s.UpdatedAt = t.now()
	if err := t.store.UpdateSite(ctx, scope.Account(), s); err != nil {
		return Site{}, Wrap(CodeInternal, op, err)
	}
	return t.store.GetSite(ctx, scope.Account(), s.ID)
}

// DeleteSite deletes a site and its sectors and frees its max_sites slot.
func (t *Tenancy) DeleteSite(ctx context.Context, scope Scope, id string) error {
	const op = "igny8.Tenancy.DeleteSite"
	if err := scope.Validate(op); err != nil {
		return err
	}
	return Wrap(CodeInternal, op, t.store.InTx(ctx, func(ctx context.Context) error {
		if err := t.store.DeleteSite(ctx, scope.Account(), id); err != nil {
			return err
		}
		return t.store.ReleaseUsage(ctx, UsageKey{AccountID: scope.AccountID, Limit: LimitMaxSites}, 1)
	}))
}

// CreateSector adds a sector to the scope's site.
func (t *Tenancy) CreateSector(ctx context.Context, scope Scope, s Sector) (Sector, error) {
	const op = "igny8.Tenancy.CreateSector"
	if err := scope.RequireSite(op); err != nil {
		return Sector{}, err
	}
	if strings.TrimSpace(s.Name) == "" {
		return Sector{}, InvalidArgument(op, "name", "is required")
	}
	if s.Slug == "" {
		s.Slug = Slugify(s.Name)
	}
	if !ValidSlug(s.Slug) {
		return Sector{}, InvalidArgument(op, "slug", "%q is not a slug (lower-case letters, digits and single hyphens)", s.Slug)
	}
	s.ID = t.ids.NewID()
	s.AccountID, s.SiteID = scope.AccountID, scope.SiteID
	s.CreatedAt, s.UpdatedAt = t.now(), t.now()
	if err := t.store.CreateSector(ctx, scope.Site(), s); err != nil {
		return Sector{}, Wrap(CodeInternal, op, err)
	}
	return s, nil
}

// CreateUser adds a user to the scope's account within max_users.
func (t *Tenancy) CreateUser(ctx context.Context, scope Scope, u User) (User, error) {
	const op = "igny8.Tenancy.CreateUser"
	if err := scope.Validate(op); err != nil {
		return User{}, err
	}
	addr, err := mail.ParseAddress(u.Email)
	if err != nil || addr.Address != u.Email {
		return User{}, InvalidArgument(op, "email", "%q is not an email address", u.Email)
	}
	if !u.Role.Valid() {
		return User{}, InvalidArgument(op, "role", "%q is not one of owner, admin, editor, viewer", string(u.Role))
	}
	u.ID = t.ids.NewID()
	u.AccountID = scope.AccountID
	u.Email = strings.ToLower(u.Email)
	u.CreatedAt, u.UpdatedAt = t.now(), t.now()
	err = t.store.InTx(ctx, func(ctx context.Context) error {
		if _, err := t.limits.Reserve(ctx, scope.Account(), LimitMaxUsers, 1); err != nil {
			return err
		}
		return t.store.CreateUser(ctx, scope.Account(), u)
	})
	if err != nil {
		return User{}, Wrap(CodeInternal, op, err)
	}
	return u, nil
}

// DeleteUser deletes a user and frees its max_users slot.
func (t *Tenancy) DeleteUser(ctx context.Context, scope Scope, id string) error {
	const op = "igny8.Tenancy.DeleteUser"
	if err := scope.Validate(op); err != nil {
		return err
	}
	return Wrap(CodeInternal, op, t.store.InTx(ctx, func(ctx context.Context) error {
		if err := t.store.DeleteUser(ctx, scope.Account(), id); err != nil {
			return err
		}
		return t.store.ReleaseUsage(ctx, UsageKey{AccountID: scope.AccountID, Limit: LimitMaxUsers}, 1)
	}))
}

func validDomain(d string) error {
	if d == "" {
		return nil
	}
	if len(d) > 253 || strings.ContainsAny(d, "/:?#@ \t\r\n") {
		return errInvalidDomain(d)
	}
	for _, label := range strings.Split(d, ".") {
		if label == "" || len(label) > 63 {
			return errInvalidDomain(d)
		}
	}
	return nil
}

type errInvalidDomain string

func (e errInvalidDomain) Error() string { return "\"" + string(e) + "\" is not a host name" }
