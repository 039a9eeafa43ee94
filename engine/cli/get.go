package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"fairshare/engine"
)

type getOptions struct {
	dir          string
	listen       string
	upLimit      int64
	downLimit    int64
	seed         bool
	ratio        float64
	onComplete   string
	json         bool
	stallTimeout time.Duration
	iceServers   []string
	noTCP        bool
}

func newGet(version string) *cobra.Command {
	o := &getOptions{}
	cmd := &cobra.Command{
		Use:   "get SOURCE",
		Short: "Download a magnet link, .torrent file or .torrent URL",
		Long: "Download a magnet link, .torrent file or .torrent URL, and share it while it downloads.\n" +
			"Exits 0 once every piece is verified, unless --seed or --on-complete says to keep sharing.\n" +
			"Run it again with the same --home to resume.\n\n" +
			"Fairness: while the download runs, uploads pause whenever this torrent's lifetime\n" +
			"upload:download ratio passes --ratio (by default with a 2 s keep-alive window every 30 s).\n" +
			"Once complete, --on-complete decides:\n" +
			"  stop           exit at once (the default)\n" +
			"  seed-to-ratio  keep sharing until the ratio reaches --ratio, then exit\n" +
			"                 (with --ratio 0 there is no target: share until interrupted)\n" +
			"  seed           keep sharing until interrupted (same as --seed)",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runGet(cmd, version, args[0], o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.dir, "dir", "", "download folder (default: the one in settings)")
	f.StringVar(&o.listen, "listen", "", "address to accept peers on, host:port (default: the port in settings)")
	f.Int64Var(&o.upLimit, "up-limit", 0, "upload cap in KiB/s for this run, 0 = settings")
	f.Int64Var(&o.downLimit, "down-limit", 0, "download cap in KiB/s for this run, 0 = settings")
	f.BoolVar(&o.seed, "seed", false, "keep sharing after the download completes, until interrupted (--on-complete seed)")
	f.Float64Var(&o.ratio, "ratio", 0, "target upload:download ratio, 0 = fairness off (default: the target in settings, 1.0 unless changed)")
	f.StringVar(&o.onComplete, "on-complete", "", "once complete: stop, seed-to-ratio or seed (default stop, or seed with --seed)")
	f.BoolVar(&o.json, "json", false, "print one JSON object per second and a final one")
	f.DurationVar(&o.stallTimeout, "stall-timeout", 2*time.Minute, "give up when nothing arrives for this long, 0 = never")
	addICEServerFlag(f, &o.iceServers)
	f.BoolVar(&o.noTCP, "no-tcp", false, "no TCP peers: WebRTC and web seeds only (for tests)")
	f.MarkHidden("no-tcp")
	return cmd
}

func runGet(cmd *cobra.Command, version, source string, o *getOptions) error {
	if err := o.resolveOnComplete(); err != nil {
		return err
	}
	if o.ratio < 0 {
		return fmt.Errorf("--ratio %g is negative; use 0 to turn fairness off", o.ratio)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	s, err := engine.Open(engine.Config{Home: homeFlag(cmd), Version: version, ListenAddr: o.listen, NoAutoStart: true,
		ICEServers: iceServersFlag(o.iceServers), DisableTCP: o.noTCP})
	if err != nil {
		return err
	}
	ratio := -1.0 // keep the settings' target unless --ratio was given
	if cmd.Flags().Changed("ratio") {
		ratio = o.ratio
	}
	runErr := s.SetRunFairness(ratio, o.onComplete)
	if runErr == nil {
		runErr = getWith(ctx, s, source, o, newReporter(cmd.OutOrStdout(), o.json))
	}
	if err := s.Close(); err != nil && runErr == nil {
		runErr = fmt.Errorf("saving state: %w", err)
	}
	return runErr
}

func getWith(ctx context.Context, s *engine.Session, source string, o *getOptions, rep reporter) error {
	s.SetRunLimits(o.downLimit, o.upLimit)
	ih, err := s.Add(ctx, source, engine.AddOptions{SaveDir: o.dir})
	added := err == nil
	if errors.Is(err, engine.ErrDuplicate) {
		err = s.Resume(ih)
	}
	if err != nil {
		return err
	}
	w := &getWatch{s: s, ih: ih, o: o, rep: rep, start: time.Now()}
	err = w.run(ctx)
	var ee *exitError
	if err != nil && added && w.lastDone == 0 && !errors.As(err, &ee) {
		// A link that never delivered anything leaves no trace in the state
		// file; an interrupted one is kept so the same command resumes.
		s.Remove(ih, false)
	}
	return err
}

// resolveOnComplete folds --seed into --on-complete.
func (o *getOptions) resolveOnComplete() error {
	switch {
	case o.seed && o.onComplete != "" && o.onComplete != engine.OnCompleteSeed:
		return fmt.Errorf("--seed means --on-complete seed; drop one of them")
	case o.seed:
		o.onComplete = engine.OnCompleteSeed
	case o.onComplete == "":
		o.onComplete = engine.OnCompleteStop
	}
	switch o.onComplete {
	case engine.OnCompleteStop, engine.OnCompleteSeedToRatio, engine.OnCompleteSeed:
		return nil
	}
	return fmt.Errorf("--on-complete %q: choose stop, seed-to-ratio or seed", o.onComplete)
}

// finished says whether the command is done with a torrent in state ts.
func (o *getOptions) finished(ts engine.TorrentSnapshot) bool {
	if ts.State != engine.StateSeeding {
		return false
	}
	switch o.onComplete {
	case engine.OnCompleteSeed:
		return false
	case engine.OnCompleteSeedToRatio:
		return ts.Fairness.Mode == "done"
	}
	return true
}

// getWatch follows one download until it completes, fails or stalls.
type getWatch struct {
	s     *engine.Session
	ih    string
	o     *getOptions
	rep   reporter
	start time.Time

	lastDone     int64
	lastProgress time.Time
}

func (w *getWatch) run(ctx context.Context) error {
	w.lastProgress = time.Now()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		ts, ok := w.current()
		if !ok {
			return fmt.Errorf("the torrent %s disappeared from the session", w.ih)
		}
		done, err := w.step(ctx, ts)
		if done || err != nil {
			return err
		}
		select {
		case <-ctx.Done():
			w.report(ts, true)
			return &exitError{130, errors.New("interrupted; verified pieces are saved: run the same command to resume")}
		case <-tick.C:
		}
	}
}

func (w *getWatch) current() (engine.TorrentSnapshot, bool) {
	for _, ts := range w.s.Snapshot().Torrents {
		if ts.InfoHash == w.ih {
			return ts, true
		}
	}
	return engine.TorrentSnapshot{}, false
}

// step reports one sample and says whether the command is finished.
func (w *getWatch) step(ctx context.Context, ts engine.TorrentSnapshot) (bool, error) {
	complete, finished := ts.State == engine.StateSeeding, w.o.finished(ts)
	w.report(ts, finished)
	switch {
	case ts.State == engine.StateError:
		return true, errors.New(ts.Error)
	case finished:
		return true, nil
	case complete:
		w.lastProgress = time.Now()
	}
	if ts.Done != w.lastDone || ts.DownRate > 0 {
		w.lastDone, w.lastProgress = ts.Done, time.Now()
	}
	if w.o.stallTimeout > 0 && time.Since(w.lastProgress) > w.o.stallTimeout {
		return true, w.stalled(ctx, ts)
	}
	return false, nil
}

func (w *getWatch) stalled(ctx context.Context, ts engine.TorrentSnapshot) error {
	why := w.s.Diagnose(ctx, w.ih)
	if why == "" {
		why = "no peer sent data"
	}
	return fmt.Errorf("nothing arrived for %s in %s (%s); check the link or try again later",
		ts.Name, w.o.stallTimeout, why)
}

func (w *getWatch) report(ts engine.TorrentSnapshot, final bool) {
	up, down, _ := w.s.SessionTotals(w.ih)
	w.rep.report(status{
		torrent:    ts,
		sessionUp:  up,
		sessionDn:  down,
		elapsed:    time.Since(w.start),
		final:      final,
		complete:   ts.State == engine.StateSeeding,
		listenAddr: w.s.ListenAddr(),
	})
}
