package cli_test

import (
	"path/filepath"
	"testing"
)

// fairStatus is the fairness part of a `get --json` line.
type fairStatus struct {
	InfoHash string  `json:"info_hash"`
	Complete bool    `json:"complete"`
	Final    bool    `json:"final"`
	Listen   string  `json:"listen"`
	Uploaded int64   `json:"lifetime_uploaded"`
	Ratio    float64 `json:"ratio"`
	Fairness struct {
		Mode   string   `json:"mode"`
		Ratio  *float64 `json:"ratio"`
		Target float64  `json:"target"`
		Reason string   `json:"reason"`
	} `json:"fairness"`
}

// TestGetSeedToRatioExitsAtTarget: `get --on-complete seed-to-ratio
// --ratio 0.5` keeps sharing after completion, shows its fairness state
// in every JSON line, and exits 0 once another peer has taken half a copy
// from it; plain `get` stops uploading at completion and says so.
func TestGetSeedToRatioExitsAtTarget(t *testing.T) {
	t.Parallel()
	const size = 2 << 20
	src := filepath.Join(t.TempDir(), "ratio.bin")
	writeRandomFile(t, src, size, 700)
	pub := startPublish(t, src)

	a := startCLI(t, getArgs(pub.magnet, filepath.Join(t.TempDir(), "home-a"), t.TempDir(),
		"--on-complete", "seed-to-ratio", "--ratio", "0.5")...)
	var seeding fairStatus
	a.waitLines(getTimeout, "the first get seeding to its ratio", func(lines []string) bool {
		for _, st := range decodeLines[fairStatus](t, lines) {
			if st.Fairness.Target != 0.5 || st.Fairness.Mode == "" {
				t.Fatalf("status without the fairness state for --ratio 0.5: %+v", st)
			}
			if st.Complete {
				seeding = st
				return true
			}
		}
		return false
	})
	if seeding.Final || seeding.Fairness.Mode != "active" {
		t.Fatalf("complete at ratio 0 with target 0.5: want still sharing in mode active, got %+v", seeding)
	}

	// A second get that can only reach the first one (no tracker, no web
	// seed in its magnet) takes a whole copy from it. It stops uploading
	// itself once complete (the default, --on-complete stop).
	m := "magnet:?xt=urn:btih:" + seeding.InfoHash + "&x.pe=" + seeding.Listen
	r := runCLI(t, getTimeout, getArgs(m, filepath.Join(t.TempDir(), "home-b"), t.TempDir())...)
	final := decodeLines[fairStatus](t, r.lines)
	if last := final[len(final)-1]; r.code != 0 || !last.Final || last.Fairness.Mode != "done" || last.Fairness.Reason != "done: stop on completion" {
		t.Fatalf("second get: exit %d, final fairness %+v\n%s", r.code, last.Fairness, r.p.dump())
	}

	if code := a.wait(getTimeout); code != 0 {
		t.Fatalf("first get exited %d after reaching its ratio\n%s", code, a.dump())
	}
	sts := decodeLines[fairStatus](t, a.Lines())
	last := sts[len(sts)-1]
	if !last.Final || last.Fairness.Mode != "done" || last.Fairness.Ratio == nil || *last.Fairness.Ratio < 0.5 {
		t.Fatalf("first get's final line: %+v (ratio %v)", last, last.Fairness.Ratio)
	}
	t.Logf("first get exited at ratio %.2f: %s", *last.Fairness.Ratio, last.Fairness.Reason)
}
