package textstat

// lexicon is a word map behind a 4096-bit filter on (length, first byte,
// last byte): most words of a text are in none of the lists, and the
// filter answers those without hashing the word.
type lexicon[V any] struct {
	bits [64]uint64
	m    map[string]V
}

func newLexicon[V any](n int) *lexicon[V] {
	return &lexicon[V]{m: make(map[string]V, n)}
}

func lexKey(w string) uint {
	return (uint(len(w))*131 + uint(w[0])*31 + uint(w[len(w)-1])) & 4095
}

func (l *lexicon[V]) put(w string, v V) {
	if w == "" {
		return
	}
	k := lexKey(w)
	l.bits[k>>6] |= 1 << (k & 63)
	l.m[w] = v
}

func (l *lexicon[V]) get(w string) (V, bool) {
	var zero V
	if w == "" {
		return zero, false
	}
	if k := lexKey(w); l.bits[k>>6]&(1<<(k&63)) == 0 {
		return zero, false
	}
	v, ok := l.m[w]
	return v, ok
}

func (l *lexicon[V]) has(w string) bool {
	_, ok := l.get(w)
	return ok
}

func wordSet(words []string) *lexicon[bool] {
	l := newLexicon[bool](len(words))
	for _, w := range words {
		l.put(w, true)
	}
	return l
}
