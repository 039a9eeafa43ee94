package fairness

import (
	"math"
	"sync"
	"time"
)

// DefaultGuardFactor: a peer may take 1.1 copies of the torrent from us.
// A whole copy plus slack for re-sent and rejected chunks is the most an
// honest leecher needs; more means a leech re-downloading or a measurement
// bot.
const DefaultGuardFactor = 1.1

// Guard drops peers that took more than factor × torrent size from us and
// bans them for a while. It is safe for concurrent use.
type Guard struct {
	factor float64
	banFor time.Duration

	mu   sync.Mutex
	bans map[string]time.Time // peer key → end of ban
}

// NewGuard returns a Guard. A factor that is NaN or ≤ 0 means
// DefaultGuardFactor; banFor ≤ 0 drops offenders without banning them.
func NewGuard(factor float64, banFor time.Duration) *Guard {
	if math.IsNaN(factor) || factor <= 0 {
		factor = DefaultGuardFactor
	}
	return &Guard{factor: factor, banFor: banFor, bans: make(map[string]time.Time)}
}

// Check reports whether the peer must be dropped: it is banned, or it has
// taken more than factor × torrentSize, which also bans it. Unknown sizes
// (≤ 0, e.g. a magnet without metadata) never trigger a ban. If the
// engine's uploadedToPeer outlives a connection, an offender is banned
// again at its first check after the ban ends.
func (g *Guard) Check(now time.Time, peerKey string, uploadedToPeer, torrentSize int64) (drop bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.bannedLocked(now, peerKey) {
		return true
	}
	if torrentSize <= 0 || float64(uploadedToPeer) <= g.factor*float64(torrentSize) {
		return false
	}
	if g.banFor > 0 {
		g.pruneLocked(now)
		g.bans[peerKey] = now.Add(g.banFor)
	}
	return true
}

// Banned reports whether the peer is banned at now. A ban lasts until
// now+banFor from when it was set; if the clock goes back it lasts longer
// by the jump, which errs on the side of keeping an offender out.
func (g *Guard) Banned(now time.Time, peerKey string) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.bannedLocked(now, peerKey)
}

func (g *Guard) bannedLocked(now time.Time, peerKey string) bool {
	until, ok := g.bans[peerKey]
	if ok && !now.Before(until) {
		delete(g.bans, peerKey)
		return false
	}
	return ok
}

// pruneLocked forgets expired bans so that peers that never come back do
// not accumulate. Running it whenever a ban is added bounds the map by the
// bans set within the last banFor, and costs nothing while nobody offends.
func (g *Guard) pruneLocked(now time.Time) {
	for k, until := range g.bans {
		if !now.Before(until) {
			delete(g.bans, k)
		}
	}
}
