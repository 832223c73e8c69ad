package sqlstore_test

import (
	"testing"

	"github.com/igny8/sdk/adapters/sqlstore"
	"github.com/igny8/sdk/adapters/sqlstore/sqlstoretest"
	"github.com/igny8/sdk/siteaudit/siteaudittest"
)

func TestSiteAuditStore(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		siteaudittest.Run(t, func(t *testing.T) siteaudittest.Harness {
			return siteaudittest.Harness{Store: s, Sites: siteaudittest.Tenants(t, s)}
		})
	})
}
