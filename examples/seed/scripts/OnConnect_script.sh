#!/bin/bash
# OnConnect_script.sh: run by the seed's executor when the session connects.
# It gets CISCO_VPN_USERNAME, CISCO_VPN_SERVER, CISCO_VPN_IP and
# CISCO_VPN_EVENT (connect), runs as the user (not root), and is killed
# after 60 s (SIGTERM, then SIGKILL).
logger "VPN: ${CISCO_VPN_USERNAME:-unknown} connected to ${CISCO_VPN_SERVER:-?} as ${CISCO_VPN_IP:-?} (event ${CISCO_VPN_EVENT:-?})"
ip route add 192.168.100.0/24 via 10.0.0.1 dev tun0
