/*
 * A save file read for restore, before anything is made from it: the
 * whole file verified (sf_verify), then every record but the pages'
 * contents read and checked against each other: one DEFINITION, one
 * DOMAIN before the records that depend on it, vCPU ids and pfns in
 * range and each once, the pages the DOMAIN record counts, start_info
 * and the p2m's frames among them.  The pages themselves are read
 * later, in file order (rs_pages_next), as restore writes them.
 *
 * A live stream (SF_FLAG_LIVE, savefile.h) is read so too, with its
 * own rules: a pfn may come several times and its last copy is the
 * page (its type and pin); start_info is the pfn vCPU 0 names, whose
 * last copy is in the tail.  While such a stream still comes, its head
 * is read alone (rs_head_read) and its pre-copy PAGES records one by
 * one as far as they have come (rs_stream_next); once it is whole,
 * rs_image_read takes it all and rs_last_next gives each pfn's last
 * copy.
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
	/* A live stream's (ri_flags & SF_FLAG_LIVE) */
	uint32_t	 ri_flags;		/* the header's */
	uint64_t	 ri_head_end;		/* the first record after it */
	uint64_t	 ri_tail_off;		/* the tail; 0: not live */
	uint8_t		*ri_live;		/* per pfn: RS_LIVE_* */
	uint64_t	*ri_last_at;		/* per pfn: its last copy's page,
						 * a file offset */
};

/* ri_live: the pfn's last copy was pinned, or is in the tail. */
#define RS_LIVE_PINNED	0x1
#define RS_LIVE_TAIL	0x2

/*
 * 0, or -1 with why in err; ri is freed by rs_image_free either way.
 * Of a live stream, ri_dom.start_info_pfn is then vCPU 0's (rdx), as
 * a file that is not live has it, and ri_start_info its last copy.
 */
int	rs_image_read(struct rs_image *, int fd, char *err, size_t errlen);
/* The same, the CRC of the first known_len bytes given (sf_verify_from). */
int	rs_image_read_from(struct rs_image *, int fd, uint64_t known_len,
	    uint32_t known_crc, char *err, size_t errlen);
void	rs_image_free(struct rs_image *);

/*
 * A live stream read as rs_image_read reads a file, but record by record
 * as it comes (rs_feed_more, each record once it has come whole), so
 * that once it is whole only its tail is left to read (rs_feed_end,
 * which verifies the rest as sf_verify_rest and checks as
 * rs_image_read).  ri is the feed's until rs_feed_end; rs_image_free
 * it either way.
 */
struct rs_feed;

struct rs_feed *rs_feed_new(struct rs_image *, int fd);	/* NULL: ENOMEM */
/* 0, or -1 with why in err. */
int	rs_feed_more(struct rs_feed *, uint64_t avail, char *err,
	    size_t errlen);
int	rs_feed_end(struct rs_feed *, uint64_t known_len, uint32_t known_crc,
	    char *err, size_t errlen);
void	rs_feed_free(struct rs_feed *);

/*
 * The head of a live stream of which avail bytes have come: header,
 * DEFINITION and DOMAIN (ri_def, ri_dom, ri_flags, ri_head_end; no
 * checksum yet, nothing else allocated).  1: read and checked; 0: not
 * all of it has come; -1 with why in err.  rs_image_free either way.
 */
/* A page word's bits are all known and its type is one there is. */
int	rs_word_ok(uint64_t word);
int	rs_head_read(struct rs_image *, int fd, uint64_t avail, char *err,
	    size_t errlen);

/* The pages, in file order. */
struct rs_pages {
	const struct rs_image *rp_img;
	struct sf_reader rp_r;
	uint32_t	 rp_count;	/* of the current record */
	uint32_t	 rp_idx;
};

void	rs_pages_begin(struct rs_pages *, const struct rs_image *);
/* 1: *word and page; 0: no more; -1 with errno (EILSEQ: a word
 * rs_image_read did not see there, the file changed).  Of a live
 * stream, every copy in file order. */
int	rs_pages_next(struct rs_pages *, uint64_t *word,
	    uint8_t page[RS_PAGE_SIZE]);

/*
 * A live stream's pages as they come: the PAGES records from an offset
 * (rs_head_read's ri_head_end) on, each read only once it has come
 * whole, each word checked (a pfn below nr_pfns, known bits, a known
 * type).  The first record that is not PAGES begins the tail (st_tail):
 * the tail's other records are stepped over, its pages given as the
 * pre-copy's; END ends them (st_over).
 */
struct rs_stream {
	int		 st_fd;
	uint64_t	 st_nr_pfns;
	uint64_t	 st_next;	/* the next record's offset */
	uint64_t	 st_rec;	/* the current one's */
	uint32_t	 st_count;	/* its pages */
	uint32_t	 st_idx;
	uint64_t	 st_words[SF_PAGES_MAX];
	uint64_t	 st_page_at;	/* the page rs_stream_next gave */
	int		 st_tail;	/* past the first that is not PAGES */
	int		 st_over;	/* END: the pages are over */
};

void	rs_stream_begin(struct rs_stream *, int fd, uint64_t off,
	    uint64_t nr_pfns);
/*
 * With avail bytes come: 1, *word and page; 0, none until more come
 * (or ever, once st_over); -1 with why in err.
 */
int	rs_stream_next(struct rs_stream *, uint64_t avail, uint64_t *word,
	    uint8_t page[RS_PAGE_SIZE], char *err, size_t errlen);

/*
 * Each pfn's last copy in a live stream rs_image_read took, by pfn: its
 * word (the type and pin rs_image_read recorded of it) and whether it
 * is in the tail; its page on demand, from where rs_image_read saw it.
 */
struct rs_last {
	const struct rs_image *rl_img;
	uint64_t	 rl_pfn;	/* the next to look at */
	uint64_t	 rl_at;		/* the page rs_last_next gave */
};

/* 0 (nothing to fail now). */
int	rs_last_begin(struct rs_last *, const struct rs_image *);
/* 1: *word, *tail; 0: no more. */
int	rs_last_next(struct rs_last *, uint64_t *word, int *tail);
/* The page of the word rs_last_next gave: 0, or -1 with errno. */
int	rs_last_page(struct rs_last *, uint8_t page[RS_PAGE_SIZE]);
void	rs_last_end(struct rs_last *);

#endif
