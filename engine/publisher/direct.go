package publisher

import (
	"encoding/hex"
	"net/netip"
	"slices"
	"sync"
	"time"
)

// DirectSlots is the source node's saturation threshold: at most Max
// downloaders ("direct clients") are served by the source at once, over
// its peer connection or its web seed. Everybody else is sent to peers.
// The tracker and the web seed share one DirectSlots, so a downloader
// holds one slot whichever way it reaches the source.
//
// A slot is keyed by ClientKey. It is freed when its holder completes or
// stops (the tracker calls Release), or when nothing was heard from it for
// the slot's TTL (a crashed client, or a web seed client that never
// announces).
type DirectSlots struct {
	max int
	now func() time.Time

	mu      sync.Mutex
	held    map[string]time.Time // key → expiry
	granted map[string]bool      // every key ever given a slot
	refused map[string]bool      // every key ever turned away
	peak    int                  // most slots held at once
}

// NewDirectSlots admits up to max clients at once; max ≤ 0 means no limit.
// now may be nil (time.Now).
func NewDirectSlots(max int, now func() time.Time) *DirectSlots {
	if now == nil {
		now = time.Now
	}
	return &DirectSlots{max: max, now: now, held: map[string]time.Time{}, granted: map[string]bool{}, refused: map[string]bool{}}
}

// ClientKey identifies a downloader: by peer ID when known (tracker
// announces, and web seed requests from Fairshare clients, which send
// PeerIDHeader), else by IP (third-party web seed clients send nothing
// else that identifies them).
func ClientKey(peerID *[20]byte, ip netip.Addr) string {
	if peerID != nil {
		return "id:" + hex.EncodeToString(peerID[:])
	}
	return "ip:" + ip.Unmap().String()
}

// Max is the threshold; 0 when unlimited.
func (d *DirectSlots) Max() int { return max(d.max, 0) }

// Admit gives key a slot, or refreshes the one it holds, for ttl. It
// returns false when key holds none and all are taken.
func (d *DirectSlots) Admit(key string, ttl time.Duration) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	now := d.now()
	d.expireLocked(now)
	if _, ok := d.held[key]; !ok && d.max > 0 && len(d.held) >= d.max {
		d.refused[key] = true
		return false
	}
	d.held[key] = maxTime(d.held[key], now.Add(ttl))
	d.granted[key] = true
	d.peak = max(d.peak, len(d.held))
	return true
}

// Holds says whether key has a slot now, without taking one.
func (d *DirectSlots) Holds(key string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.expireLocked(d.now())
	_, ok := d.held[key]
	return ok
}

// Release frees key's slot, if it has one.
func (d *DirectSlots) Release(key string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.held, key)
}

func (d *DirectSlots) expireLocked(now time.Time) {
	for k, exp := range d.held {
		if now.After(exp) {
			delete(d.held, k)
		}
	}
}

// DirectStats is what the slots did, for status output and tests.
type DirectStats struct {
	Max     int      // threshold, 0 = unlimited
	Holders []string // keys holding a slot now, sorted
	Granted []string // keys ever given a slot, sorted
	Refused []string // keys ever turned away, sorted (may also be in Granted later)
	Peak    int      // most slots held at once
}

// Stats reports the slots now.
func (d *DirectSlots) Stats() DirectStats {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.expireLocked(d.now())
	return DirectStats{Max: d.Max(), Holders: sortedKeys(d.held), Granted: sortedKeys(d.granted), Refused: sortedKeys(d.refused), Peak: d.peak}
}

func sortedKeys[V any](m map[string]V) []string {
	ret := make([]string, 0, len(m))
	for k := range m {
		ret = append(ret, k)
	}
	slices.Sort(ret)
	return ret
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
