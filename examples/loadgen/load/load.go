// Package load is the load generator of the reference server
// (examples/server): it seeds a tenant with sites, sectors and keywords over
// the API, then runs many concurrent clients that mix reads and writes for
// a while, and reports throughput, rate-limited answers, failures and the
// latency percentiles of reads and writes. examples/loadgen runs it from
// the command line and examples/bench as the "server" benchmark.
package load

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Config configures Seed and Run.
type Config struct {
	// URL is the server's base URL (http://127.0.0.1:8080).
	URL string
	// Token is a superuser's API token, used by Seed only.
	Token string
	// Clients is the number of concurrent clients (default 200).
	Clients int
	// Duration is how long Run loads the server (default 30 s).
	Duration time.Duration
	// Sites is the number of sites the clients spread over (default 20).
	Sites int
	// Keywords is the number of keywords seeded per site (default 50).
	Keywords int
	// WriteEvery makes every n-th request of a client a write (default
	// 10; 0 keeps the default, a negative value means reads only).
	WriteEvery int
	// Think is the mean pause of a client between two requests, drawn
	// uniformly from [Think/2, 3·Think/2], with clients starting at random
	// within the first Think so that they do not move in lockstep (0: no
	// pause, a closed loop that measures the server's capacity).
	Think time.Duration
	// HTTPClient is used for every call (default: one with a connection
	// pool as large as Clients).
	HTTPClient *http.Client
}

func (c *Config) defaults() {
	if c.Clients <= 0 {
		c.Clients = 200
	}
	if c.Duration <= 0 {
		c.Duration = 30 * time.Second
	}
	if c.Sites <= 0 {
		c.Sites = 20
	}
	if c.Keywords <= 0 {
		c.Keywords = 50
	}
	if c.WriteEvery == 0 {
		c.WriteEvery = 10
	}
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConns: c.Clients * 2, MaxIdleConnsPerHost: c.Clients * 2}}
	}
}

// Fixture is what Seed made.
type Fixture struct {
	Owner, Editor, Viewer string
	// SectorPaths are /v1/sites/{site}/sectors/{sector} of every site.
	SectorPaths []string
	SitePaths   []string
}

// Report sums up a Run.
type Report struct {
	Clients     int           `json:"clients"`
	Elapsed     time.Duration `json:"elapsed"`
	Requests    int           `json:"requests"`
	Reads       int           `json:"reads"`
	Writes      int           `json:"writes"`
	RateLimited int           `json:"rate_limited"`
	// Failed counts requests that failed other than by the rate limit
	// (a transport error or any status but 2xx and 429).
	Failed   int           `json:"failed"`
	Failures []string      `json:"failures,omitempty"`
	ReadP50  time.Duration `json:"read_p50"`
	ReadP95  time.Duration `json:"read_p95"`
	ReadP99  time.Duration `json:"read_p99"`
	ReadMax  time.Duration `json:"read_max"`
	WriteP50 time.Duration `json:"write_p50"`
	WriteP99 time.Duration `json:"write_p99"`
}

func (r Report) String() string {
	return fmt.Sprintf("%d clients, %s: %d requests (%.0f/s), %d reads, %d writes, %d rate-limited, %d failed; reads p50 %s p95 %s p99 %s max %s; writes p50 %s p99 %s",
		r.Clients, r.Elapsed.Round(time.Millisecond), r.Requests, float64(r.Requests)/r.Elapsed.Seconds(), r.Reads, r.Writes, r.RateLimited, r.Failed,
		r.ReadP50, r.ReadP95, r.ReadP99, r.ReadMax, r.WriteP50, r.WriteP99)
}

type client struct {
	cfg *Config
}

// call makes one request and returns the status.
func (c client) call(ctx context.Context, method, path, token string, body, out any) (int, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.cfg.URL+path, rd)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.cfg.HTTPClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if out == nil {
		_, err = io.Copy(io.Discard, resp.Body)
		return resp.StatusCode, err
	}
	var env struct {
		Data  json.RawMessage `json:"data"`
		Error *struct{ Code, Message string }
	}
	if err := json.NewDecoder(resp.Body).Decode(&env); err != nil {
		return resp.StatusCode, err
	}
	if env.Error != nil {
		return resp.StatusCode, fmt.Errorf("%s %s: %d %s: %s", method, path, resp.StatusCode, env.Error.Code, env.Error.Message)
	}
	return resp.StatusCode, json.Unmarshal(env.Data, out)
}

// seed is call that waits out the rate limit (Retry-After) instead of
// failing, for the setup before a run.
func (c client) seed(ctx context.Context, method, path, token string, body, out any) error {
	for {
		status, err := c.call(ctx, method, path, token, body, out)
		if status != http.StatusTooManyRequests {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Second):
		}
	}
}

// Seed creates a plan, an account with an owner, editor and viewer, and
// cfg.Sites sites with a sector and cfg.Keywords keywords each.
func Seed(ctx context.Context, cfg Config) (*Fixture, error) {
	cfg.defaults()
	c := client{&cfg}
	var plan struct{ ID string }
	if err := c.seed(ctx, "POST", "/v1/plans", cfg.Token, map[string]any{"name": "load"}, &plan); err != nil {
		return nil, err
	}
	var acct struct {
		Token struct{ Token string } `json:"token"`
	}
	name := "load-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	if err := c.seed(ctx, "POST", "/v1/accounts", cfg.Token, map[string]any{"name": name, "plan_id": plan.ID, "owner_email": "owner@" + name + ".example", "credits": 100000}, &acct); err != nil {
		return nil, err
	}
	f := &Fixture{Owner: acct.Token.Token}
	for _, role := range []string{"editor", "viewer"} {
		var u struct{ ID string }
		if err := c.seed(ctx, "POST", "/v1/users", f.Owner, map[string]any{"email": role + "@" + name + ".example", "role": role}, &u); err != nil {
			return nil, err
		}
		var tok struct{ Token string }
		if err := c.seed(ctx, "POST", "/v1/users/"+u.ID+"/tokens", f.Owner, map[string]any{"name": role}, &tok); err != nil {
			return nil, err
		}
		if role == "editor" {
			f.Editor = tok.Token
		} else {
			f.Viewer = tok.Token
		}
	}
	for i := range cfg.Sites {
		var site, sec struct{ ID string }
		if err := c.seed(ctx, "POST", "/v1/sites", f.Owner, map[string]any{"name": fmt.Sprintf("site %d", i)}, &site); err != nil {
			return nil, err
		}
		if err := c.seed(ctx, "POST", "/v1/sites/"+site.ID+"/sectors", f.Owner, map[string]any{"name": "sector"}, &sec); err != nil {
			return nil, err
		}
		sp := "/v1/sites/" + site.ID + "/sectors/" + sec.ID
		kws := make([]any, cfg.Keywords)
		for k := range kws {
			kws[k] = map[string]any{"text": fmt.Sprintf("seed keyword %d %d", i, k), "volume": 10 * k}
		}
		if err := c.seed(ctx, "POST", sp+"/keywords", f.Editor, map[string]any{"keywords": kws}, nil); err != nil {
			return nil, err
		}
		f.SitePaths = append(f.SitePaths, "/v1/sites/"+site.ID)
		f.SectorPaths = append(f.SectorPaths, sp)
	}
	return f, nil
}

// Run loads the server for cfg.Duration with cfg.Clients clients; client i
// works on site i mod Sites and cycles through its reads (the site, a page
// of keywords, the clusters, the sector), writing a new keyword every
// WriteEvery-th request.
func Run(ctx context.Context, cfg Config, f *Fixture) (Report, error) {
	cfg.defaults()
	if len(f.SectorPaths) == 0 {
		return Report{}, errors.New("load.Run: the fixture has no sites")
	}
	c := client{&cfg}
	ctx, cancel := context.WithTimeout(ctx, cfg.Duration)
	defer cancel()
	type result struct {
		reads, writes []time.Duration
		limited, n    int
		failures      []string
		failed        int
	}
	results := make([]result, cfg.Clients)
	var seq atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for i := range cfg.Clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := &results[i]
			site := i % len(f.SectorPaths)
			sp := f.SectorPaths[site]
			reads := []string{f.SitePaths[site], sp + "/keywords?limit=20", sp + "/clusters", sp}
			if cfg.Think > 0 {
				time.Sleep(rand.N(cfg.Think))
			}
			for n := 0; ctx.Err() == nil; n++ {
				write := cfg.WriteEvery > 0 && n%cfg.WriteEvery == cfg.WriteEvery-1
				t0 := time.Now()
				var status int
				var err error
				if write {
					kw := fmt.Sprintf("load keyword %d", seq.Add(1))
					status, err = c.call(ctx, "POST", sp+"/keywords", f.Editor, map[string]any{"keywords": []any{map[string]any{"text": kw}}}, nil)
				} else {
					status, err = c.call(ctx, "GET", reads[n%len(reads)], f.Viewer, nil, nil)
				}
				d := time.Since(t0)
				if ctx.Err() != nil {
					return // the run ended mid-request: not counted
				}
				if cfg.Think > 0 {
					time.Sleep(cfg.Think/2 + rand.N(cfg.Think))
				}
				res.n++
				switch {
				case err != nil || (status >= 300 && status != http.StatusTooManyRequests):
					res.failed++
					if len(res.failures) < 3 {
						res.failures = append(res.failures, fmt.Sprintf("status %d: %v", status, err))
					}
				case status == http.StatusTooManyRequests:
					res.limited++
				case write:
					res.writes = append(res.writes, d)
				default:
					res.reads = append(res.reads, d)
				}
			}
		}()
	}
	wg.Wait()
	rep := Report{Clients: cfg.Clients, Elapsed: time.Since(start)}
	var reads, writes []time.Duration
	for _, r := range results {
		rep.Requests += r.n
		rep.RateLimited += r.limited
		rep.Failed += r.failed
		if len(rep.Failures) < 10 {
			rep.Failures = append(rep.Failures, r.failures...)
		}
		reads = append(reads, r.reads...)
		writes = append(writes, r.writes...)
	}
	rep.Reads, rep.Writes = len(reads), len(writes)
	slices.Sort(reads)
	slices.Sort(writes)
	rep.ReadP50, rep.ReadP95, rep.ReadP99 = pct(reads, 50), pct(reads, 95), pct(reads, 99)
	if len(reads) > 0 {
		rep.ReadMax = reads[len(reads)-1]
	}
	rep.WriteP50, rep.WriteP99 = pct(writes, 50), pct(writes, 99)
	return rep, nil
}

// pct is the p-th percentile of sorted durations (nearest rank).
func pct(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := (len(sorted)*p + 99) / 100
	if i < 1 {
		i = 1
	}
	return sorted[i-1]
}
