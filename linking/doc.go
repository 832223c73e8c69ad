// Package linking finds, places and keeps internal links between the pages
// of a site: the step of the content pipeline that SEO tools charge for and
// that too often links inside headings, breaks markup or fails silently.
//
// # Suggesting
//
// An Index holds a site's pages in summary: a token trie of every page's
// keyword phrases (primary, secondary, title) keyed by word hashes, an
// inverted index from terms (interned as uint32 ids) to the pages whose
// linkable text holds them, each page's top TF-IDF terms and optional
// embedding, and its cluster. Index.Suggest reads one page's HTML with the
// golang.org/x/net/html tokenizer and matches every phrase of the site in
// one pass over its words (never a scan of other pages), then scores each
// target by keyword kind, TF-IDF cosine, embedding cosine and cluster
// structure (members link up to their pillar, the pillar down to its
// members) and applies the rules:
//
//   - no link to the page itself (RuleSelfLink), one link per target
//     (RuleOnePerTarget), a cap that grows with length, one link per
//     Rules.WordsPerLink words up to Rules.MaxLinksPerPage (RulePageCap);
//   - never inside headings, existing links, code or pre, buttons, image
//     alt or title attributes, or markup where a wrapping <a> could change
//     the parsed tree (RuleInHeading, RuleInLink, RuleInCode, RuleInButton,
//     RuleInAttribute, RuleUnsafeMarkup);
//   - one inserted link per sentence, none in a sentence that already holds
//     a link (RuleSameSentence, RuleSentenceLinked);
//   - no vague anchors such as "click here" (RuleVagueAnchor), anchors for
//     one target varied across sources (RuleAnchorVariety), unpublished
//     targets skipped unless allowed (RuleUnpublished), a least relevance
//     (RuleLowRelevance);
//   - the first link placed early in the text where a candidate allows.
//
// Every refused candidate is reported in Plan.Skipped with the rule that
// refused it.
//
// # Inserting and removing
//
// Apply (or ApplyPlan) wraps each anchor in <a href="..." data-igny8-link="ID">
// by splicing the original bytes at offsets from the tokenizer: nothing
// else in the document changes, and Remove takes a link out again,
// restoring the bytes exactly. VerifyInsertion checks that a document
// parses to the same tree but for the inserted links; a fuzz test holds
// Apply to it.
//
// # Keeping current
//
// Index.Upsert adds or replaces one page and returns its outbound
// suggestions and the inbound ones from existing pages: candidates come
// from intersecting the postings of the new page's phrase terms, the best
// are loaded through a Loader and checked against the rules. Nothing else
// of the site is read.
//
// BuildGraph reads a site's links into a Graph: inbound and outbound
// counts, orphans, pages over the cap, links to pages that are gone or
// unpublished, and clusters whose members do not link to their pillar.
// Linker ties an Index to a Store of Link records and announces
// igny8.EventContentLinked. An Index holds one site; the Linker's methods
// take the igny8.Scope the records belong to. Stores of link records prove
// themselves with the conformance suite in linking/linktest.
//
//	idx := linking.NewIndex(nil)
//	for _, p := range pages {
//		if err := idx.Add(p); err != nil { ... }
//	}
//	plan, err := idx.Suggest(ctx, page)
//	res, err := linking.ApplyPlan(page.HTML, plan, linking.ApplyOptions{})
package linking
