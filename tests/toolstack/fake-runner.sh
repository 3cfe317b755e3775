#!/bin/sh
# Stands in for tools/xm-qemu in tests/toolstack/peer.sh only: instead of
# QEMU it starts ctl-peer, the TEST DOUBLE of domain 0, on the control
# socket that -c names, and writes its pid to the -pidfile given after
# "--", as QEMU would.  So xmd's handling of its embedded node (start,
# watch, stop, a node left behind) is tested without QEMU.
ctl= pidfile=
while [ $# -gt 0 ]; do
	case $1 in
	-c) ctl=$2; shift ;;
	-pidfile) pidfile=$2; shift ;;
	esac
	shift
done
"$CTL_PEER" "$ctl" &
echo $! >"$pidfile"
wait
