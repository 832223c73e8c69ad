package wordpress_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/igny8/sdk/adapters/sqlstore"
	"github.com/igny8/sdk/adapters/sqlstore/sqlstoretest"
	"github.com/igny8/sdk/adapters/wordpress"
	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/publishing"
)

// Fault kinds of faultProxy.
const (
	faultDrop      = "drop connection after WordPress acted"
	fault500Before = "500 before WordPress"
	fault500After  = "500 after WordPress acted"
	fault429       = "429 with Retry-After"
	faultDelay     = "delay past the client timeout after WordPress acted"
)

// faultProxy sits between the adapter and WordPress and fails every
// every-th request, cycling through the fault kinds.
type faultProxy struct {
	target string
	every  int
	delay  time.Duration

	mu     sync.Mutex
	n      int
	counts map[string]int
}

func (p *faultProxy) pick() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n++
	if p.n%p.every != 0 {
		return ""
	}
	kinds := []string{faultDrop, fault500Before, fault500After, fault429, faultDelay}
	k := kinds[(p.n/p.every)%len(kinds)]
	p.counts[k]++
	return k
}

func (p *faultProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	fault := p.pick()
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return
	}
	switch fault {
	case fault500Before:
		http.Error(w, "<html><body>502 Bad Gateway</body></html>", http.StatusInternalServerError)
		return
	case fault429:
		w.Header().Set("Retry-After", "1")
		http.Error(w, `{"code":"too_many_requests","message":"Slow down.","data":{"status":429}}`, http.StatusTooManyRequests)
		return
	}
	req, err := http.NewRequestWithContext(context.WithoutCancel(r.Context()), r.Method, p.target+r.URL.RequestURI(), bytes.NewReader(body))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	for _, h := range []string{"Authorization", "Content-Type", "Content-Disposition", "Accept"} {
		if v := r.Header.Get(h); v != "" {
			req.Header.Set(h, v)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	switch fault {
	case faultDrop:
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
		return
	case fault500After:
		http.Error(w, "<html><body>504 Gateway Timeout</body></html>", http.StatusInternalServerError)
		return
	case faultDelay:
		select {
		case <-time.After(p.delay):
		case <-r.Context().Done(): // the client gave up
		}
	}
	for _, h := range []string{"Content-Type", "X-WP-Total", "X-WP-TotalPages", "Retry-After"} {
		if v := resp.Header.Get(h); v != "" {
			w.Header().Set(h, v)
		}
	}
	w.WriteHeader(resp.StatusCode)
	_, _ = w.Write(data)
}

// TestFaultyNetworkPublishesEachItemOnce publishes 50 items at once through
// a proxy that drops connections after WordPress acted, answers 500 (before
// and after WordPress acted) and 429, and delays answers past the client's
// timeout. It must end with exactly 50 posts, counted by listing WordPress
// itself under a tag unique to this run, and 50 published records.
func TestFaultyNetworkPublishesEachItemOnce(t *testing.T) {
	const n = 50
	wpURL, user, pw := wordpressEnv(t)
	proxy := &faultProxy{target: wpURL, every: 4, delay: 8 * time.Second, counts: map[string]int{}}
	srv := httptest.NewServer(proxy)
	t.Cleanup(srv.Close)

	runTag := "fault-run-" + tok()
	var tag struct {
		ID int64 `json:"id"`
	}
	if code, _ := rest(t, http.MethodPost, "tags", map[string]string{"name": runTag}, &tag); code != http.StatusCreated {
		t.Fatalf("create run tag: HTTP %d", code)
	}

	keys, err := publishing.NewKeyring("k1", map[string][]byte{"k1": bytes.Repeat([]byte{7}, 32)})
	if err != nil {
		t.Fatal(err)
	}
	store := newPublishingStore(t)
	svc, err := publishing.NewService(store, keys, map[string]publishing.Factory{
		"wordpress": wordpress.Factory(wordpress.Options{Timeout: 6 * time.Second, DeleteOnUnpublish: true}),
	}, publishing.Options{MaxAttempts: 12, BaseDelay: 50 * time.Millisecond, MaxDelay: 400 * time.Millisecond, SkipCheck: true})
	if err != nil {
		t.Fatal(err)
	}
	scope := storeScope(t, store)
	dest, err := svc.RegisterDestination(t.Context(), scope, publishing.DestinationInput{
		Name: "faulty", Kind: "wordpress",
		Settings: map[string]string{wordpress.SettingURL: srv.URL, wordpress.SettingUser: user},
		Secret:   []byte(pw),
	})
	if err != nil {
		t.Fatal(err)
	}

	start := time.Now()
	errs := make([]error, n)
	recs := make([]publishing.Record, n)
	var wg sync.WaitGroup
	for i := range n {
		it := item(fmt.Sprintf("Fault %02d", i))
		it.Scope = igny8.Scope{}
		it.Tags = []string{runTag}
		wg.Go(func() { recs[i], errs[i] = svc.Publish(t.Context(), scope, dest.ID, it) })
	}
	wg.Wait()
	t.Logf("%d publishes through the faulty proxy in %s; faults injected: %v", n, time.Since(start).Round(time.Millisecond), proxy.counts)

	// Clean up through WordPress directly, whatever the outcome.
	t.Cleanup(func() {
		var del sync.WaitGroup
		sem := make(chan struct{}, 4) // the php server has 4 workers
		for _, id := range listTagged(t, tag.ID) {
			del.Go(func() {
				sem <- struct{}{}
				defer func() { <-sem }()
				rest(t, http.MethodDelete, "posts/"+strconv.FormatInt(id, 10)+"?force=true", nil, nil)
			})
		}
		del.Wait()
		rest(t, http.MethodDelete, fmt.Sprintf("tags/%d?force=true", tag.ID), nil, nil)
	})

	for i, err := range errs {
		if err != nil {
			t.Errorf("publish %d: %v", i, err)
		}
	}
	for kind, c := range proxy.counts {
		if c == 0 {
			t.Errorf("fault %q was never injected", kind)
		}
	}
	if len(proxy.counts) != 5 {
		t.Errorf("faults injected: %v, want all five kinds", proxy.counts)
	}

	posts := listTagged(t, tag.ID)
	if len(posts) != n {
		t.Errorf("WordPress has %d posts tagged %s, want exactly %d", len(posts), runTag, n)
	}
	published, err := svc.Records(t.Context(), scope, publishing.RecordQuery{DestinationID: dest.ID, Status: publishing.RecordPublished})
	if err != nil {
		t.Fatal(err)
	}
	if len(published) != n {
		t.Errorf("%d published records, want %d", len(published), n)
	}
	for _, r := range published {
		id, _ := strconv.ParseInt(r.RemoteID, 10, 64)
		if !slices.Contains(posts, id) {
			t.Errorf("record of %s names post %s, which is not among the tagged posts", r.ContentID, r.RemoteID)
		}
		if r.PublishedVersion != 1 || r.URL == "" {
			t.Errorf("record %+v", r)
		}
	}
}

// listTagged lists the ids of every post (any status but trash) with the
// tag, by asking WordPress.
func listTagged(t *testing.T, tagID int64) []int64 {
	t.Helper()
	var ids []int64
	for page := 1; ; page++ {
		var posts []struct {
			ID int64 `json:"id"`
		}
		code, h := rest(t, http.MethodGet, fmt.Sprintf("posts?tags=%d&status=publish,future,draft,pending,private&per_page=100&page=%d&_fields=id", tagID, page), nil, &posts)
		if code != http.StatusOK {
			t.Fatalf("list tagged posts: HTTP %d", code)
		}
		for _, p := range posts {
			ids = append(ids, p.ID)
		}
		total, _ := strconv.Atoi(h.Get("X-WP-TotalPages"))
		if page >= total {
			return ids
		}
	}
}

// newPublishingStore returns the store of the service tests: the SQL store
// on SQLite, as a host runs it.
func newPublishingStore(t *testing.T) *sqlstore.Store {
	t.Helper()
	return sqlstoretest.SQLite(t)
}

// storeScope creates a plan, account and site in the store.
func storeScope(t *testing.T, s *sqlstore.Store) igny8.Scope {
	t.Helper()
	ctx := t.Context()
	ten := igny8.NewTenancy(s, igny8.TenancyOptions{})
	plan, err := ten.CreatePlan(ctx, igny8.Plan{Name: "wp"})
	if err != nil {
		t.Fatal(err)
	}
	acct, err := ten.CreateAccount(ctx, igny8.Account{Name: "wp", PlanID: plan.ID})
	if err != nil {
		t.Fatal(err)
	}
	site, err := ten.CreateSite(ctx, igny8.Scope{AccountID: acct.ID}, igny8.Site{Name: "blog", Domain: "blog.example"})
	if err != nil {
		t.Fatal(err)
	}
	return site.Scope()
}
