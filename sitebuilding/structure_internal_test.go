package sitebuilding

import (
	"reflect"
	"testing"
)

func TestLines(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"plain", "a\nb", []string{"a", "b"}},
		{"bullets", "- a\n* b\n• c", []string{"a", "b", "c"}},
		{"numbered", "1. a\n2) b\n10. c", []string{"a", "b", "c"}},
		{"numbers that are content", "24/7 service: always open\n3 loaves: a box\n2.5 kg: flour", []string{"24/7 service: always open", "3 loaves: a box", "2.5 kg: flour"}},
		{"blank lines", "\n a \n\n", []string{"a"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := lines(tc.in); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("lines(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
