package fairness

// completed decides for a torrent that has every piece.
func completed(c Config, in Input) Decision {
	r := seedRatio(in)
	switch {
	case c.OnComplete == Stop:
		return settle(in, Done, r, "done: stop on completion")
	case !c.Enabled:
		// Ratio keeping is off, so "seed-to-ratio" seeds like "seed".
		return settle(in, Off, r, "off: fairness disabled")
	case c.OnComplete == Seed:
		return settle(in, Active, r, "active: seeding, ratio "+fmtRatio(r))
	case r >= c.Target:
		return settle(in, Done, r, "done: ratio "+fmtRatio(r)+" ≥ "+fmtRatio(c.Target))
	}
	return settle(in, Active, r, "active: seeding to "+fmtRatio(c.Target)+", ratio "+fmtRatio(r))
}

// seedRatio is the ratio seeding is judged by. Data that was already on
// disk counts as downloaded, so re-added torrents still seed a full copy.
func seedRatio(in Input) float64 {
	if in.Downloaded == 0 && in.Size > 0 {
		return ratio(in.Uploaded, in.Size)
	}
	return ratio(in.Uploaded, in.Downloaded)
}
