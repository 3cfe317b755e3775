/*
 * Where xmd keeps its state and where clients find it, when nobody says
 * otherwise: $XM_STATE_DIR; else /var/lib/xm for root; else
 * $XDG_RUNTIME_DIR/xm; else /tmp/xm-UID.  xmd's JSON-RPC sockets are
 * xmd.sock and xmd-ro.sock in that directory, except for the system's
 * xmd (root's, with no state directory named): theirs are in /run/xm,
 * where users of the socket group and read-only clients can reach them
 * while /var/lib/xm stays closed.
 */
#ifndef XM_COMMON_PATHS_H
#define XM_COMMON_PATHS_H

#include <stddef.h>

#define XM_RPC_SOCKET_NAME	"xmd.sock"
#define XM_SYSTEM_SOCKET_DIR	"/run/xm"

/* 0, or -1 if the path does not fit in len bytes. */
int	xm_default_state_dir(char *buf, size_t len);
/* Where the default xmd's sockets are: /run/xm for root without
 * $XM_STATE_DIR, else the default state directory.  0, or -1. */
int	xm_default_socket_dir(char *buf, size_t len);

#endif
