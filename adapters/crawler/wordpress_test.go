package crawler

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/igny8/sdk/siteaudit"
)

// wordpressURL returns the URL of a real WordPress: WP_URL, or the local
// one scripts/wordpress/wp-up.sh starts (idempotent). Without one the test
// skips, or fails under CI=true.
func wordpressURL(t *testing.T) string {
	t.Helper()
	if u := os.Getenv("WP_URL"); u != "" {
		return u
	}
	fail := func(err error, log string) string {
		if os.Getenv("CI") == "true" {
			t.Fatalf("WordPress is required under CI=true and scripts/wordpress/wp-up.sh failed (run it as root on Debian 12, or export WP_URL): %v: %s", err, log)
		}
		t.Skipf("no WordPress (set WP_URL or run scripts/wordpress/wp-up.sh as root): %v", err)
		return ""
	}
	script, err := filepath.Abs(filepath.Join("..", "..", "scripts", "wordpress", "wp-up.sh"))
	if err != nil {
		return fail(err, "")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, script)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return fail(err, stderr.String())
	}
	for _, line := range strings.Split(string(out), "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "WP_URL="); ok && v != "" {
			return v
		}
	}
	return fail(os.ErrNotExist, "wp-up.sh printed no WP_URL: "+string(out))
}

// TestCrawlWordPress crawls the real WordPress of the publishing tests:
// its robots.txt (which disallows /wp-admin/), its pretty permalinks and
// its feeds and sitemaps as WordPress renders them.
func TestCrawlWordPress(t *testing.T) {
	if testing.Short() {
		t.Skip("short mode")
	}
	base := wordpressURL(t)
	c := mustNew(t, Options{AllowPrivate: true, MaxPages: 40, Parallelism: 2, PageTimeout: 20 * time.Second})
	pages, stats := crawlAll(t, c, siteaudit.CrawlRequest{Start: base, DiscoverSitemaps: true})
	home, ok := pages[strings.TrimRight(base, "/")+"/"]
	if !ok {
		t.Fatalf("home page not crawled; got %d pages", len(pages))
	}
	if home.Status != 200 || home.Title == "" || len(home.Links) == 0 {
		t.Errorf("home = status %d title %q links %d error %q", home.Status, home.Title, len(home.Links), home.Error)
	}
	var html int
	for u, p := range pages {
		if strings.Contains(u, "/wp-admin/") && !strings.Contains(u, "admin-ajax.php") {
			t.Errorf("robots.txt disallows %s, crawled with status %d", u, p.Status)
		}
		if p.Status == 200 && p.Title != "" {
			html++
		}
	}
	if html < 2 {
		t.Errorf("only %d HTML pages of %d crawled (stats %+v)", html, len(pages), stats)
	}
	t.Logf("WordPress: %d pages (%d HTML), %d errors, %d refused", len(pages), html, stats.Errors, len(stats.Refused))
}
