package fairness

import "math"

// UploadBudget is how many more bytes an incomplete torrent may upload
// before its ratio crosses Target+Hysteresis, or before the bootstrap
// allowance runs out if that is later; never negative. The engine paces
// uploads with it between decisions. It is math.MaxInt64 when fairness is
// disabled or Target is +Inf. It knows nothing of exemption or completion:
// ask Decide first.
func UploadBudget(c Config, uploaded, downloaded int64) int64 {
	c = c.normalized()
	if !c.Enabled || math.IsInf(c.Target, 1) {
		return math.MaxInt64
	}
	uploaded, downloaded = max(uploaded, 0), max(downloaded, 0)
	ceiling := max(maxUploaded(c.Target+c.Hysteresis, downloaded), c.Allowance)
	return max(ceiling-uploaded, 0)
}

// maxUploaded is the largest n with n/d ≤ x as Decide computes it.
func maxUploaded(x float64, d int64) int64 {
	f := math.Floor(x * float64(d))
	if f >= math.MaxInt64 {
		return math.MaxInt64
	}
	n := int64(f)
	// x*d was rounded; nudge n until the float division Decide does
	// agrees. Beyond 2^53 floats cannot tell n from n+1, so stop early.
	for i := 0; i < 4 && n > 0 && ratio(n, d) > x; i++ {
		n--
	}
	for i := 0; i < 4 && n < math.MaxInt64 && ratio(n+1, d) <= x; i++ {
		n++
	}
	return n
}
