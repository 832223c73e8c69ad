package optimization

import (
	"fmt"
	"strings"
	"testing"

	"github.com/igny8/sdk/optimization/textstat"
)

const kp = "garden" // a one-word keyphrase the fillers never contain

func TestTextLength(t *testing.T) {
	g := &gen{}
	in := func(n int, typ ContentType, cornerstone bool) Input {
		return Input{HTML: g.text(n), Type: typ, Cornerstone: cornerstone}
	}
	runCheckCases(t, CheckTextLength, []checkCase{
		{"post 249 fails", in(249, TypePost, false), StatusFail},
		{"post 250 warns", in(250, TypePost, false), StatusWarn},
		{"post 299 warns", in(299, TypePost, false), StatusWarn},
		{"post 300 passes", in(300, TypePost, false), StatusPass},
		{"post 301 passes", in(301, TypePost, false), StatusPass},
		{"page 299 warns", in(299, TypePage, false), StatusWarn},
		{"page 300 passes", in(300, TypePage, false), StatusPass},
		{"product 199 warns", in(199, TypeProduct, false), StatusWarn},
		{"product 200 passes", in(200, TypeProduct, false), StatusPass},
		{"product 201 passes", in(201, TypeProduct, false), StatusPass},
		{"taxonomy 29 warns", in(29, TypeTaxonomy, false), StatusWarn},
		{"taxonomy 30 passes", in(30, TypeTaxonomy, false), StatusPass},
		{"taxonomy 31 passes", in(31, TypeTaxonomy, false), StatusPass},
		{"cornerstone 899 warns", in(899, TypePost, true), StatusWarn},
		{"cornerstone 900 passes", in(900, TypePost, true), StatusPass},
		{"cornerstone 901 passes", in(901, TypePost, true), StatusPass},
		{"cornerstone product 300 fails", in(300, TypeProduct, true), StatusFail},
		{"empty fails", Input{}, StatusFail},
		{"default type is post", in(299, "", false), StatusWarn},
	})
}

func TestTitleWidth(t *testing.T) {
	// 'c' is 1024/2048 em: 60 of them are exactly 600 px at 20 px.
	c := func(n int) string { return strings.Repeat("c", n) }
	runCheckCases(t, CheckTitleWidth, []checkCase{
		{"empty fails", Input{Title: "  "}, StatusFail},
		{"396.7 px warns", Input{Title: c(39) + "r"}, StatusWarn},
		{"400 px passes", Input{Title: c(40)}, StatusPass},
		{"596.7 px passes", Input{Title: c(59) + "r"}, StatusPass},
		{"600 px passes", Input{Title: c(60)}, StatusPass},
		{"601.1 px fails", Input{Title: c(59) + "a"}, StatusFail},
		{"narrow letters fit more", Input{Title: strings.Repeat("il", 66)}, StatusPass},
		{"wide letters fit fewer", Input{Title: strings.Repeat("W", 32)}, StatusFail},
	})
	r := analyze(t, Input{Title: c(60)})
	if r.Stats.TitleWidth != 600 {
		t.Errorf("Stats.TitleWidth = %v, want 600", r.Stats.TitleWidth)
	}
}

func TestMetaDescriptionLength(t *testing.T) {
	m := func(n int) string { return strings.Repeat("é", n) } // counted in characters, not bytes
	runCheckCases(t, CheckMetaLength, []checkCase{
		{"empty fails", Input{}, StatusFail},
		{"119 warns", Input{MetaDescription: m(119)}, StatusWarn},
		{"120 passes", Input{MetaDescription: m(120)}, StatusPass},
		{"121 passes", Input{MetaDescription: m(121)}, StatusPass},
		{"155 passes", Input{MetaDescription: m(155)}, StatusPass},
		{"156 passes", Input{MetaDescription: m(156)}, StatusPass},
		{"157 warns", Input{MetaDescription: m(157)}, StatusWarn},
	})
}

// densityDoc is 1000 words (100 sentences of 10) with k occurrences of
// word.
func densityDoc(k int, word string) string {
	g := &gen{}
	var ss []string
	for i := range 100 {
		special := ""
		if i < k {
			special = word
		}
		ss = append(ss, g.sentence(10, special))
	}
	return paras(ss, 5)
}

func TestKeyphraseDensity(t *testing.T) {
	in := func(k int, word string) Input { return Input{HTML: densityDoc(k, word), Keyphrase: kp} }
	runCheckCases(t, CheckKeyphraseDensity, []checkCase{
		{"absent fails", in(0, kp), StatusFail},
		{"0.4% warns", in(4, kp), StatusWarn},
		{"0.5% passes", in(5, kp), StatusPass},
		{"0.6% passes", in(6, kp), StatusPass},
		{"2.9% passes", in(29, kp), StatusPass},
		{"3.0% passes", in(30, kp), StatusPass},
		{"3.1% fails", in(31, kp), StatusFail},
		{"plural forms count", in(5, "gardens"), StatusPass},
		{"verb forms count", in(5, "gardening"), StatusPass},
		{"no keyphrase, no check", Input{HTML: densityDoc(5, kp)}, ""},
	})
	r := analyze(t, in(12, "Gardens"))
	if r.Stats.KeyphraseCount != 12 || r.Stats.Words != 1000 || r.Stats.Density != 1.2 {
		t.Errorf("stats = %+v, want 12 occurrences in 1000 words, 1.2%%", r.Stats)
	}
	synonyms := Input{HTML: densityDoc(3, "garden") + "<p>Yards grow. Yards rest.</p>", Keyphrase: kp, Synonyms: []string{"yard"}}
	if r := analyze(t, synonyms); r.Stats.KeyphraseCount != 5 {
		t.Errorf("synonyms: KeyphraseCount = %d, want 5", r.Stats.KeyphraseCount)
	}
}

func TestKeyphraseLength(t *testing.T) {
	runCheckCases(t, CheckKeyphraseLength, []checkCase{
		{"none fails", Input{}, StatusFail},
		{"blank fails", Input{Keyphrase: "   "}, StatusFail},
		{"1 passes", Input{Keyphrase: "garden"}, StatusPass},
		{"4 passes", Input{Keyphrase: "small urban garden ideas"}, StatusPass},
		{"stop words do not count", Input{Keyphrase: "how to grow the best tomatoes in a pot"}, StatusPass},
		{"5 warns", Input{Keyphrase: "small urban garden ideas cheap"}, StatusWarn},
		{"8 warns", Input{Keyphrase: "small urban garden ideas cheap fast easy balcony"}, StatusWarn},
		{"9 fails", Input{Keyphrase: "small urban garden ideas cheap fast easy balcony shade"}, StatusFail},
	})
}

func TestKeyphraseInTitle(t *testing.T) {
	in := func(title string) Input { return Input{Keyphrase: "running shoes", Title: title} }
	runCheckCases(t, CheckKeyphraseInTitle, []checkCase{
		{"at start passes", in("Running Shoes: the 2026 Guide"), StatusPass},
		{"after stop words passes", in("The Running Shoes We Love"), StatusPass},
		{"word form at start passes", in("Running Shoe Reviews"), StatusPass},
		{"later warns", in("Our Guide to Running Shoes"), StatusWarn},
		{"split words warn", in("Shoes for Running"), StatusWarn},
		{"absent fails", in("Our Guide to Sandals"), StatusFail},
		{"empty fails", in(""), StatusFail},
		{"synonym at start passes", Input{Keyphrase: "running shoes", Synonyms: []string{"trainers"}, Title: "Trainers for Everyone"}, StatusPass},
		{"no keyphrase, no check", Input{Title: "Running Shoes"}, ""},
	})
}

func TestKeyphraseInIntro(t *testing.T) {
	in := func(html string) Input { return Input{Keyphrase: "running shoes", HTML: html} }
	runCheckCases(t, CheckKeyphraseInIntro, []checkCase{
		{"one sentence passes", in("<p>Good running shoes last. Buy them.</p><p>More.</p>"), StatusPass},
		{"inflected passes", in("<p>A runner needs a shoe made for running.</p>"), StatusPass},
		{"across sentences warns", in("<p>We like running. Shoes matter.</p>"), StatusWarn},
		{"second paragraph fails", in("<p>Hello there.</p><p>Running shoes.</p>"), StatusFail},
		{"heading does not count", in("<h2>Running shoes</h2><p>Hello there.</p>"), StatusFail},
		{"no paragraph fails", in("<h2>Running shoes</h2>"), StatusFail},
		{"list item as first text", in("<ul><li>Running shoes for all</li></ul>"), StatusPass},
		{"first p wins over a div", in("<div>Hello.</div><p>Running shoes here.</p>"), StatusPass},
	})
}

func TestKeyphraseInMeta(t *testing.T) {
	in := func(meta string) Input { return Input{Keyphrase: "garden", MetaDescription: meta} }
	runCheckCases(t, CheckKeyphraseInMeta, []checkCase{
		{"empty fails", in(""), StatusFail},
		{"0 fails", in("Tips for your yard."), StatusFail},
		{"1 passes", in("Tips for your garden."), StatusPass},
		{"2 pass", in("Garden tips for your garden."), StatusPass},
		{"3 warn", in("Garden tips for gardens and gardening."), StatusWarn},
	})
}

func TestKeyphraseInSlug(t *testing.T) {
	in := func(slug string) Input { return Input{Keyphrase: "best running shoes", Slug: slug} }
	runCheckCases(t, CheckKeyphraseInSlug, []checkCase{
		{"empty fails", in(""), StatusFail},
		{"whole passes", in("best-running-shoes"), StatusPass},
		{"forms pass", in("best-run-shoe-2026"), StatusPass},
		{"two thirds warn", in("best-shoes"), StatusWarn},
		{"one third fails", in("shoes"), StatusFail},
		{"none fails", in("sandals"), StatusFail},
	})
}

func TestKeyphraseInSubheadings(t *testing.T) {
	doc := func(total, with int) Input {
		var b strings.Builder
		for i := range total {
			if i < with {
				fmt.Fprintf(&b, "<h2>Garden part %d</h2><p>Text.</p>", i)
			} else {
				fmt.Fprintf(&b, "<h3>Part %d</h3><p>Text.</p>", i)
			}
		}
		return Input{Keyphrase: kp, HTML: b.String()}
	}
	runCheckCases(t, CheckKeyphraseInSubheadings, []checkCase{
		{"no subheadings, no check", Input{Keyphrase: kp, HTML: "<p>Garden.</p><h4>Garden</h4>"}, ""},
		{"1 of 1 passes", doc(1, 1), StatusPass},
		{"0 of 1 warns", doc(1, 0), StatusWarn},
		{"0 of 20 fails", doc(20, 0), StatusFail},
		{"25% warns", doc(20, 5), StatusWarn},
		{"30% passes", doc(20, 6), StatusPass},
		{"35% passes", doc(20, 7), StatusPass},
		{"70% passes", doc(20, 14), StatusPass},
		{"75% passes", doc(20, 15), StatusPass},
		{"80% warns", doc(20, 16), StatusWarn},
	})
}

func TestKeyphraseInImageAlt(t *testing.T) {
	doc := func(total, with int) Input {
		var b strings.Builder
		b.WriteString("<p>Text.</p>")
		for i := range total {
			if i < with {
				fmt.Fprintf(&b, `<img src="%d.jpg" alt="A small garden">`, i)
			} else if i%2 == 0 {
				fmt.Fprintf(&b, `<img src="%d.jpg" alt="A cat">`, i)
			} else {
				fmt.Fprintf(&b, `<img src="%d.jpg"/>`, i)
			}
		}
		return Input{Keyphrase: kp, HTML: b.String()}
	}
	runCheckCases(t, CheckKeyphraseInImageAlt, []checkCase{
		{"no images, no check", doc(0, 0), ""},
		{"1 of 4 passes", doc(4, 1), StatusPass},
		{"0 of 4 warns", doc(4, 0), StatusWarn},
		{"0 of 10 warns", doc(10, 0), StatusWarn},
		{"20% of 10 warns", doc(10, 2), StatusWarn},
		{"30% of 10 passes", doc(10, 3), StatusPass},
		{"40% of 10 passes", doc(10, 4), StatusPass},
		{"60% of 10 passes", doc(10, 6), StatusPass},
		{"70% of 10 passes", doc(10, 7), StatusPass},
		{"80% of 10 warns", doc(10, 8), StatusWarn},
	})
}

func TestCannibalization(t *testing.T) {
	in := func(others ...string) Input {
		var o []TargetedKeyphrase
		for i, k := range others {
			o = append(o, TargetedKeyphrase{Keyphrase: k, Page: fmt.Sprintf("/p%d", i)})
		}
		return Input{Keyphrase: "best running shoes", OtherKeyphrases: o}
	}
	runCheckCases(t, CheckCannibalization, []checkCase{
		{"no others passes", in(), StatusPass},
		{"different passes", in("trail running shoes", "best sandals"), StatusPass},
		{"one same warns", in("best running shoes"), StatusWarn},
		{"order and forms match", in("shoes for the best run"), StatusWarn},
		{"two same fail", in("Best Running Shoes", "best running shoe", "sandals"), StatusFail},
	})
	r := analyze(t, in("best running shoes", "running shoes best"))
	if c, _ := r.Check(CheckCannibalization); !strings.Contains(c.Message, "/p0, /p1") {
		t.Errorf("message %q does not name the pages", c.Message)
	}
}

func TestSingleH1(t *testing.T) {
	runCheckCases(t, CheckSingleH1, []checkCase{
		{"none passes", Input{HTML: "<p>Text.</p>"}, StatusPass},
		{"one passes", Input{HTML: "<h1>Title</h1><p>Text.</p>"}, StatusPass},
		{"two fail", Input{HTML: "<h1>Title</h1><p>Text.</p><h1>Again</h1>"}, StatusFail},
		{"empty h1s count", Input{HTML: "<h1></h1><h1/>"}, StatusFail},
	})
}

func TestLinks(t *testing.T) {
	in := func(html string) Input {
		return Input{HTML: "<p>" + html + "</p>", SiteHost: "https://www.example.com/blog"}
	}
	runCheckCases(t, CheckInternalLinks, []checkCase{
		{"none fails", in("Text."), StatusFail},
		{"relative passes", in(`<a href="/about">about</a>`), StatusPass},
		{"relative path passes", in(`<a href="about.html">about</a>`), StatusPass},
		{"own host passes", in(`<a href="https://example.com/x">x</a>`), StatusPass},
		{"www and case pass", in(`<a href="HTTP://WWW.Example.COM:443/x">x</a>`), StatusPass},
		{"protocol-relative passes", in(`<a href="//example.com/x">x</a>`), StatusPass},
		{"nofollow only warns", in(`<a href="/x" rel="nofollow">x</a>`), StatusWarn},
		{"fragment and mailto do not count", in(`<a href="#top">t</a><a href="mailto:a@example.com">m</a><a href="tel:1">t</a>`), StatusFail},
		{"subdomain is outbound", in(`<a href="https://shop.example.com/">s</a>`), StatusFail},
	})
	runCheckCases(t, CheckOutboundLinks, []checkCase{
		{"none fails", in(`<a href="/x">x</a>`), StatusFail},
		{"followed passes", in(`<a href="https://other.org/">o</a>`), StatusPass},
		{"nofollow only warns", in(`<a href="https://other.org/" rel="nofollow noopener">o</a>`), StatusWarn},
		{"sponsored only warns", in(`<a href="https://other.org/" rel="sponsored">o</a>`), StatusWarn},
		{"ugc only warns", in(`<a rel="UGC" href="https://other.org/">o</a>`), StatusWarn},
		{"one followed among nofollow passes", in(`<a href="https://a.org/" rel="nofollow">a</a><a href="https://b.org/">b</a>`), StatusPass},
	})
	r := analyze(t, in(`<a href="/a">a</a><a href="https://x.org">x</a><a href="https://y.org" rel=nofollow>y</a>`))
	if r.Stats.InternalLinks != 1 || r.Stats.OutboundLinks != 2 {
		t.Errorf("links = %d internal, %d outbound; want 1, 2", r.Stats.InternalLinks, r.Stats.OutboundLinks)
	}
}

func TestImages(t *testing.T) {
	runCheckCases(t, CheckImages, []checkCase{
		{"none fails", Input{HTML: "<p>Text.</p>"}, StatusFail},
		{"one passes", Input{HTML: `<p>Text.</p><img src="a.png">`}, StatusPass},
		{"in skipped noscript does not count", Input{HTML: `<noscript><img src="a.png"></noscript>`}, StatusFail},
	})
}

func TestSubheadingDistribution(t *testing.T) {
	g := &gen{}
	runCheckCases(t, CheckSubheadingDistribution, []checkCase{
		{"short text without subheadings passes", Input{HTML: g.text(300)}, StatusPass},
		{"301 words without subheadings fail", Input{HTML: g.text(301)}, StatusFail},
		{"sections of 300 pass", Input{HTML: g.text(300) + "<h2>Next</h2>" + g.text(300)}, StatusPass},
		{"section of 301 warns", Input{HTML: g.text(300) + "<h2>Next</h2>" + g.text(301)}, StatusWarn},
		{"section of 350 warns", Input{HTML: g.text(350) + "<h2>Next</h2>" + g.text(100)}, StatusWarn},
		{"section of 351 fails", Input{HTML: g.text(100) + "<h3>Next</h3>" + g.text(351)}, StatusFail},
		{"h4 headings split sections too", Input{HTML: g.text(200) + "<h4>Next</h4>" + g.text(200)}, StatusPass},
		{"h4 section of 351 fails", Input{HTML: g.text(200) + "<h4>Next</h4>" + g.text(351)}, StatusFail},
		{"intro before first subheading counts", Input{HTML: g.text(351) + "<h2>Next</h2>" + g.text(10)}, StatusFail},
	})
}

func TestParagraphLength(t *testing.T) {
	g := &gen{}
	p := func(n int) Input { return Input{HTML: paras(g.sentences(n/10, 10, "", 0), 1000)} }
	runCheckCases(t, CheckParagraphLength, []checkCase{
		{"140 passes", p(140), StatusPass},
		{"150 passes", p(150), StatusPass},
		{"151 warns", Input{HTML: "<p>" + strings.Join(append(g.sentences(15, 10, "", 0), g.sentence(1, "")), " ") + "</p>"}, StatusWarn},
		{"200 warns", p(200), StatusWarn},
		{"210 fails", p(210), StatusFail},
		{"list items are not paragraphs", Input{HTML: "<ul><li>" + strings.Join(g.sentences(30, 10, "", 0), " ") + "</li></ul>"}, StatusPass},
	})
}

// sentenceDoc is 100 sentences of 10 words, special in the first k.
func sentenceDoc(k int, special string, n int) Input {
	g := &gen{}
	ss := g.sentences(k, n, special, k)
	ss = append(ss, g.sentences(100-k, 10, "", 0)...)
	return Input{HTML: paras(ss, 5)}
}

func TestSentenceLength(t *testing.T) {
	runCheckCases(t, CheckSentenceLength, []checkCase{
		{"20 words is not long", sentenceDoc(40, "", 20), StatusPass},
		{"25% passes", sentenceDoc(25, "", 21), StatusPass},
		{"26% warns", sentenceDoc(26, "", 21), StatusWarn},
		{"30% warns", sentenceDoc(30, "", 21), StatusWarn},
		{"31% fails", sentenceDoc(31, "", 21), StatusFail},
	})
}

func TestTransitionWords(t *testing.T) {
	runCheckCases(t, CheckTransitionWords, []checkCase{
		{"19% fails", sentenceDoc(19, "however", 10), StatusFail},
		{"20% warns", sentenceDoc(20, "however", 10), StatusWarn},
		{"29% warns", sentenceDoc(29, "for example", 10), StatusWarn},
		{"30% passes", sentenceDoc(30, "for example", 10), StatusPass},
		{"31% passes", sentenceDoc(31, "as a result", 10), StatusPass},
		{"partial phrase does not count", sentenceDoc(50, "as a", 10), StatusFail},
	})
}

func TestPassiveVoice(t *testing.T) {
	runCheckCases(t, CheckPassiveVoice, []checkCase{
		{"9% passes", sentenceDoc(9, "was built", 10), StatusPass},
		{"10% passes", sentenceDoc(10, "was painted", 10), StatusPass},
		{"11% warns", sentenceDoc(11, "is being repaired", 10), StatusWarn},
		{"15% warns", sentenceDoc(15, "were quickly sold", 10), StatusWarn},
		{"16% fails", sentenceDoc(16, "was written", 10), StatusFail},
	})
}

func TestConsecutiveSentences(t *testing.T) {
	same := func(k int) string { return strings.Repeat("The dog runs. ", k) }
	runCheckCases(t, CheckConsecutiveSentences, []checkCase{
		{"two alike pass", Input{HTML: "<p>" + same(2) + "A cat sits.</p>"}, StatusPass},
		{"three alike warn", Input{HTML: "<p>" + same(3) + "A cat sits.</p>"}, StatusWarn},
		{"seven alike are one run", Input{HTML: "<p>" + same(7) + "</p>"}, StatusWarn},
		{"two runs fail", Input{HTML: "<p>" + same(3) + "A cat sits. " + same(3) + "</p>"}, StatusFail},
		{"case does not matter", Input{HTML: "<p>The dog. THE cat. The cow.</p>"}, StatusWarn},
		{"across list items", Input{HTML: "<ul><li>Use salt</li><li>Use oil</li><li>Use heat</li></ul>"}, StatusWarn},
		{"a heading breaks the run", Input{HTML: "<p>" + same(2) + "</p><h2>Next</h2><p>" + same(2) + "</p>"}, StatusPass},
	})
}

// fixedEase is English with a reading ease the test chooses.
type fixedEase struct {
	textstat.Language
	ease float64
}

func (f fixedEase) Tag() string                                         { return "xx" }
func (f fixedEase) ReadingEase(words, sentences, syllables int) float64 { return f.ease }

func TestReadingEase(t *testing.T) {
	for _, tc := range []struct {
		name string
		ease float64
		want Status
	}{
		{"49.9 fails", 49.9, StatusFail},
		{"50 warns", 50, StatusWarn},
		{"59.9 warns", 59.9, StatusWarn},
		{"60 passes", 60, StatusPass},
		{"60.1 passes", 60.1, StatusPass},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := NewAnalyzer(Options{Languages: []textstat.Language{fixedEase{Language: textstat.English(), ease: tc.ease}}})
			r, err := a.Analyze(Input{HTML: "<p>One sentence here.</p>", Locale: "xx-YY"})
			if err != nil {
				t.Fatal(err)
			}
			if c, ok := r.Check(CheckReadingEase); !ok || c.Status != tc.want {
				t.Errorf("reading ease %v: check %+v, want %s", tc.ease, c, tc.want)
			}
		})
	}
	// Real English: short words and sentences read easily, long ones do not.
	easy := analyze(t, Input{HTML: "<p>The cat sat on the mat. The dog ran to the park. We all had fun.</p>"})
	hard := analyze(t, Input{HTML: "<p>Institutional considerations notwithstanding, comprehensive optimization methodologies necessitate interdisciplinary collaboration and organizational transformation.</p>"})
	if c, _ := easy.Check(CheckReadingEase); c.Status != StatusPass {
		t.Errorf("easy text: %+v", c)
	}
	if c, _ := hard.Check(CheckReadingEase); c.Status != StatusFail {
		t.Errorf("hard text: %+v", c)
	}
}
