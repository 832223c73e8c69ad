package publishing_test

import (
	"context"
	"fmt"

	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/publishing"
	"github.com/igny8/sdk/publishing/publishertest"
)

func Example() {
	ctx := context.Background()
	scope := igny8.Scope{AccountID: "acct-1", SiteID: "site-1"}

	// The host supplies the key that seals destination credentials.
	keys, err := publishing.NewKeyring("2026-01", map[string][]byte{"2026-01": []byte("0123456789abcdef0123456789abcdef")})
	if err != nil {
		panic(err)
	}
	remote := publishertest.NewMemory() // stands in for a WordPress or a webhook
	svc, err := publishing.NewService(publishertest.NewMemoryStore(), keys, map[string]publishing.Factory{
		"memory": func(context.Context, publishing.Destination, []byte) (publishing.Publisher, error) {
			return remote, nil
		},
	}, publishing.Options{})
	if err != nil {
		panic(err)
	}
	dest, err := svc.RegisterDestination(ctx, scope, publishing.DestinationInput{Name: "blog", Kind: "memory", Secret: []byte("app-password")})
	if err != nil {
		panic(err)
	}

	item := publishing.Item{ContentID: "content-1", Version: 1, Title: "Hello", HTML: "<p>Hi</p>", Status: publishing.StatusPublish}
	rec, err := svc.Publish(ctx, scope, dest.ID, item)
	if err != nil {
		panic(err)
	}
	fmt.Println(rec.Status, rec.RemoteID, rec.PublishedVersion)

	// A new version updates the same remote item.
	item.Version, item.Title = 2, "Hello again"
	rec, err = svc.Publish(ctx, scope, dest.ID, item)
	if err != nil {
		panic(err)
	}
	live, _ := remote.Get(rec.RemoteID)
	fmt.Println(rec.Status, rec.RemoteID, rec.PublishedVersion, live.Title, remote.Len())
	// Output:
	// published 1 1
	// published 1 2 Hello again 1
}
