package fsstorage_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"testing"

	"github.com/igny8/sdk/adapters/fsstorage"
)

func BenchmarkValidateKey(b *testing.B) {
	const key = "images/2026/11/some-article-slug/featured-image-1.webp"
	b.ReportAllocs()
	for b.Loop() {
		if err := fsstorage.ValidateKey(key); err != nil {
			b.Fatal(err)
		}
	}
}

func benchStorage(b *testing.B, opts fsstorage.Options) *fsstorage.Storage {
	b.Helper()
	st, err := fsstorage.New(b.TempDir(), fsstorage.NoQuota{}, opts)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	return st
}

func BenchmarkPut(b *testing.B) {
	for _, sync := range []bool{false, true} {
		b.Run(fmt.Sprintf("64KiB/fsync=%t", sync), func(b *testing.B) {
			st := benchStorage(b, fsstorage.Options{NoSync: !sync})
			body := bytes.Repeat([]byte("x"), 64<<10)
			b.SetBytes(int64(len(body)))
			i := 0
			for b.Loop() {
				if _, err := st.Put(context.Background(), siteA, fmt.Sprintf("img/%d.png", i%256), bytes.NewReader(body), ""); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

func BenchmarkGet(b *testing.B) {
	st := benchStorage(b, fsstorage.Options{NoSync: true})
	body := bytes.Repeat([]byte("x"), 64<<10)
	if _, err := st.Put(context.Background(), siteA, "img/a.png", bytes.NewReader(body), ""); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		rc, _, err := st.Get(context.Background(), siteA, "img/a.png")
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, rc)
		rc.Close()
	}
}
