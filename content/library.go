package content

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/internal/sanitize"
)

// Limits on the fields of a content body, as search engines show them.
const (
	MaxMetaTitle       = 60
	MaxMetaDescription = 160
	MaxTitle           = 300
)

// Sanitizer cleans untrusted HTML (model output, manual edits) to the
// allow-list the SDK stores.
type Sanitizer interface {
	Sanitize(html string) string
}

// SanitizerFunc adapts a function to Sanitizer.
type SanitizerFunc func(string) string

// Sanitize calls f.
func (f SanitizerFunc) Sanitize(html string) string { return f(html) }

// Library keeps content and its versions: every change (generation, edit,
// linking, optimization, restore) is a new version with its reason, and any
// version can be listed, compared and restored.
type Library struct {
	store     Store
	events    *igny8.Events
	sanitizer Sanitizer
	clock     igny8.Clock
	ids       igny8.IDGenerator
	log       *slog.Logger
}

// LibraryOptions configures a Library. Sanitizer is required: the SDK's
// allow-list sanitizer is content.DefaultSanitizer().
type LibraryOptions struct {
	Sanitizer Sanitizer
	Clock     igny8.Clock
	IDs       igny8.IDGenerator
	Logger    *slog.Logger
}

// NewLibrary returns a Library over store. events receives the domain
// events, written in the same transaction as the change.
func NewLibrary(store Store, events *igny8.Events, opts LibraryOptions) *Library {
	l := &Library{store: store, events: events, sanitizer: opts.Sanitizer, clock: opts.Clock, ids: opts.IDs, log: opts.Logger}
	if l.sanitizer == nil {
		l.sanitizer = DefaultSanitizer()
	}
	if l.clock == nil {
		l.clock = igny8.SystemClock{}
	}
	if l.ids == nil {
		l.ids = &igny8.UUIDv7{Clock: l.clock}
	}
	if l.log == nil {
		l.log = slog.New(slog.DiscardHandler)
	}
	return l
}

func (l *Library) now() time.Time { return l.clock.Now().UTC() }

// Draft is a new content written by hand (or by an integration).
type Draft struct {
	Type              Type
	Title             string
	MetaTitle         string
	MetaDescription   string
	Slug              string
	HTML              string
	Excerpt           string
	FAQ               []FAQ
	PrimaryKeyword    string
	SecondaryKeywords []string
}

// prepareBody sanitizes the HTML, fills derived fields (meta title and
// description, blocks, word count) and validates lengths.
func (l *Library) prepareBody(op string, b Body) (Body, error) {
	b.Title = strings.TrimSpace(b.Title)
	if b.Title == "" {
		return Body{}, igny8.InvalidArgument(op, "title", "is required")
	}
	if len(b.Title) > MaxTitle {
		return Body{}, igny8.InvalidArgument(op, "title", "must be at most %d bytes, got %d", MaxTitle, len(b.Title))
	}
	b.HTML = l.sanitizer.Sanitize(b.HTML)
	if b.MetaTitle == "" {
		b.MetaTitle = truncateRunes(b.Title, MaxMetaTitle)
	}
	if n := runeLen(b.MetaTitle); n > MaxMetaTitle {
		return Body{}, igny8.InvalidArgument(op, "meta_title", "must be at most %d characters, got %d", MaxMetaTitle, n)
	}
	text := PlainText(b.HTML)
	if b.MetaDescription == "" {
		b.MetaDescription = truncateRunes(strings.Join(strings.Fields(text), " "), MaxMetaDescription)
	}
	if n := runeLen(b.MetaDescription); n > MaxMetaDescription {
		return Body{}, igny8.InvalidArgument(op, "meta_description", "must be at most %d characters, got %d", MaxMetaDescription, n)
	}
	if b.Excerpt == "" {
		b.Excerpt = truncateRunes(strings.Join(strings.Fields(text), " "), 300)
	}
	blocks, err := BlocksFromHTML(b.HTML, b.FAQ)
	if err != nil {
		return Body{}, igny8.Wrap(igny8.CodeInternal, op, err)
	}
	b.Blocks = blocks
	b.WordCount = countWords(text)
	return b, nil
}

// UniqueSlug returns base, or base-2, base-3, … whichever the scope's site
// does not use yet (exceptID's own slug does not count).
func (l *Library) UniqueSlug(ctx context.Context, scope igny8.Scope, base, exceptID string) (string, error) {
	base = igny8.Slugify(base)
	if base == "" {
		base = "untitled"
	}
	if len(base) > igny8.MaxSlugLength-8 {
		base = strings.TrimRight(base[:igny8.MaxSlugLength-8], "-")
	}
	for i := 1; i < 10000; i++ {
		slug := base
		if i > 1 {
			slug = fmt.Sprintf("%s-%d", base, i)
		}
		taken, err := l.store.SlugTaken(ctx, scope.Site(), slug, exceptID)
		if err != nil {
			return "", err
		}
		if !taken {
			return slug, nil
		}
	}
	return "", igny8.Errorf(igny8.CodeConflict, "content.UniqueSlug", "no free slug for %q", base)
}

// Create stores a new content (version 1, status draft).
func (l *Library) Create(ctx context.Context, scope igny8.Scope, d Draft) (Content, error) {
	const op = "content.Library.Create"
	if err := scope.RequireSite(op); err != nil {
		return Content{}, err
	}
	if d.Type == "" {
		d.Type = TypePost
	}
	if !d.Type.Valid() {
		return Content{}, igny8.InvalidArgument(op, "type", "%q is not one of post, page, product, service, taxonomy", string(d.Type))
	}
	if d.Slug != "" && !igny8.ValidSlug(d.Slug) {
		return Content{}, igny8.InvalidArgument(op, "slug", "%q is not a slug (lower-case letters, digits and single hyphens)", d.Slug)
	}
	body, err := l.prepareBody(op, Body{Title: d.Title, MetaTitle: d.MetaTitle, MetaDescription: d.MetaDescription, Slug: d.Slug, HTML: d.HTML, Excerpt: d.Excerpt, FAQ: d.FAQ})
	if err != nil {
		return Content{}, err
	}
	c := Content{
		ID: l.ids.NewID(), Scope: scope, Type: d.Type, Status: StatusDraft, Version: 1, Body: body,
		PrimaryKeyword: d.PrimaryKeyword, SecondaryKeywords: d.SecondaryKeywords,
		CreatedAt: l.now(), UpdatedAt: l.now(),
	}
	err = l.store.InTx(ctx, func(ctx context.Context) error {
		if d.Slug == "" {
			slug, err := l.UniqueSlug(ctx, scope, body.Title, "")
			if err != nil {
				return err
			}
			c.Slug = slug
		}
		return l.store.CreateContent(ctx, scope, c, l.version(c, ReasonEdited, "created by hand"))
	})
	if err != nil {
		return Content{}, igny8.Wrap(igny8.CodeInternal, op, err)
	}
	return c, nil
}

func (l *Library) version(c Content, reason Reason, note string) Version {
	return Version{ContentID: c.ID, Number: c.Version, Reason: reason, Note: note, Body: c.Body, CreatedAt: l.now()}
}

// Get returns a content.
func (l *Library) Get(ctx context.Context, scope igny8.Scope, id string) (Content, error) {
	const op = "content.Library.Get"
	if err := scope.Validate(op); err != nil {
		return Content{}, err
	}
	return l.store.GetContent(ctx, scope, id)
}

// List lists the scope's content, oldest first, a page at a time.
func (l *Library) List(ctx context.Context, scope igny8.Scope, f ContentFilter, page igny8.PageRequest) ([]Content, error) {
	const op = "content.Library.List"
	if err := scope.Validate(op); err != nil {
		return nil, err
	}
	return l.store.ListContent(ctx, scope, f, page.Normalize())
}

// Edit describes a change to a content's body; nil fields stay as they are.
type Edit struct {
	Title           *string
	MetaTitle       *string
	MetaDescription *string
	Slug            *string
	HTML            *string
	Excerpt         *string
	FAQ             *[]FAQ
}

// Update applies an edit as a new version. baseVersion is the version the
// edit was made on: if someone saved another version since, the answer is
// Conflict and nothing changes (0 skips the check).
func (l *Library) Update(ctx context.Context, scope igny8.Scope, id string, baseVersion int, e Edit, reason Reason, note string) (Content, error) {
	const op = "content.Library.Update"
	if err := scope.Validate(op); err != nil {
		return Content{}, err
	}
	if reason == "" {
		reason = ReasonEdited
	}
	var out Content
	err := l.store.InTx(ctx, func(ctx context.Context) error {
		c, err := l.store.GetContent(ctx, scope, id)
		if err != nil {
			return err
		}
		if baseVersion != 0 && baseVersion != c.Version {
			return igny8.Errorf(igny8.CodeConflict, op, "content %s is at version %d, the edit was made on version %d", id, c.Version, baseVersion)
		}
		b := c.Body
		// Derived fields are derived again unless the edit sets them.
		if e.Title != nil {
			b.Title = *e.Title
		}
		if e.MetaTitle != nil {
			b.MetaTitle = *e.MetaTitle
		}
		if e.MetaDescription != nil {
			b.MetaDescription = *e.MetaDescription
		}
		if e.HTML != nil {
			b.HTML = *e.HTML
		}
		if e.Excerpt != nil {
			b.Excerpt = *e.Excerpt
		}
		if e.FAQ != nil {
			b.FAQ = *e.FAQ
		}
		if e.Slug != nil && *e.Slug != c.Slug {
			if !igny8.ValidSlug(*e.Slug) {
				return igny8.InvalidArgument(op, "slug", "%q is not a slug (lower-case letters, digits and single hyphens)", *e.Slug)
			}
			taken, err := l.store.SlugTaken(ctx, scope.Site(), *e.Slug, c.ID)
			if err != nil {
				return err
			}
			if taken {
				return igny8.Errorf(igny8.CodeConflict, op, "slug %q is used by another content of the site", *e.Slug)
			}
			b.Slug = *e.Slug
		}
		b, err = l.prepareBody(op, b)
		if err != nil {
			return err
		}
		return l.saveLocked(ctx, scope, &c, b, reason, note)
	})
	if err != nil {
		return Content{}, igny8.Wrap(igny8.CodeInternal, op, err)
	}
	out, err = l.store.GetContent(ctx, scope, id)
	return out, err
}

// SaveHTML stores new HTML for a content as a new version, made on
// baseVersion (Conflict if another version was saved since). Linking and
// optimization use it; the HTML is sanitized like any other.
func (l *Library) SaveHTML(ctx context.Context, scope igny8.Scope, id string, baseVersion int, html string, reason Reason, note string) (Content, error) {
	return l.Update(ctx, scope, id, baseVersion, Edit{HTML: &html}, reason, note)
}

func (l *Library) saveLocked(ctx context.Context, scope igny8.Scope, c *Content, b Body, reason Reason, note string) error {
	c.Body = b
	c.Version++
	c.UpdatedAt = l.now()
	return l.store.SaveVersion(ctx, scope, *c, l.version(*c, reason, note))
}

// Versions lists a content's versions, oldest first.
func (l *Library) Versions(ctx context.Context, scope igny8.Scope, id string) ([]Version, error) {
	const op = "content.Library.Versions"
	if err := scope.Validate(op); err != nil {
		return nil, err
	}
	return l.store.ListVersions(ctx, scope, id)
}

// Version returns one version of a content.
func (l *Library) Version(ctx context.Context, scope igny8.Scope, id string, number int) (Version, error) {
	const op = "content.Library.Version"
	if err := scope.Validate(op); err != nil {
		return Version{}, err
	}
	return l.store.GetVersion(ctx, scope, id, number)
}

// Restore makes a new version whose body is that of version number.
func (l *Library) Restore(ctx context.Context, scope igny8.Scope, id string, number int) (Content, error) {
	const op = "content.Library.Restore"
	if err := scope.Validate(op); err != nil {
		return Content{}, err
	}
	err := l.store.InTx(ctx, func(ctx context.Context) error {
		v, err := l.store.GetVersion(ctx, scope, id, number)
		if err != nil {
			return err
		}
		c, err := l.store.GetContent(ctx, scope, id)
		if err != nil {
			return err
		}
		if v.Slug != c.Slug {
			taken, err := l.store.SlugTaken(ctx, scope.Site(), v.Slug, c.ID)
			if err != nil {
				return err
			}
			if taken {
				return igny8.Errorf(igny8.CodeConflict, op, "slug %q of version %d is now used by another content", v.Slug, number)
			}
		}
		return l.saveLocked(ctx, scope, &c, v.Body, ReasonRestored, fmt.Sprintf("restored from version %d", number))
	})
	if err != nil {
		return Content{}, igny8.Wrap(igny8.CodeInternal, op, err)
	}
	return l.store.GetContent(ctx, scope, id)
}

// SetStatus moves a content to draft, review or published and records
// where it is published.
func (l *Library) SetStatus(ctx context.Context, scope igny8.Scope, id string, status Status, publishedTo []Placement) error {
	const op = "content.Library.SetStatus"
	if err := scope.Validate(op); err != nil {
		return err
	}
	if !status.Valid() {
		return igny8.InvalidArgument(op, "status", "%q is not one of draft, review, published", string(status))
	}
	return l.store.SetContentStatus(ctx, scope, id, status, publishedTo, l.now())
}

func runeLen(s string) int { return len([]rune(s)) }

// DefaultSanitizer returns the SDK's strict allow-list sanitizer: no
// script, style, iframe, event handlers or javascript: URLs survive it.
func DefaultSanitizer() Sanitizer { return sanitize.Default() }
