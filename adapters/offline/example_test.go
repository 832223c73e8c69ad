package offline_test

import (
	"context"
	"fmt"

	"github.com/igny8/sdk/adapters/offline"
	"github.com/igny8/sdk/ai"
	"github.com/igny8/sdk/igny8"
)

func Example() {
	m := offline.New(offline.Options{})
	lib := ai.NewLibrary()
	in := ai.ClusterKeywordsInput{Keywords: []ai.KeywordInput{
		{Text: "green tea benefits"}, {Text: "green tea caffeine"}, {Text: "sourdough starter"}, {Text: "sourdough bread"},
	}}
	msgs, _ := lib.AutoCluster.Messages(in)
	resp, err := m.Chat(context.Background(), igny8.ChatRequest{Messages: msgs, Schema: lib.AutoCluster.Schema(), Function: lib.AutoCluster.Name()})
	if err != nil {
		panic(err)
	}
	out, err := lib.AutoCluster.Parse(in, resp.Text, resp.FinishReason)
	if err != nil {
		panic(err)
	}
	for _, c := range out.Clusters {
		fmt.Println(c.Name, c.Keywords)
	}
	vecs, _ := m.Embed(context.Background(), []string{"green tea"})
	img, _ := m.GenerateImage(context.Background(), igny8.ImageRequest{Prompt: "a teapot", Size: "64x64"})
	fmt.Println(len(vecs[0]), img.MediaType)
	fmt.Println(resp.Model)
	// Output:
	// Green Tea [green tea benefits green tea caffeine]
	// Sourdough [sourdough starter sourdough bread]
	// 256 image/png
	// offline (deterministic placeholder output, not a writer)
}
