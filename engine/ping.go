package engine

import (
	"slices"
	"time"

	"github.com/anacrolix/torrent"
	pp "github.com/anacrolix/torrent/peer_protocol"

	"fairshare/engine/rtt"
)

const pingExt = pp.ExtensionName(rtt.ExtensionName)

// defaultPingInterval is often enough to follow a path's RTT as it
// changes with load, and at 17 bytes a ping costs nothing.
const defaultPingInterval = 3 * time.Second

// addCallbacks appends the RTT book's handlers to cbs. The single-function
// callbacks are chained so that handlers set by other parts of the
// engine still run.
func (b *rttBook) addCallbacks(cbs *torrent.Callbacks) {
	cbs.PeerConnAdded = append(cbs.PeerConnAdded, b.onConnAdded)
	cbs.PeerConnReadExtensionMessage = append(cbs.PeerConnReadExtensionMessage, b.onExtensionMessage)
	cbs.PeerClosed = append(cbs.PeerClosed, func(p *torrent.Peer) { b.forget(p, time.Now()) })
	cbs.SentRequest = append(cbs.SentRequest, b.onSentRequest)
	cbs.ReceivedRequested = append(cbs.ReceivedRequested, b.onReceivedRequested)
	cbs.DeletedRequest = append(cbs.DeletedRequest, b.onDeletedRequest)
	prev := cbs.ReadExtendedHandshake
	cbs.ReadExtendedHandshake = func(pc *torrent.PeerConn, h *pp.ExtendedHandshakeMessage) {
		if prev != nil {
			prev(pc, h)
		}
		b.onExtendedHandshake(pc, h)
	}
}

// onConnAdded offers our ping extension on the new connection. The
// protocol map starts as a pointer to the client's shared default, so it
// is copied before our extension is added to it.
func (b *rttBook) onConnAdded(pc *torrent.PeerConn) {
	m := *pc.LocalLtepProtocolMap
	m.Index = slices.Clone(m.Index)
	m.AddUserProtocol(pingExt)
	pc.LocalLtepProtocolMap = &m
	b.track(pc, time.Now())
}

// onExtendedHandshake notes whether the peer speaks our ping and pings it
// at once, from a goroutine because writing takes the client lock.
func (b *rttBook) onExtendedHandshake(pc *torrent.PeerConn, h *pp.ExtendedHandshakeMessage) {
	b.learnListenPort(pc, h.Port)
	if h.M[pingExt] == 0 {
		return
	}
	b.mu.Lock()
	st := b.peers[&pc.Peer]
	if st != nil {
		st.pingable = true
	}
	b.mu.Unlock()
	if st != nil {
		go b.ping(&pc.Peer)
	}
}

// onExtensionMessage answers pings and times pongs. The receive time is
// taken here, before anything else, so the RTT includes as little of our
// own processing as possible.
func (b *rttBook) onExtensionMessage(ev torrent.PeerConnReadExtensionMessageEvent) {
	now := time.Now()
	name, builtin, err := ev.PeerConn.LocalLtepProtocolMap.LookupId(ev.ExtensionNumber)
	if err != nil || builtin || name != pingExt {
		return
	}
	m, err := rtt.Parse(ev.Payload)
	if err != nil {
		return
	}
	if m.Kind == rtt.KindPing {
		if pong, err := rtt.Pong(m).MarshalBinary(); err == nil {
			go ev.PeerConn.WriteExtendedMessage(pingExt, pong)
		}
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if st := b.peers[&ev.PeerConn.Peer]; st != nil {
		if d, ok := st.pinger.OnPong(now, m); ok {
			st.estimator(rtt.SourcePing).Add(now, d)
		}
	}
}

// ping sends one ping to p if it still speaks our extension.
func (b *rttBook) ping(p *torrent.Peer) {
	b.mu.Lock()
	st := b.peers[p]
	if st == nil || !st.pingable {
		b.mu.Unlock()
		return
	}
	m := st.pinger.NextPing(time.Now())
	pc := st.conn
	b.mu.Unlock()
	msg, err := m.MarshalBinary()
	if err != nil || pc.WriteExtendedMessage(pingExt, msg) != nil {
		return
	}
	// Time from here: the wait for the client lock inside the write is
	// ours, not the path's.
	now := time.Now()
	b.mu.Lock()
	st.pinger.Sent(m.Nonce, now)
	b.mu.Unlock()
}

// pingAll pings every peer that speaks our extension.
func (b *rttBook) pingAll() {
	b.mu.Lock()
	var ps []*torrent.Peer
	for p, st := range b.peers {
		if st.pingable {
			ps = append(ps, p)
		}
	}
	b.mu.Unlock()
	for _, p := range ps {
		b.ping(p)
	}
}
