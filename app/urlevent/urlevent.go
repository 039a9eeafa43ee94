// Package urlevent receives the links macOS hands to a running app. A
// click on a magnet: link reaches a macOS app as an Apple event
// (kInternetEventClass/kAEGetURL), not as a command-line argument, and
// Fyne has no API for it (fyne-io/fyne#5812); urlevent_darwin.m installs
// the handler. Elsewhere links arrive in argv and Install does nothing.
//
// The event for the link that launched the app can come before the
// window exists, so links are queued until Handle is called.
package urlevent

import "sync"

var (
	mu      sync.Mutex
	queued  []string
	handler func(url string)
)

// Handle sets where links go from now on and hands it any queued ones.
// handler runs on the goroutine that delivers the event (Cocoa's main
// thread on macOS), so it must not block: hop to Fyne with fyne.Do.
func Handle(h func(url string)) {
	mu.Lock()
	handler = h
	q := queued
	queued = nil
	mu.Unlock()
	for _, u := range q {
		h(u)
	}
}

// deliver passes one link on, or queues it until Handle.
func deliver(url string) {
	mu.Lock()
	h := handler
	if h == nil {
		queued = append(queued, url)
	}
	mu.Unlock()
	if h != nil {
		h(url)
	}
}
