package wordpress

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/publishing"
)

var _ publishing.Updater = (*Client)(nil)

// wpTime is the layout of WordPress's *_gmt dates (UTC, no zone).
const wpTime = "2006-01-02T15:04:05"

// pageFields are the fields FindPage and UpdatePage read.
const pageFields = "id,link,modified_gmt,status,content"

// FindPage finds the post, page or post of a configured type whose public
// address is pageURL, with its raw content (context=edit). It looks the
// page up by the slug in the URL's last path segment (or by the id of a
// plain permalink, ?p= or ?page_id=) in every collection the client writes
// to, and keeps only a page whose link is pageURL: same host, port, path
// (a trailing slash aside) and query; the scheme is not compared, so that
// a site crawled over https matches a WordPress that names itself over
// http. Only published pages are looked at: those a crawl reaches. A page
// WordPress does not have, and the home page (which has no slug), answer
// false, not an error.
func (c *Client) FindPage(ctx context.Context, pageURL string) (publishing.RemotePage, bool, error) {
	const op = "wordpress.FindPage"
	u, err := url.Parse(pageURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return publishing.RemotePage{}, false, igny8.InvalidArgument(op, "page_url", "must be an absolute http(s) URL, got %q", pageURL)
	}
	want := pageKey(u)
	if err := c.ensureChecked(ctx); err != nil {
		return publishing.RemotePage{}, false, err
	}
	q := u.Query()
	for _, byID := range []struct{ param, coll string }{{"p", "posts"}, {"page_id", "pages"}} {
		id, err := strconv.ParseInt(q.Get(byID.param), 10, 64)
		if err != nil || id <= 0 {
			continue
		}
		var p wpPost
		_, err = c.do(ctx, op, call{method: http.MethodGet, path: byID.coll + "/" + strconv.FormatInt(id, 10),
			query: url.Values{"context": {"edit"}, "_fields": {pageFields}}}, &p)
		if igny8.CodeOf(err) == igny8.CodeNotFound {
			continue
		}
		if err != nil {
			return publishing.RemotePage{}, false, err
		}
		if linkMatches(p.Link, want) {
			return remotePage(byID.coll, p), true, nil
		}
	}
	slug := lastSegment(u)
	if slug == "" {
		return publishing.RemotePage{}, false, nil
	}
	for _, coll := range c.collections() {
		var posts []wpPost
		q := url.Values{"slug": {slug}, "context": {"edit"}, "per_page": {"100"}, "_fields": {pageFields}}
		if _, err := c.do(ctx, op, call{method: http.MethodGet, path: coll, query: q}, &posts); err != nil {
			if igny8.CodeOf(err) == igny8.CodeNotFound && isRemoteCode(err, "rest_no_route") {
				continue // a configured type this site does not have
			}
			return publishing.RemotePage{}, false, err
		}
		for _, p := range posts {
			if linkMatches(p.Link, want) {
				return remotePage(coll, p), true, nil
			}
		}
	}
	return publishing.RemotePage{}, false, nil
}

// UpdatePage writes content as the raw content of the page, after reading
// the page again: when its modified date or its raw content differ from
// what page holds (an editor saved it since it was read), it fails with
// Conflict and writes nothing. WordPress has no conditional write, so a
// save that lands between that read and the write (milliseconds) is not
// seen. It returns the page as WordPress stored it: a user without the
// unfiltered_html capability has the content filtered (kses), which the
// caller can see by comparing.
func (c *Client) UpdatePage(ctx context.Context, page publishing.RemotePage, content string) (publishing.RemotePage, error) {
	const op = "wordpress.UpdatePage"
	id, err := strconv.ParseInt(page.ID, 10, 64)
	if err != nil || id <= 0 {
		return publishing.RemotePage{}, igny8.InvalidArgument(op, "page.id", "%q is not a WordPress post id", page.ID)
	}
	coll := page.Kind
	if coll == "" {
		coll = "posts"
	}
	if !validBase(coll) {
		return publishing.RemotePage{}, igny8.InvalidArgument(op, "page.kind", "%q is not a REST base", page.Kind)
	}
	if strings.TrimSpace(content) == "" {
		return publishing.RemotePage{}, igny8.InvalidArgument(op, "content", "is empty")
	}
	if err := c.ensureChecked(ctx); err != nil {
		return publishing.RemotePage{}, err
	}
	path := coll + "/" + strconv.FormatInt(id, 10)
	var cur wpPost
	if _, err := c.do(ctx, op, call{method: http.MethodGet, path: path, query: url.Values{"context": {"edit"}, "_fields": {pageFields}}}, &cur); err != nil {
		return publishing.RemotePage{}, err
	}
	now := remotePage(coll, cur)
	// A page taken down (trashed, made a draft) in the second since it was
	// read keeps its modified date and content: its status tells.
	if cur.Status != "" && cur.Status != "publish" {
		return publishing.RemotePage{}, igny8.Errorf(igny8.CodeConflict, op,
			"%s %d is no longer published at WordPress (status %q); read it again", coll, id, cur.Status)
	}
	if !now.Modified.Equal(page.Modified) || now.Content != page.Content {
		return publishing.RemotePage{}, igny8.Errorf(igny8.CodeConflict, op,
			"%s %d changed at WordPress since it was read (modified %s, read at %s); read it again",
			coll, id, now.Modified.Format(time.RFC3339), page.Modified.Format(time.RFC3339))
	}
	var post wpPost
	if _, err := c.do(ctx, op, call{method: http.MethodPost, path: path, body: map[string]any{"content": content},
		query: url.Values{"context": {"edit"}, "_fields": {pageFields}}}, &post); err != nil {
		return publishing.RemotePage{}, err
	}
	if post.ID != id {
		return publishing.RemotePage{}, &publishing.RemoteError{Op: op, Code: igny8.CodeUnavailable, Uncertain: true,
			Message: fmt.Sprintf("WordPress answered the update of %s %d with post %d", coll, id, post.ID)}
	}
	c.log.InfoContext(ctx, "wordpress: page content updated", "kind", coll, "id", id, "url", post.Link)
	return remotePage(coll, post), nil
}

func remotePage(coll string, p wpPost) publishing.RemotePage {
	rp := publishing.RemotePage{ID: strconv.FormatInt(p.ID, 10), Kind: coll, URL: p.Link, Content: p.Content.Raw}
	if t, err := time.ParseInLocation(wpTime, p.ModifiedGMT, time.UTC); err == nil {
		rp.Modified = t
	}
	return rp
}

// lastSegment returns the last non-empty segment of u's path, as it is
// escaped in the URL and lower-cased (WordPress keeps non-ASCII slugs
// percent-encoded in lower case), or "" for the root.
func lastSegment(u *url.URL) string {
	p := strings.Trim(u.EscapedPath(), "/")
	if p == "" {
		return ""
	}
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		p = p[i+1:]
	}
	return strings.ToLower(p)
}

// pageKey is the form in which two addresses of one page compare equal:
// host and port (the scheme's default port dropped), the decoded path
// without a trailing slash, and the sorted query; no scheme, no fragment.
func pageKey(u *url.URL) string {
	host := strings.ToLower(strings.TrimRight(u.Hostname(), "."))
	switch port := u.Port(); {
	case port == "", port == "80" && u.Scheme == "http", port == "443" && u.Scheme == "https":
	default:
		host += ":" + port
	}
	p := strings.TrimRight(u.Path, "/")
	if dec, err := url.PathUnescape(u.EscapedPath()); err == nil {
		p = strings.TrimRight(dec, "/")
	}
	q := ""
	if u.RawQuery != "" {
		q = "?" + u.Query().Encode()
	}
	return host + strings.ToLower(p) + q
}

// linkMatches reports whether WordPress's link of a post is the page with
// key want.
func linkMatches(link, want string) bool {
	u, err := url.Parse(link)
	if err != nil || u.Host == "" {
		return false
	}
	return pageKey(u) == want
}
