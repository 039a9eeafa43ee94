package urlevent

import (
	"reflect"
	"testing"
)

// Links that arrive before the window (the one that launched the app)
// are kept in order and handed over once; later ones go straight through.
func TestQueuedUntilHandle(t *testing.T) {
	t.Cleanup(func() { mu.Lock(); handler, queued = nil, nil; mu.Unlock() })
	deliver("magnet:?xt=urn:btih:1")
	deliver("magnet:?xt=urn:btih:2")
	var got []string
	Handle(func(u string) { got = append(got, u) })
	deliver("magnet:?xt=urn:btih:3")
	want := []string{"magnet:?xt=urn:btih:1", "magnet:?xt=urn:btih:2", "magnet:?xt=urn:btih:3"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("handled %q, want %q", got, want)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(queued) != 0 {
		t.Errorf("still queued after Handle: %q", queued)
	}
}
