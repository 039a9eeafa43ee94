package app

import (
	"testing"
	"time"
)

// BenchmarkRefresh measures one refresh on the UI thread: applying a
// snapshot of 200 torrents, with the selected one having 500 peers, to the
// whole window. At one refresh a second it must stay far below 1s; the
// figure to watch is how much of a frame (16ms) it takes.
func BenchmarkRefresh(b *testing.B) {
	now := time.Now()
	snaps := []update{
		{snap: benchSnapshot(200, 500, now)},
		{snap: benchSnapshot(200, 500, now.Add(time.Second))},
	}
	m, _ := newTestWindow(b, snaps[0].snap)
	m.apply(snaps[0])
	selectTorrent(b, m, hash40(0))
	m.list.sortBy(4) // sorted lists are the costly case
	m.details.peers.sortBy(4)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		u := snaps[i%2]
		u.snap.Taken = now.Add(time.Duration(i) * time.Second)
		m.apply(u)
	}
}
