/*
 * hostile: a guest that attacks hv and reports, as TAP, how each
 * attack was refused.  Shared by its files: surviving faults on
 * purpose (trap.S, fault.c), reporting, and the attack groups.
 */

#ifndef _HOSTILE_H_
#define _HOSTILE_H_

#include <stdint.h>

/* hv's reserved range, its image and direct map (hv/include/hv/layout.h). */
#define HV_RANGE_START	UINT64_C(0xffff800000000000)
#define HV_IMAGE_VA	UINT64_C(0xffff82d080000000)
#define HV_DIRECTMAP	UINT64_C(0xffff830000000000)
/* hv's image is loaded at 2 MiB. */
#define HV_IMAGE_MFN	UINT64_C(0x200)
#define NONCANONICAL	UINT64_C(0x0000800000000000)
/* A p2m entry with no frame behind it (given back). */
#define HX_P2M_HOLE	(~UINT64_C(0))
/* Far above any RAM QEMU gives a test. */
#define MFN_NOT_RAM	(UINT64_C(1) << 30)

/* Exception vectors the attacks expect. */
#define VEC_DB		1
#define VEC_UD		6
#define VEC_GP		13
#define VEC_PF		14

/* #PF error code bits. */
#define PF_P		0x1
#define PF_W		0x2
#define PF_U		0x4
#define PF_I		0x10

/* The fault a guarded attack ended with. */
struct hx_fault {
	uint64_t	vector;
	uint64_t	error;
	uint64_t	rip;
	uint64_t	rsp;
	uint64_t	cr2;	/* #PF only, from vcpu_info */
};

/* A recovery point; trap.S knows the layout. */
struct hx_jmp {
	uint64_t	rbx;
	uint64_t	rbp;
	uint64_t	r12;
	uint64_t	r13;
	uint64_t	r14;
	uint64_t	r15;
	uint64_t	rsp;
	uint64_t	rip;
};

typedef void	hx_fn_t(uint64_t arg);

/* trap.S */
int		hx_setjmp(struct hx_jmp *j) __attribute__((returns_twice));
long		hx_syscall(uint64_t nr, uint64_t a1, uint64_t a2, uint64_t a3,
		    uint64_t a4, uint64_t a5);
uint64_t	hx_iret(uint64_t cs, uint64_t rflags, uint64_t ss);
uint64_t	hx_rflags(void);
void		hx_stack_smash(uint64_t sp) __attribute__((__noreturn__));
void		hx_event_tramp(void);
/* The runtime's event entry (guests/lib/entry.S). */
void		event_callback(void);

/* fault.c */
void	hx_traps_init(void);
void	hx_trap_bp(void);	/* its #BP entry: no error code */
int	hx_set_event_callback(uint64_t address);
/* Run fn(arg): 1 with *f filled when it faulted, 0 when it returned. */
int	hx_run(hx_fn_t *fn, uint64_t arg, struct hx_fault *f);
/*
 * One TAP line: fn(arg) must fault with vector (and error code, unless
 * error is -1; and cr2 for #PF, unless cr2 is 0).
 */
int	hx_expect_fault(hx_fn_t *fn, uint64_t arg, uint64_t vector,
	    int64_t error, uint64_t cr2, const char *fmt, ...)
	    __attribute__((__format__(__printf__, 6, 7)));
/* One TAP line: rc must be want or, if want2 is not 0, want2. */
int	hx_expect_rc(long rc, long want, long want2, const char *fmt, ...)
	    __attribute__((__format__(__printf__, 4, 5)));
/* One TAP line for a refusal judged by the caller. */
int	hx_refused(int ok, const char *how, const char *fmt, ...)
	    __attribute__((__format__(__printf__, 3, 4)));

/* The attack groups, in the order they run. */
void	attack_memory(void);
void	attack_mmu(void);
void	attack_cpu(void);
void	attack_hypercalls(void);
void	attack_events(void);
void	attack_grants(void);
void	attack_hardening(void);
void	hx_busy_forever(void) __attribute__((__noreturn__));

/* gnttab_init() at start, before attacks that use up reservation. */
extern int	hx_gnttab_rc;

/* A page-aligned scratch page of the image, mapped writable. */
extern uint8_t	hx_scratch[];
/* Own machine frames: is mfn one of ours? */
int	hx_own_mfn(uint64_t mfn);

#endif /* _HOSTILE_H_ */
