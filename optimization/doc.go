// Package optimization scores pages the way SEO editors do and audits
// whole sites. The Analyzer is pure Go: no network, no model, linear in
// the size of the page.
//
// Analyzer.Analyze takes an Input (HTML, focus keyphrase and synonyms,
// SEO title, meta description, slug, content type, locale, the site's
// host and the keyphrases its other pages target) and returns a Result: an
// SEO score and a readability score from 0 to 100 and every Check with its
// id, pass/warn/fail verdict, the value it measured, the points fixing it
// would gain, and a message that says what to change.
//
// The SEO checks: keyphrase in the SEO title (best at its start), in the
// first paragraph, in the meta description, in the slug, in 30–75 % of
// H2/H3 subheadings and in image alt text; keyphrase density 0.5–3 %
// counting word forms; keyphrase length; cannibalization (another page
// targets the keyphrase); text length by content type (post, page and
// service 300 words, product 200, taxonomy 30, cornerstone 900); SEO
// title width ≤ 600 px in Arial 20 px, measured with Liberation Sans's
// advance widths compiled into the package; meta description 120–156
// characters; a single H1; internal and outbound links, followed or
// nofollow; images. The readability checks: no section over 300 words
// without a subheading, paragraphs ≤ 150 words, at most 25 % of sentences
// over 20 words, transition words in ≥ 30 % of sentences, passive voice in
// ≤ 10 %, no three consecutive sentences starting with the same word, and
// Flesch reading ease ≥ 60.
//
// Language rules (sentence splitting, syllables, stems, stop words,
// transition words, passive voice, reading ease) come from a
// textstat.Language; English is built in and Options.Languages adds more.
//
// Analyzer.Audit scores every page of a site in one call, sorts pages by
// what fixing them would gain, and lists titles, meta descriptions and
// keyphrases that several pages share.
//
// The AI rewrite that acts on these findings lives in
// optimization/rewrite, so that this package stays free of the model and
// content dependencies.
//
//	a := optimization.NewAnalyzer(optimization.Options{})
//	r, err := a.Analyze(optimization.Input{
//		HTML:      html,
//		Keyphrase: "running shoes",
//		Title:     "Running Shoes: How to Choose a Pair",
//		Slug:      "running-shoes",
//		SiteHost:  "example.com",
//	})
//	for _, c := range r.Problems() {
//		fmt.Println(c.ID, c.Status, c.Message)
//	}
package optimization
