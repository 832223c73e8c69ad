// Package sqlstore is the SQL implementation of igny8.Store (and of the
// domain stores built on it) over bun, on two databases:
//
//   - SQLite, the embedded default: the pure-Go modernc driver through
//     bun's sqliteshim, in WAL mode with busy_timeout, foreign keys and
//     BEGIN IMMEDIATE transactions (_txlock=immediate), so writers queue on
//     the database lock instead of failing. Within one Store, transactions
//     also queue on an in-process gate and run one at a time on a
//     connection kept for them, so a waiting writer neither sleeps in
//     busy_timeout nor holds a pool connection that reads need; the hot
//     reads are prepared statements. sqlite::memory: gives a private
//     in-memory database shared by the store's connections;
//   - Postgres, through pgx's database/sql driver (stdlib) and bun's
//     pgdialect.
//
// Open takes a DSN ("sqlite:path/to/file.db", "sqlite::memory:",
// "postgres://user@host/db") and brings the schema up to date with the
// embedded, versioned, forward-only migrations in migrations/<dialect>/
// (NNNN_name.sql, recorded in schema_migrations; Postgres migrates under
// an advisory lock, SQLite in one write-locked transaction, so two
// processes may start at once). Version ranges: 0001–0009 kernel,
// 0010–0019 AI call log, 0020–0029 planning, 0030–0039 content, 0040+
// later domains; every version exists for both dialects.
//
// Every tenant query names its tenant columns in SQL (account_id = ?, and
// site_id / sector_id where the scope narrows), so a row of another tenant
// answers NotFound. Errors carry the kernel's codes: no row is NotFound, a
// unique violation Conflict, a missing parent NotFound; the driver's own
// error (*pgconn.PgError, the SQLite error) stays reachable with errors.As.
//
// Transactions travel in the context: InTx puts one in the ctx its function
// receives, every store method (and IDB, for domain stores and adapters
// sharing the database) uses it, and a nested InTx joins it.
//
// Atomic parts:
//
//   - ReserveUsage is one upsert whose WHERE checks the limit on the
//     locked row, so concurrent callers never overshoot;
//   - ApplyLedger moves the balance with a conditional UPDATE (balance +
//     amount >= 0) and appends the entry under its idempotency key in one
//     transaction;
//   - AppendEvents assigns seq in commit order (SQLite serialises writers;
//     Postgres takes a transaction-level advisory lock first), so a reader
//     that has seen seq N never later finds a smaller one.
//
// Package sqlstoretest opens fresh stores for tests (an SQLite file, or a
// Postgres schema of its own).
package sqlstore
