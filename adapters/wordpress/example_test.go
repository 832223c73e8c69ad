package wordpress_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/igny8/sdk/adapters/wordpress"
	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/publishing"
)

func Example() {
	// A stand-in for https://blog.example.com answering like WordPress.
	wp := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if user, pw, ok := r.BasicAuth(); !ok || user != "editor" || pw != "abcdabcdabcdabcdabcdabcd" {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"code":"rest_not_logged_in","message":"You are not currently logged in.","data":{"status":401}}`)
			return
		}
		switch r.Method + " " + r.URL.Path {
		case "GET /wp-json/wp/v2/users/me":
			fmt.Fprint(w, `{"id":1,"name":"editor"}`)
		case "POST /wp-json/wp/v2/tags":
			w.WriteHeader(http.StatusCreated)
			fmt.Fprint(w, `{"id":7,"name":"go"}`)
		case "POST /wp-json/wp/v2/posts":
			w.WriteHeader(http.StatusCreated)
			fmt.Fprint(w, `{"id":42,"status":"publish","link":"https://blog.example.com/hello/","tags":[7],"categories":[1],"meta":[]}`)
		default:
			http.NotFound(w, r)
		}
	}))
	defer wp.Close()

	c, err := wordpress.New(wordpress.Options{BaseURL: wp.URL, User: "editor", AppPassword: "abcd abcd abcd abcd abcd abcd"})
	if err != nil {
		panic(err)
	}
	r, err := c.Publish(context.Background(), publishing.Item{
		Scope: igny8.Scope{AccountID: "acct-1", SiteID: "site-1"}, ContentID: "content-1", Version: 1,
		Title: "Hello", Slug: "hello", HTML: "<p>Hi</p>", Tags: []string{"go"},
		Status: publishing.StatusPublish, IdempotencyKey: "key-1",
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(r.RemoteID, r.Kind, r.RemoteStatus, r.URL)

	bad, _ := wordpress.New(wordpress.Options{BaseURL: wp.URL, User: "editor", AppPassword: "wrong"})
	fmt.Println(bad.Check(context.Background()))
	// Output:
	// 42 posts publish https://blog.example.com/hello/
	// wordpress.Check: You are not currently logged in. (HTTP 401 rest_not_logged_in)
}
