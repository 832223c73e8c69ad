package wordpress

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"html"
	"io"
	"mime"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/publishing"
)

type wpMedia struct {
	ID        int64  `json:"id"`
	SourceURL string `json:"source_url"`
}

// upload puts an image from Storage into the media library, once: the file
// is named after the SHA-256 of its bytes, and an image whose name is
// already in the library (an earlier attempt, another post) is reused, so
// retries do not fill the library with copies.
func (c *Client) upload(ctx context.Context, op, field string, scope igny8.Scope, img publishing.Image) (wpMedia, error) {
	if c.storage == nil {
		return wpMedia{}, igny8.InvalidArgument(op, field, "the item has images but the WordPress client has no Storage to read them from")
	}
	rc, info, err := c.storage.Get(ctx, scope, img.Key)
	if err != nil {
		if errors.Is(err, igny8.ErrNotFound) || errors.Is(err, igny8.ErrInvalidArgument) {
			return wpMedia{}, igny8.InvalidArgument(op, field, "image %q: %v", img.Key, err)
		}
		return wpMedia{}, igny8.Wrap(igny8.CodeUnavailable, op, err)
	}
	data, err := io.ReadAll(io.LimitReader(rc, c.opts.MaxImageBytes+1))
	rc.Close()
	if err != nil {
		return wpMedia{}, igny8.Wrap(igny8.CodeUnavailable, op, err)
	}
	if int64(len(data)) > c.opts.MaxImageBytes {
		return wpMedia{}, igny8.InvalidArgument(op, field, "image %q is larger than %d bytes", img.Key, c.opts.MaxImageBytes)
	}
	ctype := info.ContentType
	ext := strings.ToLower(path.Ext(img.Key))
	if ctype == "" {
		ctype = mime.TypeByExtension(ext)
	}
	if ctype == "" {
		ctype = http.DetectContentType(data)
	}
	if ext == "" || len(ext) > 6 {
		if exts, _ := mime.ExtensionsByType(ctype); len(exts) > 0 {
			ext = exts[0]
		}
	}
	sum := sha256.Sum256(data)
	slug := "igny8-" + hex.EncodeToString(sum[:12])

	var found []wpMedia
	q := url.Values{"slug": {slug}, "_fields": {"id,source_url"}}
	if _, err := c.do(ctx, op, call{method: http.MethodGet, path: "media", query: q}, &found); err != nil {
		return wpMedia{}, err
	}
	if len(found) > 0 {
		return found[0], nil
	}
	q = url.Values{}
	if img.Alt != "" {
		q.Set("alt_text", img.Alt)
	}
	var m wpMedia
	_, err = c.do(ctx, op, call{
		method: http.MethodPost, path: "media", query: q, raw: bytes.NewReader(data),
		header: map[string]string{
			"Content-Type":        ctype,
			"Content-Disposition": mime.FormatMediaType("attachment", map[string]string{"filename": slug + ext}),
		},
	}, &m)
	if err != nil {
		var re *publishing.RemoteError
		if errors.As(err, &re) && re.Code == igny8.CodeInvalidArgument && re.Field == "" {
			re.Field = field
		}
		return wpMedia{}, err
	}
	if m.ID == 0 || m.SourceURL == "" {
		return wpMedia{}, &publishing.RemoteError{Op: op, Code: igny8.CodeUnavailable, Uncertain: true, Field: field, Message: "WordPress answered the upload without an id or URL"}
	}
	return m, nil
}

var imgSrc = regexp.MustCompile(`(?i)(<img\b[^>]*?\ssrc\s*=\s*)("[^"]*"|'[^']*')`)

// rewriteImages points the src of every <img> whose src is a storage key in
// urls at the uploaded file.
func rewriteImages(doc string, urls map[string]string) string {
	return imgSrc.ReplaceAllStringFunc(doc, func(m string) string {
		sub := imgSrc.FindStringSubmatch(m)
		val := html.UnescapeString(sub[2][1 : len(sub[2])-1])
		u, ok := urls[val]
		if !ok {
			return m
		}
		return sub[1] + `"` + html.EscapeString(u) + `"`
	})
}

func termKey(tax, name string) string { return tax + "\x00" + strings.ToLower(strings.TrimSpace(name)) }

// termIDs resolves term names to ids, creating the terms that are
// missing; a term_exists answer (it exists, or another call created it a
// moment ago) gives the id it names.
func (c *Client) termIDs(ctx context.Context, op, tax string, names []string) ([]int64, error) {
	var ids []int64
	for i, name := range names {
		name = strings.TrimSpace(name)
		id, ok := c.cachedTerm(tax, name)
		if !ok {
			var err error
			if id, err = c.createTerm(ctx, op, tax, name, i); err != nil {
				return nil, err
			}
		}
		if !containsID(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids, nil
}

// createTerm creates a term, or adopts the id of a term_exists answer.
func (c *Client) createTerm(ctx context.Context, op, tax, name string, i int) (int64, error) {
	c.termMu.Lock()
	defer c.termMu.Unlock()
	if id, ok := c.cachedTerm(tax, name); ok {
		return id, nil // another publish created it while this one waited
	}
	var t struct {
		ID int64 `json:"id"`
	}
	_, err := c.do(ctx, op, call{method: http.MethodPost, path: tax, body: map[string]string{"name": name}}, &t)
	id := t.ID
	switch {
	case err == nil:
	case isRemoteCode(err, "term_exists"):
		if id = existingTermID(err); id == 0 {
			return 0, igny8.Errorf(igny8.CodeInternal, op, "%s %q exists but WordPress did not say its id: %w", tax, name, err)
		}
	default:
		var re *publishing.RemoteError
		if errors.As(err, &re) && re.Code == igny8.CodeInvalidArgument {
			re.Field = tax + "[" + strconv.Itoa(i) + "]"
		}
		return 0, err
	}
	c.mu.Lock()
	c.terms[termKey(tax, name)] = id
	c.mu.Unlock()
	return id, nil
}

func (c *Client) cachedTerm(tax, name string) (int64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	id, ok := c.terms[termKey(tax, name)]
	return id, ok
}

func containsID(s []int64, id int64) bool {
	for _, v := range s {
		if v == id {
			return true
		}
	}
	return false
}

// existingTermID reads data.term_id of a term_exists error.
func existingTermID(err error) int64 {
	var te *termExistsError
	if errors.As(err, &te) {
		return te.id
	}
	return 0
}

// forgetTerms drops cached ids that WordPress did not keep.
func (c *Client) forgetTerms(idLists ...[]int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, id := range c.terms {
		for _, ids := range idLists {
			if containsID(ids, id) {
				delete(c.terms, k)
			}
		}
	}
}

// authorID resolves an author given as a user id or a user slug (login).
func (c *Client) authorID(ctx context.Context, op, author string) (int64, error) {
	if id, err := strconv.ParseInt(author, 10, 64); err == nil && id > 0 {
		return id, nil
	}
	c.mu.Lock()
	id, ok := c.authors[author]
	c.mu.Unlock()
	if ok {
		return id, nil
	}
	var users []struct {
		ID int64 `json:"id"`
	}
	q := url.Values{"slug": {author}, "context": {"edit"}, "_fields": {"id"}}
	if _, err := c.do(ctx, op, call{method: http.MethodGet, path: "users", query: q}, &users); err != nil {
		return 0, err
	}
	if len(users) == 0 {
		return 0, igny8.InvalidArgument(op, "author", "WordPress has no user %q", author)
	}
	c.mu.Lock()
	c.authors[author] = users[0].ID
	c.mu.Unlock()
	return users[0].ID, nil
}
