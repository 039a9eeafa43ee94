package engine

import (
	"context"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"sync"
	"time"

	"fairshare/engine/rtt"
)

const (
	// webSeedProbeEvery is far longer than the ping interval: each probe
	// is an HTTP request to somebody's server.
	webSeedProbeEvery = 10 * time.Second
	webSeedProbeLimit = 10 * time.Second
)

// webSeedRTT is one web seed host's request-latency estimate.
type webSeedRTT struct {
	est     rtt.Estimator
	probing bool
	last    time.Time
}

// probeWebSeeds starts a HEAD probe of each web seed host that is due.
// anacrolix's web seed requests are not exposed, so we time our own: from
// the request written to the first response byte on a kept-alive
// connection, which is one round trip plus the server's time to answer,
// hence the "request" label. Any status counts; only the timing matters.
func (s *Session) probeWebSeeds(now time.Time) {
	for _, h := range s.handles() {
		s.mu.Lock()
		running, seeds := h.t != nil, h.rec.WebSeeds
		s.mu.Unlock()
		if !running {
			continue
		}
		for _, u := range seeds {
			host, ok := s.rtt.webSeedDue(u, now)
			if !ok {
				continue
			}
			s.wg.Add(1)
			go s.probeWebSeed(u, host)
		}
	}
}

func (s *Session) probeWebSeed(rawURL, host string) {
	defer s.wg.Done()
	ctx, cancel := context.WithTimeout(context.Background(), webSeedProbeLimit)
	defer cancel()
	go func() {
		select {
		case <-s.stop:
			cancel()
		case <-ctx.Done():
		}
	}()
	d, ok := timeHead(ctx, s.http, rawURL)
	s.rtt.webSeedDone(host, time.Now(), d, ok)
}

// timeHead times one HEAD request from written to first response byte.
func timeHead(ctx context.Context, c *http.Client, rawURL string) (time.Duration, bool) {
	// The trace hooks run on the transport's goroutines.
	var mu sync.Mutex
	var wrote, first time.Time
	stamp := func(t *time.Time) {
		mu.Lock()
		*t = time.Now()
		mu.Unlock()
	}
	trace := &httptrace.ClientTrace{
		WroteRequest:         func(httptrace.WroteRequestInfo) { stamp(&wrote) },
		GotFirstResponseByte: func() { stamp(&first) },
	}
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, trace), http.MethodHead, rawURL, nil)
	if err != nil {
		return 0, false
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, false
	}
	resp.Body.Close()
	mu.Lock()
	defer mu.Unlock()
	if wrote.IsZero() || first.IsZero() {
		return 0, false
	}
	return first.Sub(wrote), true
}

// webSeedDue claims the next probe of rawURL's host if one is due.
func (b *rttBook) webSeedDue(rawURL string, now time.Time) (string, bool) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" {
		return "", false
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	w := b.webSeeds[u.Host]
	if w == nil {
		w = &webSeedRTT{est: rtt.Estimator{Source: rtt.SourceRequest}}
		b.webSeeds[u.Host] = w
	}
	if w.probing || (!w.last.IsZero() && now.Sub(w.last) < webSeedProbeEvery) {
		return "", false
	}
	w.probing, w.last = true, now
	return u.Host, true
}

func (b *rttBook) webSeedDone(host string, now time.Time, d time.Duration, ok bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if w := b.webSeeds[host]; w != nil {
		w.probing = false
		if ok {
			w.est.Add(now, d)
		}
	}
}

// webSeedEstimate is the estimate for a web seed peer, whose RemoteAddr
// prints as its URL's host.
func (b *rttBook) webSeedEstimate(host string) (rtt.Estimate, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	w := b.webSeeds[host]
	if w == nil || w.est.Estimate().Samples == 0 {
		return rtt.Estimate{}, false
	}
	return w.est.Estimate(), true
}
