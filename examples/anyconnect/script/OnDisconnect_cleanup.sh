#!/bin/bash
# OnDisconnect_cleanup.sh
# Runs after the VPN tunnel goes down: removes the route OnConnect_routes.sh added.
ip route del 192.168.100.0/24
logger "VPN: Removed static routes"
