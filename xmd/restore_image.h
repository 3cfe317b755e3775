/*
 * A save file read for restore, before anything is made from it: the
 * whole file verified (sf_verify), then every record but the pages'
 * contents read and checked against each other: one DEFINITION, one
 * DOMAIN before the records that depend on it, vCPU ids and pfns in
 * range and each once, the pages the DOMAIN record counts, start_info
 * and the p2m's frames among them.  The pages themselves are read
 * later, in file order (rs_pages_next), as restore writes them.
 */
#ifndef XMD_RESTORE_IMAGE_H
#define XMD_RESTORE_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include <xm/arch_x86_64.h>

#include "savefile.h"

#define RS_PAGE_SIZE	4096
#define RS_DEF_MAX	(1u << 20)	/* bytes of definition */
#define RS_PFNS_MAX	(UINT64_C(1) << 26)	/* 256 GiB of pfns */

struct rs_vcpu {
	int				present;
	uint32_t			flags;		/* SF_VCPU_* */
	struct xm_vcpu_guest_context	ctx;
};

struct rs_pin {
	uint64_t	pfn;
	uint32_t	level;		/* XM_PAGE_L1TAB .. L4TAB */
	uint32_t	pad;
};

struct rs_image {
	int		 ri_fd;
	char		*ri_def;		/* NUL-terminated */
	size_t		 ri_def_len;
	struct sf_domain ri_dom;
	uint64_t	*ri_p2m_frames;		/* pfns */
	uint64_t	 ri_np2m;
	uint8_t		 ri_shinfo[RS_PAGE_SIZE];
	uint8_t		 ri_start_info[RS_PAGE_SIZE];
	struct rs_vcpu	*ri_vcpus;		/* ri_dom.nr_vcpus */
	uint8_t		*ri_type;		/* per pfn: 0 absent, 1 + type */
	struct rs_pin	*ri_pins;		/* by level, L1 first */
	size_t		 ri_npins;
	uint64_t	 ri_store_pfn;		/* 0: none */
	uint64_t	 ri_console_pfn;	/* 0: none */
};

/* 0, or -1 with why in err; ri is freed by rs_image_free either way. */
int	rs_image_read(struct rs_image *, int fd, char *err, size_t errlen);
void	rs_image_free(struct rs_image *);

/* The pages, in file order. */
struct rs_pages {
	const struct rs_image *rp_img;
	struct sf_reader rp_r;
	uint32_t	 rp_count;	/* of the current record */
	uint32_t	 rp_idx;
};

void	rs_pages_begin(struct rs_pages *, const struct rs_image *);
/* 1: *word and page; 0: no more; -1 with errno (EILSEQ: a word
 * rs_image_read did not see there, the file changed). */
int	rs_pages_next(struct rs_pages *, uint64_t *word,
	    uint8_t page[RS_PAGE_SIZE]);

#endif
