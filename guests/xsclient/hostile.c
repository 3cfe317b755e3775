/*
 * xsclient: a hostile domain.  Each quota of Xen's (1000 nodes, 128
 * watches, 10 transactions, 2048-byte values) is run into and answered
 * as xenstored answers it (ENOSPC, E2BIG), and room comes back when the
 * domain gives up what it took; malformed requests are refused one by
 * one.  Last, a header announcing more than 4096 bytes: the store stops
 * serving the domain (nothing answers it any more), and the test checks
 * that xmd and the other domains are none the worse.
 */

#include <stdint.h>

#include <klib/format.h>
#include <klib/string.h>

#include <guest/console.h>
#include <guest/guest.h>
#include <guest/test.h>
#include <guest/time.h>
#include <guest/xs.h>

#include "xsclient.h"

#define NODES_TRY	1100
#define NODES_QUOTA	1000
#define WATCHES_QUOTA	128
#define TXNS_QUOTA	10
#define ENTRY_MAX	2048
#define CUTOFF_WAIT_NS	(3 * NSEC_PER_SEC)
#define FLOOD_KIDS	100	/* data/f's children: a 2.5 KiB listing */
#define FLOOD_KEPT	40	/* listings not read: 100 KiB, all kept */
#define FLOOD_MANY	200	/* 500 KiB: more than xmd keeps (256 KiB) */
#define FLOOD_WAIT_NS	(2 * NSEC_PER_SEC)

static char	buf[XSC_VAL_MAX];
static char	big[XM_XS_PAYLOAD_MAX + 1];

static void
nodes_quota(void)
{
	char p[XSC_PATH_MAX];
	unsigned int i;
	int rc = 0;

	for (i = 0; i < NODES_TRY; i++)
		if ((rc = xs_write(0, xsc_path(p, "data/q/%u", i), "x")) != 0)
			break;
	gprintf("xsclient: %u nodes written before a refusal\n", i);
	TEST_OK(xsc_refused(rc, "ENOSPC") && i > NODES_QUOTA / 2 &&
	    i < NODES_QUOTA, "node quota: refused (ENOSPC) after %u new nodes",
	    i);
	TEST_OK(xs_rm(0, "data/q") == 0 && xs_write(0, "data/q", "x") == 0 &&
	    xs_rm(0, "data/q") == 0, "rm gives the nodes back: writes work "
	    "again");
}

static void
watches_quota(void)
{
	char p[XSC_PATH_MAX];
	unsigned int i, j;
	int rc = 0;

	for (i = 0; i <= WATCHES_QUOTA; i++)
		if ((rc = xs_watch(xsc_path(p, "data/w%u", i), "q")) != 0)
			break;
	TEST_OK(i == WATCHES_QUOTA && xsc_refused(rc, "E2BIG"),
	    "watch quota: the %uth watch is refused (E2BIG)", i + 1);
	for (j = 0; j < i; j++)
		(void)xs_unwatch(xsc_path(p, "data/w%u", j), "q");
	TEST_OK(xs_watch("data/w0", "q") == 0 && xs_unwatch("data/w0", "q") == 0,
	    "unwatch gives them back");
	xs_watch_flush();
}

static void
txns_quota(void)
{
	uint32_t tx[TXNS_QUOTA + 1];
	unsigned int i, j;
	int rc = 0;

	for (i = 0; i <= TXNS_QUOTA; i++)
		if ((rc = xs_transaction_start(&tx[i])) != 0)
			break;
	TEST_OK(i == TXNS_QUOTA && xsc_refused(rc, "ENOSPC"),
	    "transaction quota: the %uth is refused (ENOSPC)", i + 1);
	for (j = 0; j < i; j++)
		(void)xs_transaction_end(tx[j], 0);
	TEST_OK(xs_transaction_start(&tx[0]) == 0 &&
	    xs_transaction_end(tx[0], 0) == 0, "ending them gives them back");
}

static void
entry_quota(void)
{
	kmemset(big, 'v', sizeof(big));
	TEST_OK(xs_write_len(0, "data/big", big, ENTRY_MAX) == 0,
	    "a value of %u bytes is taken", ENTRY_MAX);
	TEST_OK(xsc_refused(xs_write_len(0, "data/big", big, ENTRY_MAX + 1),
	    "ENOSPC"), "one of %u bytes is refused (ENOSPC)", ENTRY_MAX + 1);
	(void)xs_rm(0, "data/big");
}

/* A raw request: the store's error name for it, or "" for none. */
static const char *
raw_error(uint32_t type, const void *payload, uint32_t len)
{
	struct xm_xs_hdr h = { .type = type, .len = len };
	uint32_t got;

	h.req_id = xs_next_req_id();
	if (xs_raw(&h, payload, len, &got, buf, sizeof(buf)) != 0)
		return xs_error();
	return got == XM_XS_ERROR ? buf : "";
}

static void
malformed(void)
{
	static const char intro[] = "7\0" "4096\0" "3";
	char p[XSC_PATH_MAX + 3200];

	TEST_OK(kstrcmp(raw_error(0x7777, "", 1), "ENOSYS") == 0,
	    "an unknown message type: ENOSYS");
	TEST_OK(kstrcmp(raw_error(20, "", 1), "ENOSYS") == 0,
	    "type 20 (XS_RESTRICT, removed): ENOSYS");
	TEST_OK(kstrcmp(raw_error(XM_XS_READ, "data", 4), "EINVAL") == 0,
	    "a path without its NUL: EINVAL");
	TEST_OK(kstrcmp(raw_error(XM_XS_INTRODUCE, intro, sizeof(intro)),
	    "EACCES") == 0, "INTRODUCE from a domU: EACCES");
	TEST_OK(kstrcmp(raw_error(XM_XS_RELEASE, "1", 2), "EACCES") == 0,
	    "RELEASE from a domU: EACCES");
	TEST_OK(xsc_refused(xs_write(0, "data/bad path", "1"), "EINVAL") &&
	    xsc_refused(xs_write(0, "data/bad!", "1"), "EINVAL") &&
	    xsc_refused(xs_write(0, "data//x", "1"), "EINVAL") &&
	    xsc_refused(xs_write(0, "data/x/", "1"), "EINVAL"),
	    "paths with a space, '!', '//', a trailing '/': EINVAL");
	kmemset(p, 'a', sizeof(p) - 1);
	kmemcpy(p, "data/", 5);
	p[sizeof(p) - 1] = '\0';
	TEST_OK(xsc_refused(xs_write(0, p, "1"), "EINVAL"),
	    "a path of %zu bytes: EINVAL", sizeof(p) - 1);
	TEST_OK(xsc_refused(xs_set_perms(0, "name", "b1", 3), "EACCES"),
	    "SET_PERMS on name (domain 0's): EACCES");
	TEST_OK(xsc_refused(xs_transaction_end(4242, 1), "ENOENT"),
	    "ending a transaction never started: ENOENT");
	TEST_OK(xs_read(0, "domid", buf, sizeof(buf)) == 0,
	    "after all that, it is still served");
}

/* n listings of data/f asked for, none read yet: the first req_id. */
static uint32_t
flood_send(unsigned int n)
{
	static const char path[] = "data/f";
	struct xm_xs_hdr h = { .type = XM_XS_DIRECTORY, .len = sizeof(path) };
	uint32_t first = 0;
	unsigned int i;

	for (i = 0; i < n; i++) {
		h.req_id = xs_next_req_id();
		if (i == 0)
			first = h.req_id;
		if (xs_raw_send(&h, path, sizeof(path)) != 0)
			break;
	}
	return first;
}

/* How many of the n answers from first on come, whole and in order. */
static unsigned int
flood_read(uint32_t first, unsigned int n)
{
	unsigned int i;
	uint32_t type;

	for (i = 0; i < n; i++)
		if (xs_raw_answer(first + i, &type, buf, sizeof(buf)) != 0 ||
		    type != XM_XS_DIRECTORY)
			break;
	return i;
}

/*
 * Requests whose answers the domain does not read: xmd queues them for
 * it up to a limit and drops the rest, whole messages, so that the
 * stream stays in step and the domain is served again afterwards.
 */
static void
flood(void)
{
	char p[XSC_PATH_MAX];
	unsigned int i, got;
	uint32_t first;

	for (i = 0; i < FLOOD_KIDS; i++)
		if (xs_write(0, xsc_path(p, "data/f/child-with-a-long-name-%02u",
		    i), "") != 0)
			break;
	first = flood_send(FLOOD_KEPT);
	got = flood_read(first, FLOOD_KEPT);
	TEST_OK(i == FLOOD_KIDS && got == FLOOD_KEPT, "%u listings of %u "
	    "names asked for before any is read: all %u come", FLOOD_KEPT,
	    FLOOD_KIDS, got);
	xs_set_timeout(FLOOD_WAIT_NS);
	first = flood_send(FLOOD_MANY);
	got = flood_read(first, FLOOD_MANY);
	xs_set_timeout(XS_TIMEOUT_NS);
	TEST_OK(got >= FLOOD_MANY / 4 && got < FLOOD_MANY, "%u not read: "
	    "xmd keeps the first %u answers and drops the rest", FLOOD_MANY,
	    got);
	TEST_OK(xs_rm(0, "data/f") == 0 && xs_read(0, "domid", buf,
	    sizeof(buf)) == 0, "then it is served again");
}

void
xsc_cutoff(uint32_t len, int send_payload)
{
	struct xm_xs_hdr h = { .type = XM_XS_WRITE, .len = len };
	uint32_t got;
	int rc;

	TEST_OK(xs_read(0, "domid", buf, sizeof(buf)) == 0,
	    "served before");
	xs_set_timeout(CUTOFF_WAIT_NS);
	kmemset(big, 'x', sizeof(big));
	h.req_id = xs_next_req_id();
	rc = xs_raw(&h, big, send_payload ? sizeof(big) : 0, &got, buf,
	    sizeof(buf));
	TEST_OK(xsc_refused(rc, "ETIMEDOUT"), "a header announcing %u "
	    "bytes%s: no answer, the store cut it off", len,
	    send_payload ? " (all sent)" : "");
	TEST_OK(xsc_refused(xs_read(0, "domid", buf, sizeof(buf)),
	    "ETIMEDOUT"), "nothing is answered after it");
	gprintf("xsclient: cut off\n");
}

/*
 * After the cut: requests as fast as the ring takes them, for secs
 * seconds.  Nobody answers; domain 0 still relays the bytes, and the
 * other domains must not notice.
 */
void
xsc_spam(unsigned int secs)
{
	struct xm_xs_hdr h = { .type = XM_XS_READ, .len = 1000 };
	uint64_t end = monotonic_ns() + secs * NSEC_PER_SEC;
	uint64_t bytes = 0;

	kmemset(big, 'y', sizeof(big));
	xs_set_timeout(NSEC_PER_SEC);
	while (monotonic_ns() < end) {
		h.req_id = xs_next_req_id();
		if (xs_raw_send(&h, big, h.len) != 0)
			continue;
		bytes += sizeof(h) + h.len;
	}
	gprintf("xsclient: spammed %lu KiB in %u s\n",
	    (unsigned long)(bytes / 1024), secs);
}

void
xsc_hostile(void)
{
	nodes_quota();
	watches_quota();
	txns_quota();
	entry_quota();
	malformed();
	flood();
	xsc_cutoff(XM_XS_PAYLOAD_MAX + 1, 1);
}
