package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"
)

// slowest is the largest completion time, or -1 if someone never completed.
func slowest(ls []leecher) float64 {
	s := 0.0
	for _, l := range ls {
		if l.Done == 0 {
			return -1
		}
		s = max(s, l.Done)
	}
	return s
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

func firstPieces(ls []leecher) []float64 {
	var ret []float64
	for _, l := range ls {
		ret = append(ret, l.FirstPiece)
	}
	return ret
}

func secs(x float64) string {
	if x < 0 {
		return "did not complete"
	}
	return fmt.Sprintf("%.1f s", x)
}

// printResult writes the human table for one scenario.
func printResult(w io.Writer, r result) {
	sc := r.sc
	fmt.Fprintf(w, "\nScenario %s: F = %s, N = %d, U = %d KiB/s, u = %d KiB/s, d = %s; T* = %.1f s\n",
		sc.Name, sizeText(sc.Size), sc.N, sc.Up, sc.PeerUp, rateText(sc.PeerDn), r.TStar)
	fmt.Fprintf(w, "%-8s %14s %14s %14s\n", "leecher", "P2P done", "P2P 1st piece", "C/S done")
	for i := range r.P2P {
		cs := "-"
		if i < len(r.CS) {
			cs = secs(orNever(r.CS[i].Done))
		}
		fmt.Fprintf(w, "%-8d %14s %14s %14s\n", i, secs(orNever(r.P2P[i].Done)), secs(r.P2P[i].FirstPiece), cs)
	}
	for _, line := range summaryLines(r) {
		fmt.Fprintln(w, line)
	}
}

func orNever(x float64) float64 {
	if x == 0 {
		return -1
	}
	return x
}

func summaryLines(r result) []string {
	p2p := slowest(r.P2P)
	lines := []string{
		fmt.Sprintf("P2P slowest %s = %.2f × T*; source uploaded %s = %.2f × F (peers %s, web seed %s); offload %.2f; direct clients peak %d of K=%s, %d sent to peers",
			secs(p2p), p2p/r.TStar, sizeText(r.Source.SourceBytes), float64(r.Source.SourceBytes)/float64(r.sc.Size),
			sizeText(r.Source.PeerBytes), sizeText(r.Source.WebSeed), r.Source.Offload, r.Source.Peak, kText(r.Source.MaxDirect), r.Source.Refused),
		fmt.Sprintf("P2P median time to first piece %.1f s", median(firstPieces(r.P2P))),
	}
	if r.CS != nil {
		cs := slowest(r.CS)
		lines = append(lines, fmt.Sprintf("C/S slowest %s = %.2f × T*; source uploaded %s = %.2f × F",
			secs(cs), cs/r.TStar, sizeText(r.CSSrc.SourceBytes), float64(r.CSSrc.SourceBytes)/float64(r.sc.Size)))
	}
	if r.sc.Comment != "" {
		lines = append(lines, "("+r.sc.Comment+")")
	}
	return lines
}

func kText(k int) string {
	if k == 0 {
		return "unlimited"
	}
	return fmt.Sprint(k)
}

func sizeText(n int64) string {
	if n >= mib {
		return fmt.Sprintf("%.1f MiB", float64(n)/mib)
	}
	return fmt.Sprintf("%.0f KiB", float64(n)/kib)
}

func rateText(k int64) string {
	if k == 0 {
		return "unlimited"
	}
	return fmt.Sprintf("%d KiB/s", k)
}

// writeCSV writes one row per leecher and mode, then one summary row per
// scenario and mode (leecher = "slowest").
func writeCSV(path string, rs []result) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	w := csv.NewWriter(f)
	w.Write([]string{"scenario", "mode", "leecher", "done_s", "first_piece_s", "t_star_s", "done_over_t_star", "source_bytes", "size_bytes"})
	for _, r := range rs {
		for _, m := range []struct {
			name string
			ls   []leecher
			src  int64
		}{{"p2p", r.P2P, r.Source.SourceBytes}, {"cs", r.CS, r.CSSrc.SourceBytes}} {
			if m.ls == nil {
				continue
			}
			for i, l := range m.ls {
				w.Write([]string{r.sc.Name, m.name, fmt.Sprint(i), f2(l.Done), f2(l.FirstPiece), f2(r.TStar), f2(l.Done / r.TStar), fmt.Sprint(m.src), fmt.Sprint(r.sc.Size)})
			}
			s := slowest(m.ls)
			w.Write([]string{r.sc.Name, m.name, "slowest", f2(s), f2(median(firstPieces(m.ls))), f2(r.TStar), f2(s / r.TStar), fmt.Sprint(m.src), fmt.Sprint(r.sc.Size)})
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	return f.Close()
}

func f2(x float64) string { return fmt.Sprintf("%.2f", x) }

// writeMarkdown writes the tables for docs.
func writeMarkdown(path string, rs []result, getFlags, pubFlags string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# Swarm benchmark (`make bench-swarm`)\n\nRun %s on %d CPUs (%s/%s); load average at the end: %s.\n",
		time.Now().UTC().Format(time.RFC3339), runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, loadAvg())
	fmt.Fprintf(&b, "Extra get flags: `%s`; extra publish flags: `%s`.\n", getFlags, pubFlags)
	b.WriteString("Separate processes on loopback; P2P leechers keep seeding until the slowest completes. " +
		"C/S = N plain HTTP downloads from the same publisher's web seed, sharing U. " +
		"T* = max(F/U, F/d, N·F/(U + N·u)).\n\n![plot](bench-swarm.png)\n")
	for _, r := range rs {
		sc := r.sc
		fmt.Fprintf(&b, "\n## Scenario %s: F = %s, N = %d, U = %d KiB/s, u = %d KiB/s, d = %s, T* = %.1f s\n\n",
			sc.Name, sizeText(sc.Size), sc.N, sc.Up, sc.PeerUp, rateText(sc.PeerDn), r.TStar)
		b.WriteString("| leecher | P2P done | P2P first piece | C/S done |\n|---|---|---|---|\n")
		for i := range r.P2P {
			cs := "-"
			if i < len(r.CS) {
				cs = secs(orNever(r.CS[i].Done))
			}
			fmt.Fprintf(&b, "| %d | %s | %s | %s |\n", i, secs(orNever(r.P2P[i].Done)), secs(r.P2P[i].FirstPiece), cs)
		}
		b.WriteString("\n")
		for _, l := range summaryLines(r) {
			b.WriteString("- " + l + "\n")
		}
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	return strings.Join(strings.Fields(string(b))[:3], " ")
}
