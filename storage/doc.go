// Package storage keeps all of Fairshare's local state in one bbolt file,
// home/state.db: the torrent list, each torrent's info bytes, settings and
// anacrolix piece completion.
//
// One file means one lock: bbolt's exclusive flock doubles as the
// "Fairshare is already running" guard, and a damaged file is set aside as a
// whole instead of leaving half-consistent state spread over several files.
//
// Layout (bucket: key -> value):
//
//	meta:     "schema"  -> schema version, big-endian uint32
//	torrents: info hash -> JSON of Torrent
//	info:     info hash -> raw bencoded info dictionary
//	settings: key       -> caller-defined bytes
//	pieces:   info hash -> sub-bucket: piece index (big-endian uint32) -> 1 complete, 0 incomplete
//
// Info hashes are keys as 40 lowercase hex characters everywhere. A piece
// without a key is unknown, so anacrolix hashes it instead of trusting it.
//
// This package must stay free of GUI imports: the engine and tests use it
// headless.
package storage
