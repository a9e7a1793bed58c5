#!/bin/sh
# Undoes connect.sh with the same rule spec. ocserv ignores this script's status.
iptables -D FORWARD -i "$DEVICE" -s "$IP_REMOTE" -j ACCEPT
logger -t ocserv "disconnect: $USERNAME after ${STATS_DURATION}s, ${STATS_BYTES_IN} bytes in, ${STATS_BYTES_OUT} out"
