package app

import (
	"net"
	"os"
	"path/filepath"
	"testing"
)

// A second launch (a real Run call) hands its magnet and a relative
// .torrent path to the running instance, which also gets asked to show
// itself; Run then returns at once without starting an engine or a window.
func TestRunForwardsToRunningInstance(t *testing.T) {
	home := t.TempDir()
	server, forwarded, err := startInstance(Options{Home: home})
	if err != nil || forwarded || server == nil {
		t.Fatalf("first instance: server=%v forwarded=%v err=%v", server, forwarded, err)
	}
	defer server.close()
	got := make(chan request, 1)
	server.serve(func(r request) { got <- r })

	if err := Run(Options{Home: home, Args: []string{goodMagnet, "atlas.torrent"}}); err != nil {
		t.Fatalf("second Run: %v", err)
	}
	r := receive(t, got, "forwarded request")
	abs, _ := filepath.Abs("atlas.torrent")
	if len(r.sources) != 2 || r.sources[0] != goodMagnet || r.sources[1] != abs || !r.show {
		t.Fatalf("running instance got %+v", r)
	}
}

// A socket left behind by a crashed instance refuses connections; the next
// launch removes it and becomes the instance.
func TestStaleSocketIsReplaced(t *testing.T) {
	home := t.TempDir()
	path := filepath.Join(home, socketName)
	ln, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	ln.(*net.UnixListener).SetUnlinkOnClose(false)
	ln.Close() // the file stays, nobody listens: a crash leaves exactly this
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("stale socket not left behind: %v", err)
	}

	server, forwarded, err := startInstance(Options{Home: home})
	if err != nil || forwarded || server == nil {
		t.Fatalf("after a stale socket: server=%v forwarded=%v err=%v", server, forwarded, err)
	}
	got := make(chan request, 1)
	server.serve(func(r request) { got <- r })
	if _, forwarded, err := startInstance(Options{Home: home, Args: []string{goodMagnet}}); !forwarded || err != nil {
		t.Fatalf("the new socket does not answer: forwarded=%v err=%v", forwarded, err)
	}
	receive(t, got, "request on the new socket")

	server.close()
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("socket left behind after a clean exit: %v", err)
	}
}

// A garbled request gets no "ok", so the sender knows it failed.
func TestInstanceRejectsUnknownCommand(t *testing.T) {
	path := filepath.Join(t.TempDir(), socketName)
	server, _, err := claimInstance(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer server.close()
	server.serve(func(request) { t.Error("garbled request delivered") })
	conn, err := dialSocket(path)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.Write([]byte("launch missiles\n.\n"))
	buf := make([]byte, 64)
	n, _ := conn.Read(buf)
	if string(buf[:n]) == "ok\n" {
		t.Fatal("server acknowledged an unknown command")
	}
}
