package api_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"

	"github.com/igny8/sdk/adapters/sqlstore"
	"github.com/igny8/sdk/examples/server/api"
)

// Start the API on an embedded SQLite store, make the first superuser and
// call one route with its token.
func Example() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "igny8-api-example-")
	defer os.RemoveAll(dir)
	store, err := sqlstore.Open(ctx, "sqlite:"+filepath.Join(dir, "igny8.db"), sqlstore.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer store.Close()
	srv, err := api.New(ctx, api.Config{Store: store, DataDir: dir, SealingKey: make([]byte, 32)})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	tok, _, err := srv.Bootstrap(ctx, "root@example.com")
	if err != nil {
		fmt.Println(err)
		return
	}
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()

	req, _ := http.NewRequest("GET", hs.URL+"/v1/sites", nil)
	req.Header.Set("Authorization", "Bearer "+tok.Token)
	req.Header.Set("X-Request-ID", "example-1")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.StatusCode)
	fmt.Print(string(body))
	// Output:
	// 200
	// {"data":[],"request_id":"example-1"}
}
