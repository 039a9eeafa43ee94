package publisher

import (
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/anacrolix/torrent/tracker"
)

func TestDirectSlots(t *testing.T) {
	clock := &fakeClock{now: time.Unix(1000, 0)}
	d := NewDirectSlots(2, clock.Now)
	if !d.Admit("a", time.Minute) || !d.Admit("b", time.Minute) {
		t.Fatal("the first two clients must get slots")
	}
	if d.Admit("c", time.Minute) {
		t.Fatal("a third client got a slot with K=2")
	}
	if !d.Admit("a", time.Minute) {
		t.Fatal("a holder must keep its slot when it asks again")
	}
	d.Release("a")
	if !d.Admit("c", time.Minute) {
		t.Fatal("a released slot must go to the next client")
	}
	// b's slot expires unless refreshed; c's is refreshed.
	clock.Advance(40 * time.Second)
	d.Admit("c", time.Minute)
	clock.Advance(30 * time.Second)
	if d.Holds("b") || !d.Holds("c") {
		t.Fatalf("after 70 s: b holds %v (want expired), c holds %v (want refreshed)", d.Holds("b"), d.Holds("c"))
	}
	st := d.Stats()
	if st.Max != 2 || st.Peak != 2 || !slices.Equal(st.Holders, []string{"c"}) ||
		!slices.Equal(st.Granted, []string{"a", "b", "c"}) || !slices.Equal(st.Refused, []string{"c"}) {
		t.Fatalf("stats %+v", st)
	}
	unlimited := NewDirectSlots(0, nil)
	for i := range 100 {
		if !unlimited.Admit(fmt.Sprint(i), time.Minute) {
			t.Fatalf("unlimited slots refused client %d", i)
		}
	}
}

// TestTrackerDirectThreshold: with K=2 over real HTTP announces, only the
// first two leechers get the source's address; a completion frees a slot
// for the next one; seeders never take one.
func TestTrackerDirectThreshold(t *testing.T) {
	src := netip.MustParseAddrPort("127.0.0.1:7000")
	slots := NewDirectSlots(2, nil)
	f := newTrackerFixture(t, TrackerOptions{SourceAddrs: []netip.AddrPort{src}, Direct: slots})
	gotSource := func(p fakePeer) bool {
		return slices.Contains(addrsOf(t, f.announce(ihA, p, tracker.Started, "")), src)
	}
	leechers := []fakePeer{{port: 6001, left: 100}, {port: 6002, left: 100}, {port: 6003, left: 100}, {port: 6004, left: 100}}
	for i, p := range leechers {
		if got, want := gotSource(p), i < 2; got != want {
			t.Fatalf("leecher %d got the source: %v, want %v", i, got, want)
		}
	}
	// Asking again changes nothing.
	if !gotSource(leechers[0]) || gotSource(leechers[2]) {
		t.Fatal("re-announces must keep the slots where they are")
	}
	// Leecher 0 completes: its slot goes to the next leecher to ask.
	done := leechers[0]
	done.left = 0
	f.announce(ihA, done, tracker.Completed, "")
	if !gotSource(leechers[3]) {
		t.Fatal("a completed download must free its slot")
	}
	// Leecher 1 stops: a slot frees again.
	f.announce(ihA, leechers[1], tracker.Stopped, "")
	if !gotSource(leechers[2]) {
		t.Fatal("a stopped download must free its slot")
	}
	// A new seeder never gets (or takes) the source.
	if gotSource(fakePeer{port: 6010, left: 0}) {
		t.Fatal("a seeder was given the source")
	}
	st := slots.Stats()
	if st.Peak != 2 || len(st.Granted) != 4 || len(st.Holders) != 2 {
		t.Fatalf("slots %+v", st)
	}
}

func TestTrackerDelivered(t *testing.T) {
	f := newTrackerFixture(t, TrackerOptions{})
	// anacrolix's client sends "downloaded" from the request.
	a := fakePeer{port: 6001, left: 100}
	f.announce(ihA, a, tracker.Started, "")
	if d := f.tr.Stats(ihA).Delivered; d != 0 {
		t.Fatalf("delivered %d before anything was downloaded", d)
	}
	f.announce(ihA, a, tracker.None, "downloaded=700")
	f.announce(ihA, a, tracker.None, "downloaded=500") // never goes down
	f.announce(ihA, a, tracker.Stopped, "downloaded=900")
	if d := f.tr.Stats(ihA).Delivered; d != 900 {
		t.Fatalf("delivered %d, want 900 (kept after the peer left)", d)
	}
}

func TestGateWebSeed(t *testing.T) {
	slots := NewDirectSlots(1, nil)
	tr := NewTracker(TrackerOptions{Direct: slots})
	g := NewGate(slots, tr)
	req := func(remote string, id string) *http.Request {
		r := httptest.NewRequest("GET", "/webseed/x", nil)
		r.RemoteAddr = remote
		if id != "" {
			r.Header.Set(PeerIDHeader, id)
		}
		return r
	}
	idA := hex.EncodeToString([]byte("-FS0100-aaaaaaaaaaaa"))
	idB := hex.EncodeToString([]byte("-FS0100-bbbbbbbbbbbb"))
	if v := g.AllowWebSeed(req("127.0.0.1:5000", idA)); v != WebSeedServe {
		t.Fatalf("first client: %v", v)
	}
	// Same IP, other peer ID: another client, over the threshold.
	if v := g.AllowWebSeed(req("127.0.0.1:5001", idB)); v != WebSeedFull {
		t.Fatalf("second client behind the same IP: %v, want full", v)
	}
	// The first one again, on another connection: still its slot.
	if v := g.AllowWebSeed(req("127.0.0.1:5002", idA)); v != WebSeedServe {
		t.Fatalf("slot holder on a new connection: %v", v)
	}
	// Once it has a peer connection to the source, it gets no HTTP copy.
	var a [20]byte
	copy(a[:], "-FS0100-aaaaaaaaaaaa")
	g.SetConnected([][20]byte{a})
	if v := g.AllowWebSeed(req("127.0.0.1:5002", idA)); v != WebSeedUsePeers {
		t.Fatalf("client connected over BitTorrent: %v, want use-peers", v)
	}
	// In S2 Fairshare clients go to peers; a third-party client (no
	// header) is still served within K.
	g.SetConnected(nil)
	slots.Release(ClientKey(&a, netip.MustParseAddr("127.0.0.1")))
	g.SetMode(ModePeersOnly)
	if v := g.AllowWebSeed(req("127.0.0.1:5003", idB)); v != WebSeedUsePeers {
		t.Fatalf("Fairshare client in S2: %v", v)
	}
	if v := g.AllowWebSeed(req("10.0.0.9:5003", "")); v != WebSeedServe {
		t.Fatalf("third-party client in S2: %v", v)
	}
	if v := g.AllowWebSeed(req("10.0.0.8:5003", "")); v != WebSeedFull {
		t.Fatalf("second third-party client with K=1: %v", v)
	}
}

// TestGateWebSeedMatchesAnnouncedIP: a third-party client sends no peer ID
// over HTTP; the web seed recognises it by the IP it announced from and
// does not charge it a second slot.
func TestGateWebSeedMatchesAnnouncedIP(t *testing.T) {
	src := netip.MustParseAddrPort("127.0.0.1:7000")
	slots := NewDirectSlots(1, nil)
	f := newTrackerFixture(t, TrackerOptions{SourceAddrs: []netip.AddrPort{src}, Direct: slots})
	g := NewGate(slots, f.tr)
	if !slices.Contains(addrsOf(t, f.announce(ihA, fakePeer{port: 6001, left: 100}, tracker.Started, "")), src) {
		t.Fatal("the first leecher did not get the source")
	}
	r := httptest.NewRequest("GET", "/webseed/x", nil)
	r.RemoteAddr = "127.0.0.1:40000"
	if v := g.AllowWebSeed(r); v != WebSeedServe {
		t.Fatalf("the announced leecher's web seed request: %v, want serve under its slot", v)
	}
	if st := slots.Stats(); len(st.Holders) != 1 {
		t.Fatalf("holders %v, want just the announced peer", st.Holders)
	}
}
