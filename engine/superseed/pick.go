package superseed

// pick chooses the next piece to offer a peer: among pieces it lacks and
// was not already offered, the one the fewest peers hold or were offered
// (held[i] + offered[i]), scanning from start so that ties spread over the
// torrent instead of all landing on piece 0. It returns -1 when the peer
// lacks nothing that is left to offer.
func pick(held, offered []int, lacks func(int) bool, start int) int {
	n := len(held)
	best, bestScore := -1, 0
	for k := range n {
		i := (start + k) % n
		if !lacks(i) {
			continue
		}
		if s := held[i] + offered[i]; best < 0 || s < bestScore {
			best, bestScore = i, s
		}
	}
	return best
}
