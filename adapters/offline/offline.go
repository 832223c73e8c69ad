package offline

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/igny8/sdk/ai"
	"github.com/igny8/sdk/igny8"
)

// ModelName is the model name the offline model reports in responses and
// so in call logs.
const ModelName = "offline (deterministic placeholder output, not a writer)"

// Options configures a Model; the zero value is usable.
type Options struct {
	// Dimensions of embeddings (default 256).
	Dimensions int
	// ImageSize is used when a request gives none (default "512x512").
	ImageSize string
}

// Model is the offline model: an igny8.LLM, igny8.Embedder and
// igny8.ImageGenerator that need no network and no key. It answers every
// function of the ai library with schema-valid output built from the
// input, the same for the same input, so the pipeline runs end to end. It
// is a stand-in for a provider, not a writer: its articles are
// placeholders.
type Model struct {
	dims int
	size string
}

var (
	_ igny8.LLM            = (*Model)(nil)
	_ igny8.Embedder       = (*Model)(nil)
	_ igny8.ImageGenerator = (*Model)(nil)
)

// New returns an offline Model.
func New(opts Options) *Model {
	m := &Model{dims: opts.Dimensions, size: opts.ImageSize}
	if m.dims <= 0 {
		m.dims = 256
	}
	if m.size == "" {
		m.size = "512x512"
	}
	return m
}

// Chat answers req. With a Schema it returns JSON for req.Function built
// from the input block the ai framework appends to the prompt (see
// ai.InputMarker); for a function it does not know, or without an input
// block, it fills the schema with placeholder values. Without a Schema it
// returns a short placeholder text.
func (m *Model) Chat(ctx context.Context, req igny8.ChatRequest) (igny8.ChatResponse, error) {
	const op = "offline.Chat"
	if err := ctx.Err(); err != nil {
		return igny8.ChatResponse{}, igny8.Wrap(igny8.CodeUnavailable, op, err)
	}
	if len(req.Messages) == 0 {
		return igny8.ChatResponse{}, igny8.InvalidArgument(op, "messages", "at least one message is needed")
	}
	promptWords := 0
	for _, msg := range req.Messages {
		promptWords += countWords(msg.Content)
	}
	var text string
	if len(req.Schema) == 0 {
		text = plainReply(req.Messages)
	} else {
		out, err := m.structured(req)
		if err != nil {
			return igny8.ChatResponse{}, err
		}
		text = out
	}
	return igny8.ChatResponse{
		Text:         text,
		Model:        ModelName,
		FinishReason: "stop",
		Usage: igny8.TokenUsage{
			PromptTokens:     promptWords * 4 / 3,
			CompletionTokens: len(text) / 4,
		},
	}, nil
}

func countWords(s string) int {
	n, in := 0, false
	for _, r := range s {
		sp := unicode.IsSpace(r)
		if !sp && !in {
			n++
		}
		in = !sp
	}
	return n
}

func plainReply(msgs []igny8.Message) string {
	last := ""
	for _, m := range msgs {
		if m.Role == igny8.RoleUser {
			last = m.Content
		}
	}
	words := strings.Fields(last)
	if len(words) > 12 {
		words = words[:12]
	}
	return "Offline model (deterministic placeholder output, not a writer). You said: " + strings.Join(words, " ")
}

// input returns the JSON of the input block, searching user messages from
// the first (re-asks come later and carry none).
func input(msgs []igny8.Message) []byte {
	for _, m := range msgs {
		if m.Role != igny8.RoleUser {
			continue
		}
		i := strings.LastIndex(m.Content, ai.InputMarker)
		if i < 0 {
			continue
		}
		body := m.Content[i+len(ai.InputMarker):]
		end := strings.LastIndex(body, "\n```")
		if end < 0 {
			continue
		}
		return []byte(body[:end])
	}
	return nil
}

func (m *Model) structured(req igny8.ChatRequest) (string, error) {
	raw := input(req.Messages)
	var out any
	var err error
	if raw != nil {
		out, err = forFunction(req.Function, raw)
	}
	if out == nil || err != nil {
		// Unknown function or unreadable input: fill the schema.
		v, ferr := fillSchema(req.Schema, seedWords(req.Messages))
		if ferr != nil {
			return "", igny8.InvalidArgument("offline.Chat", "schema", "%v", ferr)
		}
		out = v
	}
	b, err := json.Marshal(out)
	if err != nil {
		return "", igny8.Errorf(igny8.CodeInternal, "offline.Chat", "encode: %w", err)
	}
	return string(b), nil
}

func forFunction(fn string, raw []byte) (any, error) {
	switch fn {
	case igny8.FuncAutoCluster:
		var in ai.ClusterKeywordsInput
		if err := json.Unmarshal(raw, &in); err != nil || len(in.Keywords) == 0 {
			return nil, fmt.Errorf("input: %v", err)
		}
		return cluster(in), nil
	case igny8.FuncGenerateIdeas:
		var in ai.IdeasInput
		if err := json.Unmarshal(raw, &in); err != nil || len(in.Keywords) == 0 {
			return nil, fmt.Errorf("input: %v", err)
		}
		return ideas(in), nil
	case igny8.FuncGenerateContent:
		var in ai.ContentInput
		if err := json.Unmarshal(raw, &in); err != nil || in.Title == "" {
			return nil, fmt.Errorf("input: %v", err)
		}
		return content(in), nil
	case igny8.FuncGenerateImagePrompts:
		var in ai.ImagePromptsInput
		if err := json.Unmarshal(raw, &in); err != nil || in.Title == "" {
			return nil, fmt.Errorf("input: %v", err)
		}
		return imagePrompts(in), nil
	case igny8.FuncGenerateSiteStructure:
		var in ai.SiteStructureInput
		if err := json.Unmarshal(raw, &in); err != nil {
			return nil, err
		}
		return siteStructure(in), nil
	case igny8.FuncOptimizeContent:
		var in ai.OptimizeInput
		if err := json.Unmarshal(raw, &in); err != nil || in.HTML == "" {
			return nil, fmt.Errorf("input: %v", err)
		}
		return optimize(in), nil
	}
	return nil, nil
}

// ---- text helpers ----

var stopwords = map[string]bool{
	"a": true, "an": true, "and": true, "are": true, "as": true, "at": true, "be": true, "best": true,
	"by": true, "can": true, "do": true, "does": true, "for": true, "from": true, "how": true,
	"i": true, "in": true, "is": true, "it": true, "my": true, "near": true, "of": true, "on": true,
	"or": true, "the": true, "to": true, "vs": true, "what": true, "when": true, "where": true,
	"which": true, "who": true, "why": true, "with": true, "you": true, "your": true, "me": true,
}

func terms(s string) []string {
	f := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	out := f[:0]
	for _, w := range f {
		if !stopwords[w] && len(w) > 1 {
			out = append(out, w)
		}
	}
	return out
}

func titleCase(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		r, n := utf8.DecodeRuneInString(w)
		words[i] = string(unicode.ToTitle(r)) + w[n:]
	}
	return strings.Join(words, " ")
}

// cut shortens s to at most n runes at a word boundary.
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n]
	out := string(r)
	if i := strings.LastIndexByte(out, ' '); i > n/2 {
		out = out[:i]
	}
	return strings.TrimRight(out, " ,.;:-")
}

func hash(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

func seedWords(msgs []igny8.Message) []string {
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].Role == igny8.RoleUser {
			if t := terms(msgs[i].Content); len(t) > 0 {
				if len(t) > 8 {
					t = t[:8]
				}
				return t
			}
		}
	}
	return []string{"placeholder"}
}

// scrub removes banned phrases (case-insensitive) from s.
func scrub(s string, banned []string) string {
	for _, b := range banned {
		b = strings.TrimSpace(b)
		if b == "" {
			continue
		}
		s = regexp.MustCompile("(?i)"+regexp.QuoteMeta(b)).ReplaceAllLiteralString(s, "")
	}
	return s
}

func sortedKeys(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
