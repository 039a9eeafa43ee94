package main

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// leecher is one downloader's figures, in seconds since its start: the
// common start for the N leechers, its own start for a late joiner.
type leecher struct {
	FirstPiece float64 // first verified bytes
	Done       float64 // complete; 0 if it never completed
}

// p2pRun is one P2P run: N leechers started together, then the late
// joiners, all seeding until the last one completes.
type p2pRun struct {
	Active string // the publisher's active source: "on" or "off"
	Main   []leecher
	LateAt float64 // seconds after the common start the late joiners began
	Late   []leecher
	Source publishStatus // the publisher's counters when the last leecher completed
	// SuperSeeded: the publisher said it super-seeds at some point, so
	// "on" can be told apart from a publisher without an active source.
	SuperSeeded bool
}

type result struct {
	sc    scenario
	TStar float64
	Runs  []p2pRun      // one per active-source setting
	CS    []leecher     // client/server baseline; nil if not run
	CSSrc publishStatus // the baseline publisher's counters
}

// options are the command-line choices every scenario shares.
type options struct {
	getFlags []string
	pubFlags []string
	baseline bool
	compare  bool    // run P2P with the active source on, then off
	late     int     // late joiners per P2P run
	lateAt   float64 // seconds after the start; < 0 means T*/2, rounded
}

// variant is one P2P run's publisher setting.
type variant struct {
	active   string
	pubFlags []string
}

// variants are the P2P runs of a scenario: the publisher's default (active
// source on) and, when comparing, the same with the active source off.
func variants(o options) []variant {
	if !o.compare {
		return []variant{{activeLabel(o.pubFlags), o.pubFlags}}
	}
	off := append(slices.Clone(o.pubFlags), "--active-source=false")
	return []variant{{"on", o.pubFlags}, {"off", off}}
}

// activeLabel says whether flags leave the active source on, its default.
func activeLabel(flags []string) string {
	label := "on"
	for _, f := range flags {
		if v, ok := activeValue(f); ok && !v {
			label = "off"
		} else if ok {
			label = "on"
		}
	}
	return label
}

// activeValue parses one --active-source flag ("--active-source",
// "--active-source=false"); ok is false for any other flag.
func activeValue(f string) (v, ok bool) {
	name, val, hasVal := strings.Cut(f, "=")
	if name != "--active-source" {
		return false, false
	}
	if !hasVal {
		return true, true
	}
	b, err := strconv.ParseBool(val)
	return b, err == nil
}

// hasActiveFlag reports whether flags set --active-source themselves.
func hasActiveFlag(flags []string) bool {
	for _, f := range flags {
		if strings.HasPrefix(f, "--active-source") {
			return true
		}
	}
	return false
}

// tStar is the fluid-model lower bound on the slowest completion.
func tStar(sc scenario) float64 {
	f := float64(sc.Size)
	u, up, d := float64(sc.Up*kib), float64(sc.PeerUp*kib), float64(sc.PeerDn*kib)
	t := max(f/u, float64(sc.N)*f/(u+float64(sc.N)*up))
	if d > 0 {
		t = max(t, f/d)
	}
	return t
}

// deadline gives up on a run far beyond any sane completion.
func deadline(sc scenario) time.Duration {
	cs := float64(sc.N) * float64(sc.Size) / float64(sc.Up*kib)
	return time.Duration(max(3*cs, 300)) * time.Second
}

// lateStart is when late joiners start, in seconds after the common start.
func lateStart(o options, tstar float64) float64 {
	if o.lateAt >= 0 {
		return o.lateAt
	}
	return math.Round(tstar / 2)
}

func runScenario(sc scenario, o options) (result, error) {
	r := result{sc: sc, TStar: tStar(sc)}
	tmp, err := os.MkdirTemp("", "benchswarm-"+sc.Name+"-")
	if err != nil {
		return r, err
	}
	if keepTemp {
		fmt.Printf("keeping logs in %s\n", tmp)
	} else {
		defer os.RemoveAll(tmp)
	}
	src := filepath.Join(tmp, "src", fmt.Sprintf("swarm-%s.bin", sc.Name))
	sum, err := writeRandom(src, sc.Size)
	if err != nil {
		return r, err
	}
	fmt.Printf("scenario %s: F=%d MiB N=%d U=%d u=%d d=%d KiB/s, T*=%.1f s\n",
		sc.Name, sc.Size/mib, sc.N, sc.Up, sc.PeerUp, sc.PeerDn, r.TStar)
	lateAt := lateStart(o, r.TStar)
	for _, v := range variants(o) {
		fmt.Printf("scenario %s: P2P, active source %s, %d late joiners at %.0f s\n", sc.Name, v.active, o.late, lateAt)
		s := &swarm{sc: sc, dir: filepath.Join(tmp, "p2p-active-"+v.active), getFlags: o.getFlags}
		run, err := s.run(src, v.pubFlags, o.late, lateAt)
		if err != nil {
			return r, fmt.Errorf("P2P run, active source %s: %w", v.active, err)
		}
		run.Active = v.active
		r.Runs = append(r.Runs, run)
	}
	if o.baseline {
		fmt.Printf("scenario %s: client/server baseline\n", sc.Name)
		if r.CS, r.CSSrc, err = runCS(sc, tmp, src, sum); err != nil {
			return r, err
		}
	}
	return r, nil
}

func writeRandom(path string, size int64) ([32]byte, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return [32]byte{}, err
	}
	f, err := os.Create(path)
	if err != nil {
		return [32]byte{}, err
	}
	defer f.Close()
	h := sha256.New()
	rng := rand.NewChaCha8([32]byte{byte(size), 7})
	if _, err := io.CopyN(io.MultiWriter(f, h), rng, size); err != nil {
		return [32]byte{}, err
	}
	return [32]byte(h.Sum(nil)), f.Close()
}

type getStatus struct {
	Done     int64 `json:"done"`
	Complete bool  `json:"complete"`
}

// swarm is one P2P run's leechers, all `get --seed` on one magnet.
type swarm struct {
	sc       scenario
	dir      string
	getFlags []string
	magnet   string
	mu       sync.Mutex // guards the leechers' figures
	wg       sync.WaitGroup
	gets     []*child
}

// run starts the publisher, then the N leechers at once, then the late
// joiners lateAt seconds later; each keeps seeding (--seed) until the last
// completes, as the fluid model assumes for the N.
func (s *swarm) run(src string, pubFlags []string, late int, lateAt float64) (p2pRun, error) {
	run := p2pRun{Main: make([]leecher, s.sc.N), Late: make([]leecher, late), LateAt: lateAt}
	pub, err := startPublisher(filepath.Join(s.dir, "publish"), src, s.sc.Up, pubFlags)
	if err != nil {
		return run, err
	}
	defer pub.stop()
	defer s.stopAll()
	s.magnet = pub.magnetLink()
	start := time.Now()
	for i := range run.Main {
		if err := s.startLeecher(fmt.Sprintf("get%02d", i), start, &run.Main[i]); err != nil {
			return run, err
		}
	}
	time.Sleep(time.Until(start.Add(time.Duration(lateAt * float64(time.Second)))))
	for i := range run.Late {
		// Each late joiner's figures count from its own start.
		if err := s.startLeecher(fmt.Sprintf("late%02d", i), time.Now(), &run.Late[i]); err != nil {
			return run, err
		}
	}
	waitTimeout(&s.wg, time.Until(start.Add(deadline(s.sc))))
	// One more status tick, so the publisher's counters include the end.
	time.Sleep(2 * time.Second)
	run.Source, run.SuperSeeded = pub.status(), pub.superSeeding()
	s.stopAll()
	s.mu.Lock()
	defer s.mu.Unlock()
	return run, nil
}

// startLeecher starts one `get` and fills in l, in seconds since start.
func (s *swarm) startLeecher(name string, start time.Time, l *leecher) error {
	dir := filepath.Join(s.dir, name)
	args := []string{"get", s.magnet, "--home", filepath.Join(dir, "home"), "--dir", filepath.Join(dir, "dl"),
		"--listen", "127.0.0.1:0", "--json", "--seed", "--up-limit", fmt.Sprint(s.sc.PeerUp)}
	if s.sc.PeerDn > 0 {
		args = append(args, "--down-limit", fmt.Sprint(s.sc.PeerDn))
	}
	args = append(args, s.getFlags...)
	s.wg.Add(1)
	var once sync.Once
	c, err := startChild(name, dir, args, func(line string) {
		var st getStatus
		if json.Unmarshal([]byte(line), &st) != nil {
			return
		}
		at := time.Since(start).Seconds()
		s.mu.Lock()
		defer s.mu.Unlock()
		if st.Done > 0 && l.FirstPiece == 0 {
			l.FirstPiece = at
		}
		if st.Complete && l.Done == 0 {
			l.Done = at
			once.Do(s.wg.Done)
		}
	})
	if err != nil {
		s.wg.Done()
		return err
	}
	go func() { <-c.done; once.Do(s.wg.Done) }()
	s.gets = append(s.gets, c)
	return nil
}

// stopAll stops every leecher; stopping twice is harmless.
func (s *swarm) stopAll() {
	for _, g := range s.gets {
		g.stop()
	}
	s.gets = nil
}

// runCS is the client/server baseline: N plain HTTP downloads from the
// publisher's web seed at once, each capped at d, all sharing U.
func runCS(sc scenario, tmp, src string, sum [32]byte) ([]leecher, publishStatus, error) {
	// Unlimited direct clients: every HTTP client is served, as in C/S.
	pub, err := startPublisher(filepath.Join(tmp, "cs-publish"), src, sc.Up, []string{"--max-direct", "-1"})
	if err != nil {
		return nil, publishStatus{}, err
	}
	defer pub.stop()
	fileURL, err := webSeedFileURL(pub.magnetLink(), filepath.Base(src))
	if err != nil {
		return nil, publishStatus{}, err
	}
	out := make([]leecher, sc.N)
	var wg sync.WaitGroup
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), deadline(sc))
	defer cancel()
	var errs []error
	var mu sync.Mutex
	for i := range sc.N {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l, err := httpDownload(ctx, fileURL, sc.PeerDn*kib, sum, start)
			mu.Lock()
			defer mu.Unlock()
			out[i] = l
			if err != nil {
				errs = append(errs, err)
			}
		}()
	}
	wg.Wait()
	time.Sleep(2 * time.Second)
	if len(errs) > 0 {
		return out, pub.status(), fmt.Errorf("client/server baseline: %v", errs[0])
	}
	return out, pub.status(), nil
}

func webSeedFileURL(magnet, name string) (string, error) {
	u, err := url.Parse(magnet)
	if err != nil {
		return "", err
	}
	ws := u.Query().Get("ws")
	if ws == "" {
		return "", fmt.Errorf("the magnet has no web seed")
	}
	return ws + url.PathEscape(name), nil
}

// httpDownload fetches url at most at bytesPerSec (0 = unlimited) and
// checks its hash.
func httpDownload(ctx context.Context, url string, bytesPerSec int64, sum [32]byte, start time.Time) (leecher, error) {
	var l leecher
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return l, err
	}
	// A fresh transport per client: separate TCP connections, like
	// separate machines.
	client := &http.Client{Transport: &http.Transport{}}
	resp, err := client.Do(req)
	if err != nil {
		return l, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return l, fmt.Errorf("web seed answered %s", resp.Status)
	}
	lim := rate.NewLimiter(rate.Inf, 0)
	if bytesPerSec > 0 {
		lim = rate.NewLimiter(rate.Limit(bytesPerSec), 16*kib)
	}
	h := sha256.New()
	buf := make([]byte, 16*kib)
	for {
		if err := lim.WaitN(ctx, len(buf)); err != nil {
			return l, err
		}
		n, err := resp.Body.Read(buf)
		if n > 0 && l.FirstPiece == 0 {
			l.FirstPiece = time.Since(start).Seconds()
		}
		h.Write(buf[:n])
		if err == io.EOF {
			break
		}
		if err != nil {
			return l, err
		}
	}
	if [32]byte(h.Sum(nil)) != sum {
		return l, fmt.Errorf("downloaded bytes do not match the file")
	}
	l.Done = time.Since(start).Seconds()
	return l, nil
}

func waitTimeout(wg *sync.WaitGroup, d time.Duration) bool {
	ch := make(chan struct{})
	go func() { wg.Wait(); close(ch) }()
	select {
	case <-ch:
		return true
	case <-time.After(d):
		return false
	}
}
