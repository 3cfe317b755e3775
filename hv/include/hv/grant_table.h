/*
 * Grant tables, version 1 (Xen's grant_table_op): a domain lets another
 * map or copy one of its frames by filling an entry of its grant table,
 * which lives in frames of its own that it maps by the mfns setup_table
 * returns; the other side names the grant by (domain, reference).
 *
 * The grant frames are allocated from the domain's reservation, so
 * gnttab_init raises max_pages by the table's maximum size; hv keeps a
 * writable type reference on each, so none ever becomes a page table.
 * A table starts empty (Xen starts with one frame) and grows when the
 * guest asks, up to max_frames (GNTTAB_DEFAULT_FRAMES unless the
 * control plane sets another).
 *
 * gnttab_destroy runs in domain_destroy, once d's vCPUs are stopped and
 * before its memory is released, without d->lock: it drops d's own
 * mappings of other domains' grants, revokes the mappings other
 * domains hold of d's grants (Xen keeps a dying granter as a zombie
 * until they are unmapped; hv has no zombies yet, so it takes the
 * entries out of the mappers' page tables instead) and frees d's grant
 * frames.  Tear-downs run one at a time, and a domain id cannot get a
 * new grant table (gnttab_init: -EBUSY) until the old one's tear-down
 * is over.
 */
#ifndef HV_GRANT_TABLE_H
#define HV_GRANT_TABLE_H

struct domain;

#define GNTTAB_DEFAULT_FRAMES	4	/* 2048 entries */
#define GNTTAB_MAX_FRAMES	64	/* no domain's max_frames is higher */
#define GNTTAB_MAPTRACK_MAX	4096	/* grant mappings one domain holds */
#define GNTTAB_BATCH_MAX	4096	/* ops in one grant_table_op */

int	gnttab_init(struct domain *);
void	gnttab_destroy(struct domain *);
/* For the control plane: a new maximum, not below the current size. */
int	gnttab_set_max_frames(struct domain *, unsigned int);
/*
 * The frames max_pages holds for d's grant table (its maximum), and
 * those of them not allocated yet (room the guest's own reservation
 * may not take); d->lock held for a stable answer.
 */
unsigned int	gnttab_max_frames(const struct domain *);
unsigned int	gnttab_room(const struct domain *);

#endif
