package kwimport

import (
	"bytes"
	"fmt"
	"testing"
)

func BenchmarkParse10k(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString("Keyword,Intent,Volume,Trend,Keyword Difficulty,CPC (USD)\n")
	for i := range 10000 {
		fmt.Fprintf(&buf, "keyword number %d,Commercial,\"1,%03d\",\"0.5,0.6\",%d,1.25\n", i, i%1000, i%101)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		res, err := Parse(bytes.NewReader(data), Options{})
		if err != nil || len(res.Rows) != 10000 {
			b.Fatalf("%v, %d rows", err, len(res.Rows))
		}
	}
}
