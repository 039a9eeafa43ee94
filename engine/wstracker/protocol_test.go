package wstracker

import "testing"

func TestBinaryStringRoundTrip(t *testing.T) {
	var all id
	for i := range all {
		all[i] = byte(i * 13)
	}
	for _, in := range []id{{}, ihA, all, {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}} {
		got, err := parseID(in.binaryString(), "x")
		if err != nil || got != in {
			t.Errorf("round trip of %x: %x, %v", in[:], got[:], err)
		}
	}
}

func TestParseIDRejects(t *testing.T) {
	for _, s := range []string{"", "short", "aaaaaaaaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaaaaa\u0100", "aaaaaaaaaaaaaaaaaa\u00ff"} {
		if _, err := parseID(s, "x"); err == nil {
			t.Errorf("parseID(%q) accepted", s)
		}
	}
}
