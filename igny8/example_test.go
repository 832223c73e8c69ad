package igny8_test

import (
	"errors"
	"fmt"

	"github.com/igny8/sdk/igny8"
)

func ExampleCodeOf() {
	err := igny8.InvalidArgument("planning.Import", "volume", "must not be negative, got %d", -3)
	fmt.Println(err)
	fmt.Println(igny8.CodeOf(err), errors.Is(err, igny8.ErrInvalidArgument))

	lim := &igny8.LimitError{Limit: igny8.LimitDailyAIRequests, Max: 5, Used: 5, Requested: 1, Period: "2026-11-26"}
	fmt.Println(errors.Is(fmt.Errorf("generate: %w", lim), igny8.ErrLimitExceeded), lim.Remaining())
	// Output:
	// planning.Import: volume: must not be negative, got -3
	// invalid_argument true
	// true 0
}

func ExampleSlugify() {
	fmt.Println(igny8.Slugify("Crème Brûlée: 10 Tips for Beginners!"))
	fmt.Println(igny8.ValidSlug("../etc/passwd"))
	// Output:
	// creme-brulee-10-tips-for-beginners
	// false
}

func ExampleScope_Contains() {
	site := igny8.Scope{AccountID: "a1", SiteID: "s1"}
	fmt.Println(site.Contains(igny8.Scope{AccountID: "a1", SiteID: "s1", SectorID: "x"}))
	fmt.Println(site.Contains(igny8.Scope{AccountID: "a2", SiteID: "s1"}))
	// Output:
	// true
	// false
}
