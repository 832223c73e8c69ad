package sqlstore_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/igny8/sdk/adapters/sqlstore"
	"github.com/igny8/sdk/adapters/sqlstore/sqlstoretest"
	"github.com/igny8/sdk/igny8"
)

// TestCanceledTransactionsStayAtomic cancels transactions at random points
// while other writers queue behind them: every transaction's two rows are
// committed together or not at all, so a canceled transaction's rollback
// can never land on the next writer's transaction.
func TestCanceledTransactionsStayAtomic(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, store *sqlstore.Store) {
		ctx := context.Background()
		table := "tx_pairs"
		if _, err := store.DB().ExecContext(ctx, "CREATE TABLE "+table+" (k INTEGER NOT NULL, half INTEGER NOT NULL)"); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for g := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range 150 {
					k := g*1000 + i
					cctx, cancel := context.WithCancel(ctx)
					switch i % 3 {
					case 0: // canceled at a random moment
						time.AfterFunc(rand.N(300*time.Microsecond), cancel)
					case 1: // canceled between the two rows
					}
					_ = store.InTx(cctx, func(ctx context.Context) error {
						db := store.IDB(ctx)
						if _, err := db.ExecContext(ctx, "INSERT INTO "+table+" VALUES (?, 1)", k); err != nil {
							return err
						}
						if i%3 == 1 {
							cancel()
						}
						time.Sleep(rand.N(100 * time.Microsecond))
						_, err := db.ExecContext(ctx, "INSERT INTO "+table+" VALUES (?, 2)", k)
						return err
					})
					cancel()
				}
			}()
		}
		wg.Wait()
		var torn, total int
		if err := store.DB().QueryRowContext(ctx, "SELECT count(*) FROM (SELECT k FROM "+table+" GROUP BY k HAVING count(*) <> 2) x").Scan(&torn); err != nil {
			t.Fatal(err)
		}
		if err := store.DB().QueryRowContext(ctx, "SELECT count(*) FROM "+table).Scan(&total); err != nil {
			t.Fatal(err)
		}
		if torn > 0 {
			t.Fatalf("%d transactions were half committed (%d rows in all)", torn, total)
		}
		if total == 0 {
			t.Fatal("no transaction committed: the test proves nothing")
		}
		t.Logf("%d transactions committed whole", total/2)
	})
}

// TestWriterGateWaits checks the SQLite writer gate: a second transaction
// waits for the first, gives up with Unavailable after the busy timeout of
// every begin attempt, and stops waiting when its ctx ends.
func TestWriterGateWaits(t *testing.T) {
	ctx := context.Background()
	store, err := sqlstore.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "gate.db"), sqlstore.Options{BusyTimeout: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	holding, release := make(chan struct{}), make(chan struct{})
	first := make(chan error, 1)
	go func() {
		first <- store.InTx(ctx, func(context.Context) error {
			close(holding)
			<-release
			return nil
		})
	}()
	<-holding

	start := time.Now()
	err = store.InTx(ctx, func(context.Context) error { return nil })
	if waited := time.Since(start); igny8.CodeOf(err) != igny8.CodeUnavailable || waited < 100*time.Millisecond {
		t.Fatalf("second writer: %v after %s, want Unavailable after about 6 × 20 ms", err, waited)
	}

	cctx, cancel := context.WithTimeout(ctx, 30*time.Millisecond)
	defer cancel()
	start = time.Now()
	err = store.InTx(cctx, func(context.Context) error { return nil })
	if waited := time.Since(start); !errors.Is(err, context.DeadlineExceeded) || waited > 100*time.Millisecond {
		t.Fatalf("writer whose ctx ends: %v after %s, want its ctx's error at once", err, waited)
	}

	close(release)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	if err := store.InTx(ctx, func(context.Context) error { return nil }); err != nil {
		t.Fatalf("after the first writer: %v", err)
	}
}
