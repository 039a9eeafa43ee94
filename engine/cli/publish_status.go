package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/anacrolix/torrent/metainfo"
	"github.com/dustin/go-humanize"
)

// publishStatus is publish's stable machine-readable status line.
type publishStatus struct {
	Time         time.Time `json:"time"`
	InfoHash     string    `json:"info_hash"`
	Name         string    `json:"name"`
	State        string    `json:"state"`
	Error        string    `json:"error,omitempty"`
	Size         int64     `json:"size"`
	Done         int64     `json:"done"`
	Peers        int       `json:"peers_connected"`
	UpRate       float64   `json:"up_rate"`
	PeerBytes    int64     `json:"bytes_uploaded_to_peers"`
	WebSeedBytes int64     `json:"bytes_served_by_webseed"`
	SourceBytes  int64     `json:"bytes_served"`
	Seeders      int       `json:"tracker_seeders"`
	Leechers     int       `json:"tracker_leechers"`
	// Mode is the source's state: S0 server only, S1 server + peers, S2
	// peers only (see publisher.Mode).
	Mode          string `json:"mode"`
	ModeName      string `json:"mode_name"`
	MaxDirect     int    `json:"max_direct"`     // threshold K, 0 = unlimited
	DirectClients int    `json:"direct_clients"` // downloaders the source serves now
	DirectPeak    int    `json:"direct_peak"`    // most at once so far
	DirectGranted int    `json:"direct_granted"` // downloaders ever served directly
	DirectRefused int    `json:"direct_refused"` // downloaders ever sent to peers instead
	// Delivered is what downloaders received from anybody: the larger of
	// the sum of their announced "downloaded" and completed × size.
	Delivered int64 `json:"bytes_delivered"`
	// Offload is 1 − bytes_served / bytes_delivered: the share of the
	// delivered bytes the swarm carried instead of the source.
	Offload float64 `json:"offload"`
	// ActiveSource is true while the source super-seeds (offers pieces a
	// few at a time, rarest first); Offers counts pieces offered so far.
	ActiveSource bool   `json:"active_source"`
	Offers       int64  `json:"offers"`
	Listen       string `json:"listen"`
	Magnet       string `json:"magnet"`
}

func (p *publication) status() publishStatus {
	st := publishStatus{Time: time.Now().UTC(), InfoHash: p.ih, Magnet: p.magnet, Listen: p.session.ListenAddr()}
	for _, ts := range p.session.Snapshot().Torrents {
		if ts.InfoHash == p.ih {
			st.Name, st.State, st.Error, st.Size, st.Done = ts.Name, string(ts.State), ts.Error, ts.Size, ts.Done
			st.Peers, st.UpRate = ts.PeersConnected, ts.UpRate
		}
	}
	st.PeerBytes, _, _ = p.session.SessionTotals(p.ih)
	st.WebSeedBytes = p.content.BytesServed()
	st.SourceBytes = st.PeerBytes + st.WebSeedBytes
	sw := p.tracker.Stats(metainfo.NewHashFromHex(p.ih))
	st.Seeders, st.Leechers = sw.Seeders, sw.Leechers
	m := p.gate.Mode()
	st.Mode, st.ModeName = m.String(), m.Describe()
	ds := p.gate.Slots().Stats()
	st.MaxDirect, st.DirectClients, st.DirectPeak = ds.Max, len(ds.Holders), ds.Peak
	st.DirectGranted, st.DirectRefused = len(ds.Granted), len(ds.Refused)
	st.Delivered = max(sw.Delivered, int64(sw.Completed)*st.Size)
	st.Offload = offload(st.SourceBytes, st.Delivered)
	st.ActiveSource, st.Offers = p.superSeeding, p.session.Offers()
	return st
}

// offload is 1 − served/delivered, 0 before anything was delivered. It is
// negative when the source sent more than the downloaders kept.
func offload(served, delivered int64) float64 {
	if delivered <= 0 {
		return 0
	}
	return 1 - float64(served)/float64(delivered)
}

type publishReporter struct {
	w      io.Writer
	asJSON bool
}

func newPublishReporter(w io.Writer, asJSON bool) *publishReporter {
	return &publishReporter{w: w, asJSON: asJSON}
}

func (r *publishReporter) report(st publishStatus) {
	if r.asJSON {
		json.NewEncoder(r.w).Encode(st)
		return
	}
	fmt.Fprintf(r.w, "%s: %s, %s (%s), direct %d/%s, %d peers, tracker %d seeders/%d leechers, served %s (peers %s, web seed %s), delivered %s, offload %.0f%%, up %s/s%s\n",
		st.Name, st.State, st.Mode, st.ModeName, st.DirectClients, maxDirectText(st.MaxDirect), st.Peers, st.Seeders, st.Leechers,
		humanize.IBytes(uint64(st.SourceBytes)), humanize.IBytes(uint64(st.PeerBytes)), humanize.IBytes(uint64(st.WebSeedBytes)),
		humanize.IBytes(uint64(st.Delivered)), 100*st.Offload, humanize.IBytes(uint64(st.UpRate)), superSeedText(st))
}

func superSeedText(st publishStatus) string {
	if !st.ActiveSource {
		return ""
	}
	return fmt.Sprintf(", super-seeding (%d pieces offered)", st.Offers)
}

// baseURL is http://host:port for a listener, with a host peers can reach.
func baseURL(l net.Listener, publicHost string) string {
	addr := l.Addr().(*net.TCPAddr)
	host := publicHost
	if host == "" {
		host = addr.IP.String()
		if addr.IP.IsUnspecified() {
			host = firstNonLoopbackIP()
		}
	}
	return "http://" + net.JoinHostPort(host, fmt.Sprint(addr.Port))
}

func firstNonLoopbackIP() string {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return "127.0.0.1"
	}
	for _, a := range addrs {
		if ipn, ok := a.(*net.IPNet); ok && !ipn.IP.IsLoopback() && ipn.IP.To4() != nil {
			return ipn.IP.String()
		}
	}
	return "127.0.0.1"
}

func maxDirectText(k int) string {
	if k == 0 {
		return "unlimited"
	}
	return fmt.Sprint(k)
}
