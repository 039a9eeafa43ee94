package superseed

import "testing"

func TestPick(t *testing.T) {
	all := func(int) bool { return true }
	not := func(skip ...int) func(int) bool {
		return func(i int) bool {
			for _, s := range skip {
				if i == s {
					return false
				}
			}
			return true
		}
	}
	for _, tc := range []struct {
		name          string
		held, offered []int
		lacks         func(int) bool
		start, want   int
	}{
		{"nobody has anything: start wins", []int{0, 0, 0, 0}, []int{0, 0, 0, 0}, all, 2, 2},
		{"rarest held", []int{2, 1, 0, 3}, []int{0, 0, 0, 0}, all, 0, 2},
		{"offers count as copies", []int{0, 0, 0, 0}, []int{1, 1, 0, 1}, all, 0, 2},
		{"held plus offered", []int{0, 2, 1, 0}, []int{3, 0, 0, 2}, all, 0, 2},
		{"ties scan from start", []int{1, 0, 1, 0}, []int{0, 0, 0, 0}, all, 2, 3},
		{"ties wrap around", []int{0, 1, 1, 1}, []int{0, 0, 0, 0}, all, 3, 0},
		{"only what the peer lacks", []int{0, 5, 5, 5}, []int{0, 0, 0, 0}, not(0), 0, 1},
		{"peer lacks nothing", []int{0, 0}, []int{0, 0}, not(0, 1), 0, -1},
	} {
		if got := pick(tc.held, tc.offered, tc.lacks, tc.start); got != tc.want {
			t.Errorf("%s: pick = %d, want %d", tc.name, got, tc.want)
		}
	}
}
