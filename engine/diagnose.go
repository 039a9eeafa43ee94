package engine

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Diagnose probes a torrent's trackers and web seeds and says in one line
// which cannot be reached; "" when every one answered.
func (s *Session) Diagnose(ctx context.Context, infoHash string) string {
	h, err := s.lookup(infoHash)
	if err != nil {
		return err.Error()
	}
	s.mu.Lock()
	rec := h.rec
	s.mu.Unlock()
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	var problems []string
	if len(rec.Trackers) == 0 && len(rec.WebSeeds) == 0 {
		problems = append(problems, "the link names no tracker or web seed")
	}
	for _, u := range rec.Trackers {
		if p := s.probe(ctx, "tracker", u); p != "" {
			problems = append(problems, p)
		}
	}
	for _, u := range rec.WebSeeds {
		if p := s.probe(ctx, "web seed", u); p != "" {
			problems = append(problems, p)
		}
	}
	return strings.Join(problems, "; ")
}

// probe checks that an http(s) URL's server answers at all; any HTTP
// status counts as reachable because trackers reject bare requests.
func (s *Session) probe(ctx context.Context, what, raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Sprintf("%s %s is not a valid URL", what, raw)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return ""
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, raw, nil)
	if err != nil {
		return fmt.Sprintf("%s %s: %v", what, raw, err)
	}
	resp, err := s.http.Do(req)
	if err != nil {
		return fmt.Sprintf("%s %s is unreachable (%v)", what, raw, rootCause(err))
	}
	resp.Body.Close()
	if what == "web seed" && resp.StatusCode >= 400 && resp.StatusCode != http.StatusServiceUnavailable {
		return fmt.Sprintf("%s %s answered %s", what, raw, resp.Status)
	}
	return ""
}

// rootCause strips the URL-and-operation wrapping of net errors, which the
// message already names.
func rootCause(err error) error {
	for {
		u, ok := err.(interface{ Unwrap() error })
		if !ok || u.Unwrap() == nil {
			return err
		}
		err = u.Unwrap()
	}
}
