package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"time"

	"github.com/dustin/go-humanize"
	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"fairshare/engine"
)

// status is one sample of a download for a reporter.
type status struct {
	torrent    engine.TorrentSnapshot
	sessionUp  int64
	sessionDn  int64
	elapsed    time.Duration
	final      bool
	complete   bool
	listenAddr string
}

type reporter interface {
	report(st status)
}

// newReporter picks JSON lines, a progress bar on a terminal, or one plain
// status line per second for logs and pipes.
func newReporter(w io.Writer, asJSON bool) reporter {
	if asJSON {
		return &jsonReporter{enc: json.NewEncoder(w)}
	}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return &barReporter{w: w}
	}
	return &lineReporter{w: w}
}

// jsonStatus is the stable machine-readable form; scripts and benchmarks
// depend on these names.
type jsonStatus struct {
	Time            time.Time  `json:"time"`
	InfoHash        string     `json:"info_hash"`
	Name            string     `json:"name"`
	State           string     `json:"state"`
	Error           string     `json:"error,omitempty"`
	Size            int64      `json:"size"`
	Done            int64      `json:"done"`
	Progress        float64    `json:"progress"`
	DownRate        float64    `json:"down_rate"`
	UpRate          float64    `json:"up_rate"`
	BytesDownloaded int64      `json:"bytes_downloaded"`
	BytesUploaded   int64      `json:"bytes_uploaded"`
	Downloaded      int64      `json:"lifetime_downloaded"`
	Uploaded        int64      `json:"lifetime_uploaded"`
	Ratio           float64    `json:"ratio"`
	Seconds         float64    `json:"seconds"`
	Complete        bool       `json:"complete"`
	Final           bool       `json:"final"`
	PeersConnected  int        `json:"peers_connected"`
	Listen          string     `json:"listen,omitempty"`
	Fairness        fairJSON   `json:"fairness"`
	Peers           []jsonPeer `json:"peers"`
}

// fairJSON is the fairness controller's decision. Ratio is null when
// infinite (something uploaded, nothing downloaded yet).
type fairJSON struct {
	Mode   string   `json:"mode"`
	Ratio  *float64 `json:"ratio"`
	Target float64  `json:"target"`
	Reason string   `json:"reason"`
}

func fairnessJSON(f engine.FairnessState) fairJSON {
	j := fairJSON{Mode: f.Mode, Target: f.Target, Reason: f.Reason}
	if !math.IsInf(f.Ratio, 0) && !math.IsNaN(f.Ratio) {
		j.Ratio = &f.Ratio
	}
	return j
}

type jsonPeer struct {
	Addr       string  `json:"addr"`
	Network    string  `json:"network"`
	Client     string  `json:"client"`
	Source     bool    `json:"source"`
	DownRate   float64 `json:"down_rate"`
	UpRate     float64 `json:"up_rate"`
	Downloaded int64   `json:"downloaded"`
	Uploaded   int64   `json:"uploaded"`
	Ratio      float64 `json:"ratio"`
	Progress   float64 `json:"progress"`
	RTTMillis  float64 `json:"rtt_ms"`
	RTTVarMs   float64 `json:"rtt_var_ms"`
	RTTSource  string  `json:"rtt_source"`
	Choked     string  `json:"choked"`
}

type jsonReporter struct{ enc *json.Encoder }

func (r *jsonReporter) report(st status) {
	ts := st.torrent
	js := jsonStatus{
		Time: time.Now().UTC(), InfoHash: ts.InfoHash, Name: ts.Name, State: string(ts.State), Error: ts.Error,
		Size: ts.Size, Done: ts.Done, Progress: progress(ts), DownRate: ts.DownRate, UpRate: ts.UpRate,
		BytesDownloaded: st.sessionDn, BytesUploaded: st.sessionUp,
		Downloaded: ts.Downloaded, Uploaded: ts.Uploaded, Ratio: ts.Ratio,
		Seconds: st.elapsed.Seconds(), Complete: st.complete, Final: st.final,
		PeersConnected: ts.PeersConnected, Listen: st.listenAddr, Fairness: fairnessJSON(ts.Fairness), Peers: []jsonPeer{},
	}
	for _, p := range ts.Peers {
		js.Peers = append(js.Peers, jsonPeer{
			Addr: p.Addr, Network: string(p.Network), Client: p.Client, Source: p.Source,
			DownRate: p.DownRate, UpRate: p.UpRate, Downloaded: p.Downloaded, Uploaded: p.Uploaded,
			Ratio: p.Ratio, Progress: p.Progress, RTTMillis: millis(p.RTT),
			RTTVarMs: millis(p.RTTVar), RTTSource: p.RTTSource, Choked: p.Choked,
		})
	}
	r.enc.Encode(js)
}

func millis(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func progress(ts engine.TorrentSnapshot) float64 {
	if ts.Size == 0 {
		return 0
	}
	return float64(ts.Done) / float64(ts.Size)
}

// summary is the human one-liner shared by the plain and bar reporters.
func summary(st status) string {
	ts := st.torrent
	if ts.Size == 0 {
		return fmt.Sprintf("%s: %s, %d peers", ts.Name, ts.State, ts.PeersConnected)
	}
	s := fmt.Sprintf("%s: %s %.1f%% of %s, down %s/s, up %s/s, %d peers",
		ts.Name, ts.State, 100*progress(ts), humanize.IBytes(uint64(ts.Size)),
		humanize.IBytes(uint64(ts.DownRate)), humanize.IBytes(uint64(ts.UpRate)), ts.PeersConnected)
	if ts.ETA > 0 {
		s += ", ETA " + ts.ETA.String()
	}
	if ts.Fairness.Reason != "" {
		s += ", uploads " + ts.Fairness.Reason
	}
	return s
}

func doneLine(st status) string {
	return fmt.Sprintf("done: %s downloaded, %s uploaded in %s",
		humanize.IBytes(uint64(st.sessionDn)), humanize.IBytes(uint64(st.sessionUp)), st.elapsed.Round(time.Second))
}

type lineReporter struct{ w io.Writer }

func (r *lineReporter) report(st status) {
	fmt.Fprintln(r.w, summary(st))
	if st.final {
		fmt.Fprintln(r.w, doneLine(st))
	}
}

// barReporter draws a progress bar once the size is known.
type barReporter struct {
	w   io.Writer
	bar *progressbar.ProgressBar
}

func (r *barReporter) report(st status) {
	ts := st.torrent
	if ts.Size == 0 {
		fmt.Fprintf(r.w, "\r%s", summary(st))
		return
	}
	if r.bar == nil {
		r.bar = progressbar.NewOptions64(ts.Size,
			progressbar.OptionSetWriter(r.w),
			progressbar.OptionSetDescription(ts.Name),
			progressbar.OptionShowBytes(true),
			progressbar.OptionSetWidth(30),
			progressbar.OptionThrottle(200*time.Millisecond),
			progressbar.OptionShowCount(),
			progressbar.OptionOnCompletion(func() { fmt.Fprintln(r.w) }),
		)
	}
	r.bar.Describe(fmt.Sprintf("%s (%d peers, up %s/s)", ts.Name, ts.PeersConnected, humanize.IBytes(uint64(ts.UpRate))))
	r.bar.Set64(ts.Done)
	if st.final {
		r.bar.Finish()
		fmt.Fprintln(r.w, doneLine(st))
	}
}
