/*
 * The inputs both layout tests plan from (test_layout.c,
 * test_layout_tables.c): a kernel image at base..kend, as the Xen ELF
 * parser would describe it, and a domain of a number of pages.
 */
#ifndef _XM_TESTS_LAYOUT_FIXTURE_H_
#define _XM_TESTS_LAYOUT_FIXTURE_H_

#include <stdint.h>
#include <string.h>

#include <klib/xen_elf.h>
#include <klib/xen_layout.h>

static inline void
elf_for(struct xen_elf_info *e, uint64_t base, uint64_t kend)
{
	memset(e, 0, sizeof(*e));
	e->xi_virt_base = base;
	e->xi_virt_kstart = base;
	e->xi_virt_kend = kend;
	e->xi_entry = base + 0x1000;
	e->xi_hypercall_page = XEN_ELF_UNSET;
}

static inline void
in_for(struct xen_layout_in *in, uint64_t base, uint64_t kend,
    uint64_t pages, uint32_t flags)
{
	struct xen_elf_info e;

	elf_for(&e, base, kend);
	memset(in, 0xa5, sizeof(*in));	/* in_init sets every field */
	xen_layout_in_init(in, &e, pages, flags);
}

static inline int
plan(struct xen_layout *l, const struct xen_layout_in *in, const char **why)
{
	*why = NULL;
	return xen_layout_plan(l, in, why);
}

#endif
