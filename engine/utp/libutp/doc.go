// Package libutp is an empty placeholder for github.com/anacrolix/go-libutp.
// anacrolix/torrent's go.mod lists it as an indirect requirement; no package
// of it is built, but the module graph needs a go.mod for it, and the module
// proxy does not serve one.
package libutp
