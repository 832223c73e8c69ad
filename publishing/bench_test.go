package publishing_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/publishing"
	"github.com/igny8/sdk/publishing/publishertest"
)

// BenchmarkServicePublish measures the service's own cost per publish
// (claim, attempt, record, event) over the in-memory store and remote.
func BenchmarkServicePublish(b *testing.B) {
	keys, _ := publishing.NewKeyring("k", map[string][]byte{"k": bytes.Repeat([]byte{1}, 32)})
	remote := publishertest.NewMemory()
	svc, err := publishing.NewService(publishertest.NewMemoryStore(), keys, map[string]publishing.Factory{
		"mem": func(context.Context, publishing.Destination, []byte) (publishing.Publisher, error) {
			return remote, nil
		},
	}, publishing.Options{})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	scope := igny8.Scope{AccountID: "a", SiteID: "s"}
	d, err := svc.RegisterDestination(ctx, scope, publishing.DestinationInput{Name: "d", Kind: "mem"})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		if _, err := svc.Publish(ctx, scope, d.ID, publishing.Item{ContentID: fmt.Sprint("c", i), Version: 1, Title: "T", Status: publishing.StatusPublish}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkKeyringSealOpen(b *testing.B) {
	keys, _ := publishing.NewKeyring("k", map[string][]byte{"k": bytes.Repeat([]byte{1}, 32)})
	secret := []byte("abcd efgh ijkl mnop qrst uvwx")
	aad := []byte("account\x00destination")
	b.ReportAllocs()
	for b.Loop() {
		s, err := keys.Seal(secret, aad)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := keys.Open(s, aad); err != nil {
			b.Fatal(err)
		}
	}
}
