package webhook_test

import (
	"context"
	"fmt"
	"net/http/httptest"

	"github.com/igny8/sdk/adapters/webhook"
	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/publishing"
	"github.com/igny8/sdk/publishing/publishertest"
)

func Example() {
	secret := []byte("a shared secret of 32 bytes.....")

	// The receiving CMS: verifies each request and stores the items.
	cms := publishertest.NewMemory()
	verifier, err := webhook.NewVerifier(webhook.VerifierOptions{}, secret)
	if err != nil {
		panic(err)
	}
	srv := httptest.NewServer(webhook.Handler(verifier, cms))
	defer srv.Close()

	// The sending side.
	client, err := webhook.New(webhook.Options{URL: srv.URL, Secret: secret})
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	r, err := client.Publish(ctx, publishing.Item{
		Scope: igny8.Scope{AccountID: "acct-1", SiteID: "site-1"}, ContentID: "content-1", Version: 1,
		Title: "Hello", HTML: "<p>Hi</p>", Status: publishing.StatusPublish, IdempotencyKey: "key-1",
	})
	if err != nil {
		panic(err)
	}
	found, ok, _ := client.FindByKey(ctx, "key-1")
	fmt.Println(r.RemoteID, r.URL, ok, found.RemoteID == r.RemoteID)

	// A client with the wrong secret is refused.
	wrong, _ := webhook.New(webhook.Options{URL: srv.URL, Secret: []byte("not the secret, but long enough")})
	fmt.Println(igny8.CodeOf(wrong.Check(ctx)))
	// Output:
	// 1 memory://items/1 true true
	// permission_denied
}
