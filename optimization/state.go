package optimization

import (
	"fmt"
	"strings"

	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/optimization/textstat"
)

// form is a keyphrase or a synonym reduced to the stems of its content
// words, in order.
type form struct {
	stems []string
	words int // all words, stop words included
}

// metrics are the body measurements one pass over the blocks yields.
type metrics struct {
	words, sentences, syllables         int
	sentenceWords                       int // words in sentences, headings excluded
	longSentences, transitions, passive int
	runs                                int // runs of 3+ sentences starting with the same word
	paragraphs, longParagraphs          int
	maxParagraph                        int
	subheadings, subheadingsWithKey     int
	headings                            int // headings of any level
	sections, longSections              int
	maxSection                          int
	keyCount                            int
	introFound, introSentence           bool
	hasIntro                            bool
}

// state is one Analyze call's scratch space, pooled by the Analyzer.
type state struct {
	lang  textstat.Language
	doc   doc
	text  string
	forms []form
	// counts holds, per form, how often each of its stems was seen in the
	// text last tallied; offs[i] is where form i's counts start.
	counts []int
	offs   []int
	// introSeen marks the stems of each form seen in the first paragraph.
	introSeen []bool
	sc        textstat.Scanner
	words     []string
	prevFirst string
	run       int
	m         metrics
}

// setKeyphrase reduces the keyphrase and its synonyms to forms.
func (st *state) setKeyphrase(key string, synonyms []string) error {
	st.forms = st.forms[:0]
	if strings.TrimSpace(key) == "" {
		return nil
	}
	if err := st.addForm(key, "keyphrase"); err != nil {
		return err
	}
	for i, s := range synonyms {
		if strings.TrimSpace(s) == "" {
			continue
		}
		if err := st.addForm(s, fmt.Sprintf("synonyms[%d]", i)); err != nil {
			return err
		}
	}
	st.offs = st.offs[:0]
	n := 0
	for _, f := range st.forms {
		st.offs = append(st.offs, n)
		n += len(f.stems)
	}
	st.counts = grow(st.counts, n)
	st.introSeen = growBool(st.introSeen, n)
	return nil
}

func (st *state) addForm(phrase, field string) error {
	var f form
	var all []string
	st.sc.Reset(phrase)
	for st.sc.Next() {
		w := strings.ToLower(st.sc.Word())
		f.words++
		if f.words > maxKeyphraseWords {
			return igny8.InvalidArgument(opAnalyze, field, "has more than %d words", maxKeyphraseWords)
		}
		s := st.lang.Stem(w)
		all = append(all, s)
		if !st.lang.IsStopWord(w) {
			f.stems = append(f.stems, s)
		}
	}
	if f.words == 0 {
		return nil
	}
	if len(f.stems) == 0 {
		f.stems = all // a keyphrase of stop words only ("to be or not to be")
	}
	st.forms = append(st.forms, f)
	return nil
}

func grow(s []int, n int) []int {
	if cap(s) < n {
		return make([]int, n)
	}
	return s[:n]
}

func growBool(s []bool, n int) []bool {
	if cap(s) < n {
		return make([]bool, n)
	}
	return s[:n]
}

func (st *state) hasKey() bool { return len(st.forms) > 0 }

// tallyWords counts the stems of every form in words (lower-cased).
func (st *state) tallyWords(words []string) {
	clear(st.counts)
	if len(st.forms) == 0 {
		return
	}
	for _, w := range words {
		st.tallyStem(st.lang.Stem(w))
	}
}

func (st *state) tallyStem(s string) {
	for fi := range st.forms {
		off := st.offs[fi]
		for i, fs := range st.forms[fi].stems {
			if fs == s {
				st.counts[off+i]++
			}
		}
	}
}

// tally counts the stems of every form in text.
func (st *state) tally(text string) {
	clear(st.counts)
	if len(st.forms) == 0 {
		return
	}
	st.sc.Reset(text)
	for st.sc.Next() {
		st.tallyStem(st.lang.Stem(strings.ToLower(st.sc.Word())))
	}
}

// occurrences is how often form fi occurs in the last tally: the count of
// its rarest stem.
func (st *state) occurrences(fi int) int {
	off := st.offs[fi]
	n := -1
	for i := range st.forms[fi].stems {
		if c := st.counts[off+i]; n < 0 || c < n {
			n = c
		}
	}
	return max(n, 0)
}

// anyFull reports whether some form occurs whole in the last tally.
func (st *state) anyFull() bool {
	for fi := range st.forms {
		if st.occurrences(fi) > 0 {
			return true
		}
	}
	return false
}

// totalOccurrences sums the occurrences of all forms in the last tally.
func (st *state) totalOccurrences() int {
	n := 0
	for fi := range st.forms {
		n += st.occurrences(fi)
	}
	return n
}

// bestFraction is the largest share of a form's stems in the last tally.
func (st *state) bestFraction() float64 {
	best := 0.0
	for fi, f := range st.forms {
		off, seen := st.offs[fi], 0
		for i := range f.stems {
			if st.counts[off+i] > 0 {
				seen++
			}
		}
		if fr := float64(seen) / float64(len(f.stems)); fr > best {
			best = fr
		}
	}
	return best
}

// measure walks the parsed blocks once and fills st.m.
func (st *state) measure() {
	st.m = metrics{}
	st.text = string(st.doc.text)
	st.prevFirst, st.run = "", 0
	clear(st.introSeen)
	intro := st.introBlock()
	st.m.hasIntro = intro >= 0
	section := 0
	closeSection := func() {
		if section > 0 {
			st.m.sections++
			if section > maxSectionWords {
				st.m.longSections++
			}
			st.m.maxSection = max(st.m.maxSection, section)
		}
		section = 0
	}
	for bi, b := range st.doc.blocks {
		text := st.text[b.start:b.end]
		if b.kind == kindHeading {
			closeSection()
			st.m.headings++
			st.prevFirst, st.run = "", 0
			st.words = st.words[:0]
			st.sc.Reset(text)
			for st.sc.Next() {
				st.words = append(st.words, strings.ToLower(st.sc.Word()))
			}
			st.m.words += len(st.words)
			st.tallyWords(st.words)
			st.m.keyCount += st.totalOccurrences()
			if b.level == 2 || b.level == 3 {
				st.m.subheadings++
				if st.hasKey() && st.anyFull() {
					st.m.subheadingsWithKey++
				}
			}
			continue
		}
		st.sc.Reset(text)
		st.words = st.words[:0]
		blockWords := 0
		for st.sc.Next() {
			st.words = append(st.words, strings.ToLower(st.sc.Word()))
			if st.sc.SentenceEnd() {
				blockWords += len(st.words)
				st.sentence(st.words, bi == intro)
				st.words = st.words[:0]
			}
		}
		section += blockWords
		if b.kind == kindText {
			st.m.paragraphs++
			if blockWords > maxParagraphWords {
				st.m.longParagraphs++
			}
			st.m.maxParagraph = max(st.m.maxParagraph, blockWords)
		}
	}
	closeSection()
	if intro >= 0 && st.hasKey() {
		for fi, f := range st.forms {
			all := true
			for i := range f.stems {
				all = all && st.introSeen[st.offs[fi]+i]
			}
			st.m.introFound = st.m.introFound || all
		}
	}
}

// introBlock returns the index of the first paragraph: the first block in
// a <p>, else the first text or list block; -1 if there is none.
func (st *state) introBlock() int {
	fallback := -1
	for i, b := range st.doc.blocks {
		if b.kind == kindHeading {
			continue
		}
		if b.paragraph {
			return i
		}
		if fallback < 0 {
			fallback = i
		}
	}
	return fallback
}

// sentence records one sentence of body text.
func (st *state) sentence(words []string, intro bool) {
	n := len(words)
	if n == 0 {
		return
	}
	m := &st.m
	m.sentences++
	m.words += n
	m.sentenceWords += n
	if n > maxSentenceWords {
		m.longSentences++
	}
	for _, w := range words {
		m.syllables += st.lang.Syllables(w)
	}
	if st.lang.HasTransition(words) {
		m.transitions++
	}
	if st.lang.IsPassive(words) {
		m.passive++
	}
	if words[0] == st.prevFirst {
		st.run++
		if st.run == consecutiveRun {
			m.runs++
		}
	} else {
		st.prevFirst, st.run = words[0], 1
	}
	if !st.hasKey() {
		return
	}
	st.tallyWords(words)
	m.keyCount += st.totalOccurrences()
	if intro {
		if st.anyFull() {
			m.introSentence = true
		}
		for i, c := range st.counts {
			if c > 0 {
				st.introSeen[i] = true
			}
		}
	}
}
