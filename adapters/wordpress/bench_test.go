package wordpress

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// BenchmarkRewriteImages rewrites the image URLs of a 2,000-word article
// with 10 inline images.
func BenchmarkRewriteImages(b *testing.B) {
	var doc strings.Builder
	urls := map[string]string{}
	for i := range 10 {
		key := fmt.Sprintf("images/%d.png", i)
		urls[key] = fmt.Sprintf("https://blog.example.com/wp-content/uploads/2026/11/igny8-%d.png", i)
		doc.WriteString(strings.Repeat("<p>Some words of the article, twenty of them or so, in a paragraph of text.</p>", 10))
		fmt.Fprintf(&doc, `<figure><img src="%s" alt="image %d"></figure>`, key, i)
	}
	in := doc.String()
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		if out := rewriteImages(in, urls); strings.Contains(out, `src="images/`) {
			b.Fatal("not rewritten")
		}
	}
}

func BenchmarkMapError(b *testing.B) {
	body := []byte(`{"code":"rest_invalid_param","message":"Invalid parameter(s): status, categories","data":{"status":400,"params":{"status":"status is not one of publish, future, draft, pending, and private.","categories":"categories[0] is not of type integer."}}}`)
	b.ReportAllocs()
	for b.Loop() {
		if re := mapError("op", 400, http.Header{}, body); re.Field != "categories" {
			b.Fatal(re)
		}
	}
}
