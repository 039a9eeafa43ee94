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
	fairness.SetLimit(s.down, st.DownLimitKiB)
	fairness.SetLimit(s.up, st.UpLimitKiB)
}
