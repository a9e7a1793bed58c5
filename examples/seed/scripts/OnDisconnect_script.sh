#!/bin/bash
# OnDisconnect_script.sh: run by the seed's executor when the session ends
# (CISCO_VPN_EVENT=disconnect).
ip route del 192.168.100.0/24
logger "VPN: ${CISCO_VPN_USERNAME:-unknown} disconnected from ${CISCO_VPN_SERVER:-?}"
