package storage

import (
	"testing"

	g "github.com/anacrolix/generics"
)

// BenchmarkPieceCompletionSet measures one durable Set per op, each a new piece
// so none is skipped as unchanged: the cost anacrolix pays per verified piece.
func BenchmarkPieceCompletionSet(b *testing.B) {
	db, _ := openTemp(b)
	pc := db.PieceCompletion()
	ih := hashN(1)
	i := 0
	for b.Loop() {
		if err := pc.Set(pieceKey(b, ih, i), g.Some(true)); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkPieceCompletionGet is the read path anacrolix takes for every piece
// state it doesn't cache.
func BenchmarkPieceCompletionGet(b *testing.B) {
	db, _ := openTemp(b)
	pc := db.PieceCompletion()
	key := pieceKey(b, hashN(1), 42)
	if err := pc.Set(key, g.Some(true)); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if c, _ := pc.Get(key); !c.Complete {
			b.Fatal("lost the piece")
		}
	}
}
