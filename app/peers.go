package app

import (
	"cmp"

	"fairshare/engine"
)

// newPeersTable lists the selected torrent's peers, keyed by address so
// the selection survives refreshes.
func newPeersTable() *sortedTable[engine.PeerSnapshot] {
	type P = engine.PeerSnapshot
	cols := []column[P]{
		{title: "Address", width: 160, text: func(p P) string { return p.Addr }},
		{title: "Client", width: 140, text: peerClient},
		{title: "Type", width: 80, text: peerType},
		{title: "RTT", width: 155, right: true, text: func(p P) string { return formatRTT(p.RTT, p.RTTVar, p.RTTSource) },
			order: func(a, b P) int { return cmp.Compare(rttOrder(a), rttOrder(b)) }},
		{title: "Down", width: 80, right: true, text: func(p P) string { return formatRate(p.DownRate) },
			order: func(a, b P) int { return cmp.Compare(a.DownRate, b.DownRate) }},
		{title: "Up", width: 80, right: true, text: func(p P) string { return formatRate(p.UpRate) },
			order: func(a, b P) int { return cmp.Compare(a.UpRate, b.UpRate) }},
		{title: "Got from", width: 80, right: true, text: func(p P) string { return formatBytes(p.Downloaded) },
			order: func(a, b P) int { return cmp.Compare(a.Downloaded, b.Downloaded) }},
		{title: "Sent to", width: 80, right: true, text: func(p P) string { return formatBytes(p.Uploaded) },
			order: func(a, b P) int { return cmp.Compare(a.Uploaded, b.Uploaded) }},
		{title: "Ratio", width: 55, right: true, text: func(p P) string { return formatRatio(p.Ratio, p.Downloaded, p.Uploaded) },
			order: func(a, b P) int { return cmp.Compare(a.Ratio, b.Ratio) }},
		{title: "Has", width: 60, right: true, text: func(p P) string { return formatPercent(p.Progress) },
			order: func(a, b P) int { return cmp.Compare(a.Progress, b.Progress) }},
		{title: "Choked", width: 150, text: chokeText, stretch: true},
	}
	return newSortedTable(cols, func(p P) string { return p.Addr })
}

func peerClient(p engine.PeerSnapshot) string {
	if p.Client == "" {
		return dash
	}
	return p.Client
}

// peerType names the transport, except for the publisher's source node,
// which users care about more than how we reach it.
func peerType(p engine.PeerSnapshot) string {
	if p.Source {
		return "publisher"
	}
	switch p.Network {
	case engine.NetworkTCP:
		return "TCP"
	case engine.NetworkUTP:
		return "uTP"
	case engine.NetworkWebRTC:
		return "WebRTC"
	case engine.NetworkWebSeed:
		return "web seed"
	}
	return string(p.Network)
}

// chokeText says why we do not upload to the peer, and is blank when we
// do: a column of "no" would only hide the few rows that matter.
func chokeText(p engine.PeerSnapshot) string { return p.Choked }

// rttOrder sorts peers without an RTT sample last.
func rttOrder(p engine.PeerSnapshot) int64 {
	if p.RTT <= 0 {
		return 1 << 62
	}
	return int64(p.RTT)
}
