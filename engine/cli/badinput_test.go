package cli_test

import (
	"encoding/hex"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fairshare/storage"
)

// seededHome is a home whose state already holds one torrent record, so
// that "unchanged" means more than "still empty".
func seededHome(t *testing.T) string {
	t.Helper()
	home := filepath.Join(t.TempDir(), "home")
	db, err := storage.Open(home)
	if err != nil {
		t.Fatal(err)
	}
	ih := strings.Repeat("ab", 20)
	err = db.PutTorrent(storage.Torrent{
		InfoHash:   ih,
		Source:     "magnet:?xt=urn:btih:" + ih + "&dn=already+here",
		Name:       "already here",
		SaveDir:    filepath.Join(t.TempDir(), "downloads"),
		Added:      time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC),
		Uploaded:   123,
		Downloaded: 456,
		Trackers:   []string{"http://127.0.0.1:1/announce"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return home
}

// randomHash is a hex info hash from a seeded generator.
func randomHash(seed uint64) string {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	var b [20]byte
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return hex.EncodeToString(b[:])
}

// unreachableMagnet names a random torrent whose only tracker refuses
// connections.
func unreachableMagnet(seed uint64) string {
	return "magnet:?xt=urn:btih:" + randomHash(seed) + "&dn=nowhere&tr=" +
		url.QueryEscape("http://127.0.0.1:1/announce")
}

// TestGetBadInput: every bad input fails with a non-zero exit, one
// "fairshare: " line on stderr saying what is wrong, and no change to the
// state file.
func TestGetBadInput(t *testing.T) {
	t.Parallel()
	scratch := t.TempDir()
	junk := filepath.Join(scratch, "junk.torrent")
	writeRandomFile(t, junk, 4096, 600)
	notInfo := filepath.Join(scratch, "noinfo.torrent")
	if err := os.WriteFile(notInfo, []byte("d8:announce9:somewhere4:infoi1ee"), 0o644); err != nil {
		t.Fatal(err)
	}
	regular := filepath.Join(scratch, "regular-file")
	if err := os.WriteFile(regular, []byte("not a folder"), 0o644); err != nil {
		t.Fatal(err)
	}
	good := unreachableMagnet(601)

	cases := []struct {
		name   string
		source string
		dir    string   // "" = a fresh folder
		extra  []string // more flags
		want   []string // substrings of the message
		// slow: the command gets as far as starting the torrent, so it
		// prints status lines and takes the stall timeout.
		slow bool
	}{
		{name: "magnet without xt", source: "magnet:?dn=x&tr=http%3A%2F%2F127.0.0.1%3A1%2Fannounce",
			want: []string{"magnet", "no BitTorrent info hash"}},
		{name: "magnet hash of 39 chars", source: "magnet:?xt=urn:btih:" + randomHash(602)[:39],
			want: []string{"39 characters"}},
		{name: "magnet hash not hex", source: "magnet:?xt=urn:btih:" + strings.Repeat("zq", 20),
			want: []string{"not valid hex or base32"}},
		{name: "magnet with an empty hash", source: "magnet:?xt=urn:btih:",
			want: []string{"0 characters"}},
		{name: "missing torrent file", source: filepath.Join(scratch, "nope.torrent"),
			want: []string{"nope.torrent", "neither a magnet link nor an existing .torrent file"}},
		{name: "random bytes", source: junk,
			want: []string{"junk.torrent", "not a .torrent file"}},
		{name: "bencode without info", source: notInfo,
			want: []string{"noinfo.torrent", "info section is missing or damaged"}},
		{name: "folder as source", source: scratch,
			want: []string{"is a folder, not a .torrent file"}},
		{name: "empty source", source: "",
			want: []string{"paste a magnet link"}},
		{name: "download dir under a regular file", source: good, dir: filepath.Join(regular, "sub"),
			want: []string{"cannot create download folder", "regular-file"}},
		{name: "download dir is a regular file", source: good, dir: regular,
			want: []string{"cannot create download folder", "regular-file"}},
		{name: "--seed with another completion action", source: good, extra: []string{"--seed", "--on-complete", "stop"},
			want: []string{"--seed means --on-complete seed"}},
		{name: "unknown completion action", source: good, extra: []string{"--on-complete", "forever"},
			want: []string{"forever", "choose stop, seed-to-ratio or seed"}},
		{name: "negative ratio", source: good, extra: []string{"--ratio", "-1"},
			want: []string{"--ratio -1 is negative", "0 to turn fairness off"}},
		{name: "unreachable tracker", source: unreachableMagnet(603), extra: []string{"--stall-timeout", "3s"},
			want: []string{"tracker http://127.0.0.1:1/announce", "unreachable"}, slow: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			home := seededHome(t)
			dir := tc.dir
			if dir == "" {
				dir = filepath.Join(t.TempDir(), "downloads")
			}
			before := stateDump(t, home)
			args := append(getArgs(tc.source, home, dir), tc.extra...)
			r := runCLI(t, cmdTimeout, args...)
			msg := assertOneErrorLine(t, r)
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("message %q should mention %q", msg, w)
				}
			}
			if !tc.slow {
				if len(r.lines) != 0 {
					t.Errorf("bad input printed status lines: %q", r.lines)
				}
				if el := r.p.elapsed(); el > 10*time.Second {
					t.Errorf("bad input took %s to be refused", el)
				}
			}
			if after := stateDump(t, home); after != before {
				t.Errorf("state changed by a failed get:\nbefore:\n%s\nafter:\n%s", before, after)
			}
		})
	}
}

// TestSecondInstanceSameHome: a second process on a home that a running
// get or publish holds fails within 2 s saying so, and the first one goes
// on undisturbed. Not parallel: the 2 s bound is measured before the
// parallel tests load the machine.
func TestSecondInstanceSameHome(t *testing.T) {
	src := filepath.Join(t.TempDir(), "held.bin")
	writeRandomFile(t, src, 300_000, 700)

	assertRefused := func(t *testing.T, holder *proc, home string) {
		t.Helper()
		dir := t.TempDir()
		for _, args := range [][]string{
			getArgs(unreachableMagnet(701), home, dir),
			{"publish", src, "--home", home, "--listen", "127.0.0.1:0", "--tracker-addr", "127.0.0.1:0", "--json"},
			{"list", "--home", home, "--json"},
		} {
			r := runCLI(t, cmdTimeout, args...)
			msg := assertOneErrorLine(t, r)
			if !strings.Contains(msg, "Fairshare is already running") {
				t.Errorf("%s: message %q should say \"Fairshare is already running\"", args[0], msg)
			}
			t.Logf("%s refused in %s: %s", args[0], r.p.elapsed().Round(time.Millisecond), msg)
			if el := r.p.elapsed(); el > 2*time.Second {
				t.Errorf("%s: refused only after %s, want within 2s", args[0], el)
			}
		}
		if holder.hasExited() {
			t.Errorf("the first process died while a second one tried its home\n%s", holder.dump())
		}
	}

	t.Run("while get holds it", func(t *testing.T) {
		home, dir := filepath.Join(t.TempDir(), "home"), t.TempDir()
		holder := startCLI(t, "get", unreachableMagnet(702), "--home", home, "--dir", dir,
			"--listen", "127.0.0.1:0", "--json", "--stall-timeout", "0")
		holder.waitLines(cmdTimeout, "the first get's status", func(l []string) bool { return len(l) >= 1 })
		assertRefused(t, holder, home)
	})
	t.Run("while publish holds it", func(t *testing.T) {
		holder := startPublish(t, src)
		assertRefused(t, holder.proc, holder.home)
		n := len(holder.Lines())
		holder.waitLines(cmdTimeout, "publish still reporting", func(l []string) bool { return len(l) > n })
	})
}

// TestVersion: `version` and `--version` print the version the binary was
// built with.
func TestVersion(t *testing.T) {
	t.Parallel()
	for _, arg := range []string{"version", "--version"} {
		r := runCLI(t, cmdTimeout, arg)
		if r.code != 0 || r.stderr != "" {
			t.Fatalf("%s failed\n%s", arg, r.p.dump())
		}
		if len(r.lines) != 1 || r.lines[0] != "fairshare test" {
			t.Errorf("%s printed %q, want [\"fairshare test\"]", arg, r.lines)
		}
	}
}

// TestCreateWithoutOutput: `create` needs -o and says so.
func TestCreateWithoutOutput(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := filepath.Join(dir, "c.bin")
	writeRandomFile(t, src, 100_000, 800)
	r := runCLI(t, cmdTimeout, "create", src, "--webseed", "http://127.0.0.1:9/webseed/")
	msg := assertOneErrorLine(t, r)
	if !strings.Contains(msg, `"output"`) || !strings.Contains(msg, "required") {
		t.Errorf("message %q should say the output flag (-o) is required", msg)
	}
	if len(r.lines) != 0 {
		t.Errorf("create without -o printed %q", r.lines)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("create without -o left files next to its source: %v", entries)
	}
}

// TestGetInterrupted: SIGINT stops a get with exit code 130, a final JSON
// line and one stderr line saying how to resume; the torrent stays stored.
func TestGetInterrupted(t *testing.T) {
	t.Parallel()
	home, dir := filepath.Join(t.TempDir(), "home"), t.TempDir()
	magnet := unreachableMagnet(1100)
	p := startCLI(t, "get", magnet, "--home", home, "--dir", dir,
		"--listen", "127.0.0.1:0", "--json", "--stall-timeout", "0")
	p.waitLines(cmdTimeout, "the first status line", func(l []string) bool { return len(l) >= 1 })
	if err := p.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	code := p.wait(cmdTimeout)
	r := result{p: p, code: code, lines: p.Lines(), stderr: p.Stderr()}
	msg := assertOneErrorLine(t, r)
	if code != 130 {
		t.Errorf("exit code %d after SIGINT, want 130", code)
	}
	if !strings.Contains(msg, "interrupted") || !strings.Contains(msg, "resume") {
		t.Errorf("message %q should say it was interrupted and how to resume", msg)
	}
	final := finalStatus(t, r)
	if final.Complete {
		t.Errorf("final status of an interrupted get says complete")
	}
	if !strings.Contains(stateDump(t, home), randomHash(1100)) {
		t.Errorf("the interrupted torrent is not in the state, so it cannot be resumed")
	}
}
