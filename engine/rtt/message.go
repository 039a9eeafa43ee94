package rtt

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// ExtensionName is the BEP 10 extension that carries Message.
const ExtensionName = "fairshare_ping"

// Message kinds.
const (
	KindPing byte = 'p'
	KindPong byte = 'o'
)

// MessageLen is the only accepted wire length: kind, nonce, timestamp.
const MessageLen = 1 + 8 + 8

// ErrMessage is wrapped by every Parse and MarshalBinary failure.
var ErrMessage = errors.New("rtt: bad ping message")

// Message is a ping or pong. SentUnixNano is informational only: RTT is
// always measured against our own record of the send time.
type Message struct {
	Kind         byte // KindPing or KindPong
	Nonce        uint64
	SentUnixNano int64
}

// MarshalBinary encodes m big-endian as kind|nonce|sent.
func (m Message) MarshalBinary() ([]byte, error) {
	if !validKind(m.Kind) {
		return nil, fmt.Errorf("%w: kind %q", ErrMessage, m.Kind)
	}
	b := make([]byte, MessageLen)
	b[0] = m.Kind
	binary.BigEndian.PutUint64(b[1:9], m.Nonce)
	binary.BigEndian.PutUint64(b[9:17], uint64(m.SentUnixNano))
	return b, nil
}

// Parse decodes a message from a peer. Anything but exactly MessageLen
// bytes with a known kind is rejected, so future extensions must use a
// new length or kind rather than be half-understood.
func Parse(b []byte) (Message, error) {
	if len(b) != MessageLen {
		return Message{}, fmt.Errorf("%w: length %d, want %d", ErrMessage, len(b), MessageLen)
	}
	if !validKind(b[0]) {
		return Message{}, fmt.Errorf("%w: kind %q", ErrMessage, b[0])
	}
	return Message{
		Kind:         b[0],
		Nonce:        binary.BigEndian.Uint64(b[1:9]),
		SentUnixNano: int64(binary.BigEndian.Uint64(b[9:17])),
	}, nil
}

// Pong is the reply to ping: same nonce, timestamp echoed back.
func Pong(ping Message) Message {
	return Message{Kind: KindPong, Nonce: ping.Nonce, SentUnixNano: ping.SentUnixNano}
}

func validKind(k byte) bool { return k == KindPing || k == KindPong }
