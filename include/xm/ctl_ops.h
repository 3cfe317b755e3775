/*
 * The control channel's ops: the one list (included by ctl.h, which
 * defines the payload structs the rows name).
 *
 * XM_CTL_OPS(X) expands X once per op:
 *
 *	X(op, number, name, dir, size, tail, reply, reply_elem)
 *
 *	op		its constant, XM_CTL_OP_<NAME>
 *	number		its value on the wire; never reuse one
 *	name		lower case; the handlers are <prefix>_<name>
 *	dir		REQUEST (xmd asks, domain 0 replies) or EVENT
 *			(domain 0 tells, unasked)
 *	size		the request's (event's) fixed payload, bytes
 *	tail		what may follow it: XM_CTL_TAIL_NONE (nothing),
 *			_MEM_DATA (segments and their data), _MEM_SEGS
 *			(segments only), _CONSOLE (console_data.len bytes),
 *			_BYTES (any bytes up to XM_CTL_MAX_PAYLOAD)
 *	reply		a successful reply's fixed payload, bytes
 *	reply_elem	then any number of elements of this size; 0: none
 *
 * klib/ctlop.c checks payloads against the rows; the handler tables
 * of domain 0, xmd (events) and tests/ctl-peer are made from them.
 */

#ifndef _XM_CTL_OPS_H_
#define _XM_CTL_OPS_H_

#define XM_CTL_TAIL_NONE	0
#define XM_CTL_TAIL_MEM_DATA	1
#define XM_CTL_TAIL_MEM_SEGS	2
#define XM_CTL_TAIL_CONSOLE	3
#define XM_CTL_TAIL_BYTES	4

#define XM_CTL_DIR_REQUEST	1
#define XM_CTL_DIR_EVENT	2

#define XM_CTL_OPS(X)							\
	/* hello -> hello_reply */					\
	X(XM_CTL_OP_HELLO, 1, hello, REQUEST,				\
	    sizeof(struct xm_ctl_hello), XM_CTL_TAIL_NONE,		\
	    sizeof(struct xm_ctl_hello_reply), 0)			\
	/* create -> domid */						\
	X(XM_CTL_OP_CREATE, 2, create, REQUEST,				\
	    sizeof(struct xm_ctl_create), XM_CTL_TAIL_NONE,		\
	    sizeof(struct xm_ctl_domid), 0)				\
	/* domid -> - */						\
	X(XM_CTL_OP_DESTROY, 3, destroy, REQUEST,			\
	    sizeof(struct xm_ctl_domid), XM_CTL_TAIL_NONE, 0, 0)	\
	/* domid -> - */						\
	X(XM_CTL_OP_PAUSE, 4, pause, REQUEST,				\
	    sizeof(struct xm_ctl_domid), XM_CTL_TAIL_NONE, 0, 0)	\
	/* domid -> - */						\
	X(XM_CTL_OP_UNPAUSE, 5, unpause, REQUEST,			\
	    sizeof(struct xm_ctl_domid), XM_CTL_TAIL_NONE, 0, 0)	\
	/* shutdown -> - */						\
	X(XM_CTL_OP_SHUTDOWN, 6, shutdown, REQUEST,			\
	    sizeof(struct xm_ctl_shutdown), XM_CTL_TAIL_NONE, 0, 0)	\
	/* domid -> xm_domctl_info */					\
	X(XM_CTL_OP_GETINFO, 7, getinfo, REQUEST,			\
	    sizeof(struct xm_ctl_domid), XM_CTL_TAIL_NONE,		\
	    sizeof(struct xm_domctl_info), 0)				\
	/* list -> xm_domctl_info[] */					\
	X(XM_CTL_OP_LIST, 8, list, REQUEST,				\
	    sizeof(struct xm_ctl_list), XM_CTL_TAIL_NONE,		\
	    0, sizeof(struct xm_domctl_info))				\
	/* max_mem -> - */						\
	X(XM_CTL_OP_MAX_MEM, 9, max_mem, REQUEST,			\
	    sizeof(struct xm_ctl_max_mem), XM_CTL_TAIL_NONE, 0, 0)	\
	/* populate -> uint64_t mfns[nr] */				\
	X(XM_CTL_OP_POPULATE, 10, populate, REQUEST,			\
	    sizeof(struct xm_ctl_populate), XM_CTL_TAIL_NONE,		\
	    0, sizeof(uint64_t))					\
	/* vcpu + xm_vcpu_guest_context -> - */				\
	X(XM_CTL_OP_SET_VCPU, 11, set_vcpu, REQUEST,			\
	    sizeof(struct xm_ctl_vcpu) +				\
	    sizeof(struct xm_vcpu_guest_context), XM_CTL_TAIL_NONE,	\
	    0, 0)							\
	/* vcpu -> xm_vcpu_guest_context */				\
	X(XM_CTL_OP_GET_VCPU, 12, get_vcpu, REQUEST,			\
	    sizeof(struct xm_ctl_vcpu), XM_CTL_TAIL_NONE,		\
	    sizeof(struct xm_vcpu_guest_context), 0)			\
	/* page_list -> page_list_reply + uint64_t mfns[count] */	\
	X(XM_CTL_OP_PAGE_LIST, 13, page_list, REQUEST,			\
	    sizeof(struct xm_ctl_page_list), XM_CTL_TAIL_NONE,		\
	    sizeof(struct xm_ctl_page_list_reply), sizeof(uint64_t))	\
	/* mem + segs + their data -> - */				\
	X(XM_CTL_OP_WRITE_MEM, 14, write_mem, REQUEST,			\
	    sizeof(struct xm_ctl_mem), XM_CTL_TAIL_MEM_DATA, 0, 0)	\
	/* mem + segs -> their data */					\
	X(XM_CTL_OP_READ_MEM, 15, read_mem, REQUEST,			\
	    sizeof(struct xm_ctl_mem), XM_CTL_TAIL_MEM_SEGS, 0, 1)	\
	/* hypercall_init -> - */					\
	X(XM_CTL_OP_HYPERCALL_INIT, 16, hypercall_init, REQUEST,	\
	    sizeof(struct xm_ctl_hypercall_init), XM_CTL_TAIL_NONE,	\
	    0, 0)							\
	/* - -> xm_domctl_physinfo */					\
	X(XM_CTL_OP_PHYSINFO, 17, physinfo, REQUEST,			\
	    0, XM_CTL_TAIL_NONE, sizeof(struct xm_domctl_physinfo), 0)	\
	/* console_attach -> console_port */				\
	X(XM_CTL_OP_CONSOLE_ATTACH, 18, console_attach, REQUEST,	\
	    sizeof(struct xm_ctl_console_attach), XM_CTL_TAIL_NONE,	\
	    sizeof(struct xm_ctl_console_port), 0)			\
	/* console_data + bytes -> - */					\
	X(XM_CTL_OP_CONSOLE_INPUT, 19, console_input, REQUEST,		\
	    sizeof(struct xm_ctl_console_data), XM_CTL_TAIL_CONSOLE,	\
	    0, 0)							\
	/* event: console_data + bytes */				\
	X(XM_CTL_OP_CONSOLE_OUTPUT, 20, console_output, EVENT,		\
	    sizeof(struct xm_ctl_console_data), XM_CTL_TAIL_CONSOLE,	\
	    0, 0)							\
	/* event: domain_event */					\
	X(XM_CTL_OP_DOMAIN_EVENT, 21, domain_event, EVENT,		\
	    sizeof(struct xm_ctl_domain_event), XM_CTL_TAIL_NONE, 0, 0)	\
	/* bytes -> the same bytes (the round trip) */			\
	X(XM_CTL_OP_ECHO, 22, echo, REQUEST,				\
	    0, XM_CTL_TAIL_BYTES, 0, 1)					\
	/* domid -> xm_domctl_sched */					\
	X(XM_CTL_OP_SCHED_GET, 23, sched_get, REQUEST,			\
	    sizeof(struct xm_ctl_domid), XM_CTL_TAIL_NONE,		\
	    sizeof(struct xm_domctl_sched), 0)				\
	/* sched -> - */						\
	X(XM_CTL_OP_SCHED_SET, 24, sched_set, REQUEST,			\
	    sizeof(struct xm_ctl_sched), XM_CTL_TAIL_NONE, 0, 0)	\
	/* vcpu_affinity -> - */					\
	X(XM_CTL_OP_VCPU_AFFINITY, 25, vcpu_affinity, REQUEST,		\
	    sizeof(struct xm_ctl_vcpu_affinity), XM_CTL_TAIL_NONE, 0, 0) \
	/* domid -> xm_vcpu_state[] */					\
	X(XM_CTL_OP_VCPU_LIST, 26, vcpu_list, REQUEST,			\
	    sizeof(struct xm_ctl_domid), XM_CTL_TAIL_NONE,		\
	    0, sizeof(struct xm_vcpu_state)) \
	/* stats -> stats_reply + xm_dom_stats[count] */		\
	X(XM_CTL_OP_STATS, 27, stats, REQUEST,				\
	    sizeof(struct xm_ctl_stats), XM_CTL_TAIL_NONE,		\
	    sizeof(struct xm_ctl_stats_reply),				\
	    sizeof(struct xm_dom_stats))				\
	/* console_attach (the store page) -> console_port */		\
	X(XM_CTL_OP_STORE_ATTACH, 28, store_attach, REQUEST,		\
	    sizeof(struct xm_ctl_console_attach), XM_CTL_TAIL_NONE,	\
	    sizeof(struct xm_ctl_console_port), 0)			\
	/* console_data + xenstore answers -> - */			\
	X(XM_CTL_OP_STORE_INPUT, 29, store_input, REQUEST,		\
	    sizeof(struct xm_ctl_console_data), XM_CTL_TAIL_CONSOLE,	\
	    0, 0)							\
	/* event: console_data + xenstore requests */			\
	X(XM_CTL_OP_STORE_OUTPUT, 30, store_output, EVENT,		\
	    sizeof(struct xm_ctl_console_data), XM_CTL_TAIL_CONSOLE,	\
	    0, 0)							\
	/* domid -> - (a shut-down domain runs on: XM_DOMCTL_RESUME) */	\
	X(XM_CTL_OP_RESUME, 31, resume, REQUEST,			\
	    sizeof(struct xm_ctl_domid), XM_CTL_TAIL_NONE, 0, 0)	\
	/* page_info + uint64_t mfns[nr] -> xm_page_info[nr] */		\
	X(XM_CTL_OP_PAGE_INFO, 32, page_info, REQUEST,			\
	    sizeof(struct xm_ctl_page_info), XM_CTL_TAIL_BYTES,		\
	    0, sizeof(struct xm_page_info))				\
	/* page_info + xm_pin_table[nr] -> - */				\
	X(XM_CTL_OP_PIN_TABLES, 33, pin_tables, REQUEST,		\
	    sizeof(struct xm_ctl_page_info), XM_CTL_TAIL_BYTES, 0, 0)	\
	/* log_dirty -> log_dirty_reply + uint64_t bitmap[count / 64] */ \
	X(XM_CTL_OP_LOG_DIRTY, 34, log_dirty, REQUEST,			\
	    sizeof(struct xm_ctl_log_dirty), XM_CTL_TAIL_NONE,		\
	    sizeof(struct xm_ctl_log_dirty_reply), sizeof(uint64_t))	\
	/* clock -> clock_reply */					\
	X(XM_CTL_OP_CLOCK, 35, clock, REQUEST,				\
	    sizeof(struct xm_ctl_clock), XM_CTL_TAIL_NONE,		\
	    sizeof(struct xm_ctl_clock_reply), 0)

#define XM_CTL_OP_ENUM_(op, num, ...)	op = num,

enum xm_ctl_op {
	XM_CTL_OPS(XM_CTL_OP_ENUM_)
	XM_CTL_OP_ERROR = 0xffff	/* reply to a frame not understood */
};

#undef XM_CTL_OP_ENUM_

#endif /* _XM_CTL_OPS_H_ */
