/*
 * Inside klib's Xen ELF parser (xen_elf.c: headers, segments, addresses,
 * loading; xen_elf_notes.c: the Xen notes): the ELF layout, the image as
 * far as its headers have been checked, and the byte readers every field
 * goes through.  Not a contract: nothing outside klib/xen_elf*.c uses it.
 */
#ifndef KLIB_XEN_ELF_INT_H
#define KLIB_XEN_ELF_INT_H

#include <stddef.h>
#include <stdint.h>

#include <klib/string.h>
#include <klib/xen_elf.h>

/* ELF64, from the System V gABI and the x86-64 psABI. */
#define EI_CLASS	4
#define EI_DATA		5
#define EI_VERSION	6
#define ELFCLASS64	2
#define ELFDATA2LSB	1
#define EV_CURRENT	1
#define ET_EXEC		2
#define EM_X86_64	62
#define PT_LOAD		1
#define PT_NOTE		4
#define SHT_NOTE	7

/* Elf64_Ehdr: size and field offsets. */
#define EHDR_SIZE	64
#define E_TYPE		16
#define E_MACHINE	18
#define E_VERSION	20
#define E_ENTRY		24
#define E_PHOFF		32
#define E_SHOFF		40
#define E_PHENTSIZE	54
#define E_PHNUM		56
#define E_SHENTSIZE	58
#define E_SHNUM		60

/* Elf64_Phdr. */
#define PHDR_SIZE	56
#define P_TYPE		0
#define P_FLAGS		4
#define P_OFFSET	8
#define P_PADDR		24
#define P_FILESZ	32
#define P_MEMSZ		40

/* Elf64_Shdr. */
#define SHDR_SIZE	64
#define SH_TYPE		4
#define SH_OFFSET	24
#define SH_SIZE		32

/* A note: namesz, descsz, type; name and descriptor padded to 4. */
#define NOTE_HDR	12
#define NOTE_PAD(n)	(((uint64_t)(n) + 3) & ~(uint64_t)3)

/*
 * Notes read over all note areas.  Each note takes 12 bytes or more, so
 * the walk is bounded anyway; the limit stops an image whose note
 * headers all point at one large area from making it quadratic.
 */
#define MAX_NOTES	4096

/* Canonical x86-64 addresses: [0, LOW_END) and [HIGH_START, 2^64). */
#define LOW_END		UINT64_C(0x0000800000000000)
#define HIGH_START	UINT64_C(0xffff800000000000)

/* The image, as far as its headers have been checked. */
struct image {
	const uint8_t	*im_base;
	size_t		 im_size;
	uint64_t	 im_entry;	/* e_entry */
	uint64_t	 im_phoff;
	uint64_t	 im_shoff;
	unsigned int	 im_phnum;
	unsigned int	 im_shnum;
	unsigned int	 im_nnotes;	/* ELF notes read */
	unsigned int	 im_nxen;	/* of which named "Xen" */
};

static inline uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)get16(p) | (uint32_t)get16(p + 2) << 16;
}

static inline uint64_t
get64(const uint8_t *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

/* Whether [off, off + len) lies within an image of size bytes. */
static inline int
inside(size_t size, uint64_t off, uint64_t len)
{
	return off <= size && len <= size - off;
}

/* Whether s starts with the non-empty prefix. */
static inline int
has_prefix(const char *s, const char *prefix)
{
	return kstrncmp(s, prefix, kstrlen(prefix)) == 0;
}

static inline const uint8_t *
phdr(const struct image *im, unsigned int i)
{
	return im->im_base + im->im_phoff + (uint64_t)i * PHDR_SIZE;
}

static inline const uint8_t *
shdr(const struct image *im, unsigned int i)
{
	return im->im_base + im->im_shoff + (uint64_t)i * SHDR_SIZE;
}

/* xen_elf_notes.c: the notes read into info, and what they must say. */
const char	*xen_elf_read_notes(struct image *, struct xen_elf_info *);
const char	*xen_elf_check_notes(struct image *, struct xen_elf_info *);

#endif
