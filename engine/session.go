package engine

import (
	"errors"
	"fairshare/engine/superseed"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/anacrolix/torrent"
	"github.com/anacrolix/torrent/metainfo"
	"golang.org/x/time/rate"

	"fairshare/engine/fairness"
	"fairshare/storage"
)

// Config is fixed for a Session's life.
type Config struct {
	// Home holds state.db; "" means storage.DefaultHome().
	Home string
	// Version is reported to peers as "Fairshare/<Version>".
	Version string
	// ListenAddr overrides the listen port from settings ("host:port").
	ListenAddr string
	// Publisher marks this session as a publisher's source node: peers see
	// a distinct peer-ID prefix and know not to hold it to fairness.
	Publisher bool
	// ICEServers, when not nil, replaces Settings.ICEServers for this
	// session; an empty, non-nil list means none.
	ICEServers []string
	// DisableTCP turns TCP peers off, leaving WebRTC (and web seeds):
	// tests use it to prove a transfer went over WebRTC.
	DisableTCP bool
	// NoAutoStart loads stored torrents without starting them; the CLI uses
	// it so `get` transfers only what it was asked for.
	NoAutoStart bool
	// SampleInterval is how often rates and counters are sampled; 0 means
	// one second.
	SampleInterval time.Duration
	// AdmitPeer, when set, is asked (off anacrolix's lock) about every new
	// peer connection; connections it refuses are closed. The publisher
	// uses it to keep its source node within the direct-client threshold.
	AdmitPeer func(peerID [20]byte, addr netip.AddrPort) bool
	// SelfServed marks a publisher that runs the torrent's tracker and web
	// seed in this process: its own torrent then neither announces to the
	// tracker (it would show up as a peer of itself) nor connects to its
	// own web seed.
	SelfServed bool
	// ActiveSource lets SuperSeed hand a complete torrent's pieces to each
	// peer a few at a time, rarest first (package superseed). It needs to
	// read the peer protocol, so the session then speaks plaintext only:
	// peers that insist on encryption cannot connect.
	ActiveSource bool
	// Logger receives the session's and anacrolix's logs; nil writes
	// warnings to Home/fairshare.log.
	Logger *slog.Logger

	// PingInterval is how often Fairshare peers are pinged for their RTT
	// and the peer selection policy runs; 0 means 3 s.
	PingInterval time.Duration
	// NoRTTSelection turns off RTT-aware peer selection (dropping the
	// worst-ranked peer at the connection limit for a faster address), so
	// its effect can be measured. RTTs are still measured and shown.
	NoRTTSelection bool
	// PeersPerTorrent caps established connections per torrent; 0 keeps
	// anacrolix's default (50).
	PeersPerTorrent int
	// PeerGrace is how long a new connection is safe from being dropped
	// by the selection policy; 0 means 20 s.
	PeerGrace time.Duration
}

// ErrDuplicate is returned by Add for a torrent that is already added.
var ErrDuplicate = errors.New("already added")

// ErrNotFound is returned for an info hash the session does not know.
var ErrNotFound = errors.New("no such torrent")

// Session owns the anacrolix client and the state file.
type Session struct {
	cfg    Config
	home   string
	db     *storage.DB
	client *torrent.Client
	up     *rate.Limiter
	// down is the user's download cap: our TCP sockets, web seeds and
	// (as a charge) WebRTC peers draw on it. gate is anacrolix's
	// DownloadRateLimiter, a little above the cap (download_cap.go).
	down   *rate.Limiter
	gate   *rate.Limiter
	tcp    tcpPeers
	peerID [20]byte
	http   *http.Client
	fair   *fairWiring
	log    *slog.Logger
	logOut *os.File

	// mu guards settings and the torrents map and each handle's record.
	mu       sync.Mutex
	settings Settings
	torrents map[metainfo.Hash]*handle

	// sampleMu serialises sampling, which owns each handle's meters.
	sampleMu sync.Mutex
	snap     atomic.Pointer[Snapshot]
	started  time.Time

	// rtt is the per-peer RTT state, fed by anacrolix callbacks.
	rtt *rttBook

	// super rewrites what the source advertises on its peer sockets;
	// nil unless Config.ActiveSource.
	super *superseed.Source

	stop      chan struct{}
	wg        sync.WaitGroup
	closeOnce sync.Once
	closeErr  error
}

// Open starts a session: opens the state file, starts the client and
// re-adds every stored torrent.
func Open(cfg Config) (*Session, error) {
	home, err := resolveHome(cfg.Home)
	if err != nil {
		return nil, err
	}
	db, err := storage.Open(home)
	if err != nil {
		return nil, err
	}
	s := &Session{
		cfg:      cfg,
		home:     home,
		db:       db,
		http:     &http.Client{Timeout: time.Minute},
		fair:     newFairWiring(),
		torrents: make(map[metainfo.Hash]*handle),
		stop:     make(chan struct{}),
		started:  time.Now(),
	}
	if cfg.ActiveSource {
		s.super = superseed.NewSource(superseed.DefaultWindow)
	}
	if err := s.open(); err != nil {
		s.closeResources()
		return nil, err
	}
	s.refresh()
	s.wg.Add(2)
	go s.sampleLoop()
	go s.rttLoop()
	return s, nil
}

func (s *Session) open() (err error) {
	s.log, s.logOut, err = openLogger(s.cfg.Logger, s.home)
	if err != nil {
		return err
	}
	if s.settings, err = loadSettings(s.db); err != nil {
		return err
	}
	s.up = fairness.NewLimiter(s.settings.UpLimitKiB)
	s.down = fairness.NewLimiter(s.settings.DownLimitKiB)
	s.gate = newGate(s.settings.DownLimitKiB, s.down)
	if err := checkICEServers(s.iceServers()); err != nil {
		return err
	}
	cc, err := s.clientConfig()
	if err != nil {
		return err
	}
	if s.client, err = torrent.NewClient(cc); err != nil {
		return fmt.Errorf("starting the BitTorrent client: %w; choose another listen port in settings or with --listen", err)
	}
	s.addTCP(cc.DialForPeerConns)
	return s.loadStored()
}

func resolveHome(home string) (string, error) {
	if home == "" {
		return storage.DefaultHome()
	}
	return filepath.Abs(home)
}

func openLogger(given *slog.Logger, home string) (*slog.Logger, *os.File, error) {
	if given != nil {
		return given, nil, nil
	}
	f, err := os.OpenFile(filepath.Join(home, "fairshare.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("opening the log file in %s: %w", home, err)
	}
	h := slog.NewTextHandler(f, &slog.HandlerOptions{Level: slog.LevelWarn})
	return slog.New(h), f, nil
}

// Home is the folder holding the state file.
func (s *Session) Home() string { return s.home }

// ListenAddr is where peers reach this session: the first TCP listener,
// else whatever anacrolix listens on (WebRTC-only sessions: nothing).
func (s *Session) ListenAddr() string {
	for _, l := range s.tcp.listeners {
		return l.Addr().String()
	}
	for _, l := range s.client.Listeners() {
		return l.Addr().String()
	}
	return ""
}

// Close saves state and stops the client. It is safe to call twice.
func (s *Session) Close() error {
	s.closeOnce.Do(func() {
		close(s.stop)
		s.wg.Wait()
		s.closeErr = s.flushAll()
		s.closeResources()
	})
	return s.closeErr
}

func (s *Session) closeResources() {
	if s.client != nil {
		s.client.Close()
		<-s.client.Closed()
	}
	s.closeTCP()
	if err := s.db.Close(); err != nil && s.closeErr == nil {
		s.closeErr = err
	}
	if s.logOut != nil {
		s.logOut.Close()
	}
}
