package publisher

import (
	"context"
	"io"
	"net/http"
	"sync/atomic"

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

// pacedWriter is a countingWriter that waits for limiter tokens before
// each chunk. It has no ReadFrom: sendfile would bypass the pacing.
type pacedWriter struct {
	http.ResponseWriter
	n       *atomic.Int64
	limiter *rate.Limiter
	ctx     context.Context
}

func (c pacedWriter) Write(p []byte) (written int, err error) {
	for len(p) > 0 {
		chunk := p[:min(len(p), pacedChunk)]
		if err := c.limiter.WaitN(c.ctx, len(chunk)); err != nil {
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

// Unwrap lets http.ResponseController reach the real writer.
func (c pacedWriter) Unwrap() http.ResponseWriter { return c.ResponseWriter }
