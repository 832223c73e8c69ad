package content

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/igny8/sdk/igny8"
)

// Type is what a piece of content is; each type has its own prompt.
type Type string

// Content types.
const (
	TypePost     Type = "post"
	TypePage     Type = "page"
	TypeProduct  Type = "product"
	TypeService  Type = "service"
	TypeTaxonomy Type = "taxonomy"
)

// Valid reports whether t is a known content type.
func (t Type) Valid() bool {
	switch t {
	case TypePost, TypePage, TypeProduct, TypeService, TypeTaxonomy:
		return true
	}
	return false
}

// HasFAQ reports whether content of this type carries a FAQ section.
func (t Type) HasFAQ() bool { return t == TypePost || t == TypeProduct || t == TypeService }

// TaskStatus is a writing task's state: queued → in_progress → completed |
// failed. A failed task can be queued again.
type TaskStatus string

// Task statuses.
const (
	TaskQueued     TaskStatus = "queued"
	TaskInProgress TaskStatus = "in_progress"
	TaskCompleted  TaskStatus = "completed"
	TaskFailed     TaskStatus = "failed"
)

// Section is one heading of an outline, with its subheadings.
type Section struct {
	Heading     string   `json:"heading"`
	Subheadings []string `json:"subheadings,omitempty"`
}

// Task is one article to write: from a content idea or by hand.
type Task struct {
	ID    string      `json:"id"`
	Scope igny8.Scope `json:"scope"`
	// IdeaID and ClusterID link the task to planning; both optional.
	IdeaID    string `json:"idea_id,omitempty"`
	ClusterID string `json:"cluster_id,omitempty"`
	// BatchID groups tasks generated together, so a batch can be resumed.
	BatchID        string    `json:"batch_id,omitempty"`
	Title          string    `json:"title"`
	Brief          string    `json:"brief,omitempty"`
	Outline        []Section `json:"outline,omitempty"`
	PrimaryKeyword string    `json:"primary_keyword,omitempty"`
	Keywords       []string  `json:"keywords,omitempty"`
	Type           Type      `json:"type"`
	TargetWords    int       `json:"target_words"`
	// AuthorProfile names the ai author profile (voice, tone, audience,
	// banned phrases) the writer applies; empty for the default voice.
	AuthorProfile string     `json:"author_profile,omitempty"`
	Status        TaskStatus `json:"status"`
	// Attempts counts how often the task was claimed; Failures how often a
	// generation failed (and its credits were refunded).
	Attempts  int    `json:"attempts"`
	Failures  int    `json:"failures"`
	LastError string `json:"last_error,omitempty"`
	// LeaseOwner and LeaseUntil say who works the task and until when; a
	// lease that ran out makes the task claimable again.
	LeaseOwner string    `json:"lease_owner,omitempty"`
	LeaseUntil time.Time `json:"lease_until,omitzero"`
	// ContentID is the content the task produced, once completed.
	ContentID string    `json:"content_id,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Status is a content's editorial state.
type Status string

// Content statuses.
const (
	StatusDraft     Status = "draft"
	StatusReview    Status = "review"
	StatusPublished Status = "published"
)

// Valid reports whether s is a known content status.
func (s Status) Valid() bool {
	return s == StatusDraft || s == StatusReview || s == StatusPublished
}

// FAQ is one question and answer.
type FAQ struct {
	Question string `json:"question"`
	Answer   string `json:"answer"`
}

// Placement records where a content is published.
type Placement struct {
	Destination string    `json:"destination"`
	ExternalID  string    `json:"external_id"`
	URL         string    `json:"url,omitempty"`
	Version     int       `json:"version"`
	PublishedAt time.Time `json:"published_at"`
}

// Content is an article, page or other piece with its current version's
// fields. Every change is a new Version.
type Content struct {
	ID     string      `json:"id"`
	Scope  igny8.Scope `json:"scope"`
	TaskID string      `json:"task_id,omitempty"`
	Type   Type        `json:"type"`
	Status Status      `json:"status"`
	// Version is the number of the current version (1 for new content).
	Version int `json:"version"`
	Body
	PrimaryKeyword    string      `json:"primary_keyword,omitempty"`
	SecondaryKeywords []string    `json:"secondary_keywords,omitempty"`
	PublishedTo       []Placement `json:"published_to,omitempty"`
	CreatedAt         time.Time   `json:"created_at"`
	UpdatedAt         time.Time   `json:"updated_at"`
}

// Body is the versioned part of a content.
type Body struct {
	Title           string `json:"title"`
	MetaTitle       string `json:"meta_title"`
	MetaDescription string `json:"meta_description"`
	Slug            string `json:"slug"`
	// HTML is the sanitized body.
	HTML string `json:"html"`
	// Blocks is the body as JSON blocks (headings, paragraphs, lists, FAQ).
	Blocks    json.RawMessage `json:"blocks,omitempty"`
	Excerpt   string          `json:"excerpt,omitempty"`
	FAQ       []FAQ           `json:"faq,omitempty"`
	WordCount int             `json:"word_count"`
}

// Reason says why a version was made.
type Reason string

// Version reasons.
const (
	ReasonGenerated Reason = "generated"
	ReasonEdited    Reason = "edited"
	ReasonLinked    Reason = "linked"
	ReasonOptimized Reason = "optimized"
	ReasonImages    Reason = "images"
	ReasonRestored  Reason = "restored"
)

// Version is one saved state of a content.
type Version struct {
	ContentID string `json:"content_id"`
	Number    int    `json:"number"`
	Reason    Reason `json:"reason"`
	// Note adds detail to the reason ("restored from version 2").
	Note string `json:"note,omitempty"`
	Body
	CreatedAt time.Time `json:"created_at"`
}

// ImageKind is where an image goes.
type ImageKind string

// Image kinds.
const (
	ImageFeatured  ImageKind = "featured"
	ImageInArticle ImageKind = "in_article"
)

// ImageStatus is an image's generation state.
type ImageStatus string

// Image statuses.
const (
	ImagePending   ImageStatus = "pending"
	ImageGenerated ImageStatus = "generated"
	ImageFailed    ImageStatus = "failed"
)

// Image is a generated image of a content.
type Image struct {
	ID        string      `json:"id"`
	Scope     igny8.Scope `json:"scope"`
	ContentID string      `json:"content_id"`
	Kind      ImageKind   `json:"kind"`
	// Position is the index of the H2 section the image goes after (in
	// article images); 0 for the featured image.
	Position   int         `json:"position"`
	Prompt     string      `json:"prompt"`
	Alt        string      `json:"alt"`
	StorageKey string      `json:"storage_key,omitempty"`
	MediaType  string      `json:"media_type,omitempty"`
	Size       int64       `json:"size"`
	Status     ImageStatus `json:"status"`
	Error      string      `json:"error,omitempty"`
	CreatedAt  time.Time   `json:"created_at"`
	UpdatedAt  time.Time   `json:"updated_at"`
}

// TaskFilter narrows ListTasks.
type TaskFilter struct {
	Status  TaskStatus
	BatchID string
	IdeaID  string
}

// ContentFilter narrows ListContent.
type ContentFilter struct {
	Status Status
	Type   Type
	// Keyword matches the primary keyword exactly (case-insensitive).
	Keyword string
}

// NewTask is what a caller gives to create a task by hand.
type NewTask struct {
	Title          string
	Brief          string
	Outline        []Section
	PrimaryKeyword string
	Keywords       []string
	Type           Type
	TargetWords    int
	AuthorProfile  string
	IdeaID         string
	ClusterID      string
}

func (n NewTask) validate(op string, i int) error {
	field := func(f string) string {
		if i < 0 {
			return f
		}
		return "tasks[" + strconv.Itoa(i) + "]." + f
	}
	if strings.TrimSpace(n.Title) == "" {
		return igny8.InvalidArgument(op, field("title"), "is required")
	}
	if len(n.Title) > 300 {
		return igny8.InvalidArgument(op, field("title"), "must be at most 300 bytes, got %d", len(n.Title))
	}
	if n.Type != "" && !n.Type.Valid() {
		return igny8.InvalidArgument(op, field("type"), "%q is not one of post, page, product, service, taxonomy", string(n.Type))
	}
	if n.TargetWords < 0 || n.TargetWords > 20000 {
		return igny8.InvalidArgument(op, field("target_words"), "must be between 0 and 20000, got %d", n.TargetWords)
	}
	return nil
}
