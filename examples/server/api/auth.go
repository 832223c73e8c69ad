package api

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"

	"github.com/igny8/sdk/adapters/sqlstore"
	"github.com/igny8/sdk/igny8"
)

// tokenPrefix marks IGNY8 API tokens so that secret scanners can find a
// leaked one.
const tokenPrefix = "igny8_"

// newToken returns a random token (32 bytes) and the hex SHA-256 stored
// in its place.
func newToken() (token, hash string, err error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", "", err
	}
	token = tokenPrefix + base64.RawURLEncoding.EncodeToString(b[:])
	return token, hashToken(token), nil
}

func hashToken(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// authenticate binds the request to the bearer token's user and account.
func (s *Server) authenticate(r *request) error {
	h := r.Header.Get("Authorization")
	token, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || token == "" {
		return &apiError{Code: codeUnauthenticated, Message: "an API token is required: Authorization: Bearer <token>"}
	}
	hash := hashToken(strings.TrimSpace(token))
	u, ok := s.cache.user(hash)
	if !ok {
		gen := s.cache.generation()
		_, found, err := s.store.APITokenUser(r.Context(), hash)
		if err != nil {
			if igny8.CodeOf(err) == igny8.CodeNotFound {
				return &apiError{Code: codeUnauthenticated, Message: "the API token is not valid"}
			}
			return err
		}
		u = found
		s.cache.putUser(hash, u, gen)
	}
	r.user = u
	r.account = igny8.Scope{AccountID: u.AccountID}
	return nil
}

// authorize checks the route's role against the user's.
func authorize(u igny8.User, rt *Route) error {
	if rt.Superuser {
		if !u.IsSuperuser {
			return igny8.Errorf(igny8.CodePermissionDenied, "api.authorize", "%s %s is for superusers", rt.Method, rt.Pattern)
		}
		return nil
	}
	if u.IsSuperuser || u.Role.AtLeast(rt.Role) {
		return nil
	}
	return igny8.Errorf(igny8.CodePermissionDenied, "api.authorize", "%s %s needs role %s or higher, the token's user is %s", rt.Method, rt.Pattern, rt.Role, u.Role)
}

// IssuedToken is a new API token: Token is shown this once and never
// stored.
type IssuedToken struct {
	Token string `json:"token"`
	sqlstore.APIToken
}

// IssueToken creates an API token for a user of the scope's account.
func (s *Server) IssueToken(ctx context.Context, scope igny8.Scope, userID, name string) (IssuedToken, error) {
	token, hash, err := newToken()
	if err != nil {
		return IssuedToken{}, igny8.Wrap(igny8.CodeInternal, "api.IssueToken", err)
	}
	t := sqlstore.APIToken{ID: s.ids.NewID(), AccountID: scope.AccountID, UserID: userID, Name: name, Hash: hash, CreatedAt: s.clock.Now().UTC()}
	if err := s.store.CreateAPIToken(ctx, scope.Account(), t); err != nil {
		return IssuedToken{}, err
	}
	return IssuedToken{Token: token, APIToken: t}, nil
}

// Bootstrap makes the first superuser when the store has no account yet: a
// system plan and account, a superuser owner, and a token for it, which is
// returned (ok is false and nothing is created when an account exists).
func (s *Server) Bootstrap(ctx context.Context, email string) (tok IssuedToken, ok bool, err error) {
	accts, err := s.store.ListAccounts(ctx, igny8.PageRequest{Limit: 1})
	if err != nil || len(accts) > 0 {
		return IssuedToken{}, false, err
	}
	plan, err := s.tenancy.CreatePlan(ctx, igny8.Plan{Name: "System"})
	if err != nil {
		return IssuedToken{}, false, err
	}
	a, err := s.tenancy.CreateAccount(ctx, igny8.Account{Name: "System", PlanID: plan.ID, IsSystem: true})
	if err != nil {
		return IssuedToken{}, false, err
	}
	scope := igny8.Scope{AccountID: a.ID}
	u, err := s.tenancy.CreateUser(ctx, scope, igny8.User{Email: email, Name: "Superuser", Role: igny8.RoleOwner, IsSuperuser: true})
	if err != nil {
		return IssuedToken{}, false, err
	}
	tok, err = s.IssueToken(ctx, scope, u.ID, "bootstrap")
	return tok, err == nil, err
}
