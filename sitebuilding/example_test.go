package sitebuilding_test

import (
	"encoding/json"
	"fmt"

	"github.com/igny8/sdk/sitebuilding"
)

func ExampleParseBlocks() {
	page := []sitebuilding.Block{
		sitebuilding.NewBlock(&sitebuilding.Hero{Heading: "Fresh bread daily", Button: &sitebuilding.Link{Label: "Order", URL: "/order/"}}),
		sitebuilding.NewBlock(&sitebuilding.FAQ{Items: []sitebuilding.QA{{Question: "Open on Sundays?", Answer: "Until noon."}}}),
	}
	raw, _ := json.Marshal(page)
	fmt.Println(string(raw))

	_, err := sitebuilding.ParseBlocks([]byte(`[{"type":"hero","data":{"heading":"Hi","button":{"label":"Go","url":"javascript:alert(1)"}}}]`))
	fmt.Println(err)
	// Output:
	// [{"type":"hero","data":{"heading":"Fresh bread daily","button":{"label":"Order","url":"/order/"}}},{"type":"faq","data":{"items":[{"question":"Open on Sundays?","answer":"Until noon."}]}}]
	// sitebuilding.Validate: blocks[0].button.url: "javascript:alert(1)" is not a site path, http(s), mailto: or tel: link
}
