package engine

import (
	"fmt"

	"github.com/pion/stun/v3"
	"github.com/pion/webrtc/v4"
)

// DefaultICEServers lets WebRTC peers behind NAT learn their public
// address. On a LAN, or between peers in one network, none are needed.
var DefaultICEServers = []string{"stun:stun.l.google.com:19302"}

// checkICEServers accepts STUN URLs only: TURN needs credentials that
// settings do not hold yet, and pion refuses a TURN server without them,
// which would stop every WebRTC connection.
func checkICEServers(urls []string) error {
	for _, u := range urls {
		uri, err := stun.ParseURI(u)
		if err != nil {
			return fmt.Errorf("ICE server %q is not a STUN URL like %s: %w", u, DefaultICEServers[0], err)
		}
		if uri.Scheme != stun.SchemeTypeSTUN && uri.Scheme != stun.SchemeTypeSTUNS {
			return fmt.Errorf("ICE server %q: only stun: and stuns: servers are supported", u)
		}
	}
	return nil
}

// iceServerList is what anacrolix hands pion for every WebRTC connection;
// nil means host candidates only.
func iceServerList(urls []string) []webrtc.ICEServer {
	if len(urls) == 0 {
		return nil
	}
	return []webrtc.ICEServer{{URLs: append([]string(nil), urls...)}}
}

// iceServers is the Config override when set, else the settings' list.
func (s *Session) iceServers() []string {
	if s.cfg.ICEServers != nil {
		return s.cfg.ICEServers
	}
	return s.settings.ICEServerList()
}
