/*
 * fuzz: a domain that throws random and structured-random hypercalls at
 * hv, from a seed on its command line, to find what hand-written tests
 * miss.  hv must neither panic nor hang, and no other domain may notice.
 *
 * Each call is generated (gen_*.c, values.c), made safe for the fuzzer
 * itself (safe.c: nothing may unmap its code, overwrite its data or take
 * its traps and callbacks for good), issued with fault recovery
 * (issue.c, using guests/hostile's fault.c and trap.S) and its
 * (hypercall, sub-operation, result) triple recorded (stats.c).  What
 * the fuzzer owns and runs on, and the sandbox it may wreck, is self.c.
 */

#ifndef _FUZZ_H_
#define _FUZZ_H_

#include <stddef.h>
#include <stdint.h>

#include <xm/hypercall.h>

#define FZ_MAX_ARGS	6

/* How a call is made. */
enum fz_kind {
	FZ_K_HYPERCALL,	/* syscall nr with a[0..4] */
	FZ_K_IRET,	/* the iret hypercall back here: cs, rflags, ss */
	FZ_K_BLOCK,	/* set_timer_op(a[0]), then SCHEDOP_block */
};

/* What safe.c found it must restore after the call. */
#define FZ_RESTORE_TRAPS	0x01u
#define FZ_RESTORE_CALLBACKS	0x02u
#define FZ_RESTORE_FPU		0x04u
#define FZ_RESTORE_SEGBASE	0x08u
#define FZ_RESTORE_DEBUGREG	0x10u
#define FZ_RESTORE_GDT		0x20u
/* A console write the generator vouches for (console.c's junk line). */
#define FZ_CONSOLE_OK		0x100u

struct fz_call {
	enum fz_kind	kind;
	uint64_t	nr;
	uint64_t	a[FZ_MAX_ARGS];
	uint32_t	flags;		/* FZ_RESTORE_*, FZ_CONSOLE_OK */
	const char	*gen;		/* the generator's name */
	long		rc;
	uint64_t	fault;		/* 1 + vector of its fault */
};

/* A generator fills c (and the arena) with one call. */
typedef void	fz_gen_t(struct fz_call *c);

/* --- rng.c ------------------------------------------------------------ */
void		rng_seed(uint64_t seed);
uint64_t	rng_next(void);
uint64_t	rng_below(uint64_t n);	/* [0, n); 0 when n is 0 */
int		rng_one_in(uint64_t n);
void		rng_fill(void *p, size_t n);
uint64_t	rng_pick(const uint64_t *v, size_t n);
#define RNG_PICK(v)	rng_pick((v), sizeof(v) / sizeof((v)[0]))

/* --- values.c: argument generators ----------------------------------- */
uint64_t	gen_small(void);
uint64_t	gen_boundary(void);
uint64_t	gen_value(void);	/* any class below */
uint64_t	gen_domid(void);
uint64_t	gen_port(void);
uint64_t	gen_gref(void);
uint64_t	gen_mfn(void);		/* own, pool, others', hv's ... */
uint64_t	gen_pte(void);		/* an entry value for any level */
uint64_t	gen_ptr(void);		/* junk, sink, hv, tables ... */
uint64_t	gen_bad_ptr(void);	/* one hv must refuse */
uint64_t	gen_va(void);		/* for update_va_mapping */
uint64_t	gen_count(uint64_t usual);

/* --- self.c: what the fuzzer owns ------------------------------------ */
enum fz_region {
	FZ_R_ARENA,	/* structured arguments, made safe per call */
	FZ_R_JUNK,	/* random bytes that hv may overwrite */
	FZ_R_SINK,	/* where hv's writes to the fuzzer's memory go */
	FZ_R_LIVE,	/* the fuzzer's code, data and stack: hands off */
	FZ_R_TABLE,	/* its live page tables, mapped read-only */
	FZ_R_OTHER,	/* the sandbox, unmapped, hv's, non-canonical */
};

#define SANDBOX_L4_SLOT	1
#define SANDBOX_VA	(UINT64_C(1) << 39)
#define SANDBOX_L1S	2
#define SANDBOX_PAGES	(SANDBOX_L1S * 512)

struct fz_self {
	uint8_t		*arena, *junk, *sink;
	size_t		 arena_size, junk_size, sink_size;
	uint64_t	 l4_mfn;
	uint64_t	 sandbox_l1[SANDBOX_L1S];	/* mfns */
	uint64_t	 sandbox_l2, sandbox_l3;
	uint64_t	 pool[4096];
	unsigned int	 pool_n;
	uint64_t	 max_mfn;
	uint16_t	 domid;
	uint32_t	 ports[64];		/* its own, any state */
	unsigned int	 ports_n;
	uint32_t	 protected_ports[4];
	unsigned int	 protected_n;
	uint32_t	 grefs[32];			/* granted by it */
	unsigned int	 grefs_n;
	uint64_t	 live_frames;
	volatile uint64_t timer_ticks;
};

extern struct fz_self	fz;

int		self_init(void);
int		mfn_is_live(uint64_t mfn);
int		mfn_is_pool(uint64_t mfn);
int		mfn_is_own(uint64_t mfn);
int		mfn_is_live_table(uint64_t mfn);
void		pool_add(uint64_t mfn);
void		pool_remove(uint64_t mfn);
uint64_t	pool_any(void);
/* One of the first pool frames: the sandbox's tables and pages. */
uint64_t	pool_hot(void);
/* An entry of one of its live tables: machine address. */
uint64_t	live_table_maddr(void);
uint64_t	live_any(void);
enum fz_region	region_of(uint64_t va);
/*
 * The entry at machine address maddr, if it is in one of the fuzzer's
 * live tables and must keep its value: 1 with the value in *cur.
 */
int		entry_protected(uint64_t maddr, uint64_t *cur);
/* The same for the L1 entry that maps va in the live tables. */
int		va_protected(uint64_t va, uint64_t *cur);
/* Machine address of the sandbox L1 entry for page i of the window. */
uint64_t	sandbox_entry_maddr(unsigned int i);
/* Nothing can be mapped at va: hv's, non-canonical, a guard page ... */
int		va_unmapped(uint64_t va);
int		port_protected(uint32_t port);
void		port_add(uint32_t port);
/* Protected entries that changed since start-up; the first in buf. */
uint64_t	self_check(char *buf, size_t n);

/* --- arena.c: per-call argument memory ------------------------------- */
void		arena_reset(void);
void		*arena_alloc(size_t n);		/* NULL when full */
int		arena_block(uint64_t p, uint64_t *end, int *tail);
/* Usually a, sometimes a bad pointer hv must refuse. */
uint64_t	arena_or_bad(void *a);
uint64_t	junk_ptr(size_t len);
uint64_t	sink_ptr(size_t len);

/* --- safe.c ---------------------------------------------------------- */
void		safe_call(struct fz_call *c);
void		safe_restore(uint32_t flags);
uint64_t	safe_pte(uint64_t val);

/* --- issue.c --------------------------------------------------------- */
/* trace: print the call, as it will be made, before making it. */
void		issue(struct fz_call *c, int trace);
void		trace_call(const struct fz_call *c, int done);
long		hypercall6(uint64_t nr, const uint64_t *a);

/* --- stats.c --------------------------------------------------------- */
void		stats_record(uint64_t nr, uint64_t cmd, long rc);
/* The sub-operation of a call, as far as the paths seen go. */
uint64_t	stats_cmd(uint64_t nr, const uint64_t *a);
void		stats_call(const struct fz_call *c);
unsigned int	stats_distinct(void);
void		stats_dump(void);
uint64_t	stats_faults(void);
const char	*hc_name(uint64_t nr);
void		call_describe(const struct fz_call *c, int done, char *buf,
		    size_t n);

/* --- the generators: gen_mm.c, gen_grant.c, gen_cpu.c, gen_misc.c ---- */
fz_gen_t	gen_random_call, gen_mmu_update, gen_mmuext_op;
fz_gen_t	gen_update_va_mapping, gen_memory_op, gen_multicall;
fz_gen_t	gen_grant_table_op, gen_event_channel_op, gen_vcpu_op;
fz_gen_t	gen_sched_op, gen_trap_table, gen_callbacks;
fz_gen_t	gen_stack_switch, gen_console_io, gen_physdev_op;
fz_gen_t	gen_domctl, gen_xen_version, gen_timer, gen_cpu_state;
fz_gen_t	gen_iret;
/* Any generator, by weight. */
void		gen_any(struct fz_call *c);
int		gen_only(const char *list);
/* A call that may go into a multicall list (no iret, no block). */
void		gen_batchable(struct fz_call *c);
/* gen_grant.c: a successful map; the handles are worth unmapping. */
void		grant_mapped(uint64_t uop, uint64_t count);

#endif /* _FUZZ_H_ */
