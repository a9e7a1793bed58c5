#!/bin/sh
# learn-address op addr [cn]: no cn on delete.
op="$1"
addr="$2"
case "$op" in
	add|update)
		iptables -D FORWARD -s "$addr" -d 10.20.0.0/16 -j ACCEPT 2>/dev/null
		iptables -A FORWARD -s "$addr" -d 10.20.0.0/16 -j ACCEPT || exit 1
		;;
	delete)
		iptables -D FORWARD -s "$addr" -d 10.20.0.0/16 -j ACCEPT
		;;
esac
exit 0
