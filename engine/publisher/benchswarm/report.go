package main

import (
	"cmp"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
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

// medianFirst is the median time to first piece, 0 if that leecher never
// got one: a leecher that got nothing sorts last, not first.
func medianFirst(ls []leecher) float64 {
	var xs []float64
	for _, l := range ls {
		xs = append(xs, cmp.Or(l.FirstPiece, math.Inf(1)))
	}
	if m := median(xs); !math.IsInf(m, 1) {
		return m
	}
	return 0
}

func secs(x float64) string {
	if x < 0 {
		return "did not complete"
	}
	return fmt.Sprintf("%.1f s", x)
}

// firstText is a time to first piece; 0 means it never got one.
func firstText(x float64) string {
	if x == 0 {
		return "never"
	}
	return secs(x)
}

func orNever(x float64) float64 {
	if x == 0 {
		return -1
	}
	return x
}

// runSuffix names the run in column headers when there are several.
func runSuffix(r result, run p2pRun) string {
	if len(r.Runs) < 2 {
		return ""
	}
	return " (active " + run.Active + ")"
}

func lateCount(r result) int {
	if len(r.Runs) == 0 {
		return 0
	}
	return len(r.Runs[0].Late)
}

// leecherTable has one row per leecher: the N started together, then the
// late joiners, whose times count from their own start.
func leecherTable(r result) ([]string, [][]string) {
	header := []string{"leecher"}
	for _, run := range r.Runs {
		sfx := runSuffix(r, run)
		header = append(header, "P2P done"+sfx, "P2P first piece"+sfx)
	}
	header = append(header, "C/S done")
	var rows [][]string
	for i := range r.sc.N {
		row := []string{fmt.Sprint(i)}
		for _, run := range r.Runs {
			row = append(row, secs(orNever(run.Main[i].Done)), firstText(run.Main[i].FirstPiece))
		}
		cs := "-"
		if i < len(r.CS) {
			cs = secs(orNever(r.CS[i].Done))
		}
		rows = append(rows, append(row, cs))
	}
	for i := range lateCount(r) {
		row := []string{fmt.Sprintf("late %d", i)}
		for _, run := range r.Runs {
			row = append(row, secs(orNever(run.Late[i].Done)), firstText(run.Late[i].FirstPiece))
		}
		rows = append(rows, append(row, "-"))
	}
	return header, rows
}

// compareTable has one row per P2P run; slowest and T* are over the N
// leechers started together, source bytes over all N+L.
func compareTable(r result) ([]string, [][]string) {
	header := []string{"active source", "P2P slowest", "vs T*", "source sent (× F)", "offload",
		"late joiners' median first piece", "late joiners' slowest"}
	var rows [][]string
	for _, run := range r.Runs {
		s := slowest(run.Main)
		ratio, lateFirst, lateSlowest := "-", "-", "-"
		if s > 0 {
			ratio = fmt.Sprintf("%.2f", s/r.TStar)
		}
		if len(run.Late) > 0 {
			lateFirst, lateSlowest = firstText(medianFirst(run.Late)), secs(slowest(run.Late))
		}
		rows = append(rows, []string{run.Active, secs(s), ratio,
			fmt.Sprintf("%.2f", float64(run.Source.SourceBytes)/float64(r.sc.Size)),
			fmt.Sprintf("%.2f", run.Source.Offload), lateFirst, lateSlowest})
	}
	return header, rows
}

// printTable aligns columns: the first to the left, the others right.
func printTable(w io.Writer, header []string, rows [][]string) {
	width := make([]int, len(header))
	for _, row := range append([][]string{header}, rows...) {
		for i, c := range row {
			width[i] = max(width[i], utf8.RuneCountInString(c))
		}
	}
	for _, row := range append([][]string{header}, rows...) {
		for i, c := range row {
			pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(c))
			if i == 0 {
				fmt.Fprint(w, c+pad)
			} else {
				fmt.Fprint(w, "  "+pad+c)
			}
		}
		fmt.Fprintln(w)
	}
}

func markdownTable(b *strings.Builder, header []string, rows [][]string) {
	b.WriteString("| " + strings.Join(header, " | ") + " |\n|")
	b.WriteString(strings.Repeat("---|", len(header)) + "\n")
	for _, row := range rows {
		b.WriteString("| " + strings.Join(row, " | ") + " |\n")
	}
}

// lateNote explains the late rows, or is empty without late joiners.
func lateNote(r result) string {
	if lateCount(r) == 0 {
		return ""
	}
	return fmt.Sprintf("Late joiners started %.0f s after the others; their times count from their own start.", r.Runs[0].LateAt)
}

// scenarioTitle names a scenario and its parameters, for the printed
// and the markdown report alike.
func scenarioTitle(r result) string {
	sc := r.sc
	return fmt.Sprintf("Scenario %s: F = %s, N = %d, U = %d KiB/s, u = %d KiB/s, d = %s, T* = %.1f s",
		sc.Name, sizeText(sc.Size), sc.N, sc.Up, sc.PeerUp, rateText(sc.PeerDn), r.TStar)
}

// printResult writes the human tables for one scenario.
func printResult(w io.Writer, r result) {
	fmt.Fprintf(w, "\n%s\n", scenarioTitle(r))
	h, rows := leecherTable(r)
	printTable(w, h, rows)
	if note := lateNote(r); note != "" {
		fmt.Fprintln(w, note)
	}
	fmt.Fprintln(w)
	h, rows = compareTable(r)
	printTable(w, h, rows)
	fmt.Fprintln(w)
	for _, line := range summaryLines(r) {
		fmt.Fprintln(w, line)
	}
}

func summaryLines(r result) []string {
	var lines []string
	for _, run := range r.Runs {
		lines = append(lines, runLines(r, run)...)
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

// runLines sums up one P2P run: slowest and first piece over the N
// leechers, the source's counters over all N+L.
func runLines(r result, run p2pRun) []string {
	p2p, sfx := slowest(run.Main), runSuffix(r, run)
	src := run.Source
	lines := []string{
		fmt.Sprintf("P2P%s slowest %s = %.2f × T*; source uploaded %s = %.2f × F to %d leechers (peers %s, web seed %s); offload %.2f; direct clients peak %d of K=%s, %d sent to peers",
			sfx, secs(p2p), p2p/r.TStar, sizeText(src.SourceBytes), float64(src.SourceBytes)/float64(r.sc.Size), len(run.Main)+len(run.Late),
			sizeText(src.PeerBytes), sizeText(src.WebSeed), src.Offload, src.Peak, kText(src.MaxDirect), src.Refused),
		fmt.Sprintf("P2P%s median time to first piece %s", sfx, firstText(medianFirst(run.Main))),
	}
	lines = append(lines, fmt.Sprintf("P2P%s publisher super-seeding seen: %s; %d pieces offered", sfx, yesNo(run.SuperSeeded), src.Offers))
	if len(run.Late) > 0 {
		lines = append(lines, fmt.Sprintf("P2P%s %d late joiners at %.0f s, from their own start: median first piece %s, slowest %s",
			sfx, len(run.Late), run.LateAt, firstText(medianFirst(run.Late)), secs(slowest(run.Late))))
	}
	return lines
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
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

// csvHeader: active is the run's active source (empty for C/S); start_s
// is when the leecher started, after the common start; late rows count
// done_s and first_piece_s from their own start.
var csvHeader = []string{"scenario", "mode", "active", "leecher", "start_s", "done_s", "first_piece_s",
	"t_star_s", "done_over_t_star", "source_bytes", "size_bytes"}

// writeCSV writes one row per leecher and mode (p2p, late, cs), then one
// summary row per scenario, run and mode (leecher = "slowest", with the
// median first piece).
func writeCSV(path string, rs []result) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	w := csv.NewWriter(f)
	w.Write(csvHeader)
	for _, r := range rs {
		for _, g := range csvGroups(r) {
			for _, row := range g.rows(r) {
				w.Write(row)
			}
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	return f.Close()
}

// csvGroup is the leechers of one mode in one run.
type csvGroup struct {
	mode, active string
	start        float64
	ls           []leecher
	src          int64
}

func csvGroups(r result) []csvGroup {
	var gs []csvGroup
	for _, run := range r.Runs {
		gs = append(gs, csvGroup{"p2p", run.Active, 0, run.Main, run.Source.SourceBytes})
		if len(run.Late) > 0 {
			gs = append(gs, csvGroup{"late", run.Active, run.LateAt, run.Late, run.Source.SourceBytes})
		}
	}
	if r.CS != nil {
		gs = append(gs, csvGroup{"cs", "", 0, r.CS, r.CSSrc.SourceBytes})
	}
	return gs
}

func (g csvGroup) rows(r result) [][]string {
	row := func(who string, done, first float64) []string {
		return []string{r.sc.Name, g.mode, g.active, who, f2(g.start), f2(done), f2(first),
			f2(r.TStar), f2(done / r.TStar), fmt.Sprint(g.src), fmt.Sprint(r.sc.Size)}
	}
	var rows [][]string
	for i, l := range g.ls {
		rows = append(rows, row(fmt.Sprint(i), l.Done, l.FirstPiece))
	}
	return append(rows, row("slowest", slowest(g.ls), medianFirst(g.ls)))
}

func f2(x float64) string { return fmt.Sprintf("%.2f", x) }

// methodText is the markdown header's description of how the figures
// arise, for the options they were run with.
func methodText(o options) string {
	var b strings.Builder
	b.WriteString("Separate processes on loopback. P2P: one `publish` capped at U and N `get` leechers started together")
	if o.late > 0 {
		when := "T*/2 (rounded)"
		if o.lateAt >= 0 {
			when = fmt.Sprintf("%g s", o.lateAt)
		}
		fmt.Fprintf(&b, ", then L = %d late joiners %s later (same caps and flags)", o.late, when)
	}
	b.WriteString("; all keep seeding until the last completes. P2P slowest and × T* are over the N leechers started together")
	if o.late > 0 {
		b.WriteString("; a late joiner's first piece and completion count from its own start; the source's bytes and offload cover all N+L")
	}
	b.WriteString(". Times are read from each process's once-a-second JSON status, so they are good to about 1 s: a first piece within the first second shows as ~1 s. ")
	if o.compare {
		b.WriteString("Each P2P run happens with the publisher's active source on (its default: newcomers get the swarm's rarest pieces first) " +
			"and again with `--active-source=false`. ")
	}
	if o.baseline {
		b.WriteString("C/S = N plain HTTP downloads from the same publisher's web seed, sharing U, once per scenario. ")
	}
	return b.String() + "T* = max(F/U, F/d, N·F/(U + N·u))."
}

// writeMarkdown writes the tables for docs.
func writeMarkdown(path string, rs []result, o options) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# Swarm benchmark (`make bench-swarm`)\n\nRun %s on %d CPUs (%s/%s); load average at the end: %s.\n",
		time.Now().UTC().Format(time.RFC3339), runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, loadAvg())
	fmt.Fprintf(&b, "Extra get flags: `%s`; extra publish flags: `%s`.\n", strings.Join(o.getFlags, " "), strings.Join(o.pubFlags, " "))
	b.WriteString(methodText(o) + "\n\n![plot](bench-swarm.png)\n")
	for _, r := range rs {
		writeScenarioMarkdown(&b, r)
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

func writeScenarioMarkdown(b *strings.Builder, r result) {
	fmt.Fprintf(b, "\n## %s\n\n", scenarioTitle(r))
	h, rows := leecherTable(r)
	markdownTable(b, h, rows)
	if note := lateNote(r); note != "" {
		b.WriteString("\n" + note + "\n")
	}
	b.WriteString("\n")
	h, rows = compareTable(r)
	markdownTable(b, h, rows)
	b.WriteString("\n")
	for _, l := range summaryLines(r) {
		b.WriteString("- " + l + "\n")
	}
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	return strings.Join(strings.Fields(string(b))[:3], " ")
}
