/*
 * Page tables between machine and pseudo-physical frame numbers, as
 * Xen's save and restore of a PV domain turn them: saved, each present
 * entry of an L1-L4 table names the pfn of its frame rather than the
 * mfn, and hv's own L4 slots are cleared (hv fills them again when the
 * table is pinned); restored, each pfn becomes the new domain's mfn.  An
 * entry that is not present is kept as it is (the guest's, e.g. swap).
 * A frame the domain does not own, a pfn it does not have, or a pfn
 * whose p2m slot has no frame (CANON_NO_MFN) cannot be turned: the
 * error names the level, the slot and the frame or pfn.
 */
#ifndef XMD_SAVE_CANON_H
#define XMD_SAVE_CANON_H

#include <stddef.h>
#include <stdint.h>

#define CANON_ENTRIES	512
#define CANON_NO_MFN	UINT64_MAX	/* a p2m slot: the pfn has no frame */

/* mfn -> pfn for one domain's frames, sorted for lookup. */
struct canon_map {
	uint64_t	*cm_pairs;	/* mfn, pfn, mfn, pfn ... */
	size_t		 cm_n;
};

/* From n frames (mfns[i] is pfn pfns[i]): 0, or -1 (ENOMEM). */
int	canon_map_init(struct canon_map *, const uint64_t *mfns,
	    const uint64_t *pfns, size_t n);
void	canon_map_free(struct canon_map *);
/* 0 with *pfn, or -1 if mfn is not one of the domain's frames. */
int	canon_pfn(const struct canon_map *, uint64_t mfn, uint64_t *pfn);

/* A table of level 1-4 in place; 0, or -1 with why in err.  p2m[] has
 * nr_pfns slots, CANON_NO_MFN (or any value past a PTE's frame bits)
 * for a pfn without a frame. */
int	canon_table(uint64_t e[CANON_ENTRIES], unsigned int level,
	    const struct canon_map *, char *err, size_t errlen);
int	uncanon_table(uint64_t e[CANON_ENTRIES], unsigned int level,
	    const uint64_t *p2m, uint64_t nr_pfns, char *err, size_t errlen);

#endif
