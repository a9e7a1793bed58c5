#!/bin/sh
# client-connect: the last argument is a file for per-client directives; the status decides.
ccd="$1"
case "$common_name" in
	admin-*) echo 'push "route 10.30.0.0 255.255.255.0"' > "$ccd" ;;
esac
logger -t openvpn "connect: $common_name from $trusted_ip got $ifconfig_pool_remote_ip" || true
exit 0
