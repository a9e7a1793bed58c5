#!/bin/sh
# Adds a route that no OnDisconnect hook removes, and uses a variable the executor never sets.
ip route add 10.20.0.0/16 via 10.0.0.1 dev tun0
logger "VPN up for $CISCO_VPN_USER"
if [ "$CISCO_VPN_EVENT" = "reconnect" ]; then
    logger "reconnected"
fi
