package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/publishing"
)

// Actions of an Envelope.
const (
	ActionPublish   = "publish"
	ActionUnpublish = "unpublish"
	ActionFind      = "find"
	ActionCheck     = "check"
)

// Envelope is the JSON body of every request: the action and its input.
type Envelope struct {
	Action string `json:"action"`
	// Item is the item to publish (ActionPublish); its RemoteID is set
	// for an update.
	Item *publishing.Item `json:"item,omitempty"`
	// Assets holds the bytes of the item's images, keyed by storage key,
	// when the client has a Storage: the receiver cannot read ours.
	Assets map[string]Asset `json:"assets,omitempty"`
	// Receipt names the item to take down (ActionUnpublish).
	Receipt *publishing.Receipt `json:"receipt,omitempty"`
	// Key is the idempotency key looked up (ActionFind).
	Key string `json:"key,omitempty"`
}

// Asset is an image's bytes.
type Asset struct {
	ContentType string `json:"content_type"`
	// Data is the bytes, base64 in JSON.
	Data []byte `json:"data"`
}

// Reply is the JSON body of a 2xx answer.
type Reply struct {
	RemoteID     string `json:"remote_id,omitempty"`
	URL          string `json:"url,omitempty"`
	Kind         string `json:"kind,omitempty"`
	RemoteStatus string `json:"remote_status,omitempty"`
	// Found answers ActionFind.
	Found bool `json:"found,omitempty"`
}

// ErrorReply is the JSON body of an error answer.
type ErrorReply struct {
	// Code is one of the kernel's codes ("invalid_argument", ...).
	Code    string `json:"code"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

// Defaults of Options.
const (
	DefaultTimeout       = 30 * time.Second
	DefaultMaxImageBytes = 16 << 20
)

// Options configures a Client.
type Options struct {
	// URL receives the requests. Required.
	URL string
	// Secret signs them (HMAC-SHA256), at least MinSecretLength bytes.
	Secret []byte
	// Storage, when set, is where image bytes are read to send as Assets.
	Storage igny8.Storage
	// HTTPClient makes the requests; nil means one with Timeout.
	HTTPClient *http.Client
	// Timeout bounds one request when HTTPClient is nil.
	Timeout time.Duration
	// MaxImageBytes bounds one image (default DefaultMaxImageBytes).
	MaxImageBytes int64
	Clock         igny8.Clock
	IDs           igny8.IDGenerator
}

// Client publishes by POSTing signed JSON to a URL. It is a
// publishing.Publisher, Finder and Checker.
type Client struct {
	url   string
	opts  Options
	http  *http.Client
	clock igny8.Clock
	ids   igny8.IDGenerator
}

var (
	_ publishing.Publisher = (*Client)(nil)
	_ publishing.Finder    = (*Client)(nil)
	_ publishing.Checker   = (*Client)(nil)
)

// New returns a Client posting to opts.URL.
func New(opts Options) (*Client, error) {
	const op = "webhook.New"
	u, err := url.Parse(opts.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, igny8.InvalidArgument(op, "url", "must be an http(s) URL, got %q", opts.URL)
	}
	if len(opts.Secret) < MinSecretLength {
		return nil, igny8.InvalidArgument(op, "secret", "must be at least %d bytes, got %d", MinSecretLength, len(opts.Secret))
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.MaxImageBytes <= 0 {
		opts.MaxImageBytes = DefaultMaxImageBytes
	}
	if opts.Clock == nil {
		opts.Clock = igny8.SystemClock{}
	}
	if opts.IDs == nil {
		opts.IDs = &igny8.UUIDv7{Clock: opts.Clock}
	}
	hc := opts.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: opts.Timeout}
	}
	return &Client{url: u.String(), opts: opts, http: hc, clock: opts.Clock, ids: opts.IDs}, nil
}

// SettingURL is the destination setting Factory reads the URL from.
const SettingURL = "url"

// Factory returns a publishing.Factory for destinations of kind
// "webhook": the URL comes from the destination's "url" setting, the
// signing secret is its secret.
func Factory(base Options) publishing.Factory {
	return func(_ context.Context, d publishing.Destination, secret []byte) (publishing.Publisher, error) {
		o := base
		o.URL, o.Secret = d.Settings[SettingURL], secret
		return New(o)
	}
}

// send signs and posts env and decodes the reply.
func (c *Client) send(ctx context.Context, op string, env Envelope, key string) (Reply, error) {
	body, err := json.Marshal(env)
	if err != nil {
		return Reply{}, igny8.Errorf(igny8.CodeInternal, op, "encode: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return Reply{}, igny8.Errorf(igny8.CodeInternal, op, "build request: %w", err)
	}
	for k, v := range signed(c.opts.Secret, c.clock.Now().Unix(), c.ids.NewID(), body) {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set(HeaderIdempotencyKey, key)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return Reply{}, &publishing.RemoteError{Op: op, Code: igny8.CodeUnavailable, Uncertain: true, Message: "no answer from the webhook", Err: err}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return Reply{}, &publishing.RemoteError{Op: op, Code: igny8.CodeUnavailable, Uncertain: true, Status: resp.StatusCode, Message: "answer cut short", Err: err}
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return Reply{}, mapError(op, resp, data)
	}
	var r Reply
	if err := json.Unmarshal(data, &r); err != nil {
		return Reply{}, &publishing.RemoteError{Op: op, Code: igny8.CodeUnavailable, Uncertain: true, Status: resp.StatusCode,
			Message: "the webhook answered with a body that is not a reply", Err: err}
	}
	return r, nil
}

// mapError maps an error answer to the kernel's codes.
func mapError(op string, resp *http.Response, data []byte) error {
	var er ErrorReply
	_ = json.Unmarshal(data, &er)
	re := &publishing.RemoteError{Op: op, Status: resp.StatusCode, RemoteCode: er.Code, Field: er.Field, Message: er.Message}
	if re.Message == "" {
		re.Message = http.StatusText(resp.StatusCode)
	}
	switch s := resp.StatusCode; {
	case s == http.StatusUnauthorized || s == http.StatusForbidden:
		re.Code = igny8.CodePermissionDenied
	case s == http.StatusNotFound || s == http.StatusGone:
		re.Code = igny8.CodeNotFound
	case s == http.StatusConflict:
		re.Code = igny8.CodeConflict
	case s == http.StatusTooManyRequests:
		re.Code = igny8.CodeUnavailable
		re.RetryAfter = retryAfter(resp.Header.Get("Retry-After"))
	case s >= 500:
		re.Code, re.Uncertain = igny8.CodeUnavailable, true
		re.RetryAfter = retryAfter(resp.Header.Get("Retry-After"))
	default:
		re.Code = igny8.CodeInvalidArgument
	}
	return re
}

func retryAfter(v string) time.Duration {
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0
	}
	return time.Duration(n) * time.Second
}

// Publish sends the item (with its images' bytes when the client has a
// Storage) and returns the receiver's id and URL for it.
func (c *Client) Publish(ctx context.Context, item publishing.Item) (publishing.Receipt, error) {
	const op = "webhook.Publish"
	if err := item.Validate(op); err != nil {
		return publishing.Receipt{}, err
	}
	env := Envelope{Action: ActionPublish, Item: &item}
	if c.opts.Storage != nil {
		assets, err := c.assets(ctx, op, item)
		if err != nil {
			return publishing.Receipt{}, err
		}
		env.Assets = assets
	}
	r, err := c.send(ctx, op, env, item.IdempotencyKey)
	if err != nil {
		return publishing.Receipt{}, err
	}
	if r.RemoteID == "" {
		return publishing.Receipt{}, &publishing.RemoteError{Op: op, Code: igny8.CodeUnavailable, Uncertain: true, Message: "the webhook's reply has no remote_id"}
	}
	return publishing.Receipt{RemoteID: r.RemoteID, URL: r.URL, Kind: r.Kind, IdempotencyKey: item.IdempotencyKey, RemoteStatus: r.RemoteStatus}, nil
}

func (c *Client) assets(ctx context.Context, op string, item publishing.Item) (map[string]Asset, error) {
	imgs := append([]publishing.Image(nil), item.Images...)
	if item.FeaturedImage != nil {
		imgs = append(imgs, *item.FeaturedImage)
	}
	if len(imgs) == 0 {
		return nil, nil
	}
	out := make(map[string]Asset, len(imgs))
	for _, img := range imgs {
		if _, ok := out[img.Key]; ok {
			continue
		}
		rc, info, err := c.opts.Storage.Get(ctx, item.Scope, img.Key)
		if err != nil {
			if errors.Is(err, igny8.ErrNotFound) || errors.Is(err, igny8.ErrInvalidArgument) {
				return nil, igny8.InvalidArgument(op, "images", "image %q: %v", img.Key, err)
			}
			return nil, igny8.Wrap(igny8.CodeUnavailable, op, err)
		}
		data, err := io.ReadAll(io.LimitReader(rc, c.opts.MaxImageBytes+1))
		rc.Close()
		if err != nil {
			return nil, igny8.Wrap(igny8.CodeUnavailable, op, err)
		}
		if int64(len(data)) > c.opts.MaxImageBytes {
			return nil, igny8.InvalidArgument(op, "images", "image %q is larger than %d bytes", img.Key, c.opts.MaxImageBytes)
		}
		ct := info.ContentType
		if ct == "" {
			ct = http.DetectContentType(data)
		}
		out[img.Key] = Asset{ContentType: ct, Data: data}
	}
	return out, nil
}

// Unpublish asks the receiver to take the item down; an item it no longer
// has (404) is not an error.
func (c *Client) Unpublish(ctx context.Context, r publishing.Receipt) error {
	const op = "webhook.Unpublish"
	if r.RemoteID == "" {
		return igny8.InvalidArgument(op, "remote_id", "is required")
	}
	_, err := c.send(ctx, op, Envelope{Action: ActionUnpublish, Receipt: &r}, r.IdempotencyKey)
	if errors.Is(err, igny8.ErrNotFound) {
		return nil
	}
	return err
}

// FindByKey asks the receiver for the item created with key.
func (c *Client) FindByKey(ctx context.Context, key string) (publishing.Receipt, bool, error) {
	const op = "webhook.FindByKey"
	if key == "" {
		return publishing.Receipt{}, false, igny8.InvalidArgument(op, "key", "is required")
	}
	r, err := c.send(ctx, op, Envelope{Action: ActionFind, Key: key}, key)
	if err != nil || !r.Found {
		return publishing.Receipt{}, false, err
	}
	return publishing.Receipt{RemoteID: r.RemoteID, URL: r.URL, Kind: r.Kind, IdempotencyKey: key, RemoteStatus: r.RemoteStatus}, true, nil
}

// Check sends a signed no-op: the receiver answers 2xx when it accepts
// the signature.
func (c *Client) Check(ctx context.Context) error {
	_, err := c.send(ctx, "webhook.Check", Envelope{Action: ActionCheck}, "")
	return err
}
