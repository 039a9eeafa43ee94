package publisher

import "testing"

func TestModeFor(t *testing.T) {
	cases := []struct {
		name   string
		v      SwarmView
		copies int
		want   Mode
	}{
		{"nobody else", SwarmView{SourceOnlyPieces: -1}, 2, ModeServerOnly},
		{"peers connected but empty", SwarmView{SourceOnlyPieces: 10}, 2, ModeServerOnly},
		{"one leecher with data", SwarmView{PeersWithData: 1, SourceOnlyPieces: 3}, 2, ModeServerAndPeers},
		{"one copy, C=2", SwarmView{Seeders: 1, PeersWithData: 1}, 2, ModeServerAndPeers},
		{"two copies, C=2", SwarmView{Seeders: 2, PeersWithData: 2}, 2, ModePeersOnly},
		{"two copies, availability unknown", SwarmView{Seeders: 2, SourceOnlyPieces: -1}, 2, ModePeersOnly},
		{"three copies, C=3", SwarmView{Seeders: 3}, 3, ModePeersOnly},
		{"two copies, C=3", SwarmView{Seeders: 2, PeersWithData: 4}, 3, ModeServerAndPeers},
		{"copies but a piece only at the source", SwarmView{Seeders: 2, PeersWithData: 2, SourceOnlyPieces: 1}, 2, ModeServerAndPeers},
		{"C=0 counts as 1", SwarmView{Seeders: 1}, 0, ModePeersOnly},
		{"C=0, no seeders", SwarmView{PeersWithData: 1}, 0, ModeServerAndPeers},
		// Back down: seeders left, leechers keep partial data.
		{"seeders left, partial leechers", SwarmView{Seeders: 0, PeersWithData: 3, SourceOnlyPieces: 2}, 2, ModeServerAndPeers},
		{"everyone left", SwarmView{SourceOnlyPieces: -1}, 2, ModeServerOnly},
	}
	for _, c := range cases {
		if got := ModeFor(c.v, c.copies); got != c.want {
			t.Errorf("%s: ModeFor(%+v, %d) = %v, want %v", c.name, c.v, c.copies, got, c.want)
		}
	}
}

func TestModeNames(t *testing.T) {
	for m, want := range map[Mode]string{ModeServerOnly: "S0", ModeServerAndPeers: "S1", ModePeersOnly: "S2", Mode(9): "S?"} {
		if m.String() != want {
			t.Errorf("%d.String() = %q, want %q", m, m.String(), want)
		}
	}
}

func TestDefaultMaxDirect(t *testing.T) {
	const kib = 1024
	cases := []struct {
		up, piece int64
		want      int
	}{
		{100 * kib, 64 * kib, 3},     // 200 KiB per 2 s / 64 KiB
		{1024 * kib, 64 * kib, 32},   // capped
		{512 * kib, 256 * kib, 4},    //
		{10 * kib, 64 * kib, 1},      // at least one
		{0, 64 * kib, 32},            // unlimited
		{100 * kib, 0, 32},           // unknown piece length
		{1024 * kib, 4096 * kib, 1},  // huge pieces
		{8192 * kib, 1024 * kib, 16}, //
	}
	for _, c := range cases {
		if got := DefaultMaxDirect(c.up, c.piece); got != c.want {
			t.Errorf("DefaultMaxDirect(%d, %d) = %d, want %d", c.up, c.piece, got, c.want)
		}
	}
}
