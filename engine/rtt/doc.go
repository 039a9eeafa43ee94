// Package rtt estimates per-peer round-trip times and turns them into
// connection-keeping and dialing policy. It is pure: no I/O, no clocks of
// its own, no torrent-library imports, so every decision is table-testable.
package rtt
