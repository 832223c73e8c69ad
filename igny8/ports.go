package igny8

import (
	"context"
	"encoding/json"
	"io"
	"time"
)

// MessageRole is the author of a chat message.
type MessageRole string

// Chat message roles.
const (
	RoleSystem    MessageRole = "system"
	RoleUser      MessageRole = "user"
	RoleAssistant MessageRole = "assistant"
)

// Message is one chat message.
type Message struct {
	Role    MessageRole `json:"role"`
	Content string      `json:"content"`
}

// ChatRequest asks a model for a reply.
type ChatRequest struct {
	// Model overrides the adapter's default model when set.
	Model    string
	Messages []Message
	// Schema, when set, asks for a JSON reply that matches this JSON Schema
	// (an object schema without a root $ref); SchemaName names it for
	// providers that want a name.
	Schema     json.RawMessage
	SchemaName string
	// Temperature is the sampling temperature; nil means the model default.
	Temperature *float64
	// MaxTokens caps the completion; 0 means the model default.
	MaxTokens int
	// Function names the AI function the request is for ("generate_ideas"),
	// for logs and for models that answer per function (the offline
	// model). Providers ignore it.
	Function string
}

// TokenUsage counts the tokens of one call.
type TokenUsage struct {
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens"`
}

// Total returns prompt plus completion tokens.
func (u TokenUsage) Total() int { return u.PromptTokens + u.CompletionTokens }

// ChatResponse is a model's reply.
type ChatResponse struct {
	// Text is the reply; JSON text when the request had a Schema.
	Text  string
	Model string
	Usage TokenUsage
	// FinishReason is the provider's reason ("stop", "length", ...).
	FinishReason string
}

// LLM is a chat model. Adapters map their failures to the kernel's codes:
// rate limits, 5xx and timeouts to Unavailable (with a *RetryAfterError in
// the chain where the server said when), bad credentials to
// PermissionDenied, a rejected request to InvalidArgument.
type LLM interface {
	Chat(ctx context.Context, req ChatRequest) (ChatResponse, error)
}

// Embedder turns texts into vectors, one per text, all of one dimension.
type Embedder interface {
	Embed(ctx context.Context, texts []string) ([][]float32, error)
}

// ImageRequest asks for one image.
type ImageRequest struct {
	Prompt string
	// Size is "WIDTHxHEIGHT", e.g. "1024x1024"; empty means the default.
	Size string
	// Style is a provider hint ("natural", "vivid"); optional.
	Style string
}

// GeneratedImage is an image's bytes and media type ("image/png").
type GeneratedImage struct {
	Data          []byte
	MediaType     string
	RevisedPrompt string
}

// ImageGenerator makes images from prompts.
type ImageGenerator interface {
	GenerateImage(ctx context.Context, req ImageRequest) (GeneratedImage, error)
}

// RetryAfterError is an Unavailable error whose remote said when to retry.
type RetryAfterError struct {
	Op    string
	After time.Duration
	Err   error
}

func (e *RetryAfterError) Error() string {
	msg := "unavailable, retry after " + e.After.String()
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	if e.Op != "" {
		msg = e.Op + ": " + msg
	}
	return msg
}

// Unwrap returns the cause.
func (e *RetryAfterError) Unwrap() error { return e.Err }

// ErrorCode returns CodeUnavailable.
func (e *RetryAfterError) ErrorCode() Code { return CodeUnavailable }

// Is reports whether target is ErrUnavailable.
func (e *RetryAfterError) Is(target error) bool { return sameCode(e, target) }

// ObjectInfo describes a stored object.
type ObjectInfo struct {
	Key         string    `json:"key"`
	Size        int64     `json:"size"`
	ContentType string    `json:"content_type,omitempty"`
	ModTime     time.Time `json:"mod_time"`
}

// Storage keeps files (images, exports, rendered sites) per site. Keys are
// slash-separated relative paths; implementations refuse keys that could
// leave the site's space ("..", absolute paths, NUL, backslashes, device
// names) with InvalidArgument, write atomically, and answer NotFound for a
// missing key. scope.SiteID is required.
type Storage interface {
	Put(ctx context.Context, scope Scope, key string, r io.Reader, contentType string) (ObjectInfo, error)
	Get(ctx context.Context, scope Scope, key string) (io.ReadCloser, ObjectInfo, error)
	Delete(ctx context.Context, scope Scope, key string) error
	List(ctx context.Context, scope Scope, prefix string) ([]ObjectInfo, error)
	// Usage returns the bytes the site stores.
	Usage(ctx context.Context, scope Scope) (int64, error)
}

// Job is a unit of background work for a Scheduler.
type Job struct {
	ID    string `json:"id"`
	Kind  string `json:"kind"`
	Scope Scope  `json:"scope"`
	// Payload is the handler's input.
	Payload json.RawMessage `json:"payload,omitempty"`
	// RunAt delays the job; zero means now.
	RunAt time.Time `json:"run_at"`
	// UniqueKey, when set, makes a second job with the same kind and key a
	// no-op while the first exists.
	UniqueKey string `json:"unique_key,omitempty"`
	// MaxAttempts bounds retries; 0 means the scheduler's default.
	MaxAttempts int `json:"max_attempts,omitempty"`
	// Attempt is the 1-based attempt number, set when the job is handed to
	// its handler.
	Attempt int `json:"attempt,omitempty"`
}

// JobHandler runs a job. A returned error retries it with backoff until
// MaxAttempts.
type JobHandler func(ctx context.Context, job Job) error

// Scheduler runs background jobs: in-process by default, or on a
// distributed queue.
type Scheduler interface {
	// Handle registers the handler of a job kind. Register before Run.
	Handle(kind string, h JobHandler)
	// Enqueue adds a job, in the caller's transaction where the scheduler
	// shares the store's database.
	Enqueue(ctx context.Context, job Job) error
	// Run works jobs until ctx is done, then returns after running jobs end.
	Run(ctx context.Context) error
}
