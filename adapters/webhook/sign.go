package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/igny8/sdk/igny8"
)

// Headers of a signed request.
const (
	// HeaderTimestamp is the Unix time, in seconds, the request was signed.
	HeaderTimestamp = "X-Igny8-Timestamp"
	// HeaderDelivery is a unique id of the request (not of the item): a
	// receiver refuses a delivery id it has seen, so a captured request
	// cannot be replayed. Retries are new deliveries.
	HeaderDelivery = "X-Igny8-Delivery"
	// HeaderSignature is "v1=" followed by the hex HMAC-SHA256, under the
	// shared secret, of timestamp + "." + delivery + "." + body.
	HeaderSignature = "X-Igny8-Signature"
	// HeaderIdempotencyKey repeats the item's idempotency key, for
	// receivers that deduplicate at their edge.
	HeaderIdempotencyKey = "Idempotency-Key"
)

// Sign returns the HeaderSignature value of a request.
func Sign(secret []byte, timestamp int64, delivery string, body []byte) string {
	m := hmac.New(sha256.New, secret)
	fmt.Fprintf(m, "%d.%s.", timestamp, delivery)
	m.Write(body)
	return "v1=" + hex.EncodeToString(m.Sum(nil))
}

// Defaults of VerifierOptions.
const (
	DefaultMaxAge  = 5 * time.Minute
	DefaultMaxBody = 32 << 20
)

// VerifierOptions configures a Verifier; the zero value is usable.
type VerifierOptions struct {
	// MaxAge is how far a request's timestamp may be from the receiver's
	// clock, either way (default DefaultMaxAge). Delivery ids are kept
	// this long, so a replay is refused as seen or as stale.
	MaxAge time.Duration
	// MaxBody bounds the body read (default DefaultMaxBody).
	MaxBody int64
	Clock   igny8.Clock
	// Remember records a delivery id until the given time and reports
	// whether it was new. Receivers that run several instances pass one
	// over a shared store (Redis SET NX, a unique row); nil keeps ids in
	// this Verifier's memory.
	Remember func(delivery string, until time.Time) (fresh bool)
}

// Verifier checks signed requests on the receiving side: signature,
// freshness and replays. It is safe for concurrent use.
type Verifier struct {
	secrets [][]byte
	opts    VerifierOptions

	mu        sync.Mutex
	seen      map[string]time.Time // delivery id → when it may be forgotten
	lastPrune time.Time
}

// NewVerifier returns a Verifier accepting signatures by any of secrets
// (several while a secret rotates).
func NewVerifier(opts VerifierOptions, secrets ...[]byte) (*Verifier, error) {
	const op = "webhook.NewVerifier"
	if len(secrets) == 0 {
		return nil, igny8.InvalidArgument(op, "secrets", "at least one secret is required")
	}
	for i, s := range secrets {
		if len(s) < MinSecretLength {
			return nil, igny8.InvalidArgument(op, fmt.Sprintf("secrets[%d]", i), "must be at least %d bytes, got %d", MinSecretLength, len(s))
		}
	}
	if opts.MaxAge <= 0 {
		opts.MaxAge = DefaultMaxAge
	}
	if opts.MaxBody <= 0 {
		opts.MaxBody = DefaultMaxBody
	}
	if opts.Clock == nil {
		opts.Clock = igny8.SystemClock{}
	}
	return &Verifier{secrets: secrets, opts: opts, seen: map[string]time.Time{}}, nil
}

// MinSecretLength is the shortest secret accepted.
const MinSecretLength = 16

// Verify reads r's body and returns it if the request is signed with one
// of the secrets, its timestamp is within MaxAge of now, and its delivery
// id was not seen before. Otherwise the error is PermissionDenied and says
// why (never with the secret or the expected signature).
func (v *Verifier) Verify(r *http.Request) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(r.Body, v.opts.MaxBody+1))
	if err != nil {
		return nil, igny8.Errorf(igny8.CodeUnavailable, "webhook.Verify", "read body: %w", err)
	}
	if int64(len(body)) > v.opts.MaxBody {
		return nil, igny8.InvalidArgument("webhook.Verify", "body", "is larger than %d bytes", v.opts.MaxBody)
	}
	if err := v.Check(r.Header, body); err != nil {
		return nil, err
	}
	return body, nil
}

// Check verifies the signature headers of body; Verify calls it.
func (v *Verifier) Check(h http.Header, body []byte) error {
	const op = "webhook.Verify"
	deny := func(format string, args ...any) error {
		return igny8.Errorf(igny8.CodePermissionDenied, op, format, args...)
	}
	tsText := h.Get(HeaderTimestamp)
	ts, err := strconv.ParseInt(tsText, 10, 64)
	if err != nil || ts <= 0 {
		return deny("header %s is missing or not a Unix time: %q", HeaderTimestamp, truncate(tsText, 40))
	}
	delivery := h.Get(HeaderDelivery)
	if delivery == "" || len(delivery) > 200 || strings.ContainsAny(delivery, ".\r\n") {
		return deny("header %s is missing or malformed", HeaderDelivery)
	}
	sig, ok := strings.CutPrefix(h.Get(HeaderSignature), "v1=")
	if !ok {
		return deny("header %s is missing or not v1=HEX", HeaderSignature)
	}
	got, err := hex.DecodeString(sig)
	if err != nil || len(got) != sha256.Size {
		return deny("header %s is not v1= and 64 hex digits", HeaderSignature)
	}
	valid := false
	for _, s := range v.secrets {
		want, _ := hex.DecodeString(strings.TrimPrefix(Sign(s, ts, delivery, body), "v1="))
		if hmac.Equal(got, want) {
			valid = true
		}
	}
	if !valid {
		return deny("signature does not match the body")
	}
	now := v.opts.Clock.Now()
	at := time.Unix(ts, 0)
	if d := now.Sub(at); d > v.opts.MaxAge || d < -v.opts.MaxAge {
		return deny("timestamp %s is %s away from now, more than the %s allowed", at.UTC().Format(time.RFC3339), d.Round(time.Second), v.opts.MaxAge)
	}
	if v.opts.Remember != nil {
		if !v.opts.Remember(delivery, at.Add(2*v.opts.MaxAge)) {
			return deny("delivery %q was received before (replay)", delivery)
		}
		return nil
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if now.Sub(v.lastPrune) > time.Second {
		for id, exp := range v.seen {
			if now.After(exp) {
				delete(v.seen, id)
			}
		}
		v.lastPrune = now
	}
	if _, dup := v.seen[delivery]; dup {
		return deny("delivery %q was received before (replay)", delivery)
	}
	v.seen[delivery] = at.Add(2 * v.opts.MaxAge)
	return nil
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// signed returns the headers of a signed request.
func signed(secret []byte, ts int64, delivery string, body []byte) http.Header {
	h := http.Header{}
	h.Set(HeaderTimestamp, strconv.FormatInt(ts, 10))
	h.Set(HeaderDelivery, delivery)
	h.Set(HeaderSignature, Sign(secret, ts, delivery, body))
	return h
}
