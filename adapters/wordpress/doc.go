// Package wordpress publishes to WordPress over its REST API (v2) with an
// Application Password. Client is a publishing.Publisher, a Finder, a
// Checker and an Updater; Factory plugs it into publishing.Service.
//
// What it does, and the WordPress behaviour it handles (observed on 6.1;
// see scripts/wordpress/README.md):
//
//   - Credentials are checked with GET /wp/v2/users/me before the first
//     write: a wrong Application Password does not fail on its own, the
//     request just runs as an anonymous user.
//   - Posts and pages; other content types go to a configurable post type
//     (Options.Types, Options.OtherType).
//   - Categories and tags are created when missing; a term_exists answer
//     (the term exists, or a concurrent call created it) is adopted through
//     its data.term_id. Term creation is serialized per client, since
//     WordPress has no unique constraint to stop a duplicate.
//   - Featured and inline images are read from igny8.Storage and uploaded
//     as raw bodies with a Content-Disposition; the file is named after the
//     SHA-256 of its bytes and looked up by that slug first, so retries do
//     not duplicate media. <img src="KEY"> in the HTML is rewritten to the
//     uploaded URL. A refused file type, which WordPress answers with 500,
//     is InvalidArgument on the image's field.
//   - Excerpt, slug, status (draft, publish; scheduled as future with
//     date_gmt), author (id or login) and, when an SEO plugin registers
//     them, meta title and description keys.
//   - WordPress drops invalid featured_media and term ids silently, so every
//     write is checked against what came back: a dropped image is written
//     again, dropped terms make the cached ids be forgotten and the call
//     fail as retryable.
//   - Empty objects that PHP encodes as [] are decoded leniently.
//   - Errors: 401/403 PermissionDenied with WordPress's message, 400
//     InvalidArgument naming the refused param, 404/410 NotFound, 429 and
//     5xx Unavailable (5xx and broken connections marked uncertain, so the
//     service looks the item up before it retries a create).
//
// Editing pages it did not publish (publishing.Updater, used by
// siteaudit.Auditor.PublishLinks to write link suggestions into an
// imported site). FindPage takes a page's public address and looks up the
// slug of its last path segment with ?slug=&context=edit in every post
// type the client writes to (posts, pages, Options.Types, OtherType; a
// type the site lacks is passed over), or the id of a plain permalink
// (?p=, ?page_id=). Slugs are not unique across post types and
// hierarchical pages, so a post counts only when its link is the address
// asked for (host, port, path without the trailing slash, query; not the
// scheme). The home page and addresses no post has answer false. It reads
// content.raw, the editor's content (block comments included), and
// modified_gmt. UpdatePage reads the post again and refuses with Conflict
// when modified_gmt or content.raw differ from what FindPage read (an
// editor saved since), then writes {content} with POST to the post.
// WordPress has no conditional write, so a save in the milliseconds
// between that check and the write is not detected. The written content
// comes back as WordPress stored it: for a user without unfiltered_html it
// is filtered by kses (which keeps data-* attributes), and the caller
// compares.
//
// Idempotency key. Stock WordPress 6.1 cannot filter posts by meta over
// REST (meta must be registered server-side, and even then is not a query
// filter), and no plugin may be assumed. The client therefore writes a
// marker comment <!-- igny8:idempotency igny8k<hex> --> at the end of the
// content, where <hex> is derived from the key with SHA-256, and FindByKey
// searches for it with ?search= over the statuses publish, future, draft,
// pending and private (not trash), then checks content.raw really holds it.
// The token is letters and digits only, so WordPress's search does not
// split it. Other options were weighed: a tag per key pollutes the site's
// tags and archives; a slug derived from the key would replace the SEO
// slug; a plugin is not stock. The comment is invisible on the page and
// survives kses filtering for users without unfiltered_html.
//
//	c, err := wordpress.New(wordpress.Options{
//		BaseURL: "https://blog.example.com", User: "editor", AppPassword: pw, Storage: storage,
//	})
//	r, err := c.Publish(ctx, item) // r.RemoteID, r.URL
package wordpress
