package engine

import "fairshare/engine/fairness"

// SetRunLimits caps download and upload in KiB/s for this session only,
// without changing the saved settings; 0 keeps the settings' value.
func (s *Session) SetRunLimits(downKiB, upKiB int64) {
	s.mu.Lock()
	if downKiB > 0 {
		s.settings.DownLimitKiB = downKiB
	}
	if upKiB > 0 {
		s.settings.UpLimitKiB = upKiB
	}
	st := s.settings
	s.mu.Unlock()
	s.setDownCap(st.DownLimitKiB)
	fairness.SetLimit(s.up, st.UpLimitKiB)
}

// SetRunFairness overrides the fairness policy for this session only,
// without changing the saved settings: a target ratio > 0 turns fairness on
// with that target, 0 turns it off, < 0 keeps the settings' choice; an
// onComplete of "" keeps the settings' completion action.
func (s *Session) SetRunFairness(target float64, onComplete string) error {
	s.mu.Lock()
	st := s.settings
	switch {
	case target > 0:
		st.Fairness, st.TargetRatio = true, target
	case target == 0:
		st.Fairness = false
	}
	if onComplete != "" {
		st.OnComplete = onComplete
	}
	err := st.Validate()
	if err == nil {
		s.settings = st
	}
	s.mu.Unlock()
	return err
}
