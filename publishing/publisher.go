package publishing

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/igny8/sdk/igny8"
)

// Publisher is the port a destination implements: WordPress, a webhook, a
// CMS a host writes. It stays small; the Service around it keeps records,
// retries, idempotency and events once for every adapter.
//
// Errors carry the kernel's codes: InvalidArgument for an item the remote
// refuses (naming the field), PermissionDenied for refused credentials,
// NotFound for an update of a remote item that is gone, Unavailable for
// rate limits, 5xx answers, timeouts and broken connections. A
// *RemoteError tells the Service whether the remote may have acted on a
// failed request.
type Publisher interface {
	// Publish creates the item at the destination, or updates the remote
	// item item.RemoteID when it is set, and says where it lives.
	Publish(ctx context.Context, item Item) (Receipt, error)
	// Unpublish takes the item down. Taking down an item that is already
	// gone is not an error.
	Unpublish(ctx context.Context, r Receipt) error
}

// Finder is the optional capability of a Publisher to find an item it
// created earlier by the item's idempotency key. The Service uses it before
// it retries a create whose outcome is unclear, so that a retry never
// creates a second item; without it, such a create is not retried.
type Finder interface {
	// FindByKey returns the receipt of the live (not unpublished) item
	// created with key, and false when there is none.
	FindByKey(ctx context.Context, key string) (Receipt, bool, error)
}

// Checker is the optional capability of a Publisher to verify its
// credentials. RegisterDestination calls it, so that wrong credentials
// fail when they are entered rather than at the first publish.
type Checker interface {
	Check(ctx context.Context) error
}

// Updater is the optional capability of a Publisher to edit pages that
// live at the destination but that it did not necessarily publish: pages
// known only by their public address, such as those siteaudit imports from
// a crawl. siteaudit.Auditor.PublishLinks writes link suggestions back
// through it.
type Updater interface {
	// FindPage returns the page whose public address is pageURL, with its
	// editable content, and false when the destination has no such page.
	FindPage(ctx context.Context, pageURL string) (RemotePage, bool, error)
	// UpdatePage replaces the content of page with content, unless the
	// page changed at the destination since page was read: then it fails
	// with Conflict and writes nothing. It returns the page as written.
	UpdatePage(ctx context.Context, page RemotePage, content string) (RemotePage, error)
}

// RemotePage is a page as the destination holds it.
type RemotePage struct {
	// ID is the destination's id of the page; Kind the adapter's kind of
	// it ("posts", "pages"), as in Receipt.
	ID   string `json:"id"`
	Kind string `json:"kind,omitempty"`
	// URL is the page's public address as the destination gives it.
	URL string `json:"url"`
	// Modified is when the page was last changed at the destination.
	Modified time.Time `json:"modified,omitzero"`
	// Content is the editable (raw) content, as an editor would see it:
	// not the rendered page.
	Content string `json:"content"`
}

// RemoteError is a destination's refusal or failure. Adapters return it so
// that callers see the remote's own message and the Service knows whether
// the remote may have acted.
type RemoteError struct {
	// Op is the operation that failed ("wordpress.Publish").
	Op string
	// Code is the kernel code the failure maps to.
	Code igny8.Code
	// Status is the HTTP status, 0 when no answer came.
	Status int
	// RemoteCode is the remote's own error code ("rest_invalid_param").
	RemoteCode string
	// Field names the input field the remote refused, if it said.
	Field string
	// Message is the remote's message, as it said it.
	Message string
	// Uncertain is true when the remote may have acted on the request
	// although it failed: a timeout, a dropped connection, a 5xx.
	Uncertain bool
	// RetryAfter is how long the remote asked to wait (429, 503).
	RetryAfter time.Duration
	// Err is the cause (a transport error), if any.
	Err error
}

func (e *RemoteError) Error() string {
	parts := make([]string, 0, 4)
	if e.Op != "" {
		parts = append(parts, e.Op)
	}
	if e.Field != "" {
		parts = append(parts, e.Field)
	}
	msg := e.Message
	var detail []string
	if e.Status != 0 {
		detail = append(detail, "HTTP "+strconv.Itoa(e.Status))
	}
	if e.RemoteCode != "" {
		detail = append(detail, e.RemoteCode)
	}
	if len(detail) > 0 {
		msg = strings.TrimSpace(msg + " (" + strings.Join(detail, " ") + ")")
	}
	if msg == "" && e.Err == nil {
		msg = string(e.Code)
	}
	if msg != "" {
		parts = append(parts, msg)
	}
	if e.Err != nil {
		parts = append(parts, e.Err.Error())
	}
	return strings.Join(parts, ": ")
}

// Unwrap returns the cause.
func (e *RemoteError) Unwrap() error { return e.Err }

// ErrorCode returns the kernel code.
func (e *RemoteError) ErrorCode() igny8.Code { return e.Code }

// Is reports whether target is the kernel sentinel of e's code.
func (e *RemoteError) Is(target error) bool { return target == sentinel(e.Code) }

func sentinel(c igny8.Code) error {
	switch c {
	case igny8.CodeNotFound:
		return igny8.ErrNotFound
	case igny8.CodeInvalidArgument:
		return igny8.ErrInvalidArgument
	case igny8.CodePermissionDenied:
		return igny8.ErrPermissionDenied
	case igny8.CodeLimitExceeded:
		return igny8.ErrLimitExceeded
	case igny8.CodeInsufficientCredits:
		return igny8.ErrInsufficientCredits
	case igny8.CodeConflict:
		return igny8.ErrConflict
	case igny8.CodeUnavailable:
		return igny8.ErrUnavailable
	case igny8.CodeInternal:
		return igny8.ErrInternal
	}
	return nil
}

// Transient reports whether err is worth retrying: Unavailable, including
// context deadlines of a single request. A canceled caller context is not.
func Transient(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	return igny8.CodeOf(err) == igny8.CodeUnavailable
}

// Uncertain reports whether the remote may have acted on a request that
// failed with err: true for a *RemoteError marked Uncertain, false for one
// that is not, and true for any other transient error, where nothing
// proves that the request did not arrive.
func Uncertain(err error) bool {
	var re *RemoteError
	if errors.As(err, &re) {
		return re.Uncertain
	}
	return Transient(err)
}

// retryAfter returns the wait a remote asked for, if any.
func retryAfter(err error) time.Duration {
	var re *RemoteError
	if errors.As(err, &re) && re.RetryAfter > 0 {
		return re.RetryAfter
	}
	var ra *igny8.RetryAfterError
	if errors.As(err, &ra) {
		return ra.After
	}
	return 0
}
