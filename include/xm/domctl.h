/*
 * domctl: xm's own control interface to hv, for domain 0 only
 * (hypercall XM_HYPERCALL_DOMCTL, 36, with the address of one struct
 * xm_domctl). Every other domain gets -EPERM.
 *
 * The layout is xm's, not Xen's (Xen's domctl is not a stable ABI
 * either); interface_version must be XM_DOMCTL_INTERFACE_VERSION or the
 * call fails with -EACCES. Results come back in the same struct; the
 * hypercall returns 0 or a negative XM_E* value.
 */

#ifndef _XM_DOMCTL_H_
#define _XM_DOMCTL_H_

#include <stdint.h>

#include <xm/arch_x86_64.h>
#include <xm/hypercall.h>

#define XM_DOMCTL_INTERFACE_VERSION	0x00010000

#define XM_DOMCTL_CREATE		1	/* u.create; domain out */
#define XM_DOMCTL_DESTROY		2
#define XM_DOMCTL_PAUSE			3
#define XM_DOMCTL_UNPAUSE		4
#define XM_DOMCTL_GETINFO		5	/* u.info */
#define XM_DOMCTL_GETINFO_LIST		6	/* u.info_list */
#define XM_DOMCTL_MAX_MEM		7	/* u.max_mem */
#define XM_DOMCTL_POPULATE		8	/* u.populate */
#define XM_DOMCTL_SET_VCPU_CONTEXT	9	/* u.vcpu_context */
#define XM_DOMCTL_GET_VCPU_CONTEXT	10	/* u.vcpu_context */
#define XM_DOMCTL_GET_PAGE_LIST		11	/* u.page_list */
#define XM_DOMCTL_FOREIGN_COPY		12	/* u.copy */
#define XM_DOMCTL_HYPERCALL_INIT	13	/* u.hypercall_init */
#define XM_DOMCTL_PHYSINFO		14	/* u.physinfo; domain ignored */
#define XM_DOMCTL_SHUTDOWN		15	/* u.shutdown */
#define XM_DOMCTL_CONSOLE_RING		16	/* u.console */
#define XM_DOMCTL_SCHED_GET		17	/* u.sched, out */
#define XM_DOMCTL_SCHED_SET		18	/* u.sched */
#define XM_DOMCTL_VCPU_AFFINITY		19	/* u.vcpu_affinity */
#define XM_DOMCTL_VCPU_LIST		20	/* u.vcpu_list */
#define XM_DOMCTL_STATS			21	/* u.stats; domain ignored */
/*
 * A domain that shut down (SHUTDOWN_suspend: a save cancelled) runs on
 * where it stopped, as Xen's resumedomain; a running one is left as it
 * is.  The toolstack sets the suspend call's return value first (1: the
 * suspend was cancelled) with SET_VCPU_CONTEXT.
 */
#define XM_DOMCTL_RESUME		22
#define XM_DOMCTL_PAGE_INFO		23	/* u.page_info */
#define XM_DOMCTL_PIN_TABLES		24	/* u.pin_tables */
#define XM_DOMCTL_LOG_DIRTY		25	/* u.log_dirty */

/*
 * Frames hv charges to a domain beyond the memory it is built with:
 * its shared_info. tot_pages and max_pages count them; the toolstack
 * reports a domain's memory without them, so that what a domain uses
 * is never above its maximum.  hv holds room for the grant table's
 * frames on top of max_pages (create's, max_mem's and getinfo's
 * max_pages leave them out); the guest's own reservation cannot take
 * that room.
 */
#define XM_DOMAIN_HV_PAGES		1

/* Let hv choose the new domain's id. */
#define XM_DOMID_ANY			0x7ff0	/* = DOMID_SELF's value */

struct xm_domctl_create {
	uint32_t	max_vcpus;
	uint32_t	flags;		/* none defined yet: 0 */
	uint64_t	max_pages;
};
_Static_assert(sizeof(struct xm_domctl_create) == 16, "xm_domctl_create");

/* xm_domctl_info.flags */
#define XM_DOMINF_RUNNING	(1U << 0)	/* a vCPU is on a CPU */
#define XM_DOMINF_BLOCKED	(1U << 1)	/* every vCPU waits for events */
#define XM_DOMINF_PAUSED	(1U << 2)	/* held by domctl pause */
#define XM_DOMINF_SHUTDOWN	(1U << 3)	/* see shutdown_reason */
#define XM_DOMINF_DYING		(1U << 4)
#define XM_DOMINF_PRIVILEGED	(1U << 5)
#define XM_DOMINF_BUILDING	(1U << 6)	/* created, never unpaused */

struct xm_domctl_info {
	xm_domid_t	domain;
	uint16_t	pad0;
	uint32_t	flags;		/* XM_DOMINF_* */
	uint32_t	shutdown_reason;	/* XM_SHUTDOWN_*, with SHUTDOWN */
	uint32_t	nr_vcpus;
	uint32_t	nr_online_vcpus;
	uint32_t	frames_gen;	/* bumped as a frame joins or leaves */
	uint64_t	tot_pages;
	uint64_t	max_pages;
	uint64_t	cpu_time_ns;	/* all vCPUs, running */
	uint64_t	shared_info_mfn;
	uint64_t	nr_pfns;	/* the p2m's size, as built */
};
_Static_assert(sizeof(struct xm_domctl_info) == 64, "xm_domctl_info");

/* Domains with id >= first, up to max of them, into buffer. */
struct xm_domctl_info_list {
	xm_domid_t	first;
	uint16_t	pad;
	uint32_t	max;
	xm_guest_handle_t buffer;	/* array of struct xm_domctl_info */
	uint32_t	count;		/* out */
	uint32_t	pad1;
};
_Static_assert(sizeof(struct xm_domctl_info_list) == 24,
    "xm_domctl_info_list");

struct xm_domctl_max_mem {
	uint64_t	max_pages;
};
_Static_assert(sizeof(struct xm_domctl_max_mem) == 8, "xm_domctl_max_mem");

/*
 * Give the domain nr new frames; their mfns are written to mfns[] in
 * order, and the m2p entry of mfns[i] is set to first_pfn + i.
 * count (out) says how many were given before a failure.
 */
struct xm_domctl_populate {
	uint64_t	first_pfn;
	uint32_t	nr;
	uint32_t	count;		/* out */
	xm_guest_handle_t mfns;		/* array of uint64_t, out */
};
_Static_assert(sizeof(struct xm_domctl_populate) == 24,
    "xm_domctl_populate");

/*
 * A vCPU's whole state (struct xm_vcpu_guest_context). Setting vCPU 0's
 * context of a domain being built also validates and pins the page
 * table its ctrlreg[3] names (an mfn << 12) as the domain's L4.
 */
struct xm_domctl_vcpu_context {
	uint32_t	vcpu;
	uint32_t	pad;
	xm_guest_handle_t ctxt;		/* struct xm_vcpu_guest_context */
};
_Static_assert(sizeof(struct xm_domctl_vcpu_context) == 16,
    "xm_domctl_vcpu_context");

/* The domain's frames in the order hv handed them out. */
struct xm_domctl_page_list {
	uint64_t	first;		/* index into the list */
	uint32_t	max;
	uint32_t	count;		/* out */
	xm_guest_handle_t mfns;		/* array of uint64_t, out */
	uint64_t	total;		/* out: frames the domain has */
};
_Static_assert(sizeof(struct xm_domctl_page_list) == 32,
    "xm_domctl_page_list");

/*
 * Copy between domain 0's memory and frames of the target domain, one
 * segment per op; never hv's frames, never a frame nobody owns. Each
 * segment stays inside its frame (offset + len <= 4096).
 */
#define XM_COPY_TO_DOMAIN	0
#define XM_COPY_FROM_DOMAIN	1
#define XM_COPY_MAX_OPS		256

struct xm_domctl_copy_op {
	uint64_t	mfn;		/* the target domain's frame */
	uint16_t	offset;
	uint16_t	len;
	uint8_t		dir;		/* XM_COPY_* */
	uint8_t		pad[3];
	xm_guest_handle_t buf;		/* in domain 0 */
};
_Static_assert(sizeof(struct xm_domctl_copy_op) == 24,
    "xm_domctl_copy_op");

struct xm_domctl_copy {
	xm_guest_handle_t ops;		/* array of struct xm_domctl_copy_op */
	uint32_t	nr_ops;
	uint32_t	done;		/* out */
};
_Static_assert(sizeof(struct xm_domctl_copy) == 16, "xm_domctl_copy");

/*
 * For save: what each of up to XM_PAGE_INFO_MAX frames of the target is
 * (its page-table type and whether it is pinned, as Xen's
 * getpageframeinfo3 reports them) and the pseudo-physical frame the m2p
 * gives it.  A frame the target does not own is XM_PAGE_XTAB.
 */
#define XM_PAGE_INFO_MAX	1024
#define XM_PAGE_NOTAB		0
#define XM_PAGE_L1TAB		1
#define XM_PAGE_L2TAB		2
#define XM_PAGE_L3TAB		3
#define XM_PAGE_L4TAB		4
#define XM_PAGE_DESC		5	/* a GDT or LDT frame */
#define XM_PAGE_XTAB		15	/* not the target's */
#define XM_PAGE_PINNED		0x1	/* xm_page_info.flags */
#define XM_M2P_INVALID		UINT64_MAX	/* a frame with no pfn */

struct xm_page_info {
	uint64_t	pfn;		/* m2p; XM_M2P_INVALID if none */
	uint32_t	type;		/* XM_PAGE_* */
	uint32_t	flags;		/* XM_PAGE_PINNED */
};
_Static_assert(sizeof(struct xm_page_info) == 16, "xm_page_info");

struct xm_domctl_page_info {
	xm_guest_handle_t mfns;		/* uint64_t[nr], in */
	xm_guest_handle_t info;		/* struct xm_page_info[nr], out */
	uint32_t	nr;
	uint32_t	pad;
};
_Static_assert(sizeof(struct xm_domctl_page_info) == 24,
    "xm_domctl_page_info");

/*
 * For restore: pin frames of a domain being built as page tables of the
 * level each names (XM_PAGE_L1TAB .. XM_PAGE_L4TAB), as Xen's restore
 * pins what the save found pinned (MMUEXT_PIN_Ln_TABLE on the domain's
 * behalf).  Each is validated as the guest's own pin would be; the
 * first failure stops, and done says how many were pinned.
 */
struct xm_pin_table {
	uint64_t	mfn;
	uint32_t	level;		/* XM_PAGE_L1TAB .. XM_PAGE_L4TAB */
	uint32_t	pad;
};
_Static_assert(sizeof(struct xm_pin_table) == 16, "xm_pin_table");

struct xm_domctl_pin_tables {
	xm_guest_handle_t pins;		/* struct xm_pin_table[nr], in */
	uint32_t	nr;		/* at most XM_PAGE_INFO_MAX */
	uint32_t	done;		/* out */
};
_Static_assert(sizeof(struct xm_domctl_pin_tables) == 16,
    "xm_domctl_pin_tables");

/*
 * Log-dirty mode, for live migration (Xen's SHADOW_OP_ENABLE_LOGDIRTY,
 * _CLEAN, _PEEK and _OFF).  While it is on, hv runs the domain on
 * shadows of its page tables that it keeps itself; the guest's own
 * tables read back as it wrote them, and no fault the tracking causes
 * reaches it.  Every pfn below nr_pfns that is written from then on --
 * by the guest, or by hv for it (foreign copies, grant copies, page
 * clears, descriptor updates; a registered vcpu_info is dirty always)
 * -- is set in a bitmap indexed by pfn (the m2p's).
 *
 *   ENABLE	start tracking pfns [0, nr_pfns); all of them start
 *		clean.  -EBUSY if it is on already, -EINVAL for nr_pfns 0
 *		or above XM_LOG_DIRTY_MAX_PFNS, -ENOMEM.
 *   DISABLE	stop; the domain runs on its own tables again.
 *   PEEK	copy bits [start_pfn, start_pfn + count) to buf (bit i of
 *		byte j: pfn start_pfn + 8j + i); start_pfn and count are
 *		multiples of 64, count at most XM_LOG_DIRTY_BATCH, bits
 *		beyond nr_pfns read 0.
 *   CLEAN	PEEK, then clear those bits: the next write to one of
 *		those pfns sets its bit again.
 * PEEK and CLEAN return in dirty how many of the bits copied were set,
 * and all but ENABLE -ENOENT when log-dirty is off.  nr_pfns is the
 * tracked count on return; pages the whole bitmap holds on return.
 */
#define XM_LOG_DIRTY_ENABLE	1
#define XM_LOG_DIRTY_DISABLE	2
#define XM_LOG_DIRTY_PEEK	3
#define XM_LOG_DIRTY_CLEAN	4
#define XM_LOG_DIRTY_BATCH	32768		/* bits: a 4 KiB buffer */
#define XM_LOG_DIRTY_MAX_PFNS	(UINT64_C(1) << 26)	/* 256 GiB */

struct xm_domctl_log_dirty {
	uint32_t	op;		/* XM_LOG_DIRTY_* */
	uint32_t	pad;
	uint64_t	nr_pfns;	/* ENABLE: in; all: out */
	uint64_t	start_pfn;	/* PEEK, CLEAN */
	uint64_t	count;		/* PEEK, CLEAN: bits */
	xm_guest_handle_t buf;		/* PEEK, CLEAN: count / 8 bytes, out */
	uint64_t	dirty;		/* out: set bits among those copied */
	uint64_t	pages;		/* out: set bits in the whole bitmap */
};
_Static_assert(sizeof(struct xm_domctl_log_dirty) == 56,
    "xm_domctl_log_dirty");

/* Fill the frame mfn of the domain with hypercall stubs. */
struct xm_domctl_hypercall_init {
	uint64_t	mfn;
};
_Static_assert(sizeof(struct xm_domctl_hypercall_init) == 8,
    "xm_domctl_hypercall_init");

struct xm_domctl_physinfo {
	uint32_t	nr_cpus;
	uint32_t	hv_version;	/* XM_XENVER_MAKE(major, minor) */
	uint64_t	total_pages;
	uint64_t	free_pages;
	uint64_t	max_mfn;
	uint32_t	nr_domains;
	uint32_t	pad;
	char		hv_extraversion[16];
};
_Static_assert(sizeof(struct xm_domctl_physinfo) == 56,
    "xm_domctl_physinfo");

struct xm_domctl_shutdown {
	uint32_t	reason;		/* XM_SHUTDOWN_* */
};
_Static_assert(sizeof(struct xm_domctl_shutdown) == 4, "xm_domctl_shutdown");

/*
 * Tell hv which of the domain's frames is its console ring and which of
 * its ports signals it; domain 0 then binds that port interdomain.
 */
struct xm_domctl_console {
	uint64_t	mfn;		/* out */
	uint32_t	port;		/* out: the domain's unbound port */
	uint32_t	pad;
};
_Static_assert(sizeof(struct xm_domctl_console) == 16, "xm_domctl_console");

/* The policies of hv's sched= option. */
#define XM_SCHED_CREDIT		1
#define XM_SCHED_RR		2

#define XM_SCHED_WEIGHT_MIN	1
#define XM_SCHED_WEIGHT_MAX	65535
#define XM_SCHED_WEIGHT_DEFAULT	256

/*
 * A domain's share of the CPUs under the credit scheduler (Xen's
 * xen_domctl_sched_credit): weight is relative to other domains', cap is
 * a percentage of one CPU that the domain never exceeds (0: none; above
 * 100 with several vCPUs). SCHED_SET refuses a weight outside
 * 1..65535 or a cap above 100 * its vCPUs with -EINVAL and changes
 * nothing; under rr, both are kept but have no effect.
 */
struct xm_domctl_sched {
	uint32_t	sched_id;	/* out: XM_SCHED_* in use */
	uint32_t	weight;
	uint32_t	cap;
	uint32_t	pad;
};
_Static_assert(sizeof(struct xm_domctl_sched) == 16, "xm_domctl_sched");

/*
 * A vCPU's hard affinity: bit n set = it may run on CPU n. A map with
 * no CPU that exists is -EINVAL. The vCPU moves at its next schedule.
 */
struct xm_domctl_vcpu_affinity {
	uint32_t	vcpu;
	uint32_t	pad;
	uint64_t	cpumap;
};
_Static_assert(sizeof(struct xm_domctl_vcpu_affinity) == 16,
    "xm_domctl_vcpu_affinity");

/* xm_vcpu_state.flags */
#define XM_VCPUF_ONLINE		(1U << 0)	/* up (VCPUOP_up or built) */
#define XM_VCPUF_RUNNING	(1U << 1)	/* on a CPU now */
#define XM_VCPUF_BLOCKED	(1U << 2)	/* waiting for an event */

/* One vCPU as XM_DOMCTL_VCPU_LIST reports it. */
struct xm_vcpu_state {
	uint32_t	vcpu;
	uint32_t	flags;		/* XM_VCPUF_* */
	uint32_t	cpu;		/* where it runs, or last ran */
	int32_t		runstate;	/* XM_RUNSTATE_* */
	uint64_t	cpumap;		/* hard affinity */
	uint64_t	cpu_time_ns;	/* time running */
	uint64_t	time[4];	/* ns in each XM_RUNSTATE_*, up to now */
};
_Static_assert(sizeof(struct xm_vcpu_state) == 64, "xm_vcpu_state");

/* The domain's vCPUs from 0, at most max, into buffer. */
struct xm_domctl_vcpu_list {
	uint32_t	max;
	uint32_t	count;		/* out */
	xm_guest_handle_t buffer;	/* array of struct xm_vcpu_state */
};
_Static_assert(sizeof(struct xm_domctl_vcpu_list) == 16,
    "xm_domctl_vcpu_list");

/*
 * Statistics (XM_DOMCTL_STATS). Every counter only grows while its
 * domain lives; times are ns of hv's system time (since boot).
 */
#define XM_STATS_MAX_VCPUS	8
#define XM_STATS_MAX_CPUS	8
#define XM_STATS_HYPERCALLS	56	/* = XM_HYPERCALL_COUNT */

/* One vCPU: its run-state times up to now (as XM_DOMCTL_VCPU_LIST). */
struct xm_vcpu_stats {
	uint32_t	vcpu;
	uint32_t	flags;		/* XM_VCPUF_*; 0: no such vCPU */
	int32_t		runstate;	/* XM_RUNSTATE_* */
	uint32_t	pad;
	uint64_t	cpu_time_ns;	/* = time[XM_RUNSTATE_RUNNING] */
	uint64_t	created_ns;	/* the sum of time[] is now - this */
	uint64_t	time[4];	/* ns in each XM_RUNSTATE_* */
};
_Static_assert(sizeof(struct xm_vcpu_stats) == 64, "xm_vcpu_stats");

/* One domain. */
struct xm_dom_stats {
	xm_domid_t	domain;
	uint16_t	pad0;
	uint32_t	flags;		/* XM_DOMINF_* */
	uint32_t	nr_vcpus;
	uint32_t	nr_online_vcpus;
	uint64_t	tot_pages;	/* frames it owns, all included */
	uint64_t	max_pages;
	uint64_t	cpu_time_ns;	/* the sum of its vCPUs' */
	uint64_t	created_ns;
	uint64_t	hypercalls_total;
	uint64_t	events_sent;	/* EVTCHNOP_send and its VIRQs */
	uint64_t	events_received;	/* ports set pending in it */
	uint64_t	mmu_updates;	/* mmu_update entries */
	uint64_t	va_updates;	/* update_va_mapping calls */
	uint64_t	mmuext_ops;	/* mmuext_op entries */
	uint64_t	traps_bounced;	/* exceptions to its trap table */
	uint64_t	pad1;
	uint64_t	hypercalls[XM_STATS_HYPERCALLS];	/* by number */
	struct xm_vcpu_stats vcpu[XM_STATS_MAX_VCPUS];
};
_Static_assert(sizeof(struct xm_dom_stats) == 1072, "xm_dom_stats");

/* One physical CPU since it came up. */
struct xm_cpu_stats {
	uint32_t	cpu;
	uint32_t	online;		/* 1 when up */
	uint64_t	idle_ns;	/* halted in the idle loop */
	uint64_t	busy_ns;	/* the rest */
	uint64_t	pad;
};
_Static_assert(sizeof(struct xm_cpu_stats) == 32, "xm_cpu_stats");

/*
 * Domains with id >= first, up to max of them, into buffer, and up to
 * nr_cpus CPUs into cpus (nr_cpus out: how many there are).
 */
struct xm_domctl_stats {
	xm_domid_t	first;
	uint16_t	pad;
	uint32_t	max;
	xm_guest_handle_t buffer;	/* array of struct xm_dom_stats */
	xm_guest_handle_t cpus;		/* array of struct xm_cpu_stats */
	uint32_t	count;		/* out */
	uint32_t	nr_cpus;	/* in: room; out: CPUs up */
	uint64_t	now_ns;		/* out: when the figures were taken */
};
_Static_assert(sizeof(struct xm_domctl_stats) == 40, "xm_domctl_stats");

struct xm_domctl {
	uint32_t	cmd;		/* XM_DOMCTL_* */
	uint32_t	interface_version;
	xm_domid_t	domain;
	uint16_t	pad[3];
	union {
		struct xm_domctl_create		create;
		struct xm_domctl_info		info;
		struct xm_domctl_info_list	info_list;
		struct xm_domctl_max_mem	max_mem;
		struct xm_domctl_populate	populate;
		struct xm_domctl_vcpu_context	vcpu_context;
		struct xm_domctl_page_list	page_list;
		struct xm_domctl_copy		copy;
		struct xm_domctl_hypercall_init	hypercall_init;
		struct xm_domctl_physinfo	physinfo;
		struct xm_domctl_shutdown	shutdown;
		struct xm_domctl_console	console;
		struct xm_domctl_sched		sched;
		struct xm_domctl_vcpu_affinity	vcpu_affinity;
		struct xm_domctl_vcpu_list	vcpu_list;
		struct xm_domctl_stats		stats;
		struct xm_domctl_page_info	page_info;
		struct xm_domctl_pin_tables	pin_tables;
		struct xm_domctl_log_dirty	log_dirty;
		uint8_t				pad[128];
	} u;
};
_Static_assert(sizeof(struct xm_domctl) == 144, "xm_domctl");

#endif /* _XM_DOMCTL_H_ */
