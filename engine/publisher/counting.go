package publisher

import (
	"io"
	"net/http"
	"sync/atomic"
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
