package publisher

import "time"

const (
	// directPieceInterval is how often each direct client should receive a
	// whole piece from the source: a newcomer needs a verified piece before
	// it can trade, so splitting the source's upload across more clients
	// than this allows would only delay every one of them.
	directPieceInterval = 2 * time.Second
	// maxDefaultDirect bounds the default when the upload is unlimited or
	// very fast: past a few dozen clients the source is better used seeding
	// the swarm than serving each downloader itself.
	maxDefaultDirect = 32
)

// DefaultMaxDirect derives the saturation threshold K from the source's
// upload cap (bytes/s, 0 = unlimited) and piece length:
//
//	K = clamp(floor(upload × 2 s / pieceLength), 1, 32)
//
// so that each direct client gets at least one piece every 2 s from the
// source; unlimited upload gives 32. Example: 100 KiB/s with 32 KiB pieces
// gives 6, 1 MiB/s gives 32.
func DefaultMaxDirect(uploadBytesPerSec, pieceLength int64) int {
	if uploadBytesPerSec <= 0 || pieceLength <= 0 {
		return maxDefaultDirect
	}
	k := uploadBytesPerSec * int64(directPieceInterval/time.Millisecond) / 1000 / pieceLength
	return int(min(max(k, 1), maxDefaultDirect))
}
