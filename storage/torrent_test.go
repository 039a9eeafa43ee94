package storage

import (
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	g "github.com/anacrolix/generics"
)

func sampleTorrent(n int, added time.Time) Torrent {
	return Torrent{
		InfoHash:   hashN(n),
		Source:     "magnet:?xt=urn:btih:" + hashN(n),
		Name:       "file " + hashN(n)[:6],
		SaveDir:    "/downloads",
		Added:      added,
		Paused:     true,
		Publisher:  true,
		Unlimited:  true,
		Uploaded:   1 << 40,
		Downloaded: 12345,
		Trackers:   []string{"udp://a:1", "https://b/announce"},
		WebSeeds:   []string{"https://mirror/"},
	}
}

func TestTorrentRoundTrip(t *testing.T) {
	db, _ := openTemp(t)
	want := sampleTorrent(1, time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC))
	if err := db.PutTorrent(want); err != nil {
		t.Fatal(err)
	}
	got, ok, err := db.Torrent(want.InfoHash)
	if err != nil || !ok {
		t.Fatalf("Torrent = %v, %v", ok, err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("round trip\n got %+v\nwant %+v", got, want)
	}
}

func TestTorrentMissing(t *testing.T) {
	db, _ := openTemp(t)
	got, ok, err := db.Torrent(hashN(9))
	if err != nil || ok || !reflect.DeepEqual(got, Torrent{}) {
		t.Errorf("missing torrent = %+v, %v, %v", got, ok, err)
	}
}

func TestPutTorrentReplacesButKeepsInfoAndPieces(t *testing.T) {
	db, _ := openTemp(t)
	tor := sampleTorrent(1, time.Unix(100, 0).UTC())
	ih := tor.InfoHash
	if err := db.PutTorrent(tor); err != nil {
		t.Fatal(err)
	}
	if err := db.SetInfoBytes(ih, []byte("info")); err != nil {
		t.Fatal(err)
	}
	if err := db.PieceCompletion().Set(pieceKey(t, ih, 0), g.Some(true)); err != nil {
		t.Fatal(err)
	}
	tor.Paused = false
	tor.Trackers = nil
	if err := db.PutTorrent(tor); err != nil {
		t.Fatal(err)
	}
	got, _, _ := db.Torrent(ih)
	if got.Paused || got.Trackers != nil {
		t.Errorf("record not replaced: %+v", got)
	}
	if info, _ := db.InfoBytes(ih); string(info) != "info" {
		t.Errorf("info bytes after replace = %q", info)
	}
	if c, _, _ := db.PieceCompletion().Counts(ih); c != 1 {
		t.Errorf("pieces after replace: %d complete, want 1", c)
	}
}

func TestInfoHashValidation(t *testing.T) {
	db, _ := openTemp(t)
	for _, bad := range []string{"", "abc", strings.Repeat("g", 40), hashN(1) + "00"} {
		if err := db.PutTorrent(Torrent{InfoHash: bad}); err == nil {
			t.Errorf("PutTorrent(%q) accepted", bad)
		}
		if _, _, err := db.Torrent(bad); err == nil {
			t.Errorf("Torrent(%q) accepted", bad)
		}
		if err := db.SetInfoBytes(bad, nil); err == nil {
			t.Errorf("SetInfoBytes(%q) accepted", bad)
		}
		if err := db.PieceCompletion().Forget(bad, 0, 1); err == nil {
			t.Errorf("Forget(%q) accepted", bad)
		}
	}
}

func TestInfoHashIsStoredLowercase(t *testing.T) {
	db, _ := openTemp(t)
	upper := strings.ToUpper(hashN(1))
	if err := db.PutTorrent(Torrent{InfoHash: upper}); err != nil {
		t.Fatal(err)
	}
	got, ok, err := db.Torrent(hashN(1))
	if err != nil || !ok || got.InfoHash != hashN(1) {
		t.Errorf("Torrent(lower) = %+v, %v, %v", got, ok, err)
	}
}

func TestTorrentsSortedByAddedThenHash(t *testing.T) {
	db, _ := openTemp(t)
	early, late := time.Unix(1000, 0).UTC(), time.Unix(2000, 0).UTC()
	for i, added := range map[int]time.Time{1: late, 2: early, 3: late, 4: early, 5: early} {
		if err := db.PutTorrent(Torrent{InfoHash: hashN(i), Added: added}); err != nil {
			t.Fatal(err)
		}
	}
	all, err := db.Torrents()
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 5 {
		t.Fatalf("got %d torrents, want 5", len(all))
	}
	for i := 1; i < len(all); i++ {
		a, b := all[i-1], all[i]
		if a.Added.After(b.Added) || (a.Added.Equal(b.Added) && a.InfoHash >= b.InfoHash) {
			t.Errorf("out of order at %d: %v %s then %v %s", i, a.Added, a.InfoHash, b.Added, b.InfoHash)
		}
	}
}

func TestTorrentsEmpty(t *testing.T) {
	db, _ := openTemp(t)
	all, err := db.Torrents()
	if err != nil || len(all) != 0 {
		t.Errorf("Torrents() = %v, %v", all, err)
	}
}

func TestDeleteTorrentRemovesEverything(t *testing.T) {
	db, _ := openTemp(t)
	pc := db.PieceCompletion()
	for _, n := range []int{1, 2} {
		ih := hashN(n)
		if err := db.PutTorrent(Torrent{InfoHash: ih}); err != nil {
			t.Fatal(err)
		}
		if err := db.SetInfoBytes(ih, []byte("info")); err != nil {
			t.Fatal(err)
		}
		if err := pc.Set(pieceKey(t, ih, 7), g.Some(true)); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.DeleteTorrent(hashN(1)); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := db.Torrent(hashN(1)); ok {
		t.Error("record survived")
	}
	if info, err := db.InfoBytes(hashN(1)); info != nil || err != nil {
		t.Errorf("info survived: %q, %v", info, err)
	}
	if c, i, _ := pc.Counts(hashN(1)); c+i != 0 {
		t.Errorf("piece states survived: %d, %d", c, i)
	}
	if got, _ := pc.Get(pieceKey(t, hashN(1), 7)); got.Ok {
		t.Errorf("piece still known: %+v", got)
	}
	// The other torrent is untouched.
	if _, ok, _ := db.Torrent(hashN(2)); !ok {
		t.Error("other record deleted")
	}
	if c, _, _ := pc.Counts(hashN(2)); c != 1 {
		t.Error("other piece states deleted")
	}
	// Deleting again, or something never stored, is fine.
	if err := db.DeleteTorrent(hashN(1)); err != nil {
		t.Errorf("second delete: %v", err)
	}
}

func TestInfoBytesRoundTrip(t *testing.T) {
	db, _ := openTemp(t)
	if info, err := db.InfoBytes(hashN(1)); info != nil || err != nil {
		t.Errorf("unknown info = %q, %v; want nil, nil", info, err)
	}
	want := []byte("d6:lengthi1024e4:name3:abc12:piece lengthi16384e6:pieces20:aaaaaaaaaaaaaaaaaaaae")
	if err := db.SetInfoBytes(hashN(1), want); err != nil {
		t.Fatal(err)
	}
	got, err := db.InfoBytes(hashN(1))
	if err != nil || string(got) != string(want) {
		t.Errorf("InfoBytes = %q, %v", got, err)
	}
	got[0] = 'X' // the copy is ours, the stored bytes stay
	if again, _ := db.InfoBytes(hashN(1)); string(again) != string(want) {
		t.Error("mutating the returned slice changed the store")
	}
}

func TestAddCounters(t *testing.T) {
	db, _ := openTemp(t)
	ih := hashN(1)
	if err := db.PutTorrent(Torrent{InfoHash: ih, Uploaded: 5, Downloaded: 7, Name: "keep"}); err != nil {
		t.Fatal(err)
	}
	if err := db.AddCounters(ih, 10, 20); err != nil {
		t.Fatal(err)
	}
	got, _, _ := db.Torrent(ih)
	if got.Uploaded != 15 || got.Downloaded != 27 || got.Name != "keep" {
		t.Errorf("after AddCounters: %+v", got)
	}
}

func TestAddCountersIgnoresUnknownTorrent(t *testing.T) {
	db, _ := openTemp(t)
	if err := db.AddCounters(hashN(1), 10, 20); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := db.Torrent(hashN(1)); ok {
		t.Error("AddCounters created a record")
	}
}

func TestAddCountersConcurrent(t *testing.T) {
	db, _ := openTemp(t)
	ih := hashN(1)
	if err := db.PutTorrent(Torrent{InfoHash: ih}); err != nil {
		t.Fatal(err)
	}
	const workers, each = 8, 10
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for range each {
				if err := db.AddCounters(ih, 3, 1); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	got, _, _ := db.Torrent(ih)
	if got.Uploaded != 3*workers*each || got.Downloaded != workers*each {
		t.Errorf("totals %d/%d, want %d/%d", got.Uploaded, got.Downloaded, 3*workers*each, workers*each)
	}
}
