package sqlstore

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/igny8/sdk/igny8"
)

func TestParseDSN(t *testing.T) {
	tests := []struct {
		name    string
		dsn     string
		dialect string
		path    string
		memory  bool
		wantErr bool
	}{
		{name: "sqlite file", dsn: "sqlite:data/igny8.db", dialect: DialectSQLite, path: "data/igny8.db"},
		{name: "sqlite absolute", dsn: "sqlite:/var/lib/igny8.db", dialect: DialectSQLite, path: "/var/lib/igny8.db"},
		{name: "sqlite url form", dsn: "sqlite:///var/lib/igny8.db", dialect: DialectSQLite, path: "/var/lib/igny8.db"},
		{name: "sqlite memory", dsn: "sqlite::memory:", dialect: DialectSQLite, path: ":memory:", memory: true},
		{name: "sqlite extra pragma", dsn: "sqlite:x.db?_pragma=cache_size(-20000)", dialect: DialectSQLite, path: "x.db"},
		{name: "sqlite txlock immediate", dsn: "sqlite:x.db?_txlock=IMMEDIATE", dialect: DialectSQLite, path: "x.db"},
		{name: "sqlite txlock deferred", dsn: "sqlite:x.db?_txlock=deferred", wantErr: true},
		{name: "postgres", dsn: "postgres://u:secret@127.0.0.1:5432/db?sslmode=disable", dialect: DialectPostgres},
		{name: "postgresql", dsn: "postgresql://u@localhost/db", dialect: DialectPostgres},
		{name: "no scheme", dsn: "igny8.db", wantErr: true},
		{name: "empty", dsn: "", wantErr: true},
		{name: "unknown scheme", dsn: "mysql://u@h/db", wantErr: true},
		{name: "sqlite no path", dsn: "sqlite:", wantErr: true},
		{name: "sqlite unknown param", dsn: "sqlite:x.db?foo=1", wantErr: true},
		{name: "postgres without slashes", dsn: "postgres:db", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := parseDSN(tt.dsn)
			if tt.wantErr {
				if igny8.CodeOf(err) != igny8.CodeInvalidArgument {
					t.Fatalf("parseDSN(%q) = %v, want InvalidArgument", tt.dsn, err)
				}
				var e *igny8.Error
				if !asError(err, &e) || e.Field != "dsn" {
					t.Fatalf("error %v does not name the field dsn", err)
				}
				if strings.Contains(err.Error(), "secret") {
					t.Fatalf("error %v leaks the password", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("parseDSN(%q): %v", tt.dsn, err)
			}
			if cfg.dialect != tt.dialect || cfg.path != tt.path || cfg.memory != tt.memory {
				t.Fatalf("parseDSN(%q) = %+v, want dialect %s path %q memory %v", tt.dsn, cfg, tt.dialect, tt.path, tt.memory)
			}
		})
	}
}

func asError(err error, target **igny8.Error) bool {
	e, ok := err.(*igny8.Error)
	if ok {
		*target = e
	}
	return ok
}

func TestSQLiteDSNPragmas(t *testing.T) {
	cfg, err := parseDSN("sqlite:/tmp/a b.db?_pragma=cache_size(-2000)")
	if err != nil {
		t.Fatal(err)
	}
	dsn, err := cfg.sqliteDSN(DefaultBusyTimeout)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"file:/tmp/a%20b.db?", "busy_timeout%2810000%29", "journal_mode%28WAL%29",
		"synchronous%28NORMAL%29", "foreign_keys%281%29", "_txlock=immediate", "cache_size%28-2000%29"} {
		if !strings.Contains(dsn, want) {
			t.Errorf("sqlite DSN %q lacks %q", dsn, want)
		}
	}
}

func TestParseMigrationName(t *testing.T) {
	tests := []struct {
		file    string
		version int
		name    string
		wantErr bool
	}{
		{file: "0001_kernel.sql", version: 1, name: "kernel"},
		{file: "0042_ai_call_log.sql", version: 42, name: "ai_call_log"},
		{file: "0000_zero.sql", wantErr: true},
		{file: "1_short.sql", wantErr: true},
		{file: "00a1_x.sql", wantErr: true},
		{file: "0001_Upper.sql", wantErr: true},
		{file: "0001_kernel.txt", wantErr: true},
		{file: "0001_.sql", wantErr: true},
		{file: "0001kernel.sql", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			v, name, err := parseMigrationName(tt.file)
			if (err != nil) != tt.wantErr {
				t.Fatalf("parseMigrationName(%q) err = %v, wantErr %v", tt.file, err, tt.wantErr)
			}
			if !tt.wantErr && (v != tt.version || name != tt.name) {
				t.Fatalf("parseMigrationName(%q) = %d, %q; want %d, %q", tt.file, v, name, tt.version, tt.name)
			}
		})
	}
}

func TestLoadMigrationsRejectsDuplicateVersion(t *testing.T) {
	fsys := fstest.MapFS{
		"m/0001_a.sql": {Data: []byte("SELECT 1;")},
		"m/0001_b.sql": {Data: []byte("SELECT 2;")},
	}
	if _, err := loadMigrations(fsys, "m"); err == nil || !strings.Contains(err.Error(), "0001") {
		t.Fatalf("loadMigrations with a duplicate version = %v, want an error naming 0001", err)
	}
}

// TestMigrationsParity: every version exists for both dialects, with the
// same name, and versions are unique and parse.
func TestMigrationsParity(t *testing.T) {
	lite, err := Migrations(DialectSQLite)
	if err != nil {
		t.Fatal(err)
	}
	pg, err := Migrations(DialectPostgres)
	if err != nil {
		t.Fatal(err)
	}
	names := func(ms []Migration) map[int]string {
		out := map[int]string{}
		for _, m := range ms {
			out[m.Version] = m.Name
		}
		return out
	}
	l, p := names(lite), names(pg)
	for v, n := range l {
		if p[v] != n {
			t.Errorf("sqlite migration %04d_%s has no postgres twin (postgres has %q)", v, n, p[v])
		}
	}
	for v, n := range p {
		if l[v] != n {
			t.Errorf("postgres migration %04d_%s has no sqlite twin (sqlite has %q)", v, n, l[v])
		}
	}
	if len(lite) == 0 || lite[0].Version != 1 {
		t.Fatalf("want the kernel migration 0001 first, got %+v", lite)
	}
}

func FuzzParseDSN(f *testing.F) {
	for _, s := range []string{"sqlite:x.db", "sqlite::memory:", "postgres://u:p@h/db", "sqlite:x?_pragma=a(1)&_txlock=deferred",
		"sqlite:///a/b", ":", "sqlite:%zz", "postgresql://", "SQLITE:x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, dsn string) {
		cfg, err := parseDSN(dsn)
		if err != nil {
			if igny8.CodeOf(err) != igny8.CodeInvalidArgument {
				t.Fatalf("parseDSN(%q) error %v has code %s, want invalid_argument", dsn, err, igny8.CodeOf(err))
			}
			return
		}
		switch cfg.dialect {
		case DialectSQLite:
			if cfg.path == "" {
				t.Fatalf("parseDSN(%q) accepted an empty path", dsn)
			}
			out, err := cfg.sqliteDSN(DefaultBusyTimeout)
			if err != nil {
				t.Fatalf("sqliteDSN(%q): %v", dsn, err)
			}
			if !strings.Contains(out, "_txlock=immediate") {
				t.Fatalf("sqliteDSN(%q) = %q lost _txlock", dsn, out)
			}
		case DialectPostgres:
			if cfg.pg != dsn {
				t.Fatalf("parseDSN(%q) changed the Postgres DSN", dsn)
			}
		default:
			t.Fatalf("parseDSN(%q) = dialect %q", dsn, cfg.dialect)
		}
	})
}

func FuzzParseMigrationName(f *testing.F) {
	for _, s := range []string{"0001_kernel.sql", "9999_x.sql", "0001_.sql", "abcd_x.sql", "0001_a-b.sql"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, file string) {
		v, name, err := parseMigrationName(file)
		if err != nil {
			return
		}
		if v < 1 || v > 9999 || name == "" || !strings.HasSuffix(file, ".sql") {
			t.Fatalf("parseMigrationName(%q) = %d, %q", file, v, name)
		}
	})
}
