package publisher

// Mode is the source node's role in its swarm.
type Mode int

const (
	// ModeServerOnly (S0): nobody else holds any of the data; the source
	// serves everything.
	ModeServerOnly Mode = iota
	// ModeServerAndPeers (S1): peers hold some data, but fewer than C
	// complete copies exist elsewhere; the source serves up to K direct
	// clients and the rest trade among themselves.
	ModeServerAndPeers
	// ModePeersOnly (S2): at least C complete copies are held by seeders
	// other than the source; the source stops uploading to peers (they can
	// get every piece elsewhere) and stops handing out its address, but
	// keeps the tracker and the web seed up for clients that cannot use
	// peers.
	ModePeersOnly
)

func (m Mode) String() string {
	switch m {
	case ModeServerOnly:
		return "S0"
	case ModeServerAndPeers:
		return "S1"
	case ModePeersOnly:
		return "S2"
	}
	return "S?"
}

// Describe names the mode for people.
func (m Mode) Describe() string {
	switch m {
	case ModeServerOnly:
		return "server only"
	case ModeServerAndPeers:
		return "server + peers"
	case ModePeersOnly:
		return "peers only"
	}
	return "unknown"
}

// SwarmView is what the source knows about its swarm's availability.
type SwarmView struct {
	// Seeders is the number of complete copies held by peers other than
	// the source (live seeders at the tracker).
	Seeders int
	// PeersWithData is how many other peers hold at least one piece.
	PeersWithData int
	// SourceOnlyPieces is how many pieces no other peer is known to hold;
	// -1 when unknown (the source sees no peer's bitfield).
	SourceOnlyPieces int
}

// DefaultCopies is C, the number of complete copies elsewhere that lets the
// source step back: two, so one seeder leaving does not strand anybody.
const DefaultCopies = 2

// ModeFor computes the mode from the swarm's availability; copies is C
// (values below 1 count as 1). It has no memory: when seeders leave, or a
// piece is found only at the source again, the next call returns S1 or S0
// by itself, so a magnet link never stops working.
func ModeFor(v SwarmView, copies int) Mode {
	copies = max(copies, 1)
	if v.Seeders >= copies && v.SourceOnlyPieces <= 0 {
		return ModePeersOnly
	}
	if v.Seeders > 0 || v.PeersWithData > 0 {
		return ModeServerAndPeers
	}
	return ModeServerOnly
}
