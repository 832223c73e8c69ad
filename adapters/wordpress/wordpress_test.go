package wordpress_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/igny8/sdk/adapters/wordpress"
	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/publishing"
	"github.com/igny8/sdk/publishing/publishertest"
)

var testScope = igny8.Scope{AccountID: "acct-wp", SiteID: "site-wp"}

func tok() string {
	var b [5]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// rest calls the WordPress REST API directly, to check what the adapter
// wrote without trusting it.
func rest(t *testing.T, method, path string, body any, out any) (int, http.Header) {
	t.Helper()
	u, user, pw := wordpressEnv(t)
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(context.WithoutCancel(t.Context()), method, u+"/wp-json/wp/v2/"+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.SetBasicAuth(user, pw)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if out != nil && resp.StatusCode < 300 {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatalf("%s %s: decode %s: %v", method, path, data, err)
		}
	}
	return resp.StatusCode, resp.Header
}

func item(name string) publishing.Item {
	k := tok()
	return publishing.Item{
		Scope: testScope, ContentID: "c-" + k, Version: 1, Type: publishing.TypePost,
		Title: name + " " + k, Slug: strings.ToLower(strings.ReplaceAll(name, " ", "-")) + "-" + k,
		HTML: "<p>Body " + k + "</p>", Excerpt: "Summary " + k, Status: publishing.StatusPublish,
		IdempotencyKey: "key-" + k,
	}
}

func TestConformance(t *testing.T) {
	var client *wordpress.Client
	publishertest.RunWith(t, publishertest.Config{
		New: func(t *testing.T) publishing.Publisher {
			client = newClient(t)
			return client
		},
		Denied: func(t *testing.T) publishing.Publisher {
			return newClient(t, func(o *wordpress.Options) { o.AppPassword = "wrong wrong wrong wrong" })
		},
		Inspect: func(ctx context.Context, t *testing.T, r publishing.Receipt) (publishertest.Snapshot, error) {
			p, err := client.Get(ctx, r.Kind, r.RemoteID)
			if errors.Is(err, igny8.ErrNotFound) {
				return publishertest.Snapshot{}, nil
			}
			if err != nil {
				return publishertest.Snapshot{}, err
			}
			return publishertest.Snapshot{Live: p.Status != "trash", Title: p.Title, HTML: p.Content}, nil
		},
		Scope: testScope,
	})
}

func TestWrongPasswordIsPermissionDeniedWithWordPressMessage(t *testing.T) {
	c := newClient(t, func(o *wordpress.Options) { o.AppPassword = "abcd efgh ijkl mnop qrst uvwx" })
	for name, call := range map[string]func() error{
		"Check":     func() error { return c.Check(t.Context()) },
		"Publish":   func() error { _, err := c.Publish(t.Context(), item("Denied")); return err },
		"FindByKey": func() error { _, _, err := c.FindByKey(t.Context(), "k"); return err },
	} {
		t.Run(name, func(t *testing.T) {
			err := call()
			if !errors.Is(err, igny8.ErrPermissionDenied) {
				t.Fatalf("err = %v, want PermissionDenied", err)
			}
			if !strings.Contains(err.Error(), "You are not currently logged in.") {
				t.Fatalf("err = %q, want WordPress's message", err)
			}
		})
	}
}

func TestBadFieldIsInvalidArgumentNamingIt(t *testing.T) {
	c := newClient(t)
	st := newMemStorage()
	exe := []byte("MZ\x90\x00not really a program")
	if _, err := st.Put(t.Context(), testScope, "files/tool.exe", bytes.NewReader(exe), "application/x-msdownload"); err != nil {
		t.Fatal(err)
	}
	withStorage := newClient(t, func(o *wordpress.Options) { o.Storage = st })
	cases := []struct {
		name    string
		client  *wordpress.Client
		mutate  func(*publishing.Item)
		field   string
		message string
	}{
		{"unknown author id", c, func(it *publishing.Item) { it.Author = "987654" }, "author", "Invalid author ID."},
		{"unknown author login", c, func(it *publishing.Item) { it.Author = "nobody-" + tok() }, "author", "has no user"},
		{"forbidden upload type (WordPress answers 500)", withStorage, func(it *publishing.Item) {
			it.FeaturedImage = &publishing.Image{Key: "files/tool.exe"}
		}, "featured_image", "not allowed to upload this file type"},
		{"missing image", c, func(it *publishing.Item) { it.Images = []publishing.Image{{Key: "images/none.png"}} }, "images[0]", "not found"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			it := item("Bad field")
			tc.mutate(&it)
			r, err := tc.client.Publish(t.Context(), it)
			if err == nil {
				_ = tc.client.Unpublish(t.Context(), r)
				t.Fatal("Publish succeeded")
			}
			var re *publishing.RemoteError
			var ie *igny8.Error
			field := ""
			switch {
			case errors.As(err, &re):
				field = re.Field
			case errors.As(err, &ie):
				field = ie.Field
			}
			if !errors.Is(err, igny8.ErrInvalidArgument) || field != tc.field || !strings.Contains(err.Error(), tc.message) {
				t.Fatalf("err = %v (field %q), want InvalidArgument on %q with %q", err, field, tc.field, tc.message)
			}
		})
	}
}

func pngBytes(t *testing.T, c color.Color) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 16, 16))
	for x := range 16 {
		for y := range 16 {
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestImagesTermsAndRepublish(t *testing.T) {
	st := newMemStorage()
	k := tok()
	// Unique bytes per run, so the media are new to this WordPress.
	red := pngBytes(t, color.RGBA{R: 200, G: uint8(k[0]), B: uint8(k[1]), A: 255})
	blue := pngBytes(t, color.RGBA{R: uint8(k[2]), G: uint8(k[3]), B: 200, A: 255})
	for key, b := range map[string][]byte{"img/red.png": red, "img/blue.png": blue} {
		if _, err := st.Put(t.Context(), testScope, key, bytes.NewReader(b), "image/png"); err != nil {
			t.Fatal(err)
		}
	}
	c := newClient(t, func(o *wordpress.Options) { o.Storage = st })

	// A category that exists already is adopted (term_exists), not refused.
	cat := "Existing " + k
	var existing struct {
		ID int64 `json:"id"`
	}
	if code, _ := rest(t, http.MethodPost, "categories", map[string]string{"name": cat}, &existing); code != 201 {
		t.Fatalf("create category: HTTP %d", code)
	}
	t.Cleanup(func() { rest(t, http.MethodDelete, fmt.Sprintf("categories/%d?force=true", existing.ID), nil, nil) })

	it := item("Images")
	it.Categories = []string{cat, "New " + k}
	it.Tags = []string{"tag-" + k}
	it.FeaturedImage = &publishing.Image{Key: "img/red.png", Alt: "a red square"}
	it.Images = []publishing.Image{{Key: "img/blue.png", Alt: "blue"}}
	it.HTML = `<p>Look:</p><img src="img/blue.png" alt="blue"><p>` + k + `</p>`
	r, err := c.Publish(t.Context(), it)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rest(t, http.MethodDelete, "posts/"+r.RemoteID+"?force=true", nil, nil) })

	var post struct {
		FeaturedMedia int64   `json:"featured_media"`
		Categories    []int64 `json:"categories"`
		Tags          []int64 `json:"tags"`
		Content       struct {
			Raw string `json:"raw"`
		} `json:"content"`
		Excerpt struct {
			Raw string `json:"raw"`
		} `json:"excerpt"`
		Slug   string `json:"slug"`
		Status string `json:"status"`
	}
	rest(t, http.MethodGet, "posts/"+r.RemoteID+"?context=edit", nil, &post)
	var media struct {
		ID        int64  `json:"id"`
		AltText   string `json:"alt_text"`
		SourceURL string `json:"source_url"`
	}
	if code, _ := rest(t, http.MethodGet, fmt.Sprintf("media/%d?context=edit", post.FeaturedMedia), nil, &media); code != 200 {
		t.Fatalf("featured media %d: HTTP %d", post.FeaturedMedia, code)
	}
	t.Cleanup(func() { rest(t, http.MethodDelete, fmt.Sprintf("media/%d?force=true", media.ID), nil, nil) })
	if media.AltText != "a red square" {
		t.Errorf("featured image alt = %q", media.AltText)
	}
	if got := fetch(t, media.SourceURL); !bytes.Equal(got, red) {
		t.Errorf("featured image served %d bytes, want the stored %d", len(got), len(red))
	}
	var inline []struct {
		ID        int64  `json:"id"`
		SourceURL string `json:"source_url"`
	}
	rest(t, http.MethodGet, "media?search="+url.QueryEscape("igny8-")+"&per_page=100&_fields=id,source_url", nil, &inline)
	blueURL := ""
	for _, m := range inline {
		if strings.Contains(post.Content.Raw, `src="`+m.SourceURL+`"`) {
			blueURL = m.SourceURL
			id := m.ID
			t.Cleanup(func() { rest(t, http.MethodDelete, fmt.Sprintf("media/%d?force=true", id), nil, nil) })
		}
	}
	if blueURL == "" || strings.Contains(post.Content.Raw, `src="img/blue.png"`) {
		t.Fatalf("inline image not rewritten: %s", post.Content.Raw)
	}
	if got := fetch(t, blueURL); !bytes.Equal(got, blue) {
		t.Errorf("inline image served %d bytes, want %d", len(got), len(blue))
	}
	if len(post.Categories) != 2 || post.Categories[0] != existing.ID && post.Categories[1] != existing.ID {
		t.Errorf("categories = %v, want the existing %d and a new one", post.Categories, existing.ID)
	}
	for _, id := range post.Categories {
		if id != existing.ID {
			t.Cleanup(func() { rest(t, http.MethodDelete, fmt.Sprintf("categories/%d?force=true", id), nil, nil) })
		}
	}
	for _, id := range post.Tags {
		t.Cleanup(func() { rest(t, http.MethodDelete, fmt.Sprintf("tags/%d?force=true", id), nil, nil) })
	}
	if len(post.Tags) != 1 || post.Excerpt.Raw != it.Excerpt || post.Slug != it.Slug || post.Status != "publish" {
		t.Errorf("post = %+v", post)
	}

	// Republish a changed version: same post, new content, images reused.
	it.Version, it.RemoteID, it.RemoteKind = 2, r.RemoteID, r.Kind
	it.HTML = `<p>Changed</p><img src="img/blue.png" alt="blue">`
	r2, err := c.Publish(t.Context(), it)
	if err != nil {
		t.Fatal(err)
	}
	if r2.RemoteID != r.RemoteID {
		t.Fatalf("republish made post %s, want %s", r2.RemoteID, r.RemoteID)
	}
	rest(t, http.MethodGet, "posts/"+r.RemoteID+"?context=edit", nil, &post)
	if !strings.Contains(post.Content.Raw, "<p>Changed</p>") || !strings.Contains(post.Content.Raw, blueURL) || post.FeaturedMedia != media.ID {
		t.Fatalf("after republish: content %q featured %d (want %d)", post.Content.Raw, post.FeaturedMedia, media.ID)
	}
}

func fetch(t *testing.T, u string) []byte {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return b
}

func TestPagesScheduledAndDrafts(t *testing.T) {
	c := newClient(t, func(o *wordpress.Options) { o.DeleteOnUnpublish = true })
	when := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Second)
	cases := []struct {
		name       string
		mutate     func(*publishing.Item)
		kind       string
		wantStatus string
	}{
		{"page", func(it *publishing.Item) { it.Type = publishing.TypePage }, "pages", "publish"},
		{"scheduled post", func(it *publishing.Item) { it.Status, it.ScheduledAt = publishing.StatusScheduled, when }, "posts", "future"},
		{"draft", func(it *publishing.Item) { it.Status = publishing.StatusDraft }, "posts", "draft"},
		{"other type maps to posts", func(it *publishing.Item) { it.Type = publishing.TypeProduct }, "posts", "publish"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			it := item(tc.name)
			tc.mutate(&it)
			r, err := c.Publish(t.Context(), it)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = c.Unpublish(context.WithoutCancel(t.Context()), r) })
			if r.Kind != tc.kind || r.RemoteStatus != tc.wantStatus {
				t.Fatalf("receipt = %+v, want kind %s status %s", r, tc.kind, tc.wantStatus)
			}
			found, ok, err := c.FindByKey(t.Context(), it.IdempotencyKey)
			if err != nil || !ok || found.RemoteID != r.RemoteID || found.Kind != tc.kind {
				t.Fatalf("FindByKey = %+v %v %v, want %s in %s", found, ok, err, r.RemoteID, tc.kind)
			}
			if tc.wantStatus == "future" {
				var p struct {
					DateGMT string `json:"date_gmt"`
				}
				rest(t, http.MethodGet, "posts/"+r.RemoteID+"?context=edit", nil, &p)
				if p.DateGMT != when.Format("2006-01-02T15:04:05") {
					t.Fatalf("date_gmt = %q, want %s", p.DateGMT, when.Format(time.RFC3339))
				}
			}
		})
	}
}
