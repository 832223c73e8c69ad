package sitebuilding

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/igny8/sdk/igny8"
)

func TestParseBlocksRoundTrip(t *testing.T) {
	blocks := []Block{
		NewBlock(&Hero{Heading: "Fresh bread daily", Subheading: "Since 1982", Button: &Link{Label: "Order", URL: "/order/"}, Image: &ImageRef{Src: "images/hero.png", Alt: "Loaves"}}),
		NewBlock(&Text{HTML: "<p>We bake.</p>"}),
		NewBlock(&Features{Items: []Feature{{Title: "Organic", Text: "Flour from local mills"}}}),
		NewBlock(&CTA{Heading: "Visit", Button: Link{Label: "Map", URL: "https://maps.example.com/x"}}),
		NewBlock(&FAQ{Items: []QA{{Question: "Gluten free?", Answer: "Some loaves."}}}),
		NewBlock(&Testimonials{Items: []Testimonial{{Quote: "Best rye", Author: "Ana"}}}),
		NewBlock(&Pricing{Plans: []PricePlan{{Name: "Box", Price: "€12", Features: []string{"3 loaves"}}}}),
		NewBlock(&Gallery{Images: []ImageRef{{Src: "images/a.png", Alt: "Oven"}}}),
		NewBlock(&Contact{Email: "hi@bakery.example", Phone: "+49 30 1234"}),
		NewBlock(&PostList{Heading: "News", Limit: 3}),
		NewBlock(&Image{Image: ImageRef{Src: "https://cdn.example.com/x.jpg", Alt: "Shop"}}),
		NewBlock(&Columns{Columns: [][]Block{{NewBlock(&Text{HTML: "<p>a</p>"})}, {NewBlock(&Contact{Address: "Main St 1"})}}}),
	}
	if len(blocks) != len(BlockTypes()) {
		t.Fatalf("the test covers %d of %d block types", len(blocks), len(BlockTypes()))
	}
	raw, err := json.Marshal(blocks)
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseBlocks(raw)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := json.Marshal(back)
	if string(again) != string(raw) {
		t.Errorf("round trip changed the JSON:\n%s\n%s", raw, again)
	}
}

func TestParseBlocksRefuses(t *testing.T) {
	tests := []struct {
		name, json, field string
	}{
		{"unknown type", `[{"type":"carousel","data":{}}]`, "type"},
		{"unknown field", `[{"type":"hero","data":{"heading":"x","colour":"red"}}]`, "data"},
		{"missing data", `[{"type":"hero"}]`, "data"},
		{"missing heading", `[{"type":"hero","data":{"heading":" "}}]`, "blocks[0].heading"},
		{"javascript link", `[{"type":"cta","data":{"heading":"x","button":{"label":"go","url":"javascript:alert(1)"}}}]`, "blocks[0].button.url"},
		{"protocol relative link", `[{"type":"cta","data":{"heading":"x","button":{"label":"go","url":"//evil.example"}}}]`, "blocks[0].button.url"},
		{"image without alt", `[{"type":"image","data":{"image":{"src":"a.png","alt":""}}}]`, "blocks[0].image.alt"},
		{"traversal image", `[{"type":"image","data":{"image":{"src":"../../etc/passwd","alt":"x"}}}]`, "blocks[0].image.src"},
		{"empty faq", `[{"type":"faq","data":{"items":[]}}]`, "blocks[0].items"},
		{"faq answer", `[{"type":"faq","data":{"items":[{"question":"q","answer":""}]}}]`, "blocks[0].items[0].answer"},
		{"post list limit", `[{"type":"post_list","data":{"limit":0}}]`, "blocks[0].limit"},
		{"nested columns", `[{"type":"columns","data":{"columns":[[{"type":"columns","data":{"columns":[]}}],[]]}}]`, "blocks[0].columns[0][0].type"},
		{"one column", `[{"type":"columns","data":{"columns":[[]]}}]`, "blocks[0].columns"},
		{"contact needs a way", `[{"type":"contact","data":{"heading":"x"}}]`, "blocks[0].email"},
		{"not an array", `{"type":"hero"}`, "blocks"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseBlocks([]byte(tc.json))
			var e *igny8.Error
			if !errors.As(err, &e) || e.Code != igny8.CodeInvalidArgument || e.Field != tc.field {
				t.Fatalf("got %v, want InvalidArgument on %s", err, tc.field)
			}
		})
	}
}

func FuzzParseBlocks(f *testing.F) {
	f.Add(`[{"type":"hero","data":{"heading":"x"}}]`)
	f.Add(`[{"type":"columns","data":{"columns":[[{"type":"text","data":{"html":"<p>a</p>"}}],[]]}}]`)
	f.Add(`[{"type":"faq","data":{"items":[{"question":"q","answer":"a"}]}}]`)
	f.Add(`[]`)
	f.Fuzz(func(t *testing.T, s string) {
		blocks, err := ParseBlocks([]byte(s))
		if err != nil {
			if igny8.CodeOf(err) != igny8.CodeInvalidArgument {
				t.Fatalf("error without InvalidArgument: %v", err)
			}
			return
		}
		// Whatever is accepted is valid and survives a round trip.
		if err := ValidateBlocks("blocks", blocks); err != nil {
			t.Fatalf("accepted blocks do not validate: %v", err)
		}
		raw, err := json.Marshal(blocks)
		if err != nil {
			t.Fatalf("accepted blocks do not encode: %v", err)
		}
		if _, err := ParseBlocks(raw); err != nil && !strings.Contains(s, "null") {
			t.Fatalf("re-encoded blocks refused: %v\n%s", err, raw)
		}
	})
}
