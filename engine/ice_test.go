package engine

import (
	"slices"
	"strings"
	"testing"

	"fairshare/storage"
)

func TestCheckICEServers(t *testing.T) {
	cases := []struct {
		urls []string
		err  string
	}{
		{nil, ""},
		{DefaultICEServers, ""},
		{[]string{"stun:10.0.0.1:3478", "stuns:stun.example.org"}, ""},
		{[]string{"turn:turn.example.org:3478"}, "only stun: and stuns:"},
		{[]string{"http://stun.example.org"}, "not a STUN URL"},
		{[]string{"stun.example.org:3478"}, "not a STUN URL"},
	}
	for _, c := range cases {
		err := checkICEServers(c.urls)
		if (c.err == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.err)) {
			t.Errorf("checkICEServers(%q) = %v, want error with %q", c.urls, err, c.err)
		}
	}
	if got := iceServerList(nil); got != nil {
		t.Errorf("no servers: %v, want nil (host candidates only)", got)
	}
	if got := iceServerList(DefaultICEServers); len(got) != 1 || !slices.Equal(got[0].URLs, DefaultICEServers) {
		t.Errorf("default list: %v", got)
	}
}

// ICE servers are saved with the other settings; an empty list stays
// empty (no STUN), settings saved before the field existed get the
// default, and a TURN server is refused.
func TestICEServersSettingsPersist(t *testing.T) {
	home := t.TempDir()
	s := testSession(t, home, false)
	if got := s.Settings().ICEServerList(); !slices.Equal(got, DefaultICEServers) {
		t.Fatalf("new installation: %q, want %q", got, DefaultICEServers)
	}
	st := s.Settings()
	st.ICEServers = "stun:a.example.org:3478 turn:turn.example.org"
	if err := s.SetSettings(st); err == nil {
		t.Fatal("a TURN server was accepted")
	}
	st.ICEServers = "stun:a.example.org:3478, stun:b.example.org"
	if err := s.SetSettings(st); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = testSession(t, home, false)
	if got := s.Settings().ICEServerList(); !slices.Equal(got, []string{"stun:a.example.org:3478", "stun:b.example.org"}) {
		t.Fatalf("after restart: %q", got)
	}
	st = s.Settings()
	st.ICEServers = ""
	if err := s.SetSettings(st); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = testSession(t, home, false)
	if got := s.Settings().ICEServerList(); len(got) != 0 {
		t.Fatalf("after clearing and a restart: %q, want none", got)
	}
	s.Close()

	db, err := storage.Open(home)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.PutSetting(settingsKey, []byte(`{"DownloadDir":"/tmp/x","ListenPort":1234,"OnComplete":"seed"}`)); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s = testSession(t, home, false)
	if got := s.Settings(); !slices.Equal(got.ICEServerList(), DefaultICEServers) || got.ListenPort != 1234 {
		t.Fatalf("settings from before ICE servers: %+v", got)
	}
}

// An override in Config replaces the settings for one session; a bad one
// stops Open with a message naming the server.
func TestICEServersConfigOverride(t *testing.T) {
	s := &Session{settings: DefaultSettings("/tmp")}
	if got := s.iceServers(); !slices.Equal(got, DefaultICEServers) {
		t.Errorf("no override: %q", got)
	}
	s.cfg.ICEServers = []string{}
	if got := s.iceServers(); len(got) != 0 {
		t.Errorf("empty override: %q", got)
	}
	_, err := Open(Config{Home: t.TempDir(), ListenAddr: "127.0.0.1:0", ICEServers: []string{"bogus"}})
	if err == nil || !strings.Contains(err.Error(), `"bogus"`) {
		t.Fatalf("Open with a bad ICE server: %v", err)
	}
}
