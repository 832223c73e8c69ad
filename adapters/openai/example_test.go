package openai_test

import (
	"context"
	"fmt"

	"github.com/igny8/sdk/adapters/openai"
	"github.com/igny8/sdk/adapters/openai/openaitest"
	"github.com/igny8/sdk/igny8"
)

func Example() {
	// A local server that answers like the OpenAI API but refuses
	// json_schema, as some compatible servers do.
	srv := openaitest.NewServer(openaitest.Options{RejectJSONSchema: true})
	defer srv.Close()

	ctx := context.Background()
	c, err := openai.New(ctx, openai.Config{BaseURL: srv.URL, APIKey: "sk-local", Model: "local-model"})
	if err != nil {
		panic(err)
	}
	resp, err := c.Chat(ctx, igny8.ChatRequest{
		Messages:   []igny8.Message{{Role: igny8.RoleUser, Content: "Name a tea."}},
		Schema:     []byte(`{"type":"object","properties":{"name":{"type":"string"}},"required":["name"],"additionalProperties":false}`),
		SchemaName: "tea",
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(c.Mode(), resp.Model, resp.Text != "")

	srv.Script(openaitest.PathChat, openaitest.ErrorReply(429, "Rate limit reached", map[string]string{"Retry-After": "3"}))
	_, err = c.Chat(ctx, igny8.ChatRequest{Messages: []igny8.Message{{Role: igny8.RoleUser, Content: "hi"}}})
	fmt.Println(igny8.CodeOf(err))
	fmt.Println(err)
	// Output:
	// tool local-model true
	// unavailable
	// openai.Chat: unavailable, retry after 3s: openai.Chat: status 429: Rate limit reached
}
