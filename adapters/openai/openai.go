package openai

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	einoemb "github.com/cloudwego/eino-ext/components/embedding/openai"
	einomodel "github.com/cloudwego/eino-ext/components/model/openai"
	"github.com/cloudwego/eino/components/model"
	"github.com/cloudwego/eino/schema"

	"github.com/igny8/sdk/igny8"
)

// StructuredMode is how the adapter asks for JSON that matches a schema.
type StructuredMode string

// Structured output modes.
const (
	// ModeAuto starts with json_schema and steps down to a forced tool
	// call, then to json_object, when the server answers 400 because it
	// lacks the mode; the client remembers the mode that worked.
	ModeAuto StructuredMode = "auto"
	// ModeJSONSchema sends response_format {type: json_schema, strict}.
	ModeJSONSchema StructuredMode = "json_schema"
	// ModeTool forces a call of one function whose parameters are the
	// schema, and reads its arguments.
	ModeTool StructuredMode = "tool"
	// ModeJSONObject sends response_format {type: json_object} and puts
	// the schema in the system message.
	ModeJSONObject StructuredMode = "json_object"
)

// Defaults of Config.
const (
	DefaultBaseURL        = "https://api.openai.com/v1"
	DefaultModel          = "gpt-4o-mini"
	DefaultEmbeddingModel = "text-embedding-3-small"
	DefaultImageModel     = "dall-e-3"
	DefaultTimeout        = 120 * time.Second
)

// Config configures a Client. Only APIKey is needed for OpenAI itself; set
// BaseURL for any OpenAI-compatible server (Ollama's
// http://localhost:11434/v1, vLLM, llama.cpp server).
type Config struct {
	BaseURL      string
	APIKey       string
	Organization string
	Model        string
	// EmbeddingModel and EmbeddingDimensions (0: the model's own) are for
	// Embed.
	EmbeddingModel      string
	EmbeddingDimensions int
	ImageModel          string
	// Timeout bounds each HTTP call (default 120s); a call that times out
	// is Unavailable.
	Timeout time.Duration
	// HTTPClient is used for every call; its Transport is wrapped (not
	// changed) to read status and Retry-After.
	HTTPClient     *http.Client
	StructuredMode StructuredMode
}

// Client is an igny8.LLM, igny8.Embedder and igny8.ImageGenerator for the
// OpenAI API and compatible servers. It does not retry: the ai.Runner
// does, so that attempts are counted and logged in one place. Errors carry
// the kernel's codes: 429, 408, 5xx, timeouts and unreadable responses are
// Unavailable (with a *igny8.RetryAfterError when the server sent
// Retry-After), 401/403 PermissionDenied, other 4xx InvalidArgument; the
// server's message is kept.
type Client struct {
	cfg  Config
	http *http.Client
	chat *einomodel.ChatModel
	emb  *einoemb.Embedder
	mode atomic.Value // StructuredMode in use
}

var (
	_ igny8.LLM            = (*Client)(nil)
	_ igny8.Embedder       = (*Client)(nil)
	_ igny8.ImageGenerator = (*Client)(nil)
)

// New returns a Client.
func New(ctx context.Context, cfg Config) (*Client, error) {
	const op = "openai.New"
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	if !strings.HasPrefix(cfg.BaseURL, "http://") && !strings.HasPrefix(cfg.BaseURL, "https://") {
		return nil, igny8.InvalidArgument(op, "base_url", "%q is not an http(s) URL", cfg.BaseURL)
	}
	if cfg.Model == "" {
		cfg.Model = DefaultModel
	}
	if cfg.EmbeddingModel == "" {
		cfg.EmbeddingModel = DefaultEmbeddingModel
	}
	if cfg.ImageModel == "" {
		cfg.ImageModel = DefaultImageModel
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	switch cfg.StructuredMode {
	case "":
		cfg.StructuredMode = ModeAuto
	case ModeAuto, ModeJSONSchema, ModeTool, ModeJSONObject:
	default:
		return nil, igny8.InvalidArgument(op, "structured_mode", "%q is not auto, json_schema, tool or json_object", cfg.StructuredMode)
	}
	hc := &http.Client{Timeout: cfg.Timeout}
	base := http.DefaultTransport
	if cfg.HTTPClient != nil {
		*hc = *cfg.HTTPClient
		if hc.Timeout == 0 {
			hc.Timeout = cfg.Timeout
		}
		if hc.Transport != nil {
			base = hc.Transport
		}
	}
	hc.Transport = &recorder{base: base, org: cfg.Organization}
	c := &Client{cfg: cfg, http: hc}
	start := cfg.StructuredMode
	if start == ModeAuto {
		start = ModeJSONSchema
	}
	c.mode.Store(start)
	var err error
	c.chat, err = einomodel.NewChatModel(ctx, &einomodel.ChatModelConfig{
		BaseURL: cfg.BaseURL, APIKey: cfg.APIKey, Model: cfg.Model, HTTPClient: hc,
	})
	if err != nil {
		return nil, igny8.Errorf(igny8.CodeInvalidArgument, op, "chat model: %w", err)
	}
	ecfg := &einoemb.EmbeddingConfig{BaseURL: cfg.BaseURL, APIKey: cfg.APIKey, Model: cfg.EmbeddingModel, HTTPClient: hc}
	if cfg.EmbeddingDimensions > 0 {
		d := cfg.EmbeddingDimensions
		ecfg.Dimensions = &d
	}
	c.emb, err = einoemb.NewEmbedder(ctx, ecfg)
	if err != nil {
		return nil, igny8.Errorf(igny8.CodeInvalidArgument, op, "embedder: %w", err)
	}
	return c, nil
}

// Mode returns the structured output mode the client uses now.
func (c *Client) Mode() StructuredMode { return c.mode.Load().(StructuredMode) }

// exchange records the status and headers of the HTTP response to a call,
// which eino's errors do not carry.
type exchange struct {
	mu     sync.Mutex
	status int
	header http.Header
}

type exchangeKey struct{}

// recorder is the Transport wrapper: it adds the organization header and
// records each response's status and headers into the call's exchange.
type recorder struct {
	base http.RoundTripper
	org  string
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	if r.org != "" {
		req = req.Clone(req.Context())
		req.Header.Set("OpenAI-Organization", r.org)
	}
	resp, err := r.base.RoundTrip(req)
	if ex, ok := req.Context().Value(exchangeKey{}).(*exchange); ok && resp != nil {
		ex.mu.Lock()
		ex.status, ex.header = resp.StatusCode, resp.Header.Clone()
		ex.mu.Unlock()
	}
	return resp, err
}

func withExchange(ctx context.Context) (context.Context, *exchange) {
	ex := &exchange{}
	return context.WithValue(ctx, exchangeKey{}, ex), ex
}

func (ex *exchange) get() (int, http.Header) {
	ex.mu.Lock()
	defer ex.mu.Unlock()
	return ex.status, ex.header
}

// Chat sends req to /chat/completions. With a Schema the reply's text is
// the JSON the model produced (from the content, or from the forced tool
// call's arguments).
func (c *Client) Chat(ctx context.Context, req igny8.ChatRequest) (igny8.ChatResponse, error) {
	const op = "openai.Chat"
	if len(req.Messages) == 0 {
		return igny8.ChatResponse{}, igny8.InvalidArgument(op, "messages", "at least one message is needed")
	}
	for {
		mode := c.Mode()
		resp, status, err := c.chatOnce(ctx, req, mode)
		if err == nil {
			return resp, nil
		}
		if len(req.Schema) > 0 && c.cfg.StructuredMode == ModeAuto && status == http.StatusBadRequest {
			if next, ok := fallback(mode, err); ok {
				// Another client call may have stepped down already.
				c.mode.CompareAndSwap(mode, next)
				continue
			}
		}
		return igny8.ChatResponse{}, err
	}
}

// fallback says which mode to try after a 400 that blames the mode.
func fallback(mode StructuredMode, err error) (StructuredMode, bool) {
	msg := strings.ToLower(err.Error())
	switch mode {
	case ModeJSONSchema:
		if strings.Contains(msg, "response_format") || strings.Contains(msg, "json_schema") {
			return ModeTool, true
		}
	case ModeTool:
		if strings.Contains(msg, "tool") || strings.Contains(msg, "function") {
			return ModeJSONObject, true
		}
	}
	return "", false
}

func (c *Client) chatOnce(ctx context.Context, req igny8.ChatRequest, mode StructuredMode) (igny8.ChatResponse, int, error) {
	const op = "openai.Chat"
	msgs := make([]*schema.Message, 0, len(req.Messages)+1)
	name := schemaName(req.SchemaName)
	if len(req.Schema) > 0 && mode == ModeJSONObject {
		msgs = append(msgs, schema.SystemMessage("Reply with one JSON object that matches this JSON Schema:\n"+string(req.Schema)))
	}
	for _, m := range req.Messages {
		switch m.Role {
		case igny8.RoleSystem:
			msgs = append(msgs, schema.SystemMessage(m.Content))
		case igny8.RoleUser:
			msgs = append(msgs, schema.UserMessage(m.Content))
		case igny8.RoleAssistant:
			msgs = append(msgs, schema.AssistantMessage(m.Content, nil))
		default:
			return igny8.ChatResponse{}, 0, igny8.InvalidArgument(op, "messages.role", "unknown role %q", m.Role)
		}
	}
	modelName := c.cfg.Model
	if req.Model != "" {
		modelName = req.Model
	}
	opts := []model.Option{model.WithModel(modelName)}
	if req.Temperature != nil {
		opts = append(opts, model.WithTemperature(float32(*req.Temperature)))
	}
	if req.MaxTokens > 0 {
		opts = append(opts, model.WithMaxTokens(req.MaxTokens))
	}
	if len(req.Schema) > 0 {
		var extra map[string]any
		switch mode {
		case ModeJSONSchema:
			extra = map[string]any{"response_format": map[string]any{
				"type":        "json_schema",
				"json_schema": map[string]any{"name": name, "schema": strictSchema(req.Schema), "strict": true},
			}}
		case ModeTool:
			extra = map[string]any{
				"tools": []any{map[string]any{"type": "function", "function": map[string]any{
					"name": name, "description": "Return the answer.", "parameters": req.Schema,
				}}},
				"tool_choice": map[string]any{"type": "function", "function": map[string]any{"name": name}},
			}
		case ModeJSONObject:
			extra = map[string]any{"response_format": map[string]any{"type": "json_object"}}
		}
		opts = append(opts, einomodel.WithExtraFields(extra))
	}
	ctx, ex := withExchange(ctx)
	out, err := c.chat.Generate(ctx, msgs, opts...)
	status, header := ex.get()
	if err != nil {
		return igny8.ChatResponse{}, status, mapErr(ctx, op, status, header, err)
	}
	resp := igny8.ChatResponse{Text: out.Content, Model: modelName}
	if out.ResponseMeta != nil {
		resp.FinishReason = out.ResponseMeta.FinishReason
		if u := out.ResponseMeta.Usage; u != nil {
			resp.Usage = igny8.TokenUsage{PromptTokens: u.PromptTokens, CompletionTokens: u.CompletionTokens}
		}
	}
	if len(req.Schema) > 0 && mode == ModeTool {
		if len(out.ToolCalls) == 0 {
			// Some servers answer in the content despite tool_choice;
			// the parser judges it.
			return resp, status, nil
		}
		resp.Text = out.ToolCalls[0].Function.Arguments
		if resp.FinishReason == "tool_calls" {
			resp.FinishReason = "stop"
		}
	}
	return resp, status, nil
}

// strictUnsupported are keywords OpenAI's strict json_schema mode refuses.
// They are dropped from the schema sent in that mode only: the ai package
// checks them on the reply and re-asks, and tool and json_object modes
// send the schema whole.
var strictUnsupported = []string{"minLength", "maxLength"}

func strictSchema(raw json.RawMessage) any {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return raw
	}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for _, k := range strictUnsupported {
				delete(x, k)
			}
			for k, c := range x {
				if k == "enum" {
					continue
				}
				walk(c)
			}
		case []any:
			for _, c := range x {
				walk(c)
			}
		}
	}
	walk(v)
	return v
}

func schemaName(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-' {
			b.WriteRune(r)
		}
		if b.Len() >= 64 {
			break
		}
	}
	if b.Len() == 0 {
		return "output"
	}
	return b.String()
}

// Embed sends texts to /embeddings in one request.
func (c *Client) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	const op = "openai.Embed"
	if len(texts) == 0 {
		return [][]float32{}, nil
	}
	ctx, ex := withExchange(ctx)
	vecs, err := c.emb.EmbedStrings(ctx, texts)
	status, header := ex.get()
	if err != nil {
		return nil, mapErr(ctx, op, status, header, err)
	}
	if len(vecs) != len(texts) {
		return nil, igny8.Errorf(igny8.CodeUnavailable, op, "the server returned %d vectors for %d texts", len(vecs), len(texts))
	}
	out := make([][]float32, len(vecs))
	for i, v := range vecs {
		f := make([]float32, len(v))
		for j, x := range v {
			f[j] = float32(x)
		}
		out[i] = f
	}
	return out, nil
}

// GenerateImage calls /images/generations and decodes the b64_json image.
func (c *Client) GenerateImage(ctx context.Context, req igny8.ImageRequest) (igny8.GeneratedImage, error) {
	const op = "openai.GenerateImage"
	if strings.TrimSpace(req.Prompt) == "" {
		return igny8.GeneratedImage{}, igny8.InvalidArgument(op, "prompt", "is required")
	}
	body := map[string]any{"model": c.cfg.ImageModel, "prompt": req.Prompt, "n": 1}
	if req.Size != "" {
		body["size"] = req.Size
	}
	if req.Style != "" {
		body["style"] = req.Style
	}
	// gpt-image models always answer in base64 and refuse the parameter.
	if !strings.HasPrefix(c.cfg.ImageModel, "gpt-image") {
		body["response_format"] = "b64_json"
	}
	raw, err := json.Marshal(body)
	if err != nil {
		return igny8.GeneratedImage{}, igny8.Errorf(igny8.CodeInternal, op, "encode request: %w", err)
	}
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, c.cfg.BaseURL+"/images/generations", bytes.NewReader(raw))
	if err != nil {
		return igny8.GeneratedImage{}, igny8.Errorf(igny8.CodeInvalidArgument, op, "build request: %w", err)
	}
	hreq.Header.Set("Content-Type", "application/json")
	if c.cfg.APIKey != "" {
		hreq.Header.Set("Authorization", "Bearer "+c.cfg.APIKey)
	}
	resp, err := c.http.Do(hreq)
	if err != nil {
		return igny8.GeneratedImage{}, mapErr(ctx, op, 0, nil, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return igny8.GeneratedImage{}, mapErr(ctx, op, 0, nil, err)
	}
	if resp.StatusCode/100 != 2 {
		return igny8.GeneratedImage{}, mapErr(ctx, op, resp.StatusCode, resp.Header, errors.New(serverMessage(data)))
	}
	var out struct {
		Data []struct {
			B64JSON       string `json:"b64_json"`
			RevisedPrompt string `json:"revised_prompt"`
		} `json:"data"`
	}
	if err := json.Unmarshal(data, &out); err != nil || len(out.Data) == 0 || out.Data[0].B64JSON == "" {
		return igny8.GeneratedImage{}, igny8.Errorf(igny8.CodeUnavailable, op, "the response holds no b64_json image (%s)", clip(string(data), 120))
	}
	img, err := base64.StdEncoding.DecodeString(out.Data[0].B64JSON)
	if err != nil {
		return igny8.GeneratedImage{}, igny8.Errorf(igny8.CodeUnavailable, op, "the image is not valid base64: %w", err)
	}
	mt := http.DetectContentType(img)
	if !strings.HasPrefix(mt, "image/") {
		return igny8.GeneratedImage{}, igny8.Errorf(igny8.CodeUnavailable, op, "the returned bytes are %s, not an image", mt)
	}
	return igny8.GeneratedImage{Data: img, MediaType: mt, RevisedPrompt: out.Data[0].RevisedPrompt}, nil
}

// serverMessage pulls error.message out of an OpenAI error body.
func serverMessage(body []byte) string {
	var e struct {
		Error struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &e) == nil && e.Error.Message != "" {
		return e.Error.Message
	}
	return clip(strings.TrimSpace(string(body)), 300)
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// mapErr gives a failed call the kernel's code from its HTTP status (0
// when no response came back).
func mapErr(ctx context.Context, op string, status int, header http.Header, err error) error {
	var apiErr *einomodel.APIError
	msg := err.Error()
	if errors.As(err, &apiErr) && apiErr.Message != "" {
		msg = apiErr.Message
	}
	switch {
	case ctx.Err() != nil:
		return igny8.Errorf(igny8.CodeUnavailable, op, "%w", ctx.Err())
	case status == 0:
		// Timeouts, refused connections, resets: the server may be back
		// soon.
		return igny8.Errorf(igny8.CodeUnavailable, op, "no response: %w", err)
	case status == http.StatusTooManyRequests || status == http.StatusRequestTimeout || status >= 500:
		e := igny8.Errorf(igny8.CodeUnavailable, op, "status %d: %s", status, msg)
		if after, ok := retryAfter(header); ok {
			return &igny8.RetryAfterError{Op: op, After: after, Err: e}
		}
		return e
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return igny8.Errorf(igny8.CodePermissionDenied, op, "status %d: %s", status, msg)
	case status >= 400:
		return igny8.Errorf(igny8.CodeInvalidArgument, op, "status %d: %s", status, msg)
	}
	// A 2xx whose body was not a usable answer: a broken proxy or a
	// server mid-restart. Worth a retry.
	return igny8.Errorf(igny8.CodeUnavailable, op, "unreadable response (status %d): %s", status, clip(msg, 300))
}

// retryAfter reads retry-after-ms (OpenAI) or Retry-After (seconds or an
// HTTP date).
func retryAfter(h http.Header) (time.Duration, bool) {
	if h == nil {
		return 0, false
	}
	if v := h.Get("Retry-After-Ms"); v != "" {
		if ms, err := strconv.ParseFloat(v, 64); err == nil && ms >= 0 {
			return time.Duration(ms * float64(time.Millisecond)), true
		}
	}
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil && s >= 0 {
		return time.Duration(s * float64(time.Second)), true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := time.Until(t)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}

func (c *Client) String() string {
	return fmt.Sprintf("openai.Client(%s, %s)", c.cfg.BaseURL, c.cfg.Model)
}
