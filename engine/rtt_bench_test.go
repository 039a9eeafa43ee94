package engine

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fairshare/engine/latencyproxy"
)

// Swarm shape for BenchmarkRTTSelection: six capped Fairshare seeds at
// added RTTs from 2 to 200 ms, a downloader allowed half as many
// connections, 32 MiB.
var (
	benchSeedRTTs = []time.Duration{2, 10, 40, 80, 150, 200}
	benchSize     = 32 << 20
)

const (
	benchSeedUpKiB = 1024
	benchPeers     = 3
	benchRuns      = 5
	benchGrace     = 3 * time.Second
)

// BenchmarkRTTSelection downloads the same 32 MiB from the same swarm
// with RTT-aware selection on and off, benchRuns times each, alternating
// so machine load hits both alike, each run from a fresh downloader with
// the seeds' addresses in a different random order. It reports median
// completion times. It runs the whole comparison once whatever b.N is,
// and only when FAIRSHARE_BENCH_RTT=1 (make bench-rtt), because it takes
// minutes.
func BenchmarkRTTSelection(b *testing.B) {
	if os.Getenv("FAIRSHARE_BENCH_RTT") != "1" {
		b.Skip("set FAIRSHARE_BENCH_RTT=1 (make bench-rtt) to run the RTT swarm benchmark")
	}
	dir := b.TempDir()
	content := filepath.Join(dir, "pub", "swarm.bin")
	writeRandom(b, content, benchSize, 11)
	mi := buildInfo(b, content)
	var proxies []*latencyproxy.Proxy
	for i, d := range benchSeedRTTs {
		proxies = append(proxies, delayedSeed(b, dir, fmt.Sprintf("seed%d", i), mi, content, benchSeedUpKiB, d*time.Millisecond))
	}
	times := map[bool][]time.Duration{}
	for run := 0; run < benchRuns; run++ {
		order := rand.New(rand.NewPCG(uint64(run), 1)).Perm(len(proxies))
		magnet := magnetTo(b, mi, proxies[order[0]].Addr())
		for _, i := range order[1:] {
			magnet += "&x.pe=" + proxies[i].Addr()
		}
		for _, on := range []bool{run%2 == 0, run%2 != 0} {
			d, peers := benchDownload(b, filepath.Join(dir, fmt.Sprintf("run%d-%v", run, on)), mi.HashInfoBytes().HexString(), magnet, on)
			times[on] = append(times[on], d)
			b.Logf("run %d selection=%-5v %6.2fs  peers at the end: %s", run, on, d.Seconds(), peers)
		}
	}
	on, off := median(times[true]), median(times[false])
	b.Logf("median completion: selection on %.2fs, off %.2fs, difference %+.2fs (%+.1f%%)",
		on.Seconds(), off.Seconds(), (on - off).Seconds(), 100*(on.Seconds()-off.Seconds())/off.Seconds())
	b.ReportMetric(on.Seconds(), "s/on-median")
	b.ReportMetric(off.Seconds(), "s/off-median")
	b.ReportMetric(0, "ns/op")
}

// benchDownload times one download from a fresh session and names the
// peers it ended on with their RTTs.
func benchDownload(b *testing.B, home, ih, magnet string, selection bool) (time.Duration, string) {
	s, err := Open(Config{
		Home: home, Version: "bench", ListenAddr: "127.0.0.1:0",
		SampleInterval: 200 * time.Millisecond, Logger: quietLogger(),
		PingInterval: 500 * time.Millisecond, PeersPerTorrent: benchPeers,
		PeerGrace: benchGrace, NoRTTSelection: !selection,
	})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	start := time.Now()
	addOK(b, s, magnet, filepath.Join(home, "dl"))
	var last TorrentSnapshot
	waitFor(b, s, ih, 5*time.Minute, "complete", func(ts TorrentSnapshot) bool {
		if len(ts.Peers) > 0 {
			last = ts
		}
		return complete(ts)
	})
	elapsed := time.Since(start)
	var ps []string
	for _, p := range last.Peers {
		ps = append(ps, fmt.Sprintf("%.0fms", float64(p.RTT)/float64(time.Millisecond)))
	}
	return elapsed, strings.Join(ps, " ")
}
