package cli

import (
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"fairshare/engine/wstracker"
)

// listenWSTracker opens the WebTorrent tracker's listener: addr, or by
// default the HTTP tracker's address with the next port (port 0, a free
// one, stays 0). "off" runs none.
func listenWSTracker(addr, trackerAddr string) (net.Listener, error) {
	if addr == "off" {
		return nil, nil
	}
	if addr == "" {
		host, port, err := net.SplitHostPort(trackerAddr)
		if err != nil {
			return nil, fmt.Errorf("tracker address %q must be host:port: %w", trackerAddr, err)
		}
		n, err := strconv.Atoi(port)
		if err != nil {
			return nil, fmt.Errorf("tracker address %q has a bad port", trackerAddr)
		}
		if n != 0 {
			n++
		}
		addr = net.JoinHostPort(host, strconv.Itoa(n))
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("WebTorrent tracker address %s: %w; choose another with --ws-tracker-addr, or turn it off with --ws-tracker-addr off", addr, err)
	}
	return l, nil
}

// wsTrackerURLs is the WebTorrent tracker's announce URL, if it runs.
func (p *publication) wsTrackerURLs(publicHost string) []string {
	if p.wsListener == nil {
		return nil
	}
	return []string{"ws://" + strings.TrimPrefix(baseURL(p.wsListener, publicHost), "http://")}
}

// serveWSTracker relays WebRTC offers for the published torrent only.
func (p *publication) serveWSTracker() {
	if p.wsListener == nil {
		return
	}
	ih := p.mi.HashInfoBytes()
	p.wsTracker = wstracker.New(wstracker.Options{Allow: func(h [20]byte) bool { return h == ih }})
	srv := &http.Server{Handler: p.wsTracker, ReadHeaderTimeout: 10 * time.Second}
	p.servers = append(p.servers, srv)
	go srv.Serve(p.wsListener)
}
