package storage

import (
	"math"
	"strconv"
	"strings"
	"sync"
	"testing"

	g "github.com/anacrolix/generics"
	tstorage "github.com/anacrolix/torrent/storage"
)

// state renders a Completion compactly for comparisons: "?", "1" or "0".
func state(t testing.TB, c tstorage.Completion) string {
	t.Helper()
	if c.Err != nil {
		t.Fatalf("completion error: %v", c.Err)
	}
	switch {
	case !c.Ok:
		return "?"
	case c.Complete:
		return "1"
	}
	return "0"
}

func get(t testing.TB, pc *PieceCompletion, ih string, index int) string {
	t.Helper()
	c, err := pc.Get(pieceKey(t, ih, index))
	if err != nil {
		t.Fatal(err)
	}
	return state(t, c)
}

func set(t testing.TB, pc *PieceCompletion, ih string, index int, v g.Option[bool]) {
	t.Helper()
	if err := pc.Set(pieceKey(t, ih, index), v); err != nil {
		t.Fatal(err)
	}
}

func rangeStates(t testing.TB, pc *PieceCompletion, ih string, begin, end int) string {
	t.Helper()
	var s string
	for c := range pc.GetRange(pieceKey(t, ih, 0).InfoHash, begin, end) {
		s += state(t, c)
	}
	return s
}

func TestPieceGetSetNone(t *testing.T) {
	db, _ := openTemp(t)
	pc := db.PieceCompletion()
	ih := hashN(1)
	if s := get(t, pc, ih, 5); s != "?" {
		t.Errorf("never set = %s, want unknown", s)
	}
	steps := []struct {
		v    g.Option[bool]
		want string
	}{
		{g.Some(true), "1"},
		{g.Some(true), "1"}, // unchanged, skipped
		{g.Some(false), "0"},
		{g.None[bool](), "?"},
		{g.None[bool](), "?"}, // forgetting an unknown piece is fine
		{g.Some(false), "0"},
	}
	for i, st := range steps {
		set(t, pc, ih, 5, st.v)
		if s := get(t, pc, ih, 5); s != st.want {
			t.Errorf("step %d: after Set(%v) = %s, want %s", i, st.v, s, st.want)
		}
	}
	if s := get(t, pc, hashN(2), 5); s != "?" {
		t.Errorf("other torrent's piece = %s, want unknown", s)
	}
	// None on a torrent with no pieces bucket at all.
	set(t, pc, hashN(3), 0, g.None[bool]())
}

func TestPieceCompletionContract(t *testing.T) {
	db, _ := openTemp(t)
	pc := db.PieceCompletion()
	if !pc.Persistent() {
		t.Error("Persistent() = false")
	}
	set(t, pc, hashN(1), 0, g.Some(true))
	// anacrolix closes its completion with each storage; the DB must live on.
	if err := pc.Close(); err != nil {
		t.Fatal(err)
	}
	if s := get(t, pc, hashN(1), 0); s != "1" {
		t.Errorf("after Close, Get = %s", s)
	}
	set(t, pc, hashN(1), 1, g.Some(true))
	if db.PieceCompletion() != pc {
		t.Error("PieceCompletion() returns a new value each call")
	}
}

func TestPieceIndexOutOfRange(t *testing.T) {
	db, _ := openTemp(t)
	pc := db.PieceCompletion()
	if err := pc.Set(pieceKey(t, hashN(1), -1), g.Some(true)); err == nil {
		t.Error("Set of negative index accepted")
	}
	if c, _ := pc.Get(pieceKey(t, hashN(1), -1)); c.Err == nil {
		t.Error("Get of negative index gave no error")
	}
	if strconv.IntSize == 32 {
		return // int can't exceed the uint32 range there
	}
	maxIndex := int(uint64(math.MaxUint32))
	if err := pc.Forget(hashN(1), 0, maxIndex+2); err == nil {
		t.Error("Forget beyond uint32 accepted")
	}
	// The largest index fits.
	set(t, pc, hashN(1), maxIndex, g.Some(true))
	if s := get(t, pc, hashN(1), maxIndex); s != "1" {
		t.Errorf("max index = %s", s)
	}
}

func TestPieceSetBatch(t *testing.T) {
	db, _ := openTemp(t)
	pc := db.PieceCompletion()
	var changes []tstorage.PieceCompletionChange
	for i := range 10 {
		changes = append(changes,
			tstorage.PieceCompletionChange{Key: pieceKey(t, hashN(1), i), Complete: i%2 == 0},
			tstorage.PieceCompletionChange{Key: pieceKey(t, hashN(2), i), Complete: true})
	}
	if err := pc.SetBatch(changes); err != nil {
		t.Fatal(err)
	}
	if s := rangeStates(t, pc, hashN(1), 0, 12); s != "1010101010??" {
		t.Errorf("torrent 1 = %s", s)
	}
	if c, i, _ := pc.Counts(hashN(2)); c != 10 || i != 0 {
		t.Errorf("torrent 2 counts = %d, %d", c, i)
	}
	// A bad index rejects the whole batch before anything is written.
	bad := []tstorage.PieceCompletionChange{
		{Key: pieceKey(t, hashN(3), 0), Complete: true},
		{Key: pieceKey(t, hashN(3), -1), Complete: true},
	}
	if err := pc.SetBatch(bad); err == nil {
		t.Error("batch with a negative index accepted")
	}
	if s := get(t, pc, hashN(3), 0); s != "?" {
		t.Errorf("rejected batch wrote piece 0: %s", s)
	}
	if err := pc.SetBatch(nil); err != nil {
		t.Errorf("empty batch: %v", err)
	}
}

func TestPieceGetRange(t *testing.T) {
	db, _ := openTemp(t)
	pc := db.PieceCompletion()
	ih := hashN(1)
	if s := rangeStates(t, pc, ih, 0, 4); s != "????" {
		t.Errorf("unknown torrent = %s", s)
	}
	set(t, pc, ih, 1, g.Some(true))
	set(t, pc, ih, 2, g.Some(false))
	set(t, pc, ih, 5, g.Some(true))
	cases := []struct {
		begin, end int
		want       string
	}{
		{0, 7, "?10??1?"},
		{2, 6, "0??1"},
		{5, 6, "1"},
		{6, 100, strings.Repeat("?", 94)},
		{3, 3, ""},
		{4, 2, ""},
	}
	for _, c := range cases {
		if s := rangeStates(t, pc, ih, c.begin, c.end); s != c.want {
			t.Errorf("GetRange(%d, %d) = %s, want %s", c.begin, c.end, s, c.want)
		}
	}
	// The consumer may stop early.
	n := 0
	for range pc.GetRange(pieceKey(t, ih, 0).InfoHash, 0, 100) {
		n++
		if n == 3 {
			break
		}
	}
	if n != 3 {
		t.Errorf("early stop yielded %d", n)
	}
}

func TestPieceGetRangeAcrossChunks(t *testing.T) {
	db, _ := openTemp(t)
	pc := db.PieceCompletion()
	ih := hashN(1)
	const n = 3*rangeChunk + 17
	var changes []tstorage.PieceCompletionChange
	for i := 0; i < n; i += 3 {
		changes = append(changes, tstorage.PieceCompletionChange{Key: pieceKey(t, ih, i), Complete: i%2 == 0})
	}
	if err := pc.SetBatch(changes); err != nil {
		t.Fatal(err)
	}
	i := 0
	for c := range pc.GetRange(pieceKey(t, ih, 0).InfoHash, 0, n+5) {
		want := "?"
		if i%3 == 0 && i < n {
			want = map[bool]string{true: "1", false: "0"}[i%2 == 0]
		}
		if got := state(t, c); got != want {
			t.Fatalf("piece %d = %s, want %s", i, got, want)
		}
		// Writing while ranging must not deadlock: states are yielded outside
		// the read transaction.
		if i == rangeChunk+1 {
			set(t, pc, hashN(2), i, g.Some(true))
		}
		i++
	}
	if i != n+5 {
		t.Errorf("yielded %d states, want %d", i, n+5)
	}
}

func TestPieceGetRangeMatchesGet(t *testing.T) {
	db, _ := openTemp(t)
	pc := db.PieceCompletion()
	ih := hashN(1)
	for i, v := range []g.Option[bool]{g.Some(true), g.None[bool](), g.Some(false), g.Some(true)} {
		set(t, pc, ih, i*2, v)
	}
	var viaGet string
	for i := range 9 {
		viaGet += get(t, pc, ih, i)
	}
	// The generic anacrolix helper picks our GetRange.
	var viaHelper string
	for c := range tstorage.GetPieceCompletionRange(pc, pieceKey(t, ih, 0).InfoHash, 0, 9) {
		viaHelper += state(t, c)
	}
	if viaGet != viaHelper || viaGet != "1???0?1??" {
		t.Errorf("Get = %s, GetRange = %s, want 1???0?1??", viaGet, viaHelper)
	}
}

func TestPieceForget(t *testing.T) {
	db, _ := openTemp(t)
	pc := db.PieceCompletion()
	ih := hashN(1)
	var changes []tstorage.PieceCompletionChange
	for i := range 10 {
		changes = append(changes, tstorage.PieceCompletionChange{Key: pieceKey(t, ih, i), Complete: i < 5})
	}
	if err := pc.SetBatch(changes); err != nil {
		t.Fatal(err)
	}
	if err := pc.Forget(ih, 3, 7); err != nil {
		t.Fatal(err)
	}
	if s := rangeStates(t, pc, ih, 0, 10); s != "111????000" {
		t.Errorf("after Forget(3, 7) = %s", s)
	}
	if err := pc.Forget(ih, 5, 5); err != nil {
		t.Errorf("empty range: %v", err)
	}
	if err := pc.Forget(ih, 9, 1000); err != nil {
		t.Fatal(err)
	}
	if s := rangeStates(t, pc, ih, 0, 10); s != "111????00?" {
		t.Errorf("after Forget(9, 1000) = %s", s)
	}
	if err := pc.Forget(ih, 5, 2); err == nil {
		t.Error("reversed range accepted")
	}
	if err := pc.Forget(hashN(2), 0, 10); err != nil {
		t.Errorf("forgetting an unknown torrent: %v", err)
	}
	if err := pc.Forget(ih, 0, 1<<20); err != nil {
		t.Fatal(err)
	}
	if c, i, _ := pc.Counts(ih); c+i != 0 {
		t.Errorf("after forgetting all: %d complete, %d incomplete", c, i)
	}
}

func TestPieceCounts(t *testing.T) {
	db, _ := openTemp(t)
	pc := db.PieceCompletion()
	ih := hashN(1)
	if c, i, err := pc.Counts(ih); c != 0 || i != 0 || err != nil {
		t.Errorf("unknown torrent counts = %d, %d, %v", c, i, err)
	}
	for i, v := range []g.Option[bool]{g.Some(true), g.Some(true), g.Some(false), g.None[bool](), g.Some(true)} {
		set(t, pc, ih, i, v)
	}
	set(t, pc, ih, 1, g.None[bool]())
	if c, i, err := pc.Counts(ih); c != 2 || i != 1 || err != nil {
		t.Errorf("Counts = %d, %d, %v; want 2, 1", c, i, err)
	}
}

func TestPieceSetConcurrent(t *testing.T) {
	db, _ := openTemp(t)
	pc := db.PieceCompletion()
	const workers, each = 16, 25
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			ih := hashN(w % 4) // workers share torrents, never pieces
			for i := range each {
				idx := w*each + i
				if err := pc.Set(pieceKey(t, ih, idx), g.Some(idx%2 == 0)); err != nil {
					t.Error(err)
				}
				if c, _ := pc.Get(pieceKey(t, ih, idx)); !c.Ok || c.Complete != (idx%2 == 0) {
					t.Errorf("piece %d read back %+v", idx, c)
				}
			}
		})
	}
	wg.Wait()
	total := 0
	for n := range 4 {
		c, i, err := pc.Counts(hashN(n))
		if err != nil {
			t.Fatal(err)
		}
		total += c + i
	}
	if total != workers*each {
		t.Errorf("stored %d states, want %d", total, workers*each)
	}
}
