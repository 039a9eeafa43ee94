package publisher

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	g "github.com/anacrolix/generics"
	"github.com/anacrolix/torrent/bencode"
	httpTrackerServer "github.com/anacrolix/torrent/tracker/http/server"
)

// announceQuery carries the announce parameters that anacrolix's HTTP
// handler parses but does not forward to GetPeers.
type announceQuery struct {
	peerID     [20]byte
	left       int64
	downloaded int64 // -1 when absent
	stopped    bool  // event=stopped: the peer is leaving
	numWant    g.Option[int]
}

type announceQueryKey struct{}

// Handler serves HTTP announces; mount it at /announce. It is anacrolix's
// tracker/http/server handler with two additions, because that handler
// ignores "numwant" (it always asks for up to 200 peers) and never sends
// "min interval".
//
// How a requester is identified (anacrolix v1.62): its IP is the host of
// http.Request.RemoteAddr (the Handler.RequestHost hook is left unset, so
// X-Forwarded-For and the "ip"/"ipv4"/"ipv6" query parameters are
// ignored) and its port is the "port" parameter. That pair is both where
// the peer is recorded and the address passed to GetPeers and AllowSource.
// Behind a reverse proxy every peer would get the proxy's IP.
func (t *Tracker) Handler() http.Handler {
	return announceEndpoint{
		inner:       httpTrackerServer.Handler{Announce: t.announce},
		minInterval: t.minInterval,
	}
}

type announceEndpoint struct {
	inner       httpTrackerServer.Handler
	minInterval time.Duration
}

func (h announceEndpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ctx := context.WithValue(r.Context(), announceQueryKey{}, parseAnnounceQuery(r.URL.Query()))
	var rec bufferedResponse
	h.inner.ServeHTTP(&rec, r.WithContext(ctx))
	body := rec.body.Bytes()
	if rec.status() == http.StatusOK {
		body = withMinInterval(body, h.minInterval)
	}
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "text/plain") // what BEP 3 trackers send
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(rec.status())
	w.Write(body)
}

// parseAnnounceQuery reads what anacrolix leaves out. Bad values are
// treated as absent: anacrolix has already rejected malformed required ones.
func parseAnnounceQuery(vs url.Values) announceQuery {
	q := announceQuery{left: -1, downloaded: -1}
	copy(q.peerID[:], vs.Get("peer_id"))
	if left, err := strconv.ParseInt(vs.Get("left"), 10, 64); err == nil && left >= 0 {
		q.left = left
	}
	q.stopped = vs.Get("event") == "stopped"
	if d, err := strconv.ParseInt(vs.Get("downloaded"), 10, 64); err == nil && d >= 0 {
		q.downloaded = d
	}
	if n, err := strconv.Atoi(vs.Get("numwant")); err == nil && n >= 0 {
		q.numWant = g.Some(n)
	}
	return q
}

// withMinInterval adds "min interval" to a bencoded announce response and
// drops the empty "failure reason" and "tracker id" that anacrolix always
// writes: by BEP 3 any "failure reason" makes the reply a failure, and
// libtorrent then ignores its peers. On anything unexpected the response
// goes out unchanged.
func withMinInterval(body []byte, minInterval time.Duration) []byte {
	var d map[string]bencode.Bytes
	if err := bencode.Unmarshal(body, &d); err != nil {
		return body
	}
	d["min interval"] = bencode.MustMarshal(int64(minInterval / time.Second))
	for _, key := range []string{"failure reason", "tracker id"} {
		if string(d[key]) == "0:" {
			delete(d, key)
		}
	}
	out, err := bencode.Marshal(d)
	if err != nil {
		return body
	}
	return out
}

// bufferedResponse holds anacrolix's response so it can be amended.
type bufferedResponse struct {
	header http.Header
	code   int
	body   bytes.Buffer
}

func (b *bufferedResponse) Header() http.Header {
	if b.header == nil {
		b.header = make(http.Header)
	}
	return b.header
}

func (b *bufferedResponse) WriteHeader(code int) {
	if b.code == 0 {
		b.code = code
	}
}

func (b *bufferedResponse) Write(p []byte) (int, error) {
	b.WriteHeader(http.StatusOK)
	return b.body.Write(p)
}

func (b *bufferedResponse) status() int {
	if b.code == 0 {
		return http.StatusOK
	}
	return b.code
}
