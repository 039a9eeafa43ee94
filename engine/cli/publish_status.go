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
	Listen       string    `json:"listen"`
	Magnet       string    `json:"magnet"`
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
	return st
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
	fmt.Fprintf(r.w, "%s: %s, %d peers, tracker %d seeders/%d leechers, served %s (peers %s, web seed %s), up %s/s\n",
		st.Name, st.State, st.Peers, st.Seeders, st.Leechers, humanize.IBytes(uint64(st.SourceBytes)),
		humanize.IBytes(uint64(st.PeerBytes)), humanize.IBytes(uint64(st.WebSeedBytes)), humanize.IBytes(uint64(st.UpRate)))
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
