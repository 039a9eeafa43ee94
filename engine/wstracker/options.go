package wstracker

import (
	"log/slog"
	"time"
)

// Options bound what the tracker accepts. Zero fields take the defaults
// below, which are generous for browsers (5 offers per announce, one
// announce every Interval) and for anacrolix (one offer per announce,
// another after each answer).
type Options struct {
	// Allow says which info hashes are served; nil serves any, up to
	// MaxSwarms. A peer announcing another one is disconnected.
	Allow func(infoHash [20]byte) bool

	MaxMessageBytes      int64 // largest message read; default 64 KiB
	MaxConns             int   // open websockets; default 1024
	MaxSwarms            int   // info hashes with peers; default 256
	MaxPeersPerSwarm     int   // default 1000
	MaxOffersPerAnnounce int   // offers relayed per announce; default 10
	// OfferRate (per second) and OfferBurst bound offers per connection;
	// defaults 2/s and 50.
	OfferRate  float64
	OfferBurst int
	// MessageRate and MessageBurst bound the other messages per
	// connection (announces without offers, unmatched answers, scrapes);
	// answers to offers the tracker relayed are bounded by those offers.
	// Defaults 2/s and 50.
	MessageRate  float64
	MessageBurst int
	// MaxQueuedBytes bounds what waits to be written to one peer; a peer
	// that reads slower is disconnected. Default 1 MiB.
	MaxQueuedBytes int64
	// PairTTL is how long after relaying an offer between two peers the
	// tracker relays no other offer between them, so that a pair opens
	// one WebRTC connection, not one per announce. Default 5 minutes.
	PairTTL time.Duration
	// OfferTTL is how long the tracker waits for the answer to an offer
	// it relayed. Default 1 minute.
	OfferTTL time.Duration
	// Interval is the announce interval told to peers; default 2 minutes.
	Interval time.Duration
	// IdleTimeout closes a connection on which nothing, not even a pong
	// to the tracker's pings, arrived for this long. Default 5 minutes.
	IdleTimeout time.Duration
	// Logger gets one line per refused or dropped connection; nil is
	// slog.Default().
	Logger *slog.Logger
}

// maxPendingOffers bounds the relayed offers one peer has not answered
// yet; a peer with that many gets no more until it answers or they expire.
const maxPendingOffers = 64

func (o Options) withDefaults() Options {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&o.MaxConns, 1024)
	def(&o.MaxSwarms, 256)
	def(&o.MaxPeersPerSwarm, 1000)
	def(&o.MaxOffersPerAnnounce, 10)
	def(&o.OfferBurst, 50)
	def(&o.MessageBurst, 50)
	if o.MaxMessageBytes <= 0 {
		o.MaxMessageBytes = 64 << 10
	}
	if o.OfferRate <= 0 {
		o.OfferRate = 2
	}
	if o.MessageRate <= 0 {
		o.MessageRate = 2
	}
	if o.MaxQueuedBytes <= 0 {
		o.MaxQueuedBytes = 1 << 20
	}
	defDur := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	defDur(&o.PairTTL, 5*time.Minute)
	defDur(&o.OfferTTL, time.Minute)
	defDur(&o.Interval, 2*time.Minute)
	defDur(&o.IdleTimeout, 5*time.Minute)
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return o
}
