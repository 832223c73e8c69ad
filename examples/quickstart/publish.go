package main

import (
	"context"
	"crypto/sha256"
	"log/slog"

	"github.com/igny8/sdk/adapters/sitesfs"
	"github.com/igny8/sdk/adapters/sqlstore"
	"github.com/igny8/sdk/adapters/wordpress"
	"github.com/igny8/sdk/igny8"
	"github.com/igny8/sdk/publishing"
)

type publishers struct {
	svc          *publishing.Service
	renderer     *sitesfs.Renderer
	destinations []publishing.Destination
}

// newPublishing registers the site's destinations: the static site
// renderer always, WordPress when its credentials are in env.
func newPublishing(ctx context.Context, store *sqlstore.Store, storage igny8.Storage, events *igny8.Events, logger *slog.Logger, root string, scope igny8.Scope, site igny8.Site, env map[string]string) (*publishers, error) {
	renderer, err := sitesfs.New(root, storage, sitesfs.Options{Logger: logger, TrustHTML: true})
	if err != nil {
		return nil, err
	}
	if err := renderer.Configure(ctx, scope, sitesfs.Site{
		Name: site.Name, BaseURL: "https://" + site.Domain, Description: "Notes from the Acme vegetable garden",
		Organization: sitesfs.Organization{Name: "Acme Gardening"},
	}); err != nil {
		return nil, err
	}
	// A real host loads its sealing key from a secret manager; the
	// quickstart derives a fixed one so its database stays readable.
	key := sha256.Sum256([]byte("igny8 quickstart sealing key"))
	keys, err := publishing.NewKeyring("quickstart", map[string][]byte{"quickstart": key[:]})
	if err != nil {
		return nil, err
	}
	svc, err := publishing.NewService(store, keys, map[string]publishing.Factory{
		"static": func(ctx context.Context, d publishing.Destination, _ []byte) (publishing.Publisher, error) {
			return renderer.Publisher(igny8.Scope{AccountID: d.AccountID, SiteID: d.SiteID})
		},
		"wordpress": wordpress.Factory(wordpress.Options{Storage: storage, Logger: logger}),
	}, publishing.Options{Logger: logger})
	if err != nil {
		return nil, err
	}
	p := &publishers{svc: svc, renderer: renderer}
	d, err := svc.RegisterDestination(ctx, scope, publishing.DestinationInput{Name: "static site", Kind: "static"})
	if err != nil {
		return nil, err
	}
	p.destinations = append(p.destinations, d)
	if env["WP_URL"] != "" && env["WP_USER"] != "" && env["WP_APP_PASSWORD"] != "" {
		d, err := svc.RegisterDestination(ctx, scope, publishing.DestinationInput{
			Name: "WordPress", Kind: "wordpress",
			Settings: map[string]string{wordpress.SettingURL: env["WP_URL"], wordpress.SettingUser: env["WP_USER"]},
			Secret:   []byte(env["WP_APP_PASSWORD"]),
		})
		if err != nil {
			return nil, err
		}
		p.destinations = append(p.destinations, d)
	}
	return p, nil
}
