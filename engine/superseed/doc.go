// Package superseed makes a complete source hand each peer a few pieces at
// a time, the rarest among its peers first, in the spirit of BEP 16
// super-seeding, so the source's upload goes to pieces the swarm lacks and
// every newcomer soon holds something others want.
//
// anacrolix has no hook for what a seed advertises, so this works on the
// wire: Conn wraps a plaintext peer socket of the source, rewrites the
// source's opening Bitfield/HaveAll into "nothing" (and drops its Allowed
// Fast set), then injects Have messages for the pieces Source offers that
// peer. Peers only request what they were told of, so anacrolix serves
// exactly the offered pieces. Reading the peer's own Bitfield and Have
// messages tells Source what each peer holds; when a peer announces an
// offered piece, it is offered another.
//
// Encrypted (MSE) connections cannot be read and are passed through
// untouched; the publisher therefore speaks plaintext only.
package superseed
