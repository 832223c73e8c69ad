package openaitest_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/igny8/sdk/adapters/openai/openaitest"
)

func Example() {
	srv := openaitest.NewServer(openaitest.Options{})
	defer srv.Close()
	// A rate limit first, then the backend answers.
	srv.Script(openaitest.PathChat, openaitest.ErrorReply(429, "Rate limit reached", map[string]string{"Retry-After": "1"}))
	body := `{"model":"m","messages":[{"role":"user","content":"hi"}]}`
	for i := 0; i < 2; i++ {
		resp, err := http.Post(srv.URL+openaitest.PathChat, "application/json", strings.NewReader(body))
		if err != nil {
			panic(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Println(resp.StatusCode, resp.Header.Get("Retry-After"), strings.Contains(string(b), "chat.completion"))
	}
	fmt.Println(srv.Count(openaitest.PathChat), "requests")
	// Output:
	// 429 1 false
	// 200  true
	// 2 requests
}
