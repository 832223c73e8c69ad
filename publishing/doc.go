// Package publishing puts contents on the sites where people read them:
// WordPress, any CMS behind a webhook, or a destination a host writes.
//
// The Publisher port is small: Publish (create, or update when the item
// names its remote id) and Unpublish, with Finder, an optional capability
// to find an item by the idempotency key it was created with, Checker to
// verify credentials, and Updater to find a page by its public address and
// edit its content (Service.Updater hands out a destination's; the site
// audit writes link suggestions back through it). Adapters live in
// adapters/wordpress and adapters/webhook; publishertest is the
// conformance suite every adapter runs.
//
// Service does the rest once for every adapter: destinations registered per
// site, with credentials sealed by a host-supplied Keyring (AES-256-GCM,
// key ids so keys rotate) so a store dump never shows them; a Record per
// (content, destination) with its status, remote id, URL, published
// version, attempts and last error; retries of transient failures with
// exponential backoff and jitter; permanent failures (refused input or
// credentials) reported at once with the remote's message; and the
// content_published event written in the same transaction as the record.
//
// A retry never creates a second remote item. Publishing a content again
// updates the item its record names. Before a create is retried after a
// failure that may have reached the remote (a timeout, a dropped
// connection, a 5xx), the Service asks the destination for an item with the
// record's idempotency key and adopts it; a Publisher that cannot look
// items up does not get such a create retried.
//
//	keys, _ := publishing.NewKeyring("2026-01", map[string][]byte{"2026-01": key})
//	svc, _ := publishing.NewService(store, keys, map[string]publishing.Factory{
//		"wordpress": wordpress.Factory(wordpress.Options{}, storage),
//	}, publishing.Options{})
//	dest, _ := svc.RegisterDestination(ctx, scope, publishing.DestinationInput{
//		Name: "blog", Kind: "wordpress",
//		Settings: map[string]string{"url": "https://blog.example.com", "user": "editor"},
//		Secret:   []byte(appPassword),
//	})
//	rec, err := svc.Publish(ctx, scope, dest.ID, publishing.Item{ContentID: id, Version: 3, ...})
package publishing
