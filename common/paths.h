/*
 * Where xmd keeps its state and where clients find it, when nobody says
 * otherwise: $XM_STATE_DIR; else /var/lib/xm for root; else
 * $XDG_RUNTIME_DIR/xm; else /tmp/xm-UID.  xmd's JSON-RPC socket is
 * xmd.sock in that directory.
 */
#ifndef XM_COMMON_PATHS_H
#define XM_COMMON_PATHS_H

#include <stddef.h>

#define XM_RPC_SOCKET_NAME	"xmd.sock"

/* 0, or -1 if the path does not fit in len bytes. */
int	xm_default_state_dir(char *buf, size_t len);

#endif
