package engine

import (
	"net/url"
	"slices"
	"time"

	"github.com/anacrolix/torrent"
	"github.com/anacrolix/torrent/metainfo"

	"fairshare/storage"
)

// torrentSnapshot describes one torrent; t is nil when it is not running.
// Callers hold sampleMu.
func (s *Session) torrentSnapshot(h *handle, t *torrent.Torrent, now time.Time) TorrentSnapshot {
	s.mu.Lock()
	rec, errText := h.rec, h.err
	s.mu.Unlock()
	ts := TorrentSnapshot{
		InfoHash:   rec.InfoHash,
		Name:       displayName(rec.Name, rec.InfoHash),
		Error:      errText,
		SaveDir:    rec.SaveDir,
		Source:     rec.Source,
		Magnet:     shareMagnet(rec),
		Publisher:  rec.Publisher,
		Added:      rec.Added,
		Uploaded:   rec.Uploaded,
		Downloaded: rec.Downloaded,
		Ratio:      ratio(rec.Uploaded, rec.Downloaded),
		Trackers:   rec.Trackers,
		WebSeeds:   rec.WebSeeds,
		ETA:        -1,
	}
	if t == nil {
		ts.State = StatePaused
		if errText != "" {
			ts.State = StateError
		}
		return ts
	}
	ts.DownRate, ts.UpRate = h.downMeter.rate(), h.upMeter.rate()
	ts.Peers = h.peerSnapshots(t, now, s.rtt)
	ts.PeersConnected = len(ts.Peers)
	st := t.Stats()
	ts.PeersKnown = st.TotalPeers
	ts.Hashed = st.BytesHashed.Int64()
	if t.Info() == nil {
		ts.State = stateOr(errText, StateFetchingMetadata)
		return ts
	}
	fillProgress(&ts, t)
	ts.State = torrentState(errText, t, ts.Pieces, h.checking.Load(), ts.DownRate)
	ts.ETA = eta(ts.Size-ts.Done, ts.DownRate, ts.State)
	return ts
}

func fillProgress(ts *TorrentSnapshot, t *torrent.Torrent) {
	info := t.Info()
	ts.Name = t.Name()
	ts.Size = t.Length()
	ts.PieceCount = t.NumPieces()
	ts.PieceSize = info.PieceLength
	ts.Pieces = pieceStatuses(t.PieceStateRuns(), ts.PieceCount)
	ts.Done = verifiedBytes(ts.Pieces, ts.PieceSize, ts.Size)
	for _, f := range t.Files() {
		ts.Files = append(ts.Files, FileSnapshot{Path: f.DisplayPath(), Size: f.Length(), Done: f.BytesCompleted()})
	}
}

func pieceStatuses(runs torrent.PieceStateRuns, n int) []PieceStatus {
	out := make([]PieceStatus, 0, n)
	for _, r := range runs {
		st := PieceMissing
		switch {
		case r.Complete:
			st = PieceComplete
		case r.Checking || r.Hashing || r.QueuedForHash || r.Marking:
			st = PieceChecking
		case r.Partial:
			st = PiecePartial
		}
		for range r.Length {
			out = append(out, st)
		}
	}
	return out
}

// verifiedBytes counts only complete pieces: anacrolix's BytesCompleted
// also counts chunks of pieces not yet verified, which a crash can lose.
func verifiedBytes(pieces []PieceStatus, pieceSize, size int64) int64 {
	var n int64
	for i, p := range pieces {
		if p != PieceComplete {
			continue
		}
		n += min(pieceSize, size-int64(i)*pieceSize)
	}
	return n
}

// torrentState names what a running torrent with metadata is doing. Pieces
// being hashed as they arrive are part of downloading: the torrent is
// "checking" only during a recheck, or while it hashes with no data coming
// in (the initial check of files already on disk).
func torrentState(errText string, t *torrent.Torrent, pieces []PieceStatus, rechecking bool, downRate float64) TorrentState {
	switch {
	case errText != "":
		return StateError
	case rechecking:
		return StateChecking
	case t.Complete().Bool():
		return StateSeeding
	case downRate < 1 && slices.Contains(pieces, PieceChecking):
		return StateChecking
	}
	return StateDownloading
}

func stateOr(errText string, st TorrentState) TorrentState {
	if errText != "" {
		return StateError
	}
	return st
}

func eta(left int64, rate float64, st TorrentState) time.Duration {
	switch {
	case st == StateSeeding:
		return 0
	case rate < 1:
		return -1
	}
	return time.Duration(float64(left) / rate * float64(time.Second)).Round(time.Second)
}

func ratio(up, down int64) float64 {
	if down <= 0 {
		return 0
	}
	return float64(up) / float64(down)
}

// shareMagnet is the link a user passes on: the one they were given, or
// one built from what we know.
func shareMagnet(rec storage.Torrent) string {
	if sourceKind(rec.Source) == "magnet" {
		return rec.Source
	}
	m := metainfo.Magnet{
		InfoHash:    metainfo.NewHashFromHex(rec.InfoHash),
		DisplayName: rec.Name,
		Trackers:    rec.Trackers,
		Params:      url.Values{},
	}
	for _, ws := range rec.WebSeeds {
		m.Params.Add("ws", ws)
	}
	return m.String()
}
