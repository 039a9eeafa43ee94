package interop

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
)

// netns is a network namespace joined to the test's namespace by a veth
// pair, with a default route through it. WebRTC stacks need it on a
// machine whose peers all run locally: pion never offers loopback
// candidates, and Chromium gathers no ICE candidates at all without an
// interface that has a default route. Everything WebRTC in these tests
// runs inside it and talks over nsIP; the test process reaches it (and
// is reached) at hostIP.
type netns struct {
	name   string
	hostIP string // the test's end of the veth
	nsIP   string // the namespace's end
}

var netnsSeq atomic.Int32

// requireNetns skips the test unless it may create network namespaces
// (root and iproute2), and fails it instead under CI=true.
func requireNetns(t *testing.T) {
	t.Helper()
	var why string
	if os.Geteuid() != 0 {
		why = "network namespaces need root"
	} else if _, err := exec.LookPath("ip"); err != nil {
		why = "iproute2's ip command is missing: apt-get install iproute2"
	}
	if why == "" {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatal(why)
	}
	t.Skip(why)
}

// newNetns creates a namespace with a fresh /24 that no interface here
// uses yet, and deletes it (with its veth) when the test ends. Register
// it before the processes that run inside it, so that they are stopped
// first.
func newNetns(t *testing.T) *netns {
	t.Helper()
	requireNetns(t)
	id := fmt.Sprintf("%d-%d", os.Getpid()%100000, netnsSeq.Add(1))
	n := &netns{name: "fsw" + id}
	subnet := freeSubnet(t)
	n.hostIP, n.nsIP = subnet+".1", subnet+".2"
	hostLink, nsLink := "fswh"+id, "fswn"+id
	ipCmd(t, "netns", "add", n.name)
	t.Cleanup(func() {
		// Deleting the namespace deletes its veth end and so the pair.
		if out, err := exec.Command("ip", "netns", "del", n.name).CombinedOutput(); err != nil {
			t.Errorf("deleting network namespace %s: %v: %s", n.name, err, out)
		}
		exec.Command("ip", "link", "del", hostLink).Run() // gone already unless setup failed halfway
	})
	ipCmd(t, "link", "add", hostLink, "type", "veth", "peer", "name", nsLink)
	ipCmd(t, "link", "set", nsLink, "netns", n.name)
	ipCmd(t, "addr", "add", n.hostIP+"/24", "dev", hostLink)
	ipCmd(t, "link", "set", hostLink, "up")
	ipCmd(t, "-n", n.name, "addr", "add", n.nsIP+"/24", "dev", nsLink)
	ipCmd(t, "-n", n.name, "link", "set", nsLink, "up")
	ipCmd(t, "-n", n.name, "link", "set", "lo", "up")
	ipCmd(t, "-n", n.name, "route", "add", "default", "via", n.hostIP)
	t.Logf("network namespace %s: veth %s (%s) <-> %s (%s), default route via %s", n.name, hostLink, n.hostIP, nsLink, n.nsIP, n.hostIP)
	return n
}

// freeSubnet picks 10.x.y (x in 100..249) not present on any interface
// here, so parallel tests and other namespaces on the machine do not
// share routes.
func freeSubnet(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("ip", "-o", "-4", "addr").Output()
	if err != nil {
		t.Fatalf("ip -4 addr: %v", err)
	}
	for range 100 {
		s := fmt.Sprintf("10.%d.%d", 100+rand.IntN(150), rand.IntN(256))
		if !strings.Contains(string(out), " "+s+".") {
			return s
		}
	}
	t.Fatal("no free 10.x.y.0/24 subnet for a test namespace")
	return ""
}

func ipCmd(t *testing.T, args ...string) {
	t.Helper()
	if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
		t.Fatalf("ip %s: %v: %s", strings.Join(args, " "), err, out)
	}
}

// command runs name inside the namespace.
func (n *netns) command(name string, args ...string) *exec.Cmd {
	return exec.Command("ip", append([]string{"netns", "exec", n.name, name}, args...)...)
}

// startCLI runs the Fairshare CLI inside the namespace as a child of the
// test binary; `ip netns exec` execs it, so the pid is the CLI's.
func (n *netns) startCLI(t *testing.T, name string, args ...string) *proc {
	t.Helper()
	exe, env := cliChild(t, args)
	cmd := n.command(exe)
	cmd.Env = env
	return start(t, name, cmd)
}
