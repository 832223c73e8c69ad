package automation

import (
	"testing"
	"time"
)

func TestCronNext(t *testing.T) {
	utc := func(s string) time.Time {
		tt, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return tt
	}
	tests := []struct {
		expr, tz, from, want string
	}{
		{"*/15 * * * *", "", "2026-11-26T08:07:30Z", "2026-11-26T08:15:00Z"},
		{"0 9 * * *", "", "2026-11-26T09:00:00Z", "2026-11-27T09:00:00Z"},
		{"0 9 * * mon-fri", "", "2026-11-27T10:00:00Z", "2026-11-30T09:00:00Z"}, // Friday after nine → Monday
		{"30 2 1 jan,jul *", "", "2026-03-01T00:00:00Z", "2026-07-01T02:30:00Z"},
		{"0 0 29 2 *", "", "2026-03-01T00:00:00Z", "2028-02-29T00:00:00Z"},                 // leap day
		{"@daily", "Europe/Berlin", "2026-11-26T12:00:00Z", "2026-11-26T23:00:00Z"},        // midnight in Berlin (UTC+1)
		{"0 9 * * *", "America/New_York", "2026-03-07T15:00:00Z", "2026-03-08T13:00:00Z"},  // 09:00 EDT after the spring change
		{"30 1 * * *", "America/New_York", "2026-11-01T04:00:00Z", "2026-11-01T05:30:00Z"}, // first 01:30 of the fall-back day
		{"0 0 1 * 0", "", "2026-11-02T00:00:00Z", "2026-11-08T00:00:00Z"},                  // dom or dow: the next Sunday comes first
		{"0 12 * * 7", "", "2026-11-26T00:00:00Z", "2026-11-29T12:00:00Z"},                 // 7 is Sunday
	}
	for _, tc := range tests {
		c, err := ParseCron(tc.expr, tc.tz)
		if err != nil {
			t.Fatalf("%s: %v", tc.expr, err)
		}
		if got := c.Next(utc(tc.from)); !got.Equal(utc(tc.want)) {
			t.Errorf("%s in %q after %s = %s, want %s", tc.expr, tc.tz, tc.from, got.Format(time.RFC3339), tc.want)
		}
	}
	if c, _ := ParseCron("0 0 30 2 *", ""); !c.Next(utc("2026-01-01T00:00:00Z")).IsZero() {
		t.Error("February 30 has a next time")
	}
	for _, bad := range []string{"* * * *", "60 * * * *", "* 24 * * *", "* * 0 * *", "* * * 13 *", "* * * * 8", "*/0 * * * *", "5-1 * * * *", "x * * * *"} {
		if _, err := ParseCron(bad, ""); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

func FuzzParseCron(f *testing.F) {
	for _, s := range []string{"* * * * *", "*/5 1-3 * jan sun", "@weekly", "0 0 30 2 *"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCron(s, "Europe/Berlin")
		if err != nil {
			return
		}
		from := time.Date(2026, 3, 29, 0, 30, 0, 0, time.UTC)
		n := c.Next(from)
		if !n.IsZero() && !n.After(from) {
			t.Fatalf("%q: next %s is not after %s", s, n, from)
		}
	})
}
