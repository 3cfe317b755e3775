/*
 * The guest runtime's start of day and end: what hv handed over at
 * entry, the shared_info page, and shutting the domain down.
 *
 * A guest kernel defines guest_main(); the runtime's entry code gets
 * there with .bss cleared, its own stack, a trap table, shared_info
 * mapped, the event and failsafe callbacks registered and events
 * enabled (every port still masked).  Returning from guest_main() is
 * guest_exit(code).
 */

#ifndef _GUEST_GUEST_H_
#define _GUEST_GUEST_H_

#include <stdint.h>

#include <xm/xen_core.h>

#include <guest/asm.h>

#define GUEST_NORETURN	__attribute__((__noreturn__))

/* Defined by each guest kernel. */
int	guest_main(void);

/* As hv left them at entry; guest_start_info is never NULL after entry. */
extern struct xm_start_info	*guest_start_info;
extern struct xm_shared_info	*guest_shared_info;	/* NULL unmapped */
extern uint64_t			 guest_boot_sp;		/* rsp at entry */

/* The image's bounds, from the linker script (.bss included). */
extern char	guest_image_start[], guest_image_end[];

/* The command line from start_info, always NUL-terminated. */
const char	*guest_cmdline(void);
/*
 * The number key=N on the command line (decimal, 0x hex or 0 octal):
 * dflt when it is not there, not a number or above max.
 */
uint64_t	 guest_cmdline_num(const char *key, uint64_t dflt, uint64_t max);

/*
 * vCPU 0's vcpu_info in shared_info (the runtime runs on vCPU 0 only);
 * while shared_info is not mapped, a private stand-in with events masked.
 */
struct xm_vcpu_info	*guest_vcpu_info(void);

/*
 * 0: SHUTDOWN_poweroff.  Anything else: print the code, then
 * SHUTDOWN_crash.  Console output is flushed first.
 */
void	guest_exit(int code) GUEST_NORETURN;
/* SCHEDOP_shutdown with an XM_SHUTDOWN_* reason. */
void	guest_shutdown(unsigned int reason) GUEST_NORETURN;

/*
 * Map shared_info at its page from start_info's machine address, or
 * take it away before a suspend (guest/suspend.h); unmapped,
 * guest_shared_info is NULL and guest_vcpu_info() the masked stand-in.
 * 0 or -XM_E*.
 */
int	shared_info_map(void);
int	shared_info_unmap(void);

/* The p2m's frames in shared_info, for save (guests/lib/p2m.c). */
void	p2m_publish(void);

/* Called by entry.S only. */
void	guest_start(struct xm_start_info *si, uint64_t boot_sp)
	    GUEST_NORETURN;

#endif /* _GUEST_GUEST_H_ */
