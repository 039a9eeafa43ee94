package cli

import "github.com/spf13/pflag"

func addICEServerFlag(f *pflag.FlagSet, dst *[]string) {
	f.StringArrayVar(dst, "ice-server", nil, `STUN server for WebRTC peers, stun:host:port; repeat for more, "none" for host addresses only (default: the ones in settings)`)
}

// iceServersFlag turns --ice-server values into engine.Config.ICEServers:
// nil keeps the settings, "none" gives an empty list.
func iceServersFlag(vals []string) []string {
	if len(vals) == 0 {
		return nil
	}
	out := []string{}
	for _, v := range vals {
		if v != "none" {
			out = append(out, v)
		}
	}
	return out
}
