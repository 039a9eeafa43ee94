package publisher

import (
	"encoding/hex"
	"io"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

// TestContentServerGatePacedAndCut: with the source's limiter, the web
// seed sends at the cap; a Fairshare client that meanwhile connects to the
// source over BitTorrent has its response cut, so the same bytes are never
// sent twice; one over the threshold gets 503 with Retry-After.
func TestContentServerGatePacedAndCut(t *testing.T) {
	const size = 256 << 10
	path := filepath.Join(t.TempDir(), "paced.bin")
	writeRandom(t, path, size)
	slots := NewDirectSlots(1, nil)
	gate := NewGate(slots, nil)
	lim := rate.NewLimiter(rate.Limit(128<<10), 16<<10) // 128 KiB/s
	_, cs, base := serveContent(t, path, ContentOptions{Gate: gate, Limiter: lim})
	fileURL := base + WebSeedPath + "paced.bin"

	var idA [20]byte
	copy(idA[:], "-FS0100-aaaaaaaaaaaa")
	hdr := func(id [20]byte) http.Header {
		return http.Header{PeerIDHeader: {hex.EncodeToString(id[:])}}
	}

	// Paced: 256 KiB at 128 KiB/s (16 KiB burst) takes about 2 s.
	start := time.Now()
	resp, body := get(t, fileURL, hdr(idA))
	took := time.Since(start)
	if resp.StatusCode != http.StatusOK || len(body) != size {
		t.Fatalf("status %d, %d bytes", resp.StatusCode, len(body))
	}
	if took < 1500*time.Millisecond {
		t.Errorf("256 KiB at 128 KiB/s took %v: the web seed is not paced by the source's limiter", took)
	}

	// Another client: over K=1.
	var idB [20]byte
	copy(idB[:], "-FS0100-bbbbbbbbbbbb")
	resp, _ = get(t, fileURL, hdr(idB))
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("client over the threshold: status %d Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}

	// Cut mid-stream once the client is connected over BitTorrent.
	req, _ := http.NewRequest(http.MethodGet, fileURL, nil)
	req.Header = hdr(idA)
	r, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	if _, err := io.ReadFull(r.Body, make([]byte, 32<<10)); err != nil {
		t.Fatalf("reading the start: %v", err)
	}
	before := cs.BytesServed()
	gate.SetConnected([][20]byte{idA})
	n, _ := io.Copy(io.Discard, r.Body)
	if n+32<<10 >= size {
		t.Fatalf("got all %d bytes after the client connected over BitTorrent; want the response cut", n+32<<10)
	}
	if sent := cs.BytesServed() - before; sent > 64<<10 {
		t.Errorf("sent %d more bytes after the cut, want at most a few chunks", sent)
	}
	// And new requests from it are refused.
	if resp, _ := get(t, fileURL, hdr(idA)); resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("connected client's new request: status %d, want 503", resp.StatusCode)
	}
}
