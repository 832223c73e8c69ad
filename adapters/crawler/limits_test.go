package crawler

import (
	"context"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/siteaudit"
)

// hub serves a home page linking to n pages that each take a while.
func hub(t *testing.T, n int, wait time.Duration) (*site, *atomic.Int32) {
	t.Helper()
	s := newSite(t)
	var inFlight, peak atomic.Int32
	home := ""
	for i := range n {
		home += fmt.Sprintf(`<a href="/p%d">p%d</a> `, i, i)
		s.handle(fmt.Sprintf("/p%d", i), func(w http.ResponseWriter, r *http.Request) {
			cur := inFlight.Add(1)
			defer inFlight.Add(-1)
			for {
				old := peak.Load()
				if cur <= old || peak.CompareAndSwap(old, cur) {
					break
				}
			}
			time.Sleep(wait)
			fmt.Fprint(w, "<html><body><p>page</p></body></html>")
		})
	}
	s.handle("/", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintf(w, "<html><body>%s</body></html>", home) })
	return s, &peak
}

func TestParallelismAndDelay(t *testing.T) {
	tests := []struct {
		name        string
		opts        Options
		maxPeak     int32
		minDuration time.Duration
	}{
		{"parallel 2", Options{Parallelism: 2}, 2, 0},
		{"parallel 1 with delay", Options{Parallelism: 1, Delay: 40 * time.Millisecond}, 1, 8 * 40 * time.Millisecond},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, peak := hub(t, 8, 20*time.Millisecond)
			start := time.Now()
			pages, _ := crawlAll(t, mustNew(t, loopback(tc.opts)), siteaudit.CrawlRequest{Start: s.URL})
			if len(pages) != 9 {
				t.Fatalf("pages = %d", len(pages))
			}
			if p := peak.Load(); p > tc.maxPeak || p < 1 {
				t.Errorf("peak requests in flight = %d, want at most %d", p, tc.maxPeak)
			}
			if el := time.Since(start); el < tc.minDuration {
				t.Errorf("crawl took %s, want at least %s", el, tc.minDuration)
			}
		})
	}
}

func TestCrawlCanceled(t *testing.T) {
	s, _ := hub(t, 20, 50*time.Millisecond)
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	_, err := mustNew(t, loopback(Options{Parallelism: 1})).Crawl(ctx, siteaudit.CrawlRequest{Start: s.URL}, func(p siteaudit.Page) error {
		n++
		if n == 3 {
			cancel()
		}
		return nil
	})
	if igny8.CodeOf(err) != igny8.CodeUnavailable {
		t.Errorf("err = %v, want Unavailable", err)
	}
	if n >= 21 {
		t.Errorf("the crawl went on after cancel: %d pages", n)
	}
}
