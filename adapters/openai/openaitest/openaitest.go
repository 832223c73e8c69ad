// Package openaitest is a local HTTP server that answers like the OpenAI
// API (chat completions with json_schema, forced tool calls and
// json_object; embeddings; images with b64_json), for tests of code that
// talks to OpenAI-compatible servers.
//
// By default it answers from a backend model (the offline model unless
// another is given), so that structured requests get schema-valid JSON.
// Tests script exact replies per endpoint (status, headers, body, delay)
// to act out rate limits, outages, timeouts and malformed answers, and
// read back every request the server received.
package openaitest

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/igny8/sdk/adapters/offline"
	"github.com/igny8/sdk/igny8"
)

// Endpoint paths, relative to the base URL.
const (
	PathChat       = "/chat/completions"
	PathEmbeddings = "/embeddings"
	PathImages     = "/images/generations"
)

// Backend answers requests that no script covers.
type Backend interface {
	igny8.LLM
	igny8.Embedder
	igny8.ImageGenerator
}

// Options configures a Server.
type Options struct {
	// Backend answers unscripted requests; nil means offline.New.
	Backend Backend
	// RejectJSONSchema answers 400 to response_format json_schema, as
	// servers without structured output do; RejectTools the same for
	// tools.
	RejectJSONSchema bool
	RejectTools      bool
	// APIKey, when set, is required as the Bearer token (else 401).
	APIKey string
}

// Reply is a scripted answer.
type Reply struct {
	Status int
	Header map[string]string
	// Body is sent as is.
	Body string
	// Delay holds the answer back (until the client gives up, if longer
	// than its timeout).
	Delay time.Duration
}

// Request is a request the server received.
type Request struct {
	Method string
	Path   string
	Header http.Header
	Body   []byte
}

// JSON decodes the request body.
func (r Request) JSON() map[string]any {
	var m map[string]any
	_ = json.Unmarshal(r.Body, &m)
	return m
}

// Server is the fake API. Its URL is the base URL to configure clients
// with.
type Server struct {
	URL string

	opts    Options
	srv     *httptest.Server
	mu      sync.Mutex
	scripts map[string][]Reply
	reqs    []Request
}

// New starts a Server, closed when the test ends.
func New(t testing.TB, opts Options) *Server {
	t.Helper()
	s := NewServer(opts)
	t.Cleanup(s.Close)
	return s
}

// NewServer starts a Server outside a test (examples, local tools); Close
// stops it.
func NewServer(opts Options) *Server {
	if opts.Backend == nil {
		opts.Backend = offline.New(offline.Options{ImageSize: "64x64"})
	}
	s := &Server{opts: opts, scripts: map[string][]Reply{}}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL + "/v1"
	return s
}

// Close stops the server.
func (s *Server) Close() { s.srv.Close() }

// Script queues replies for an endpoint path (PathChat, ...); each request
// takes the next one, and the backend answers once they run out.
func (s *Server) Script(path string, replies ...Reply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.scripts[path] = append(s.scripts[path], replies...)
}

// Requests returns the requests received so far, for path ("" for all).
func (s *Server) Requests(path string) []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Request
	for _, r := range s.reqs {
		if path == "" || r.Path == path {
			out = append(out, r)
		}
	}
	return out
}

// Count returns how many requests path received.
func (s *Server) Count(path string) int { return len(s.Requests(path)) }

// ChatReply is a 200 chat completion whose message content is content.
func ChatReply(content, finishReason string, promptTokens, completionTokens int) Reply {
	return Reply{Status: 200, Body: chatBody("gpt-test", content, nil, finishReason, promptTokens, completionTokens)}
}

// ErrorReply is an OpenAI error body with the given status and headers
// (for example {"Retry-After": "2"}).
func ErrorReply(status int, message string, header map[string]string) Reply {
	b, _ := json.Marshal(map[string]any{"error": map[string]any{"message": message, "type": "test_error", "code": nil}})
	return Reply{Status: status, Header: header, Body: string(b)}
}

func chatBody(model, content string, toolArgs *string, finish string, pt, ct int) string {
	msg := map[string]any{"role": "assistant", "content": content}
	if toolArgs != nil {
		msg["content"] = nil
		msg["tool_calls"] = []any{map[string]any{
			"id": "call_1", "type": "function",
			"function": map[string]any{"name": "output", "arguments": *toolArgs},
		}}
	}
	b, _ := json.Marshal(map[string]any{
		"id": "chatcmpl-test", "object": "chat.completion", "created": 1700000000, "model": model,
		"choices": []any{map[string]any{"index": 0, "message": msg, "finish_reason": finish}},
		"usage":   map[string]any{"prompt_tokens": pt, "completion_tokens": ct, "total_tokens": pt + ct},
	})
	return string(b)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	path := strings.TrimPrefix(r.URL.Path, "/v1")
	s.mu.Lock()
	s.reqs = append(s.reqs, Request{Method: r.Method, Path: path, Header: r.Header.Clone(), Body: body})
	var reply *Reply
	if q := s.scripts[path]; len(q) > 0 {
		next := q[0]
		reply = &next
		s.scripts[path] = q[1:]
	}
	s.mu.Unlock()

	if s.opts.APIKey != "" && r.Header.Get("Authorization") != "Bearer "+s.opts.APIKey {
		write(w, ErrorReply(401, "Incorrect API key provided", nil))
		return
	}
	if reply != nil {
		if reply.Delay > 0 {
			select {
			case <-time.After(reply.Delay):
			case <-r.Context().Done():
				return
			}
		}
		write(w, *reply)
		return
	}
	switch path {
	case PathChat:
		write(w, s.chat(r.Context(), body))
	case PathEmbeddings:
		write(w, s.embeddings(r.Context(), body))
	case PathImages:
		write(w, s.images(r.Context(), body))
	default:
		write(w, ErrorReply(404, "unknown path "+r.URL.Path, nil))
	}
}

func write(w http.ResponseWriter, r Reply) {
	for k, v := range r.Header {
		w.Header().Set(k, v)
	}
	if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "application/json")
	}
	if r.Status == 0 {
		r.Status = 200
	}
	w.WriteHeader(r.Status)
	_, _ = io.WriteString(w, r.Body)
}

type chatRequest struct {
	Model    string `json:"model"`
	Messages []struct {
		Role    string `json:"role"`
		Content any    `json:"content"`
	} `json:"messages"`
	ResponseFormat *struct {
		Type       string `json:"type"`
		JSONSchema *struct {
			Name   string          `json:"name"`
			Schema json.RawMessage `json:"schema"`
		} `json:"json_schema"`
	} `json:"response_format"`
	Tools []struct {
		Function struct {
			Name       string          `json:"name"`
			Parameters json.RawMessage `json:"parameters"`
		} `json:"function"`
	} `json:"tools"`
	MaxTokens int `json:"max_tokens"`
}

func (s *Server) chat(ctx context.Context, body []byte) Reply {
	var req chatRequest
	if err := json.Unmarshal(body, &req); err != nil {
		return ErrorReply(400, "could not parse the JSON body: "+err.Error(), nil)
	}
	if len(req.Messages) == 0 {
		return ErrorReply(400, "'messages' must contain at least one message", nil)
	}
	var in igny8.ChatRequest
	in.Model = req.Model
	useTool := false
	if rf := req.ResponseFormat; rf != nil && rf.Type == "json_schema" {
		if s.opts.RejectJSONSchema {
			return ErrorReply(400, "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model", nil)
		}
		if rf.JSONSchema == nil || len(rf.JSONSchema.Schema) == 0 {
			return ErrorReply(400, "Missing required parameter: 'response_format.json_schema'", nil)
		}
		in.Schema, in.SchemaName = rf.JSONSchema.Schema, rf.JSONSchema.Name
	}
	if len(req.Tools) > 0 {
		if s.opts.RejectTools {
			return ErrorReply(400, "tools are not supported by this model", nil)
		}
		in.Schema, in.SchemaName = req.Tools[0].Function.Parameters, req.Tools[0].Function.Name
		useTool = true
	}
	for _, m := range req.Messages {
		text, _ := m.Content.(string)
		in.Messages = append(in.Messages, igny8.Message{Role: igny8.MessageRole(m.Role), Content: text})
	}
	// The offline backend picks its generator by function name; the
	// schema name carries it.
	in.Function = in.SchemaName
	if rf := req.ResponseFormat; rf != nil && rf.Type == "json_object" && len(in.Schema) == 0 {
		// json_object mode: the schema travels in the first system message.
		if sys := in.Messages[0].Content; strings.Contains(sys, "JSON Schema:\n") {
			in.Schema = json.RawMessage(sys[strings.Index(sys, "JSON Schema:\n")+len("JSON Schema:\n"):])
		}
		if len(in.Schema) == 0 {
			in.Schema = json.RawMessage(`{"type":"object","properties":{},"required":[],"additionalProperties":false}`)
		}
		// No schema name travels in this mode: the backend fills the schema.
		in.Function = ""
	}
	out, err := s.opts.Backend.Chat(ctx, in)
	if err != nil {
		return ErrorReply(500, "backend: "+err.Error(), nil)
	}
	model := req.Model
	if model == "" {
		model = out.Model
	}
	if useTool {
		args := out.Text
		return Reply{Status: 200, Body: chatBody(model, "", &args, "tool_calls", out.Usage.PromptTokens, out.Usage.CompletionTokens)}
	}
	return Reply{Status: 200, Body: chatBody(model, out.Text, nil, out.FinishReason, out.Usage.PromptTokens, out.Usage.CompletionTokens)}
}

func (s *Server) embeddings(ctx context.Context, body []byte) Reply {
	var req struct {
		Input any    `json:"input"`
		Model string `json:"model"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		return ErrorReply(400, "could not parse the JSON body: "+err.Error(), nil)
	}
	var texts []string
	switch x := req.Input.(type) {
	case string:
		texts = []string{x}
	case []any:
		for _, v := range x {
			str, ok := v.(string)
			if !ok {
				return ErrorReply(400, "'input' must be strings", nil)
			}
			texts = append(texts, str)
		}
	default:
		return ErrorReply(400, "'input' is required", nil)
	}
	vecs, err := s.opts.Backend.Embed(ctx, texts)
	if err != nil {
		return ErrorReply(500, "backend: "+err.Error(), nil)
	}
	data := make([]any, len(vecs))
	for i, v := range vecs {
		data[i] = map[string]any{"object": "embedding", "index": i, "embedding": v}
	}
	b, _ := json.Marshal(map[string]any{"object": "list", "data": data, "model": req.Model,
		"usage": map[string]any{"prompt_tokens": len(texts), "total_tokens": len(texts)}})
	return Reply{Status: 200, Body: string(b)}
}

func (s *Server) images(ctx context.Context, body []byte) Reply {
	var req struct {
		Prompt         string `json:"prompt"`
		Size           string `json:"size"`
		Style          string `json:"style"`
		ResponseFormat string `json:"response_format"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		return ErrorReply(400, "could not parse the JSON body: "+err.Error(), nil)
	}
	if req.Prompt == "" {
		return ErrorReply(400, "'prompt' is required", nil)
	}
	if req.ResponseFormat != "" && req.ResponseFormat != "b64_json" {
		return ErrorReply(400, fmt.Sprintf("this fake only serves b64_json, not %q", req.ResponseFormat), nil)
	}
	img, err := s.opts.Backend.GenerateImage(ctx, igny8.ImageRequest{Prompt: req.Prompt, Size: req.Size, Style: req.Style})
	if err != nil {
		return ErrorReply(400, err.Error(), nil)
	}
	b, _ := json.Marshal(map[string]any{"created": 1700000000, "data": []any{map[string]any{
		"b64_json": base64.StdEncoding.EncodeToString(img.Data), "revised_prompt": img.RevisedPrompt,
	}}})
	return Reply{Status: 200, Body: string(b)}
}
