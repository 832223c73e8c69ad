package publishing

import (
	"fmt"
	"strings"
	"time"

	"github.com/igny8/sdk/igny8"
)

// ItemStatus is the state an item should have at the destination.
type ItemStatus string

// Item statuses.
const (
	StatusDraft     ItemStatus = "draft"
	StatusPublish   ItemStatus = "publish"
	StatusScheduled ItemStatus = "scheduled"
)

// Valid reports whether s is one of the item statuses.
func (s ItemStatus) Valid() bool {
	switch s {
	case StatusDraft, StatusPublish, StatusScheduled:
		return true
	}
	return false
}

// Content types an item can have. Destinations map them to their own
// kinds (WordPress: posts and pages, the rest to a configurable post type).
const (
	TypePost     = "post"
	TypePage     = "page"
	TypeProduct  = "product"
	TypeService  = "service"
	TypeTaxonomy = "taxonomy"
)

// Image is an image of an item, kept in igny8.Storage under the item's
// scope. Inline images appear in the item's HTML as <img src="KEY">, with
// the storage key as the src; adapters upload them and rewrite the src to
// the image's remote URL.
type Image struct {
	// Key is the storage key of the image's bytes.
	Key string `json:"key"`
	// Alt is the alternative text.
	Alt string `json:"alt,omitempty"`
}

// Item is what a Publisher publishes: one version of one content, with
// everything a destination needs to show it. The publishing service fills
// in IdempotencyKey and, for an update, RemoteID.
type Item struct {
	// Scope is the tenant (account and site) the content belongs to; image
	// keys are read from Storage in it.
	Scope     igny8.Scope `json:"scope"`
	ContentID string      `json:"content_id"`
	// Version is the content version being published (1, 2, ...).
	Version int `json:"version"`
	// Type is the content type (TypePost, TypePage, ...); empty means post.
	Type            string   `json:"type"`
	Title           string   `json:"title"`
	Slug            string   `json:"slug,omitempty"`
	HTML            string   `json:"html"`
	Excerpt         string   `json:"excerpt,omitempty"`
	MetaTitle       string   `json:"meta_title,omitempty"`
	MetaDescription string   `json:"meta_description,omitempty"`
	Categories      []string `json:"categories,omitempty"`
	Tags            []string `json:"tags,omitempty"`
	// FeaturedImage is the item's main image, if any.
	FeaturedImage *Image `json:"featured_image,omitempty"`
	// Images are the inline images the HTML refers to by key.
	Images []Image    `json:"images,omitempty"`
	Status ItemStatus `json:"status"`
	// ScheduledAt is when a StatusScheduled item goes live.
	ScheduledAt time.Time `json:"scheduled_at,omitzero"`
	// Author names the author at the destination (an id or a login/slug).
	Author string `json:"author,omitempty"`

	// IdempotencyKey identifies this item's creation at the destination:
	// a Finder finds the remote item by it. The service assigns it once
	// per record and keeps it across retries.
	IdempotencyKey string `json:"idempotency_key"`
	// RemoteID, when set, makes Publish update that remote item instead of
	// creating one.
	RemoteID string `json:"remote_id,omitempty"`
	// RemoteKind is the adapter's kind of the remote item (Receipt.Kind of
	// the earlier publish), when known.
	RemoteKind string `json:"remote_kind,omitempty"`
}

// MaxKeyLength bounds idempotency keys.
const MaxKeyLength = 200

// Validate checks what every destination needs: a scope with a site, a
// content id, a version, a title, a known status (a scheduled item with its
// time), a slug that is a slug, and an idempotency key. Adapters call it
// first, so that bad input never reaches the remote.
func (it Item) Validate(op string) error {
	if err := it.Scope.RequireSite(op); err != nil {
		return err
	}
	if it.ContentID == "" {
		return igny8.InvalidArgument(op, "content_id", "is required")
	}
	if it.Version < 1 {
		return igny8.InvalidArgument(op, "version", "must be at least 1, got %d", it.Version)
	}
	if strings.TrimSpace(it.Title) == "" {
		return igny8.InvalidArgument(op, "title", "is required")
	}
	if !it.Status.Valid() {
		return igny8.InvalidArgument(op, "status", "must be draft, publish or scheduled, got %q", string(it.Status))
	}
	if it.Status == StatusScheduled && it.ScheduledAt.IsZero() {
		return igny8.InvalidArgument(op, "scheduled_at", "is required when status is scheduled")
	}
	if it.Slug != "" && !igny8.ValidSlug(it.Slug) {
		return igny8.InvalidArgument(op, "slug", "%q is not a slug (a-z, 0-9, single hyphens)", it.Slug)
	}
	if it.IdempotencyKey == "" {
		return igny8.InvalidArgument(op, "idempotency_key", "is required")
	}
	if len(it.IdempotencyKey) > MaxKeyLength {
		return igny8.InvalidArgument(op, "idempotency_key", "must be at most %d bytes, got %d", MaxKeyLength, len(it.IdempotencyKey))
	}
	if it.FeaturedImage != nil && it.FeaturedImage.Key == "" {
		return igny8.InvalidArgument(op, "featured_image.key", "is required")
	}
	for i, img := range it.Images {
		if img.Key == "" {
			return igny8.InvalidArgument(op, fmt.Sprintf("images[%d].key", i), "is required")
		}
	}
	for i, c := range it.Categories {
		if strings.TrimSpace(c) == "" {
			return igny8.InvalidArgument(op, fmt.Sprintf("categories[%d]", i), "must not be empty")
		}
	}
	for i, tg := range it.Tags {
		if strings.TrimSpace(tg) == "" {
			return igny8.InvalidArgument(op, fmt.Sprintf("tags[%d]", i), "must not be empty")
		}
	}
	return nil
}

// Receipt says where a published item lives.
type Receipt struct {
	// RemoteID is the destination's id of the item.
	RemoteID string `json:"remote_id"`
	// URL is where the item can be seen (for a draft, possibly a preview
	// URL).
	URL string `json:"url"`
	// Kind is the adapter's kind of the remote item ("posts", "pages"),
	// which Unpublish may need; empty when the adapter has one kind.
	Kind string `json:"kind,omitempty"`
	// IdempotencyKey is the key the item was created with.
	IdempotencyKey string `json:"idempotency_key,omitempty"`
	// RemoteStatus is the status the destination reports ("publish",
	// "draft", "future").
	RemoteStatus string `json:"remote_status,omitempty"`
}
