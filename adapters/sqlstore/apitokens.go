package sqlstore

import (
	"context"
	"time"

	"github.com/igny8/sdk/igny8"
)

// APIToken is an API token of a user, as the reference server
// (examples/server) stores it: Hash is the hex SHA-256 of the secret token,
// which is never stored.
type APIToken struct {
	ID        string    `json:"id"`
	AccountID string    `json:"account_id"`
	UserID    string    `json:"user_id"`
	Name      string    `json:"name"`
	Hash      string    `json:"-"`
	CreatedAt time.Time `json:"created_at"`
}

const sqlAPITokenUser = `SELECT t.id, t.account_id, t.user_id, t.name, t.hash, t.created_at,
	u.id, u.account_id, u.email, u.name, u.role, u.is_superuser, u.created_at, u.updated_at
	FROM api_tokens t JOIN users u ON u.id = t.user_id AND u.account_id = t.account_id
	WHERE t.hash = ?`

const apiTokenCols = `id, account_id, user_id, name, hash, created_at`

func scanAPIToken(row interface{ Scan(...any) error }) (APIToken, error) {
	var t APIToken
	err := row.Scan(&t.ID, &t.AccountID, &t.UserID, &t.Name, &t.Hash, timeCol{&t.CreatedAt})
	return t, err
}

// CreateAPIToken stores a token of a user of the scope's account (NotFound
// when the user is not one of its users). Hash must be unique (Conflict).
func (s *Store) CreateAPIToken(ctx context.Context, scope igny8.Scope, t APIToken) error {
	const op = "sqlstore.CreateAPIToken"
	if err := scope.Validate(op); err != nil {
		return err
	}
	switch {
	case t.ID == "":
		return igny8.InvalidArgument(op, "id", "is required")
	case t.UserID == "":
		return igny8.InvalidArgument(op, "user_id", "is required")
	case len(t.Hash) != 64:
		return igny8.InvalidArgument(op, "hash", "must be a hex SHA-256 (64 characters), got %d characters", len(t.Hash))
	}
	res, err := s.IDB(ctx).ExecContext(ctx, `INSERT INTO api_tokens (`+apiTokenCols+`)
		SELECT ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM users WHERE account_id = ? AND id = ?)`,
		t.ID, scope.AccountID, t.UserID, t.Name, t.Hash, utc(t.CreatedAt), scope.AccountID, t.UserID)
	if err != nil {
		return writeErr(op, "api token", t.ID, err)
	}
	return insertedOr(op, res, "user", t.UserID)
}

// APITokenUser returns the token whose hash is hash together with its user,
// in one query: it is what authenticates every request of the server. An
// unknown hash is NotFound (the hash is not echoed in the error).
func (s *Store) APITokenUser(ctx context.Context, hash string) (APIToken, igny8.User, error) {
	const op = "sqlstore.APITokenUser"
	// A prepared statement on SQLite: this runs on every request.
	row := s.hotQueryRow(ctx, sqlAPITokenUser, hash)
	var t APIToken
	var u igny8.User
	var role string
	err := row.Scan(&t.ID, &t.AccountID, &t.UserID, &t.Name, &t.Hash, timeCol{&t.CreatedAt},
		&u.ID, &u.AccountID, &u.Email, &u.Name, &role, boolCol{&u.IsSuperuser}, timeCol{&u.CreatedAt}, timeCol{&u.UpdatedAt})
	if err != nil {
		return APIToken{}, igny8.User{}, rowErr(op, "api token", "(hash withheld)", err)
	}
	u.Role = igny8.Role(role)
	return t, u, nil
}

// ListAPITokens lists the tokens of a user of the scope's account (all its
// users when userID is ""), in ID order.
func (s *Store) ListAPITokens(ctx context.Context, scope igny8.Scope, userID string) ([]APIToken, error) {
	const op = "sqlstore.ListAPITokens"
	if err := scope.Validate(op); err != nil {
		return nil, err
	}
	q := `SELECT ` + apiTokenCols + ` FROM api_tokens WHERE account_id = ?`
	args := []any{scope.AccountID}
	if userID != "" {
		q += ` AND user_id = ?`
		args = append(args, userID)
	}
	rows, err := s.IDB(ctx).QueryContext(ctx, q+` ORDER BY id`, args...)
	if err != nil {
		return nil, mapErr(op, err)
	}
	defer rows.Close()
	var out []APIToken
	for rows.Next() {
		t, err := scanAPIToken(rows)
		if err != nil {
			return nil, mapErr(op, err)
		}
		out = append(out, t)
	}
	return out, mapErr(op, rows.Err())
}

// DeleteAPIToken revokes a token of the scope's account (NotFound when it
// has no such token).
func (s *Store) DeleteAPIToken(ctx context.Context, scope igny8.Scope, id string) error {
	const op = "sqlstore.DeleteAPIToken"
	if err := scope.Validate(op); err != nil {
		return err
	}
	res, err := s.IDB(ctx).ExecContext(ctx, `DELETE FROM api_tokens WHERE account_id = ? AND id = ?`, scope.AccountID, id)
	return affected(op, "api token", id, res, err)
}
