// Package sitesfs renders a site's content to a complete static website on
// the filesystem and deploys it in versions — the reference's "Sites"
// renderer, and a publishing.Publisher.
//
// A Renderer keeps, per site, under <root>/<account>/<site>/:
//
//	source/     the published posts (one JSON file each, plus an index
//	            without the HTML), the site settings and the block pages
//	v1/ v2/ …   complete versions of the site, each deployable by copying
//	current     a symbolic link to the live version, switched atomically
//
// A deploy plans every file of the site (home and post pages, block pages,
// category, tag and author archives with pagination, 404, sitemap.xml split
// at 50,000 URLs, an Atom feed, robots.txt, the stylesheet, and the images
// copied from igny8.Storage) with a signature of its inputs. Files whose
// signature did not change since the live version are hard-linked from it;
// only the rest are rendered, so a deploy after one post changed writes the
// post, the lists that show it, the sitemap and the feed. A deploy that
// fails leaves current untouched; old versions beyond Options.Keep are
// pruned and any kept one can be made live again with Rollback.
//
// Every page has a title, meta description, canonical URL, OpenGraph and
// Twitter tags, and JSON-LD (Article, BreadcrumbList, FAQPage where there
// is a FAQ, Organization, CollectionPage). Themes are html/template sets;
// the default is embedded and a host can load its own with LoadTheme. Every
// field but the body HTML is escaped by the templates; the body is run
// through the SDK's sanitizer unless Options.TrustHTML says it already was.
// Paths come only from validated slugs and ids, so nothing can be written
// outside a version folder.
//
//	r, _ := sitesfs.New("/srv/sites", storage, sitesfs.Options{})
//	r.Configure(ctx, scope, sitesfs.Site{Name: "Garden Notes", BaseURL: "https://garden.example"})
//	pub, _ := r.Publisher(scope) // publishing.Publisher: each Publish deploys
//	// or in bulk:
//	r.PutPosts(ctx, scope, posts)
//	dep, err := r.Deploy(ctx, scope)
package sitesfs
