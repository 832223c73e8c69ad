package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"

	"github.com/igny8/sdk/igny8"
)

// ---- plans ----

const (
	planCols   = `id, name, limits, costs, monthly_credits, created_at, updated_at`
	sqlGetPlan = `SELECT ` + planCols + ` FROM plans WHERE id = ?`
)

func encodePlan(op string, p igny8.Plan) (limits, costs string, err error) {
	lim := p.Limits
	if lim == nil {
		lim = map[igny8.Limit]int64{}
	}
	b, err := json.Marshal(lim)
	if err != nil {
		return "", "", igny8.InvalidArgument(op, "limits", "cannot be encoded: %v", err)
	}
	cst := p.Costs
	if cst == nil {
		cst = igny8.CostTable{}
	}
	c, err := json.Marshal(cst)
	if err != nil {
		return "", "", igny8.InvalidArgument(op, "costs", "cannot be encoded: %v", err)
	}
	return string(b), string(c), nil
}

func scanPlan(op string, row interface{ Scan(...any) error }) (igny8.Plan, error) {
	var p igny8.Plan
	var limits, costs string
	if err := row.Scan(&p.ID, &p.Name, &limits, &costs, &p.MonthlyCredits, timeCol{&p.CreatedAt}, timeCol{&p.UpdatedAt}); err != nil {
		return igny8.Plan{}, err
	}
	if err := json.Unmarshal([]byte(limits), &p.Limits); err != nil {
		return igny8.Plan{}, igny8.Errorf(igny8.CodeInternal, op, "plan %q: stored limits: %w", p.ID, err)
	}
	if err := json.Unmarshal([]byte(costs), &p.Costs); err != nil {
		return igny8.Plan{}, igny8.Errorf(igny8.CodeInternal, op, "plan %q: stored costs: %w", p.ID, err)
	}
	if p.Limits == nil {
		p.Limits = map[igny8.Limit]int64{}
	}
	if len(p.Costs) == 0 {
		p.Costs = nil
	}
	return p, nil
}

// CreatePlan stores a new plan; a duplicate id is Conflict.
func (s *Store) CreatePlan(ctx context.Context, p igny8.Plan) error {
	const op = "sqlstore.CreatePlan"
	if p.ID == "" {
		return igny8.InvalidArgument(op, "id", "is required")
	}
	limits, costs, err := encodePlan(op, p)
	if err != nil {
		return err
	}
	_, err = s.IDB(ctx).ExecContext(ctx, `INSERT INTO plans (`+planCols+`) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		p.ID, p.Name, limits, costs, p.MonthlyCredits, utc(p.CreatedAt), utc(p.UpdatedAt))
	return writeErr(op, "plan", p.ID, err)
}

// GetPlan returns the plan with id.
func (s *Store) GetPlan(ctx context.Context, id string) (igny8.Plan, error) {
	const op = "sqlstore.GetPlan"
	p, err := scanPlan(op, s.hotQueryRow(ctx, sqlGetPlan, id))
	if err != nil {
		return igny8.Plan{}, rowErr(op, "plan", id, err)
	}
	return p, nil
}

// UpdatePlan changes a plan's name, limits, costs and monthly credits.
func (s *Store) UpdatePlan(ctx context.Context, p igny8.Plan) error {
	const op = "sqlstore.UpdatePlan"
	limits, costs, err := encodePlan(op, p)
	if err != nil {
		return err
	}
	res, err := s.IDB(ctx).ExecContext(ctx,
		`UPDATE plans SET name = ?, limits = ?, costs = ?, monthly_credits = ?, updated_at = ? WHERE id = ?`,
		p.Name, limits, costs, p.MonthlyCredits, utc(p.UpdatedAt), p.ID)
	return affected(op, "plan", p.ID, res, err)
}

// ListPlans returns every plan ordered by id.
func (s *Store) ListPlans(ctx context.Context) ([]igny8.Plan, error) {
	const op = "sqlstore.ListPlans"
	rows, err := s.IDB(ctx).QueryContext(ctx, `SELECT `+planCols+` FROM plans ORDER BY id`)
	if err != nil {
		return nil, mapErr(op, err)
	}
	return collect(op, rows, func(r *sql.Rows) (igny8.Plan, error) { return scanPlan(op, r) })
}

// affected maps an UPDATE or DELETE result: no row touched is NotFound.
func affected(op, kind, id string, res sql.Result, err error) error {
	if err != nil {
		return writeErr(op, kind, id, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return mapErr(op, err)
	}
	if n == 0 {
		return notFound(op, kind, id, nil)
	}
	return nil
}

// collect scans every row with scan and closes rows.
func collect[T any](op string, rows *sql.Rows, scan func(*sql.Rows) (T, error)) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, mapErr(op, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, mapErr(op, err)
	}
	if out == nil {
		out = []T{}
	}
	return out, nil
}

// ---- accounts ----

const (
	accountCols   = `id, name, plan_id, time_zone, credit_balance, is_system, created_at, updated_at`
	sqlGetAccount = `SELECT ` + accountCols + ` FROM accounts WHERE id = ?`
)

func scanAccount(row interface{ Scan(...any) error }) (igny8.Account, error) {
	var a igny8.Account
	err := row.Scan(&a.ID, &a.Name, &a.PlanID, &a.TimeZone, &a.CreditBalance, boolCol{&a.IsSystem},
		timeCol{&a.CreatedAt}, timeCol{&a.UpdatedAt})
	return a, err
}

// CreateAccount stores a new account with a zero balance (only the ledger
// moves it). Its plan must exist (else NotFound).
func (s *Store) CreateAccount(ctx context.Context, a igny8.Account) error {
	const op = "sqlstore.CreateAccount"
	if a.ID == "" {
		return igny8.InvalidArgument(op, "id", "is required")
	}
	res, err := s.IDB(ctx).ExecContext(ctx, `INSERT INTO accounts (`+accountCols+`)
		SELECT ?, ?, ?, ?, 0, ?, ?, ? WHERE EXISTS (SELECT 1 FROM plans WHERE id = ?)`,
		a.ID, a.Name, a.PlanID, a.TimeZone, a.IsSystem, utc(a.CreatedAt), utc(a.UpdatedAt), a.PlanID)
	if err != nil {
		return writeErr(op, "account", a.ID, err)
	}
	return insertedOr(op, res, "plan", a.PlanID)
}

// insertedOr answers NotFound of the parent kind/id when an
// INSERT ... WHERE EXISTS (parent) inserted nothing.
func insertedOr(op string, res sql.Result, parentKind, parentID string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return mapErr(op, err)
	}
	if n == 0 {
		return notFound(op, parentKind, parentID, nil)
	}
	return nil
}

// GetAccount returns the account with its current balance.
func (s *Store) GetAccount(ctx context.Context, accountID string) (igny8.Account, error) {
	const op = "sqlstore.GetAccount"
	a, err := scanAccount(s.hotQueryRow(ctx, sqlGetAccount, accountID))
	if err != nil {
		return igny8.Account{}, rowErr(op, "account", accountID, err)
	}
	return a, nil
}

// UpdateAccount changes name, plan, time zone and system flag; never the
// balance. An unknown plan is NotFound.
func (s *Store) UpdateAccount(ctx context.Context, a igny8.Account) error {
	const op = "sqlstore.UpdateAccount"
	res, err := s.IDB(ctx).ExecContext(ctx, `UPDATE accounts SET name = ?, plan_id = ?, time_zone = ?, is_system = ?, updated_at = ?
		WHERE id = ? AND EXISTS (SELECT 1 FROM plans WHERE id = ?)`,
		a.Name, a.PlanID, a.TimeZone, a.IsSystem, utc(a.UpdatedAt), a.ID, a.PlanID)
	if err != nil {
		return writeErr(op, "account", a.ID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return mapErr(op, err)
	}
	if n > 0 {
		return nil
	}
	if _, err := s.GetAccount(ctx, a.ID); err != nil {
		return err
	}
	return notFound(op, "plan", a.PlanID, nil)
}

// ListAccounts lists accounts by id, a page at a time.
func (s *Store) ListAccounts(ctx context.Context, p igny8.PageRequest) ([]igny8.Account, error) {
	const op = "sqlstore.ListAccounts"
	after, limit := page(p)
	rows, err := s.IDB(ctx).QueryContext(ctx, `SELECT `+accountCols+` FROM accounts WHERE id > ? ORDER BY id LIMIT ?`, after, limit)
	if err != nil {
		return nil, mapErr(op, err)
	}
	return collect(op, rows, func(r *sql.Rows) (igny8.Account, error) { return scanAccount(r) })
}

// ---- sites ----

const siteCols = `id, account_id, name, domain, active, created_at, updated_at`

func scanSite(row interface{ Scan(...any) error }) (igny8.Site, error) {
	var x igny8.Site
	err := row.Scan(&x.ID, &x.AccountID, &x.Name, &x.Domain, boolCol{&x.Active}, timeCol{&x.CreatedAt}, timeCol{&x.UpdatedAt})
	return x, err
}

// siteScope is the condition that keeps sites inside scope.
func siteScope(scope igny8.Scope) *cond {
	c := &cond{}
	c.and("account_id = ?", scope.AccountID)
	if scope.SiteID != "" {
		c.and("id = ?", scope.SiteID)
	}
	return c
}

// CreateSite stores a site in the scope's account (NotFound if the account
// does not exist).
func (s *Store) CreateSite(ctx context.Context, scope igny8.Scope, x igny8.Site) error {
	const op = "sqlstore.CreateSite"
	if err := scope.Validate(op); err != nil {
		return err
	}
	if x.ID == "" {
		return igny8.InvalidArgument(op, "id", "is required")
	}
	res, err := s.IDB(ctx).ExecContext(ctx, `INSERT INTO sites (`+siteCols+`)
		SELECT ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM accounts WHERE id = ?)`,
		x.ID, scope.AccountID, x.Name, x.Domain, x.Active, utc(x.CreatedAt), utc(x.UpdatedAt), scope.AccountID)
	if err != nil {
		return writeErr(op, "site", x.ID, err)
	}
	return insertedOr(op, res, "account", scope.AccountID)
}

// GetSite returns the site id within scope.
func (s *Store) GetSite(ctx context.Context, scope igny8.Scope, id string) (igny8.Site, error) {
	const op = "sqlstore.GetSite"
	if err := scope.Validate(op); err != nil {
		return igny8.Site{}, err
	}
	c := siteScope(scope).and("id = ?", id)
	// Prepared on SQLite: the API resolves a site on every request.
	x, err := scanSite(s.hotQueryRow(ctx, `SELECT `+siteCols+` FROM sites WHERE `+c.String(), c.args...))
	if err != nil {
		return igny8.Site{}, rowErr(op, "site", id, err)
	}
	return x, nil
}

// ListSites lists the scope's sites by id.
func (s *Store) ListSites(ctx context.Context, scope igny8.Scope, p igny8.PageRequest) ([]igny8.Site, error) {
	const op = "sqlstore.ListSites"
	if err := scope.Validate(op); err != nil {
		return nil, err
	}
	after, limit := page(p)
	c := siteScope(scope).and("id > ?", after)
	rows, err := s.IDB(ctx).QueryContext(ctx, `SELECT `+siteCols+` FROM sites WHERE `+c.String()+` ORDER BY id LIMIT ?`, append(c.args, limit)...)
	if err != nil {
		return nil, mapErr(op, err)
	}
	return collect(op, rows, func(r *sql.Rows) (igny8.Site, error) { return scanSite(r) })
}

// UpdateSite changes a site's name, domain and active flag.
func (s *Store) UpdateSite(ctx context.Context, scope igny8.Scope, x igny8.Site) error {
	const op = "sqlstore.UpdateSite"
	if err := scope.Validate(op); err != nil {
		return err
	}
	c := siteScope(scope).and("id = ?", x.ID)
	res, err := s.IDB(ctx).ExecContext(ctx, `UPDATE sites SET name = ?, domain = ?, active = ?, updated_at = ? WHERE `+c.String(),
		append([]any{x.Name, x.Domain, x.Active, utc(x.UpdatedAt)}, c.args...)...)
	return affected(op, "site", x.ID, res, err)
}

// DeleteSite deletes the site and (by cascade) its sectors.
func (s *Store) DeleteSite(ctx context.Context, scope igny8.Scope, id string) error {
	const op = "sqlstore.DeleteSite"
	if err := scope.Validate(op); err != nil {
		return err
	}
	c := siteScope(scope).and("id = ?", id)
	res, err := s.IDB(ctx).ExecContext(ctx, `DELETE FROM sites WHERE `+c.String(), c.args...)
	return affected(op, "site", id, res, err)
}

// ---- sectors ----

const sectorCols = `id, account_id, site_id, name, slug, created_at, updated_at`

func scanSector(row interface{ Scan(...any) error }) (igny8.Sector, error) {
	var x igny8.Sector
	err := row.Scan(&x.ID, &x.AccountID, &x.SiteID, &x.Name, &x.Slug, timeCol{&x.CreatedAt}, timeCol{&x.UpdatedAt})
	return x, err
}

// sectorScope is the condition that keeps sectors inside scope.
func sectorScope(scope igny8.Scope) *cond {
	c := &cond{}
	c.and("account_id = ?", scope.AccountID)
	if scope.SiteID != "" {
		c.and("site_id = ?", scope.SiteID)
	}
	if scope.SectorID != "" {
		c.and("id = ?", scope.SectorID)
	}
	return c
}

// CreateSector stores a sector in scope.SiteID, which must be a site of
// scope.AccountID (else NotFound). A slug already used in the site is
// Conflict.
func (s *Store) CreateSector(ctx context.Context, scope igny8.Scope, x igny8.Sector) error {
	const op = "sqlstore.CreateSector"
	if err := scope.RequireSite(op); err != nil {
		return err
	}
	if x.ID == "" {
		return igny8.InvalidArgument(op, "id", "is required")
	}
	res, err := s.IDB(ctx).ExecContext(ctx, `INSERT INTO sectors (`+sectorCols+`)
		SELECT ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM sites WHERE id = ? AND account_id = ?)`,
		x.ID, scope.AccountID, scope.SiteID, x.Name, x.Slug, utc(x.CreatedAt), utc(x.UpdatedAt), scope.SiteID, scope.AccountID)
	if err != nil {
		if classify(err) == classUnique && !strings.Contains(err.Error(), "sectors.id") && !strings.Contains(err.Error(), "sectors_pkey") {
			return igny8.Errorf(igny8.CodeConflict, op, "sector slug %q already exists in site %q: %w", x.Slug, scope.SiteID, err)
		}
		return writeErr(op, "sector", x.ID, err)
	}
	return insertedOr(op, res, "site", scope.SiteID)
}

// GetSector returns the sector id within scope.
func (s *Store) GetSector(ctx context.Context, scope igny8.Scope, id string) (igny8.Sector, error) {
	const op = "sqlstore.GetSector"
	if err := scope.Validate(op); err != nil {
		return igny8.Sector{}, err
	}
	c := sectorScope(scope).and("id = ?", id)
	x, err := scanSector(s.hotQueryRow(ctx, `SELECT `+sectorCols+` FROM sectors WHERE `+c.String(), c.args...))
	if err != nil {
		return igny8.Sector{}, rowErr(op, "sector", id, err)
	}
	return x, nil
}

// ListSectors lists the sectors of the scope's account, or of its site.
func (s *Store) ListSectors(ctx context.Context, scope igny8.Scope, p igny8.PageRequest) ([]igny8.Sector, error) {
	const op = "sqlstore.ListSectors"
	if err := scope.Validate(op); err != nil {
		return nil, err
	}
	after, limit := page(p)
	c := sectorScope(scope).and("id > ?", after)
	rows, err := s.IDB(ctx).QueryContext(ctx, `SELECT `+sectorCols+` FROM sectors WHERE `+c.String()+` ORDER BY id LIMIT ?`, append(c.args, limit)...)
	if err != nil {
		return nil, mapErr(op, err)
	}
	return collect(op, rows, func(r *sql.Rows) (igny8.Sector, error) { return scanSector(r) })
}

// UpdateSector changes a sector's name and slug.
func (s *Store) UpdateSector(ctx context.Context, scope igny8.Scope, x igny8.Sector) error {
	const op = "sqlstore.UpdateSector"
	if err := scope.Validate(op); err != nil {
		return err
	}
	c := sectorScope(scope).and("id = ?", x.ID)
	res, err := s.IDB(ctx).ExecContext(ctx, `UPDATE sectors SET name = ?, slug = ?, updated_at = ? WHERE `+c.String(),
		append([]any{x.Name, x.Slug, utc(x.UpdatedAt)}, c.args...)...)
	if err != nil && classify(err) == classUnique {
		return igny8.Errorf(igny8.CodeConflict, op, "sector slug %q already exists in its site: %w", x.Slug, err)
	}
	return affected(op, "sector", x.ID, res, err)
}

// DeleteSector deletes the sector id within scope.
func (s *Store) DeleteSector(ctx context.Context, scope igny8.Scope, id string) error {
	const op = "sqlstore.DeleteSector"
	if err := scope.Validate(op); err != nil {
		return err
	}
	c := sectorScope(scope).and("id = ?", id)
	res, err := s.IDB(ctx).ExecContext(ctx, `DELETE FROM sectors WHERE `+c.String(), c.args...)
	return affected(op, "sector", id, res, err)
}

// ---- users ----

const userCols = `id, account_id, email, name, role, is_superuser, created_at, updated_at`

func scanUser(row interface{ Scan(...any) error }) (igny8.User, error) {
	var u igny8.User
	var role string
	err := row.Scan(&u.ID, &u.AccountID, &u.Email, &u.Name, &role, boolCol{&u.IsSuperuser}, timeCol{&u.CreatedAt}, timeCol{&u.UpdatedAt})
	u.Role = igny8.Role(role)
	return u, err
}

// CreateUser stores a user in the scope's account; the email is unique per
// account, ignoring ASCII case (Conflict).
func (s *Store) CreateUser(ctx context.Context, scope igny8.Scope, u igny8.User) error {
	const op = "sqlstore.CreateUser"
	if err := scope.Validate(op); err != nil {
		return err
	}
	if u.ID == "" {
		return igny8.InvalidArgument(op, "id", "is required")
	}
	res, err := s.IDB(ctx).ExecContext(ctx, `INSERT INTO users (`+userCols+`)
		SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM accounts WHERE id = ?)`,
		u.ID, scope.AccountID, u.Email, u.Name, string(u.Role), u.IsSuperuser, utc(u.CreatedAt), utc(u.UpdatedAt), scope.AccountID)
	if err != nil {
		return userWriteErr(op, u, err)
	}
	return insertedOr(op, res, "account", scope.AccountID)
}

func userWriteErr(op string, u igny8.User, err error) error {
	if classify(err) == classUnique && (strings.Contains(err.Error(), "email") || strings.Contains(err.Error(), "users_account_email")) {
		return igny8.Errorf(igny8.CodeConflict, op, "user email %q already exists in the account: %w", u.Email, err)
	}
	return writeErr(op, "user", u.ID, err)
}

// GetUser returns the user id within the scope's account.
func (s *Store) GetUser(ctx context.Context, scope igny8.Scope, id string) (igny8.User, error) {
	const op = "sqlstore.GetUser"
	if err := scope.Validate(op); err != nil {
		return igny8.User{}, err
	}
	u, err := scanUser(s.IDB(ctx).QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE account_id = ? AND id = ?`, scope.AccountID, id))
	if err != nil {
		return igny8.User{}, rowErr(op, "user", id, err)
	}
	return u, nil
}

// GetUserByEmail returns the user with email (ASCII case ignored) within
// the scope's account.
func (s *Store) GetUserByEmail(ctx context.Context, scope igny8.Scope, email string) (igny8.User, error) {
	const op = "sqlstore.GetUserByEmail"
	if err := scope.Validate(op); err != nil {
		return igny8.User{}, err
	}
	u, err := scanUser(s.IDB(ctx).QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE account_id = ? AND lower(email) = lower(?)`, scope.AccountID, email))
	if err != nil {
		return igny8.User{}, rowErr(op, "user with email", email, err)
	}
	return u, nil
}

// ListUsers lists the scope's users by id.
func (s *Store) ListUsers(ctx context.Context, scope igny8.Scope, p igny8.PageRequest) ([]igny8.User, error) {
	const op = "sqlstore.ListUsers"
	if err := scope.Validate(op); err != nil {
		return nil, err
	}
	after, limit := page(p)
	rows, err := s.IDB(ctx).QueryContext(ctx, `SELECT `+userCols+` FROM users WHERE account_id = ? AND id > ? ORDER BY id LIMIT ?`, scope.AccountID, after, limit)
	if err != nil {
		return nil, mapErr(op, err)
	}
	return collect(op, rows, func(r *sql.Rows) (igny8.User, error) { return scanUser(r) })
}

// UpdateUser changes a user's email, name, role and superuser flag.
func (s *Store) UpdateUser(ctx context.Context, scope igny8.Scope, u igny8.User) error {
	const op = "sqlstore.UpdateUser"
	if err := scope.Validate(op); err != nil {
		return err
	}
	res, err := s.IDB(ctx).ExecContext(ctx, `UPDATE users SET email = ?, name = ?, role = ?, is_superuser = ?, updated_at = ? WHERE account_id = ? AND id = ?`,
		u.Email, u.Name, string(u.Role), u.IsSuperuser, utc(u.UpdatedAt), scope.AccountID, u.ID)
	if err != nil {
		return userWriteErr(op, u, err)
	}
	return affected(op, "user", u.ID, res, nil)
}

// DeleteUser deletes the user id within the scope's account.
func (s *Store) DeleteUser(ctx context.Context, scope igny8.Scope, id string) error {
	const op = "sqlstore.DeleteUser"
	if err := scope.Validate(op); err != nil {
		return err
	}
	res, err := s.IDB(ctx).ExecContext(ctx, `DELETE FROM users WHERE account_id = ? AND id = ?`, scope.AccountID, id)
	return affected(op, "user", id, res, err)
}
