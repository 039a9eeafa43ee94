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

// listenWSTracker opens the WebTorrent tracker's listener (see
// wsTrackerAddr); nil when it is off.
func listenWSTracker(addr, trackerAddr string) (net.Listener, error) {
	addr, err := wsTrackerAddr(addr, trackerAddr)
	if addr == "" || err != nil {
		return nil, err
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("WebTorrent tracker address %s: %w; choose another with --ws-tracker-addr, or turn it off with --ws-tracker-addr off", addr, err)
	}
	return l, nil
}

// wsTrackerAddr is --ws-tracker-addr, or by default the HTTP tracker's
// address with the next port (port 0, any free port, stays 0); "" when
// the flag is "off".
func wsTrackerAddr(addr, trackerAddr string) (string, error) {
	switch addr {
	case "off":
		return "", nil
	case "":
	default:
		return addr, nil
	}
	host, port, err := net.SplitHostPort(trackerAddr)
	if err != nil {
		return "", fmt.Errorf("tracker address %q must be host:port: %w", trackerAddr, err)
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 0 || n > 65534 {
		return "", fmt.Errorf("tracker address %q: its port leaves no next port for the WebTorrent tracker; set --ws-tracker-addr", trackerAddr)
	}
	if n != 0 {
		n++
	}
	return net.JoinHostPort(host, strconv.Itoa(n)), nil
}

// wsTrackerURLs is the WebTorrent tracker's announce URL, if it runs:
// publicURL when given (a wss:// URL of a TLS proxy in front of it, which
// pages served over https need), else ws:// on the public host.
func (p *publication) wsTrackerURLs(publicHost, publicURL string) []string {
	switch {
	case p.wsListener == nil:
		return nil
	case publicURL != "":
		return []string{publicURL}
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
