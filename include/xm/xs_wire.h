/*
 * The xenstore wire protocol, as Xen's xenstored speaks it with guest
 * kernels (Linux's xenbus, Mini-OS): messages of a 16-byte header and
 * len bytes of payload, carried both ways over the two 1 KiB rings of
 * the domain's xenstore page.  Little-endian (x86), no padding.
 *
 * A request is answered by one message of the same type, req_id and
 * tx_id, or by XM_XS_ERROR whose payload is an errno name ("ENOENT")
 * and a NUL.  XM_XS_WATCH_EVENT messages arrive unsolicited (req_id 0):
 * "path\0token\0".
 */

#ifndef _XM_XS_WIRE_H_
#define _XM_XS_WIRE_H_

#include <stdint.h>


/* Message types. */
#define XM_XS_CONTROL			0	/* was XS_DEBUG */
#define XM_XS_DIRECTORY			1
#define XM_XS_READ			2
#define XM_XS_GET_PERMS			3
#define XM_XS_WATCH			4
#define XM_XS_UNWATCH			5
#define XM_XS_TRANSACTION_START		6
#define XM_XS_TRANSACTION_END		7
#define XM_XS_INTRODUCE			8
#define XM_XS_RELEASE			9
#define XM_XS_GET_DOMAIN_PATH		10
#define XM_XS_WRITE			11
#define XM_XS_MKDIR			12
#define XM_XS_RM			13
#define XM_XS_SET_PERMS			14
#define XM_XS_WATCH_EVENT		15
#define XM_XS_ERROR			16
#define XM_XS_IS_DOMAIN_INTRODUCED	17
#define XM_XS_RESUME			18
#define XM_XS_SET_TARGET		19
/* 20 was XS_RESTRICT, removed from Xen; never reused. */
#define XM_XS_RESET_WATCHES		21
#define XM_XS_DIRECTORY_PART		22
#define XM_XS_TYPE_COUNT		23

struct xm_xs_hdr {
	uint32_t	type;		/* XM_XS_* */
	uint32_t	req_id;		/* echoed in the answer */
	uint32_t	tx_id;		/* 0, or a transaction's id */
	uint32_t	len;		/* payload bytes after the header */
};
_Static_assert(sizeof(struct xm_xs_hdr) == 16, "xs header size");

#define XM_XS_PAYLOAD_MAX	4096
#define XM_XS_ABS_PATH_MAX	3072
#define XM_XS_REL_PATH_MAX	2048

/*
 * The errno names on the wire, in Xen's order.  The store answers with
 * the name of a host errno; the numbers differ between systems, the
 * names do not.
 */
#define XM_XS_ERRORS							\
	XM_XS_ERR(EINVAL) XM_XS_ERR(EACCES) XM_XS_ERR(EEXIST)		\
	XM_XS_ERR(EISDIR) XM_XS_ERR(ENOENT) XM_XS_ERR(ENOMEM)		\
	XM_XS_ERR(ENOSPC) XM_XS_ERR(EIO) XM_XS_ERR(ENOTEMPTY)		\
	XM_XS_ERR(ENOSYS) XM_XS_ERR(EROFS) XM_XS_ERR(EBUSY)		\
	XM_XS_ERR(EAGAIN) XM_XS_ERR(EISCONN) XM_XS_ERR(E2BIG)		\
	XM_XS_ERR(EPERM)

/* The shared page: requests toward the store, responses back. */
#define XM_XS_RING_SIZE		1024
#define XM_XS_RING_IDX(i)	((i) & (XM_XS_RING_SIZE - 1))

struct xm_xs_interface {
	char		req[XM_XS_RING_SIZE];	/* guest -> store */
	char		rsp[XM_XS_RING_SIZE];	/* store -> guest */
	uint32_t	req_cons, req_prod;
	uint32_t	rsp_cons, rsp_prod;
	uint32_t	server_features;	/* XM_XS_SERVER_FEATURE_* */
	uint32_t	connection;		/* XM_XS_CONNECTED, ... */
	uint32_t	error;			/* XM_XS_ERROR_* */
};
_Static_assert(sizeof(struct xm_xs_interface) == 2 * 1024 + 7 * 4,
    "xenstore interface size");
_Static_assert(__builtin_offsetof(struct xm_xs_interface, req_cons) == 2048,
    "xenstore interface: indexes after the rings");

/* server_features */
#define XM_XS_SERVER_FEATURE_RECONNECTION	1
#define XM_XS_SERVER_FEATURE_ERROR		2
/* connection */
#define XM_XS_CONNECTED			0
#define XM_XS_RECONNECT			1
/* error */
#define XM_XS_ERROR_NONE		0
#define XM_XS_ERROR_COMM		1
#define XM_XS_ERROR_RINGIDX		2
#define XM_XS_ERROR_PROTO		3

#endif /* _XM_XS_WIRE_H_ */
