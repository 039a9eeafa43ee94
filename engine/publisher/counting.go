package publisher

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"
)

// countingWriter adds the body bytes it writes to n.
type countingWriter struct {
	http.ResponseWriter
	n *atomic.Int64
}

func (c countingWriter) Write(p []byte) (int, error) {
	n, err := c.ResponseWriter.Write(p)
	c.n.Add(int64(n))
	return n, err
}

// ReadFrom keeps net/http's sendfile path, which http.ServeContent uses
// through io.Copy, while still counting.
func (c countingWriter) ReadFrom(r io.Reader) (int64, error) {
	n, err := io.Copy(c.ResponseWriter, r)
	c.n.Add(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the real writer.
func (c countingWriter) Unwrap() http.ResponseWriter { return c.ResponseWriter }

// pacedChunk is how much a pacedWriter sends per limiter token wait: one
// BitTorrent block, as anacrolix paces its peer uploads, so both share the
// cap fairly and a cancelled request has little in flight.
const pacedChunk = 16 << 10

// pacedWriter is a countingWriter that takes limiter tokens before each
// chunk, and stops when keep says the client should now get its data
// elsewhere. It has no ReadFrom: sendfile would bypass the pacing.
type pacedWriter struct {
	http.ResponseWriter
	n       *atomic.Int64
	limiter *rate.Limiter
	ctx     context.Context
	keep    func() bool
}

// errUsePeers ends a response whose client gets the data over BitTorrent.
var errUsePeers = errors.New("client now gets the data from peers")

func (c pacedWriter) Write(p []byte) (written int, err error) {
	for len(p) > 0 {
		chunk := p[:min(len(p), pacedChunk)]
		if !c.keep() {
			return written, errUsePeers
		}
		if err := takeTokens(c.ctx, c.limiter, len(chunk)); err != nil {
			return written, err
		}
		n, err := c.ResponseWriter.Write(chunk)
		written += n
		c.n.Add(int64(n))
		if err != nil {
			return written, err
		}
		p = p[len(chunk):]
	}
	return written, nil
}

// takeTokens waits for n tokens the way anacrolix's peer uploads do
// (reserve, and if that means waiting, cancel and retry later) rather than
// queueing a reservation as rate.Limiter.WaitN does: queued reservations
// always win over anacrolix's cancel-and-retry, so a busy web seed would
// starve the source's peer connections of the shared cap.
func takeTokens(ctx context.Context, l *rate.Limiter, n int) error {
	for {
		r := l.ReserveN(time.Now(), n)
		if !r.OK() {
			return fmt.Errorf("web seed chunk of %d bytes exceeds the limiter burst", n)
		}
		d := r.Delay()
		if d == 0 {
			return nil
		}
		r.Cancel()
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// Unwrap lets http.ResponseController reach the real writer.
func (c pacedWriter) Unwrap() http.ResponseWriter { return c.ResponseWriter }
