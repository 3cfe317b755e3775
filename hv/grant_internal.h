/*
 * What the grant-table files share (grant_table.c: the table, its
 * frames, pins and the hypercall; grant_map.c: mappings; grant_copy.c:
 * copies).
 *
 * Locking.  A domain's grant table, active entries and maptrack are
 * changed under its d->lock, like its frames.  An operation that
 * involves two domains takes both locks in domain id order
 * (gnt_lock2), and holds them from its checks to its last reference
 * change, so a granter's pins and the references on its frame always
 * move together.  hv changes a shared entry only by atomic operations
 * on its flags: the granting guest writes it concurrently.
 */
#ifndef HV_GRANT_INTERNAL_H
#define HV_GRANT_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include <xm/grant_table.h>

#include <hv/grant_table.h>

struct domain;

#define GNT_PER_FRAME		(4096 / sizeof(struct xm_grant_entry_v1))
#define MAPTRACK_PER_CHUNK	256
#define MAPTRACK_CHUNKS		(GNTTAB_MAPTRACK_MAX / MAPTRACK_PER_CHUNK)
#define MAPTRACK_NIL		UINT32_MAX

/*
 * Pins, as Xen counts them: host mappings and copies in progress of a
 * grant, read-only and writable, 8 bits each; a count that reaches
 * 0x80 refuses more.
 */
#define PIN_W_INC		0x0001U
#define PIN_W_MASK		0x00ffU
#define PIN_R_INC		0x0100U
#define PIN_R_MASK		0xff00U
#define PIN_FULL		0x8080U

/* hv's side of a grant entry: who uses it, and which frame. */
struct gnt_active {
	uint32_t	pin;
	uint16_t	domid;		/* the grantee, while pinned */
	uint16_t	pad;
	uint64_t	mfn;		/* read from the entry at first pin */
};

/*
 * One grant mapping a domain holds, its index the handle.  l1_mfn and
 * slot say where the entry went, for revoking it when the granter
 * dies; flags is 0 for a free entry, which links to the next free one.
 */
struct gnt_map {
	uint32_t	ref;
	uint16_t	dom;		/* the granter */
	uint16_t	flags;		/* XM_GNTMAP_*, low 16 bits */
	uint64_t	mfn;
	uint64_t	l1_mfn;
	uint32_t	slot;
	uint32_t	next_free;
};

struct grant_table {
	bool			 dying;
	unsigned int		 nr_frames;
	unsigned int		 max_frames;
	uint64_t		 mfn[GNTTAB_MAX_FRAMES];
	struct xm_grant_entry_v1 *shared[GNTTAB_MAX_FRAMES];
	struct gnt_active	*active[GNTTAB_MAX_FRAMES];
	struct gnt_map		*maptrack[MAPTRACK_CHUNKS];
	uint32_t		 maptrack_limit;	/* handles that exist */
	uint32_t		 maptrack_free;		/* free list head */
};

/* grant_table.c */
struct domain *gnt_domain(uint16_t id);
void	gnt_lock2(struct domain *, struct domain *);
void	gnt_unlock2(struct domain *, struct domain *);
bool	gnt_usable(const struct domain *);
int16_t	gnt_acquire(struct domain *ld, struct domain *rd, uint32_t ref,
	    bool ro, bool map, uint64_t *mfn);
void	gnt_release(struct domain *rd, uint32_t ref, bool ro);

/* grant_map.c */
int16_t	gnt_map_one(struct domain *, struct xm_gnttab_map_grant_ref *);
int16_t	gnt_unmap_one(struct domain *, struct xm_gnttab_unmap_grant_ref *);
void	gnt_release_mappings(struct domain *);
void	gnt_revoke_mappings_of(struct domain *);
void	gnt_maptrack_free(struct grant_table *);

/* grant_copy.c */
int16_t	gnt_copy_one(struct domain *, struct xm_gnttab_copy *);

#endif
