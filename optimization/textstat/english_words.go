package textstat

// The English word lists, as functions so that no package state exists;
// English copies them into its lexicons once.

func enAbbreviations() []string {
	return []string{
		"mr", "mrs", "ms", "mx", "dr", "prof", "sr", "jr", "st", "mt", "vs", "cf", "al",
		"e.g", "i.e", "eg", "ie", "approx", "dept", "est", "fig", "figs", "vol", "vols", "no", "nos",
		"pp", "p", "ch", "sec", "gen", "col", "lt", "sgt", "capt", "cmdr", "gov", "sen", "rep", "rev",
		"hon", "ave", "blvd", "rd", "apt", "ft", "in", "lb", "lbs", "oz", "jan", "feb", "apr", "jun",
		"jul", "aug", "sep", "sept", "oct", "nov", "dec", "mon", "tue", "tues", "wed", "thu", "thurs", "fri",
	}
}

func enStopWords() []string {
	return []string{
		"a", "about", "above", "after", "again", "against", "all", "am", "an", "and", "any", "are", "as", "at",
		"be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could",
		"did", "do", "does", "doing", "down", "during", "each", "few", "for", "from", "further", "had", "has",
		"have", "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how", "i", "if",
		"in", "into", "is", "it", "its", "itself", "just", "me", "more", "most", "my", "myself", "no", "nor",
		"not", "now", "of", "off", "on", "once", "only", "or", "other", "our", "ours", "ourselves", "out",
		"over", "own", "same", "she", "should", "so", "some", "such", "than", "that", "the", "their",
		"theirs", "them", "themselves", "then", "there", "these", "they", "this", "those", "through", "to",
		"too", "under", "until", "up", "very", "was", "we", "were", "what", "when", "where", "which",
		"while", "who", "whom", "why", "will", "with", "would", "you", "your", "yours", "yourself",
		"yourselves", "it's", "don't", "can't", "won't", "i'm", "you're", "we're", "they're",
	}
}

func enPassiveAux() []string {
	return []string{
		"am", "is", "are", "was", "were", "be", "been", "being", "isn't", "aren't", "wasn't", "weren't",
		"get", "gets", "got", "gotten", "getting", "it's", "that's", "he's", "she's",
	}
}

func enPassiveAdverbs() []string {
	return []string{
		"not", "never", "also", "always", "often", "already", "just", "still", "now", "then", "being",
		"been", "usually", "rarely", "sometimes", "currently", "then", "all", "both", "soon", "ever",
	}
}

// enNotParticiples end in -ed but are not past participles.
func enNotParticiples() []string {
	return []string{
		"hundred", "indeed", "naked", "sacred", "wicked", "wretched", "ragged", "rugged", "crooked",
		"beloved", "learned", "aged", "dogged", "jagged", "blessed", "cursed", "needed", "seed", "speed",
		"embed", "kindred", "biped", "rabid", "infrared", "shred", "sled", "breed", "greed", "creed",
	}
}

func enIrregularParticiples() []string {
	return []string{
		"arisen", "awoken", "been", "borne", "born", "beaten", "become", "begun", "bent", "bet", "bid",
		"bidden", "bound", "bitten", "bled", "blown", "broken", "bred", "brought", "built", "burnt",
		"burst", "bought", "cast", "caught", "chosen", "clung", "come", "cost", "crept", "cut", "dealt",
		"dug", "done", "drawn", "dreamt", "drunk", "driven", "dwelt", "eaten", "fallen", "fed", "felt",
		"fought", "found", "fled", "flung", "flown", "forbidden", "forecast", "forgotten", "forgiven",
		"frozen", "given", "gone", "ground", "grown", "hung", "heard", "hidden", "hit", "held", "hurt",
		"kept", "knelt", "known", "laid", "led", "leapt", "learnt", "left", "lent", "let", "lain", "lit",
		"lost", "made", "meant", "met", "mistaken", "misunderstood", "mown", "overcome", "overdone",
		"overtaken", "overthrown", "paid", "proven", "put", "quit", "read", "rid", "ridden", "rung",
		"risen", "run", "sawn", "said", "seen", "sought", "sold", "sent", "set", "sewn", "shaken", "shed",
		"shone", "shot", "shown", "shrunk", "shut", "sung", "sunk", "sat", "slain", "slept", "slid",
		"slung", "slit", "smelt", "sown", "spoken", "sped", "spelt", "spent", "spilt", "spun", "spit",
		"split", "spoilt", "spread", "sprung", "stood", "stolen", "stuck", "stung", "stunk", "stridden",
		"struck", "strung", "striven", "sworn", "swept", "swollen", "swum", "swung", "taken", "taught",
		"torn", "told", "thought", "thrown", "thrust", "trodden", "understood", "undertaken", "undone",
		"upset", "woken", "worn", "woven", "wed", "wept", "won", "wound", "withdrawn", "withheld",
		"withstood", "wrung", "written",
	}
}

func enIrregularNouns() [][2]string {
	return [][2]string{
		{"children", "child"}, {"men", "man"}, {"women", "woman"}, {"people", "person"}, {"mice", "mouse"},
		{"feet", "foot"}, {"teeth", "tooth"}, {"geese", "goose"}, {"oxen", "ox"}, {"lives", "lif"},
		{"knives", "knif"}, {"wives", "wif"}, {"leaves", "leaf"}, {"halves", "half"}, {"wolves", "wolf"},
		{"shelves", "shelf"}, {"analyses", "analysis"}, {"criteria", "criterion"}, {"phenomena", "phenomenon"},
		{"data", "data"}, {"media", "media"}, {"indices", "index"}, {"indexes", "index"}, {"index", "index"},
		{"life", "lif"}, {"knife", "knif"}, {"wife", "wif"}, {"leaf", "leaf"}, {"half", "half"},
		{"ran", "run"}, {"news", "news"}, {"series", "series"}, {"species", "species"},
	}
}

func enSyllableExceptions() map[string]int {
	return map[string]int{
		"the": 1, "every": 2, "everything": 3, "everyone": 3, "business": 2, "businesses": 3, "people": 2,
		"area": 3, "areas": 3, "idea": 3, "ideas": 3, "queue": 1, "queues": 1, "poem": 2, "poems": 2,
		"quiet": 2, "science": 2, "sciences": 3, "create": 2, "created": 3, "creates": 2, "creating": 3,
		"real": 1, "really": 2, "toward": 2, "towards": 2, "different": 3, "interest": 3, "interesting": 4,
		"family": 3, "evening": 2, "beautiful": 3, "several": 3, "chocolate": 3, "camera": 3,
		"comfortable": 4, "vegetable": 4, "temperature": 4, "restaurant": 3, "average": 3, "general": 3,
		"natural": 3, "favorite": 3, "favourite": 3, "naive": 2, "recipe": 3, "recipes": 3, "simile": 3,
		"apostrophe": 4, "catastrophe": 4, "coyote": 3, "cafe": 2, "café": 2, "user": 2, "users": 2,
		"fire": 1, "hour": 1, "hours": 1, "our": 1, "flour": 1, "being": 2, "doing": 2, "going": 2,
		"seeing": 2, "lion": 2, "diet": 2, "science's": 2, "client": 2, "clients": 2, "giant": 2,
		"orient": 3, "variety": 4, "society": 4, "anxiety": 4, "via": 2, "video": 3, "videos": 3,
		"radio": 3, "audio": 3, "studio": 3, "ratio": 2, "patio": 3, "aorta": 3, "area's": 3, "eye": 1,
		"eyes": 1, "bye": 1, "dye": 1, "you're": 1, "we're": 1, "they're": 1, "smile": 1, "smiles": 1,
		"whole": 1, "sure": 1, "whose": 1, "one": 1, "once": 1, "someone": 2, "something": 2, "sometimes": 2,
		"somewhere": 2, "anyone": 3, "anywhere": 3, "everywhere": 3, "are": 1, "were": 1, "where": 1,
		"there": 1, "here": 1, "more": 1, "before": 2, "therefore": 2, "furthermore": 3, "google": 2,
		"seo": 3, "wordpress": 2, "website": 2, "websites": 2, "homepage": 2, "online": 2, "guideline": 2,
		"guidelines": 2, "lifestyle": 2, "likely": 2, "lately": 2, "nineteen": 2, "ninety": 2,
	}
}

// enTransitions are transition words and phrases, lower case.
func enTransitions() []string {
	return []string{
		"accordingly", "additionally", "afterward", "afterwards", "albeit", "also", "although", "altogether",
		"another", "basically", "because", "before", "besides", "but", "certainly", "chiefly",
		"comparatively", "concurrently", "consequently", "contrarily", "conversely", "correspondingly",
		"despite", "doubtedly", "during", "e.g", "earlier", "emphatically", "equally", "especially",
		"eventually", "evidently", "explicitly", "finally", "firstly", "following", "formerly", "forthwith",
		"fourthly", "further", "furthermore", "generally", "hence", "henceforth", "however", "i.e",
		"identically", "indeed", "instead", "last", "lastly", "later", "lest", "likewise", "markedly",
		"meanwhile", "moreover", "nevertheless", "nonetheless", "nor", "notwithstanding", "obviously",
		"occasionally", "otherwise", "overall", "particularly", "presently", "previously", "rather",
		"regardless", "secondly", "shortly", "significantly", "similarly", "simultaneously", "since", "so",
		"soon", "specifically", "still", "straightaway", "subsequently", "surely", "surprisingly", "than",
		"then", "thereafter", "therefore", "thereupon", "thirdly", "though", "thus", "till", "undeniably",
		"undoubtedly", "unless", "unlike", "unquestionably", "until", "when", "whenever", "whereas",
		"while", "first", "second", "third", "next", "yet",
		"above all", "after all", "after that", "all in all", "all of a sudden", "all things considered",
		"analogous to", "as a matter of fact", "as a result", "as an illustration", "as can be seen",
		"as has been noted", "as long as", "as much as", "as shown above", "as soon as", "as well as",
		"at any rate", "at first", "at last", "at least", "at the same time", "because of", "by all means",
		"by and large", "by comparison", "by contrast", "by the same token", "by the time", "compared to",
		"be that as it may", "coupled with", "different from", "due to", "equally important", "even if",
		"even more", "even so", "even though", "for example", "for fear that", "for instance",
		"for one thing", "for that reason", "for the most part", "for the purpose of", "for the same reason",
		"for this purpose", "for this reason", "from time to time", "given that", "given these points",
		"in a word", "in addition", "in another case", "in any case", "in any event", "in brief", "in case",
		"in conclusion", "in contrast", "in detail", "in due time", "in effect", "in either case",
		"in essence", "in fact", "in general", "in light of", "in like fashion", "in like manner",
		"in order that", "in order to", "in other words", "in particular", "in reality", "in short",
		"in similar fashion", "in spite of", "in sum", "in summary", "in that case", "in the event that",
		"in the final analysis", "in the first place", "in the hope that", "in the light of",
		"in the long run", "in the meantime", "in the same fashion", "in the same way", "in the second place",
		"in this case", "in this situation", "in time", "in truth", "in view of", "most important",
		"not only", "not to mention", "now that", "of course", "on account of", "on balance",
		"on condition that", "on one hand", "on the condition that", "on the contrary",
		"on the other hand", "on the whole", "on top of that", "only if", "owing to", "prior to",
		"provided that", "seeing that", "so as to", "so far", "so long as", "so that", "sooner or later",
		"such as", "summing up", "take the case of", "that is", "that is to say", "then again", "this time",
		"to be sure", "to begin with", "to clarify", "to conclude", "to demonstrate", "to emphasize",
		"to explain", "to illustrate", "to point out", "to put it another way", "to put it differently",
		"to repeat", "to say nothing of", "to sum up", "to summarize", "to that end", "to this end",
		"together with", "under those circumstances", "until now", "what's more", "with this in mind",
		"without a doubt", "without delay", "without doubt",
	}
}
