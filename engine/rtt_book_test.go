package engine

import (
	"testing"
	"time"

	"github.com/anacrolix/torrent"
	pp "github.com/anacrolix/torrent/peer_protocol"
	"github.com/pion/webrtc/v4"

	"fairshare/engine/rtt"
)

func TestBestEstimatePrefersFreshPreferredSource(t *testing.T) {
	t0 := time.Unix(1000, 0)
	ms := time.Millisecond
	tests := []struct {
		name    string
		samples map[rtt.Source]time.Time // source → time of its only sample
		now     time.Time
		want    rtt.Source
	}{
		{"ping beats request", map[rtt.Source]time.Time{rtt.SourcePing: t0, rtt.SourceRequest: t0}, t0, rtt.SourcePing},
		{"ice beats tcp and request", map[rtt.Source]time.Time{rtt.SourceICE: t0, rtt.SourceTCP: t0, rtt.SourceRequest: t0}, t0, rtt.SourceICE},
		{"stale ping gives way to fresh request", map[rtt.Source]time.Time{rtt.SourcePing: t0, rtt.SourceRequest: t0.Add(time.Minute)}, t0.Add(time.Minute), rtt.SourceRequest},
		{"all stale: most preferred", map[rtt.Source]time.Time{rtt.SourcePing: t0, rtt.SourceRequest: t0}, t0.Add(time.Hour), rtt.SourcePing},
		{"only request", map[rtt.Source]time.Time{rtt.SourceRequest: t0}, t0, rtt.SourceRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := &peerRTT{est: make(map[rtt.Source]*rtt.Estimator)}
			for src, at := range tt.samples {
				st.estimator(src).Add(at, 10*ms)
			}
			e, ok := st.best(tt.now)
			if !ok || e.Source != tt.want {
				t.Fatalf("best = %v, %v; want %v", e.Source, ok, tt.want)
			}
		})
	}
	if _, ok := (&peerRTT{est: map[rtt.Source]*rtt.Estimator{}}).best(t0); ok {
		t.Error("a peer without samples has an estimate")
	}
}

// TestRequestProbeTimesOnlyIdleRequests drives the request callbacks as
// anacrolix would: only a request sent while none was outstanding is
// timed, and a cancelled probe yields no sample.
func TestRequestProbeTimesOnlyIdleRequests(t *testing.T) {
	b := newRTTBook(nil)
	p := &torrent.Peer{}
	st := &peerRTT{est: make(map[rtt.Source]*rtt.Estimator)}
	b.peers[p] = st
	req := func(i int) torrent.Request { return torrent.Request{Index: pp.Integer(i)} }
	sent := func(i int) { b.onSentRequest(torrent.PeerRequestEvent{Peer: p, Request: req(i)}) }
	got := func(i int) {
		b.onReceivedRequested(torrent.PeerMessageEvent{Peer: p, Message: &pp.Message{Index: pp.Integer(i)}})
		b.onDeletedRequest(torrent.PeerRequestEvent{Peer: p, Request: req(i)})
	}
	samples := func() int { return st.estimator(rtt.SourceRequest).Estimate().Samples }

	sent(1) // idle: probe
	sent(2) // queued behind 1: not timed
	time.Sleep(2 * time.Millisecond)
	got(2)
	if samples() != 0 {
		t.Fatal("a pipelined request was timed")
	}
	got(1)
	if n := samples(); n != 1 {
		t.Fatalf("%d samples after the probe's block arrived, want 1", n)
	}
	if e := st.estimator(rtt.SourceRequest).Estimate(); e.Min < 2*time.Millisecond {
		t.Errorf("probe latency %v, want ≥ 2ms (the sleep)", e.Min)
	}
	sent(3) // idle again: probe, then cancelled
	b.onDeletedRequest(torrent.PeerRequestEvent{Peer: p, Request: req(3)})
	sent(4) // idle again: new probe
	got(4)
	if n := samples(); n != 2 {
		t.Fatalf("%d samples, want 2 (cancelled probe not counted)", n)
	}
}

func TestICERTTs(t *testing.T) {
	remote := func(id, ip string, port int32) webrtc.ICECandidateStats {
		return webrtc.ICECandidateStats{ID: id, Type: webrtc.StatsTypeRemoteCandidate, IP: ip, Port: port}
	}
	pair := func(id, remoteID string, rttSec float64, nominated bool) webrtc.ICECandidatePairStats {
		return webrtc.ICECandidatePairStats{ID: id, Type: webrtc.StatsTypeCandidatePair, RemoteCandidateID: remoteID, CurrentRoundTripTime: rttSec, Nominated: nominated}
	}
	stats := map[string]map[string]webrtc.StatsReport{
		"ws://tracker/a": {
			"offer1": {
				"r1": remote("r1", "192.0.2.1", 5000),
				"p1": pair("p1", "r1", 0.042, true),
				// A backup pair to the same remote, not nominated: ignored.
				"r1b": remote("r1b", "192.0.2.1", 5000),
				"p1b": pair("p1b", "r1b", 0.300, false),
			},
			"offer2": {
				"r2": remote("r2", "2001:db8::2", 6000),
				"p2": pair("p2", "r2", 0.120, false),
				// No measurement yet.
				"r3": remote("r3", "192.0.2.3", 7000),
				"p3": pair("p3", "r3", 0, true),
				// Pair naming a candidate that is not in the report.
				"p4": pair("p4", "missing", 0.010, true),
			},
		},
	}
	got := iceRTTs(stats)
	want := map[string]time.Duration{
		"192.0.2.1:5000":     42 * time.Millisecond,
		"[2001:db8::2]:6000": 120 * time.Millisecond,
	}
	if len(got) != len(want) {
		t.Fatalf("iceRTTs = %v, want %v", got, want)
	}
	for a, d := range want {
		if diff := got[a] - d; diff < -time.Microsecond || diff > time.Microsecond {
			t.Errorf("iceRTTs[%s] = %v, want %v", a, got[a], d)
		}
	}
}
