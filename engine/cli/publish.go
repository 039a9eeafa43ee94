package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/anacrolix/torrent/bencode"
	"github.com/anacrolix/torrent/metainfo"
	"github.com/spf13/cobra"

	"fairshare/engine"
	"fairshare/engine/publisher"
	"fairshare/engine/wstracker"
)

type publishOptions struct {
	listen      string
	trackerAddr string
	webseedAddr string
	publicHost  string
	upLimit     int64
	pieceLength int64
	maxDirect   int
	copies      int
	json        bool
	wsTracker   string
	wsURL       string
	iceServers  []string
	active      bool
}

func newPublish(version string) *cobra.Command {
	o := &publishOptions{}
	cmd := &cobra.Command{
		Use:   "publish PATH",
		Short: "Seed a file or folder as a publisher's source node",
		Long: "Build a torrent for PATH and seed it as the source node: an HTTP tracker, an HTTP web seed and the\n" +
			"first peer. The magnet link to hand out is the first line of output. Runs until interrupted.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runPublish(cmd, version, args[0], o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.listen, "listen", "", "address to accept peers on, host:port (default: the port in settings)")
	f.StringVar(&o.trackerAddr, "tracker-addr", ":6969", "address of the HTTP tracker (and of the web seed unless --webseed-addr)")
	f.StringVar(&o.webseedAddr, "webseed-addr", "", "address of the HTTP web seed and .torrent download (default: the tracker's)")
	f.StringVar(&o.publicHost, "public-host", "", "host name or IP peers use to reach the tracker and web seed (default: the listen host, or this machine's first non-loopback IP)")
	f.Int64Var(&o.upLimit, "up-limit", 0, "upload cap of the seeding peer in KiB/s, 0 = unlimited")
	f.Int64Var(&o.pieceLength, "piece-length", 0, "piece length in bytes, a power of two ≥ 16384 (default: chosen from the size)")
	f.IntVar(&o.maxDirect, "max-direct", 0, "most downloaders the source serves itself at once (tracker hands out its address, web seed answers); others get peers only. 0 = upload cap × 2 s / piece length, between 1 and 32 (32 when unlimited); -1 = no limit")
	f.IntVar(&o.copies, "copies", publisher.DefaultCopies, "complete copies held by other seeders that let the source stop uploading to peers (state S2)")
	f.BoolVar(&o.json, "json", false, "print status as one JSON object per second")
	f.StringVar(&o.wsTracker, "ws-tracker-addr", "", `address of the WebTorrent (websocket) tracker for browsers and WebRTC peers, "off" for none (default: the tracker's host, next port)`)
	f.StringVar(&o.wsURL, "ws-tracker-url", "", "URL of the WebTorrent tracker in the magnet, e.g. wss://… of a TLS proxy in front of it (default: ws:// on --public-host)")
	f.BoolVar(&o.active, "active-source", true, "super-seed: offer each peer a few pieces at a time, the rarest among the source's peers first, so the source sends each piece once before any twice (peer connections to the source are then unencrypted)")
	addICEServerFlag(f, &o.iceServers)
	return cmd
}

// publication is a running source node: HTTP servers and a seeding session.
type publication struct {
	session *engine.Session
	gate    *publisher.Gate
	copies  int
	tracker *publisher.Tracker
	content *publisher.ContentServer
	servers []*http.Server
	// wsListener and wsTracker serve WebRTC peers (see publish_wstracker.go).
	wsListener net.Listener
	wsTracker  *wstracker.Server
	mi         *metainfo.MetaInfo
	magnet     string
	ih         string
	// active: super-seed once the content is verified; superSeeding: it does.
	active, superSeeding bool
}

func runPublish(cmd *cobra.Command, version, path string, o *publishOptions) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	home, err := publishHome(cmd)
	if err != nil {
		return err
	}
	p, err := startPublication(home, version, path, o)
	if err != nil {
		return err
	}
	defer p.close()
	out := cmd.OutOrStdout()
	fmt.Fprintln(out, p.magnet)
	return p.watch(ctx, out, o.json)
}

// publishHome keeps a publisher's state apart from the desktop app's by
// default, so both can run on one machine.
func publishHome(cmd *cobra.Command) (string, error) {
	if h := homeFlag(cmd); h != "" {
		return h, nil
	}
	return filepath.Join(mustDefaultHome(), "publisher"), nil
}

func startPublication(home, version, path string, o *publishOptions) (*publication, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	lns, err := listenHTTP(o.trackerAddr, o.webseedAddr)
	if err != nil {
		return nil, err
	}
	p := &publication{copies: o.copies, active: o.active}
	if p.wsListener, err = listenWSTracker(o.wsTracker, o.trackerAddr); err != nil {
		closeAll(lns)
		return nil, err
	}
	// The session comes first: the tracker needs its peer port to hand out.
	if err := p.open(home, version, o); err != nil {
		closeAll(append(lns, p.wsListener))
		closeAll(lns)
		return nil, err
	}
	if err := p.build(abs, version, lns, o); err != nil {
		closeAll(append(lns, p.wsListener))
		p.close()
		return nil, err
	}
	p.serve(lns)
	p.serveWSTracker()
	if err := p.seed(abs); err != nil {
		p.close()
		return nil, err
	}
	return p, nil
}

// listenHTTP opens the tracker listener and, when asked, a separate one for
// the web seed; listening first lets port 0 resolve before URLs are made.
func listenHTTP(trackerAddr, webseedAddr string) ([]net.Listener, error) {
	tl, err := net.Listen("tcp", trackerAddr)
	if err != nil {
		return nil, fmt.Errorf("tracker address %s: %w; choose another with --tracker-addr", trackerAddr, err)
	}
	if webseedAddr == "" || webseedAddr == trackerAddr {
		return []net.Listener{tl}, nil
	}
	wl, err := net.Listen("tcp", webseedAddr)
	if err != nil {
		tl.Close()
		return nil, fmt.Errorf("web seed address %s: %w; choose another with --webseed-addr", webseedAddr, err)
	}
	return []net.Listener{tl, wl}, nil
}

func closeAll(lns []net.Listener) {
	for _, l := range lns {
		if l != nil {
			l.Close()
		}
	}
}

func (p *publication) build(path, version string, lns []net.Listener, o *publishOptions) error {
	trackerBase := baseURL(lns[0], o.publicHost)
	contentBase := baseURL(lns[len(lns)-1], o.publicHost)
	mi, err := publisher.Build(path, publisher.BuildOptions{
		PieceLength: o.pieceLength,
		Trackers:    append([]string{trackerBase + "/announce"}, p.wsTrackerURLs(o.publicHost, o.wsURL)...),
		WebSeeds:    []string{contentBase + publisher.WebSeedPath},
		CreatedBy:   engine.ClientName(version),
	})
	if err != nil {
		return err
	}
	tb, err := bencode.Marshal(mi)
	if err != nil {
		return fmt.Errorf("encoding the torrent: %w", err)
	}
	p.newGate(trackerBase, mi, o)
	copt := publisher.ContentOptions{Gate: p.gate, Limiter: p.session.UploadLimiter()}
	if p.content, err = publisher.NewContentServer(mi, path, tb, copt); err != nil {
		return err
	}
	p.magnet, err = publisher.Magnet(mi, publisher.MagnetOptions{TorrentURL: contentBase + publisher.TorrentURLPath(mi)})
	p.ih = mi.HashInfoBytes().HexString()
	p.mi = mi
	return err
}

func (p *publication) serve(lns []net.Listener) {
	mux := http.NewServeMux()
	mux.Handle("/announce", p.tracker.Handler())
	if len(lns) == 1 {
		mux.Handle("/", p.content)
	}
	p.servers = append(p.servers, &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second})
	if len(lns) == 2 {
		p.servers = append(p.servers, &http.Server{Handler: p.content, ReadHeaderTimeout: 10 * time.Second})
	}
	for i, srv := range p.servers {
		go srv.Serve(lns[i])
	}
}

func (p *publication) open(home, version string, o *publishOptions) error {
	s, err := engine.Open(engine.Config{
		Home: home, Version: version, ListenAddr: o.listen, Publisher: true, NoAutoStart: true,
		SelfServed: true, AdmitPeer: p.admitPeer, ICEServers: iceServersFlag(o.iceServers),
		ActiveSource: o.active,
	})
	if err != nil {
		return err
	}
	p.session = s
	s.SetRunLimits(0, o.upLimit)
	return nil
}

func (p *publication) seed(path string) error {
	ih, err := p.session.AddPublished(p.mi, filepath.Dir(path))
	if errors.Is(err, engine.ErrDuplicate) {
		err = p.session.Resume(ih)
	}
	if err == nil {
		p.startSuperSeeding()
	}
	return err
}

// startSuperSeeding turns super-seeding on once the content is verified;
// until then peers see the source's real bitfield.
func (p *publication) startSuperSeeding() {
	if p.active && !p.superSeeding {
		p.superSeeding = p.session.SuperSeed(p.ih) == nil
	}
}

func (p *publication) close() {
	if p.wsTracker != nil {
		p.wsTracker.Close() // its websockets outlive Shutdown
	}
	for _, srv := range p.servers {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		srv.Shutdown(ctx)
		cancel()
	}
	if p.session != nil {
		p.session.Close()
	}
}

func (p *publication) watch(ctx context.Context, out io.Writer, asJSON bool) error {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	rep := newPublishReporter(out, asJSON)
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
		p.startSuperSeeding()
		p.updateMode()
		rep.report(p.status())
	}
}
