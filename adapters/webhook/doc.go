// Package webhook publishes to any system that can receive an HTTP POST:
// it is the adapter an author of a new publish target starts from, and the
// way any CMS receives content without an IGNY8 adapter of its own.
//
// Client POSTs an Envelope (the action — publish, unpublish, find, check —
// and its input, with the images' bytes as Assets) as JSON to one URL,
// signed with HMAC-SHA256 under a shared secret:
//
//	X-Igny8-Timestamp: 1767225600
//	X-Igny8-Delivery:  0194...            (unique per request)
//	X-Igny8-Signature: v1=hex(HMAC-SHA256(secret, timestamp + "." + delivery + "." + body))
//	Idempotency-Key:   the item's key
//
// and reads back a Reply with the remote id and URL. Error answers map to
// the kernel's codes (401/403 PermissionDenied, 404 NotFound, 400
// InvalidArgument with the field the receiver names, 429 and 5xx
// Unavailable).
//
// The receiving side verifies requests with a Verifier, which refuses a bad
// signature, a timestamp more than MaxAge away, and a delivery id it has
// seen (a replay). Handler does all of it in front of a publishing.Publisher
// of the receiver's own:
//
//	v, _ := webhook.NewVerifier(webhook.VerifierOptions{}, secret)
//	http.Handle("/igny8", webhook.Handler(v, myCMS))
//
// A receiver that also implements publishing.Finder answers lookups by
// idempotency key, which lets the publishing service retry a create whose
// answer was lost without creating a second item.
package webhook
