// Package wstracker is a WebTorrent-compatible websocket tracker: peers
// announce over a websocket with WebRTC offers, the tracker relays each
// offer to another peer of the swarm and relays the answer back, after
// which the two peers talk directly over a WebRTC data channel.
//
// The protocol is the one of the bittorrent-tracker npm package, which
// WebTorrent in browsers and anacrolix/torrent speak: JSON text messages
// whose info_hash and peer_id are 20-character "binary strings" (one
// character per byte, U+0000 to U+00FF).
//
// Everything a peer sends is bounded: message size, offers per second,
// other messages per second, peers per swarm, swarms, connections and
// queued outgoing bytes. A peer that breaks a bound or sends something
// malformed is disconnected with one log line.
package wstracker
