/*
 * The control channel between xmd (on the management host) and domain 0
 * (on the node), carried by a virtio-serial port. A byte stream of
 * frames: a fixed header, then len bytes of payload. Little-endian, no
 * pointers, every payload a fixed struct (optionally followed by an
 * array or data whose size the struct gives).
 *
 * xmd sends requests with a sequence number; domain 0 answers each with
 * a frame of the same op and seq, XM_CTL_F_REPLY set and a status (0 or
 * -XM_E*). Domain 0 also sends events unsolicited (XM_CTL_F_EVENT, seq
 * 0): console output and domain state changes. A frame with a bad
 * magic, version or length gets an XM_CTL_OP_ERROR reply; the receiver
 * then skips to the next magic, so the stream recovers.
 *
 * The first request on a connection is HELLO: the peers agree on a
 * version and xmd learns what the node is.
 */

#ifndef _XM_CTL_H_
#define _XM_CTL_H_

#include <stdint.h>

#include <xm/domctl.h>
#include <xm/hypercall.h>

#define XM_CTL_MAGIC		0x4c54434dU	/* "MCTL" in memory */
#define XM_CTL_VERSION		1
#define XM_CTL_MAX_PAYLOAD	(64 * 1024)

#define XM_CTL_F_REPLY		(1U << 0)
#define XM_CTL_F_EVENT		(1U << 1)

struct xm_ctl_hdr {
	uint32_t	magic;
	uint16_t	version;
	uint16_t	op;		/* XM_CTL_OP_* */
	uint32_t	seq;
	int32_t		status;		/* replies: 0 or -XM_E* */
	uint32_t	len;		/* payload bytes after the header */
	uint16_t	flags;		/* XM_CTL_F_* */
	uint16_t	pad;
};
_Static_assert(sizeof(struct xm_ctl_hdr) == 24, "xm_ctl_hdr");

/*
 * The ops: the rows of XM_CTL_OPS in ctl_ops.h, each with its number,
 * its payloads (request -> reply) and their sizes.
 *
 * Adding an op: define its payload structs below (fixed size, with a
 * _Static_assert), add one row to XM_CTL_OPS with the next number,
 * then write the handlers that the build now asks for: a request
 * needs ctl_op_<name> in domain 0 (guests/dom0) and peer_<name> in
 * tests/ctl-peer.c (PEER_UNSUPPORTED if the double need not model
 * it); an event needs ev_<name> in xmd/ctl.c.  The payload's size is
 * checked from the row (klib/ctlop.c) on both ends before any handler
 * runs; a tail other than the existing kinds needs its rule there.
 * Then the caller in xmd (ctl_request()), and the tests: a request of
 * a fixed size also goes into fixed_ops in tests/unit/test_dom0_ctl.c
 * (which checks the rows against it), each side gets a test of its
 * own, and tests/fuzz/mkseeds.py a seed.
 */
#include <xm/ctl_ops.h>

struct xm_ctl_hello {
	uint16_t	min_version;
	uint16_t	max_version;
	uint32_t	pad;
};
_Static_assert(sizeof(struct xm_ctl_hello) == 8, "xm_ctl_hello");

struct xm_ctl_hello_reply {
	uint16_t	version;	/* chosen */
	uint16_t	pad[3];
	struct xm_domctl_physinfo physinfo;
	char		dom0_version[32];
};
_Static_assert(sizeof(struct xm_ctl_hello_reply) == 96,
    "xm_ctl_hello_reply");

struct xm_ctl_domid {
	xm_domid_t	domid;
	uint16_t	pad[3];
};
_Static_assert(sizeof(struct xm_ctl_domid) == 8, "xm_ctl_domid");

struct xm_ctl_create {
	uint32_t	max_vcpus;
	uint32_t	pad;
	uint64_t	max_pages;
};
_Static_assert(sizeof(struct xm_ctl_create) == 16, "xm_ctl_create");

struct xm_ctl_shutdown {
	xm_domid_t	domid;
	uint16_t	pad;
	uint32_t	reason;		/* XM_SHUTDOWN_* */
};
_Static_assert(sizeof(struct xm_ctl_shutdown) == 8, "xm_ctl_shutdown");

struct xm_ctl_list {
	xm_domid_t	first;
	uint16_t	pad;
	uint32_t	max;		/* at most XM_CTL_MAX_PAYLOAD / 64 */
};
_Static_assert(sizeof(struct xm_ctl_list) == 8, "xm_ctl_list");

struct xm_ctl_max_mem {
	xm_domid_t	domid;
	uint16_t	pad[3];
	uint64_t	max_pages;
};
_Static_assert(sizeof(struct xm_ctl_max_mem) == 16, "xm_ctl_max_mem");

#define XM_CTL_POPULATE_MAX	(XM_CTL_MAX_PAYLOAD / 8)

struct xm_ctl_populate {
	xm_domid_t	domid;
	uint16_t	pad;
	uint32_t	nr;		/* at most XM_CTL_POPULATE_MAX */
	uint64_t	first_pfn;
};
_Static_assert(sizeof(struct xm_ctl_populate) == 16, "xm_ctl_populate");

/* SET_VCPU: this, then a struct xm_vcpu_guest_context. */
struct xm_ctl_vcpu {
	xm_domid_t	domid;
	uint16_t	pad;
	uint32_t	vcpu;
};
_Static_assert(sizeof(struct xm_ctl_vcpu) == 8, "xm_ctl_vcpu");

struct xm_ctl_page_list {
	xm_domid_t	domid;
	uint16_t	pad;
	uint32_t	max;		/* at most XM_CTL_POPULATE_MAX - 1 */
	uint64_t	first;
};
_Static_assert(sizeof(struct xm_ctl_page_list) == 16, "xm_ctl_page_list");

/* PAGE_LIST reply: this, then count uint64_t mfns. */
struct xm_ctl_page_list_reply {
	uint64_t	total;
	uint32_t	count;
	uint32_t	pad;
};
_Static_assert(sizeof(struct xm_ctl_page_list_reply) == 16,
    "xm_ctl_page_list_reply");

/*
 * PAGE_INFO: this, then nr uint64_t mfns (nr at most XM_PAGE_INFO_MAX);
 * the reply is a struct xm_page_info for each (xm/domctl.h).
 * PIN_TABLES: this, then nr struct xm_pin_table (a restore's pins).
 */
struct xm_ctl_page_info {
	xm_domid_t	domid;
	uint16_t	pad;
	uint32_t	nr;
};
_Static_assert(sizeof(struct xm_ctl_page_info) == 8, "xm_ctl_page_info");

/*
 * LOG_DIRTY: one XM_DOMCTL_LOG_DIRTY on the domain (xm/domctl.h says
 * what each op does).  ENABLE reads nr_pfns; PEEK and CLEAN read
 * start_pfn and count (bits: a multiple of 64, 64 to
 * XM_LOG_DIRTY_BATCH); the fields an op does not read are 0.  The
 * reply is a struct xm_ctl_log_dirty_reply (hv's nr_pfns, dirty and
 * pages), then for PEEK and CLEAN the bitmap: count / 64 uint64_t
 * words, bit i of word j for pfn start_pfn + 64j + i (the bytes are
 * domctl's: bit i of byte j for pfn start_pfn + 8j + i).
 */
struct xm_ctl_log_dirty {
	xm_domid_t	domid;
	uint16_t	pad;
	uint32_t	op;		/* XM_LOG_DIRTY_* */
	uint64_t	nr_pfns;	/* ENABLE */
	uint64_t	start_pfn;	/* PEEK, CLEAN */
	uint64_t	count;		/* PEEK, CLEAN: bits */
};
_Static_assert(sizeof(struct xm_ctl_log_dirty) == 32, "xm_ctl_log_dirty");

struct xm_ctl_log_dirty_reply {
	uint64_t	nr_pfns;	/* tracked */
	uint64_t	dirty;		/* PEEK, CLEAN: set among those sent */
	uint64_t	pages;		/* set in the whole bitmap */
};
_Static_assert(sizeof(struct xm_ctl_log_dirty_reply) == 24,
    "xm_ctl_log_dirty_reply");

/*
 * CLOCK: READ gives hv's system time and wall clock as domain 0 reads
 * them now; SET first has domain 0 set hv's wall clock (platform_op
 * settime) to read wall_ns at system time system_ns, as Linux's domain
 * 0 does from its own clock: xmd gives the host's.
 */
#define XM_CTL_CLOCK_READ	0
#define XM_CTL_CLOCK_SET	1

struct xm_ctl_clock {
	uint32_t	op;		/* XM_CTL_CLOCK_* */
	uint32_t	pad;		/* zero */
	uint64_t	wall_ns;	/* SET: since the Unix epoch */
	uint64_t	system_ns;	/* SET: at this system time */
};
_Static_assert(sizeof(struct xm_ctl_clock) == 24, "xm_ctl_clock");

struct xm_ctl_clock_reply {
	uint64_t	system_ns;
	uint64_t	wall_ns;
};
_Static_assert(sizeof(struct xm_ctl_clock_reply) == 16,
    "xm_ctl_clock_reply");

/*
 * WRITE_MEM: this, nr_segs segments, then the data of every segment in
 * order. READ_MEM: this and the segments; the reply is the data. Each
 * segment stays within one frame of the domain.
 */
#define XM_CTL_MEM_MAX_SEGS	256

struct xm_ctl_mem {
	xm_domid_t	domid;
	uint16_t	pad;
	uint32_t	nr_segs;
};
_Static_assert(sizeof(struct xm_ctl_mem) == 8, "xm_ctl_mem");

struct xm_ctl_mem_seg {
	uint64_t	mfn;
	uint16_t	offset;
	uint16_t	len;
	uint32_t	pad;
};
_Static_assert(sizeof(struct xm_ctl_mem_seg) == 16, "xm_ctl_mem_seg");

struct xm_ctl_hypercall_init {
	xm_domid_t	domid;
	uint16_t	pad[3];
	uint64_t	mfn;
};
_Static_assert(sizeof(struct xm_ctl_hypercall_init) == 16,
    "xm_ctl_hypercall_init");

/*
 * CONSOLE_ATTACH: the domain's console page. Domain 0 has hv record it
 * and make the domain's console port (XM_DOMCTL_CONSOLE_RING), binds to
 * that port and forwards what the domain writes; the reply names the
 * port, which the builder writes into start_info. Sent before the
 * domain first runs.
 */
struct xm_ctl_console_attach {
	xm_domid_t	domid;
	uint16_t	pad[3];
	uint64_t	mfn;
};
_Static_assert(sizeof(struct xm_ctl_console_attach) == 16,
    "xm_ctl_console_attach");

struct xm_ctl_console_port {
	uint32_t	port;		/* the domain's end */
	uint32_t	pad;
};
_Static_assert(sizeof(struct xm_ctl_console_port) == 8,
    "xm_ctl_console_port");

/*
 * STORE_ATTACH: the domain's xenstore page, with the same request and
 * reply as CONSOLE_ATTACH.  Domain 0 makes the domain's store port
 * (unbound, for domain 0), binds to it and forwards what the domain
 * writes into the request ring as STORE_OUTPUT events; STORE_INPUT
 * puts xmd's answers into the response ring.
 *
 * CONSOLE_INPUT, CONSOLE_OUTPUT, STORE_INPUT and STORE_OUTPUT: this,
 * then len bytes.
 */
struct xm_ctl_console_data {
	xm_domid_t	domid;
	uint16_t	pad;
	uint32_t	len;
};
_Static_assert(sizeof(struct xm_ctl_console_data) == 8,
    "xm_ctl_console_data");

/* DOMAIN_EVENT: a domain changed (shut down, crashed, was destroyed). */
struct xm_ctl_domain_event {
	struct xm_domctl_info info;	/* flags 0 and domain set: gone */
};
_Static_assert(sizeof(struct xm_ctl_domain_event) == 64,
    "xm_ctl_domain_event");

/* SCHED_SET: a domain's credit parameters (SCHED_GET takes a domid). */
struct xm_ctl_sched {
	xm_domid_t	domid;
	uint16_t	pad[3];
	struct xm_domctl_sched sched;
};
_Static_assert(sizeof(struct xm_ctl_sched) == 24, "xm_ctl_sched");

/* VCPU_AFFINITY: pin one vCPU to the CPUs of cpumap. */
struct xm_ctl_vcpu_affinity {
	xm_domid_t	domid;
	uint16_t	pad[3];
	struct xm_domctl_vcpu_affinity affinity;
};
_Static_assert(sizeof(struct xm_ctl_vcpu_affinity) == 24,
    "xm_ctl_vcpu_affinity");

/*
 * STATS: the figures of domains with id >= first (at most max, and at
 * most XM_CTL_STATS_MAX in one reply), of every CPU, and when they were
 * taken. The reply is this, then count struct xm_dom_stats.
 */
struct xm_ctl_stats {
	xm_domid_t	first;
	uint16_t	pad;
	uint32_t	max;
};
_Static_assert(sizeof(struct xm_ctl_stats) == 8, "xm_ctl_stats");

struct xm_ctl_stats_reply {
	uint64_t	now_ns;		/* hv's system time */
	uint32_t	nr_cpus;	/* CPUs up; cpu[] has the first 8 */
	uint32_t	count;		/* domains that follow */
	struct xm_cpu_stats cpu[XM_STATS_MAX_CPUS];
};
_Static_assert(sizeof(struct xm_ctl_stats_reply) == 272,
    "xm_ctl_stats_reply");

#define XM_CTL_STATS_MAX	((XM_CTL_MAX_PAYLOAD -			\
	sizeof(struct xm_ctl_stats_reply)) / sizeof(struct xm_dom_stats))

#endif /* _XM_CTL_H_ */
