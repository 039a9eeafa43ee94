package engine

import (
	"testing"
	"time"

	"fairshare/engine/fairness"
)

func TestChokeReason(t *testing.T) {
	tests := []struct {
		net          PeerNetwork
		mode         fairness.Mode
		banned, idle bool
		want         string
	}{
		{NetworkTCP, fairness.Active, false, false, ""},
		{NetworkTCP, fairness.Heartbeat, false, false, ""},
		{NetworkTCP, fairness.Exempt, false, false, ""},
		{NetworkTCP, fairness.Off, false, false, ""},
		{NetworkTCP, fairness.Choking, false, false, "fairness"},
		{NetworkTCP, fairness.Done, false, false, "done"},
		{NetworkTCP, fairness.Active, false, true, "not interested"},
		{NetworkTCP, fairness.Choking, false, true, "fairness"},
		{NetworkTCP, fairness.Active, true, true, "banned"},
		{NetworkTCP, fairness.Choking, true, false, "banned"},
		{NetworkWebRTC, fairness.Choking, false, false, "fairness"},
		{NetworkWebSeed, fairness.Choking, false, false, ""},
	}
	for _, tt := range tests {
		if got := chokeReason(tt.net, tt.mode, tt.banned, tt.idle); got != tt.want {
			t.Errorf("chokeReason(%s, %s, banned=%v, idle=%v) = %q, want %q", tt.net, tt.mode, tt.banned, tt.idle, got, tt.want)
		}
	}
}

// TestPolicyConfig: the settings the user sees map onto the policy.
func TestPolicyConfig(t *testing.T) {
	st := DefaultSettings("/x")
	c := policyConfig(st)
	if !c.Enabled || c.Target != 1 || c.HeartbeatPeriod != 30*time.Second || c.HeartbeatWindow != 2*time.Second ||
		c.OnComplete != fairness.SeedToRatio || c.Hysteresis != fairness.DefaultHysteresis || c.Allowance != fairness.DefaultAllowance {
		t.Errorf("defaults map to %+v", c)
	}
	st.Fairness, st.TargetRatio, st.OnComplete = false, 2.5, OnCompleteStop
	st.HeartbeatPeriod, st.HeartbeatWindow = time.Minute, time.Second
	c = policyConfig(st)
	if c.Enabled || c.Target != 2.5 || c.OnComplete != fairness.Stop || c.HeartbeatPeriod != time.Minute || c.HeartbeatWindow != time.Second {
		t.Errorf("changed settings map to %+v", c)
	}
	for _, oc := range []string{OnCompleteSeedToRatio, OnCompleteSeed, OnCompleteStop} {
		if got := string(policyConfig(Settings{OnComplete: oc}).OnComplete); got != oc {
			t.Errorf("OnComplete %q maps to %q", oc, got)
		}
	}
}

// TestSetRunFairness: --ratio and --on-complete override the settings for
// the session only; bad values are refused and change nothing.
func TestSetRunFairness(t *testing.T) {
	dir := t.TempDir()
	s := testSession(t, dir, false)
	saved := s.Settings()
	if err := s.SetRunFairness(0, ""); err != nil || s.Settings().Fairness {
		t.Fatalf("ratio 0: err %v, fairness %v", err, s.Settings().Fairness)
	}
	if err := s.SetRunFairness(1.5, OnCompleteSeed); err != nil {
		t.Fatal(err)
	}
	if st := s.Settings(); !st.Fairness || st.TargetRatio != 1.5 || st.OnComplete != OnCompleteSeed {
		t.Fatalf("after ratio 1.5 seed: %+v", st)
	}
	if err := s.SetRunFairness(-1, "forever"); err == nil {
		t.Fatal("unknown completion action accepted")
	}
	if st := s.Settings(); st.OnComplete != OnCompleteSeed || st.TargetRatio != 1.5 {
		t.Fatalf("refused change altered settings: %+v", st)
	}
	s.Close()
	if st := testSession(t, dir, false).Settings(); st.TargetRatio != saved.TargetRatio || st.Fairness != saved.Fairness || st.OnComplete != saved.OnComplete {
		t.Fatalf("run overrides were saved: %+v", st)
	}
}
