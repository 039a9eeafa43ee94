package superseed

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"net"
	"testing"

	pp "github.com/anacrolix/torrent/peer_protocol"
)

// fakeConn records writes and serves scripted reads.
type fakeConn struct {
	net.Conn
	in  bytes.Buffer
	out bytes.Buffer
}

func (f *fakeConn) Read(b []byte) (int, error)  { return f.in.Read(b) }
func (f *fakeConn) Write(b []byte) (int, error) { return f.out.Write(b) }
func (f *fakeConn) Close() error                { return nil }

func handshake(ih [20]byte) []byte {
	b := append([]byte(pp.Protocol), make([]byte, 8)...)
	b = append(b, ih[:]...)
	return append(b, make([]byte, 20)...)
}

func message(m pp.Message) []byte { return m.MustMarshalBinary() }

// messages decodes a written stream after its handshake.
func messages(t *testing.T, b []byte) []pp.Message {
	t.Helper()
	var out []pp.Message
	b = b[handshakeLen:]
	for len(b) > 0 {
		n := int(binary.BigEndian.Uint32(b))
		var m pp.Message
		d := pp.Decoder{R: bufio.NewReader(bytes.NewReader(b[:4+n])), MaxLength: 1 << 20}
		if err := d.Decode(&m); err != nil {
			t.Fatalf("written stream is broken at %x: %v", b[:min(len(b), 16)], err)
		}
		out = append(out, m)
		b = b[4+n:]
	}
	return out
}

// TestConnRewritesWhateverTheChunking feeds the source's stream whole and
// byte by byte: the peer must see an empty HaveNone, no Allowed Fast, the
// other messages intact and in order, and exactly window offers.
func TestConnRewritesWhateverTheChunking(t *testing.T) {
	ih := [20]byte{1, 2, 3}
	var stream []byte
	stream = append(stream, handshake(ih)...)
	stream = append(stream, message(pp.Message{Type: pp.Extended, ExtendedID: 0, ExtendedPayload: []byte("d1:md1:ai1eee")})...)
	stream = append(stream, message(pp.Message{Type: pp.HaveAll})...)
	stream = append(stream, message(pp.Message{Type: pp.AllowedFast, Index: 3})...)
	stream = append(stream, message(pp.Message{Type: pp.AllowedFast, Index: 5})...)
	stream = append(stream, message(pp.Message{Keepalive: true})...)
	stream = append(stream, message(pp.Message{Type: pp.Unchoke})...)
	stream = append(stream, message(pp.Message{Type: pp.Piece, Index: 2, Begin: 0, Piece: bytes.Repeat([]byte{7}, 300)})...)
	for _, chunk := range []int{len(stream), 1, 3, 17} {
		src := NewSource(2)
		src.Add(ih, 8)
		fc := &fakeConn{}
		fc.in.Write(handshake(ih))
		fc.in.Write(message(pp.Message{Type: pp.HaveNone}))
		c := src.Wrap(fc)
		buf := make([]byte, 1024)
		for fc.in.Len() > 0 {
			c.Read(buf)
		}
		for b := stream; len(b) > 0; b = b[min(chunk, len(b)):] {
			if _, err := c.Write(b[:min(chunk, len(b))]); err != nil {
				t.Fatal(err)
			}
		}
		var types []pp.MessageType
		haves := map[uint32]bool{}
		for _, m := range messages(t, fc.out.Bytes()) {
			switch {
			case m.Keepalive:
				types = append(types, keepAlive)
			case m.Type == pp.Have:
				haves[uint32(m.Index)] = true
			default:
				types = append(types, m.Type)
			}
		}
		want := []pp.MessageType{pp.Extended, pp.HaveNone, keepAlive, pp.Unchoke, pp.Piece}
		if !equalTypes(types, want) {
			t.Errorf("chunk %d: peer saw %v, want %v (plus offers)", chunk, types, want)
		}
		if len(haves) != 2 || src.Offers() != 2 {
			t.Errorf("chunk %d: %d distinct offers written, %d counted; want 2", chunk, len(haves), src.Offers())
		}
		c.Close()
	}
}

func equalTypes(a, b []pp.MessageType) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestConnPassesEncryptedStreams: a stream that is not a plaintext
// handshake (MSE) is never touched.
func TestConnPassesEncryptedStreams(t *testing.T) {
	src := NewSource(2)
	fc := &fakeConn{}
	fc.in.Write(bytes.Repeat([]byte{0x9c}, 96))
	c := src.Wrap(fc)
	c.Read(make([]byte, 96))
	junk := append(bytes.Repeat([]byte{0x13}, 5), message(pp.Message{Type: pp.HaveAll})...)
	c.Write(junk)
	if !bytes.Equal(fc.out.Bytes(), junk) {
		t.Fatalf("encrypted stream was changed: %x", fc.out.Bytes())
	}
}
