package wordpress

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/publishing"
)

// Defaults of Options.
const (
	DefaultTimeout = 30 * time.Second
	// DefaultMaxImageBytes bounds one image read from Storage.
	DefaultMaxImageBytes = 32 << 20
)

// Options configures a Client.
type Options struct {
	// BaseURL is the site's address ("https://blog.example.com"); the REST
	// API is under BaseURL + "/wp-json/". Required.
	BaseURL string
	// User is the WordPress login, AppPassword an Application Password of
	// it (Users → Profile → Application Passwords). The login password
	// does not work for the REST API.
	User        string
	AppPassword string
	// Storage is where the items' images are read; required only for
	// items with images.
	Storage igny8.Storage
	// HTTPClient makes the requests; nil means a client with Timeout.
	HTTPClient *http.Client
	// Timeout bounds one request when HTTPClient is nil (default
	// DefaultTimeout).
	Timeout time.Duration
	// Types maps a content type to the REST base of a WordPress post
	// type. post → posts and page → pages unless overridden.
	Types map[string]string
	// OtherType is the REST base for content types not in Types
	// (default "posts"), e.g. "product" for a custom post type.
	OtherType string
	// DeleteOnUnpublish deletes items for good; by default Unpublish moves
	// them to the trash, where an editor can restore them.
	DeleteOnUnpublish bool
	// MetaTitleKey and MetaDescriptionKey, when set, send the item's meta
	// title and description as these post meta keys (an SEO plugin's
	// keys, which it must register with show_in_rest); stock WordPress has
	// no such fields, so by default they are not sent.
	MetaTitleKey       string
	MetaDescriptionKey string
	// MaxImageBytes bounds one image (default DefaultMaxImageBytes).
	MaxImageBytes int64
	Logger        *slog.Logger
}

// Client publishes to one WordPress site over its REST API. It is safe for
// concurrent use; it caches term and author ids it has resolved.
type Client struct {
	base    string
	user    string
	pass    string
	http    *http.Client
	storage igny8.Storage
	opts    Options
	log     *slog.Logger

	// termMu serializes term creation, so that concurrent publishes of
	// one client do not race WordPress into duplicate terms (it has no
	// unique constraint on names).
	termMu  sync.Mutex
	mu      sync.Mutex
	checked bool
	terms   map[string]int64 // taxonomy + "\x00" + lower(name) → id
	authors map[string]int64
}

var (
	_ publishing.Publisher = (*Client)(nil)
	_ publishing.Finder    = (*Client)(nil)
	_ publishing.Checker   = (*Client)(nil)
)

// New returns a Client for the site at opts.BaseURL.
func New(opts Options) (*Client, error) {
	const op = "wordpress.New"
	u, err := url.Parse(opts.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, igny8.InvalidArgument(op, "base_url", "must be an http(s) URL, got %q", opts.BaseURL)
	}
	if opts.User == "" {
		return nil, igny8.InvalidArgument(op, "user", "is required")
	}
	if opts.AppPassword == "" {
		return nil, igny8.InvalidArgument(op, "app_password", "is required")
	}
	types := map[string]string{publishing.TypePost: "posts", publishing.TypePage: "pages"}
	for k, v := range opts.Types {
		if !validBase(v) {
			return nil, igny8.InvalidArgument(op, "types."+k, "%q is not a REST base", v)
		}
		types[k] = v
	}
	opts.Types = types
	if opts.OtherType == "" {
		opts.OtherType = "posts"
	}
	if !validBase(opts.OtherType) {
		return nil, igny8.InvalidArgument(op, "other_type", "%q is not a REST base", opts.OtherType)
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.MaxImageBytes <= 0 {
		opts.MaxImageBytes = DefaultMaxImageBytes
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	hc := opts.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: opts.Timeout}
	}
	return &Client{
		base: strings.TrimRight(u.String(), "/") + "/wp-json/wp/v2/",
		user: opts.User, pass: strings.ReplaceAll(opts.AppPassword, " ", ""),
		http: hc, storage: opts.Storage, opts: opts, log: opts.Logger,
		terms: map[string]int64{}, authors: map[string]int64{},
	}, nil
}

func validBase(s string) bool {
	if s == "" || len(s) > 100 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// Destination settings read by Factory.
const (
	SettingURL               = "url"
	SettingUser              = "user"
	SettingOtherType         = "other_type"
	SettingDeleteOnUnpublish = "delete_on_unpublish"
)

// Factory returns a publishing.Factory for destinations of kind
// "wordpress": the destination's settings give the URL ("url"), the user
// ("user"), optionally the REST base for other content types
// ("other_type") and "delete_on_unpublish" ("true"); its secret is the
// Application Password. base supplies the rest (Storage, HTTP client).
func Factory(base Options) publishing.Factory {
	return func(_ context.Context, d publishing.Destination, secret []byte) (publishing.Publisher, error) {
		o := base
		o.Types = maps.Clone(base.Types)
		o.BaseURL, o.User, o.AppPassword = d.Settings[SettingURL], d.Settings[SettingUser], string(secret)
		if v := d.Settings[SettingOtherType]; v != "" {
			o.OtherType = v
		}
		if v := d.Settings[SettingDeleteOnUnpublish]; v != "" {
			b, err := strconv.ParseBool(v)
			if err != nil {
				return nil, igny8.InvalidArgument("wordpress.Factory", "settings."+SettingDeleteOnUnpublish, "must be true or false, got %q", v)
			}
			o.DeleteOnUnpublish = b
		}
		return New(o)
	}
}

// call is one REST request.
type call struct {
	method string
	path   string // relative to /wp-json/wp/v2/
	query  url.Values
	body   any               // JSON-encoded when not nil
	raw    io.Reader         // sent as is when set
	header map[string]string // extra headers
}

// do runs c and decodes a 2xx answer into out (if not nil). Other answers
// come back as a *publishing.RemoteError.
func (c *Client) do(ctx context.Context, op string, cl call, out any) (http.Header, error) {
	u := c.base + cl.path
	if len(cl.query) > 0 {
		u += "?" + cl.query.Encode()
	}
	var body io.Reader = cl.raw
	if cl.body != nil {
		b, err := json.Marshal(cl.body)
		if err != nil {
			return nil, igny8.Errorf(igny8.CodeInternal, op, "encode request: %w", err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, cl.method, u, body)
	if err != nil {
		return nil, igny8.Errorf(igny8.CodeInternal, op, "build request: %w", err)
	}
	req.SetBasicAuth(c.user, c.pass)
	req.Header.Set("Accept", "application/json")
	if cl.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range cl.header {
		req.Header.Set(k, v)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, transportError(op, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return nil, transportError(op, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.Header, mapError(op, resp.StatusCode, resp.Header, data)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			// A 2xx that is not the JSON asked for: a proxy or a plugin
			// printing into the answer. The request may have been done.
			return resp.Header, &publishing.RemoteError{Op: op, Code: igny8.CodeUnavailable, Status: resp.StatusCode, Uncertain: true,
				Message: "WordPress answered with a body that is not the expected JSON", Err: err}
		}
	}
	return resp.Header, nil
}

// Check verifies the credentials with GET /wp/v2/users/me: a wrong
// Application Password otherwise passes silently as an anonymous user.
func (c *Client) Check(ctx context.Context) error {
	var me struct {
		ID int64 `json:"id"`
	}
	if _, err := c.do(ctx, "wordpress.Check", call{method: http.MethodGet, path: "users/me"}, &me); err != nil {
		return err
	}
	if me.ID == 0 {
		return &publishing.RemoteError{Op: "wordpress.Check", Code: igny8.CodePermissionDenied, Message: "WordPress did not name the user of these credentials"}
	}
	c.mu.Lock()
	c.checked = true
	c.mu.Unlock()
	return nil
}

func (c *Client) ensureChecked(ctx context.Context) error {
	c.mu.Lock()
	ok := c.checked
	c.mu.Unlock()
	if ok {
		return nil
	}
	return c.Check(ctx)
}

// collection returns the REST base of a content type.
func (c *Client) collection(typ string) string {
	if typ == "" {
		typ = publishing.TypePost
	}
	if b, ok := c.opts.Types[typ]; ok {
		return b
	}
	return c.opts.OtherType
}

// collections returns every REST base the client publishes to.
func (c *Client) collections() []string {
	set := map[string]bool{c.opts.OtherType: true}
	for _, b := range c.opts.Types {
		set[b] = true
	}
	out := slices.Sorted(maps.Keys(set))
	// posts first: where most items are.
	if i := slices.Index(out, "posts"); i > 0 {
		out = append([]string{"posts"}, slices.Delete(out, i, i+1)...)
	}
	return out
}

// Marker returns the token under which an item created with key is found:
// WordPress 6.1's REST API cannot filter by post meta without server-side
// code, but it can search post content; the token sits in an HTML comment
// at the end of the content, is letters and digits only (so the search
// does not split it), and is derived from the key by SHA-256, so any key
// maps to one token.
func Marker(key string) string {
	sum := sha256.Sum256([]byte(key))
	return "igny8k" + hex.EncodeToString(sum[:16])
}

func markerComment(key string) string { return "<!-- igny8:idempotency " + Marker(key) + " -->" }

// wpPost is the part of a post the adapter reads. WordPress sends [] for
// empty objects (meta), so those are left as raw JSON.
type wpPost struct {
	ID            int64   `json:"id"`
	Link          string  `json:"link"`
	ModifiedGMT   string  `json:"modified_gmt"`
	Status        string  `json:"status"`
	Slug          string  `json:"slug"`
	FeaturedMedia int64   `json:"featured_media"`
	Categories    []int64 `json:"categories"`
	Tags          []int64 `json:"tags"`
	Title         struct {
		Raw string `json:"raw"`
	} `json:"title"`
	Content struct {
		Raw string `json:"raw"`
	} `json:"content"`
	Meta json.RawMessage `json:"meta"`
}

// Publish creates or updates the item's post: terms created when missing,
// images uploaded and the HTML's image URLs rewritten, then the post
// written and checked, since WordPress drops invalid featured_media and
// term ids without an error.
func (c *Client) Publish(ctx context.Context, item publishing.Item) (publishing.Receipt, error) {
	const op = "wordpress.Publish"
	if err := item.Validate(op); err != nil {
		return publishing.Receipt{}, err
	}
	var postID int64
	if item.RemoteID != "" {
		id, err := strconv.ParseInt(item.RemoteID, 10, 64)
		if err != nil || id <= 0 {
			return publishing.Receipt{}, igny8.InvalidArgument(op, "remote_id", "%q is not a WordPress post id", item.RemoteID)
		}
		postID = id
	}
	if err := c.ensureChecked(ctx); err != nil {
		return publishing.Receipt{}, err
	}
	coll := c.collection(item.Type)
	if item.RemoteKind != "" && item.RemoteID != "" {
		if !validBase(item.RemoteKind) {
			return publishing.Receipt{}, igny8.InvalidArgument(op, "remote_kind", "%q is not a REST base", item.RemoteKind)
		}
		coll = item.RemoteKind
	}
	body, want, err := c.postBody(ctx, op, coll, item)
	if err != nil {
		return publishing.Receipt{}, err
	}
	path := coll
	if postID != 0 {
		path = coll + "/" + strconv.FormatInt(postID, 10)
	}
	var post wpPost
	if _, err := c.do(ctx, op, call{method: http.MethodPost, path: path, body: body, query: url.Values{"context": {"edit"}}}, &post); err != nil {
		return publishing.Receipt{}, err
	}
	if post.ID == 0 {
		return publishing.Receipt{}, &publishing.RemoteError{Op: op, Code: igny8.CodeUnavailable, Uncertain: true, Message: "WordPress answered without a post id"}
	}
	if err := c.verify(ctx, op, coll, &post, want); err != nil {
		return publishing.Receipt{}, err
	}
	return publishing.Receipt{RemoteID: strconv.FormatInt(post.ID, 10), URL: post.Link, Kind: coll, IdempotencyKey: item.IdempotencyKey, RemoteStatus: post.Status}, nil
}

// expected is what a written post must show.
type expected struct {
	featured   int64
	categories []int64
	tags       []int64
	// meta maps a post meta key to the item field it came from.
	meta map[string]string
}

// supportsTerms reports whether a collection takes categories and tags:
// posts do; pages and custom types by default do not.
func supportsTerms(coll string) bool { return coll == "posts" }

func (c *Client) postBody(ctx context.Context, op, coll string, item publishing.Item) (map[string]any, expected, error) {
	var want expected
	html := item.HTML
	if len(item.Images) > 0 {
		urls := make(map[string]string, len(item.Images))
		for i, img := range item.Images {
			m, err := c.upload(ctx, op, fmt.Sprintf("images[%d]", i), item.Scope, img)
			if err != nil {
				return nil, want, err
			}
			urls[img.Key] = m.SourceURL
		}
		html = rewriteImages(html, urls)
	}
	if item.FeaturedImage != nil {
		m, err := c.upload(ctx, op, "featured_image", item.Scope, *item.FeaturedImage)
		if err != nil {
			return nil, want, err
		}
		want.featured = m.ID
	}
	body := map[string]any{
		"title":   item.Title,
		"content": html + "\n" + markerComment(item.IdempotencyKey),
		"excerpt": item.Excerpt,
	}
	if item.Slug != "" {
		body["slug"] = item.Slug
	}
	switch item.Status {
	case publishing.StatusDraft:
		body["status"] = "draft"
	case publishing.StatusPublish:
		body["status"] = "publish"
	case publishing.StatusScheduled:
		body["status"] = "future"
		body["date_gmt"] = item.ScheduledAt.UTC().Format("2006-01-02T15:04:05")
	}
	if want.featured != 0 {
		body["featured_media"] = want.featured
	} else if item.RemoteID != "" {
		body["featured_media"] = 0
	}
	if supportsTerms(coll) {
		var err error
		if want.categories, err = c.termIDs(ctx, op, "categories", item.Categories); err != nil {
			return nil, want, err
		}
		if want.tags, err = c.termIDs(ctx, op, "tags", item.Tags); err != nil {
			return nil, want, err
		}
		if len(want.categories) > 0 {
			body["categories"] = want.categories
		}
		body["tags"] = orEmpty(want.tags)
	}
	if item.Author != "" {
		id, err := c.authorID(ctx, op, item.Author)
		if err != nil {
			return nil, want, err
		}
		body["author"] = id
	}
	meta := map[string]string{}
	if c.opts.MetaTitleKey != "" && item.MetaTitle != "" {
		meta[c.opts.MetaTitleKey] = item.MetaTitle
		want.meta = map[string]string{c.opts.MetaTitleKey: "meta_title"}
	}
	if c.opts.MetaDescriptionKey != "" && item.MetaDescription != "" {
		meta[c.opts.MetaDescriptionKey] = item.MetaDescription
		if want.meta == nil {
			want.meta = map[string]string{}
		}
		want.meta[c.opts.MetaDescriptionKey] = "meta_description"
	}
	if len(meta) > 0 {
		body["meta"] = meta
	}
	return body, want, nil
}

func orEmpty(s []int64) []int64 {
	if s == nil {
		return []int64{}
	}
	return s
}

// verify checks that WordPress kept the featured image and terms (it drops
// invalid ids silently); when it did not, it resolves the terms again
// (one may have been deleted since it was cached) and writes once more.
func (c *Client) verify(ctx context.Context, op, coll string, post *wpPost, want expected) error {
	missing := func() []string {
		var m []string
		if want.featured != 0 && post.FeaturedMedia != want.featured {
			m = append(m, fmt.Sprintf("featured_media %d (kept %d)", want.featured, post.FeaturedMedia))
		}
		if !containsAll(post.Categories, want.categories) {
			m = append(m, fmt.Sprintf("categories %v (kept %v)", want.categories, post.Categories))
		}
		if !containsAll(post.Tags, want.tags) {
			m = append(m, fmt.Sprintf("tags %v (kept %v)", want.tags, post.Tags))
		}
		return m
	}
	if len(want.meta) > 0 {
		// WordPress ignores meta keys no plugin registered, and sends []
		// for an empty meta object.
		kept := map[string]json.RawMessage{}
		_ = json.Unmarshal(post.Meta, &kept)
		for _, key := range slices.Sorted(maps.Keys(want.meta)) {
			if _, ok := kept[key]; !ok {
				return &publishing.RemoteError{Op: op, Code: igny8.CodeInvalidArgument, Field: want.meta[key],
					Message: fmt.Sprintf("WordPress ignored post meta %q: no plugin registers it for the REST API (show_in_rest)", key)}
			}
		}
	}
	m := missing()
	if len(m) == 0 {
		return nil
	}
	c.log.WarnContext(ctx, "wordpress: write dropped references, writing again", "post_id", post.ID, "dropped", m)
	fix := map[string]any{}
	if want.featured != 0 && post.FeaturedMedia != want.featured {
		fix["featured_media"] = want.featured
	}
	if !containsAll(post.Categories, want.categories) || !containsAll(post.Tags, want.tags) {
		c.forgetTerms(want.categories, want.tags)
		return &publishing.RemoteError{Op: op, Code: igny8.CodeUnavailable, Uncertain: true,
			Message: fmt.Sprintf("WordPress dropped %s of post %d; the cached term ids were forgotten, retry", strings.Join(m, ", "), post.ID)}
	}
	if _, err := c.do(ctx, op, call{method: http.MethodPost, path: coll + "/" + strconv.FormatInt(post.ID, 10), body: fix, query: url.Values{"context": {"edit"}}}, post); err != nil {
		return err
	}
	if m := missing(); len(m) > 0 {
		return &publishing.RemoteError{Op: op, Code: igny8.CodeInvalidArgument, Field: "featured_image",
			Message: fmt.Sprintf("WordPress refuses %s on post %d", strings.Join(m, ", "), post.ID)}
	}
	return nil
}

func containsAll(have, want []int64) bool {
	for _, w := range want {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return true
}

// Unpublish moves the post to the trash (or deletes it with
// DeleteOnUnpublish). A post already trashed or gone is not an error.
func (c *Client) Unpublish(ctx context.Context, r publishing.Receipt) error {
	const op = "wordpress.Unpublish"
	id, err := strconv.ParseInt(r.RemoteID, 10, 64)
	if err != nil || id <= 0 {
		return igny8.InvalidArgument(op, "remote_id", "%q is not a WordPress post id", r.RemoteID)
	}
	coll := r.Kind
	if coll == "" {
		coll = c.collection(publishing.TypePost)
	}
	if !validBase(coll) {
		return igny8.InvalidArgument(op, "kind", "%q is not a REST base", coll)
	}
	if err := c.ensureChecked(ctx); err != nil {
		return err
	}
	q := url.Values{}
	if c.opts.DeleteOnUnpublish {
		q.Set("force", "true")
	}
	_, err = c.do(ctx, op, call{method: http.MethodDelete, path: coll + "/" + strconv.FormatInt(id, 10), query: q}, nil)
	if err != nil && (igny8.CodeOf(err) == igny8.CodeNotFound || isRemoteCode(err, "rest_already_trashed")) {
		return nil
	}
	return err
}

// FindByKey finds the live post (any status but trash) created with key,
// by searching the marker token in the post types the client writes. If
// several carry it, the oldest wins.
func (c *Client) FindByKey(ctx context.Context, key string) (publishing.Receipt, bool, error) {
	const op = "wordpress.FindByKey"
	if key == "" {
		return publishing.Receipt{}, false, igny8.InvalidArgument(op, "key", "is required")
	}
	if err := c.ensureChecked(ctx); err != nil {
		return publishing.Receipt{}, false, err
	}
	token := Marker(key)
	for _, coll := range c.collections() {
		var posts []wpPost
		q := url.Values{
			"search": {token}, "status": {"publish,future,draft,pending,private"}, "context": {"edit"},
			"orderby": {"id"}, "order": {"asc"}, "per_page": {"10"}, "_fields": {"id,link,status,content"},
		}
		if _, err := c.do(ctx, op, call{method: http.MethodGet, path: coll, query: q}, &posts); err != nil {
			if igny8.CodeOf(err) == igny8.CodeNotFound && isRemoteCode(err, "rest_no_route") {
				continue // a configured type this site does not have
			}
			return publishing.Receipt{}, false, err
		}
		for _, p := range posts {
			if strings.Contains(p.Content.Raw, token) {
				if len(posts) > 1 {
					c.log.WarnContext(ctx, "wordpress: several posts carry one idempotency key", "key", key, "count", len(posts))
				}
				return publishing.Receipt{RemoteID: strconv.FormatInt(p.ID, 10), URL: p.Link, Kind: coll, IdempotencyKey: key, RemoteStatus: p.Status}, true, nil
			}
		}
	}
	return publishing.Receipt{}, false, nil
}

// Post is a post as Get reads it back.
type Post struct {
	ID            int64
	Status        string
	Slug          string
	Link          string
	Title         string
	Content       string
	FeaturedMedia int64
	Categories    []int64
	Tags          []int64
}

// Get reads a post back (context=edit), for checks and tests.
func (c *Client) Get(ctx context.Context, kind, remoteID string) (Post, error) {
	const op = "wordpress.Get"
	if kind == "" {
		kind = "posts"
	}
	if !validBase(kind) {
		return Post{}, igny8.InvalidArgument(op, "kind", "%q is not a REST base", kind)
	}
	id, err := strconv.ParseInt(remoteID, 10, 64)
	if err != nil || id <= 0 {
		return Post{}, igny8.InvalidArgument(op, "remote_id", "%q is not a WordPress post id", remoteID)
	}
	var p wpPost
	if _, err := c.do(ctx, op, call{method: http.MethodGet, path: kind + "/" + remoteID, query: url.Values{"context": {"edit"}}}, &p); err != nil {
		return Post{}, err
	}
	return Post{ID: p.ID, Status: p.Status, Slug: p.Slug, Link: p.Link, Title: p.Title.Raw, Content: p.Content.Raw,
		FeaturedMedia: p.FeaturedMedia, Categories: p.Categories, Tags: p.Tags}, nil
}
