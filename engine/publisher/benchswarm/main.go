// Command benchswarm measures a publisher swarm: one `fairshare publish`
// with upload cap U and N `fairshare get` leechers started together (each
// capped at u up, d down), as separate processes on loopback, against the
// fluid-model bound T* = max(F/U, F/d, N·F/(U + N·u)); and, in the same
// run, the client/server baseline: N plain HTTP downloads of the file from
// the same publisher's web seed, which shares the cap U.
//
// L late joiners (-late) start -late-at seconds into each P2P run; their
// time to first verified bytes and completion count from their own start,
// to see how fast a newcomer gets its first piece. With -compare-active
// each P2P run happens twice: publisher default (active source on), then
// with --active-source=false.
//
// It re-executes itself as the fairshare CLI (FAIRSHARE_BENCH_CHILD=1), so
// it needs no other binary. Run it with `make bench-swarm`.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"fairshare/engine/cli"
)

const (
	childEnv = "FAIRSHARE_BENCH_CHILD"
	argsEnv  = "FAIRSHARE_BENCH_ARGS"
	kib      = 1024
	mib      = 1024 * kib
)

// scenario is one swarm to measure. Rates are in KiB/s, 0 = unlimited.
type scenario struct {
	Name    string
	Size    int64 // F, bytes
	N       int
	Up      int64 // U: the publisher's cap
	PeerUp  int64 // u: each leecher's upload cap
	PeerDn  int64 // d: each leecher's download cap
	Comment string
}

// keepTemp keeps each scenario's folder for inspection (-keep).
var keepTemp bool

var scenarios = map[string]scenario{
	"A": {Name: "A", Size: 2 * mib, N: 10, Up: 100, PeerUp: 100, PeerDn: 100,
		Comment: "literature: P2P ~60 s, client/server 166 s"},
	"B": {Name: "B", Size: 64 * mib, N: 8, Up: 1024, PeerUp: 512},
}

func main() {
	if os.Getenv(childEnv) == "1" {
		var args []string
		if err := json.Unmarshal([]byte(os.Getenv(argsEnv)), &args); err != nil {
			fmt.Fprintf(os.Stderr, "benchswarm child: bad %s: %v\n", argsEnv, err)
			os.Exit(97)
		}
		os.Exit(cli.Run(args, "bench", os.Stdout, os.Stderr))
	}
	which := flag.String("scenarios", "A,B", "comma-separated scenarios to run (A, B)")
	out := flag.String("out", "docs", "folder for bench-swarm.csv, bench-swarm.md and bench-swarm.png")
	getFlags := flag.String("get-flags", "", "extra flags for every `get`, space-separated (e.g. \"--ratio 0\")")
	pubFlags := flag.String("publish-flags", "", "extra flags for `publish`, space-separated (e.g. \"--max-direct 4\")")
	flag.BoolVar(&keepTemp, "keep", false, "keep the temporary folder with every process's stdout.log and stderr.log")
	baseline := flag.Bool("baseline", true, "also run the client/server baseline")
	compare := flag.Bool("compare-active", true, "run each P2P part twice: active source on (publish default), then --active-source=false")
	late := flag.Int("late", 3, "leechers that join each P2P run late")
	lateAt := flag.Float64("late-at", -1, "seconds after the start the late joiners start (default: T*/2, rounded)")
	flag.Parse()
	o := options{getFlags: strings.Fields(*getFlags), pubFlags: strings.Fields(*pubFlags),
		baseline: *baseline, compare: *compare, late: *late, lateAt: *lateAt}
	if *late < 0 {
		fatalf("-late must be 0 or more")
	}
	if o.compare && hasActiveFlag(o.pubFlags) {
		fatalf("-compare-active sets --active-source itself: drop it from -publish-flags or pass -compare-active=false")
	}

	var results []result
	for _, name := range strings.Split(*which, ",") {
		sc, ok := scenarios[strings.TrimSpace(name)]
		if !ok {
			fatalf("unknown scenario %q: use A or B", name)
		}
		r, err := runScenario(sc, o)
		if err != nil {
			fatalf("scenario %s: %v", sc.Name, err)
		}
		printResult(os.Stdout, r)
		results = append(results, r)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fatalf("%v", err)
	}
	must(writeCSV(filepath.Join(*out, "bench-swarm.csv"), results))
	must(writeMarkdown(filepath.Join(*out, "bench-swarm.md"), results, o))
	must(writePNG(filepath.Join(*out, "bench-swarm.png"), results))
	fmt.Printf("wrote %s/bench-swarm.{csv,md,png}\n", *out)
}

func must(err error) {
	if err != nil {
		fatalf("%v", err)
	}
}

func fatalf(format string, a ...any) {
	fmt.Fprintf(os.Stderr, "benchswarm: "+format+"\n", a...)
	os.Exit(1)
}
