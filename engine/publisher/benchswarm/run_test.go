package main

import (
	"slices"
	"testing"
)

func TestActiveLabel(t *testing.T) {
	for _, c := range []struct {
		flags []string
		want  string
	}{
		{nil, "on"},
		{[]string{"--max-direct", "4"}, "on"},
		{[]string{"--active-source=false"}, "off"},
		{[]string{"--active-source=0"}, "off"},
		{[]string{"--active-source"}, "on"},
		{[]string{"--active-source=false", "--active-source=true"}, "on"},
	} {
		if got := activeLabel(c.flags); got != c.want {
			t.Errorf("activeLabel(%q) = %s, want %s", c.flags, got, c.want)
		}
	}
}

func TestVariantsCompare(t *testing.T) {
	vs := variants(options{pubFlags: []string{"--max-direct", "4"}, compare: true})
	if len(vs) != 2 || vs[0].active != "on" || vs[1].active != "off" {
		t.Fatalf("variants = %+v, want on then off", vs)
	}
	if !slices.Equal(vs[0].pubFlags, []string{"--max-direct", "4"}) ||
		!slices.Equal(vs[1].pubFlags, []string{"--max-direct", "4", "--active-source=false"}) {
		t.Fatalf("variants = %+v: off must append --active-source=false to the same flags", vs)
	}
}
