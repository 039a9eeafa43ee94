package main

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// leecher is one downloader's figures, in seconds since the common start.
type leecher struct {
	FirstPiece float64 // first verified bytes
	Done       float64 // complete; 0 if it never completed
}

type result struct {
	sc     scenario
	TStar  float64
	P2P    []leecher
	Source publishStatus // the publisher's counters when the last leecher completed
	CS     []leecher     // client/server baseline; nil if not run
	CSSrc  publishStatus
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

func runScenario(sc scenario, getFlags, pubFlags []string, baseline bool) (result, error) {
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
	if r.P2P, r.Source, err = runP2P(sc, tmp, src, getFlags, pubFlags); err != nil {
		return r, err
	}
	if baseline {
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

// runP2P starts the publisher, then N leechers at once; each keeps seeding
// (--seed) until the slowest completes, as the fluid model assumes.
func runP2P(sc scenario, tmp, src string, getFlags, pubFlags []string) ([]leecher, publishStatus, error) {
	pub, err := startPublisher(filepath.Join(tmp, "p2p-publish"), src, sc.Up, pubFlags)
	if err != nil {
		return nil, publishStatus{}, err
	}
	defer pub.stop()
	magnet := pub.magnetLink()
	out := make([]leecher, sc.N)
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := time.Now()
	var gets []*child
	for i := range sc.N {
		dir := filepath.Join(tmp, fmt.Sprintf("p2p-get%02d", i))
		args := []string{"get", magnet, "--home", filepath.Join(dir, "home"), "--dir", filepath.Join(dir, "dl"),
			"--listen", "127.0.0.1:0", "--json", "--seed", "--up-limit", fmt.Sprint(sc.PeerUp)}
		if sc.PeerDn > 0 {
			args = append(args, "--down-limit", fmt.Sprint(sc.PeerDn))
		}
		args = append(args, getFlags...)
		wg.Add(1)
		var once sync.Once
		c, err := startChild(fmt.Sprint("get", i), dir, args, func(l string) {
			var st getStatus
			if json.Unmarshal([]byte(l), &st) != nil {
				return
			}
			at := time.Since(start).Seconds()
			mu.Lock()
			defer mu.Unlock()
			if st.Done > 0 && out[i].FirstPiece == 0 {
				out[i].FirstPiece = at
			}
			if st.Complete && out[i].Done == 0 {
				out[i].Done = at
				once.Do(wg.Done)
			}
		})
		if err != nil {
			return nil, publishStatus{}, err
		}
		go func() { <-c.done; once.Do(wg.Done) }()
		gets = append(gets, c)
	}
	waitTimeout(&wg, deadline(sc))
	// One more status tick, so the publisher's counters include the end.
	time.Sleep(2 * time.Second)
	st := pub.status()
	for _, g := range gets {
		g.stop()
	}
	mu.Lock()
	defer mu.Unlock()
	return out, st, nil
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
