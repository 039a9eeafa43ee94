// Package publisher holds what a content publisher's "source node" serves,
// independent of the download engine: building .torrent files and magnet
// links, a small in-memory HTTP tracker, and an HTTP server that acts as a
// BEP 19 web seed and hands out the .torrent file.
//
// Everything here is plain net/http and anacrolix/torrent data types, so the
// pieces can be mounted on one mux or on separate listeners as the caller
// sees fit.
package publisher
