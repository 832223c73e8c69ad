package wordpress_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/igny8/sdk/adapters/wordpress"
	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/publishing"
)

// fakePost is a post of fakeWP.
type fakePost struct {
	coll, slug, link, modified, raw string
	status                          string // "" is publish
}

// fakeWP answers the REST calls of FindPage and UpdatePage like WordPress
// 6.1 does (bodies as scripts/wordpress/wp-smoke.sh sees them).
type fakeWP struct {
	mu       sync.Mutex
	posts    map[int64]*fakePost
	requests []string
	writes   []string // content of each write
	// noRoute are collections the site does not have.
	noRoute map[string]bool
}

func (f *fakeWP) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	f.mu.Lock()
	f.requests = append(f.requests, r.Method+" "+r.URL.RequestURI())
	f.mu.Unlock()
	if user, pw, ok := r.BasicAuth(); !ok || user != "editor" || pw != "abcdabcdabcdabcdabcdabcd" {
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"code":"rest_not_logged_in","message":"You are not currently logged in.","data":{"status":401}}`)
		return
	}
	path := strings.TrimPrefix(r.URL.Path, "/wp-json/wp/v2/")
	if path == "users/me" {
		fmt.Fprint(w, `{"id":1,"name":"editor"}`)
		return
	}
	coll, idStr, _ := strings.Cut(path, "/")
	if f.noRoute[coll] {
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"code":"rest_no_route","message":"No route was found matching the URL and request method.","data":{"status":404}}`)
		return
	}
	if r.URL.Query().Get("context") != "edit" {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `{"code":"test_no_edit_context","message":"raw content needs context=edit","data":{"status":400}}`)
		return
	}
	if idStr == "" && r.Method == http.MethodGet {
		f.mu.Lock()
		var out []map[string]any
		for id := int64(1); id <= int64(len(f.posts))+10; id++ {
			if p, ok := f.posts[id]; ok && p.coll == coll && p.slug == r.URL.Query().Get("slug") {
				out = append(out, p.json(id))
			}
		}
		f.mu.Unlock()
		if out == nil {
			fmt.Fprint(w, `[]`)
			return
		}
		_ = json.NewEncoder(w).Encode(out)
		return
	}
	id, _ := strconv.ParseInt(idStr, 10, 64)
	f.mu.Lock()
	defer f.mu.Unlock()
	p, ok := f.posts[id]
	if !ok || p.coll != coll {
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"code":"rest_post_invalid_id","message":"Invalid post ID.","data":{"status":404}}`)
		return
	}
	if r.Method == http.MethodPost {
		var body struct {
			Content string `json:"content"`
		}
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		p.raw = body.Content
		p.modified = "2026-11-26T15:00:00"
		f.writes = append(f.writes, body.Content)
	}
	_ = json.NewEncoder(w).Encode(p.json(id))
}

func (p *fakePost) json(id int64) map[string]any {
	status := p.status
	if status == "" {
		status = "publish"
	}
	return map[string]any{"id": id, "link": p.link, "modified_gmt": p.modified, "slug": p.slug, "status": status,
		"content": map[string]any{"raw": p.raw, "rendered": "<p>rendered</p>\n", "protected": false}}
}

func (f *fakeWP) count(prefix string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, r := range f.requests {
		if strings.HasPrefix(r, prefix) {
			n++
		}
	}
	return n
}

func newFakeWP(t *testing.T) (*fakeWP, *wordpress.Client, string) {
	t.Helper()
	f := &fakeWP{posts: map[int64]*fakePost{}, noRoute: map[string]bool{"products": true}}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	base := srv.URL
	f.posts[4] = &fakePost{coll: "posts", slug: "espresso-grinders", link: base + "/espresso-grinders/", modified: "2026-11-20T08:30:00", raw: "<p>Burr grinders.</p>"}
	f.posts[5] = &fakePost{coll: "posts", slug: "news", link: base + "/2026/11/news/", modified: "2026-11-20T08:31:00", raw: "<p>Old news.</p>"}
	f.posts[6] = &fakePost{coll: "pages", slug: "about", link: base + "/company/about/", modified: "2026-11-20T08:32:00", raw: "<p>About us.</p>"}
	f.posts[7] = &fakePost{coll: "pages", slug: "about", link: base + "/shop/about/", modified: "2026-11-20T08:33:00", raw: "<p>About the shop.</p>"}
	f.posts[8] = &fakePost{coll: "posts", slug: "", link: base + "/?p=8", modified: "2026-11-20T08:34:00", raw: "<p>Plain permalink.</p>"}
	c, err := wordpress.New(wordpress.Options{BaseURL: base, User: "editor", AppPassword: "abcd abcd abcd abcd abcd abcd",
		Types: map[string]string{"product": "products"}})
	if err != nil {
		t.Fatal(err)
	}
	return f, c, base
}

func TestFindPage(t *testing.T) {
	f, c, base := newFakeWP(t)
	cases := []struct {
		name  string
		url   string
		found bool
		id    string
		kind  string
		raw   string
	}{
		{"post by slug", base + "/espresso-grinders/", true, "4", "posts", "<p>Burr grinders.</p>"},
		{"without the trailing slash, other scheme and case", strings.Replace(base, "http://", "https://", 1) + "/Espresso-Grinders", true, "4", "posts", "<p>Burr grinders.</p>"},
		{"page among pages of one slug, by its parent", base + "/shop/about/", true, "7", "pages", "<p>About the shop.</p>"},
		{"plain permalink", base + "/?p=8", true, "8", "posts", "<p>Plain permalink.</p>"},
		{"slug of another post", base + "/espresso-grinders/old/news/", false, "", "", ""},
		{"link of another path", base + "/news/", false, "", "", ""},
		{"link of another host", "http://blog.example/espresso-grinders/", false, "", "", ""},
		{"unknown slug", base + "/no-such-post/", false, "", "", ""},
		{"unknown plain permalink", base + "/?p=99", false, "", "", ""},
		{"home page", base + "/", false, "", "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, found, err := c.FindPage(t.Context(), tc.url)
			if err != nil {
				t.Fatal(err)
			}
			if found != tc.found || p.ID != tc.id || p.Kind != tc.kind || p.Content != tc.raw {
				t.Fatalf("FindPage(%s) = %+v, %v; want id %q kind %q", tc.url, p, found, tc.id, tc.kind)
			}
			if found && (p.Modified.IsZero() || p.Modified.Location() != time.UTC || !strings.HasPrefix(p.URL, base)) {
				t.Errorf("page = %+v", p)
			}
		})
	}
	if n := f.count("GET /wp-json/wp/v2/products"); n == 0 {
		t.Errorf("the configured products type was not looked at")
	}

	if _, _, err := c.FindPage(t.Context(), "/espresso-grinders/"); !isField(err, igny8.CodeInvalidArgument, "page_url") {
		t.Errorf("relative URL: %v, want InvalidArgument on page_url", err)
	}
	bad, _ := wordpress.New(wordpress.Options{BaseURL: base, User: "editor", AppPassword: "wrong"})
	_, _, err := bad.FindPage(t.Context(), base+"/espresso-grinders/")
	var re *publishing.RemoteError
	if !errors.Is(err, igny8.ErrPermissionDenied) || !errors.As(err, &re) || re.Status != 401 {
		t.Errorf("wrong password: %v, want PermissionDenied (401)", err)
	}
}

func isField(err error, code igny8.Code, field string) bool {
	var e *igny8.Error
	return errors.As(err, &e) && e.Code == code && e.Field == field
}

func TestUpdatePage(t *testing.T) {
	f, c, base := newFakeWP(t)
	ctx := t.Context()
	p, found, err := c.FindPage(ctx, base+"/espresso-grinders/")
	if err != nil || !found {
		t.Fatalf("FindPage = %v %v", found, err)
	}
	newHTML := `<p>Burr <a href="/x/" data-igny8-link="l1">grinders</a>.</p>`
	got, err := c.UpdatePage(ctx, p, newHTML)
	if err != nil {
		t.Fatal(err)
	}
	if got.Content != newHTML || got.ID != "4" || got.Kind != "posts" || !got.Modified.After(p.Modified) || len(f.writes) != 1 || f.writes[0] != newHTML {
		t.Fatalf("UpdatePage = %+v, writes %q", got, f.writes)
	}

	t.Run("stale modified date", func(t *testing.T) {
		stale := p // read before the write above
		stale.Content = newHTML
		if _, err := c.UpdatePage(ctx, stale, "<p>other</p>"); !errors.Is(err, igny8.ErrConflict) || len(f.writes) != 1 {
			t.Fatalf("err = %v, writes %d; want Conflict and no write", err, len(f.writes))
		}
	})
	t.Run("stale content", func(t *testing.T) {
		stale := got
		stale.Content = "<p>Burr grinders.</p>"
		if _, err := c.UpdatePage(ctx, stale, "<p>other</p>"); !errors.Is(err, igny8.ErrConflict) || len(f.writes) != 1 {
			t.Fatalf("err = %v, writes %d; want Conflict and no write", err, len(f.writes))
		}
	})
	t.Run("taken down since read", func(t *testing.T) {
		f.mu.Lock()
		f.posts[4].status = "trash"
		f.mu.Unlock()
		defer func() { f.mu.Lock(); f.posts[4].status = ""; f.mu.Unlock() }()
		if _, err := c.UpdatePage(ctx, got, "<p>other</p>"); !errors.Is(err, igny8.ErrConflict) || len(f.writes) != 1 {
			t.Fatalf("err = %v, writes %d; want Conflict and no write", err, len(f.writes))
		}
	})
	t.Run("post gone", func(t *testing.T) {
		gone := got
		gone.ID = "99"
		if _, err := c.UpdatePage(ctx, gone, "<p>x</p>"); !errors.Is(err, igny8.ErrNotFound) {
			t.Fatalf("err = %v, want NotFound", err)
		}
	})
	t.Run("bad input", func(t *testing.T) {
		for _, tc := range []struct {
			page    publishing.RemotePage
			content string
			field   string
		}{
			{publishing.RemotePage{ID: "x", Kind: "posts"}, "<p>x</p>", "page.id"},
			{publishing.RemotePage{ID: "4", Kind: "../users"}, "<p>x</p>", "page.kind"},
			{publishing.RemotePage{ID: "4", Kind: "posts"}, "  ", "content"},
		} {
			if _, err := c.UpdatePage(ctx, tc.page, tc.content); !isField(err, igny8.CodeInvalidArgument, tc.field) {
				t.Errorf("UpdatePage(%+v, %q) = %v, want InvalidArgument on %s", tc.page, tc.content, err, tc.field)
			}
		}
	})
	t.Run("wrong password", func(t *testing.T) {
		bad, _ := wordpress.New(wordpress.Options{BaseURL: base, User: "editor", AppPassword: "wrong"})
		if _, err := bad.UpdatePage(ctx, got, "<p>x</p>"); !errors.Is(err, igny8.ErrPermissionDenied) {
			t.Fatalf("err = %v, want PermissionDenied", err)
		}
	})
	if n := f.count("POST "); n != 1 {
		t.Errorf("%d writes reached WordPress, want 1", n)
	}
}
