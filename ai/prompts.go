package ai

import (
	"context"
	"strings"
	"time"

	"github.com/igny8/sdk/igny8"
)

// PromptOverride is an account's own version of a prompt.
type PromptOverride struct {
	AccountID string    `json:"account_id"`
	PromptID  string    `json:"prompt_id"`
	System    string    `json:"system"`
	User      string    `json:"user"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Voice is how an author writes. The writing prompts render it, and the
// content and optimization functions refuse output that uses a banned
// phrase.
type Voice struct {
	// Style describes the voice ("plain-spoken expert").
	Style    string `json:"style,omitempty"`
	Tone     string `json:"tone,omitempty"`
	Audience string `json:"audience,omitempty"`
	// BannedPhrases must not appear in the output (case-insensitive).
	BannedPhrases []string `json:"banned_phrases,omitempty"`
}

// AuthorProfile is an account's named voice.
type AuthorProfile struct {
	ID        string    `json:"id"`
	AccountID string    `json:"account_id"`
	Name      string    `json:"name"`
	Voice     Voice     `json:"voice"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// PromptStore keeps prompt overrides and author profiles per account.
// adapters/sqlstore implements it. Reads of another account's rows answer
// NotFound.
type PromptStore interface {
	// SavePromptOverride creates or replaces the account's override of
	// o.PromptID.
	SavePromptOverride(ctx context.Context, scope igny8.Scope, o PromptOverride) error
	GetPromptOverride(ctx context.Context, scope igny8.Scope, promptID string) (PromptOverride, error)
	ListPromptOverrides(ctx context.Context, scope igny8.Scope) ([]PromptOverride, error)
	DeletePromptOverride(ctx context.Context, scope igny8.Scope, promptID string) error

	CreateAuthorProfile(ctx context.Context, scope igny8.Scope, a AuthorProfile) error
	GetAuthorProfile(ctx context.Context, scope igny8.Scope, id string) (AuthorProfile, error)
	ListAuthorProfiles(ctx context.Context, scope igny8.Scope) ([]AuthorProfile, error)
	UpdateAuthorProfile(ctx context.Context, scope igny8.Scope, a AuthorProfile) error
	DeleteAuthorProfile(ctx context.Context, scope igny8.Scope, id string) error
}

// PromptChecker is a function whose prompt an account may override: every
// *Function is one.
type PromptChecker interface {
	PromptID() string
	CheckPrompt(system, user string) error
	DefaultPrompt() (system, user string)
}

// Prompts manages prompt overrides and author profiles: it validates them
// before the store sees them.
type Prompts struct {
	store PromptStore
	funcs map[string]PromptChecker
	clock igny8.Clock
	ids   igny8.IDGenerator
}

// PromptsOptions configures Prompts; the zero value is usable.
type PromptsOptions struct {
	Clock igny8.Clock
	IDs   igny8.IDGenerator
}

// NewPrompts returns a Prompts over store that accepts overrides of the
// given functions' prompts (Library.Functions, plus a host's own).
func NewPrompts(store PromptStore, funcs []PromptChecker, opts PromptsOptions) *Prompts {
	p := &Prompts{store: store, funcs: make(map[string]PromptChecker, len(funcs)), clock: opts.Clock, ids: opts.IDs}
	for _, f := range funcs {
		p.funcs[f.PromptID()] = f
	}
	if p.clock == nil {
		p.clock = igny8.SystemClock{}
	}
	if p.ids == nil {
		p.ids = &igny8.UUIDv7{Clock: p.clock}
	}
	return p
}

// Maximum sizes of what Prompts accepts.
const (
	MaxPromptBytes    = 32 << 10
	MaxBannedPhrases  = 200
	MaxVoiceTextBytes = 2000
)

// SaveOverride validates and stores the account's override of a prompt:
// the prompt must be known and both templates must parse and execute
// against the function's zero input.
func (p *Prompts) SaveOverride(ctx context.Context, scope igny8.Scope, o PromptOverride) (PromptOverride, error) {
	const op = "ai.Prompts.SaveOverride"
	if err := scope.Validate(op); err != nil {
		return PromptOverride{}, err
	}
	f, ok := p.funcs[o.PromptID]
	if !ok {
		return PromptOverride{}, igny8.InvalidArgument(op, "prompt_id", "unknown prompt %q", o.PromptID)
	}
	if len(o.System) > MaxPromptBytes || len(o.User) > MaxPromptBytes {
		return PromptOverride{}, igny8.InvalidArgument(op, "user", "a prompt must be at most %d bytes", MaxPromptBytes)
	}
	if err := f.CheckPrompt(o.System, o.User); err != nil {
		return PromptOverride{}, igny8.Wrap(igny8.CodeInvalidArgument, op, err)
	}
	o.AccountID = scope.AccountID
	o.UpdatedAt = p.clock.Now().UTC().Truncate(time.Microsecond)
	if err := p.store.SavePromptOverride(ctx, scope.Account(), o); err != nil {
		return PromptOverride{}, igny8.Wrap(igny8.CodeInternal, op, err)
	}
	return o, nil
}

// Override returns the account's override of promptID (NotFound if none).
func (p *Prompts) Override(ctx context.Context, scope igny8.Scope, promptID string) (PromptOverride, error) {
	const op = "ai.Prompts.Override"
	if err := scope.Validate(op); err != nil {
		return PromptOverride{}, err
	}
	return p.store.GetPromptOverride(ctx, scope.Account(), promptID)
}

// Overrides lists the account's overrides.
func (p *Prompts) Overrides(ctx context.Context, scope igny8.Scope) ([]PromptOverride, error) {
	const op = "ai.Prompts.Overrides"
	if err := scope.Validate(op); err != nil {
		return nil, err
	}
	return p.store.ListPromptOverrides(ctx, scope.Account())
}

// DeleteOverride goes back to the built-in prompt.
func (p *Prompts) DeleteOverride(ctx context.Context, scope igny8.Scope, promptID string) error {
	const op = "ai.Prompts.DeleteOverride"
	if err := scope.Validate(op); err != nil {
		return err
	}
	return p.store.DeletePromptOverride(ctx, scope.Account(), promptID)
}

// CheckVoice validates a voice: bounded text, non-empty distinct banned
// phrases.
func CheckVoice(op string, v Voice) error {
	for _, f := range []struct{ name, v string }{{"voice.style", v.Style}, {"voice.tone", v.Tone}, {"voice.audience", v.Audience}} {
		if len(f.v) > MaxVoiceTextBytes {
			return igny8.InvalidArgument(op, f.name, "must be at most %d bytes, got %d", MaxVoiceTextBytes, len(f.v))
		}
	}
	if len(v.BannedPhrases) > MaxBannedPhrases {
		return igny8.InvalidArgument(op, "voice.banned_phrases", "at most %d phrases, got %d", MaxBannedPhrases, len(v.BannedPhrases))
	}
	seen := map[string]bool{}
	for i, ph := range v.BannedPhrases {
		n := strings.ToLower(strings.TrimSpace(ph))
		if n == "" {
			return igny8.InvalidArgument(op, "voice.banned_phrases", "phrase %d is empty", i)
		}
		if seen[n] {
			return igny8.InvalidArgument(op, "voice.banned_phrases", "phrase %q is listed twice", ph)
		}
		seen[n] = true
	}
	return nil
}

// SaveAuthor creates an author profile (empty ID) or updates one.
func (p *Prompts) SaveAuthor(ctx context.Context, scope igny8.Scope, a AuthorProfile) (AuthorProfile, error) {
	const op = "ai.Prompts.SaveAuthor"
	if err := scope.Validate(op); err != nil {
		return AuthorProfile{}, err
	}
	a.Name = strings.TrimSpace(a.Name)
	if a.Name == "" {
		return AuthorProfile{}, igny8.InvalidArgument(op, "name", "is required")
	}
	if len(a.Name) > 200 {
		return AuthorProfile{}, igny8.InvalidArgument(op, "name", "must be at most 200 bytes, got %d", len(a.Name))
	}
	if err := CheckVoice(op, a.Voice); err != nil {
		return AuthorProfile{}, err
	}
	a.AccountID = scope.AccountID
	// Microseconds: what every store keeps, so a saved profile reads back
	// equal.
	now := p.clock.Now().UTC().Truncate(time.Microsecond)
	a.UpdatedAt = now
	if a.ID == "" {
		a.ID = p.ids.NewID()
		a.CreatedAt = now
		if err := p.store.CreateAuthorProfile(ctx, scope.Account(), a); err != nil {
			return AuthorProfile{}, igny8.Wrap(igny8.CodeInternal, op, err)
		}
		return a, nil
	}
	old, err := p.store.GetAuthorProfile(ctx, scope.Account(), a.ID)
	if err != nil {
		return AuthorProfile{}, igny8.Wrap(igny8.CodeInternal, op, err)
	}
	a.CreatedAt = old.CreatedAt
	if err := p.store.UpdateAuthorProfile(ctx, scope.Account(), a); err != nil {
		return AuthorProfile{}, igny8.Wrap(igny8.CodeInternal, op, err)
	}
	return a, nil
}

// Author returns an author profile.
func (p *Prompts) Author(ctx context.Context, scope igny8.Scope, id string) (AuthorProfile, error) {
	const op = "ai.Prompts.Author"
	if err := scope.Validate(op); err != nil {
		return AuthorProfile{}, err
	}
	return p.store.GetAuthorProfile(ctx, scope.Account(), id)
}

// Authors lists the account's author profiles.
func (p *Prompts) Authors(ctx context.Context, scope igny8.Scope) ([]AuthorProfile, error) {
	const op = "ai.Prompts.Authors"
	if err := scope.Validate(op); err != nil {
		return nil, err
	}
	return p.store.ListAuthorProfiles(ctx, scope.Account())
}

// DeleteAuthor deletes an author profile.
func (p *Prompts) DeleteAuthor(ctx context.Context, scope igny8.Scope, id string) error {
	const op = "ai.Prompts.DeleteAuthor"
	if err := scope.Validate(op); err != nil {
		return err
	}
	return p.store.DeleteAuthorProfile(ctx, scope.Account(), id)
}

// field is one text of an output, named by its path.
type field struct{ path, text string }

// checkBanned returns an *OutputError if any text uses a banned phrase.
func checkBanned(v Voice, texts []field) error {
	for _, ph := range v.BannedPhrases {
		n := strings.ToLower(strings.TrimSpace(ph))
		if n == "" {
			continue
		}
		for _, t := range texts {
			if strings.Contains(strings.ToLower(t.text), n) {
				return outErr(t.path, "uses the banned phrase %q; rewrite without it", ph)
			}
		}
	}
	return nil
}
