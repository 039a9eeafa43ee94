// Package latencyproxy is a loopback TCP proxy that adds a fixed delay,
// for tests that need a slow path where netem is unavailable. It is a
// test tool: it adds latency, never loss, reordering or a bandwidth cap.
package latencyproxy
