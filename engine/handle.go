package engine

import (
	"sync/atomic"

	"github.com/anacrolix/torrent"
	"github.com/anacrolix/torrent/metainfo"

	"fairshare/storage"
)

// handle is the session's record of one torrent, running or not.
type handle struct {
	ih metainfo.Hash

	// Guarded by Session.mu.
	rec storage.Torrent
	t   *torrent.Torrent // nil while paused or not started
	err string

	checking atomic.Bool

	// Owned by the sampler (Session.sampleMu).
	sampled     *torrent.Torrent // the torrent the seen* counters belong to
	seenUp      int64
	seenDown    int64
	unflushedUp int64
	unflushedDn int64
	sessionUp   int64
	sessionDown int64
	downMeter   meter
	upMeter     meter
	peers       map[*torrent.Peer]*peerMeter
	fair        fairState
}

type peerMeter struct {
	down, up meter
}

func newHandle(rec storage.Torrent) *handle {
	return &handle{
		ih:    metainfo.NewHashFromHex(rec.InfoHash),
		rec:   rec,
		peers: make(map[*torrent.Peer]*peerMeter),
	}
}

// lookup finds a handle by its hex info hash.
func (s *Session) lookup(infoHash string) (*handle, error) {
	var ih metainfo.Hash
	if err := ih.FromHexString(infoHash); err != nil {
		return nil, ErrNotFound
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	h, ok := s.torrents[ih]
	if !ok {
		return nil, ErrNotFound
	}
	return h, nil
}
