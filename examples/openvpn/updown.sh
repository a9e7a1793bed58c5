#!/bin/sh
# OpenVPN runs this for up and down: "updown.sh lab" then its own arguments,
# so $1 is our word (lab) and $2 is the device.
network="$1"
dev="$2"
case "$network" in
	lab) subnet=10.20.0.0/16 ;;
	*) echo "unknown network $network" >&2; exit 1 ;;
esac
case "$script_type" in
	up)
		ip route add "$subnet" via "$route_vpn_gateway" dev "$dev" || exit 1
		;;
	down)
		ip route del "$subnet" via "$route_vpn_gateway" dev "$dev"
		;;
esac
exit 0
