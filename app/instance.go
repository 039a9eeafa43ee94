package app

import (
	"bufio"
	"errors"
	"fmt"
	"log"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Single instance: the first Fairshare listens on a socket; a later launch
// (e.g. a magnet link clicked in a browser) hands its arguments to it and
// exits. The protocol is line based:
//
//	client: "add <source>\n" per argument, then "show\n", then ".\n"
//	server: "ok\n" once it has read the request
const (
	socketName      = "fairshare.sock"
	instanceTimeout = 5 * time.Second
	maxRequestLine  = 1 << 20 // magnets with many trackers get long
)

// request is what a second instance asks of the first.
type request struct {
	sources []string
	show    bool
}

// socketPath picks where the socket lives: under Home when set (tests and
// portable installs stay isolated), else the per-user runtime directory.
func socketPath(home string) (string, error) {
	if home != "" {
		// The engine creates Home only later; the socket comes first.
		if err := os.MkdirAll(home, 0o700); err != nil {
			return "", err
		}
		return filepath.Join(home, socketName), nil
	}
	if dir := os.Getenv("XDG_RUNTIME_DIR"); dir != "" {
		return filepath.Join(dir, socketName), nil
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	dir := filepath.Join(cache, "fairshare")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	return filepath.Join(dir, socketName), nil
}

// listenSocket and dialSocket use unix sockets on every platform; the
// build-tagged instance_*.go files only classify errors.
func listenSocket(path string) (net.Listener, error) {
	return net.Listen("unix", path)
}

func dialSocket(path string) (net.Conn, error) {
	return net.DialTimeout("unix", path, time.Second)
}

// instanceServer is the first instance's end of the socket.
type instanceServer struct {
	ln   net.Listener
	path string
}

// claimInstance either forwards sources to a running instance (forwarded
// is true and the caller should exit) or becomes the instance. A socket
// left by a crashed instance refuses connections; it is removed and
// reused.
func claimInstance(path string, sources []string) (srv *instanceServer, forwarded bool, err error) {
	for attempt := 0; attempt < 2; attempt++ {
		conn, err := dialSocket(path)
		if err == nil {
			return nil, true, sendRequest(conn, request{sources: sources, show: true})
		}
		if isStale(err) {
			os.Remove(path)
		}
		ln, err := listenSocket(path)
		if err == nil {
			return &instanceServer{ln: ln, path: path}, false, nil
		}
		if !isAddrInUse(err) {
			return nil, false, err
		}
		// Another instance started between our dial and listen: ask it.
		time.Sleep(100 * time.Millisecond)
	}
	return nil, false, fmt.Errorf("another instance owns %s but does not answer", path)
}

// sendRequest writes req and waits for the acknowledgement, so the second
// process exits only once the first has the sources.
func sendRequest(conn net.Conn, req request) error {
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(instanceTimeout))
	var b strings.Builder
	for _, s := range req.sources {
		if strings.ContainsAny(s, "\r\n") {
			continue // cannot be sent on one line, and is no valid source
		}
		b.WriteString("add " + s + "\n")
	}
	if req.show {
		b.WriteString("show\n")
	}
	b.WriteString(".\n")
	if _, err := conn.Write([]byte(b.String())); err != nil {
		return err
	}
	ack, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return fmt.Errorf("no answer from the running instance: %w", err)
	}
	if strings.TrimSpace(ack) != "ok" {
		return fmt.Errorf("running instance answered %q", strings.TrimSpace(ack))
	}
	return nil
}

// serve accepts requests until close, calling handle for each in its own
// goroutine (handle must hop to the UI thread itself).
func (s *instanceServer) serve(handle func(request)) {
	go func() {
		for {
			conn, err := s.ln.Accept()
			if err != nil {
				return // closed
			}
			go func() {
				req, err := readRequest(conn)
				if err != nil {
					log.Printf("fairshare: bad request from another instance: %v", err)
					return
				}
				handle(req)
			}()
		}
	}()
}

// readRequest reads one request and acknowledges it.
func readRequest(conn net.Conn) (request, error) {
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(instanceTimeout))
	var req request
	sc := bufio.NewScanner(conn)
	sc.Buffer(make([]byte, 0, 4096), maxRequestLine)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == ".":
			_, err := conn.Write([]byte("ok\n"))
			return req, err
		case line == "show":
			req.show = true
		case strings.HasPrefix(line, "add "):
			req.sources = append(req.sources, strings.TrimPrefix(line, "add "))
		default:
			conn.Write([]byte("error unknown command\n"))
			return req, fmt.Errorf("unknown command %q", line)
		}
	}
	if err := sc.Err(); err != nil {
		return req, err
	}
	return req, errors.New("request ended without \".\"")
}

// close stops accepting and removes the socket so the next launch does
// not have to treat it as stale.
func (s *instanceServer) close() {
	s.ln.Close()
	os.Remove(s.path)
}
