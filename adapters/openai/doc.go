// Package openai is the adapter of the AI ports for the OpenAI API and any
// OpenAI-compatible server (Ollama, vLLM, llama.cpp server, gateways):
// chat and embeddings on eino's OpenAI components, images on the Images API
// over net/http.
//
// One Client is an igny8.LLM, an igny8.Embedder and an
// igny8.ImageGenerator:
//
//	c, err := openai.New(ctx, openai.Config{
//		BaseURL: "http://localhost:11434/v1", // Ollama; empty means OpenAI
//		APIKey:  key,
//		Model:   "llama3.1",
//	})
//
// Structured output: a ChatRequest with a Schema is sent as
// response_format json_schema (strict; minLength and maxLength, which
// strict mode refuses, are left out of the schema sent and enforced by the
// ai package on the reply). In ModeAuto (the default) a server
// that answers 400 because it lacks json_schema is asked again with a
// forced tool call whose parameters are the schema, and then with
// json_object mode and the schema in the system message; the client
// remembers the mode that worked.
//
// Errors carry the kernel's codes: 429, 408, 5xx, timeouts, lost
// connections and 2xx bodies that are not a usable answer are Unavailable
// (with a *igny8.RetryAfterError when the server sent Retry-After or
// retry-after-ms); 401 and 403 are PermissionDenied; other 4xx are
// InvalidArgument. The server's message is kept. The Client never retries:
// ai.Runner does, so that every attempt is counted, charged once and
// logged.
//
// Tests talk to openaitest, a local server that answers like the API.
package openai
