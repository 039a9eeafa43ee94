package engine

import "time"

// Snapshot is an immutable view of the whole session. Every field is a plain
// value: the GUI and the CLI read it without locks and without touching
// anacrolix.
type Snapshot struct {
	Taken    time.Time
	Torrents []TorrentSnapshot
	// DownRate and UpRate are payload bytes per second over the last sample
	// interval, summed over every torrent.
	DownRate float64
	UpRate   float64
	// DownLimit and UpLimit are the global caps in bytes per second; 0 means
	// unlimited.
	DownLimit int64
	UpLimit   int64
	// ListenAddr is where peers reach us ("" when not listening).
	ListenAddr string
}

// TorrentState is what a torrent is doing now.
type TorrentState string

const (
	StateFetchingMetadata TorrentState = "fetching metadata"
	StateChecking         TorrentState = "checking"
	StateDownloading      TorrentState = "downloading"
	StateSeeding          TorrentState = "seeding"
	StatePaused           TorrentState = "paused"
	StateError            TorrentState = "error"
)

// TorrentSnapshot describes one torrent.
type TorrentSnapshot struct {
	InfoHash string // 40 hex characters
	Name     string
	State    TorrentState
	// Error is the last problem the user must act on ("" when none).
	Error     string
	SaveDir   string
	Source    string // magnet URI, file path or URL it was added from
	Magnet    string // a magnet link for sharing it
	Publisher bool   // our own published torrent (source node)
	Added     time.Time

	Size       int64 // 0 until metadata is known
	Done       int64 // verified bytes
	PieceCount int
	PieceSize  int64
	// Pieces is one byte per piece: see PieceMissing and friends. Empty
	// until metadata is known.
	Pieces []PieceStatus

	DownRate float64 // payload bytes/s, from counter deltas
	UpRate   float64
	// Lifetime payload counters, persisted across restarts.
	Uploaded   int64
	Downloaded int64
	// Ratio is Uploaded/Downloaded; 0 when nothing was downloaded.
	Ratio float64

	// Hashed is how many bytes were hashed since the torrent started: a
	// normal restart trusts stored completion and hashes nothing.
	Hashed int64

	PeersConnected int
	PeersKnown     int
	// ETA is the time left at the current rate; -1 when unknown.
	ETA time.Duration

	// Fairness is the upload policy's current decision for this torrent.
	Fairness FairnessState

	Peers    []PeerSnapshot
	Files    []FileSnapshot
	Trackers []string
	WebSeeds []string
}

// FairnessState is what the fairness controller decided for a torrent.
type FairnessState struct {
	// Mode is one of "active", "choking", "heartbeat", "exempt", "off",
	// "done" (see engine/fairness); "" before the first decision.
	Mode   string
	Ratio  float64 // the ratio decided on
	Target float64
	// Reason is one line for the UI, e.g. "choking: ratio 1.02 ≥ 1.00".
	Reason string
}

// PieceStatus is the state of one piece in TorrentSnapshot.Pieces.
type PieceStatus byte

const (
	PieceMissing PieceStatus = iota
	PiecePartial
	PieceChecking
	PieceComplete
)

// FileSnapshot is one file of a torrent.
type FileSnapshot struct {
	Path string // slash-separated, relative to the torrent's folder
	Size int64
	Done int64
}

// PeerNetwork is how we are connected to a peer.
type PeerNetwork string

const (
	NetworkTCP     PeerNetwork = "tcp"
	NetworkUTP     PeerNetwork = "utp"
	NetworkWebRTC  PeerNetwork = "webrtc"
	NetworkWebSeed PeerNetwork = "webseed"
)

// PeerSnapshot describes one connected peer or web seed.
type PeerSnapshot struct {
	Addr     string
	Network  PeerNetwork
	Client   string // the peer's client name, when it sent one
	Outgoing bool
	// Source is true for the publisher's own source node.
	Source bool

	DownRate float64 // payload bytes/s we receive from it
	UpRate   float64 // payload bytes/s we send it
	// Downloaded and Uploaded are payload bytes over this connection.
	Downloaded int64
	Uploaded   int64
	// Ratio is Uploaded/Downloaded for this peer; 0 when nothing came from it.
	Ratio float64
	// Progress is the fraction of the torrent the peer has, 0..1.
	Progress float64
	// RTT is the smoothed round-trip time; 0 when unknown.
	RTT time.Duration
	// RTTVar is the smoothed mean deviation of RTT samples (RFC 6298).
	RTTVar time.Duration
	// RTTSource says how RTT was measured: "ping", "ice", "tcp" or
	// "request" (request→block latency, not a network RTT).
	RTTSource string
	// Choked is why we do not upload to it ("" when we do).
	Choked string
}
