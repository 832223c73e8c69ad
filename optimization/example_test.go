package optimization_test

import (
	"context"
	"fmt"

	"github.com/igny8/sdk/optimization"
)

func ExampleAnalyzer_Analyze() {
	a := optimization.NewAnalyzer(optimization.Options{})
	r, err := a.Analyze(optimization.Input{
		HTML: `<p>Good running shoes make every run easier. However, the best pair depends on your feet.</p>
<h2>How to choose running shoes</h2>
<p>Try shoes late in the day. Then walk and jog in them. <a href="/guides/fit">Our fit guide</a> explains more.</p>
<img src="shoes.jpg" alt="Two pairs of running shoes">`,
		Keyphrase:       "running shoes",
		Title:           "Running Shoes: How to Choose the Right Pair",
		MetaDescription: "How to choose running shoes.",
		Slug:            "running-shoes",
		SiteHost:        "example.com",
	})
	if err != nil {
		panic(err)
	}
	fmt.Println("seo", r.SEO, "readability", r.Readability)
	for _, id := range []optimization.CheckID{optimization.CheckKeyphraseInTitle, optimization.CheckTitleWidth, optimization.CheckTextLength} {
		c, _ := r.Check(id)
		fmt.Printf("%s %s: %s\n", c.ID, c.Status, c.Message)
	}
	fmt.Println("top fix:", r.Problems()[0].ID)
	// Output:
	// seo 74 readability 100
	// keyphrase_in_title pass: The SEO title starts with the keyphrase.
	// title_width pass: The SEO title is 411 px wide, within 600 px.
	// text_length fail: The text has 37 words, far under the 300 a post needs: add 263 more.
	// top fix: text_length
}

func ExampleAnalyzer_Audit() {
	a := optimization.NewAnalyzer(optimization.Options{})
	rep, err := a.Audit(context.Background(), []optimization.PageInput{
		{ID: "/shoes", Input: optimization.Input{HTML: "<p>Running shoes for everyone.</p>", Keyphrase: "running shoes", Title: "Running Shoes", MetaDescription: "Shoes."}},
		{ID: "/shoe-guide", Input: optimization.Input{HTML: "<p>A running shoe guide.</p>", Keyphrase: "running shoe", Title: "Running shoes", MetaDescription: "Guide."}},
		{ID: "/socks", Input: optimization.Input{HTML: "<p>Socks.</p>", Keyphrase: "socks", Title: "Socks", MetaDescription: "Shoes."}},
	})
	if err != nil {
		panic(err)
	}
	for _, p := range rep.Pages {
		fmt.Println(p.ID, p.SEO, p.Readability, p.Gain)
	}
	fmt.Println("duplicate titles:", rep.DuplicateTitles)
	fmt.Println("duplicate metas:", rep.DuplicateMetaDescriptions)
	fmt.Println("shared keyphrases:", rep.SharedKeyphrases)
	fmt.Println("top issue:", rep.Issues[0].ID, rep.Issues[0].Fail, "fail", rep.Issues[0].Warn, "warn")
	// Output:
	// /shoes 40 80 80
	// /shoe-guide 40 90 70
	// /socks 44 90 66
	// duplicate titles: [{Running Shoes [/shoes /shoe-guide]}]
	// duplicate metas: [{Shoes. [/shoes /socks]}]
	// shared keyphrases: [{running shoes [/shoes /shoe-guide]}]
	// top issue: text_length 3 fail 0 warn
}

func ExampleTitleWidth() {
	for _, t := range []string{
		"Running Shoes: How to Choose the Right Pair",
		"WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW",
		"illicit illicit illicit illicit illicit illicit illicit",
	} {
		fmt.Printf("%3.0f px %v\n", optimization.TitleWidth(t), optimization.TitleWidth(t) <= optimization.MaxTitleWidthPx)
	}
	// Output:
	// 411 px true
	// 642 px false
	// 298 px true
}
