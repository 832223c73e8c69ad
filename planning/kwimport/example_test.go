package kwimport_test

import (
	"fmt"
	"strings"

	"github.com/igny8/sdk/planning/kwimport"
)

func ExampleParse() {
	csv := "keyword,volume,difficulty,cpc,intent\n" +
		"running shoes,\"1,300\",45,0.90,commercial\n" +
		"Running Shoes!,1.3K,,,\n" +
		"trail shoes,10K – 100K,,,\n" +
		"=cmd|' /C calc'!A0,1,,,\n"
	res, err := kwimport.Parse(strings.NewReader(csv), kwimport.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("format:", res.Format)
	for _, r := range res.Rows {
		fmt.Printf("line %d: %s (%d)\n", r.Line, r.Text, r.Volume)
	}
	for _, f := range res.Folded {
		fmt.Printf("line %d folded into line %d\n", f.Line, f.FirstLine)
	}
	for _, r := range res.Rejected {
		fmt.Println(r)
	}
	// Output:
	// format: plain
	// line 2: running shoes (1300)
	// line 4: trail shoes (31623)
	// line 3 folded into line 2
	// line 5: keyword "=cmd|' /C calc'!A0" starts with a spreadsheet formula character (=, +, -, @) and is refused
}
