package wstracker

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// wait bounds every receive in these tests.
const wait = 5 * time.Second

// logBuffer collects the tracker's log lines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// waitFor waits until the log has a line containing all of parts.
func (l *logBuffer) waitFor(t *testing.T, parts ...string) {
	t.Helper()
	end := time.Now().Add(wait)
	for time.Now().Before(end) {
		for _, line := range strings.Split(l.String(), "\n") {
			if containsAll(line, parts) {
				return
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("no log line with %q; log:\n%s", parts, l.String())
}

func containsAll(s string, parts []string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}

type fixture struct {
	t   *testing.T
	srv *Server
	url string
	log *logBuffer
}

func newFixture(t *testing.T, o Options) *fixture {
	t.Helper()
	f := &fixture{t: t, log: &logBuffer{}}
	o.Logger = slog.New(slog.NewTextHandler(f.log, nil))
	f.srv = New(o)
	hs := httptest.NewServer(f.srv)
	t.Cleanup(func() {
		f.srv.Close()
		hs.Close()
	})
	f.url = "ws" + strings.TrimPrefix(hs.URL, "http")
	return f
}

// client is a test peer speaking the protocol by hand.
type client struct {
	t  *testing.T
	ws *websocket.Conn
	id id
}

func (f *fixture) dial(name string) *client {
	f.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	ws, _, err := websocket.Dial(ctx, f.url, nil)
	if err != nil {
		f.t.Fatalf("dial %s: %v", name, err)
	}
	ws.SetReadLimit(1 << 20)
	f.t.Cleanup(func() { ws.CloseNow() })
	var pid id
	copy(pid[:], "-TS0001-"+strings.Repeat(name, 12))
	return &client{t: f.t, ws: ws, id: pid}
}

func (c *client) sendRaw(b []byte) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if err := c.ws.Write(ctx, websocket.MessageText, b); err != nil {
		c.t.Fatalf("write: %v", err)
	}
}

func (c *client) send(v any) {
	c.t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		c.t.Fatal(err)
	}
	c.sendRaw(b)
}

// msg is any message from the tracker, decoded loosely.
type msg struct {
	Action     string          `json:"action"`
	InfoHash   string          `json:"info_hash"`
	PeerID     string          `json:"peer_id"`
	OfferID    string          `json:"offer_id"`
	Offer      json.RawMessage `json:"offer"`
	Answer     json.RawMessage `json:"answer"`
	Interval   *int            `json:"interval"`
	Complete   *int            `json:"complete"`
	Incomplete *int            `json:"incomplete"`
	Failure    string          `json:"failure reason"`
}

func (c *client) recv() msg {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	_, b, err := c.ws.Read(ctx)
	if err != nil {
		c.t.Fatalf("read: %v", err)
	}
	var m msg
	if err := json.Unmarshal(b, &m); err != nil {
		c.t.Fatalf("tracker sent bad JSON %q: %v", b, err)
	}
	return m
}

// expectClosed waits for the tracker to close the connection.
func (c *client) expectClosed() {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	for {
		_, b, err := c.ws.Read(ctx)
		if err == nil {
			continue // messages queued before the close
		}
		if ctx.Err() != nil {
			c.t.Fatalf("connection still open after %s (last: %q)", wait, b)
		}
		return
	}
}

// announce is what anacrolix and browsers send.
type announce struct {
	Action   string   `json:"action"`
	InfoHash string   `json:"info_hash"`
	PeerID   string   `json:"peer_id"`
	Event    string   `json:"event,omitempty"`
	Left     *float64 `json:"left,omitempty"`
	Numwant  int      `json:"numwant"`
	Offers   []offer  `json:"offers"`
}

type answerMsg struct {
	Action   string          `json:"action"`
	InfoHash string          `json:"info_hash"`
	PeerID   string          `json:"peer_id"`
	ToPeerID string          `json:"to_peer_id"`
	OfferID  string          `json:"offer_id"`
	Answer   json.RawMessage `json:"answer"`
}

func (c *client) announce(ih id, event string, left float64, offerIDs ...string) {
	c.t.Helper()
	a := announce{Action: "announce", InfoHash: ih.binaryString(), PeerID: c.id.binaryString(), Event: event, Left: &left, Numwant: len(offerIDs)}
	for _, o := range offerIDs {
		a.Offers = append(a.Offers, offer{OfferID: o, Offer: sdp("offer", o)})
	}
	c.send(a)
}

func (c *client) answer(ih id, to *client, offerID string) {
	c.t.Helper()
	c.send(answerMsg{Action: "announce", InfoHash: ih.binaryString(), PeerID: c.id.binaryString(), ToPeerID: to.id.binaryString(), OfferID: offerID, Answer: sdp("answer", offerID)})
}

// sdp is a stand-in session description that names its offer, so a test
// can tell which one it received.
func sdp(typ, offerID string) json.RawMessage {
	b, _ := json.Marshal(map[string]string{"type": typ, "sdp": "v=0 " + offerID})
	return b
}

// reply reads the announce reply and checks its shape.
func (c *client) reply(ih id) msg {
	c.t.Helper()
	m := c.recv()
	if m.Action != "announce" || m.InfoHash != ih.binaryString() || m.Interval == nil || m.Complete == nil || m.Incomplete == nil || m.Offer != nil || m.Answer != nil {
		c.t.Fatalf("want an announce reply for %s, got %+v", ih, m)
	}
	return m
}

// relayed reads a relayed offer or answer and checks where it came from.
func (c *client) relayed(kind string, ih id, from *client, offerID string) {
	c.t.Helper()
	m := c.recv()
	body := m.Offer
	if kind == "answer" {
		body = m.Answer
	}
	if m.Action != "announce" || m.InfoHash != ih.binaryString() || m.PeerID != from.id.binaryString() || m.OfferID != offerID || !bytes.Equal(body, sdp(kind, offerID)) {
		c.t.Fatalf("want %s %s from %s, got %+v", kind, offerID, from.id, m)
	}
}

func hashOf(s string) id {
	var ih id
	copy(ih[:], s)
	return ih
}
