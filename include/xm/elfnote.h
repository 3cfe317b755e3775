/*
 * Xen x86-64 PV guest ABI: the ELF notes by which a guest kernel image
 * tells its loader where to enter it, where to put the hypercall page
 * and what it expects of the hypervisor.
 */

#ifndef _XM_ELFNOTE_H_
#define _XM_ELFNOTE_H_

#include <stdint.h>

/* The owner name of every note, NUL included in namesz. */
#define XM_ELFNOTE_NAME			"Xen"
#define XM_ELFNOTE_NAMESZ		4

/* Note types; the descriptor is a string or a native-sized value. */
#define XM_ELFNOTE_INFO			0	/* unused */
#define XM_ELFNOTE_ENTRY		1	/* virtual entry point */
#define XM_ELFNOTE_HYPERCALL_PAGE	2	/* its virtual address */
#define XM_ELFNOTE_VIRT_BASE		3
#define XM_ELFNOTE_PADDR_OFFSET		4
#define XM_ELFNOTE_XEN_VERSION		5	/* string */
#define XM_ELFNOTE_GUEST_OS		6	/* string */
#define XM_ELFNOTE_GUEST_VERSION	7	/* string */
#define XM_ELFNOTE_LOADER		8	/* string, "generic" */
#define XM_ELFNOTE_PAE_MODE		9	/* string, 32-bit guests */
#define XM_ELFNOTE_FEATURES		10	/* string: a|!b, ! = required */
#define XM_ELFNOTE_BSD_SYMTAB		11	/* string, "yes" or "no" */
#define XM_ELFNOTE_HV_START_LOW		12	/* lowest start of hv's hole */
#define XM_ELFNOTE_L1_MFN_VALID		13
#define XM_ELFNOTE_SUSPEND_CANCEL	14
#define XM_ELFNOTE_INIT_P2M		15	/* where to map the p2m */
#define XM_ELFNOTE_MOD_START_PFN	16
#define XM_ELFNOTE_SUPPORTED_FEATURES	17	/* XENFEAT bitmap */
/* 32-bit entry point for a PVH start, paging off. */
#define XM_ELFNOTE_PHYS32_ENTRY		18
#define XM_ELFNOTE_MAX			XM_ELFNOTE_PHYS32_ENTRY

/* Notes hv writes into a crash dump, not read from guest images. */
#define XM_ELFNOTE_CRASH_INFO			0x1000001
#define XM_ELFNOTE_CRASH_REGS			0x1000002
#define XM_ELFNOTE_DUMPCORE_NONE		0x2000000
#define XM_ELFNOTE_DUMPCORE_HEADER		0x2000001
#define XM_ELFNOTE_DUMPCORE_XEN_VERSION		0x2000002
#define XM_ELFNOTE_DUMPCORE_FORMAT_VERSION	0x2000003

/*
 * An ELF note header, the same in 32- and 64-bit ELF, so that a loader
 * built freestanding needs no <elf.h>.  Name and descriptor follow,
 * each padded to 4 bytes.
 */
struct xm_elfnote_header {
	uint32_t	namesz;
	uint32_t	descsz;
	uint32_t	type;		/* XM_ELFNOTE_* */
};
_Static_assert(sizeof(struct xm_elfnote_header) == 12,
    "xm_elfnote_header");

#endif /* _XM_ELFNOTE_H_ */
