// Package llmtest is the conformance suite for adapters of the AI ports:
// igny8.LLM, igny8.Embedder and igny8.ImageGenerator. An adapter's test
// runs it against a fresh instance:
//
//	func TestConformance(t *testing.T) {
//		llmtest.RunLLM(t, func(t *testing.T) igny8.LLM { return newClient(t) })
//		llmtest.RunEmbedder(t, func(t *testing.T) igny8.Embedder { return newClient(t) })
//		llmtest.RunImageGenerator(t, func(t *testing.T) igny8.ImageGenerator { return newClient(t) })
//	}
//
// It checks what the ai runtime relies on: plain text replies, structured
// replies that match the requested JSON Schema, cancellation honoured
// with an Unavailable error, one vector per text of one dimension, and
// image bytes that decode as the declared media type.
package llmtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	_ "image/gif"  // decoders for media type checks
	_ "image/jpeg" // decoders for media type checks
	_ "image/png"  // decoders for media type checks
	"math"
	"strings"
	"testing"

	"github.com/igny8/sdk/ai"
	"github.com/igny8/sdk/igny8"
)

// probeOut is the structured output the suite asks for.
type probeOut struct {
	Answer string   `json:"answer" jsonschema:"minLength=1,maxLength=200"`
	Score  int      `json:"score" jsonschema:"minimum=0,maximum=10"`
	Tags   []string `json:"tags" jsonschema:"maxItems=5"`
	Kind   string   `json:"kind" jsonschema:"enum=fact|opinion"`
	Note   string   `json:"note,omitempty"`
}

// RunLLM runs the LLM conformance tests.
func RunLLM(t *testing.T, newLLM func(t *testing.T) igny8.LLM) {
	t.Helper()
	t.Run("PlainText", func(t *testing.T) {
		llm := newLLM(t)
		resp, err := llm.Chat(context.Background(), igny8.ChatRequest{Messages: []igny8.Message{
			{Role: igny8.RoleSystem, Content: "You are terse."},
			{Role: igny8.RoleUser, Content: "Say hello."},
		}})
		if err != nil {
			t.Fatalf("Chat: %v", err)
		}
		if strings.TrimSpace(resp.Text) == "" {
			t.Errorf("empty reply")
		}
		if resp.Usage.PromptTokens < 0 || resp.Usage.CompletionTokens < 0 {
			t.Errorf("negative token usage %+v", resp.Usage)
		}
	})
	t.Run("Structured", func(t *testing.T) {
		if err := CheckStructured(context.Background(), newLLM(t)); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("Canceled", func(t *testing.T) {
		llm := newLLM(t)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := llm.Chat(ctx, igny8.ChatRequest{Messages: []igny8.Message{{Role: igny8.RoleUser, Content: "hello"}}})
		checkCanceled(t, err)
	})
	t.Run("NoMessages", func(t *testing.T) {
		llm := newLLM(t)
		_, err := llm.Chat(context.Background(), igny8.ChatRequest{})
		if igny8.CodeOf(err) != igny8.CodeInvalidArgument {
			t.Errorf("Chat without messages: %v, want InvalidArgument", err)
		}
	})
}

// CheckStructured asks llm for a small structured reply (strings, an
// integer range, an array, an enum, a nullable field) and checks that it is
// one JSON object matching the schema. RunLLM runs it; it is exported for
// smoke checks of a configured model outside tests.
func CheckStructured(ctx context.Context, llm igny8.LLM) error {
	s, err := ai.SchemaFor[probeOut]()
	if err != nil {
		return err
	}
	raw, err := json.Marshal(s)
	if err != nil {
		return err
	}
	resp, err := llm.Chat(ctx, igny8.ChatRequest{
		Messages: []igny8.Message{
			{Role: igny8.RoleSystem, Content: "Answer with JSON only."},
			{Role: igny8.RoleUser, Content: "Is water wet? Give an answer, a score from 0 to 10, tags and a kind."},
		},
		Schema: raw, SchemaName: "probe",
	})
	if err != nil {
		return fmt.Errorf("Chat: %w", err)
	}
	data, err := ai.ExtractJSON(resp.Text, resp.FinishReason)
	if err != nil {
		return fmt.Errorf("reply is not a JSON object: %w\n%s", err, resp.Text)
	}
	if err := ai.ValidateJSON(s, data); err != nil {
		return fmt.Errorf("reply does not match the schema: %w\n%s", err, data)
	}
	var out probeOut
	if err := json.Unmarshal(data, &out); err != nil {
		return fmt.Errorf("reply does not decode: %w", err)
	}
	return nil
}

func checkCanceled(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		t.Fatal("a canceled context did not stop the call")
	}
	if igny8.CodeOf(err) != igny8.CodeUnavailable {
		t.Errorf("code = %s, want unavailable: %v", igny8.CodeOf(err), err)
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("context.Canceled is not in the chain: %v", err)
	}
}

// RunEmbedder runs the Embedder conformance tests.
func RunEmbedder(t *testing.T, newEmbedder func(t *testing.T) igny8.Embedder) {
	t.Helper()
	t.Run("Shape", func(t *testing.T) {
		e := newEmbedder(t)
		texts := []string{"best running shoes", "running shoes for flat feet", "how to bake sourdough bread"}
		vecs, err := e.Embed(context.Background(), texts)
		if err != nil {
			t.Fatalf("Embed: %v", err)
		}
		if len(vecs) != len(texts) {
			t.Fatalf("got %d vectors for %d texts", len(vecs), len(texts))
		}
		dim := len(vecs[0])
		if dim == 0 {
			t.Fatal("zero-dimension vector")
		}
		for i, v := range vecs {
			if len(v) != dim {
				t.Errorf("vector %d has dimension %d, want %d", i, len(v), dim)
			}
			for _, x := range v {
				if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
					t.Fatalf("vector %d holds %v", i, x)
				}
			}
		}
		again, err := e.Embed(context.Background(), texts[:1])
		if err != nil {
			t.Fatalf("Embed again: %v", err)
		}
		if len(again) != 1 || len(again[0]) != dim {
			t.Errorf("a second call changed the shape: %d vectors of %d", len(again), len(again[0]))
		}
	})
	t.Run("Empty", func(t *testing.T) {
		e := newEmbedder(t)
		vecs, err := e.Embed(context.Background(), nil)
		if err != nil {
			t.Fatalf("Embed(nil): %v", err)
		}
		if len(vecs) != 0 {
			t.Errorf("Embed(nil) returned %d vectors", len(vecs))
		}
	})
	t.Run("Canceled", func(t *testing.T) {
		e := newEmbedder(t)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := e.Embed(ctx, []string{"hello"})
		checkCanceled(t, err)
	})
}

// RunImageGenerator runs the ImageGenerator conformance tests.
func RunImageGenerator(t *testing.T, newGen func(t *testing.T) igny8.ImageGenerator) {
	t.Helper()
	t.Run("Decodes", func(t *testing.T) {
		g := newGen(t)
		img, err := g.GenerateImage(context.Background(), igny8.ImageRequest{Prompt: "a red bicycle against a white wall", Size: "256x256"})
		if err != nil {
			t.Fatalf("GenerateImage: %v", err)
		}
		cfg, format, err := image.DecodeConfig(bytes.NewReader(img.Data))
		if err != nil {
			t.Fatalf("image does not decode: %v", err)
		}
		if want := "image/" + format; img.MediaType != want {
			t.Errorf("media type %q, bytes are %s", img.MediaType, want)
		}
		if cfg.Width <= 0 || cfg.Height <= 0 {
			t.Errorf("image is %dx%d", cfg.Width, cfg.Height)
		}
	})
	t.Run("NoPrompt", func(t *testing.T) {
		g := newGen(t)
		_, err := g.GenerateImage(context.Background(), igny8.ImageRequest{})
		if igny8.CodeOf(err) != igny8.CodeInvalidArgument {
			t.Errorf("GenerateImage without a prompt: %v, want InvalidArgument", err)
		}
	})
	t.Run("Canceled", func(t *testing.T) {
		g := newGen(t)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := g.GenerateImage(ctx, igny8.ImageRequest{Prompt: "a cat"})
		checkCanceled(t, err)
	})
}
