package llmtest_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/igny8/sdk/adapters/offline"
	"github.com/igny8/sdk/ai/llmtest"
	"github.com/igny8/sdk/igny8"
)

// A smoke check of a configured model, outside tests.
func ExampleCheckStructured() {
	m := offline.New(offline.Options{})
	fmt.Println(llmtest.CheckStructured(context.Background(), m))
	// Output:
	// <nil>
}

// An adapter proves itself by running the suite in its own tests, as this
// test does for the offline model.
func TestSuiteOnOfflineModel(t *testing.T) {
	m := offline.New(offline.Options{})
	llmtest.RunLLM(t, func(*testing.T) igny8.LLM { return m })
	llmtest.RunEmbedder(t, func(*testing.T) igny8.Embedder { return m })
	llmtest.RunImageGenerator(t, func(*testing.T) igny8.ImageGenerator { return m })
}
