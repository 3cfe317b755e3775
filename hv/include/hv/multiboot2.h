/*
 * The multiboot2 boot information GRUB hands hv: command line, memory map
 * and modules (the domain kernels). mb2_parse() is plain C with no hv
 * dependencies so that the unit tests run it on crafted input.
 */
#ifndef HV_MULTIBOOT2_H
#define HV_MULTIBOOT2_H

#include <stddef.h>
#include <stdint.h>

#define MB2_TAG_END		0
#define MB2_TAG_CMDLINE		1
#define MB2_TAG_LOADER		2
#define MB2_TAG_MODULE		3
#define MB2_TAG_MEMINFO		4
#define MB2_TAG_MMAP		6

#define MB2_MEM_AVAILABLE	1
#define MB2_MEM_ACPI		3
#define MB2_MEM_NVS		4
#define MB2_MEM_BAD		5

#define MB2_MAX_MMAP		64
#define MB2_MAX_MODULES		16

struct mb2_tag {
	uint32_t	type;
	uint32_t	size;
};

struct mb2_mmap_entry {
	uint64_t	base;
	uint64_t	length;
	uint32_t	type;
	uint32_t	reserved;
};
_Static_assert(sizeof(struct mb2_mmap_entry) == 24, "mmap entry");

struct mb2_module {
	uint64_t	start;		/* physical, first byte */
	uint64_t	end;		/* physical, one past the last byte */
	const char	*string;	/* module command line */
};

struct mb2_boot {
	const char		*cmdline;
	const char		*loader;
	unsigned int		nr_mmap;
	struct mb2_mmap_entry	mmap[MB2_MAX_MMAP];
	unsigned int		nr_modules;
	struct mb2_module	modules[MB2_MAX_MODULES];
	uint64_t		usable_bytes;	/* sum of available RAM */
	uint64_t		top_of_ram;	/* end of highest available */
};

/*
 * Parse the information block at info, of which at most avail bytes may
 * be read. Returns 0, or -1 with *why naming what was malformed.
 */
int	mb2_parse(const void *info, size_t avail, struct mb2_boot *out,
	    const char **why);

#endif
