package planning

import (
	"strings"

	"github.com/kljensen/snowball/english"
)

// intentMask is a set of intents, one bit each, detected from the
// modifiers a keyword contains.
type intentMask uint8

const (
	maskInformational intentMask = 1 << iota
	maskNavigational
	maskCommercial
	maskTransactional
)

// compatible reports whether two sets may share a cluster: one of them
// signals no intent, or both signal the same.
func compatible(a, b intentMask) bool {
	return a == 0 || b == 0 || a == b
}

func maskOf(i Intent) intentMask {
	switch i {
	case IntentInformational:
		return maskInformational
	case IntentNavigational:
		return maskNavigational
	case IntentCommercial:
		return maskCommercial
	case IntentTransactional:
		return maskTransactional
	}
	return 0
}

func (m intentMask) intent() Intent {
	switch m {
	case maskInformational:
		return IntentInformational
	case maskNavigational:
		return IntentNavigational
	case maskCommercial:
		return IntentCommercial
	case maskTransactional:
		return IntentTransactional
	}
	return IntentUnknown
}

// modifiers maps intent modifiers (single words, or two-word phrases
// written with a space) to the intent they signal. They are left out of the
// lexical vector: "buy running shoes" and "running shoes" are about the same
// thing, and the intent keeps them apart instead.
var modifierWords = map[string]intentMask{
	"buy": maskTransactional, "purchase": maskTransactional, "order": maskTransactional,
	"cheap": maskTransactional, "cheapest": maskTransactional, "price": maskTransactional,
	"prices": maskTransactional, "pricing": maskTransactional, "cost": maskTransactional,
	"deal": maskTransactional, "deals": maskTransactional, "discount": maskTransactional,
	"coupon": maskTransactional, "coupons": maskTransactional, "sale": maskTransactional,
	"shop": maskTransactional, "hire": maskTransactional, "rent": maskTransactional,
	"rental": maskTransactional, "delivery": maskTransactional, "near me": maskTransactional,
	"for sale": maskTransactional,

	"best": maskCommercial, "top": maskCommercial, "review": maskCommercial,
	"reviews": maskCommercial, "vs": maskCommercial, "versus": maskCommercial,
	"compare": maskCommercial, "comparison": maskCommercial, "alternative": maskCommercial,
	"alternatives": maskCommercial, "rated": maskCommercial, "recommended": maskCommercial,

	"how": maskInformational, "what": maskInformational, "why": maskInformational,
	"when": maskInformational, "where": maskInformational, "who": maskInformational,
	"guide": maskInformational, "tutorial": maskInformational, "tips": maskInformational,
	"ideas": maskInformational, "examples": maskInformational, "meaning": maskInformational,
	"definition": maskInformational, "diy": maskInformational, "learn": maskInformational,
	"how to": maskInformational, "what is": maskInformational, "ways": maskInformational,

	"login": maskNavigational, "signin": maskNavigational, "sign in": maskNavigational,
	"log in": maskNavigational, "official website": maskNavigational, "official": maskNavigational,
	"account": maskNavigational, "support": maskNavigational, "help": maskNavigational,
	"help center":      maskNavigational,
	"customer service": maskNavigational, "phone number": maskNavigational,
}

// stopWords are dropped from lexical vectors (after modifiers are read).
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`a an the and or but of for to in on at by with without from into
		onto about as is are was were be been being do does did can could should would will shall may
		might must i me my we our you your he she it its they them their this that these those there
		here than then so if not no yes vs very too also just more most some any all each every which
		whose whom am s t don doesn isn aren near under over up down out off again per via online`) {
		m[w] = true
	}
	return m
}()

// analyzer turns normalized keyword text into stemmed content tokens and an
// intent set. It caches stems; one analyzer serves one clustering run (it is
// not safe for concurrent use).
type analyzer struct {
	stems map[string]string
}

func newAnalyzer() *analyzer { return &analyzer{stems: make(map[string]string, 4096)} }

// analyze splits a normalized text into content stems (in order, with
// repeats removed) and the intents its modifiers signal.
func (a *analyzer) analyze(normalized string, tokens []string) ([]string, intentMask) {
	words := strings.Fields(normalized)
	var mask intentMask
	skip := make([]bool, len(words))
	for i := 0; i+1 < len(words); i++ {
		if m, ok := modifierWords[words[i]+" "+words[i+1]]; ok {
			mask |= m
			skip[i], skip[i+1] = true, true
		}
	}
	tokens = tokens[:0]
	for i, w := range words {
		if skip[i] {
			continue
		}
		if m, ok := modifierWords[w]; ok {
			mask |= m
			continue
		}
		if stopWords[w] {
			continue
		}
		s, ok := a.stems[w]
		if !ok {
			s = english.Stem(w, true)
			a.stems[w] = s
		}
		dup := false
		for _, t := range tokens {
			if t == s {
				dup = true
				break
			}
		}
		if !dup {
			tokens = append(tokens, s)
		}
	}
	return tokens, mask
}
