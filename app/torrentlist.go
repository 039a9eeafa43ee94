package app

import (
	"cmp"
	"strings"

	"fairshare/engine"
)

// newTorrentList is the main table: one row per torrent, keyed by info
// hash.
func newTorrentList() *sortedTable[engine.TorrentSnapshot] {
	type T = engine.TorrentSnapshot
	cols := []column[T]{
		{title: "Name", width: 340, text: torrentName,
			order: func(a, b T) int { return cmp.Compare(strings.ToLower(torrentName(a)), strings.ToLower(torrentName(b))) }},
		{title: "State", width: 150, text: stateText},
		{title: "Progress", width: 130, bar: torrentProgress,
			order: func(a, b T) int { return cmp.Compare(torrentProgress(a), torrentProgress(b)) }},
		{title: "Size", width: 90, right: true, text: func(t T) string { return sizeText(t) },
			order: func(a, b T) int { return cmp.Compare(a.Size, b.Size) }},
		{title: "Down", width: 100, right: true, text: func(t T) string { return formatRate(t.DownRate) },
			order: func(a, b T) int { return cmp.Compare(a.DownRate, b.DownRate) }},
		{title: "Up", width: 100, right: true, text: func(t T) string { return formatRate(t.UpRate) },
			order: func(a, b T) int { return cmp.Compare(a.UpRate, b.UpRate) }},
		{title: "Ratio", width: 65, right: true, text: func(t T) string { return formatRatio(t.Ratio, t.Downloaded, t.Uploaded) },
			order: func(a, b T) int { return cmp.Compare(a.Ratio, b.Ratio) }},
		{title: "Peers", width: 70, right: true, text: func(t T) string { return formatPeers(t.PeersConnected, t.PeersKnown) },
			order: func(a, b T) int { return cmp.Compare(a.PeersConnected, b.PeersConnected) }},
		{title: "ETA", width: 85, right: true, text: etaText,
			order: func(a, b T) int { return cmp.Compare(etaOrder(a), etaOrder(b)) }},
	}
	return newSortedTable(cols, func(t T) string { return t.InfoHash })
}

// torrentName falls back to the info hash while a magnet's metadata is
// still on its way, so the row is never blank.
func torrentName(t engine.TorrentSnapshot) string {
	if t.Name != "" {
		return t.Name
	}
	return t.InfoHash
}

func torrentProgress(t engine.TorrentSnapshot) float64 {
	if t.Size <= 0 {
		return 0
	}
	return float64(t.Done) / float64(t.Size)
}

// stateText capitalises the engine's state and marks our own published
// torrents, which seed from the publisher's source node.
func stateText(t engine.TorrentSnapshot) string {
	s := string(t.State)
	if s == "" {
		return dash
	}
	s = strings.ToUpper(s[:1]) + s[1:]
	if t.Publisher && t.State == engine.StateSeeding {
		return "Publishing"
	}
	return s
}

func sizeText(t engine.TorrentSnapshot) string {
	if t.Size <= 0 {
		return dash // unknown until metadata arrives
	}
	return formatBytes(t.Size)
}

// etaText only means something while downloading.
func etaText(t engine.TorrentSnapshot) string {
	if t.State != engine.StateDownloading {
		return ""
	}
	return formatETA(t.ETA)
}

// etaOrder puts unknown and irrelevant ETAs after every known one.
func etaOrder(t engine.TorrentSnapshot) int64 {
	if t.State != engine.StateDownloading || t.ETA < 0 {
		return 1 << 62
	}
	return int64(t.ETA)
}
