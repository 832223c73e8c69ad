package wordpress

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/publishing"
)

// Bodies as WordPress 6.1.9 sends them (scripts/wordpress/README.md).
func TestMapError(t *testing.T) {
	cases := []struct {
		name      string
		status    int
		body      string
		header    http.Header
		code      igny8.Code
		field     string
		message   string
		uncertain bool
		after     time.Duration
	}{
		{"wrong password", 401, `{"code":"rest_not_logged_in","message":"You are not currently logged in.","data":{"status":401}}`, nil,
			igny8.CodePermissionDenied, "", "You are not currently logged in.", false, 0},
		{"cannot create", 401, `{"code":"rest_cannot_create","message":"Sorry, you are not allowed to create posts as this user.","data":{"status":401}}`, nil,
			igny8.CodePermissionDenied, "", "not allowed to create posts", false, 0},
		{"forbidden", 403, `{"code":"rest_cannot_delete","message":"Sorry, you are not allowed to delete this term.","data":{"status":403}}`, nil,
			igny8.CodePermissionDenied, "", "not allowed to delete", false, 0},
		{"invalid params", 400, `{"code":"rest_invalid_param","message":"Invalid parameter(s): status, categories","data":{"status":400,"params":{"status":"status is not one of publish, future, draft, pending, and private.","categories":"categories[0] is not of type integer."},"details":{}}}`, nil,
			igny8.CodeInvalidArgument, "categories", "categories[0] is not of type integer", false, 0},
		{"missing param", 400, `{"code":"rest_missing_callback_param","message":"Missing parameter(s): title","data":{"status":400,"params":["title"]}}`, nil,
			igny8.CodeInvalidArgument, "title", "Missing parameter(s): title", false, 0},
		{"invalid author", 400, `{"code":"rest_invalid_author","message":"Invalid author ID.","data":{"status":400}}`, nil,
			igny8.CodeInvalidArgument, "author", "Invalid author ID.", false, 0},
		{"invalid json", 400, `{"code":"rest_invalid_json","message":"Invalid JSON body passed.","data":{"status":400,"json_error_code":4}}`, nil,
			igny8.CodeInvalidArgument, "", "Invalid JSON body passed.", false, 0},
		{"no disposition", 400, `{"code":"rest_upload_no_content_disposition","message":"No Content-Disposition supplied.","data":{"status":400}}`, nil,
			igny8.CodeInvalidArgument, "file", "No Content-Disposition", false, 0},
		{"forbidden upload type is 500", 500, `{"code":"rest_upload_unknown_error","message":"Sorry, you are not allowed to upload this file type.","data":{"status":500}}`, nil,
			igny8.CodeInvalidArgument, "", "not allowed to upload this file type", false, 0},
		{"unknown post", 404, `{"code":"rest_post_invalid_id","message":"Invalid post ID.","data":{"status":404}}`, nil,
			igny8.CodeNotFound, "", "Invalid post ID.", false, 0},
		{"already trashed", 410, `{"code":"rest_already_trashed","message":"The post has already been deleted.","data":{"status":410}}`, nil,
			igny8.CodeNotFound, "", "already been deleted", false, 0},
		{"rate limited", 429, `Too Many Requests`, http.Header{"Retry-After": {"7"}},
			igny8.CodeUnavailable, "", "Too Many Requests", false, 7 * time.Second},
		{"proxy 502 page", 502, "<html>\n<body>Bad gateway</body></html>", nil,
			igny8.CodeUnavailable, "", "<html>", true, 0},
		{"fatal error", 500, `{"code":"internal_server_error","message":"There has been a critical error on this website.","data":{"status":500},"additional_errors":[]}`, nil,
			igny8.CodeUnavailable, "", "critical error", true, 0},
		{"data as array", 400, `{"code":"term_exists","message":"A term with the name provided already exists.","data":[]}`, nil,
			igny8.CodeInvalidArgument, "", "already exists", false, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := tc.header
			if h == nil {
				h = http.Header{}
			}
			re := mapError("wordpress.Test", tc.status, h, []byte(tc.body))
			if re.Code != tc.code || re.Field != tc.field || re.Uncertain != tc.uncertain || re.RetryAfter != tc.after || !strings.Contains(re.Message, tc.message) {
				t.Fatalf("mapError = %+v, want code %s field %q message ~%q uncertain %v after %s", re, tc.code, tc.field, tc.message, tc.uncertain, tc.after)
			}
			if igny8.CodeOf(re) != tc.code || !errors.Is(re, sentinelOf(tc.code)) {
				t.Fatalf("CodeOf/Is disagree with %s", tc.code)
			}
		})
	}
}

func sentinelOf(c igny8.Code) error {
	switch c {
	case igny8.CodePermissionDenied:
		return igny8.ErrPermissionDenied
	case igny8.CodeInvalidArgument:
		return igny8.ErrInvalidArgument
	case igny8.CodeNotFound:
		return igny8.ErrNotFound
	case igny8.CodeUnavailable:
		return igny8.ErrUnavailable
	}
	return igny8.ErrInternal
}

func TestTermExistsCarriesTheID(t *testing.T) {
	re := mapError("op", 400, http.Header{}, []byte(`{"code":"term_exists","message":"A term with the name provided already exists in this taxonomy.","data":{"status":400,"term_id":31},"additional_data":[31,31]}`))
	if id := existingTermID(re); id != 31 {
		t.Fatalf("term id = %d, want 31", id)
	}
	var _ *publishing.RemoteError = re
}

func TestRewriteImages(t *testing.T) {
	urls := map[string]string{"img/a b.png": "http://wp/uploads/a.png?x=1&y=2", "img/c.png": "http://wp/c.png"}
	cases := []struct{ name, in, want string }{
		{"double quotes", `<img src="img/c.png" alt="c">`, `<img src="http://wp/c.png" alt="c">`},
		{"single quotes", `<img alt='c' src='img/c.png'>`, `<img alt='c' src="http://wp/c.png">`},
		{"escaped URL", `<IMG class="x" SRC="img/a b.png">`, `<IMG class="x" SRC="http://wp/uploads/a.png?x=1&amp;y=2">`},
		{"unknown key stays", `<img src="img/z.png">`, `<img src="img/z.png">`},
		{"data-src is not src", `<img data-src="img/c.png">`, `<img data-src="img/c.png">`},
		{"text mentioning the key", `<p>img/c.png</p>`, `<p>img/c.png</p>`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := rewriteImages(tc.in, urls); got != tc.want {
				t.Fatalf("rewriteImages(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestMarker(t *testing.T) {
	a, b := Marker("key-1"), Marker("key-2")
	if a == b || len(a) != len("igny8k")+32 || Marker("key-1") != a {
		t.Fatalf("markers %q %q", a, b)
	}
	for _, r := range a {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			t.Fatalf("marker %q has %q, which WordPress search would split on", a, r)
		}
	}
}

func FuzzParseError(f *testing.F) {
	f.Add(400, []byte(`{"code":"rest_invalid_param","message":"Invalid parameter(s): status","data":{"status":400,"params":{"status":"bad"}}}`))
	f.Add(400, []byte(`{"code":"rest_missing_callback_param","message":"m","data":{"params":["title"]}}`))
	f.Add(400, []byte(`{"code":"term_exists","message":"m","data":{"status":400,"term_id":"12"}}`))
	f.Add(500, []byte("<html>\xff\xfe broken"))
	f.Add(401, []byte(`{"data":[]}`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if status < 100 || status > 999 {
			status = 400 + status%200
			if status < 400 {
				status += 200
			}
		}
		re := mapError("fuzz", status, http.Header{"Retry-After": {"1"}}, body)
		if re == nil || re.Code == "" || re.Message == "" {
			t.Fatalf("mapError(%d, %q) = %+v", status, body, re)
		}
		if status >= 400 && re.Code == igny8.CodeInternal {
			t.Fatalf("status %d mapped to internal", status)
		}
		_ = re.Error()
	})
}

func FuzzRewriteImages(f *testing.F) {
	f.Add(`<p>x</p><img src="img/a.png" alt="a"><img src='img/b.png'>`, "img/a.png")
	f.Add(`<img src=img/a.png>`, "img/a.png")
	f.Add(`<img src="&quot;">`, `"`)
	f.Fuzz(func(t *testing.T, doc, key string) {
		out := rewriteImages(doc, map[string]string{key: "http://wp/u.png"})
		if !strings.Contains(doc, key) && out != doc {
			t.Fatalf("rewrote %q without its key %q: %q", doc, key, out)
		}
		if again := rewriteImages(out, map[string]string{key: "http://wp/u.png"}); key != "http://wp/u.png" && again != out {
			t.Fatalf("a second rewrite changed %q to %q", out, again)
		}
	})
}

// fakeWP answers like WordPress but drops what drop says on the first
// post write.
func fakeWP(t *testing.T, dropFeatured, dropTags bool) (*Client, *int) {
	t.Helper()
	writes := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.URL.Path == "/wp-json/wp/v2/users/me":
			fmt.Fprint(w, `{"id":1}`)
		case r.URL.Path == "/wp-json/wp/v2/media" && r.Method == http.MethodGet:
			fmt.Fprint(w, `[{"id":9,"source_url":"http://wp/x.png"}]`)
		case r.URL.Path == "/wp-json/wp/v2/tags":
			w.WriteHeader(400)
			fmt.Fprint(w, `{"code":"term_exists","message":"exists","data":{"status":400,"term_id":5}}`)
		case strings.HasPrefix(r.URL.Path, "/wp-json/wp/v2/posts") && r.Method == http.MethodPost:
			writes++
			var body map[string]any
			_ = json.NewDecoder(r.Body).Decode(&body)
			fm, tags := body["featured_media"], body["tags"]
			if writes == 1 && dropFeatured {
				fm = 0
			}
			if dropTags {
				tags = []int{}
			}
			if tags == nil {
				tags = []int{5}
			}
			out, _ := json.Marshal(map[string]any{"id": 3, "link": "http://wp/p3", "status": "publish", "featured_media": fm, "tags": tags, "meta": []any{}})
			w.Write(out)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	st := storageOf(map[string][]byte{"img/x.png": []byte("png")})
	c, err := New(Options{BaseURL: srv.URL, User: "u", AppPassword: "p", Storage: st})
	if err != nil {
		t.Fatal(err)
	}
	return c, &writes
}

func TestVerifyAfterWrite(t *testing.T) {
	it := publishing.Item{Scope: igny8.Scope{AccountID: "a", SiteID: "s"}, ContentID: "c", Version: 1, Title: "T",
		Status: publishing.StatusPublish, IdempotencyKey: "k", Tags: []string{"go"}, FeaturedImage: &publishing.Image{Key: "img/x.png"}}
	t.Run("dropped featured image is written again", func(t *testing.T) {
		c, writes := fakeWP(t, true, false)
		if _, err := c.Publish(t.Context(), it); err != nil {
			t.Fatal(err)
		}
		if *writes != 2 {
			t.Fatalf("post writes = %d, want 2 (write, then fix)", *writes)
		}
	})
	t.Run("dropped tags fail as retryable and forget the cache", func(t *testing.T) {
		c, _ := fakeWP(t, false, true)
		_, err := c.Publish(t.Context(), it)
		var re *publishing.RemoteError
		if !errors.As(err, &re) || re.Code != igny8.CodeUnavailable || !re.Uncertain || !strings.Contains(re.Message, "tags") {
			t.Fatalf("err = %v, want an uncertain Unavailable naming the tags", err)
		}
		if _, ok := c.cachedTerm("tags", "go"); ok {
			t.Fatal("the dropped tag id is still cached")
		}
	})
}

type mapStorage map[string][]byte

func storageOf(m map[string][]byte) igny8.Storage { return mapStorage(m) }

func (m mapStorage) Put(context.Context, igny8.Scope, string, io.Reader, string) (igny8.ObjectInfo, error) {
	return igny8.ObjectInfo{}, errors.New("read only")
}

func (m mapStorage) Get(_ context.Context, _ igny8.Scope, key string) (io.ReadCloser, igny8.ObjectInfo, error) {
	b, ok := m[key]
	if !ok {
		return nil, igny8.ObjectInfo{}, igny8.NotFound("mapStorage.Get", "object", key)
	}
	return io.NopCloser(bytes.NewReader(b)), igny8.ObjectInfo{Key: key, Size: int64(len(b))}, nil
}

func (m mapStorage) Delete(context.Context, igny8.Scope, string) error { return nil }

func (m mapStorage) List(context.Context, igny8.Scope, string) ([]igny8.ObjectInfo, error) {
	return nil, nil
}

func (m mapStorage) Usage(context.Context, igny8.Scope) (int64, error) { return 0, nil }
