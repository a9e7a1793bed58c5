#!/bin/sh
# Lets this user's tunnel address through to the office network.
# ocserv admits the user only if this script exits 0.
set -e
iptables -A FORWARD -i "$DEVICE" -s "$IP_REMOTE" -j ACCEPT
logger -t ocserv "connect: $USERNAME from $IP_REAL got $IP_REMOTE on $DEVICE"
exit 0
