package rewrite_test

import (
	"context"
	"fmt"
	"os"

	"github.com/igny8/sdk/optimization/rewrite"
)

func ExampleOptimizer_Optimize() {
	dir, err := os.MkdirTemp("", "rewrite-example-")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	e, closeFn, err := buildEnv(dir) // SQLite store, scripted model, content library
	if err != nil {
		panic(err)
	}
	defer closeFn()
	c, err := e.draft()
	if err != nil {
		panic(err)
	}
	// The scripted model's rewrite uses the keyphrase and keeps every link,
	// image, heading and number.
	e.model.replies = []string{replyJSON(improvedHTML)}
	task, err := e.opt.Optimize(context.Background(), e.scope, rewrite.OptimizeRequest{ContentID: c.ID, SiteHost: "shop.test"})
	if err != nil {
		panic(err)
	}
	fmt.Println(task.Status, "SEO", task.SEOBefore, "->", task.SEOAfter, "version", task.BaseVersion, "->", task.NewVersion)
	// Output:
	// accepted SEO 44 -> 81 version 1 -> 2
}
