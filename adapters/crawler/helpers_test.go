package crawler

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/igny8/sdk/siteaudit"
)

// site is an httptest server with a page map; the handler of a path may
// be set to anything.
type site struct {
	*httptest.Server
	mu     sync.Mutex
	pages  map[string]http.HandlerFunc
	agents map[string]int
	hits   map[string]int
}

func newSite(t *testing.T) *site {
	t.Helper()
	s := &site{pages: map[string]http.HandlerFunc{}, agents: map[string]int{}, hits: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		h := s.pages[r.URL.Path]
		s.agents[r.UserAgent()]++
		s.hits[r.URL.Path]++
		s.mu.Unlock()
		if h == nil {
			http.NotFound(w, r)
			return
		}
		h(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *site) handle(path string, h http.HandlerFunc) {
	s.mu.Lock()
	s.pages[path] = h
	s.mu.Unlock()
}

// html serves a page with a nav, a footer and a main part.
func (s *site) html(path, title, main string) {
	s.handle(path, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html><head><title>%s</title><meta name="description" content="About %s"></head>
<body><nav><a href="/">Home</a> <a href="/about">About us</a></nav><main>%s</main><footer>Copyright footer text</footer></body></html>`, title, title, main)
	})
}

func (s *site) text(path, body string) {
	s.handle(path, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprint(w, body)
	})
}

func (s *site) redirect(from, to string, code int) {
	s.handle(from, func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, to, code) })
}

func (s *site) hitCount(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

// loopback are options for crawling httptest servers.
func loopback(o Options) Options {
	o.AllowPrivateHosts = append(o.AllowPrivateHosts, "127.0.0.1")
	return o
}

// resolver maps test host names to addresses.
func resolver(m map[string]string) func(ctx context.Context, host string) ([]netip.Addr, error) {
	return func(ctx context.Context, host string) ([]netip.Addr, error) {
		a, ok := m[host]
		if !ok {
			return nil, fmt.Errorf("no such host %q", host)
		}
		return []netip.Addr{netip.MustParseAddr(a)}, nil
	}
}

func crawlAll(t *testing.T, c *Crawler, req siteaudit.CrawlRequest) (map[string]siteaudit.Page, siteaudit.CrawlStats) {
	t.Helper()
	pages := map[string]siteaudit.Page{}
	stats, err := c.Crawl(context.Background(), req, func(p siteaudit.Page) error {
		if _, dup := pages[p.URL]; dup {
			t.Errorf("page %s visited twice", p.URL)
		}
		pages[p.URL] = p
		return nil
	})
	if err != nil {
		t.Fatalf("Crawl: %v", err)
	}
	return pages, stats
}

func mustNew(t *testing.T, o Options) *Crawler {
	t.Helper()
	c, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func paths(base string, pages map[string]siteaudit.Page) []string {
	var out []string
	for u := range pages {
		out = append(out, strings.TrimPrefix(u, base))
	}
	sort.Strings(out)
	return out
}
