/*
 * mb2_parse: what hv reads from the multiboot2 boot information, and how
 * it refuses a block that is malformed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <hv/multiboot2.h>

struct builder {
	uint8_t		buf[4096] __attribute__((aligned(8)));
	size_t		len;
};

static void
b_init(struct builder *b)
{
	memset(b->buf, 0, sizeof(b->buf));
	b->len = 8;
}

static void *
b_tag(struct builder *b, uint32_t type, uint32_t size)
{
	struct mb2_tag *t = (void *)(b->buf + b->len);

	t->type = type;
	t->size = size;
	b->len += (size + 7) & ~7u;
	return t + 1;
}

static void
b_string(struct builder *b, uint32_t type, const char *s)
{
	char *p = b_tag(b, type, 8 + strlen(s) + 1);

	memcpy(p, s, strlen(s) + 1);
}

static void
b_module(struct builder *b, uint32_t start, uint32_t end, const char *s)
{
	uint32_t *p = b_tag(b, MB2_TAG_MODULE, 16 + strlen(s) + 1);

	p[0] = start;
	p[1] = end;
	memcpy(p + 2, s, strlen(s) + 1);
}

static void
b_mmap(struct builder *b, const struct mb2_mmap_entry *e, unsigned int n)
{
	uint32_t *p = b_tag(b, MB2_TAG_MMAP, 16 + n * sizeof(*e));

	p[0] = sizeof(*e);
	p[1] = 0;
	memcpy(p + 2, e, n * sizeof(*e));
}

static void
b_end(struct builder *b)
{
	uint32_t total;

	b_tag(b, MB2_TAG_END, 8);
	total = b->len;
	memcpy(b->buf, &total, 4);
}

static const struct mb2_mmap_entry qemu_map[] = {
	{ 0x0, 0x9fc00, MB2_MEM_AVAILABLE, 0 },
	{ 0x9fc00, 0x400, 2, 0 },
	{ 0xf0000, 0x10000, 2, 0 },
	{ 0x100000, 0x7ee0000, MB2_MEM_AVAILABLE, 0 },
	{ 0x7fe0000, 0x20000, 2, 0 },
};

static void
test_reads_cmdline_loader_modules_and_memory(void **state)
{
	static struct builder b;
	struct mb2_boot boot;
	const char *why = NULL;

	(void)state;
	b_init(&b);
	b_string(&b, MB2_TAG_CMDLINE, "loglvl=debug poweroff");
	b_string(&b, MB2_TAG_LOADER, "GRUB 2.06");
	b_module(&b, 0x300000, 0x302800, "dom0 console=hvc0");
	b_mmap(&b, qemu_map, 5);
	b_end(&b);
	assert_int_equal(mb2_parse(b.buf, sizeof(b.buf), &boot, &why), 0);
	assert_string_equal(boot.cmdline, "loglvl=debug poweroff");
	assert_string_equal(boot.loader, "GRUB 2.06");
	assert_int_equal(boot.nr_modules, 1);
	assert_int_equal(boot.modules[0].start, 0x300000);
	assert_int_equal(boot.modules[0].end, 0x302800);
	assert_string_equal(boot.modules[0].string, "dom0 console=hvc0");
	assert_int_equal(boot.nr_mmap, 5);
	assert_int_equal(boot.usable_bytes, 0x9fc00 + 0x7ee0000);
	assert_int_equal(boot.top_of_ram, 0x7fe0000);
}

static void
test_keeps_module_order(void **state)
{
	static struct builder b;
	struct mb2_boot boot;
	const char *why;

	(void)state;
	b_init(&b);
	b_module(&b, 0x400000, 0x401000, "first");
	b_module(&b, 0x500000, 0x500000, "second");
	b_end(&b);
	assert_int_equal(mb2_parse(b.buf, sizeof(b.buf), &boot, &why), 0);
	assert_int_equal(boot.nr_modules, 2);
	assert_string_equal(boot.modules[0].string, "first");
	assert_string_equal(boot.modules[1].string, "second");
	assert_int_equal(boot.modules[1].end - boot.modules[1].start, 0);
}

static void
test_rejects_block_larger_than_available(void **state)
{
	static struct builder b;
	struct mb2_boot boot;
	const char *why = NULL;

	(void)state;
	b_init(&b);
	b_string(&b, MB2_TAG_CMDLINE, "x");
	b_end(&b);
	assert_int_equal(mb2_parse(b.buf, b.len - 1, &boot, &why), -1);
	assert_string_equal(why, "boot information size out of range");
}

static void
test_rejects_tag_past_the_end(void **state)
{
	static struct builder b;
	struct mb2_boot boot;
	const char *why = NULL;
	struct mb2_tag *t;

	(void)state;
	b_init(&b);
	t = (struct mb2_tag *)(b.buf + b.len);
	b_string(&b, MB2_TAG_CMDLINE, "hello");
	b_end(&b);
	t->size = 4000;
	assert_int_equal(mb2_parse(b.buf, sizeof(b.buf), &boot, &why), -1);
	assert_string_equal(why, "tag runs past the end of the boot information");
}

static void
test_rejects_unterminated_string(void **state)
{
	static struct builder b;
	struct mb2_boot boot;
	const char *why = NULL;
	char *s;

	(void)state;
	b_init(&b);
	s = b_tag(&b, MB2_TAG_CMDLINE, 8 + 4);
	memcpy(s, "abcd", 4);
	b_end(&b);
	assert_int_equal(mb2_parse(b.buf, sizeof(b.buf), &boot, &why), -1);
	assert_string_equal(why, "malformed tag");
}

static void
test_rejects_module_ending_before_it_starts(void **state)
{
	static struct builder b;
	struct mb2_boot boot;
	const char *why = NULL;

	(void)state;
	b_init(&b);
	b_module(&b, 0x500000, 0x400000, "backwards");
	b_end(&b);
	assert_int_equal(mb2_parse(b.buf, sizeof(b.buf), &boot, &why), -1);
}

static void
test_rejects_missing_end_tag(void **state)
{
	static struct builder b;
	struct mb2_boot boot;
	const char *why = NULL;
	uint32_t total;

	(void)state;
	b_init(&b);
	b_string(&b, MB2_TAG_CMDLINE, "x");
	total = b.len;
	memcpy(b.buf, &total, 4);
	assert_int_equal(mb2_parse(b.buf, sizeof(b.buf), &boot, &why), -1);
	assert_string_equal(why, "no end tag");
}

static void
test_rejects_zero_sized_tag(void **state)
{
	static struct builder b;
	struct mb2_boot boot;
	const char *why = NULL;

	(void)state;
	b_init(&b);
	b_tag(&b, 99, 8);
	((struct mb2_tag *)(b.buf + 8))->size = 0;
	b_end(&b);
	assert_int_equal(mb2_parse(b.buf, sizeof(b.buf), &boot, &why), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reads_cmdline_loader_modules_and_memory),
		cmocka_unit_test(test_keeps_module_order),
		cmocka_unit_test(test_rejects_block_larger_than_available),
		cmocka_unit_test(test_rejects_tag_past_the_end),
		cmocka_unit_test(test_rejects_unterminated_string),
		cmocka_unit_test(test_rejects_module_ending_before_it_starts),
		cmocka_unit_test(test_rejects_missing_end_tag),
		cmocka_unit_test(test_rejects_zero_sized_tag),
	};

	return cmocka_run_group_tests_name("multiboot2", tests, NULL, NULL);
}
