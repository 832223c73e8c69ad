package webhook_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/igny8/sdk/adapters/webhook"
	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/publishing"
	"github.com/igny8/sdk/publishing/publishertest"
)

var secret = []byte("0123456789abcdef0123456789abcdef")

func receiver(t *testing.T, backend publishing.Publisher) *httptest.Server {
	t.Helper()
	v, err := webhook.NewVerifier(webhook.VerifierOptions{}, secret)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(webhook.Handler(v, backend))
	t.Cleanup(srv.Close)
	return srv
}

func TestConformance(t *testing.T) {
	var cms *publishertest.Memory
	publishertest.RunWith(t, publishertest.Config{
		New: func(t *testing.T) publishing.Publisher {
			cms = publishertest.NewMemory()
			c, err := webhook.New(webhook.Options{URL: receiver(t, cms).URL, Secret: secret})
			if err != nil {
				t.Fatal(err)
			}
			return c
		},
		Denied: func(t *testing.T) publishing.Publisher {
			c, err := webhook.New(webhook.Options{URL: receiver(t, publishertest.NewMemory()).URL, Secret: []byte("another secret of enough bytes")})
			if err != nil {
				t.Fatal(err)
			}
			return c
		},
		Inspect: func(_ context.Context, _ *testing.T, r publishing.Receipt) (publishertest.Snapshot, error) {
			it, ok := cms.Get(r.RemoteID)
			return publishertest.Snapshot{Live: ok, Title: it.Title, HTML: it.HTML}, nil
		},
	})
}

// capture records the last request a client sent.
type capture struct {
	mu     sync.Mutex
	header http.Header
	body   []byte
}

func (c *capture) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	c.mu.Lock()
	c.header, c.body = r.Header.Clone(), b
	c.mu.Unlock()
	_, _ = w.Write([]byte(`{"remote_id":"7","url":"https://cms.example/7"}`))
}

func TestVerifyRefusesTamperingStaleAndReplays(t *testing.T) {
	cap := &capture{}
	srv := httptest.NewServer(cap)
	t.Cleanup(srv.Close)
	clock := igny8.NewManualClock(time.Unix(1_800_000_000, 0))
	c, err := webhook.New(webhook.Options{URL: srv.URL, Secret: secret, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	it := publishing.Item{Scope: igny8.Scope{AccountID: "a", SiteID: "s"}, ContentID: "c", Version: 1, Title: "T", Status: publishing.StatusDraft, IdempotencyKey: "k"}
	if _, err := c.Publish(t.Context(), it); err != nil {
		t.Fatal(err)
	}
	if got := cap.header.Get(webhook.HeaderIdempotencyKey); got != "k" {
		t.Errorf("Idempotency-Key = %q", got)
	}
	ts, _ := strconv.ParseInt(cap.header.Get(webhook.HeaderTimestamp), 10, 64)
	if ts != 1_800_000_000 {
		t.Fatalf("timestamp = %d", ts)
	}

	newVerifier := func(now time.Time) *webhook.Verifier {
		v, err := webhook.NewVerifier(webhook.VerifierOptions{MaxAge: time.Minute, Clock: igny8.NewManualClock(now)}, []byte("an old secret, being rotated out"), secret)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	at := time.Unix(ts, 0)
	mutate := func(f func(h http.Header, body []byte) []byte) (http.Header, []byte) {
		h, b := cap.header.Clone(), bytes.Clone(cap.body)
		return h, f(h, b)
	}
	cases := []struct {
		name   string
		now    time.Time
		header http.Header
		body   []byte
		want   string
	}{
		{"valid", at.Add(30 * time.Second), cap.header, cap.body, ""},
		{"body changed", at, nil, nil, "signature does not match"},
		{"stale", at.Add(2 * time.Minute), cap.header, cap.body, "away from now"},
		{"from the future", at.Add(-2 * time.Minute), cap.header, cap.body, "away from now"},
		{"no signature", at, nil, nil, "X-Igny8-Signature"},
		{"short signature", at, nil, nil, "64 hex digits"},
		{"no timestamp", at, nil, nil, "X-Igny8-Timestamp"},
		{"timestamp changed", at, nil, nil, "signature does not match"},
		{"no delivery", at, nil, nil, "X-Igny8-Delivery"},
	}
	cases[1].header, cases[1].body = mutate(func(_ http.Header, b []byte) []byte { return bytes.Replace(b, []byte(`"T"`), []byte(`"X"`), 1) })
	cases[4].header, cases[4].body = mutate(func(h http.Header, b []byte) []byte { h.Del(webhook.HeaderSignature); return b })
	cases[5].header, cases[5].body = mutate(func(h http.Header, b []byte) []byte { h.Set(webhook.HeaderSignature, "v1=abcd"); return b })
	cases[6].header, cases[6].body = mutate(func(h http.Header, b []byte) []byte { h.Del(webhook.HeaderTimestamp); return b })
	cases[7].header, cases[7].body = mutate(func(h http.Header, b []byte) []byte {
		h.Set(webhook.HeaderTimestamp, strconv.FormatInt(ts+1, 10))
		return b
	})
	cases[8].header, cases[8].body = mutate(func(h http.Header, b []byte) []byte { h.Del(webhook.HeaderDelivery); return b })
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := newVerifier(tc.now).Check(tc.header, tc.body)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("Check: %v", err)
				}
				return
			}
			if !errors.Is(err, igny8.ErrPermissionDenied) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Check = %v, want PermissionDenied with %q", err, tc.want)
			}
			if strings.Contains(err.Error(), string(secret)) {
				t.Fatal("the error shows the secret")
			}
		})
	}

	t.Run("replay with a shared store", func(t *testing.T) {
		seen := map[string]bool{}
		remember := func(d string, _ time.Time) bool {
			fresh := !seen[d]
			seen[d] = true
			return fresh
		}
		// Two receiver instances sharing the store of delivery ids.
		a, _ := webhook.NewVerifier(webhook.VerifierOptions{Clock: igny8.NewManualClock(at), Remember: remember}, secret)
		b, _ := webhook.NewVerifier(webhook.VerifierOptions{Clock: igny8.NewManualClock(at), Remember: remember}, secret)
		if err := a.Check(cap.header, cap.body); err != nil {
			t.Fatal(err)
		}
		if err := b.Check(cap.header, cap.body); !errors.Is(err, igny8.ErrPermissionDenied) || !strings.Contains(err.Error(), "replay") {
			t.Fatalf("replay at the other instance: %v, want refused", err)
		}
	})

	t.Run("replay", func(t *testing.T) {
		v := newVerifier(at)
		if err := v.Check(cap.header, cap.body); err != nil {
			t.Fatal(err)
		}
		err := v.Check(cap.header, cap.body)
		if !errors.Is(err, igny8.ErrPermissionDenied) || !strings.Contains(err.Error(), "replay") {
			t.Fatalf("second delivery: %v, want a refused replay", err)
		}
	})
}

func TestErrorMapping(t *testing.T) {
	cases := []struct {
		name      string
		status    int
		body      string
		header    map[string]string
		want      igny8.Code
		field     string
		uncertain bool
		after     time.Duration
	}{
		{"bad input names the field", 400, `{"code":"invalid_argument","field":"title","message":"title is too long"}`, nil, igny8.CodeInvalidArgument, "title", false, 0},
		{"unauthorized", 401, `{"code":"permission_denied","message":"bad token"}`, nil, igny8.CodePermissionDenied, "", false, 0},
		{"gone", 404, `{}`, nil, igny8.CodeNotFound, "", false, 0},
		{"rate limited", 429, `{}`, map[string]string{"Retry-After": "3"}, igny8.CodeUnavailable, "", false, 3 * time.Second},
		{"server error", 502, `<html>bad gateway</html>`, nil, igny8.CodeUnavailable, "", true, 0},
		{"2xx without remote id", 200, `{}`, nil, igny8.CodeUnavailable, "", true, 0},
		{"2xx not json", 200, `ok`, nil, igny8.CodeUnavailable, "", true, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				for k, v := range tc.header {
					w.Header().Set(k, v)
				}
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.body))
			}))
			t.Cleanup(srv.Close)
			c, _ := webhook.New(webhook.Options{URL: srv.URL, Secret: secret})
			_, err := c.Publish(t.Context(), publishing.Item{Scope: igny8.Scope{AccountID: "a", SiteID: "s"}, ContentID: "c", Version: 1, Title: "T", Status: publishing.StatusDraft, IdempotencyKey: "k"})
			var re *publishing.RemoteError
			if !errors.As(err, &re) || re.Code != tc.want || re.Field != tc.field || re.Uncertain != tc.uncertain || re.RetryAfter != tc.after {
				t.Fatalf("err = %#v, want code %s field %q uncertain %v after %s", err, tc.want, tc.field, tc.uncertain, tc.after)
			}
		})
	}
}

func TestAssetsTravelWithTheItem(t *testing.T) {
	var got map[string]webhook.Asset
	backend := &assetCMS{Memory: publishertest.NewMemory(), got: &got}
	srv := receiver(t, backend)
	st := &oneObject{key: "img/a.png", data: []byte("\x89PNG fake"), ctype: "image/png"}
	c, _ := webhook.New(webhook.Options{URL: srv.URL, Secret: secret, Storage: st})
	it := publishing.Item{Scope: igny8.Scope{AccountID: "a", SiteID: "s"}, ContentID: "c", Version: 1, Title: "T",
		Status: publishing.StatusDraft, IdempotencyKey: "k", FeaturedImage: &publishing.Image{Key: "img/a.png", Alt: "a"}}
	if _, err := c.Publish(t.Context(), it); err != nil {
		t.Fatal(err)
	}
	if a := got["img/a.png"]; a.ContentType != "image/png" || string(a.Data) != "\x89PNG fake" {
		t.Fatalf("assets = %+v", got)
	}
	it.FeaturedImage.Key = "img/missing.png"
	if _, err := c.Publish(t.Context(), it); !errors.Is(err, igny8.ErrInvalidArgument) {
		t.Fatalf("missing image: %v, want InvalidArgument", err)
	}
}

type assetCMS struct {
	*publishertest.Memory
	got *map[string]webhook.Asset
}

func (a *assetCMS) Publish(ctx context.Context, it publishing.Item) (publishing.Receipt, error) {
	*a.got = webhook.AssetsFrom(ctx)
	return a.Memory.Publish(ctx, it)
}

type oneObject struct {
	key   string
	data  []byte
	ctype string
}

func (o *oneObject) Put(context.Context, igny8.Scope, string, io.Reader, string) (igny8.ObjectInfo, error) {
	return igny8.ObjectInfo{}, errors.New("read only")
}

func (o *oneObject) Get(_ context.Context, _ igny8.Scope, key string) (io.ReadCloser, igny8.ObjectInfo, error) {
	if key != o.key {
		return nil, igny8.ObjectInfo{}, igny8.NotFound("oneObject.Get", "object", key)
	}
	return io.NopCloser(bytes.NewReader(o.data)), igny8.ObjectInfo{Key: key, Size: int64(len(o.data)), ContentType: o.ctype}, nil
}

func (o *oneObject) Delete(context.Context, igny8.Scope, string) error { return nil }

func (o *oneObject) List(context.Context, igny8.Scope, string) ([]igny8.ObjectInfo, error) {
	return nil, nil
}

func (o *oneObject) Usage(context.Context, igny8.Scope) (int64, error) { return 0, nil }

func FuzzVerify(f *testing.F) {
	body := []byte(`{"action":"check"}`)
	f.Add("1800000000", "d-1", webhook.Sign(secret, 1_800_000_000, "d-1", body), body)
	f.Add("", "", "v1=", []byte{})
	f.Add("-5", "a.b", "v1=zz", []byte("{"))
	f.Fuzz(func(t *testing.T, ts, delivery, sig string, body []byte) {
		v, err := webhook.NewVerifier(webhook.VerifierOptions{Clock: igny8.NewManualClock(time.Unix(1_800_000_000, 0))}, secret)
		if err != nil {
			t.Fatal(err)
		}
		h := http.Header{}
		h.Set(webhook.HeaderTimestamp, ts)
		h.Set(webhook.HeaderDelivery, delivery)
		h.Set(webhook.HeaderSignature, sig)
		err = v.Check(h, body)
		n, perr := strconv.ParseInt(ts, 10, 64)
		valid := perr == nil && strings.EqualFold(sig, webhook.Sign(secret, n, delivery, body))
		if err == nil && !valid {
			t.Fatalf("accepted a request not signed with the secret: ts %q delivery %q sig %q", ts, delivery, sig)
		}
		if err != nil && !errors.Is(err, igny8.ErrPermissionDenied) {
			t.Fatalf("error %v is not PermissionDenied", err)
		}
		if err == nil && v.Check(h, body) == nil {
			t.Fatal("a replay was accepted")
		}
	})
}
