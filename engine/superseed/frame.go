package superseed

import (
	"encoding/binary"

	pp "github.com/anacrolix/torrent/peer_protocol"
)

// handshakeLen is the BitTorrent handshake: length-prefixed protocol
// string, 8 reserved bytes, info hash, peer ID.
const handshakeLen = 1 + 19 + 8 + 20 + 20

// maxKeptPayload bounds the payload kept for a message we must read in
// full (Have, Bitfield): a bitfield for 8 M pieces. Longer ones are
// treated as a broken stream.
const maxKeptPayload = 1 << 20

// msg is one message of the stream, as far as the framer kept it.
type msg struct {
	id      pp.MessageType
	length  int    // length prefix: id + payload
	payload []byte // only for messages the caller asked to keep
}

// framer splits a byte stream into the handshake and length-prefixed
// messages. It is fed chunks as they pass and calls back at each message
// start and end; it never holds more than a header, or a kept payload.
type framer struct {
	hs     []byte // handshake bytes so far
	broken bool   // not a plaintext BitTorrent stream: stop looking
	hdr    []byte // header of the current message (length + id)
	left   int    // payload bytes still to come
	cur    msg
	keep   func(pp.MessageType) bool // whether a message's payload is needed
}

func newFramer(keep func(pp.MessageType) bool) *framer {
	return &framer{hs: make([]byte, 0, handshakeLen), hdr: make([]byte, 0, 5), keep: keep}
}

// handshake is the whole handshake once it has passed.
func (f *framer) handshake() []byte {
	if len(f.hs) < handshakeLen {
		return nil
	}
	return f.hs
}

// atBoundary reports whether the stream is between two messages, after
// the handshake: the only place another message may be inserted.
func (f *framer) atBoundary() bool {
	return !f.broken && len(f.hs) == handshakeLen && len(f.hdr) == 0 && f.left == 0
}

// holding reports whether part of a message header is held back.
func (f *framer) holding() bool { return len(f.hdr) > 0 }

// segment is a piece of a fed chunk: bytes of the handshake, a whole
// message header (length and type) or payload, and the message it belongs to.
type segment struct {
	b     []byte
	inMsg bool // b is part of a message, not of the handshake
	m     msg  // that message as known when b passed
	end   bool // the message ends with b
}

// feed walks b and calls each for every segment in order.
func (f *framer) feed(b []byte, each func(segment)) {
	for len(b) > 0 {
		if f.broken {
			each(segment{b: b})
			return
		}
		var n int
		switch {
		case len(f.hs) < handshakeLen:
			n = f.feedHandshake(b, each)
		case f.left > 0:
			n = f.feedPayload(b, each)
		default:
			n = f.feedHeader(b, each)
		}
		b = b[n:]
	}
}

func (f *framer) feedHandshake(b []byte, each func(segment)) int {
	n := min(len(b), handshakeLen-len(f.hs))
	f.hs = append(f.hs, b[:n]...)
	if !plaintextPrefix(f.hs) {
		f.broken = true
	}
	each(segment{b: b[:n]})
	return n
}

// plaintextPrefix reports whether hs can still be a plaintext handshake.
func plaintextPrefix(hs []byte) bool {
	k := min(len(hs), len(pp.Protocol)) // pp.Protocol has the length byte
	return string(hs[:k]) == pp.Protocol[:k]
}

// feedHeader collects a message header; the header goes out as one
// segment once the message type is known, so a caller can drop or replace
// the whole message.
func (f *framer) feedHeader(b []byte, each func(segment)) int {
	need := 4
	if len(f.hdr) >= 4 {
		need = 5
	}
	n := min(len(b), need-len(f.hdr))
	f.hdr = append(f.hdr, b[:n]...)
	switch {
	case len(f.hdr) == 4:
		f.cur = msg{length: int(binary.BigEndian.Uint32(f.hdr))}
		if f.cur.length == 0 { // keep-alive
			f.cur.id = keepAlive
			each(f.takeHeader(true))
		}
	case len(f.hdr) == 5:
		f.cur.id = pp.MessageType(f.hdr[4])
		f.left = f.cur.length - 1
		if f.keep(f.cur.id) && f.left > maxKeptPayload {
			f.broken = true
		}
		each(f.takeHeader(f.left == 0))
	}
	return n
}

// keepAlive marks the empty message; no real message type has this value.
const keepAlive pp.MessageType = 0xff

func (f *framer) takeHeader(end bool) segment {
	seg := segment{b: append([]byte(nil), f.hdr...), inMsg: true, m: f.cur, end: end}
	f.hdr = f.hdr[:0]
	return seg
}

func (f *framer) feedPayload(b []byte, each func(segment)) int {
	n := min(len(b), f.left)
	if f.keep(f.cur.id) {
		f.cur.payload = append(f.cur.payload, b[:n]...)
	}
	f.left -= n
	each(segment{b: b[:n], inMsg: true, m: f.cur, end: f.left == 0})
	return n
}
