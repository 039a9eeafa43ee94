package app

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"

	"fairshare/engine"
)

// fakeEngine stands in for *engine.Session: it serves a hand-built
// snapshot and records what the GUI asks of it.
type fakeEngine struct {
	mu       sync.Mutex
	snap     engine.Snapshot
	settings engine.Settings
	calls    []string
	added    chan string
	saved    chan engine.Settings
}

func newFakeEngine(snap engine.Snapshot) *fakeEngine {
	return &fakeEngine{
		snap:     snap,
		settings: engine.DefaultSettings("/home/ana/Downloads"),
		added:    make(chan string, 16),
		saved:    make(chan engine.Settings, 16),
	}
}

func (f *fakeEngine) record(call string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, call)
}

func (f *fakeEngine) Snapshot() engine.Snapshot {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.snap
}

func (f *fakeEngine) Add(_ context.Context, source string, _ engine.AddOptions) (string, error) {
	f.record("add " + source)
	f.added <- source
	return strings.Repeat("ab", 20), nil
}

func (f *fakeEngine) Remove(h string, del bool) error {
	f.record(fmt.Sprintf("remove %s %v", h, del))
	return nil
}
func (f *fakeEngine) Pause(h string) error   { f.record("pause " + h); return nil }
func (f *fakeEngine) Resume(h string) error  { f.record("resume " + h); return nil }
func (f *fakeEngine) Recheck(h string) error { f.record("recheck " + h); return nil }

func (f *fakeEngine) Settings() engine.Settings {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.settings
}

func (f *fakeEngine) SetSettings(st engine.Settings) error {
	f.mu.Lock()
	f.settings = st
	f.mu.Unlock()
	f.saved <- st
	return nil
}

var btih = regexp.MustCompile(`[?&]xt=urn:btih:([0-9a-fA-F]{40}|[A-Z2-7]{32})(&|$)`)

// fakeValidate follows engine.ValidateSource's contract (nil or one
// sentence) for magnets, so dialog tests do not depend on the engine's
// progress.
func fakeValidate(s string) error {
	if !strings.HasPrefix(s, "magnet:?") {
		return errors.New("this is not a magnet link; magnet links start with \"magnet:?\"")
	}
	if !btih.MatchString(s) {
		return errors.New("the magnet link has no valid info hash (xt=urn:btih:…)")
	}
	return nil
}

const goodMagnet = "magnet:?xt=urn:btih:c9e15763f722f23e98a29decdfae341b98d53056&dn=Open+Earth+Atlas"

// hash40 makes a distinct, valid-looking info hash from n.
func hash40(n int) string { return fmt.Sprintf("%040x", n+1) }

// demoSnapshot is a realistic session: one download in progress from a
// mixed swarm, our own published torrent, and a paused one.
func demoSnapshot(now time.Time) engine.Snapshot {
	const mib = 1 << 20
	atlas := engine.TorrentSnapshot{
		InfoHash: "c9e15763f722f23e98a29decdfae341b98d53056", Name: "Open Earth Atlas 2025 (4K maps)",
		State: engine.StateDownloading, SaveDir: "/home/ana/Downloads", Magnet: goodMagnet,
		Source: goodMagnet, Added: now.Add(-40 * time.Minute),
		Size: 4_400 * mib, Done: 2_750 * mib, PieceCount: 1100, PieceSize: 4 * mib,
		Pieces:   demoPieces(1100, 0.625),
		DownRate: 3.4 * mib, UpRate: 610 * 1024, Downloaded: 2_790 * mib, Uploaded: 1_020 * mib,
		Ratio: 1020.0 / 2790, PeersConnected: 6, PeersKnown: 23, ETA: 8*time.Minute + 12*time.Second,
		Fairness: engine.FairnessState{Mode: "active", Ratio: 1020.0 / 2790, Target: 1, Reason: "active: ratio 0.37 < 1.00"},
		Peers:    demoPeers(),
		Files: []engine.FileSnapshot{
			{Path: "Open Earth Atlas 2025/README.txt", Size: 12_000, Done: 12_000},
			{Path: "Open Earth Atlas 2025/europe.mbtiles", Size: 1_900 * mib, Done: 1_900 * mib},
			{Path: "Open Earth Atlas 2025/americas.mbtiles", Size: 1_600 * mib, Done: 850 * mib},
			{Path: "Open Earth Atlas 2025/asia-pacific.mbtiles", Size: 900 * mib, Done: 0},
		},
		Trackers: []string{"udp://tracker.opentrackr.org:1337/announce", "wss://tracker.openwebtorrent.com"},
		WebSeeds: []string{"https://cdn.openearth.example/atlas-2025/"},
	}
	podcast := engine.TorrentSnapshot{
		InfoHash: "5b1d8f0c8a9e4e7f2a3b4c5d6e7f8091a2b3c4d5", Name: "Fairshare Community Podcast S02",
		State: engine.StateSeeding, Publisher: true, SaveDir: "/home/ana/Published",
		Magnet: "magnet:?xt=urn:btih:5b1d8f0c8a9e4e7f2a3b4c5d6e7f8091a2b3c4d5", Added: now.Add(-72 * time.Hour),
		Size: 820 * mib, Done: 820 * mib, PieceCount: 410, PieceSize: 2 * mib, Pieces: demoPieces(410, 1),
		UpRate: 1.1 * mib, Uploaded: 6_300 * mib, PeersConnected: 9, PeersKnown: 14, ETA: -1,
		Fairness: engine.FairnessState{Mode: "exempt", Reason: "exempt: publisher"},
	}
	movie := engine.TorrentSnapshot{
		InfoHash: "0f3a5e2d9c8b7a6f5e4d3c2b1a0998877665544f", Name: "Sprite Fright — Blender Open Movie (1080p)",
		State: engine.StatePaused, SaveDir: "/home/ana/Downloads", Added: now.Add(-26 * time.Hour),
		Size: 1_250 * mib, Done: 1_250 * mib, PieceCount: 625, PieceSize: 2 * mib, Pieces: demoPieces(625, 1),
		Downloaded: 1_250 * mib, Uploaded: 1_480 * mib, Ratio: 1480.0 / 1250, PeersKnown: 31, ETA: -1,
		Fairness: engine.FairnessState{Mode: "choking", Ratio: 1480.0 / 1250, Target: 1, Reason: "choking: ratio 1.18 ≥ 1.00"},
	}
	return engine.Snapshot{
		Taken: now, Torrents: []engine.TorrentSnapshot{atlas, podcast, movie},
		DownRate: atlas.DownRate, UpRate: atlas.UpRate + podcast.UpRate,
		DownLimit: 0, UpLimit: 2 * mib, ListenAddr: "0.0.0.0:42069",
	}
}

func demoPeers() []engine.PeerSnapshot {
	const kib = 1024
	return []engine.PeerSnapshot{
		{Addr: "203.0.113.10:6881", Network: engine.NetworkTCP, Client: "Fairshare/0.1.0", Source: true, Outgoing: true,
			DownRate: 1400 * kib, UpRate: 0, Downloaded: 1_300 << 20, Progress: 1, RTT: 18 * time.Millisecond, RTTVar: 2 * time.Millisecond, RTTSource: "ping"},
		{Addr: "198.51.100.23:51413", Network: engine.NetworkUTP, Client: "Transmission 4.0.6",
			DownRate: 820 * kib, UpRate: 240 * kib, Downloaded: 640 << 20, Uploaded: 410 << 20, Ratio: 410.0 / 640,
			Progress: 0.81, RTT: 46 * time.Millisecond, RTTVar: 7 * time.Millisecond, RTTSource: "ping"},
		{Addr: "192.0.2.77:6881", Network: engine.NetworkTCP, Client: "qBittorrent 4.6.4",
			DownRate: 510 * kib, UpRate: 310 * kib, Downloaded: 420 << 20, Uploaded: 390 << 20, Ratio: 390.0 / 420,
			Progress: 0.47, RTT: 92 * time.Millisecond, RTTVar: 31 * time.Millisecond, RTTSource: "request"},
		{Addr: "[2001:db8::5]:40000", Network: engine.NetworkWebRTC, Client: "WebTorrent 2.1.4",
			DownRate: 130 * kib, UpRate: 60 * kib, Downloaded: 150 << 20, Uploaded: 210 << 20, Ratio: 210.0 / 150,
			Progress: 0.22, RTT: 8400 * time.Microsecond, RTTVar: 600 * time.Microsecond, RTTSource: "ice"},
		{Addr: "cdn.openearth.example", Network: engine.NetworkWebSeed,
			DownRate: 620 * kib, Downloaded: 280 << 20, Progress: 1},
		{Addr: "100.64.7.9:6881", Network: engine.NetworkTCP, Client: "libtorrent 2.0.10",
			Downloaded: 0, Uploaded: 20 << 20, Progress: 0.05, RTT: 140 * time.Millisecond, RTTSource: "tcp",
			Choked: "fairness: ratio 1.02 ≥ 1.00"},
	}
}

// demoPieces marks the first `have` fraction complete with a few pieces in
// flight just after it, the way a sequential-ish download looks.
func demoPieces(n int, have float64) []engine.PieceStatus {
	p := make([]engine.PieceStatus, n)
	done := int(float64(n) * have)
	for i := range p {
		switch {
		case i < done && i%97 != 13:
			p[i] = engine.PieceComplete
		case i < done+12 && i%3 == 0:
			p[i] = engine.PiecePartial
		case i > done+200 && i%41 == 0:
			p[i] = engine.PieceComplete // rarest-first picks scattered pieces
		}
	}
	return p
}

// benchSnapshot is a heavy session: n torrents, the first with peers peers.
func benchSnapshot(n, peers int, now time.Time) engine.Snapshot {
	base := demoSnapshot(now).Torrents[0]
	snap := engine.Snapshot{Taken: now, ListenAddr: "0.0.0.0:42069"}
	for i := 0; i < n; i++ {
		t := base
		t.InfoHash, t.Name = hash40(i), fmt.Sprintf("Torrent %03d", i)
		t.DownRate, t.Peers = float64(i*1000), nil
		snap.Torrents = append(snap.Torrents, t)
	}
	for i := 0; i < peers; i++ {
		p := demoPeers()[i%6]
		p.Addr = fmt.Sprintf("10.%d.%d.%d:6881", i/65536, i/256%256, i%256)
		p.DownRate = float64((i * 7919) % 100000)
		snap.Torrents[0].Peers = append(snap.Torrents[0].Peers, p)
	}
	return snap
}
