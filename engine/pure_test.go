package engine

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/anacrolix/torrent/metainfo"
)

func TestMeterRate(t *testing.T) {
	t0 := time.Unix(1000, 0)
	at := func(s float64) time.Time { return t0.Add(time.Duration(s * float64(time.Second))) }
	tests := []struct {
		name    string
		samples []meterSample
		want    float64
	}{
		{"empty", nil, 0},
		{"one sample", []meterSample{{at(0), 100}}, 0},
		{"steady 1000/s", []meterSample{{at(0), 0}, {at(1), 1000}, {at(2), 2000}}, 1000},
		{"window drops old burst", []meterSample{{at(0), 0}, {at(1), 1e6}, {at(2), 1e6}, {at(5), 1e6 + 3000}}, 1000},
		{"counter reset restarts", []meterSample{{at(0), 5000}, {at(1), 9000}, {at(2), 100}, {at(3), 600}}, 500},
		{"same instant keeps latest", []meterSample{{at(0), 0}, {at(1), 500}, {at(1), 800}}, 800},
		{"stalled", []meterSample{{at(0), 10}, {at(4), 10}, {at(5), 10}}, 0},
	}
	for _, tc := range tests {
		var m meter
		for _, s := range tc.samples {
			m.add(s.at, s.total)
		}
		if got := m.rate(); got < tc.want-0.001 || got > tc.want+0.001 {
			t.Errorf("%s: rate %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestClientFromPeerID(t *testing.T) {
	id := func(s string) (b [20]byte) { copy(b[:], s); return }
	tests := map[string]string{
		"-TR3000-abcdefghijkl": "Transmission 3000",
		"-LT2090-abcdefghijkl": "libtorrent 2090",
		"-FP0100-abcdefghijkl": "Fairshare source 0100",
		"-XX1234-abcdefghijkl": "",
		"M7-4-3--abcdefghijkl": "",
	}
	for in, want := range tests {
		if got := ClientFromPeerID(id(in)); got != want {
			t.Errorf("ClientFromPeerID(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestValidateSource(t *testing.T) {
	good := "magnet:?xt=urn:btih:" + strings.Repeat("0f", 20) + "&dn=x"
	tests := []struct {
		in   string
		want string // substring of the error; "" for valid
	}{
		{good, ""},
		{"magnet:?xt=urn:btih:" + strings.Repeat("A", 32), ""}, // base32
		{"  " + good + "\n", ""},
		{"https://example.org/x.torrent", ""},
		{"magnet:?dn=x", "no BitTorrent info hash"},
		{"magnet:?xt=urn:btih:abc", "3 characters"},
		{"magnet:?xt=urn:btih:" + strings.Repeat("g", 40), "not valid hex"},
		{"magnet:?xt=urn:sha1:" + strings.Repeat("0", 40), "no BitTorrent info hash"},
		{"http://", "not a valid http(s) URL"},
		{"", "paste a magnet link"},
		{"/no/such/file.torrent", "neither a magnet link nor an existing .torrent file"},
		{"/", "is a folder"},
	}
	for _, tc := range tests {
		err := ValidateSource(tc.in)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("ValidateSource(%q) = %v, want ok", tc.in, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("ValidateSource(%q) = %v, want error containing %q", tc.in, err, tc.want)
		case err != nil && !errors.Is(err, ErrBadSource):
			t.Errorf("ValidateSource(%q) error %v is not ErrBadSource", tc.in, err)
		}
	}
}

func TestMissingRanges(t *testing.T) {
	dir := t.TempDir()
	info := &metainfo.Info{
		Name:        "pack",
		PieceLength: 100,
		Files: []metainfo.FileInfo{
			{Path: []string{"a"}, Length: 250}, // pieces 0-2
			{Path: []string{"b"}, Length: 100}, // pieces 2-3
			{Path: []string{"c"}, Length: 0},
			{Path: []string{"d"}, Length: 120}, // pieces 3-4
		},
	}
	write := func(name string, n int) { writeRandom(t, dir+"/pack/"+name, n, 1) }
	write("a", 250)
	write("b", 40) // short: bytes 290.. missing → pieces 2..4
	// c (empty) and d are missing entirely; d covers bytes 350..470.
	got := missingRanges(dir, info)
	want := [][2]int{{2, 4}, {3, 5}}
	if len(got) != len(want) {
		t.Fatalf("missingRanges = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("missingRanges = %v, want %v", got, want)
		}
	}
}
