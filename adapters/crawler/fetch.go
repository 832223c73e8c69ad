package crawler

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"

	"github.com/temoto/robotstxt"

	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/siteaudit"
)

// Fetch reads each URL once (no links followed) under the crawler's
// safety rules, byte and time caps and each host's robots.txt, with at
// most Parallelism requests in flight. Redirects are followed on the
// URL's own host. A page that could not be read has its Error set; Fetch
// itself fails only on bad input or when ctx ends.
func (c *Crawler) Fetch(ctx context.Context, urls []string) ([]siteaudit.Page, error) {
	const op = "crawler.Fetch"
	norm := make([]string, len(urls))
	for i, u := range urls {
		n, ok := siteaudit.NormalizeURL(u, c.opts.Slash)
		if !ok {
			return nil, igny8.InvalidArgument(op, fmt.Sprintf("urls[%d]", i), "%q is not an absolute http or https URL", u)
		}
		norm[i] = n
	}
	f := &fetcher{c: c}
	f.client = newClient(c.opts, f.checkRedirect)
	f.robots = newRobots(f.client, c.opts.UserAgent)
	defer f.client.CloseIdleConnections()
	out := make([]siteaudit.Page, len(norm))
	sem := make(chan struct{}, c.opts.Parallelism)
	var wg sync.WaitGroup
	for i, u := range norm {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			return nil, igny8.Wrap(igny8.CodeUnavailable, op, ctx.Err())
		}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			out[i] = f.fetch(ctx, u)
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, igny8.Wrap(igny8.CodeUnavailable, op, err)
	}
	return out, nil
}

type fetcher struct {
	c      *Crawler
	client *http.Client
	robots *robots
}

func (f *fetcher) checkRedirect(req *http.Request, via []*http.Request) error {
	if s := req.URL.Scheme; s != "http" && s != "https" {
		return errScheme
	}
	if len(via) > f.c.opts.MaxRedirects {
		return errTooManyRedirects
	}
	if !siteaudit.NewSiteHosts(via[0].URL.Hostname()).Contains(req.URL.String()) {
		return http.ErrUseLastResponse
	}
	if via[0].URL.Path != "/robots.txt" && !f.robots.allowed(req.Context(), req.URL) {
		return errRobotsRedirect
	}
	return nil
}

// robots reads each host's robots.txt once, through the guarded client.
type robots struct {
	client *http.Client
	agent  string
	mu     sync.Mutex
	byHost map[string]*robotstxt.RobotsData
}

func newRobots(client *http.Client, agent string) *robots {
	return &robots{client: client, agent: agent, byHost: map[string]*robotstxt.RobotsData{}}
}

// read returns the host's robots.txt, fetched once.
func (r *robots) read(ctx context.Context, u *url.URL) *robotstxt.RobotsData {
	key := u.Scheme + "://" + u.Host
	r.mu.Lock()
	rd, ok := r.byHost[key]
	r.mu.Unlock()
	if ok {
		return rd
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, key+"/robots.txt", nil)
	if err == nil {
		req.Header.Set("User-Agent", r.agent)
		var res *http.Response
		if res, err = r.client.Do(req); err == nil {
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			rd, err = robotstxt.FromStatusAndBytes(res.StatusCode, body)
		}
	}
	if err != nil || rd == nil {
		rd, _ = robotstxt.FromStatusAndBytes(http.StatusNotFound, nil)
	}
	r.mu.Lock()
	r.byHost[key] = rd
	r.mu.Unlock()
	return rd
}

// allowed applies the host's robots.txt to u. A robots.txt that cannot be
// fetched or answers 4xx allows everything, as for search engines; one
// that answers 5xx disallows everything.
func (r *robots) allowed(ctx context.Context, u *url.URL) bool {
	return r.read(ctx, u).TestAgent(u.RequestURI(), r.agent)
}

func (f *fetcher) fetch(ctx context.Context, u string) siteaudit.Page {
	p := siteaudit.Page{URL: u, FinalURL: u}
	pu, err := url.Parse(u)
	if err != nil {
		p.Error = err.Error()
		return p
	}
	if !f.robots.allowed(ctx, pu) {
		p.Error = "blocked by robots.txt"
		return p
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		p.Error = err.Error()
		return p
	}
	req.Header.Set("User-Agent", f.c.opts.UserAgent)
	res, err := f.client.Do(req)
	if err != nil {
		if ue, ok := err.(*url.Error); ok {
			err = ue.Err
		}
		p.Error = err.Error()
		return p
	}
	defer res.Body.Close()
	p.Status = res.StatusCode
	if fu, ok := siteaudit.NormalizeURL(res.Request.URL.String(), f.c.opts.Slash); ok {
		p.FinalURL = fu
	}
	if res.StatusCode < 200 || res.StatusCode > 299 || !isHTML(res.Header.Get("Content-Type")) {
		return p
	}
	body, err := io.ReadAll(io.LimitReader(res.Body, int64(f.c.opts.MaxBytes)+1))
	if err != nil {
		p.Error = err.Error()
		return p
	}
	trunc := len(body) > f.c.opts.MaxBytes
	if trunc {
		body = body[:f.c.opts.MaxBytes]
	}
	ex := siteaudit.Extract(p.FinalURL, body, siteaudit.ExtractOptions{Slash: f.c.opts.Slash})
	ex.URL, ex.FinalURL, ex.Status, ex.Truncated = p.URL, p.FinalURL, p.Status, trunc
	ex.ETag = res.Header.Get("ETag")
	if lm, err := http.ParseTime(res.Header.Get("Last-Modified")); err == nil {
		ex.LastModified = lm.UTC()
	}
	return ex
}
