/*
 * The save file (xm-save(5)): what `xmctl save` writes and `xmctl
 * restore` reads.  A header (magic, version), then records, each a type,
 * a length, that many bytes and padding to 8; the last record, END,
 * holds the CRC-32 (zlib's) of every byte before it.  A reader checks
 * the whole file first (sf_verify): anything cut short, changed, of
 * another version or with a record this version does not know is
 * refused before a domain is made from it.  Numbers are little-endian.
 */
#ifndef XMD_SAVEFILE_H
#define XMD_SAVEFILE_H

#include <sys/uio.h>

#include <stddef.h>
#include <stdint.h>

#define SF_MAGIC	"XM-SAVE\n"	/* 8 bytes, no NUL */
#define SF_MAGIC_LEN	8
#define SF_VERSION	1
#define SF_HEADER_LEN	16		/* magic, version, flags */
#define SF_RECORD_HDR	8		/* type, length */
#define SF_END_LEN	(SF_RECORD_HDR + 8)	/* END: the file's last bytes */
#define SF_RECORD_MAX	(32u << 20)	/* a record's payload at most */

/*
 * Header flags.  SF_FLAG_LIVE: a live migration's stream, written while
 * the domain ran (xm-save(5), "Live streams"):
 *
 *	DEFINITION, DOMAIN			the head
 *	PAGES ...				the pre-copy rounds
 *	P2M_FRAMES, SHARED_INFO, VCPU ...	once the guest has suspended
 *	PAGES ...				the last round (the tail)
 *	END
 *
 * - A pfn may come in several PAGES records: its last copy, contents and
 *   word, is the page.  A page whose type or pin changed after it was
 *   last sent comes again in the tail.
 * - DOMAIN's tot_pages counts the distinct pfns; its start_info_pfn is
 *   SF_NO_PFN: vCPU 0's context names start_info (rdx, as a pfn), and
 *   that page comes in the tail.
 * - The tail is every PAGES record after the first record that is
 *   neither PAGES nor part of the head.  A reader may write the
 *   pre-copy pages into the new domain while the stream still comes;
 *   the tail, and everything that depends on the suspended state, only
 *   once END has checked the whole.
 */
#define SF_FLAG_LIVE	0x1u
#define SF_FLAGS_KNOWN	SF_FLAG_LIVE
#define SF_NO_PFN	UINT64_MAX

enum sf_type {
	SF_DEFINITION = 1,	/* the domain's definition (XML text) */
	SF_DOMAIN = 2,		/* its size and vCPUs */
	SF_PAGES = 3,		/* a batch of pages by pfn */
	SF_VCPU = 4,		/* one vCPU's state */
	SF_SHARED_INFO = 5,	/* what the guest keeps in shared_info */
	SF_P2M_FRAMES = 6,	/* the frames of the guest's p2m, by pfn */
	SF_TYPE_LAST = SF_P2M_FRAMES,
	SF_END = 0xffffffffu	/* the checksum; the last record */
};

/* SF_DOMAIN */
struct sf_domain {
	uint32_t	nr_vcpus;
	uint32_t	pad;
	uint64_t	max_pages;	/* hv's limit, its own frames included */
	uint64_t	nr_pfns;	/* the p2m's size */
	uint64_t	tot_pages;	/* the pages saved */
	uint64_t	start_info_pfn;
};
_Static_assert(sizeof(struct sf_domain) == 40, "sf_domain");

/*
 * SF_PAGES: this, count words (a pfn, its page-table type above
 * SF_PAGE_TYPE_SHIFT, SF_PAGE_PINNED), then count pages in that order.
 * Page-table pages name pfns where they named machine frames.
 */
#define SF_PAGES_MAX		15	/* a batch's pages: one READ_MEM */
#define SF_PAGE_TYPE_SHIFT	60	/* XM_PAGE_NOTAB .. XM_PAGE_DESC */
#define SF_PAGE_PINNED		(UINT64_C(1) << 59)
#define SF_PAGE_PFN		((UINT64_C(1) << 52) - 1)

struct sf_pages {
	uint32_t	count;		/* 1 .. SF_PAGES_MAX */
	uint32_t	pad;
};
_Static_assert(sizeof(struct sf_pages) == 8, "sf_pages");

/* SF_VCPU: this, then its struct xm_vcpu_guest_context (frames as pfns). */
#define SF_VCPU_ONLINE		0x1

struct sf_vcpu {
	uint32_t	vcpu;
	uint32_t	flags;		/* SF_VCPU_ONLINE */
};
_Static_assert(sizeof(struct sf_vcpu) == 8, "sf_vcpu");

/* SF_P2M_FRAMES: a uint64_t count, then count pfns. */

struct sf_writer {
	int		 w_fd;
	uint32_t	 w_crc;
	uint64_t	 w_off;
};

/* 0, or -1 with errno set (what write(2) said, or EFBIG). */
int	sf_write_begin(struct sf_writer *, int fd);
int	sf_write_begin_flags(struct sf_writer *, int fd, uint32_t flags);
int	sf_write_record(struct sf_writer *, uint32_t type,
	    const struct iovec *iov, int iovcnt);
int	sf_write_end(struct sf_writer *);

/* The whole file at fd: 0, or -1 with why in err ("offset N: ..."). */
int	sf_verify(int fd, char *err, size_t errlen);
/*
 * The same, given the CRC of the file's first known_len bytes, summed
 * as they were written (a migration stream as it came): only the rest
 * is read for the checksum.
 */
int	sf_verify_from(int fd, uint64_t known_len, uint32_t known_crc,
	    char *err, size_t errlen);
/*
 * The same, the records before offset from (a record's) walked already
 * by the caller, their types and lengths checked: a stream read as it
 * came (restore_image.h, rs_feed_end).
 */
int	sf_verify_rest(int fd, uint64_t from, uint64_t known_len,
	    uint32_t known_crc, char *err, size_t errlen);
/* Exactly len bytes at off: 0, or -1 (errno EIO for a short file). */
int	sf_read_at(int fd, uint64_t off, void *buf, size_t len);
/* The header's flags (SF_FLAG_*) of a file sf_verify took. */
uint32_t sf_flags(int fd);

struct sf_reader {
	int		 r_fd;
	uint64_t	 r_off;		/* of the current record */
	uint64_t	 r_next;	/* of the next one */
	uint32_t	 r_len;		/* the current record's payload */
};

/* From the first record on (a file sf_verify took). 0, or -1. */
int	sf_read_begin(struct sf_reader *, int fd);
/* The next record: 0, 1 at END, -1 with errno set. */
int	sf_read_next(struct sf_reader *, uint32_t *type, uint32_t *len);
/* len bytes of the current record's payload, from its start + off. */
int	sf_read_payload(struct sf_reader *, uint32_t off, void *buf,
	    size_t len);

#endif
