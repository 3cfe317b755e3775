/*
 * ctl-peer's insides (see ctl-peer.c), shared by its files: the
 * domains it keeps and the frames they own.
 */
#ifndef CTL_PEER_H
#define CTL_PEER_H

#include <stdint.h>

#include <xm/ctl.h>
#include <xm/xen_core.h>

#include "ctl-peer-sched.h"

#define MAX_DOMS	16
#define MAX_FRAMES	(1U << 18)	/* 1 GiB of 4 KiB frames */
#define PAGE_SIZE	4096
#define HDR		sizeof(struct xm_ctl_hdr)
#define TICK_MS		100
#define PTE_P		UINT64_C(1)
#define PTE_RW		UINT64_C(2)
#define PTE_MFN(e)	(((e) & UINT64_C(0x000ffffffffff000)) >> 12)

struct pdom {
	int		used;
	uint32_t	flags;
	uint32_t	shutdown_reason;
	uint32_t	vcpus;
	uint64_t	max_pages;
	uint64_t	tot_pages;
	uint64_t	shared_info_mfn;
	int		have_ctx;
	struct xm_vcpu_guest_context ctx;
	int		console;
	unsigned int	ticks;
	uint64_t	created_ns;
	int		exit_after;	/* peer-exit=N; 0: never */
	int		pause_after;	/* peer-pause=N; 0: never */
	struct peer_sched sched;
};

extern struct pdom	 doms[MAX_DOMS];
extern uint8_t		 owner[MAX_FRAMES];	/* domid + 1, 0 */
extern uint8_t		*pages[MAX_FRAMES];	/* written frames */

void	logf_(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A line on domain id's console, as CONSOLE_OUTPUT. */
void	console_out(int id, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
int	owned(int id, uint64_t mfn);

/* ctl-peer-boot.c: UNPAUSE of a new domain checks what was built. */
void	boot(int id);

#endif
