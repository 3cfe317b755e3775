/*
 * Domains and vCPUs. A domain owns machine frames (mm_domain), event
 * channels and vCPUs; a vCPU is the saved state of one virtual CPU of a
 * PV guest running in ring 3.
 *
 * Locking: d->lock protects the domain's memory, event channels and
 * state; a vCPU's registers belong to the CPU running it. The domain
 * table is changed only under domlist_lock.
 */
#ifndef HV_DOMAIN_H
#define HV_DOMAIN_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include <xm/arch_x86_64.h>
#include <xm/xen_core.h>

#include <hv/event.h>
#include <hv/logdirty.h>
#include <hv/mm.h>
#include <hv/sched.h>
#include <hv/spinlock.h>
#include <hv/stats.h>

#define HV_MAX_DOMAINS		256
#define HV_MAX_VCPUS		8
/* A vCPU polling several ports: an event on any port of its domain. */
#define VCPU_POLL_ANY		UINT64_MAX
#define DOMID_IDLE		0x7fff

enum vcpu_state {
	VCPU_OFFLINE,		/* not brought up, or paused by hv */
	VCPU_RUNNABLE,
	VCPU_RUNNING,
	VCPU_BLOCKED,
};

enum domain_state {
	DOMAIN_BUILDING,
	DOMAIN_RUNNING,
	DOMAIN_SHUTDOWN,	/* shut down, reason kept, frames kept */
	DOMAIN_DYING,
};

struct fxsave_area {
	uint8_t		bytes[512];
} __attribute__((aligned(16)));

#define VCPU_LOW_TRAPS		32	/* the exceptions */

struct vcpu {
	struct domain		*domain;
	unsigned int		id;
	unsigned int		processor;
	enum vcpu_state		state;
	bool			pause_flag;	/* held off by hv */

	struct xm_cpu_user_regs	regs;		/* while not running */
	struct fxsave_area	fpu;
	bool			fpu_ts;		/* guest's virtual CR0.TS */
	unsigned int		iopl;		/* PHYSDEVOP_set_iopl: 0..3 */
	uint64_t		guest_cr4;	/* its own CR4 bits (DE, TSD) */

	bool			in_kernel;	/* guest kernel or user mode */
	uint64_t		kernel_l4;	/* mfn of the kernel's L4 */
	uint64_t		user_l4;	/* mfn, 0 when none */
	uint64_t		kernel_sp;	/* from stack_switch */
	uint64_t		fs_base;
	uint64_t		gs_base_kernel;
	uint64_t		gs_base_user;

	/* Its trap table: hv/x86/trap_table.c (read with vcpu_trap). */
	struct xm_trap_info	traps_low[VCPU_LOW_TRAPS];
	struct xm_trap_info	*traps_high;	/* vectors 32.., or NULL */
	uint64_t		event_callback;
	uint64_t		failsafe_callback;
	uint64_t		syscall_callback;
	bool			syscall_masks_events;
	uint64_t		syscall32_callback;	/* compat mode's */
	bool			syscall32_masks_events;
	uint64_t		sysenter_callback;	/* sysenter's, or 0 */
	bool			sysenter_masks_events;
	bool			failsafe_masks_events;
	bool			seg_lost;	/* a selector did not load */
	uint16_t		seg_lost_sel[4];	/* what it had then */

	struct xm_vcpu_info	*vcpu_info;	/* hv's mapping of it */
	uint64_t		vcpu_info_mfn;	/* registered, or 0 */
	uint64_t		gdt_frames[14];	/* set_gdt: descriptor frames */
	unsigned int		gdt_ents;	/* entries in them, or 0 */
	uint64_t		ldt_base;	/* MMUEXT_SET_LDT: linear */
	unsigned int		ldt_ents;	/* entries there, or 0 */
	uint64_t		ldt_frames[16];	/* its pages held, or 0 */
	bool			desc_stale;	/* GDT/LDT changed elsewhere */
	uint32_t		tsc_aux;	/* its MSR_TSC_AUX */
	uint64_t		debugreg[8];	/* hv/x86/debugreg.c */
	uint64_t		dr7_emul;	/* DR7's I/O enables */
	uint16_t		sel[4];		/* its ds, es, fs, gs (SEG_*) */

	uint64_t		timer_deadline;	/* system time ns, 0 = off */
	uint64_t		periodic_period;
	uint64_t		periodic_next;
	uint64_t		poll_mask_port;	/* SCHEDOP_poll: 0, port + 1
						 * or VCPU_POLL_ANY */

	int			runstate;	/* XM_RUNSTATE_* */
	uint64_t		runstate_since;
	uint64_t		runstate_time[4];
	uint64_t		runstate_area;	/* guest va, 0 = none */
	bool			runstate_pending; /* copy at kernel entry */
	uint64_t		time_area;	/* guest va, 0 = none */
	bool			time_pending;	/* copy at kernel entry */
	uint64_t		poll_deadline;
	struct vcpu		*run_next;	/* scheduler's queue */
	bool			on_queue;
	bool			on_cpu;		/* loaded on a CPU (context.c) */
	bool			placed;		/* has its processor */
	bool			initialised;	/* has had a context */
	uint64_t		dirty_cpus;	/* hv/include/hv/flush.h */
	unsigned int		virq_port[24];	/* its per-vCPU VIRQs */
	struct sched_vcpu	sched;		/* hv/include/hv/sched.h */
	uint64_t		created_ns;	/* runstate_time[] since */
	struct vcpu_stats	stats;		/* hv/stats.c */
	uint64_t		ld_last_va;	/* hv/logdirty.c */
};

struct domain {
	uint16_t		id;
	bool			privileged;
	enum domain_state	state;
	bool			paused;		/* by domctl */
	bool			destroy_claimed;	/* domain_destroy */
	unsigned int		shutdown_reason;
	int			shutdown_code;
	char			name[32];
	spinlock_t		lock;

	struct mm_domain	mm;
	struct logdirty		ld;		/* hv/logdirty.c */
	struct xm_shared_info	*shared_info;	/* hv's view */
	uint64_t		shared_info_mfn;
	uint64_t		pirq_eoi_mfn;	/* PHYSDEVOP_pirq_eoi_gmfn */
	uint64_t		nr_pfns;	/* pseudo-physical frames */
	unsigned int		max_vcpus;
	struct vcpu		*vcpus[HV_MAX_VCPUS];
	uint64_t		dirty_cpus;	/* hv/include/hv/flush.h */
	struct sched_dom	sched;		/* weight, cap */

	struct evtchn		*evtchn[EVTCHN_BUCKETS]; /* ports, or NULL */
	struct grant_table	*gnttab;	/* hv/grant_table.c */
	unsigned int		virq_port[24];	/* global VIRQs */
	uint64_t		console_mfn;	/* domU console ring */
	unsigned int		console_port;
	char			con_line[256];	/* console output, a line */
	unsigned int		con_len;
	unsigned int		shutdown_code_next;	/* SCHEDOP_shutdown_code */
	uint64_t		vm_assist;
	uint64_t		log_window;	/* rate limiting of refusals */
	uint32_t		log_count;
	uint32_t		log_dropped;
	uint64_t		created_ns;
	uint64_t		events_received;	/* hv/stats.c */
};

extern struct domain *domain_table[HV_MAX_DOMAINS];

struct domain	*domain_create(uint16_t id, bool privileged,
		    unsigned int max_vcpus, uint64_t max_pages);
struct domain	*domain_get(uint16_t id);
void		 domain_list_lock(void);
void		 domain_list_unlock(void);
struct vcpu	*vcpu_create(struct domain *, unsigned int id);
void		 domain_shutdown(struct domain *, unsigned int reason);
void		 vcpu_runstate_change(struct vcpu *, int state, uint64_t now);
void		 vcpu_runstate_publish(struct vcpu *);
void		 domain_crash(struct domain *, const char *why);
void		 domain_destroy(struct domain *);
void		 domain_wait_off_cpu(struct domain *);
void		 domain_grace_period(void);
unsigned int	 domains_alive(void);
const char	*shutdown_reason_name(unsigned int);

/* A vCPU's debug registers (hv/x86/debugreg.c). */
void	debugreg_init(struct vcpu *);
long	debugreg_set(struct vcpu *, unsigned int reg, uint64_t value);
long	debugreg_get(const struct vcpu *, unsigned int reg, uint64_t *out);
long	debugreg_check_all(const struct vcpu *, const uint64_t dr[8]);
void	debugreg_switch(const struct vcpu *prev, const struct vcpu *next);
void	debugreg_trap(struct vcpu *);
unsigned int debugreg_io_match(const struct vcpu *, unsigned int port,
	    unsigned int len);
void	debugreg_io_hit(struct vcpu *, unsigned int match);

/* A vCPU's trap table (hv/x86/trap_table.c). */
const struct xm_trap_info *vcpu_trap(const struct vcpu *, unsigned int vec);
int	vcpu_trap_set(struct vcpu *, unsigned int vec,
	    const struct xm_trap_info *);
int	vcpu_traps_high(struct vcpu *);
int	vcpu_traps_room(struct vcpu *, const struct xm_trap_info *table);
void	vcpu_traps_clear(struct vcpu *);
void	vcpu_traps_free(struct vcpu *);

/* Log a guest's misbehaviour, at most a few lines a second per domain. */
void	domain_log_refusal(struct domain *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	domain_vlog_refusal(struct domain *, const char *fmt, va_list)
	    __attribute__((format(printf, 2, 0)));

#endif
