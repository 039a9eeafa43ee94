package engine

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/anacrolix/torrent/metainfo"
	pp "github.com/anacrolix/torrent/peer_protocol"
)

// superSeeder opens a publisher session with ActiveSource, seeds a file of
// size bytes in pieces of pieceLength and turns super-seeding on.
func superSeeder(t *testing.T, size int, pieceLength int64) (*Session, *metainfo.MetaInfo, string) {
	t.Helper()
	dir := t.TempDir()
	s, err := Open(Config{
		Home: filepath.Join(dir, "home"), Version: "test", ListenAddr: "127.0.0.1:0",
		Publisher: true, ActiveSource: true, SampleInterval: 100 * time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	path := filepath.Join(dir, "src", "content.bin")
	writeRandom(t, path, size, 42)
	mi := seed(t, s, path, pieceLength)
	if err := s.SuperSeed(mi.HashInfoBytes().HexString()); err != nil {
		t.Fatal(err)
	}
	return s, mi, path
}

// rawPeer is a hand-driven BitTorrent peer: the test sees every message
// the source sends.
type rawPeer struct {
	t    *testing.T
	conn net.Conn
	dec  *pp.Decoder
}

func dialRaw(t *testing.T, addr string, ih metainfo.Hash) *rawPeer {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(30 * time.Second))
	id := [20]byte{'-', 'T', 'T', '0', '0', '0', '0', '-'}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := pp.Handshake(ctx, c, &ih, id, pp.NewPeerExtensionBytes()); err != nil {
		t.Fatalf("handshake with the source: %v", err)
	}
	return &rawPeer{t: t, conn: c, dec: &pp.Decoder{R: bufio.NewReader(c), MaxLength: 1 << 20}}
}

func (p *rawPeer) send(m pp.Message) {
	p.t.Helper()
	if _, err := p.conn.Write(m.MustMarshalBinary()); err != nil {
		p.t.Fatal(err)
	}
}

// next reads messages until keep accepts one; the others go to seen.
func (p *rawPeer) next(what string, seen func(pp.Message), keep func(pp.Message) bool) pp.Message {
	p.t.Helper()
	p.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		var m pp.Message
		if err := p.dec.Decode(&m); err != nil {
			p.t.Fatalf("waiting for %s: %v", what, err)
		}
		if keep(m) {
			return m
		}
		seen(m)
	}
}

// TestSuperSeedOffersPiecesOneAtATime drives the source by hand: it must
// hide its pieces, offer two, answer requests for them, and offer a new
// one each time the peer announces an offered piece.
func TestSuperSeedOffersPiecesOneAtATime(t *testing.T) {
	const pieceLength = 64 << 10
	s, mi, path := superSeeder(t, 16*pieceLength, pieceLength)
	p := dialRaw(t, s.ListenAddr(), mi.HashInfoBytes())
	var offered []int
	check := func(m pp.Message) {
		switch m.Type {
		case pp.HaveAll, pp.AllowedFast:
			t.Errorf("source sent %v: it must hide its pieces", m.Type)
		case pp.Bitfield:
			for i, b := range m.Bitfield {
				if b {
					t.Errorf("source's bitfield shows piece %d", i)
				}
			}
		case pp.Have:
			offered = append(offered, int(m.Index))
		}
	}
	p.send(pp.Message{Type: pp.Bitfield, Bitfield: make([]bool, 16)})
	p.send(pp.Message{Type: pp.Interested})
	p.next("unchoke", check, func(m pp.Message) bool { return m.Type == pp.Unchoke })
	for len(offered) < 2 {
		p.next("two offers", check, func(m pp.Message) bool { check(m); return m.Type == pp.Have })
	}
	if offered[0] == offered[1] {
		t.Fatalf("offered piece %d twice", offered[0])
	}

	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	i := offered[0]
	p.send(pp.Message{Type: pp.Request, Index: pp.Integer(i), Begin: 0, Length: 16 << 10})
	piece := p.next("the requested block", check, func(m pp.Message) bool { return m.Type == pp.Piece })
	if int(piece.Index) != i || !bytes.Equal(piece.Piece, data[i*pieceLength:i*pieceLength+16<<10]) {
		t.Fatalf("got block of piece %d (%d bytes), want the first block of offered piece %d", piece.Index, len(piece.Piece), i)
	}

	p.send(pp.Message{Type: pp.Have, Index: pp.Integer(i)})
	third := p.next("a new offer after announcing an offered piece", check, func(m pp.Message) bool { return m.Type == pp.Have })
	if n := int(third.Index); n == offered[0] || n == offered[1] {
		t.Fatalf("new offer %d repeats an earlier one %v", n, offered)
	}
	if got := s.Offers(); got != 3 {
		t.Errorf("source counts %d offers, want 3", got)
	}
}

// TestSuperSeedServesWholeFile: a Fairshare leecher (which tries an
// encrypted connection first) downloads everything from a super-seeding
// source, which offered every piece along the way.
func TestSuperSeedServesWholeFile(t *testing.T) {
	const pieceLength = 32 << 10
	s, mi, path := superSeeder(t, 40*pieceLength, pieceLength)
	l := testSession(t, filepath.Join(t.TempDir(), "leech"), false)
	dl := t.TempDir()
	ih := addOK(t, l, magnetTo(t, mi, s.ListenAddr()), dl)
	waitFor(t, l, ih, 60*time.Second, "complete", complete)
	if sha(t, path) != sha(t, filepath.Join(dl, "content.bin")) {
		t.Fatal("downloaded file differs")
	}
	if got := s.Offers(); got < 40 {
		t.Errorf("source offered %d pieces, want all 40", got)
	}
}
