package publisher

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/anacrolix/dht/v2/krpc"
	"github.com/anacrolix/torrent/bencode"
	"github.com/anacrolix/torrent/metainfo"
	"github.com/anacrolix/torrent/tracker"
	trackerServer "github.com/anacrolix/torrent/tracker/server"
)

// fakeClock is an injectable TrackerOptions.Now.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// trackerFixture is a Tracker served on a real 127.0.0.1 listener at
// /announce, as a source node would mount it.
type trackerFixture struct {
	t   *testing.T
	tr  *Tracker
	url string
}

func newTrackerFixture(t *testing.T, o TrackerOptions) *trackerFixture {
	tr := NewTracker(o)
	mux := http.NewServeMux()
	mux.Handle("/announce", tr.Handler())
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &trackerFixture{t: t, tr: tr, url: srv.URL + "/announce"}
}

// fakePeer announces with anacrolix's own HTTP tracker client. All fake
// peers share 127.0.0.1 and differ by announced port.
type fakePeer struct {
	port uint16
	left int64
}

func (p fakePeer) addr() netip.AddrPort {
	return netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), p.port)
}

func (f *trackerFixture) announce(ih metainfo.Hash, p fakePeer, ev tracker.AnnounceEvent, query string) tracker.AnnounceResponse {
	f.t.Helper()
	u := f.url
	if query != "" {
		u += "?" + query
	}
	req := tracker.AnnounceRequest{InfoHash: ih, Port: p.port, Left: p.left, Event: ev, NumWant: -1}
	copy(req.PeerId[:], fmt.Sprintf("-FS0001-%012d", p.port))
	res, err := tracker.Announce{TrackerUrl: u, Request: req}.Do()
	if err != nil {
		f.t.Fatalf("announce from port %d: %v", p.port, err)
	}
	return res
}

func addrsOf(t *testing.T, res tracker.AnnounceResponse) []netip.AddrPort {
	t.Helper()
	var ret []netip.AddrPort
	for _, p := range res.Peers {
		a, ok := p.ToNetipAddrPort()
		if !ok {
			t.Fatalf("undecodable peer %v", p)
		}
		ret = append(ret, a)
	}
	return ret
}

func sameSet(a, b []netip.AddrPort) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	cmp := func(x, y netip.AddrPort) int { return x.Compare(y) }
	slices.SortFunc(a, cmp)
	slices.SortFunc(b, cmp)
	return slices.Equal(a, b)
}

var ihA = metainfo.Hash{0xaa, 1}

func TestTrackerLifecycle(t *testing.T) {
	f := newTrackerFixture(t, TrackerOptions{})
	a, b := fakePeer{port: 6001, left: 100}, fakePeer{port: 6002, left: 100}
	s := fakePeer{port: 6003, left: 0}

	if res := f.announce(ihA, a, tracker.Started, ""); len(res.Peers) != 0 || res.Interval != 30 {
		t.Fatalf("first peer got %v interval %d; wants nothing (never itself) and 30 s", res.Peers, res.Interval)
	}
	if got := addrsOf(t, f.announce(ihA, b, tracker.Started, "")); !sameSet(got, []netip.AddrPort{a.addr()}) {
		t.Fatalf("second leecher got %v", got)
	}
	// A seeder gets leechers only.
	res := f.announce(ihA, s, tracker.Started, "")
	if got := addrsOf(t, res); !sameSet(got, []netip.AddrPort{a.addr(), b.addr()}) || res.Seeders != 1 || res.Leechers != 2 {
		t.Fatalf("seeder got %v (seeders %d leechers %d)", got, res.Seeders, res.Leechers)
	}
	// A leecher gets seeders first.
	if got := addrsOf(t, f.announce(ihA, a, tracker.None, "")); len(got) != 2 || got[0] != s.addr() || got[1] != b.addr() {
		t.Fatalf("leecher got %v, want seeder %v first then %v", got, s.addr(), b.addr())
	}

	// "completed" turns a into a seeder, counted once however often sent.
	a.left = 0
	f.announce(ihA, a, tracker.Completed, "")
	f.announce(ihA, a, tracker.Completed, "")
	st := f.tr.Stats(ihA)
	if st.Seeders != 2 || st.Leechers != 1 || st.Completed != 1 || len(st.Peers) != 3 {
		t.Fatalf("after completed: %+v", st)
	}
	if got := addrsOf(t, f.announce(ihA, s, tracker.None, "")); !sameSet(got, []netip.AddrPort{b.addr()}) {
		t.Fatalf("seeder got %v, want only the remaining leecher", got)
	}

	// "stopped" removes the peer at once.
	f.announce(ihA, a, tracker.Stopped, "")
	if got := addrsOf(t, f.announce(ihA, b, tracker.None, "")); !sameSet(got, []netip.AddrPort{s.addr()}) {
		t.Fatalf("after a stopped, b got %v", got)
	}
	st = f.tr.Stats(ihA)
	if st.Seeders != 1 || st.Leechers != 1 || slices.ContainsFunc(st.Peers, func(p PeerEntry) bool { return p.Addr == a.addr() }) {
		t.Fatalf("after stopped: %+v", st)
	}
	pe := st.Peers[0]
	if pe.Addr != b.addr() || pe.Left != 100 || pe.Seeder || string(pe.PeerID[:]) != "-FS0001-000000006002" || pe.LastAnnounce.IsZero() {
		t.Errorf("peer entry %+v", pe)
	}
}

func TestTrackerIgnoresPortZero(t *testing.T) {
	f := newTrackerFixture(t, TrackerOptions{})
	a := fakePeer{port: 6001, left: 5}
	f.announce(ihA, a, tracker.Started, "")
	// The port-0 announcer is still told about the swarm...
	if got := addrsOf(t, f.announce(ihA, fakePeer{port: 0, left: 5}, tracker.Started, "")); !sameSet(got, []netip.AddrPort{a.addr()}) {
		t.Fatalf("port-0 announcer got %v", got)
	}
	// ...but never stored or handed out, as nobody could dial it.
	if st := f.tr.Stats(ihA); len(st.Peers) != 1 {
		t.Fatalf("port-0 peer stored: %+v", st.Peers)
	}
	if res := f.announce(ihA, a, tracker.None, ""); len(res.Peers) != 0 {
		t.Fatalf("a got %v", res.Peers)
	}
}

func TestTrackerUnknownInfoHash(t *testing.T) {
	f := newTrackerFixture(t, TrackerOptions{})
	f.announce(ihA, fakePeer{port: 6001, left: 5}, tracker.Started, "")
	// Port 0 stores nothing, so this really asks about a hash nobody has.
	res := f.announce(metainfo.Hash{0xbb}, fakePeer{port: 0, left: 5}, tracker.Started, "")
	if len(res.Peers) != 0 || res.Seeders != 0 || res.Leechers != 0 {
		t.Fatalf("unknown info hash answered %+v", res)
	}
	if st := f.tr.Stats(metainfo.Hash{0xbb}); st.Seeders+st.Leechers+len(st.Peers) != 0 {
		t.Fatalf("stats %+v", st)
	}
	// A stopped for an unknown swarm must not create it.
	f.announce(metainfo.Hash{0xcc}, fakePeer{port: 6009}, tracker.Stopped, "")
	if sw := f.tr.Swarms(); len(sw) != 1 || sw[0].InfoHash != ihA {
		t.Fatalf("swarms %+v", sw)
	}
}

func TestTrackerNumWant(t *testing.T) {
	f := newTrackerFixture(t, TrackerOptions{})
	for port := uint16(6001); port <= 6010; port++ {
		f.announce(ihA, fakePeer{port: port, left: int64(port % 2)}, tracker.Started, "")
	}
	me := fakePeer{port: 6100, left: 9}
	// anacrolix's client never sends numwant, but keeps query parameters
	// already in the tracker URL, which is how a user would set it.
	for _, c := range []struct {
		query string
		want  int
	}{{"", 10}, {"numwant=3", 3}, {"numwant=0", 0}, {"numwant=50", 10}, {"numwant=junk", 10}} {
		if got := f.announce(ihA, me, tracker.None, c.query).Peers; len(got) != c.want {
			t.Errorf("%q: got %d peers, want %d", c.query, len(got), c.want)
		}
	}
	// Seeders come first, so a small numwant is all seeders.
	for _, p := range addrsOf(t, f.announce(ihA, me, tracker.None, "numwant=5")) {
		if p.Port()%2 != 0 {
			t.Errorf("numwant=5 returned leecher %v before all seeders", p)
		}
	}
}

func TestTrackerExpiry(t *testing.T) {
	clock := &fakeClock{now: time.Unix(1_700_000_000, 0)}
	f := newTrackerFixture(t, TrackerOptions{Now: clock.Now})
	a, b, c := fakePeer{port: 6001, left: 1}, fakePeer{port: 6002, left: 1}, fakePeer{port: 6003, left: 1}
	f.announce(ihA, a, tracker.Started, "")
	clock.Advance(90 * time.Second)
	f.announce(ihA, b, tracker.Started, "")
	// Interval 30 s, but anacrolix clients reannounce at most every minute,
	// so peers live 2 min.
	clock.Advance(29 * time.Second) // a at 119 s
	if got := addrsOf(t, f.announce(ihA, c, tracker.Started, "")); !sameSet(got, []netip.AddrPort{a.addr(), b.addr()}) {
		t.Fatalf("at 119 s c got %v", got)
	}
	clock.Advance(2 * time.Second) // a at 121 s
	if got := addrsOf(t, f.announce(ihA, c, tracker.None, "")); !sameSet(got, []netip.AddrPort{b.addr()}) {
		t.Fatalf("at 121 s c got %v, want a expired", got)
	}
	clock.Advance(5 * time.Minute)
	if sw := f.tr.Swarms(); len(sw) != 0 {
		t.Fatalf("silent swarm still listed: %+v", sw)
	}
}

func TestTrackerLongIntervalExpiry(t *testing.T) {
	clock := &fakeClock{now: time.Unix(1_700_000_000, 0)}
	tr := NewTracker(TrackerOptions{Interval: 5 * time.Minute, Now: clock.Now})
	tr.TrackAnnounce(context.Background(), tracker.AnnounceRequest{InfoHash: ihA, Left: 1}, fakePeer{port: 1}.addr())
	clock.Advance(9*time.Minute + 59*time.Second)
	if len(tr.Stats(ihA).Peers) != 1 {
		t.Fatal("peer expired before 2x the interval")
	}
	clock.Advance(2 * time.Second)
	if len(tr.Stats(ihA).Peers) != 0 {
		t.Fatal("peer outlived 2x the interval")
	}
}

// The interval fields are read from the raw response, since anacrolix's
// client does not decode "min interval".
func TestTrackerSendsIntervals(t *testing.T) {
	f := newTrackerFixture(t, TrackerOptions{Interval: 40 * time.Second})
	f.announce(ihA, fakePeer{port: 6001, left: 0}, tracker.Started, "")
	q := url.Values{
		"info_hash": {string(ihA[:])}, "peer_id": {"-XX0000-000000000000"},
		"port": {"6002"}, "left": {"10"}, "compact": {"1"},
	}
	resp, err := http.Get(f.url + "?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var d struct {
		Interval    int    `bencode:"interval"`
		MinInterval int    `bencode:"min interval"`
		Complete    int    `bencode:"complete"`
		Incomplete  int    `bencode:"incomplete"`
		Peers       string `bencode:"peers"`
	}
	if err := bencode.Unmarshal(body, &d); err != nil {
		t.Fatalf("decoding %q: %v", body, err)
	}
	// Compact form: 4 bytes IP, 2 bytes big-endian port.
	if d.Interval != 40 || d.MinInterval != 20 || d.Complete != 1 || d.Incomplete != 1 || d.Peers != "\x7f\x00\x00\x01\x17\x71" {
		t.Fatalf("response %+v from %q", d, body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/plain" {
		t.Errorf("content type %q", ct)
	}
}

func TestTrackerSourceAddrs(t *testing.T) {
	src4 := netip.MustParseAddrPort("127.0.0.9:7000")
	src6 := netip.MustParseAddrPort("[::1]:7001")
	var (
		mu    sync.Mutex
		asked []netip.AddrPort
	)
	allowed := func(req netip.AddrPort, ih [20]byte) bool {
		mu.Lock()
		defer mu.Unlock()
		asked = append(asked, req)
		return req.Port() != 6666 && ih == ihA
	}
	f := newTrackerFixture(t, TrackerOptions{SourceAddrs: []netip.AddrPort{src4, src6}, AllowSource: allowed})
	// The source node announcing to its own tracker must not leak past the hook.
	f.tr.TrackAnnounce(context.Background(), tracker.AnnounceRequest{InfoHash: ihA, Left: 0}, src4)
	seed := fakePeer{port: 6003, left: 0}
	f.announce(ihA, seed, tracker.Started, "")

	// Allowed leecher: the source first, its own announce not repeated.
	// anacrolix's handler splits IPv4 ("peers") from IPv6 ("peers6") and
	// its client appends peers6 last, so "first" holds per address family.
	got := addrsOf(t, f.announce(ihA, fakePeer{port: 6001, left: 9}, tracker.Started, ""))
	if want := []netip.AddrPort{src4, seed.addr(), src6}; !slices.Equal(got, want) {
		t.Fatalf("allowed leecher got %v, want %v", got, want)
	}
	// Refused leecher, and a swarm the hook does not publish: no source.
	if got := addrsOf(t, f.announce(ihA, fakePeer{port: 6666, left: 9}, tracker.Started, "")); slices.Contains(got, src4) || slices.Contains(got, src6) {
		t.Fatalf("refused leecher got %v", got)
	}
	ihB := metainfo.Hash{0xbb}
	if got := f.announce(ihB, fakePeer{port: 6001, left: 9}, tracker.Started, "").Peers; len(got) != 0 {
		t.Fatalf("unpublished hash got %v", got)
	}
	// A seeder has no use for the source; the hook is not even asked.
	mu.Lock()
	before := len(asked)
	mu.Unlock()
	if got := addrsOf(t, f.announce(ihA, seed, tracker.None, "")); slices.Contains(got, src4) || slices.Contains(got, src6) {
		t.Fatalf("seeder got the source: %v", got)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(asked) != before {
		t.Errorf("hook asked about a seeder: %v", asked[before:])
	}
	want := []netip.AddrPort{fakePeer{port: 6001}.addr(), fakePeer{port: 6666}.addr(), fakePeer{port: 6001}.addr()}
	// ihB's requester is refused by the hook's info hash check, above.
	if !slices.Equal(asked, want) {
		t.Errorf("hook saw requesters %v, want %v", asked, want)
	}
}

func TestTrackerNeverReturnsSelf(t *testing.T) {
	src := netip.MustParseAddrPort("127.0.0.1:7000")
	tr := NewTracker(TrackerOptions{SourceAddrs: []netip.AddrPort{src}})
	ctx := context.Background()
	other := fakePeer{port: 6001}.addr()
	tr.TrackAnnounce(ctx, tracker.AnnounceRequest{InfoHash: ihA, Left: 1, PeerId: [20]byte{1}}, other)
	// The source node asking its own tracker gets the other peer only.
	res := tr.GetPeers(ctx, ihA, trackerServer.GetPeersOpts{}, src)
	if len(res.Peers) != 1 || res.Peers[0].AnnounceAddr != other {
		t.Fatalf("source node got %v", res.Peers)
	}
	// Same peer ID over IPv6 is the same peer: not handed itself.
	ctx6 := context.WithValue(ctx, announceQueryKey{}, announceQuery{peerID: [20]byte{1}, left: 1})
	res = tr.GetPeers(ctx6, ihA, trackerServer.GetPeersOpts{}, netip.MustParseAddrPort("[::1]:6001"))
	if len(res.Peers) != 1 || res.Peers[0].AnnounceAddr != src {
		t.Fatalf("peer got %v, want only the source", res.Peers)
	}
	// IPv4-mapped requesters are the same as plain IPv4.
	tr.TrackAnnounce(ctx, tracker.AnnounceRequest{InfoHash: ihA, Left: 1}, netip.MustParseAddrPort("[::ffff:127.0.0.1]:6001"))
	if st := tr.Stats(ihA); len(st.Peers) != 1 || st.Peers[0].Addr != other {
		t.Fatalf("mapped address stored separately: %+v", st.Peers)
	}
}

func TestTrackerScrape(t *testing.T) {
	tr := NewTracker(TrackerOptions{})
	ctx := context.Background()
	tr.TrackAnnounce(ctx, tracker.AnnounceRequest{InfoHash: ihA, Left: 0, Event: tracker.Completed}, fakePeer{port: 1}.addr())
	tr.TrackAnnounce(ctx, tracker.AnnounceRequest{InfoHash: ihA, Left: 7}, fakePeer{port: 2}.addr())
	res, err := tr.Scrape(ctx, []trackerServer.InfoHash{ihA, {0xee}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 2 || res[0].Seeders != 1 || res[0].Leechers != 1 || res[0].Completed != 1 || res[1].Seeders+res[1].Leechers != 0 {
		t.Fatalf("scrape %+v", res)
	}
}

func TestTrackerConcurrentAnnounces(t *testing.T) {
	f := newTrackerFixture(t, TrackerOptions{SourceAddrs: []netip.AddrPort{netip.MustParseAddrPort("127.0.0.9:1")}})
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			p := fakePeer{port: uint16(7000 + i), left: int64(i % 3)}
			for range 5 {
				f.announce(ihA, p, tracker.None, "")
				f.tr.Swarms()
			}
			if i%4 == 0 {
				f.announce(ihA, p, tracker.Stopped, "")
			}
		})
	}
	wg.Wait()
	if st := f.tr.Stats(ihA); len(st.Peers) != 12 || st.Seeders+st.Leechers != 12 {
		t.Fatalf("after concurrent announces: %d peers, %d+%d", len(st.Peers), st.Seeders, st.Leechers)
	}
}

// The requester's IP is the connection's: the "ip" parameter anacrolix's
// client sends and X-Forwarded-For are both ignored by anacrolix's handler.
func TestTrackerUsesConnectionAddress(t *testing.T) {
	f := newTrackerFixture(t, TrackerOptions{})
	req := tracker.AnnounceRequest{InfoHash: ihA, Port: 6001, Left: 1, NumWant: -1}
	_, err := tracker.Announce{
		TrackerUrl: f.url,
		Request:    req,
		ClientIp4:  krpc.NodeAddr{IP: net.ParseIP("10.1.2.3")},
		HttpRequestDirector: func(r *http.Request) error {
			r.Header.Set("X-Forwarded-For", "10.4.5.6")
			return nil
		},
	}.Do()
	if err != nil {
		t.Fatal(err)
	}
	if st := f.tr.Stats(ihA); len(st.Peers) != 1 || st.Peers[0].Addr != (fakePeer{port: 6001}).addr() {
		t.Fatalf("stored %+v, want 127.0.0.1:6001", st.Peers)
	}
}
