package optimization

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/igny8/sdk/optimization/internal/serpfont"
)

// CheckID names a check. The comment of each says what Check.Value holds.
type CheckID string

// The SEO checks.
const (
	CheckKeyphraseLength        CheckID = "keyphrase_length"          // content words in the keyphrase
	CheckKeyphraseInTitle       CheckID = "keyphrase_in_title"        // 2 at the start, 1 elsewhere, 0 absent
	CheckKeyphraseInIntro       CheckID = "keyphrase_in_intro"        // 2 in one sentence, 1 across the paragraph, 0 absent
	CheckKeyphraseInMeta        CheckID = "keyphrase_in_meta"         // occurrences in the meta description
	CheckKeyphraseInSlug        CheckID = "keyphrase_in_slug"         // share of keyphrase words in the slug, %
	CheckKeyphraseInSubheadings CheckID = "keyphrase_in_subheadings"  // share of H2/H3 with the keyphrase, %
	CheckKeyphraseInImageAlt    CheckID = "keyphrase_in_image_alt"    // share of images whose alt has the keyphrase, %
	CheckKeyphraseDensity       CheckID = "keyphrase_density"         // occurrences per 100 words
	CheckCannibalization        CheckID = "keyphrase_cannibalization" // other pages targeting the keyphrase
	CheckTextLength             CheckID = "text_length"               // words
	CheckTitleWidth             CheckID = "title_width"               // pixels at Arial 20 px
	CheckMetaLength             CheckID = "meta_description_length"   // characters
	CheckSingleH1               CheckID = "single_h1"                 // H1 elements in the content
	CheckInternalLinks          CheckID = "internal_links"            // followed internal links
	CheckOutboundLinks          CheckID = "outbound_links"            // followed outbound links
	CheckImages                 CheckID = "images"                    // images
)

// The readability checks.
const (
	CheckSubheadingDistribution CheckID = "subheading_distribution" // words in the longest section
	CheckParagraphLength        CheckID = "paragraph_length"        // words in the longest paragraph
	CheckSentenceLength         CheckID = "sentence_length"         // share of sentences over 20 words, %
	CheckTransitionWords        CheckID = "transition_words"        // share of sentences with a transition, %
	CheckPassiveVoice           CheckID = "passive_voice"           // share of sentences in the passive, %
	CheckConsecutiveSentences   CheckID = "consecutive_sentences"   // runs of 3+ sentences starting alike
	CheckReadingEase            CheckID = "reading_ease"            // Flesch reading ease
)

// Thresholds the checks use.
const (
	MaxTitleWidthPx     = 600  // a longer SEO title is cut off in results
	MinTitleWidthPx     = 400  // a shorter one wastes the space
	MinMetaLength       = 120  // characters
	MaxMetaLength       = 156  // characters
	MinDensity          = 0.5  // % of words
	MaxDensity          = 3.0  // % of words
	maxSectionWords     = 300  // words under one subheading
	warnSectionWords    = 350  // over this the section check fails
	maxParagraphWords   = 150  // words in a paragraph
	warnParagraphWords  = 200  // over this the paragraph check fails
	maxSentenceWords    = 20   // a longer sentence is long
	maxLongSentencesPct = 25.0 // % of sentences that may be long
	warnLongSentences   = 30.0 // over this the check fails
	minTransitionsPct   = 30.0
	warnTransitionsPct  = 20.0
	maxPassivePct       = 10.0
	warnPassivePct      = 15.0
	consecutiveRun      = 3    // sentences starting with the same word
	minReadingEase      = 60.0 // "fairly easy" and up passes
	warnReadingEase     = 50.0
)

// TitleWidth returns how wide title renders as a Google result title
// (Arial 20 px), in pixels, from Liberation Sans's advance widths (the
// same metrics as Arial). The title_width check compares it with
// MaxTitleWidthPx.
func TitleWidth(title string) float64 { return serpfont.TitleWidth(title) }

type builder struct {
	checks []Check
}

func (b *builder) add(id CheckID, cat Category, weight int, s Status, value float64, format string, args ...any) {
	b.checks = append(b.checks, Check{
		ID: id, Category: cat, Status: s, Score: s.Score(), Weight: weight,
		Value: math.Round(value*100) / 100, Message: fmt.Sprintf(format, args...),
	})
}

// result turns the measurements into checks and scores.
func (st *state) result(in *Input) Result {
	m := &st.m
	d := &st.doc
	var b builder
	b.checks = make([]Check, 0, 24)
	density := pct(m.keyCount, m.words)
	titleWidth := serpfont.TitleWidth(strings.TrimSpace(in.Title))
	ease := 0.0
	if m.sentences > 0 {
		ease = st.lang.ReadingEase(m.sentenceWords, m.sentences, m.syllables)
	}
	st.seoChecks(&b, in, density, titleWidth)
	st.readabilityChecks(&b, ease)

	res := Result{Checks: b.checks, Stats: Stats{
		Words: m.words, Sentences: m.sentences, Paragraphs: m.paragraphs, Subheadings: m.subheadings,
		Images: d.images, InternalLinks: d.internalFollow + d.internalNoFollow,
		OutboundLinks: d.outboundFollow + d.outboundNoFollow, Syllables: m.syllables,
		ReadingEase: math.Round(ease*10) / 10, KeyphraseCount: m.keyCount,
		Density: math.Round(density*100) / 100, TitleWidth: math.Round(titleWidth*10) / 10,
	}}
	res.SEO = score(res.Checks, CategorySEO)
	res.Readability = score(res.Checks, CategoryReadability)
	return res
}

// score sets each check's Gain and returns the weighted mean of the
// category, rounded; 0 when the category ran no checks.
func score(checks []Check, cat Category) int {
	total, sum := 0, 0
	for _, c := range checks {
		if c.Category == cat {
			total += c.Weight
			sum += c.Weight * c.Score
		}
	}
	if total == 0 {
		return 0
	}
	for i := range checks {
		if c := &checks[i]; c.Category == cat {
			c.Gain = math.Round(float64(c.Weight*(100-c.Score))/float64(total)*100) / 100
		}
	}
	return int(math.Round(float64(sum) / float64(total)))
}

func (st *state) seoChecks(b *builder, in *Input, density, titleWidth float64) {
	m := &st.m
	d := &st.doc
	const seo = CategorySEO

	// Keyphrase length, and the checks that need a keyphrase.
	if !st.hasKey() {
		b.add(CheckKeyphraseLength, seo, 1, StatusFail, 0, "No focus keyphrase is set: set the phrase this page should rank for.")
	} else {
		n := len(st.forms[0].stems)
		switch {
		case n <= 4:
			b.add(CheckKeyphraseLength, seo, 1, StatusPass, float64(n), "The keyphrase has %s: good.", plural(n, "content word", "content words"))
		case n <= 8:
			b.add(CheckKeyphraseLength, seo, 1, StatusWarn, float64(n), "The keyphrase has %d content words: shorten it to at most 4.", n)
		default:
			b.add(CheckKeyphraseLength, seo, 1, StatusFail, float64(n), "The keyphrase has %d content words: that is a sentence, not a search; use at most 4.", n)
		}
		st.keyphraseChecks(b, in, density)
	}

	// Text length.
	need := MinWords(in.Type, in.Cornerstone)
	what := string(in.Type)
	if in.Cornerstone {
		what = "cornerstone " + what
	}
	switch {
	case m.words >= need:
		b.add(CheckTextLength, seo, 3, StatusPass, float64(m.words), "The text has %d words, enough for a %s (at least %d).", m.words, what, need)
	case m.words*6 >= need*5:
		b.add(CheckTextLength, seo, 3, StatusWarn, float64(m.words), "The text has %d words, a little under the %d a %s needs: add %d more.", m.words, need, what, need-m.words)
	default:
		b.add(CheckTextLength, seo, 3, StatusFail, float64(m.words), "The text has %d words, far under the %d a %s needs: add %d more.", m.words, need, what, need-m.words)
	}

	// SEO title width.
	switch title := strings.TrimSpace(in.Title); {
	case title == "":
		b.add(CheckTitleWidth, seo, 2, StatusFail, 0, "There is no SEO title: write one of up to %d px (about 60 characters).", MaxTitleWidthPx)
	case titleWidth > MaxTitleWidthPx:
		b.add(CheckTitleWidth, seo, 2, StatusFail, titleWidth, "The SEO title is %.0f px wide and will be cut off at %d px: shorten it by about %.0f px.", titleWidth, MaxTitleWidthPx, titleWidth-MaxTitleWidthPx)
	case titleWidth < MinTitleWidthPx:
		b.add(CheckTitleWidth, seo, 2, StatusWarn, titleWidth, "The SEO title is only %.0f px wide: use the space up to %d px for keyphrase variations or a call to action.", titleWidth, MaxTitleWidthPx)
	default:
		b.add(CheckTitleWidth, seo, 2, StatusPass, titleWidth, "The SEO title is %.0f px wide, within %d px.", titleWidth, MaxTitleWidthPx)
	}

	// Meta description length.
	metaLen := utf8.RuneCountInString(strings.TrimSpace(in.MetaDescription))
	switch {
	case metaLen == 0:
		b.add(CheckMetaLength, seo, 2, StatusFail, 0, "There is no meta description: write one of %d–%d characters; search engines otherwise pick text from the page.", MinMetaLength, MaxMetaLength)
	case metaLen < MinMetaLength:
		b.add(CheckMetaLength, seo, 2, StatusWarn, float64(metaLen), "The meta description has %d characters: lengthen it to %d–%d.", metaLen, MinMetaLength, MaxMetaLength)
	case metaLen > MaxMetaLength:
		b.add(CheckMetaLength, seo, 2, StatusWarn, float64(metaLen), "The meta description has %d characters and will be cut off: shorten it to at most %d.", metaLen, MaxMetaLength)
	default:
		b.add(CheckMetaLength, seo, 2, StatusPass, float64(metaLen), "The meta description has %d characters, within %d–%d.", metaLen, MinMetaLength, MaxMetaLength)
	}

	// Single H1.
	if d.h1 > 1 {
		b.add(CheckSingleH1, seo, 1, StatusFail, float64(d.h1), "The content has %d H1 headings: keep one title and turn the others into H2.", d.h1)
	} else {
		b.add(CheckSingleH1, seo, 1, StatusPass, float64(d.h1), "The content has no more than one H1 heading.")
	}

	// Links.
	switch {
	case d.internalFollow > 0:
		b.add(CheckInternalLinks, seo, 2, StatusPass, float64(d.internalFollow), "The text has %s to the site.", plural(d.internalFollow, "followed link", "followed links"))
	case d.internalNoFollow > 0:
		b.add(CheckInternalLinks, seo, 2, StatusWarn, 0, "Every link to the site (%d) is nofollow: drop nofollow from links to your own pages.", d.internalNoFollow)
	default:
		b.add(CheckInternalLinks, seo, 2, StatusFail, 0, "The text has no links to other pages of the site: add internal links to related pages.")
	}
	switch {
	case d.outboundFollow > 0:
		b.add(CheckOutboundLinks, seo, 1, StatusPass, float64(d.outboundFollow), "The text has %s to other sites.", plural(d.outboundFollow, "followed link", "followed links"))
	case d.outboundNoFollow > 0:
		b.add(CheckOutboundLinks, seo, 1, StatusWarn, 0, "Every link to other sites (%d) is nofollow: link to at least one trusted source without nofollow.", d.outboundNoFollow)
	default:
		b.add(CheckOutboundLinks, seo, 1, StatusFail, 0, "The text has no links to other sites: cite at least one relevant source.")
	}

	// Images.
	if d.images > 0 {
		b.add(CheckImages, seo, 1, StatusPass, float64(d.images), "The page has %s.", plural(d.images, "image", "images"))
	} else {
		b.add(CheckImages, seo, 1, StatusFail, 0, "The page has no images: add at least one relevant image with alt text.")
	}
}

func (st *state) keyphraseChecks(b *builder, in *Input, density float64) {
	m := &st.m
	d := &st.doc
	const seo = CategorySEO

	// In the SEO title, best at its start.
	switch title := strings.TrimSpace(in.Title); {
	case title == "":
		b.add(CheckKeyphraseInTitle, seo, 3, StatusFail, 0, "There is no SEO title: write one that starts with the keyphrase.")
	case st.titleStartsWithKey(title):
		b.add(CheckKeyphraseInTitle, seo, 3, StatusPass, 2, "The SEO title starts with the keyphrase.")
	default:
		st.tally(title)
		if st.anyFull() {
			b.add(CheckKeyphraseInTitle, seo, 3, StatusWarn, 1, "The SEO title has the keyphrase, but not at its start: move it to the beginning.")
		} else {
			b.add(CheckKeyphraseInTitle, seo, 3, StatusFail, 0, "The SEO title lacks the keyphrase: put it at the beginning of the title.")
		}
	}

	// In the first paragraph.
	switch {
	case !m.hasIntro:
		b.add(CheckKeyphraseInIntro, seo, 2, StatusFail, 0, "The page has no paragraph of text: open with one that uses the keyphrase.")
	case m.introSentence:
		b.add(CheckKeyphraseInIntro, seo, 2, StatusPass, 2, "The first paragraph has the keyphrase.")
	case m.introFound:
		b.add(CheckKeyphraseInIntro, seo, 2, StatusWarn, 1, "The keyphrase's words are in the first paragraph, but not in one sentence: use the phrase in one sentence.")
	default:
		b.add(CheckKeyphraseInIntro, seo, 2, StatusFail, 0, "The first paragraph lacks the keyphrase: use it there, so readers and search engines see the topic at once.")
	}

	// In the meta description.
	if meta := strings.TrimSpace(in.MetaDescription); meta == "" {
		b.add(CheckKeyphraseInMeta, seo, 2, StatusFail, 0, "There is no meta description: write one that has the keyphrase.")
	} else {
		st.tally(meta)
		switch n := st.totalOccurrences(); {
		case n == 0:
			b.add(CheckKeyphraseInMeta, seo, 2, StatusFail, 0, "The meta description lacks the keyphrase: add it.")
		case n <= 2:
			b.add(CheckKeyphraseInMeta, seo, 2, StatusPass, float64(n), "The meta description has the keyphrase.")
		default:
			b.add(CheckKeyphraseInMeta, seo, 2, StatusWarn, float64(n), "The meta description has the keyphrase %d times: use it at most twice.", n)
		}
	}

	// In the slug.
	if slug := strings.TrimSpace(in.Slug); slug == "" {
		b.add(CheckKeyphraseInSlug, seo, 1, StatusFail, 0, "There is no slug: use one made of the keyphrase.")
	} else {
		st.tally(strings.NewReplacer("-", " ", "_", " ", "/", " ").Replace(slug))
		switch fr := st.bestFraction(); {
		case fr >= 1:
			b.add(CheckKeyphraseInSlug, seo, 1, StatusPass, 100, "The slug has the keyphrase.")
		case fr >= 0.5:
			b.add(CheckKeyphraseInSlug, seo, 1, StatusWarn, 100*fr, "The slug has only part of the keyphrase (%.0f%% of its words): use the whole phrase.", 100*fr)
		default:
			b.add(CheckKeyphraseInSlug, seo, 1, StatusFail, 100*fr, "The slug lacks the keyphrase: change it to the keyphrase's words.")
		}
	}

	// In H2/H3 subheadings.
	if m.subheadings > 0 {
		share := pct(m.subheadingsWithKey, m.subheadings)
		switch {
		case m.subheadings == 1 && m.subheadingsWithKey == 1:
			b.add(CheckKeyphraseInSubheadings, seo, 1, StatusPass, share, "The subheading has the keyphrase.")
		case m.subheadings == 1:
			b.add(CheckKeyphraseInSubheadings, seo, 1, StatusWarn, share, "The one H2/H3 subheading lacks the keyphrase: use it or a synonym there.")
		case m.subheadingsWithKey == 0:
			b.add(CheckKeyphraseInSubheadings, seo, 1, StatusFail, 0, "None of the %d H2/H3 subheadings has the keyphrase: use it or a synonym in 30–75%% of them.", m.subheadings)
		case share < 30:
			b.add(CheckKeyphraseInSubheadings, seo, 1, StatusWarn, share, "%d of %d H2/H3 subheadings (%.0f%%) have the keyphrase: use it or a synonym in 30–75%% of them.", m.subheadingsWithKey, m.subheadings, share)
		case share > 75:
			b.add(CheckKeyphraseInSubheadings, seo, 1, StatusWarn, share, "%d of %d H2/H3 subheadings (%.0f%%) have the keyphrase: that reads as stuffing; keep it in at most 75%%.", m.subheadingsWithKey, m.subheadings, share)
		default:
			b.add(CheckKeyphraseInSubheadings, seo, 1, StatusPass, share, "%d of %d H2/H3 subheadings (%.0f%%) have the keyphrase.", m.subheadingsWithKey, m.subheadings, share)
		}
	}

	// In image alt text.
	if d.images > 0 {
		with := 0
		for _, sp := range d.altSpans {
			st.tally(string(d.alts[sp[0]:sp[1]]))
			if st.anyFull() {
				with++
			}
		}
		share := pct(with, d.images)
		switch {
		case with == 0:
			b.add(CheckKeyphraseInImageAlt, seo, 1, StatusWarn, 0, "No image's alt text has the keyphrase: describe at least one image with it.")
		case d.images < 5:
			b.add(CheckKeyphraseInImageAlt, seo, 1, StatusPass, share, "%d of %d images have the keyphrase in the alt text.", with, d.images)
		case share < 30:
			b.add(CheckKeyphraseInImageAlt, seo, 1, StatusWarn, share, "%d of %d images (%.0f%%) have the keyphrase in the alt text: aim for 30–70%%.", with, d.images, share)
		case share > 70:
			b.add(CheckKeyphraseInImageAlt, seo, 1, StatusWarn, share, "%d of %d images (%.0f%%) have the keyphrase in the alt text: that reads as stuffing; describe some images differently.", with, d.images, share)
		default:
			b.add(CheckKeyphraseInImageAlt, seo, 1, StatusPass, share, "%d of %d images (%.0f%%) have the keyphrase in the alt text.", with, d.images, share)
		}
	}

	// Density.
	switch {
	case m.keyCount == 0:
		b.add(CheckKeyphraseDensity, seo, 2, StatusFail, 0, "The keyphrase does not occur in the text: use it (or a synonym) in about 1–2%% of the words.")
	case density < MinDensity:
		b.add(CheckKeyphraseDensity, seo, 2, StatusWarn, density, "The keyphrase occurs %s in %d words (%.2f%%): use it a little more, aiming for %.1f–%.0f%%.", plural(m.keyCount, "time", "times"), m.words, density, MinDensity, MaxDensity)
	case density > MaxDensity:
		b.add(CheckKeyphraseDensity, seo, 2, StatusFail, density, "The keyphrase occurs %d times in %d words (%.2f%%): that is stuffing; cut it to at most %.0f%%.", m.keyCount, m.words, density, MaxDensity)
	default:
		b.add(CheckKeyphraseDensity, seo, 2, StatusPass, density, "The keyphrase occurs %s in %d words (%.2f%%), within %.1f–%.0f%%.", plural(m.keyCount, "time", "times"), m.words, density, MinDensity, MaxDensity)
	}

	// Cannibalization.
	own := st.normalize(in.Keyphrase)
	var pages []string
	for _, o := range in.OtherKeyphrases {
		if st.normalize(o.Keyphrase) == own {
			pages = append(pages, o.Page)
		}
	}
	switch len(pages) {
	case 0:
		b.add(CheckCannibalization, seo, 2, StatusPass, 0, "No other page of the site targets this keyphrase.")
	case 1:
		b.add(CheckCannibalization, seo, 2, StatusWarn, 1, "Page %s already targets this keyphrase: choose another, or merge the pages.", pages[0])
	default:
		shown := pages
		if len(shown) > 3 {
			shown = shown[:3]
		}
		b.add(CheckCannibalization, seo, 2, StatusFail, float64(len(pages)), "%d other pages already target this keyphrase (%s): choose another keyphrase, or merge the pages.", len(pages), strings.Join(shown, ", "))
	}
}

// titleStartsWithKey reports whether the title, after leading stop words,
// begins with the stems of some form in order.
func (st *state) titleStartsWithKey(title string) bool {
	for _, f := range st.forms {
		st.sc.Reset(title)
		i := 0
		for i < len(f.stems) && st.sc.Next() {
			w := strings.ToLower(st.sc.Word())
			if i == 0 && st.lang.IsStopWord(w) && !st.lang.IsStopWord(f.stems[0]) {
				continue
			}
			if st.lang.Stem(w) != f.stems[i] {
				break
			}
			i++
		}
		if i == len(f.stems) {
			return true
		}
	}
	return false
}

// normalize reduces a keyphrase to its sorted content stems, so that word
// order and inflection do not hide that two pages target one phrase.
func (st *state) normalize(phrase string) string {
	st.sc.Reset(phrase)
	var stems, all []string
	for st.sc.Next() {
		w := strings.ToLower(st.sc.Word())
		s := st.lang.Stem(w)
		all = append(all, s)
		if !st.lang.IsStopWord(w) {
			stems = append(stems, s)
		}
	}
	if len(stems) == 0 {
		stems = all
	}
	slices.Sort(stems)
	return strings.Join(stems, " ")
}

func (st *state) readabilityChecks(b *builder, ease float64) {
	m := &st.m
	const rd = CategoryReadability

	// Subheading distribution.
	switch {
	case m.sections <= 1 && m.maxSection <= maxSectionWords:
		b.add(CheckSubheadingDistribution, rd, 2, StatusPass, float64(m.maxSection), "The text is short enough not to need subheadings, or its sections are within %d words.", maxSectionWords)
	case m.headings == 0 && m.maxSection > maxSectionWords:
		b.add(CheckSubheadingDistribution, rd, 2, StatusFail, float64(m.maxSection), "%d words run without a subheading: break the text up with H2/H3 subheadings every %d words or less.", m.maxSection, maxSectionWords)
	case m.maxSection > warnSectionWords:
		b.add(CheckSubheadingDistribution, rd, 2, StatusFail, float64(m.maxSection), "%s over %d words (the longest has %d): add subheadings to split them.", plural(m.longSections, "section runs", "sections run"), maxSectionWords, m.maxSection)
	case m.maxSection > maxSectionWords:
		b.add(CheckSubheadingDistribution, rd, 2, StatusWarn, float64(m.maxSection), "%s over %d words (the longest has %d): add a subheading to split it.", plural(m.longSections, "section runs", "sections run"), maxSectionWords, m.maxSection)
	default:
		b.add(CheckSubheadingDistribution, rd, 2, StatusPass, float64(m.maxSection), "Every section is within %d words.", maxSectionWords)
	}

	// Paragraph length.
	switch {
	case m.maxParagraph > warnParagraphWords:
		b.add(CheckParagraphLength, rd, 1, StatusFail, float64(m.maxParagraph), "%s over %d words (the longest has %d): split them.", plural(m.longParagraphs, "paragraph is", "paragraphs are"), maxParagraphWords, m.maxParagraph)
	case m.maxParagraph > maxParagraphWords:
		b.add(CheckParagraphLength, rd, 1, StatusWarn, float64(m.maxParagraph), "%s over %d words (the longest has %d): split them.", plural(m.longParagraphs, "paragraph is", "paragraphs are"), maxParagraphWords, m.maxParagraph)
	default:
		b.add(CheckParagraphLength, rd, 1, StatusPass, float64(m.maxParagraph), "No paragraph is over %d words.", maxParagraphWords)
	}

	if m.sentences == 0 {
		return // the remaining checks measure sentences
	}

	// Sentence length.
	long := pct(m.longSentences, m.sentences)
	switch {
	case long > warnLongSentences:
		b.add(CheckSentenceLength, rd, 2, StatusFail, long, "%.1f%% of sentences have more than %d words, more than the %.0f%% that reads well: shorten or split them.", long, maxSentenceWords, maxLongSentencesPct)
	case long > maxLongSentencesPct:
		b.add(CheckSentenceLength, rd, 2, StatusWarn, long, "%.1f%% of sentences have more than %d words, a little over %.0f%%: split a few.", long, maxSentenceWords, maxLongSentencesPct)
	default:
		b.add(CheckSentenceLength, rd, 2, StatusPass, long, "%.1f%% of sentences have more than %d words, within %.0f%%.", long, maxSentenceWords, maxLongSentencesPct)
	}

	// Transition words.
	tr := pct(m.transitions, m.sentences)
	switch {
	case tr >= minTransitionsPct:
		b.add(CheckTransitionWords, rd, 1, StatusPass, tr, "%.1f%% of sentences have a transition word, at least %.0f%%.", tr, minTransitionsPct)
	case tr >= warnTransitionsPct:
		b.add(CheckTransitionWords, rd, 1, StatusWarn, tr, "%.1f%% of sentences have a transition word: link more sentences with words like \"however\" or \"for example\" (aim for %.0f%%).", tr, minTransitionsPct)
	default:
		b.add(CheckTransitionWords, rd, 1, StatusFail, tr, "Only %.1f%% of sentences have a transition word: link sentences with words like \"however\" or \"for example\" (aim for %.0f%%).", tr, minTransitionsPct)
	}

	// Passive voice.
	pv := pct(m.passive, m.sentences)
	switch {
	case pv > warnPassivePct:
		b.add(CheckPassiveVoice, rd, 1, StatusFail, pv, "%.1f%% of sentences are in the passive voice: rewrite most in the active voice (at most %.0f%%).", pv, maxPassivePct)
	case pv > maxPassivePct:
		b.add(CheckPassiveVoice, rd, 1, StatusWarn, pv, "%.1f%% of sentences are in the passive voice, a little over %.0f%%: make a few active.", pv, maxPassivePct)
	default:
		b.add(CheckPassiveVoice, rd, 1, StatusPass, pv, "%.1f%% of sentences are in the passive voice, within %.0f%%.", pv, maxPassivePct)
	}

	// Consecutive sentences starting with the same word.
	switch {
	case m.runs == 0:
		b.add(CheckConsecutiveSentences, rd, 1, StatusPass, 0, "No %d consecutive sentences start with the same word.", consecutiveRun)
	case m.runs == 1:
		b.add(CheckConsecutiveSentences, rd, 1, StatusWarn, 1, "%d or more consecutive sentences start with the same word once: vary their openings.", consecutiveRun)
	default:
		b.add(CheckConsecutiveSentences, rd, 1, StatusFail, float64(m.runs), "%d times, %d or more consecutive sentences start with the same word: vary their openings.", m.runs, consecutiveRun)
	}

	// Flesch reading ease.
	switch {
	case ease >= minReadingEase:
		b.add(CheckReadingEase, rd, 2, StatusPass, ease, "The Flesch reading ease is %.1f: easy enough to read.", ease)
	case ease >= warnReadingEase:
		b.add(CheckReadingEase, rd, 2, StatusWarn, ease, "The Flesch reading ease is %.1f, fairly difficult: use shorter sentences and words (aim for %.0f or more).", ease, minReadingEase)
	default:
		b.add(CheckReadingEase, rd, 2, StatusFail, ease, "The Flesch reading ease is %.1f, difficult: use shorter sentences and simpler words (aim for %.0f or more).", ease, minReadingEase)
	}
}
