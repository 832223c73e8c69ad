package fsstorage_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/igny8/sdk/adapters/fsstorage"
	"github.com/igny8/sdk/igny8"
)

// quota100 is a fixed quota of 100 bytes for the example; hosts use
// fsstorage.LimitsQuota over the plan's limits.
type quota100 struct{ used int64 }

func (q *quota100) Reserve(_ context.Context, _ igny8.Scope, n int64) error {
	if q.used+n > 100 {
		return &igny8.LimitError{Limit: igny8.LimitStorageBytes, Max: 100, Used: q.used, Requested: n}
	}
	q.used += n
	return nil
}
func (q *quota100) Release(_ context.Context, _ igny8.Scope, n int64) error { q.used -= n; return nil }
func (q *quota100) Usage(context.Context, igny8.Scope) (int64, int64, error) {
	return q.used, 100, nil
}

func Example() {
	dir, _ := os.MkdirTemp("", "fsstorage-example")
	defer os.RemoveAll(dir)
	ctx := context.Background()
	site := igny8.Scope{AccountID: "acct-1", SiteID: "site-1"}

	st, err := fsstorage.New(dir, &quota100{}, fsstorage.Options{})
	if err != nil {
		panic(err)
	}
	defer st.Close()

	info, _ := st.Put(ctx, site, "images/featured.png", strings.NewReader(strings.Repeat("p", 60)), "image/png")
	fmt.Println(info.Key, info.Size, info.ContentType)

	rc, _, _ := st.Get(ctx, site, "images/featured.png")
	data, _ := io.ReadAll(rc)
	rc.Close()
	fmt.Println(len(data))

	_, err = st.Put(ctx, site, "images/second.png", strings.NewReader(strings.Repeat("x", 50)), "")
	fmt.Println(errors.Is(err, igny8.ErrLimitExceeded))

	_, err = st.Put(ctx, site, "../other-site/x.png", strings.NewReader("x"), "")
	fmt.Println(err)

	used, _ := st.Usage(ctx, site)
	fmt.Println(used)
	// Output:
	// images/featured.png 60 image/png
	// 60
	// true
	// fsstorage.Put: key: must not have a ".." segment: "../other-site/x.png"
	// 60
}
