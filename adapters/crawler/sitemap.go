package crawler

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// sitemapDoc reads both <urlset> and <sitemapindex>.
type sitemapDoc struct {
	XMLName  xml.Name
	URLs     []sitemapLoc `xml:"url"`
	Sitemaps []sitemapLoc `xml:"sitemap"`
}

type sitemapLoc struct {
	Loc string `xml:"loc"`
}

// ParseSitemap reads a sitemap (<urlset>) or a sitemap index
// (<sitemapindex>), gzipped or not, and returns its page URLs and its
// child sitemap URLs.
func ParseSitemap(body []byte) (pages, sitemaps []string, err error) {
	if bytes.HasPrefix(body, []byte{0x1f, 0x8b}) {
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			return nil, nil, fmt.Errorf("sitemap: gzip: %w", err)
		}
		// A gzip bomb is cut at eight times the compressed cap.
		body, err = io.ReadAll(io.LimitReader(zr, int64(len(body))*8+1<<20))
		if err != nil {
			return nil, nil, fmt.Errorf("sitemap: gzip: %w", err)
		}
	}
	var d sitemapDoc
	dec := xml.NewDecoder(bytes.NewReader(body))
	dec.Strict = false
	if err := dec.Decode(&d); err != nil {
		return nil, nil, fmt.Errorf("sitemap: %w", err)
	}
	switch d.XMLName.Local {
	case "urlset", "sitemapindex":
	default:
		return nil, nil, fmt.Errorf("sitemap: root element <%s> is neither <urlset> nor <sitemapindex>", d.XMLName.Local)
	}
	for _, u := range d.URLs {
		if l := strings.TrimSpace(u.Loc); l != "" {
			pages = append(pages, l)
		}
	}
	for _, s := range d.Sitemaps {
		if l := strings.TrimSpace(s.Loc); l != "" {
			sitemaps = append(sitemaps, l)
		}
	}
	return pages, sitemaps, nil
}

// readSitemaps fetches a sitemap and, through sitemap indexes, its
// children (to a depth of three, each read once), and returns the page
// URLs, at most MaxSitemapURLs.
func (c *Crawler) readSitemaps(ctx context.Context, client *http.Client, root string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	var firstErr error
	var read func(u string, depth int)
	read = func(u string, depth int) {
		if seen[u] || depth > maxSitemapDepth || len(out) >= c.opts.MaxSitemapURLs {
			return
		}
		seen[u] = true
		body, err := c.get(ctx, client, u)
		if err == nil {
			var pages, children []string
			pages, children, err = ParseSitemap(body)
			for _, p := range pages {
				if len(out) >= c.opts.MaxSitemapURLs {
					break
				}
				out = append(out, p)
			}
			for _, ch := range children {
				read(ch, depth+1)
			}
		}
		if err != nil && firstErr == nil {
			firstErr = fmt.Errorf("%s: %w", u, err)
		}
	}
	read(root, 0)
	return out, firstErr
}

// get fetches one URL through the guarded client and returns its body,
// at most MaxBytes; a non-2xx answer is an error.
func (c *Crawler) get(ctx context.Context, client *http.Client, u string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", c.opts.UserAgent)
	res, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return nil, fmt.Errorf("HTTP %d", res.StatusCode)
	}
	return io.ReadAll(io.LimitReader(res.Body, int64(c.opts.MaxBytes)))
}
