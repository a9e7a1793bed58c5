#!/bin/bash
# OnConnect_routes.sh
# Runs after the VPN tunnel comes up: adds a static route through the tunnel.
# Install in /opt/cisco/secureclient/vpn/script/ (mode 0755) and set
# <EnableScripting>true</EnableScripting> in the profile.
ip route add 192.168.100.0/24 via 10.0.0.1 dev tun0
logger "VPN: Added static routes"
