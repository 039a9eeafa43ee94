package cli

import (
	"net"
	"strings"
	"testing"
)

func TestWSTrackerAddr(t *testing.T) {
	cases := []struct{ flag, tracker, want, err string }{
		{"", ":6969", ":6970", ""},
		{"", "127.0.0.1:0", "127.0.0.1:0", ""},
		{"", "[::1]:8000", "[::1]:8001", ""},
		{"10.0.0.1:9000", ":6969", "10.0.0.1:9000", ""},
		{"off", ":6969", "", ""},
		{"", ":65535", "", "no next port"},
		{"", "6969", "", "host:port"},
	}
	for _, c := range cases {
		got, err := wsTrackerAddr(c.flag, c.tracker)
		if got != c.want || (c.err == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.err)) {
			t.Errorf("wsTrackerAddr(%q, %q) = %q, %v; want %q, error with %q", c.flag, c.tracker, got, err, c.want, c.err)
		}
	}
}

// The tracker's URL in the torrent uses --public-host like the HTTP
// tracker's, and the listener's real port.
func TestWSTrackerURLUsesPublicHost(t *testing.T) {
	l, err := listenWSTracker("", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	_, port, _ := net.SplitHostPort(l.Addr().String())
	p := &publication{wsListener: l}
	if got, want := p.wsTrackerURLs("seed.example.org", ""), "ws://seed.example.org:"+port; len(got) != 1 || got[0] != want {
		t.Errorf("with --public-host: %q, want [%q]", got, want)
	}
	if got, want := p.wsTrackerURLs("", ""), "ws://127.0.0.1:"+port; len(got) != 1 || got[0] != want {
		t.Errorf("without --public-host: %q, want [%q]", got, want)
	}
	if got := p.wsTrackerURLs("x", "wss://tracker.example.org/"); len(got) != 1 || got[0] != "wss://tracker.example.org/" {
		t.Errorf("with --ws-tracker-url: %q", got)
	}
	if got := (&publication{}).wsTrackerURLs("x", "wss://x/"); got != nil {
		t.Errorf("with the tracker off: %q", got)
	}
}

func TestICEServersFlag(t *testing.T) {
	if got := iceServersFlag(nil); got != nil {
		t.Errorf("no flag: %q, want nil (settings apply)", got)
	}
	if got := iceServersFlag([]string{"none"}); got == nil || len(got) != 0 {
		t.Errorf("none: %q, want an empty non-nil list", got)
	}
	if got := iceServersFlag([]string{"stun:a:1", "stun:b:2"}); strings.Join(got, ",") != "stun:a:1,stun:b:2" {
		t.Errorf("two servers: %q", got)
	}
}
