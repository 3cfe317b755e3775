/*
 * Grant tables, version 1.  gnttab_init() has hv set up the guest's
 * grant table and maps its frames; then the guest grants frames to
 * other domains by reference, and maps or copies other domains' grants.
 *
 * Functions returning int give 0 (or a ref) on success, a negative
 * XM_GNTST_* when hv refused the operation, or -XM_E* when hv refused
 * the hypercall itself.
 */

#ifndef _GUEST_GNTTAB_H_
#define _GUEST_GNTTAB_H_

#include <stdint.h>

#include <xm/grant_table.h>
#include <xm/hypercall.h>

#define GNTTAB_NR_FRAMES	4
#define GNTTAB_NR_ENTRIES	\
	(GNTTAB_NR_FRAMES * 4096 / sizeof(struct xm_grant_entry_v1))

int	gnttab_init(void);
/* Let domid map or copy machine frame mfn; the reference, or -XM_E*. */
int	gnttab_grant_access(xm_domid_t domid, xm_pfn_t mfn, int readonly);
/* Revoke; -XM_EBUSY while the grantee still has it mapped. */
int	gnttab_end_access(xm_grant_ref_t ref);
/* Our entry for ref, to look at hv's READING/WRITING bits. */
volatile struct xm_grant_entry_v1 *gnttab_entry(xm_grant_ref_t ref);

/* Map domid's grant ref at va (GNTMAP_host_map); *handle for unmap. */
int	gnttab_map(xm_domid_t domid, xm_grant_ref_t ref, uint64_t va,
	    int readonly, xm_grant_handle_t *handle);
int	gnttab_unmap(uint64_t va, xm_grant_handle_t handle);
/* count copies in one call; 0 or the first failing status. */
int	gnttab_copy(struct xm_gnttab_copy *ops, unsigned int count);

#endif /* _GUEST_GNTTAB_H_ */
