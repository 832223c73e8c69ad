package textstat_test

import (
	"fmt"
	"strings"

	"github.com/igny8/sdk/optimization/textstat"
)

func ExampleEnglish() {
	en := textstat.English()
	for _, w := range []string{"gardening", "gardens", "readability", "queue"} {
		fmt.Println(w, en.Stem(w), en.Syllables(w))
	}
	fmt.Println(en.IsPassive(strings.Fields("the shoes were tested by runners")))
	fmt.Println(en.HasTransition(strings.Fields("for example the sole matters")))
	fmt.Printf("%.1f\n", en.ReadingEase(100, 8, 140))
	// Output:
	// gardening garden 3
	// gardens garden 2
	// readability readabilit 5
	// queue queu 1
	// true
	// true
	// 75.7
}
