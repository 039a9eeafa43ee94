#!/usr/bin/python3
"""lt_peer.py: a libtorrent-rasterbar peer for Fairshare's interop tests.

Fairshare is built on anacrolix/torrent; this script runs an independent
implementation (libtorrent-rasterbar, Debian's python3-libtorrent) against
it, on the loopback interface only.

Usage:
  lt_peer.py seed     TORRENT DATA_DIR [options]
      Seed TORRENT whose content lies in DATA_DIR (the folder that holds
      the file or folder named in the torrent). Runs until SIGTERM/SIGINT
      or --seconds, then exits 0. Exits 1 if the data does not check out.
  lt_peer.py download SOURCE SAVE_DIR [options]
      Download SOURCE (a .torrent path or a magnet link) into SAVE_DIR.
      Exits 0 once every piece is downloaded and hash-checked, 2 when
      --seconds runs out first, 1 on an error.

Options:
  --tracker URL       add an announce URL (repeatable) to those in SOURCE
  --peer HOST:PORT    connect to this peer directly as well (repeatable)
  --stdin-peers       also read HOST:PORT lines from stdin and connect to
                      each (for a peer whose address is known only later)
  --no-web-seeds      drop the torrent's web seeds (BEP 19 url-list) so that
                      every byte has to come over the peer wire protocol
  --seconds N         deadline for the whole run (default 60)
  --interval S        seconds between status lines (default 0.5)

Output: one JSON object per line on stdout, flushed at once:
  {"event": "listening", "port": P}   first, once libtorrent listens
  {"event": "status", ...}            every --interval seconds
  {"event": "done"|"timeout"|"stopped"|"error", ...}  last
A status has state, progress, total_download/total_upload (payload bytes),
"peers" (connected now: ip, client name, how libtorrent learnt of it,
encryption, bytes each way), "clients_seen" (every client name seen during
the run, since peers come and go), "url_seeds" (web seeds in use) and
"tracker_replies"/"tracker_errors" (peers per tracker reply; error texts).
Alerts worth knowing about (errors, tracker replies, peer connects and
disconnects) go to stderr as plain text for the test log.

The network footprint is deliberately tiny: libtorrent listens on
127.0.0.1 only, and DHT, local service discovery (multicast), UPnP and
NAT-PMP are off from the first instant (the settings are given to the
session constructor, so the defaults never start anything).
"""

import argparse
import json
import queue
import signal
import sys
import threading
import time

import libtorrent as lt


def loopback_settings():
    """Settings for a peer that must only ever talk to 127.0.0.1."""
    return {
        # Listen on loopback only; port 0 lets the kernel choose, and we
        # report the chosen port (ses.listen_port()) on stdout.
        "listen_interfaces": "127.0.0.1:0",
        # Never fall back to another port or interface if binding fails.
        "listen_system_port_fallback": False,
        # Nothing that reaches beyond this machine: no DHT (and no
        # bootstrap node look-up), no LSD multicast, no port mapping.
        "enable_dht": False,
        "dht_bootstrap_nodes": "",
        "enable_lsd": False,
        "enable_upnp": False,
        "enable_natpmp": False,
        "enable_ip_notifier": False,
        # Fairshare has no uTP (its build disables it), so use TCP only:
        # otherwise libtorrent tries uTP first and waits for it to fail.
        "enable_incoming_utp": False,
        "enable_outgoing_utp": False,
        # Every peer in a test is 127.0.0.1, on different ports. By
        # default libtorrent keeps one connection per IP and would drop
        # the second peer (or a simultaneous incoming connection) as a
        # duplicate.
        "allow_multiple_connections_per_ip": True,
        # A failed connection attempt normally blocks the same peer for a
        # minute (and three failures ban it for the torrent): too long for
        # a test in which the other side may still be starting up.
        "min_reconnect_time": 1,
        "max_failcount": 10,
        "peer_connect_timeout": 5,
        # Local peers are not rate limited by default
        # (ignore_limits_on_local_network); say so explicitly anyway, and
        # leave global limits at 0 (unlimited).
        "ignore_limits_on_local_network": True,
        "download_rate_limit": 0,
        "upload_rate_limit": 0,
        # The tracker is on localhost. SSRF mitigation (on by default in
        # 2.0) only lets localhost trackers be called with the path
        # /announce, which is what Fairshare serves, so it can stay on.
        "ssrf_mitigation": True,
        # Do not sit on a stopped-event announce when shutting down.
        "stop_tracker_timeout": 1,
        # Start torrents at once instead of after the auto-manager's
        # startup grace period.
        "auto_manage_startup": 0,
        # Alerts we read: errors, status (listen, finished), tracker and
        # peer events.
        "alert_mask": (
            lt.alert.category_t.error_notification
            | lt.alert.category_t.status_notification
            | lt.alert.category_t.tracker_notification
            | lt.alert.category_t.connect_notification
            | lt.alert.category_t.peer_notification
        ),
    }


def emit(obj):
    """Print one JSON line on stdout, flushed so the test sees it now."""
    sys.stdout.write(json.dumps(obj, sort_keys=True) + "\n")
    sys.stdout.flush()


def log(msg):
    sys.stderr.write("lt_peer: %s\n" % msg)
    sys.stderr.flush()


def text(value):
    """peer_info.client is bytes or str depending on the binding build."""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def wait_listening(ses, deadline):
    """Wait for the listen socket and return its port."""
    while time.monotonic() < deadline:
        ses.wait_for_alert(200)
        for a in ses.pop_alerts():
            if isinstance(a, lt.listen_failed_alert):
                raise RuntimeError("cannot listen: %s" % a.message())
        port = ses.listen_port()
        if port:
            return port
    raise RuntimeError("libtorrent did not start listening in time")


def torrent_params(args):
    """add_torrent_params for a .torrent path or a magnet link."""
    if args.source.startswith("magnet:"):
        atp = lt.parse_magnet_uri(args.source)
    else:
        atp = lt.add_torrent_params()
        ti = lt.torrent_info(args.source)
        if args.no_web_seeds:
            # url-list lives outside the info dictionary: removing it does
            # not change the info hash.
            ti.set_web_seeds([])
        atp.ti = ti
    if args.no_web_seeds:
        atp.url_seeds = []
        atp.http_seeds = []
    atp.save_path = args.dir
    atp.trackers = list(atp.trackers) + list(args.tracker)
    # Run now, not under the queue manager; no DHT/LSD for this torrent
    # either (they are off session-wide too).
    atp.flags &= ~(lt.torrent_flags.auto_managed | lt.torrent_flags.paused)
    atp.flags |= lt.torrent_flags.disable_dht | lt.torrent_flags.disable_lsd
    return atp


def read_stdin_peers(out):
    """Feed HOST:PORT lines from stdin into the queue out (a thread)."""
    for line in sys.stdin:
        if line.strip():
            out.put(line.strip())


def parse_peer(spec):
    host, _, port = spec.rpartition(":")
    return (host.strip("[]"), int(port))


# peer_info.source bits (libtorrent's peer_source_flags_t; "incoming" has
# no name in the Python binding).
PEER_SOURCES = [(1, "tracker"), (2, "dht"), (4, "pex"), (8, "lsd"),
                (16, "resume_data"), (32, "incoming")]


def peer_rows(handle, seen):
    rows = []
    for p in handle.get_peer_info():
        client = text(p.client)
        ip, port = p.ip
        if client:
            seen.add(client)
        rows.append({
            "ip": "%s:%d" % (ip, port),
            "client": client,
            # Where libtorrent learnt of the peer; [] for connect_peer.
            "source": [n for bit, n in PEER_SOURCES if p.source & bit],
            "seed": bool(p.flags & lt.peer_info.seed),
            "outgoing": bool(p.flags & lt.peer_info.outgoing_connection),
            # BEP 8 / MSE: RC4 stream or plaintext after the handshake.
            "encryption": ("rc4" if p.flags & lt.peer_info.rc4_encrypted else
                           "mse-plaintext" if p.flags & lt.peer_info.plaintext_encrypted
                           else "none"),
            "total_download": p.total_download,
            "total_upload": p.total_upload,
        })
    return rows


def status_line(event, handle, seen, state):
    st = handle.status()
    return {
        "event": event,
        "state": str(st.state),
        "progress": st.progress,
        "is_seeding": st.is_seeding,
        "total_wanted": st.total_wanted,
        "total_wanted_done": st.total_wanted_done,
        "total_download": st.total_payload_download,
        "total_upload": st.total_payload_upload,
        "all_time_download": st.all_time_download,
        "all_time_upload": st.all_time_upload,
        "num_peers": st.num_peers,
        "peers": peer_rows(handle, seen),
        "clients_seen": sorted(seen),
        "url_seeds": sorted(handle.url_seeds()),
        # Every tracker answer so far: peers per reply, error texts.
        "tracker_replies": state["tracker_replies"],
        "tracker_errors": state["tracker_errors"],
        "error": text(st.errc.message()) if st.errc.value() else "",
    }


def log_alerts(ses, state):
    """Copy interesting alerts to stderr and note in state["checked"] that
    the files were checked; return an error text if one is fatal."""
    fatal = ""
    for a in ses.pop_alerts():
        if isinstance(a, lt.torrent_checked_alert):
            state["checked"] = True
        # Keep the first few tracker outcomes for the status lines.
        if isinstance(a, lt.tracker_reply_alert) and len(state["tracker_replies"]) < 20:
            state["tracker_replies"].append(a.num_peers)
        if isinstance(a, lt.tracker_error_alert) and len(state["tracker_errors"]) < 20:
            state["tracker_errors"].append(a.message())
        if isinstance(a, (lt.torrent_error_alert, lt.file_error_alert)):
            fatal = a.message()
        if isinstance(a, (lt.tracker_reply_alert, lt.tracker_error_alert,
                          lt.tracker_warning_alert, lt.peer_connect_alert,
                          lt.peer_disconnected_alert, lt.peer_error_alert,
                          lt.torrent_error_alert, lt.file_error_alert,
                          lt.torrent_finished_alert, lt.peer_blocked_alert,
                          lt.hash_failed_alert)):
            log("%s: %s" % (type(a).__name__, a.message()))
    return fatal


def run(args):
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    signal.signal(signal.SIGINT, lambda *_: stopping.append(True))
    deadline = time.monotonic() + args.seconds

    ses = lt.session(loopback_settings())
    port = wait_listening(ses, deadline)
    emit({"event": "listening", "port": port, "version": lt.__version__})

    handle = ses.add_torrent(torrent_params(args))
    if args.no_web_seeds:
        for url in handle.url_seeds():
            handle.remove_url_seed(url)
        for url in handle.http_seeds():
            handle.remove_http_seed(url)
    for spec in args.peer:
        # Direct connection, independent of what the tracker says.
        handle.connect_peer(parse_peer(spec))

    late_peers = queue.Queue()
    if args.stdin_peers:
        threading.Thread(target=read_stdin_peers, args=(late_peers,), daemon=True).start()

    seen = set()
    state = {"checked": False, "tracker_replies": [], "tracker_errors": []}
    code, final = None, None
    last_connect = time.monotonic()
    while code is None:
        ses.wait_for_alert(int(args.interval * 1000))
        fatal = log_alerts(ses, state)
        st = handle.status()
        if fatal or st.errc.value():
            final, code = "error", 1
        elif stopping:
            final, code = "stopped", 0
        elif args.mode == "download" and st.is_seeding:
            final, code = "done", 0
        elif args.mode == "seed" and state["checked"] and not st.is_seeding:
            # The files were checked and are not complete: wrong folder or
            # changed data. Seeding nothing would only make the test wait.
            final, code = "error", 1
            fatal = "the data in %s does not match the torrent (%.1f%% present)" % (
                args.dir, 100 * st.progress)
        elif time.monotonic() >= deadline:
            # A seed is done when its time is up; a download has failed.
            final, code = ("stopped", 0) if args.mode == "seed" else ("timeout", 2)
        else:
            emit(status_line("status", handle, seen, state))
            while not late_peers.empty():
                spec = late_peers.get()
                log("connecting to %s (from stdin)" % spec)
                args.peer.append(spec)
                handle.connect_peer(parse_peer(spec))
            # Retry direct peers now and then in case the first attempt
            # came before they listened.
            if args.peer and st.num_peers == 0 and time.monotonic() - last_connect > 2:
                last_connect = time.monotonic()
                for spec in args.peer:
                    handle.connect_peer(parse_peer(spec))
            continue
        line = status_line(final, handle, seen, state)
        if fatal:
            line["error"] = fatal
        emit(line)

    # Closing the session flushes and closes the files and sends the
    # tracker a "stopped" announce (bounded by stop_tracker_timeout).
    ses.remove_torrent(handle)
    del handle
    del ses
    return code


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("mode", choices=["seed", "download"])
    ap.add_argument("source", help=".torrent path (seed, download) or magnet link (download)")
    ap.add_argument("dir", help="folder holding the data (seed) or to save into (download)")
    ap.add_argument("--tracker", action="append", default=[])
    ap.add_argument("--peer", action="append", default=[])
    ap.add_argument("--stdin-peers", action="store_true")
    ap.add_argument("--no-web-seeds", action="store_true")
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--interval", type=float, default=0.5)
    args = ap.parse_args()
    if args.mode == "seed" and args.source.startswith("magnet:"):
        ap.error("seed needs a .torrent file")
    try:
        return run(args)
    except Exception as e:  # report any failure as a JSON line too
        emit({"event": "error", "error": "%s: %s" % (type(e).__name__, e)})
        log("error: %r" % (e,))
        return 1


if __name__ == "__main__":
    sys.exit(main())
