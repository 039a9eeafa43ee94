package publisher

import (
	"net/url"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/anacrolix/torrent/metainfo"
)

func TestMagnetRoundTrip(t *testing.T) {
	root := makeTree(t)
	trackers := []string{"http://127.0.0.1:7/announce", "udp://127.0.0.1:8"}
	seeds := []string{"http://127.0.0.1:9/webseed/", "http://[::1]:9/webseed/"}
	mi, err := Build(root, BuildOptions{Trackers: trackers, WebSeeds: seeds})
	if err != nil {
		t.Fatal(err)
	}
	xs := "http://127.0.0.1:9" + TorrentURLPath(mi)
	link, err := Magnet(mi, MagnetOptions{TorrentURL: xs})
	if err != nil {
		t.Fatal(err)
	}
	ih := mi.HashInfoBytes()
	if !strings.HasPrefix(link, "magnet:?xt=urn:btih:"+ih.HexString()+"&") {
		t.Errorf("link does not start with the v1 xt: %s", link)
	}
	m, err := metainfo.ParseMagnetUri(link)
	if err != nil {
		t.Fatal(err)
	}
	if m.InfoHash != ih || m.DisplayName != "My Share" || !reflect.DeepEqual(m.Trackers, trackers) {
		t.Errorf("parsed back %+v", m)
	}
	want := url.Values{"ws": seeds, "xs": {xs}}
	if !reflect.DeepEqual(m.Params, want) {
		t.Errorf("params = %v, want %v", m.Params, want)
	}
}

func TestMagnetMinimal(t *testing.T) {
	path := filepath.Join(t.TempDir(), "one file.bin")
	writeRandom(t, path, 1000)
	mi, err := Build(path, BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	link, err := Magnet(mi, MagnetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m, err := metainfo.ParseMagnetUri(link)
	if err != nil {
		t.Fatal(err)
	}
	if m.InfoHash != mi.HashInfoBytes() || m.DisplayName != "one file.bin" || len(m.Trackers) != 0 || len(m.Params) != 0 {
		t.Errorf("parsed back %+v from %s", m, link)
	}
	if _, err := Magnet(mi, MagnetOptions{TorrentURL: "not a url"}); err == nil {
		t.Error("a relative .torrent URL was accepted")
	}
}
