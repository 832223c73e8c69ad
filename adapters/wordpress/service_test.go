package wordpress_test

import (
	"bytes"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/igny8/sdk/adapters/wordpress"
	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/publishing"
)

// TestServiceRepublishUpdatesSamePost publishes a content through the
// service to the real WordPress, changes it, publishes again: the same
// post holds the new content and the record the new version.
func TestServiceRepublishUpdatesSamePost(t *testing.T) {
	wpURL, user, pw := wordpressEnv(t)
	store := newPublishingStore(t)
	scope := storeScope(t, store)
	keys, err := publishing.NewKeyring("k1", map[string][]byte{"k1": bytes.Repeat([]byte{3}, 32)})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := publishing.NewService(store, keys, map[string]publishing.Factory{
		"wordpress": wordpress.Factory(wordpress.Options{DeleteOnUnpublish: true}),
	}, publishing.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	// Registering checks the credentials against /users/me.
	_, err = svc.RegisterDestination(ctx, scope, publishing.DestinationInput{Name: "bad", Kind: "wordpress",
		Settings: map[string]string{wordpress.SettingURL: wpURL, wordpress.SettingUser: user}, Secret: []byte("nope nope nope nope")})
	if !errors.Is(err, igny8.ErrPermissionDenied) || !strings.Contains(errString(err), "You are not currently logged in.") {
		t.Fatalf("register with a wrong password: %v, want PermissionDenied", err)
	}
	dest, err := svc.RegisterDestination(ctx, scope, publishing.DestinationInput{Name: "blog", Kind: "wordpress",
		Settings: map[string]string{wordpress.SettingURL: wpURL, wordpress.SettingUser: user}, Secret: []byte(pw)})
	if err != nil {
		t.Fatal(err)
	}

	it := item("Republish")
	it.Scope = igny8.Scope{}
	r1, err := svc.Publish(ctx, scope, dest.ID, it)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rest(t, http.MethodDelete, "posts/"+r1.RemoteID+"?force=true", nil, nil) })
	it.Version, it.Title, it.HTML = 2, it.Title+" (v2)", "<p>Second version of the body</p>"
	r2, err := svc.Publish(ctx, scope, dest.ID, it)
	if err != nil {
		t.Fatal(err)
	}
	if r2.RemoteID != r1.RemoteID || r2.PublishedVersion != 2 || r2.Status != publishing.RecordPublished {
		t.Fatalf("republish record %+v, want post %s at version 2", r2, r1.RemoteID)
	}
	var post struct {
		Title struct {
			Raw string `json:"raw"`
		} `json:"title"`
		Content struct {
			Raw string `json:"raw"`
		} `json:"content"`
	}
	rest(t, http.MethodGet, "posts/"+r1.RemoteID+"?context=edit", nil, &post)
	if post.Title.Raw != it.Title || !strings.Contains(post.Content.Raw, "<p>Second version of the body</p>") {
		t.Fatalf("post %s after republish: %q %q", r1.RemoteID, post.Title.Raw, post.Content.Raw)
	}
	stored, err := svc.Record(ctx, scope, it.ContentID, dest.ID)
	if err != nil || stored.PublishedVersion != 2 || stored.RemoteID != r1.RemoteID {
		t.Fatalf("stored record %+v, %v", stored, err)
	}

	u, err := svc.Unpublish(ctx, scope, dest.ID, it.ContentID)
	if err != nil || u.Status != publishing.RecordUnpublished {
		t.Fatalf("unpublish: %+v, %v", u, err)
	}
	if code, _ := rest(t, http.MethodGet, "posts/"+r1.RemoteID+"?context=edit", nil, nil); code != http.StatusNotFound {
		t.Fatalf("post after unpublish with delete_on_unpublish: HTTP %d, want 404", code)
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
