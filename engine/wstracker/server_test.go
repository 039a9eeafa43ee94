package wstracker

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// ihA has bytes above 0x7f, which the protocol writes as U+0080..U+00FF.
var ihA = id{0x00, 0x01, 0x7f, 0x80, 0xff, 0xfe, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 0x9c}
var ihB = hashOf("bbbbbbbbbbbbbbbbbbbb")

func TestAnnounceRepliesWithCounts(t *testing.T) {
	f := newFixture(t, Options{Interval: 90 * time.Second})
	seed, leech := f.dial("s"), f.dial("l")
	seed.announce(ihA, "started", 0)
	m := seed.reply(ihA)
	if *m.Interval != 90 || *m.Complete != 1 || *m.Incomplete != 0 {
		t.Fatalf("reply to the first seed: %+v", m)
	}
	leech.announce(ihA, "started", 1000)
	if m := leech.reply(ihA); *m.Complete != 1 || *m.Incomplete != 1 {
		t.Fatalf("reply to the leech: interval %d complete %d incomplete %d", *m.Interval, *m.Complete, *m.Incomplete)
	}
	if got := f.srv.Swarm(ihA); got != (SwarmStats{Complete: 1, Incomplete: 1}) {
		t.Fatalf("Swarm = %+v", got)
	}
	// "completed" moves the leech over.
	leech.announce(ihA, "completed", 0)
	if m := leech.reply(ihA); *m.Complete != 2 || *m.Incomplete != 0 {
		t.Fatalf("after completed: %+v", m)
	}
}

func TestOfferAndAnswerAreRelayed(t *testing.T) {
	f := newFixture(t, Options{})
	a, b := f.dial("a"), f.dial("b")
	a.announce(ihA, "started", 0, "a-offer-1")
	a.reply(ihA) // alone: its offer goes nowhere
	b.announce(ihA, "started", 500, "b-offer-1", "b-offer-2")
	b.reply(ihA)
	a.relayed("offer", ihA, b, "b-offer-1") // one of two offers: only a is there
	a.answer(ihA, b, "b-offer-1")
	b.relayed("answer", ihA, a, "b-offer-1")
	st := f.srv.Stats()
	if st.OffersRelayed != 1 || st.AnswersRelayed != 1 || st.Conns != 2 || st.Swarms != 1 || st.Dropped != 0 {
		t.Fatalf("stats %+v", st)
	}
}

// A pair of peers gets one offer relayed, not one per announce: anacrolix
// announces a fresh offer after every answer.
func TestOneOfferPerPair(t *testing.T) {
	f := newFixture(t, Options{})
	a, b, c := f.dial("a"), f.dial("b"), f.dial("c")
	a.announce(ihA, "started", 100)
	a.reply(ihA)
	b.announce(ihA, "started", 100, "b1")
	b.reply(ihA)
	a.relayed("offer", ihA, b, "b1")
	a.answer(ihA, b, "b1")
	b.relayed("answer", ihA, a, "b1")
	// b's next offer, and one from a, have nobody left to go to.
	b.announce(ihA, "", 100, "b2")
	b.reply(ihA)
	a.announce(ihA, "", 100, "a2")
	a.reply(ihA)
	// c's offers reach both; had b2 or a2 been relayed, it would be the
	// next message a or b reads.
	c.announce(ihA, "started", 100, "c1", "c2")
	c.reply(ihA)
	for _, p := range []*client{a, b} {
		m := p.recv()
		if m.PeerID != c.id.binaryString() || (m.OfferID != "c1" && m.OfferID != "c2") {
			t.Fatalf("%s got %+v, want an offer from c", p.id, m)
		}
	}
	if got := f.srv.Stats().OffersRelayed; got != 3 {
		t.Fatalf("%d offers relayed, want 3", got)
	}
}

func TestPairIsOfferedAgainAfterPairTTL(t *testing.T) {
	f := newFixture(t, Options{PairTTL: 200 * time.Millisecond})
	a, b := f.dial("a"), f.dial("b")
	a.announce(ihA, "started", 100)
	a.reply(ihA)
	b.announce(ihA, "started", 100, "b1")
	b.reply(ihA)
	a.relayed("offer", ihA, b, "b1")
	time.Sleep(300 * time.Millisecond)
	b.announce(ihA, "", 100, "b2")
	b.reply(ihA)
	a.relayed("offer", ihA, b, "b2")
}

func TestSeedsAreNotOfferedToSeeds(t *testing.T) {
	f := newFixture(t, Options{})
	s1, s2, l := f.dial("1"), f.dial("2"), f.dial("l")
	s1.announce(ihA, "started", 0)
	s1.reply(ihA)
	s2.announce(ihA, "started", 0, "s2-1")
	s2.reply(ihA)
	l.announce(ihA, "started", 100, "l1", "l2")
	l.reply(ihA)
	// s2's offer went nowhere, so each seed's next message is l's offer.
	for _, s := range []*client{s1, s2} {
		if m := s.recv(); m.PeerID != l.id.binaryString() {
			t.Fatalf("seed got %+v, want an offer from the leech", m)
		}
	}
}

func TestAnswersOnlyToRelayedOffers(t *testing.T) {
	f := newFixture(t, Options{})
	a, b, c := f.dial("a"), f.dial("b"), f.dial("c")
	a.announce(ihA, "started", 100)
	a.reply(ihA)
	b.announce(ihA, "started", 100, "b1")
	b.reply(ihA)
	a.relayed("offer", ihA, b, "b1")
	c.announce(ihA, "started", 100)
	c.reply(ihA)
	// c was sent no offer from b; its answer must not reach b.
	c.answer(ihA, b, "b1")
	// An answer to an offer id b never made is dropped too.
	a.answer(ihA, b, "b-unknown")
	a.answer(ihA, b, "b1")
	b.relayed("answer", ihA, a, "b1")
	// A second answer to the same offer is dropped.
	a.answer(ihA, b, "b1")
	b.announce(ihA, "", 100)
	b.reply(ihA) // not the duplicate answer
	if st := f.srv.Stats(); st.AnswersRelayed != 1 || st.Dropped != 0 {
		t.Fatalf("stats %+v", st)
	}
}

func TestStopLeavesTheSwarm(t *testing.T) {
	f := newFixture(t, Options{})
	a, b, c := f.dial("a"), f.dial("b"), f.dial("c")
	a.announce(ihA, "started", 100)
	a.reply(ihA)
	b.announce(ihA, "started", 100)
	b.reply(ihA)
	b.announce(ihA, "stopped", 100)
	if m := b.reply(ihA); *m.Incomplete != 1 {
		t.Fatalf("reply to stopped: %+v", m)
	}
	c.announce(ihA, "started", 100, "c1", "c2")
	c.reply(ihA)
	a.relayed("offer", ihA, c, "c1")
	// b is still connected but out of the swarm: nothing for it. Its next
	// message is the reply to a new announce.
	b.announce(ihB, "started", 100)
	b.reply(ihB)
	if got := f.srv.Swarm(ihA); got.Incomplete != 2 {
		t.Fatalf("swarm %+v, want a and c", got)
	}
}

func TestClosedConnectionLeavesEverySwarm(t *testing.T) {
	f := newFixture(t, Options{})
	a, b, c := f.dial("a"), f.dial("b"), f.dial("c")
	for _, p := range []*client{a, b} {
		p.announce(ihA, "started", 100)
		p.reply(ihA)
		p.announce(ihB, "started", 100)
		p.reply(ihB)
	}
	c.announce(ihA, "started", 100)
	c.reply(ihA)
	a.ws.Close(websocket.StatusNormalClosure, "")
	b.ws.CloseNow() // no close frame, as when a process dies
	waitUntil(t, "a and b leave both swarms", func() bool {
		st := f.srv.Stats()
		return st.Conns == 1 && st.Swarms == 1 && f.srv.Swarm(ihA).Incomplete == 1
	})
	if f.srv.Stats().Dropped != 0 || strings.Contains(f.log.String(), "closed connection") {
		t.Fatalf("a peer leaving was logged as dropped:\n%s", f.log)
	}
}

// A peer that reconnects keeps its place; the old socket's close does
// not remove it.
func TestReconnectTakesOverThePeer(t *testing.T) {
	f := newFixture(t, Options{})
	a1, b := f.dial("a"), f.dial("b")
	a1.announce(ihA, "started", 100)
	a1.reply(ihA)
	a2 := f.dial("a")
	a2.announce(ihA, "started", 100)
	a2.reply(ihA)
	a1.ws.Close(websocket.StatusNormalClosure, "")
	waitUntil(t, "the old socket is gone", func() bool { return f.srv.Stats().Conns == 2 })
	b.announce(ihA, "started", 100, "b1")
	b.reply(ihA)
	a2.relayed("offer", ihA, b, "b1")
}

func waitUntil(t *testing.T, what string, ok func() bool) {
	t.Helper()
	end := time.Now().Add(wait)
	for !ok() {
		if time.Now().After(end) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestScrapeIsRefusedPolitely(t *testing.T) {
	f := newFixture(t, Options{})
	a := f.dial("a")
	a.sendRaw([]byte(`{"action":"scrape","info_hash":["aaaaaaaaaaaaaaaaaaaa"]}`))
	if m := a.recv(); m.Action != "scrape" || m.Failure == "" {
		t.Fatalf("scrape reply %+v", m)
	}
	a.announce(ihA, "started", 1)
	a.reply(ihA)
}

// Each kind of bad input closes the connection with one log line naming
// the reason, and leaves other peers served.
func TestBadInputClosesTheConnection(t *testing.T) {
	big := `{"action":"announce","info_hash":"` + strings.Repeat("x", 70<<10) + `"}`
	cases := []struct {
		name string
		opts Options
		send func(c *client)
		log  string
	}{
		{"malformed JSON", Options{}, func(c *client) { c.sendRaw([]byte(`{"action":"announce",`)) }, "malformed JSON"},
		{"not an object", Options{}, func(c *client) { c.sendRaw([]byte(`[1,2,3]`)) }, "malformed JSON"},
		{"wrong field type", Options{}, func(c *client) {
			c.sendRaw([]byte(`{"action":"announce","info_hash":"aaaaaaaaaaaaaaaaaaaa","peer_id":7}`))
		}, "malformed announce"},
		{"unknown action", Options{}, func(c *client) { c.sendRaw([]byte(`{"action":"connect"}`)) }, `unknown action \"connect\"`},
		{"short info hash", Options{}, func(c *client) {
			c.sendRaw([]byte(`{"action":"announce","info_hash":"abc","peer_id":"` + c.id.binaryString() + `"}`))
		}, "info_hash is not a 20-byte binary string"},
		{"info hash with a wide rune", Options{}, func(c *client) {
			c.sendRaw([]byte(`{"action":"announce","info_hash":"aaaaaaaaaaaaaaaaaaa\u0100","peer_id":"` + c.id.binaryString() + `"}`))
		}, "info_hash is not a 20-byte binary string"},
		{"huge message", Options{}, func(c *client) { c.sendRaw([]byte(big)) }, "message over 65536 bytes"},
		{"offer without sdp", Options{}, func(c *client) {
			c.sendRaw([]byte(`{"action":"announce","info_hash":"aaaaaaaaaaaaaaaaaaaa","peer_id":"` + c.id.binaryString() + `","offers":[{"offer_id":"x"}]}`))
		}, "offer without offer_id or offer"},
		{"unknown info hash", Options{Allow: func(ih [20]byte) bool { return ih == ihB }}, func(c *client) {
			c.announce(ihA, "started", 1)
		}, "unknown info_hash " + ihA.String()},
		{"offer flood", Options{OfferRate: 1, OfferBurst: 20}, func(c *client) {
			for i := 0; i < 3; i++ {
				c.announce(ihA, "", 1, "1", "2", "3", "4", "5", "6", "7", "8", "9", "10")
			}
		}, "offer flood"},
		{"message flood", Options{MessageRate: 1, MessageBurst: 5}, func(c *client) {
			for i := 0; i < 7; i++ {
				c.announce(ihA, "", 1)
			}
		}, "message flood"},
		{"swarm full", Options{MaxPeersPerSwarm: 1}, func(c *client) { c.announce(ihB, "started", 1) }, "is full"},
		{"too many swarms", Options{MaxSwarms: 1}, func(c *client) { c.announce(ihA, "started", 1) }, "too many swarms"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, tc.opts)
			good := f.dial("g")
			good.announce(ihB, "started", 0)
			good.reply(ihB)
			bad := f.dial("x")
			tc.send(bad)
			bad.expectClosed()
			f.log.waitFor(t, "closed connection", tc.log)
			if n := strings.Count(f.log.String(), "closed connection"); n != 1 {
				t.Fatalf("%d log lines for one bad peer:\n%s", n, f.log)
			}
			if st := f.srv.Stats(); st.Dropped != 1 {
				t.Fatalf("stats %+v", st)
			}
			// The well-behaved peer is still served.
			good.announce(ihB, "", 0)
			good.reply(ihB)
		})
	}
}

func TestPeerIDCannotChangeOnOneConnection(t *testing.T) {
	f := newFixture(t, Options{})
	a := f.dial("a")
	a.announce(ihA, "started", 1)
	a.reply(ihA)
	a.id = hashOf("zzzzzzzzzzzzzzzzzzzz")
	a.announce(ihA, "started", 1)
	a.expectClosed()
	f.log.waitFor(t, "closed connection", "peer_id changed")
	if got := f.srv.Swarm(ihA); got.Incomplete != 0 {
		waitUntil(t, "the swarm empties", func() bool { return f.srv.Swarm(ihA).Incomplete == 0 })
	}
}

// A connection that answers no ping is closed after IdleTimeout.
func TestIdleConnectionIsClosed(t *testing.T) {
	f := newFixture(t, Options{IdleTimeout: 300 * time.Millisecond})
	// Not reading means not answering pings.
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	ws, _, err := websocket.Dial(ctx, f.url, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.CloseNow()
	f.log.waitFor(t, "closed connection", "reason=idle")
	// A peer that reads (and so answers pings) stays.
	live := f.dial("l")
	go live.ws.Read(context.Background())
	time.Sleep(time.Second)
	if st := f.srv.Stats(); st.Conns != 1 || st.Dropped != 1 {
		t.Fatalf("stats %+v: the reading peer should still be connected", st)
	}
}

func TestTooManyConnectionsAreRefused(t *testing.T) {
	f := newFixture(t, Options{MaxConns: 1})
	f.dial("a")
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	_, resp, err := websocket.Dial(ctx, f.url, nil)
	if err == nil || resp == nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("second connection: err %v, response %v; want 503", err, resp)
	}
	f.log.waitFor(t, "refused a connection")
}

func TestCloseDisconnectsEveryone(t *testing.T) {
	f := newFixture(t, Options{})
	a := f.dial("a")
	a.announce(ihA, "started", 1)
	a.reply(ihA)
	f.srv.Close()
	a.expectClosed()
	waitUntil(t, "no connections", func() bool { return f.srv.Stats().Conns == 0 })
}
