/*
 * Parsing the multiboot2 boot information. GRUB is trusted, but hv still
 * checks every tag's size against the block it lies in, so that a broken
 * loader gives a clear message instead of a wild read.
 */
#include <stddef.h>
#include <stdint.h>

#include <klib/string.h>

#include <hv/multiboot2.h>

#define MB2_ALIGN(x)	(((x) + 7) & ~(size_t)7)

static int
mb2_string(const struct mb2_tag *tag, size_t skip, const char **out)
{
	const char *s = (const char *)tag + sizeof(*tag) + skip;
	size_t max;

	if (tag->size <= sizeof(*tag) + skip)
		return -1;
	max = tag->size - sizeof(*tag) - skip;
	if (kstrnlen(s, max) == max)
		return -1;		/* not terminated inside the tag */
	*out = s;
	return 0;
}

static int
mb2_mmap(const struct mb2_tag *tag, struct mb2_boot *out)
{
	const uint32_t *hdr = (const uint32_t *)(tag + 1);
	uint32_t esize, n, i;
	const uint8_t *p;

	if (tag->size < sizeof(*tag) + 8)
		return -1;
	esize = hdr[0];
	if (esize < sizeof(struct mb2_mmap_entry))
		return -1;
	n = (tag->size - sizeof(*tag) - 8) / esize;
	p = (const uint8_t *)(hdr + 2);
	for (i = 0; i < n && out->nr_mmap < MB2_MAX_MMAP; i++, p += esize) {
		struct mb2_mmap_entry *e = &out->mmap[out->nr_mmap++];

		kmemcpy(e, p, sizeof(*e));
		if (e->type != MB2_MEM_AVAILABLE || e->length == 0)
			continue;
		out->usable_bytes += e->length;
		if (e->base + e->length > out->top_of_ram)
			out->top_of_ram = e->base + e->length;
	}
	return 0;
}

static int
mb2_module(const struct mb2_tag *tag, struct mb2_boot *out)
{
	const uint32_t *range = (const uint32_t *)(tag + 1);
	struct mb2_module *m;

	if (tag->size < sizeof(*tag) + 8)
		return -1;
	if (out->nr_modules == MB2_MAX_MODULES)
		return 0;
	m = &out->modules[out->nr_modules];
	if (mb2_string(tag, 8, &m->string) != 0 || range[1] < range[0])
		return -1;
	m->start = range[0];
	m->end = range[1];
	out->nr_modules++;
	return 0;
}

int
mb2_parse(const void *info, size_t avail, struct mb2_boot *out,
    const char **why)
{
	const uint8_t *base = info;
	uint32_t total;
	size_t off;

	kmemset(out, 0, sizeof(*out));
	if (avail < 16) {
		*why = "boot information shorter than its header";
		return -1;
	}
	kmemcpy(&total, base, sizeof(total));
	if (total < 16 || total > avail) {
		*why = "boot information size out of range";
		return -1;
	}
	for (off = 8; off + sizeof(struct mb2_tag) <= total;) {
		const struct mb2_tag *tag = (const void *)(base + off);
		int rc = 0;

		if (tag->size < sizeof(*tag) || tag->size > total - off) {
			*why = "tag runs past the end of the boot information";
			return -1;
		}
		switch (tag->type) {
		case MB2_TAG_END:
			return 0;
		case MB2_TAG_CMDLINE:
			rc = mb2_string(tag, 0, &out->cmdline);
			break;
		case MB2_TAG_LOADER:
			rc = mb2_string(tag, 0, &out->loader);
			break;
		case MB2_TAG_MODULE:
			rc = mb2_module(tag, out);
			break;
		case MB2_TAG_MMAP:
			rc = mb2_mmap(tag, out);
			break;
		default:
			break;
		}
		if (rc != 0) {
			*why = "malformed tag";
			return -1;
		}
		off += MB2_ALIGN(tag->size);
	}
	*why = "no end tag";
	return -1;
}
