/*
 * ctl-peer's "boot" (see ctl-peer.c): the first UNPAUSE of a domain
 * walks the page tables ctrlreg[3] names to the start_info at rsi and
 * checks what the builder wrote, as a PV kernel would find it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ctl-peer.h"

/* The frame that va maps in the domain's page tables, or why not. */
static const char *
walk(int id, uint64_t va, uint64_t *mfn, uint64_t *pte)
{
	uint64_t table = XM_CR3_TO_PFN(doms[id].ctx.ctrlreg[3]), e = 0;
	int shift;

	for (shift = 39; shift >= 12; shift -= 9) {
		if (!owned(id, table) || pages[table] == NULL) {
			logf_("walk %#llx: level %d table %#llx owned %d written %d",
			    (unsigned long long)va, shift,
			    (unsigned long long)table, owned(id, table),
			    pages[table] != NULL);
			return "a page table is not the domain's written frame";
		}
		memcpy(&e, pages[table] + ((va >> shift) & 511) * 8, 8);
		if (!(e & PTE_P))
			return "an address is not mapped";
		table = PTE_MFN(e);
	}
	*mfn = table;
	*pte = e;
	return NULL;
}

static const char *
check_boot(int id, struct xm_start_info *si)
{
	const struct xm_vcpu_guest_context *c = &doms[id].ctx;
	uint64_t mfn, pte, rip_mfn;
	const char *why;

	if (!doms[id].have_ctx)
		return "no SET_VCPU before UNPAUSE";
	if ((why = walk(id, c->user_regs.rip, &rip_mfn, &pte)) != NULL ||
	    (why = walk(id, c->user_regs.rsi, &mfn, &pte)) != NULL)
		return why;
	if (pages[mfn] == NULL || (c->user_regs.rsi & 0xfff) + sizeof(*si) >
	    PAGE_SIZE)
		return "start_info is not written";
	memcpy(si, pages[mfn] + (c->user_regs.rsi & 0xfff), sizeof(*si));
	si->magic[sizeof(si->magic) - 1] = '\0';
	if (strcmp(si->magic, XM_START_INFO_MAGIC) != 0)
		return "start_info has no magic";
	if (si->nr_pages + 1 != doms[id].tot_pages)
		return "start_info's nr_pages is not what was populated";
	if (si->shared_info >> 12 != doms[id].shared_info_mfn)
		return "start_info names another shared_info";
	if (!owned(id, si->console.domU.mfn))
		return "the console page is not the domain's";
	if ((why = walk(id, si->pt_base, &mfn, &pte)) != NULL)
		return why;
	if (mfn != XM_CR3_TO_PFN(c->ctrlreg[3]) || (pte & PTE_RW))
		return "pt_base is not the L4, mapped read-only";
	if ((why = walk(id, c->user_regs.rsp - 8, &mfn, &pte)) != NULL ||
	    !(pte & PTE_RW))
		return "the boot stack is not mapped writable";
	return NULL;
}

void
boot(int id)
{
	struct xm_start_info si;
	const char *why = check_boot(id, &si), *p;

	if (why != NULL) {
		console_out(id, "ctl-peer: d%d BAD BUILD: %s\n", id, why);
		return;
	}
	si.cmd_line[sizeof(si.cmd_line) - 1] = '\0';
	if ((p = strstr((const char *)si.cmd_line, "peer-exit=")) != NULL)
		doms[id].exit_after = atoi(p + 10);
	if ((p = strstr((const char *)si.cmd_line, "peer-pause=")) != NULL)
		doms[id].pause_after = atoi(p + 11);
	console_out(id, "ctl-peer: d%d start_info ok: magic %s, %llu pages, "
	    "cmdline \"%s\"\n", id, si.magic, (unsigned long long)si.nr_pages,
	    (const char *)si.cmd_line);
}

