#!/bin/sh
# auth-user-pass-verify via-file: the file named last holds the username, then the password.
creds="$1"
user=$(sed -n 1p "$creds")
case "$script_type" in
	user-pass-verify|auth-user-pass-verify)
		[ "$user" = "jdoe" ] && exit 0
		;;
esac
exit 1
