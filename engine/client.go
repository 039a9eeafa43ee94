package engine

import (
	"fmt"
	"net"
	"strconv"

	g "github.com/anacrolix/generics"
	"github.com/anacrolix/torrent"
	pp "github.com/anacrolix/torrent/peer_protocol"
	tstorage "github.com/anacrolix/torrent/storage"
)

// Peer-ID prefixes in the Azureus style (BEP 20). Publishers get their own
// so that Fairshare peers can recognise the source node and exempt it.
const (
	clientPeerIDPrefix    = "-FS0100-"
	publisherPeerIDPrefix = "-FP0100-"
)

// ClientName is how Fairshare introduces itself to peers.
func ClientName(version string) string {
	if version == "" {
		version = "dev"
	}
	return "Fairshare/" + version
}

func (s *Session) clientConfig() (*torrent.ClientConfig, error) {
	cc := torrent.NewDefaultClientConfig()
	cc.Slogger = s.log
	cc.DataDir = s.settings.DownloadDir
	cc.DefaultStorage = s.fileStorage(s.settings.DownloadDir)
	cc.Bep20 = clientPeerIDPrefix
	if s.cfg.Publisher {
		cc.Bep20 = publisherPeerIDPrefix
	}
	s.peerID = newPeerID(cc.Bep20)
	cc.PeerID = string(s.peerID[:])
	cc.WebTransport = webTransport(s.peerID)
	s.admitPeers(cc)
	cc.ExtendedHandshakeClientVersion = ClientName(s.cfg.Version)
	cc.HTTPUserAgent = ClientName(s.cfg.Version)
	// uTP is not available in this build (see engine/utp); TCP, web seeds
	// and WebRTC carry the traffic.
	cc.DisableUTP = true
	// DHT, UPnP and LAN discovery talk to the wider network; publisher
	// swarms are found through the magnet's tracker, web seed and peers.
	cc.NoDHT = !s.settings.DHT
	cc.NoDefaultPortForwarding = !s.settings.PortForwarding
	// Seed makes anacrolix upload while downloading without its built-in
	// per-peer 100 KiB rule: Fairshare's fairness controller decides.
	cc.Seed = true
	cc.UploadRateLimiter = s.up
	// anacrolix's download limiter is not the cap: while it has no tokens
	// anacrolix opens and accepts no connection at all, so a cap saturated
	// by a web seed kept peers out for good. The cap (s.down) is applied
	// on our TCP sockets (tcp_peers.go) and web seeds (addWebSeeds);
	// s.gate, a little above the cap, slows WebRTC (download_cap.go).
	cc.DownloadRateLimiter = s.gate
	cc.MetainfoSourcesMerger = s.mergeFetchedMetainfo
	cc.Callbacks.ReceivedUsefulData = append(cc.Callbacks.ReceivedUsefulData, s.chargeWebRTC)
	s.fair.configure(cc)
	cc.DropDuplicatePeerIds = true
	// WebRTC peers (browsers running WebTorrent, and any client of a
	// magnet with a ws:// or wss:// tracker) connect through pion, which
	// reaches peers behind NAT with the STUN servers' help.
	cc.DisableWebtorrent = false
	cc.ICEServerList = iceServerList(s.iceServers())
	cc.DisableTCP = s.cfg.DisableTCP
	cc.DisableAcceptRateLimiting = true
	// No BEP 6 fast extension. With it, anacrolix neither rejects a peer's
	// queued requests when it chokes nor lets the requester ask anyone
	// else for those chunks, so every fairness choke (and the source's
	// S2) left its peers waiting on chunks until the next unchoke, up to a
	// heartbeat period; in the swarm benchmark that was most of the cost
	// of fairness. Without it a choke cancels the requests on both sides,
	// as BEP 3 says, and they go to other peers at once.
	cc.Extensions.SetBit(pp.ExtensionBitFast, false)
	if s.super != nil {
		// superseed reads and rewrites the peer protocol: no MSE.
		// Leechers that try MSE first fall back to plaintext at once.
		cc.HeaderObfuscationPolicy = torrent.HeaderObfuscationPolicy{Preferred: false, RequirePreferred: true}
	}
	s.configureRTT(cc)
	if err := s.applyListen(cc); err != nil {
		return nil, err
	}
	if err := s.listenTCP(cc); err != nil {
		return nil, fmt.Errorf("%w; choose another listen port in settings or with --listen", err)
	}
	return cc, nil
}

func (s *Session) applyListen(cc *torrent.ClientConfig) error {
	cc.ListenPort = s.settings.ListenPort
	if s.cfg.ListenAddr == "" {
		return nil
	}
	host, portStr, err := net.SplitHostPort(s.cfg.ListenAddr)
	if err != nil {
		return fmt.Errorf("listen address %q must be host:port: %w", s.cfg.ListenAddr, err)
	}
	port, err := strconv.Atoi(portStr)
	if err != nil || port < 0 || port > 65535 {
		return fmt.Errorf("listen address %q has a bad port", s.cfg.ListenAddr)
	}
	cc.ListenPort = port
	if host != "" {
		cc.ListenHost = func(string) string { return host }
		if ip := net.ParseIP(host); ip != nil && ip.To4() != nil {
			cc.DisableIPv6 = true
		}
	}
	return nil
}

// fileStorage stores a torrent's files under dir with piece completion in
// the state file. Part files are off so that completion stored in bbolt is
// trusted at start (no re-hash); vanished or short files are caught by
// reconcileFiles before a torrent starts. Mmap is off because a file
// truncated underneath a mapping, or a full disk, would kill the process
// with SIGBUS instead of returning an error.
func (s *Session) fileStorage(dir string) tstorage.ClientImpl {
	return tstorage.NewFileOpts(tstorage.NewFileClientOpts{
		ClientBaseDir:   dir,
		PieceCompletion: s.db.PieceCompletion(),
		UsePartFiles:    g.Some(false),
		DisableMmap:     true,
		Logger:          s.log,
	})
}
