package webhook_test

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/igny8/sdk/adapters/webhook"
	"github.com/igny8/sdk/igny8"
)

// BenchmarkSignVerify signs a 20 KB body and verifies it on the receiving
// side (signature, freshness, replay check).
func BenchmarkSignVerify(b *testing.B) {
	body := bytes.Repeat([]byte(`{"html":"<p>text</p>"}`), 1000)
	v, _ := webhook.NewVerifier(webhook.VerifierOptions{Clock: igny8.NewManualClock(time.Unix(1_800_000_000, 0))}, secret)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		d := fmt.Sprint("delivery-", i)
		h := http.Header{}
		h.Set(webhook.HeaderTimestamp, strconv.Itoa(1_800_000_000))
		h.Set(webhook.HeaderDelivery, d)
		h.Set(webhook.HeaderSignature, webhook.Sign(secret, 1_800_000_000, d, body))
		if err := v.Check(h, body); err != nil {
			b.Fatal(err)
		}
	}
}
