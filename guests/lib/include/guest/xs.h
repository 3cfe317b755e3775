/*
 * A xenstore client for test guests: the xs_wire protocol on the page
 * and event channel that start_info names (store_mfn, store_evtchn),
 * as a Xen PV kernel speaks it.  One request at a time: the request
 * goes into the req ring, the caller blocks on the event channel until
 * the answer with its req_id is in rsp.  Watch events that come in the
 * meantime are queued for xs_watch_event().
 *
 * Calls return 0, or -1 with the reason in xs_error(): the errno name
 * the store answered ("EACCES", "ENOENT" ...), or one of the client's
 * own, "ETIMEDOUT" (no answer in time), "EPROTO" (an answer that does
 * not parse), "ENODEV" (no store page), "ERANGE" (an answer larger
 * than the caller's buffer).
 */

#ifndef _GUEST_XS_H_
#define _GUEST_XS_H_

#include <stddef.h>
#include <stdint.h>

#include <xm/xs_wire.h>

#define XS_TIMEOUT_NS		(5 * UINT64_C(1000000000))
/* Watch events kept while nobody asks for them; older ones are lost. */
#define XS_EVENTS_MAX		32
#define XS_EVENT_STR_MAX	128

/* Find the page and port, bind the port.  0, or -1 (ENODEV ...). */
int		 xs_init(void);
/*
 * In a domain restored from a save, if xs_init() was done: the page
 * and port anew from start_info, what the old store sent dropped.
 * Watches are gone with the old connection: set them again (each
 * fires once, as a new watch does).  0, or -1 as xs_init().
 */
int		 xs_resume(void);
/* The reason of the last failure. */
const char	*xs_error(void);
/* How long a call waits for its answer (XS_TIMEOUT_NS at start). */
void		 xs_set_timeout(uint64_t ns);

/* Paths are absolute, or relative to the domain's /local/domain/N. */
int	xs_read(uint32_t tx, const char *path, char *buf, size_t size);
int	xs_write(uint32_t tx, const char *path, const char *val);
int	xs_write_len(uint32_t tx, const char *path, const void *val,
	    size_t len);
int	xs_mkdir(uint32_t tx, const char *path);
int	xs_rm(uint32_t tx, const char *path);
/* The children's names, each NUL-terminated; *count of them. */
int	xs_directory(uint32_t tx, const char *path, char *buf, size_t size,
	    unsigned int *count);
/* "w0\0r1\0" style: the list as the store sends it, NULs as ','. */
int	xs_get_perms(uint32_t tx, const char *path, char *buf, size_t size);
/* perms: entries such as "n5", each followed by its NUL, len in all. */
int	xs_set_perms(uint32_t tx, const char *path, const char *perms,
	    size_t len);
int	xs_get_domain_path(unsigned int domid, char *buf, size_t size);

int	xs_watch(const char *path, const char *token);
int	xs_unwatch(const char *path, const char *token);
/*
 * The oldest queued watch event, waiting up to timeout_ns for one.
 * 0 with path and token filled in, or -1 (ETIMEDOUT).
 */
int	xs_watch_event(char *path, char *token, uint64_t timeout_ns);
/* Forget the queued events; return how many were lost to overflow. */
unsigned int xs_watch_flush(void);

int	xs_transaction_start(uint32_t *tx);
/* commit non-zero: "T", else "F" (abort).  EAGAIN: a conflict. */
int	xs_transaction_end(uint32_t tx, int commit);

/*
 * For hostile tests: send a message as given (h->len is not checked
 * against payload_len, which is what is sent after the header), then
 * wait for the answer to h->req_id.  0 with the answer's type in
 * *type and its payload in buf, or -1.
 */
int	xs_raw(const struct xm_xs_hdr *h, const void *payload,
	    size_t payload_len, uint32_t *type, char *buf, size_t size);
/* The two halves of xs_raw: send only; wait for one answer. */
int	xs_raw_send(const struct xm_xs_hdr *h, const void *payload,
	    size_t payload_len);
int	xs_raw_answer(uint32_t req_id, uint32_t *type, char *buf,
	    size_t size);
/* A fresh request id for xs_raw. */
uint32_t xs_next_req_id(void);

#endif /* _GUEST_XS_H_ */
