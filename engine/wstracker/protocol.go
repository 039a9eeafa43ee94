package wstracker

import (
	"encoding/json"
	"errors"
	"fmt"
)

// request is any message a peer sends. Offers and answers stay raw JSON:
// the tracker relays them without looking inside.
type request struct {
	Action   string          `json:"action"`
	InfoHash string          `json:"info_hash"`
	PeerID   string          `json:"peer_id"`
	Event    string          `json:"event"`
	Left     *float64        `json:"left"`
	Offers   []offer         `json:"offers"`
	Answer   json.RawMessage `json:"answer"`
	ToPeerID string          `json:"to_peer_id"`
	OfferID  string          `json:"offer_id"`
}

type offer struct {
	OfferID string          `json:"offer_id"`
	Offer   json.RawMessage `json:"offer"`
}

// announceReply answers an announce; relay carries an offer or an answer
// from another peer.
type announceReply struct {
	Action     string `json:"action"`
	InfoHash   string `json:"info_hash"`
	Interval   int    `json:"interval"`
	Complete   int    `json:"complete"`
	Incomplete int    `json:"incomplete"`
}

type relay struct {
	Action   string          `json:"action"`
	InfoHash string          `json:"info_hash"`
	PeerID   string          `json:"peer_id"`
	OfferID  string          `json:"offer_id"`
	Offer    json.RawMessage `json:"offer,omitempty"`
	Answer   json.RawMessage `json:"answer,omitempty"`
}

type failure struct {
	Action   string `json:"action"`
	InfoHash string `json:"info_hash,omitempty"`
	Reason   string `json:"failure reason"`
}

// id is a 20-byte info hash or peer ID.
type id [20]byte

func (i id) String() string { return fmt.Sprintf("%x", i[:]) }

// binaryString is how the protocol writes i: one rune per byte.
func (i id) binaryString() string {
	r := make([]rune, len(i))
	for k, b := range i {
		r[k] = rune(b)
	}
	return string(r)
}

// parseID reads a binary string of exactly 20 characters, each ≤ U+00FF.
func parseID(s, field string) (id, error) {
	var out id
	n := 0
	for _, r := range s {
		if r > 0xff || n == len(out) {
			return id{}, fmt.Errorf("%s is not a 20-byte binary string", field)
		}
		out[n] = byte(r)
		n++
	}
	if n != len(out) {
		return id{}, fmt.Errorf("%s is not a 20-byte binary string", field)
	}
	return out, nil
}

// parseRequest decodes and checks one message. Every check failure is a
// protocol violation that costs the peer its connection.
func parseRequest(b []byte) (*request, error) {
	// The action first: a scrape's info_hash may be a list.
	var head struct {
		Action string `json:"action"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return nil, fmt.Errorf("malformed JSON: %w", err)
	}
	switch head.Action {
	case "scrape":
		return &request{Action: "scrape"}, nil
	case "announce":
	default:
		return nil, fmt.Errorf("unknown action %q", head.Action)
	}
	var r request
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("malformed announce: %w", err)
	}
	if r.Answer != nil && (r.ToPeerID == "" || r.OfferID == "") {
		return nil, errors.New("answer without to_peer_id or offer_id")
	}
	for _, o := range r.Offers {
		if o.OfferID == "" || len(o.Offer) == 0 {
			return nil, errors.New("offer without offer_id or offer")
		}
	}
	return &r, nil
}
