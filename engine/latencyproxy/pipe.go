package latencyproxy

import (
	"errors"
	"io"
	"net"
	"sync/atomic"
	"time"
)

const (
	chunkSize = 32 << 10
	// queueChunks bounds what one direction holds back. Throughput is
	// capped near queueChunks*chunkSize per one-way delay (160 MiB/s at
	// 50 ms), far above what the tests move, while memory stays bounded.
	queueChunks = 256
)

// chunk is data read at one moment and due for writing at another.
type chunk struct {
	data []byte
	due  time.Time
}

// pump copies src to dst with every chunk delayed by oneWay. The reader
// stamps chunks and the writer sleeps until each stamp, so many chunks
// are in flight at once and the delay costs latency, not throughput.
// It returns only when both have exited, so Proxy.Close can wait for it.
func pump(pr *pair, src, dst net.Conn, oneWay time.Duration, count *atomic.Int64) {
	q := make(chan chunk, queueChunks)
	readerDone := make(chan struct{})
	go func() {
		defer close(readerDone)
		readChunks(pr, src, q, oneWay)
	}()
	writeChunks(pr, dst, q, count)
	// The writer leaves either after the reader closed q, or after an
	// abort, which closes src and so ends the reader's Read too.
	<-readerDone
}

// readChunks closes q on EOF so the writer can drain it and half-close;
// any other read error aborts the pair, since a reset should not be
// turned into a clean end of stream.
func readChunks(pr *pair, src net.Conn, q chan<- chunk, oneWay time.Duration) {
	buf := make([]byte, chunkSize)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			c := chunk{data: append([]byte(nil), buf[:n]...), due: time.Now().Add(oneWay)}
			select {
			case q <- c:
			case <-pr.done:
				return
			}
		}
		if errors.Is(err, io.EOF) {
			close(q)
			return
		}
		if err != nil {
			pr.abort()
			return
		}
	}
}

func writeChunks(pr *pair, dst net.Conn, q <-chan chunk, count *atomic.Int64) {
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		var c chunk
		var ok bool
		select {
		case c, ok = <-q:
		case <-pr.done:
			return
		}
		if !ok {
			closeWrite(pr, dst)
			return
		}
		if !sleepUntil(pr, timer, c.due) {
			return
		}
		n, err := dst.Write(c.data)
		count.Add(int64(n))
		if err != nil {
			pr.abort()
			return
		}
	}
}

// sleepUntil reports false if the pair was aborted while waiting.
func sleepUntil(pr *pair, timer *time.Timer, due time.Time) bool {
	d := time.Until(due)
	if d <= 0 {
		return true
	}
	timer.Reset(d)
	select {
	case <-timer.C:
		return true
	case <-pr.done:
		return false
	}
}

// closeWrite passes the end of stream on. Without half-close support
// (never the case for TCP) the only faithful option is to end the pair.
func closeWrite(pr *pair, dst net.Conn) {
	cw, ok := dst.(interface{ CloseWrite() error })
	if !ok || cw.CloseWrite() != nil {
		pr.abort()
	}
}
