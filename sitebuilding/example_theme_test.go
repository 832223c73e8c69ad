package sitebuilding_test

import (
	"fmt"

	"github.com/igny8/sdk/sitebuilding"
)

// The wizard's palette becomes theme tokens; a text colour too light for
// its background is darkened until it meets WCAG AA (4.5:1).
func ExampleThemeTokens() {
	tokens, err := sitebuilding.ThemeTokens(sitebuilding.SiteLocalBusiness, sitebuilding.Style{
		Palette:    sitebuilding.Palette{Primary: "#e0c080", Background: "#ffffff", Text: "#999999"},
		Typography: sitebuilding.Typography{Heading: "serif"},
	})
	if err != nil {
		panic(err)
	}
	bg, _ := sitebuilding.ParseHex(tokens["color-background"])
	for _, k := range []string{"color-primary", "color-text"} {
		c, _ := sitebuilding.ParseHex(tokens[k])
		fmt.Printf("%s %s %.2f:1\n", k, tokens[k], sitebuilding.Contrast(c, bg))
	}
	fmt.Println(tokens["font-heading"])
	// Output:
	// color-primary #88744e 4.51:1
	// color-text #767676 4.54:1
	// Georgia,Cambria,Times New Roman,serif
}
