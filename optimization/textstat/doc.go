// Package textstat holds the language-dependent text statistics the
// optimization analyzer needs: word and sentence segmentation, syllable
// counts, stemming of word forms, stop words, transition words, passive
// voice and a reading-ease formula.
//
// Language is the port a new language fills; English returns the built-in
// English rules. Scanner walks a text once, word by word, and says where
// sentences end, handling abbreviations ("Dr.", "e.g."), dotted initials
// ("U.S."), decimals ("3.14"), URLs and ellipses:
//
//	en := textstat.English()
//	sc := textstat.NewScanner(en, "Dr. Smith paid $3.14. It was cheap.")
//	for sc.Next() {
//		fmt.Println(sc.Word(), sc.SentenceEnd())
//	}
//
// Everything here runs in time linear in the input and, on ASCII text,
// without allocating per word.
package textstat
