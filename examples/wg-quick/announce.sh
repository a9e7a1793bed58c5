#!/bin/bash
# Logs the tunnel going up or down; wg-quick passes the interface as $2 (PostUp = ... up %i).
set -eu
action=$1
iface=$2
case "$action" in
	up) logger -t wireguard "$iface is up" ;;
	down) logger -t wireguard "$iface is going down" ;;
	*) echo "usage: $0 up|down IFACE" >&2; exit 2 ;;
esac
