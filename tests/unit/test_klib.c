/*
 * Unit tests for klib, the freestanding library shared by hv and the
 * guest kernels, built here as host code.  Each test states one
 * behaviour; the formatter is also compared with the C library's
 * snprintf over a table of formats and values.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#include <klib/format.h>
#include <klib/parse.h>
#include <klib/string.h>

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

/*
 * String and memory functions.
 */

/* Guard bytes around every buffer the copy tests write. */
#define GUARD		16
#define SPAN		80

static void
fill_pattern(unsigned char *p, size_t n, unsigned seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (unsigned char)(seed + i * 7);
}

static void
check_memcpy(size_t soff, size_t doff, size_t n)
{
	unsigned char src[SPAN + 2 * GUARD], got[SPAN + 2 * GUARD];
	unsigned char want[SPAN + 2 * GUARD];

	fill_pattern(src, sizeof(src), 1);
	fill_pattern(got, sizeof(got), 99);
	fill_pattern(want, sizeof(want), 99);
	memcpy(want + GUARD + doff, src + soff, n);
	assert_ptr_equal(kmemcpy(got + GUARD + doff, src + soff, n),
	    got + GUARD + doff);
	assert_memory_equal(got, want, sizeof(got));
}

static void
test_memcpy_copies_every_length_and_alignment(void **state)
{
	size_t soff, doff, n;

	(void)state;
	for (soff = 0; soff < GUARD; soff++) {
		for (doff = 0; doff < GUARD; doff++) {
			for (n = 0; n <= SPAN - GUARD; n++)
				check_memcpy(soff, doff, n);
		}
	}
}

/* Move n bytes within one buffer, from offset soff to offset doff. */
static void
check_memmove(size_t soff, size_t doff, size_t n)
{
	unsigned char got[SPAN + 2 * GUARD], want[SPAN + 2 * GUARD];

	fill_pattern(got, sizeof(got), 5);
	fill_pattern(want, sizeof(want), 5);
	memmove(want + GUARD + doff, want + GUARD + soff, n);
	assert_ptr_equal(kmemmove(got + GUARD + doff, got + GUARD + soff, n),
	    got + GUARD + doff);
	assert_memory_equal(got, want, sizeof(got));
}

static void
test_memmove_handles_overlap(void **state)
{
	size_t soff, doff, n;

	(void)state;
	for (soff = 0; soff < SPAN - 2 * GUARD; soff++) {
		for (doff = 0; doff < SPAN - 2 * GUARD; doff++) {
			for (n = 0; n <= 2 * GUARD + 3; n++)
				check_memmove(soff, doff, n);
		}
	}
}

static void
check_memset(size_t off, size_t n)
{
	unsigned char got[SPAN + 2 * GUARD], want[SPAN + 2 * GUARD];

	fill_pattern(got, sizeof(got), 3);
	fill_pattern(want, sizeof(want), 3);
	memset(want + GUARD + off, 0xa5, n);
	/* Only the low byte of the fill value counts. */
	assert_ptr_equal(kmemset(got + GUARD + off, 0x3a5, n),
	    got + GUARD + off);
	assert_memory_equal(got, want, sizeof(got));
}

static void
test_memset_fills_only_the_range(void **state)
{
	size_t off, n;

	(void)state;
	for (off = 0; off < GUARD; off++) {
		for (n = 0; n <= SPAN - GUARD; n++)
			check_memset(off, n);
	}
}

static void
test_memcmp_orders_bytes_as_unsigned(void **state)
{
	(void)state;
	assert_int_equal(kmemcmp("abc", "abc", 3), 0);
	assert_true(kmemcmp("abc", "abd", 3) < 0);
	assert_true(kmemcmp("abd", "abc", 3) > 0);
	assert_true(kmemcmp("\x80", "\x7f", 1) > 0);
	assert_int_equal(kmemcmp("abc", "abd", 2), 0);
	assert_int_equal(kmemcmp("a\0b", "a\0b", 3), 0);
	assert_true(kmemcmp("a\0b", "a\0c", 3) < 0);
	assert_int_equal(kmemcmp(NULL, NULL, 0), 0);
}

static void
test_strlen_counts_to_the_nul(void **state)
{
	(void)state;
	assert_int_equal(kstrlen(""), 0);
	assert_int_equal(kstrlen("hello"), 5);
	assert_int_equal(kstrlen("a\0b"), 1);
}

static void
test_strnlen_stops_at_the_limit(void **state)
{
	const char unterminated[3] = { 'a', 'b', 'c' };

	(void)state;
	assert_int_equal(kstrnlen("hello", 10), 5);
	assert_int_equal(kstrnlen("hello", 3), 3);
	assert_int_equal(kstrnlen("hello", 0), 0);
	assert_int_equal(kstrnlen(unterminated, sizeof(unterminated)), 3);
}

static void
test_strcmp_orders_as_unsigned(void **state)
{
	(void)state;
	assert_int_equal(kstrcmp("", ""), 0);
	assert_int_equal(kstrcmp("abc", "abc"), 0);
	assert_true(kstrcmp("abc", "abd") < 0);
	assert_true(kstrcmp("ab", "abc") < 0);
	assert_true(kstrcmp("abc", "ab") > 0);
	assert_true(kstrcmp("\xff", "a") > 0);
}

static void
test_strncmp_compares_at_most_n(void **state)
{
	(void)state;
	assert_int_equal(kstrncmp("abcx", "abcy", 3), 0);
	assert_true(kstrncmp("abcx", "abcy", 4) < 0);
	assert_int_equal(kstrncmp("ab", "ab", 10), 0);
	assert_true(kstrncmp("ab", "abc", 10) < 0);
	assert_int_equal(kstrncmp("a", "b", 0), 0);
	assert_true(kstrncmp("\x80", "\x7f", 1) > 0);
}

static void
test_strchr_finds_first_match(void **state)
{
	const char *s = "a/b/c", *high = "a\xff";

	(void)state;
	assert_ptr_equal(kstrchr(s, '/'), s + 1);
	assert_ptr_equal(kstrchr(s, 'a'), s);
	assert_null(kstrchr(s, 'x'));
	assert_ptr_equal(kstrchr(s, '\0'), s + 5);
	assert_ptr_equal(kstrchr(high, 0xff), high + 1);
}

static void
test_strrchr_finds_last_match(void **state)
{
	const char *s = "a/b/c";

	(void)state;
	assert_ptr_equal(kstrrchr(s, '/'), s + 3);
	assert_ptr_equal(kstrrchr(s, 'c'), s + 4);
	assert_null(kstrrchr(s, 'x'));
	assert_ptr_equal(kstrrchr(s, '\0'), s + 5);
	assert_null(kstrrchr("", 'a'));
}

static void
test_strlcpy_copies_and_returns_source_length(void **state)
{
	char buf[8];

	(void)state;
	assert_int_equal(kstrlcpy(buf, "hello", sizeof(buf)), 5);
	assert_string_equal(buf, "hello");
	assert_int_equal(kstrlcpy(buf, "", sizeof(buf)), 0);
	assert_string_equal(buf, "");
}

static void
test_strlcpy_truncates_and_terminates(void **state)
{
	char buf[8];

	(void)state;
	assert_int_equal(kstrlcpy(buf, "hello, world", sizeof(buf)), 12);
	assert_string_equal(buf, "hello, ");
	assert_int_equal(kstrlcpy(buf, "12345678", sizeof(buf)), 8);
	assert_string_equal(buf, "1234567");
}

static void
test_strlcpy_with_size_zero_writes_nothing(void **state)
{
	char buf[4] = "xyz";

	(void)state;
	assert_int_equal(kstrlcpy(buf, "hello", 0), 5);
	assert_string_equal(buf, "xyz");
}

static void
test_strlcat_appends(void **state)
{
	char buf[16] = "hello";

	(void)state;
	assert_int_equal(kstrlcat(buf, ", world", sizeof(buf)), 12);
	assert_string_equal(buf, "hello, world");
}

static void
test_strlcat_truncates_and_returns_wanted_length(void **state)
{
	char buf[8] = "hello";

	(void)state;
	assert_int_equal(kstrlcat(buf, ", world", sizeof(buf)), 12);
	assert_string_equal(buf, "hello, ");
}

static void
test_strlcat_without_nul_in_size_appends_nothing(void **state)
{
	char buf[8] = "hello";

	(void)state;
	assert_int_equal(kstrlcat(buf, "abc", 3), 3 + 3);
	assert_string_equal(buf, "hello");
	assert_int_equal(kstrlcat(buf, "abc", 0), 0 + 3);
	assert_string_equal(buf, "hello");
}

/*
 * Formatted output.
 */

/* Format with klib into a fresh buffer; check the returned length. */
static char fmtbuf[256];

static const char *
vfmt(const char *format, va_list ap)
{
	int n;

	memset(fmtbuf, 'Z', sizeof(fmtbuf));
	n = kvsnprintf(fmtbuf, sizeof(fmtbuf), format, ap);
	assert_int_equal(n, strlen(fmtbuf));
	return fmtbuf;
}

static const char *
fmt(const char *format, ...) __attribute__((__format__(__printf__, 1, 2)));

static const char *
fmt(const char *format, ...)
{
	const char *s;
	va_list ap;

	va_start(ap, format);
	s = vfmt(format, ap);
	va_end(ap);
	return s;
}

/*
 * As fmt, for formats the compilers would reject: unsupported ones,
 * legal ones whose flags GCC calls redundant, and values that clang
 * finds too wide for hh or h (the point of those tests).
 */
static const char *
fmt_unchecked(const char *format, ...)
{
	const char *s;
	va_list ap;

	va_start(ap, format);
	s = vfmt(format, ap);
	va_end(ap);
	return s;
}

static void
test_format_copies_plain_text(void **state)
{
	(void)state;
	assert_string_equal(fmt("hello, world"), "hello, world");
	assert_string_equal(fmt("%s", ""), "");
	assert_int_equal(ksnprintf(fmtbuf, sizeof(fmtbuf), "%s", ""), 0);
}

static void
test_format_prints_percent_sign(void **state)
{
	(void)state;
	assert_string_equal(fmt("100%%"), "100%");
	assert_string_equal(fmt("%%d%d%%", 5), "%d5%");
}

static void
test_format_pads_with_zeroes(void **state)
{
	(void)state;
	assert_string_equal(fmt("%05d", 42), "00042");
	assert_string_equal(fmt("%05d", -42), "-0042");
	assert_string_equal(fmt("%+05d", 42), "+0042");
	assert_string_equal(fmt("%#06x", 0xff), "0x00ff");
	assert_string_equal(fmt("%016llx", 0xdeadbeefULL), "00000000deadbeef");
}

static void
test_format_pads_with_spaces(void **state)
{
	(void)state;
	assert_string_equal(fmt("%5d|", 42), "   42|");
	assert_string_equal(fmt("%5d|", -42), "  -42|");
	assert_string_equal(fmt("%2d|", 12345), "12345|");
	assert_string_equal(fmt("%8s|", "abc"), "     abc|");
}

static void
test_format_left_justifies(void **state)
{
	(void)state;
	assert_string_equal(fmt("%-5d|", 42), "42   |");
	assert_string_equal(fmt("%-8s|", "abc"), "abc     |");
	assert_string_equal(fmt("%-3c|", 'x'), "x  |");
}

static void
test_format_minus_overrides_zero(void **state)
{
	(void)state;
	assert_string_equal(fmt_unchecked("%-05d|", 42), "42   |");
}

static void
test_format_zero_flag_ignored_with_precision(void **state)
{
	(void)state;
	assert_string_equal(fmt_unchecked("%08.3d|", 5), "     005|");
	assert_string_equal(fmt_unchecked("%08.3x|", 0xa), "     00a|");
}

static void
test_format_precision_sets_minimum_digits(void **state)
{
	(void)state;
	assert_string_equal(fmt("%.5d", 42), "00042");
	assert_string_equal(fmt("%.5d", -42), "-00042");
	assert_string_equal(fmt("%8.5d|", -42), "  -00042|");
	assert_string_equal(fmt("%.1d", 123), "123");
}

static void
test_format_precision_zero_prints_no_digits_for_zero(void **state)
{
	(void)state;
	assert_string_equal(fmt("[%.0d]", 0), "[]");
	assert_string_equal(fmt("[%.d]", 0), "[]");
	assert_string_equal(fmt("[%3.0u]", 0), "[   ]");
	assert_string_equal(fmt("[%+.0d]", 0), "[+]");
	assert_string_equal(fmt("[%.0d]", 7), "[7]");
}

static void
test_format_prints_signs(void **state)
{
	(void)state;
	assert_string_equal(fmt("%+d %+d %+d", 1, 0, -1), "+1 +0 -1");
	assert_string_equal(fmt("% d % d % d", 1, 0, -1), " 1  0 -1");
	assert_string_equal(fmt_unchecked("%+ d", 1), "+1");
	assert_string_equal(fmt_unchecked("%+u", 1u), "1");
}

static void
test_format_prints_int64_min(void **state)
{
	(void)state;
	assert_string_equal(fmt("%lld", (long long)INT64_MIN),
	    "-9223372036854775808");
	assert_string_equal(fmt("%ld", LONG_MIN), "-9223372036854775808");
	assert_string_equal(fmt("%jd", INTMAX_MIN), "-9223372036854775808");
	assert_string_equal(fmt("%d", INT_MIN), "-2147483648");
	assert_string_equal(fmt("%llx", (unsigned long long)INT64_MIN),
	    "8000000000000000");
}

static void
test_format_prints_uint64_max(void **state)
{
	(void)state;
	assert_string_equal(fmt("%llu", ULLONG_MAX), "18446744073709551615");
	assert_string_equal(fmt("%llx", ULLONG_MAX), "ffffffffffffffff");
	assert_string_equal(fmt("%llX", ULLONG_MAX), "FFFFFFFFFFFFFFFF");
	assert_string_equal(fmt("%#llo", ULLONG_MAX),
	    "01777777777777777777777");
}

static void
test_format_alternate_form_of_zero_has_no_prefix(void **state)
{
	(void)state;
	assert_string_equal(fmt("%#x", 0), "0");
	assert_string_equal(fmt("%#X", 0), "0");
	assert_string_equal(fmt("[%#.0x]", 0), "[]");
	assert_string_equal(fmt("%#o", 0), "0");
	assert_string_equal(fmt("%#.0o", 0), "0");
	assert_string_equal(fmt("%#5x|", 0), "    0|");
}

static void
test_format_alternate_form_prefixes(void **state)
{
	(void)state;
	assert_string_equal(fmt("%#x", 255), "0xff");
	assert_string_equal(fmt("%#X", 255), "0XFF");
	assert_string_equal(fmt("%#o", 8), "010");
	assert_string_equal(fmt("%#.5o", 8), "00010");
	assert_string_equal(fmt("%#8x|", 255), "    0xff|");
	assert_string_equal(fmt("%#-8x|", 255), "0xff    |");
}

static void
test_format_takes_width_and_precision_from_arguments(void **state)
{
	(void)state;
	assert_string_equal(fmt("%*d|", 5, 42), "   42|");
	assert_string_equal(fmt("%-*d|", 5, 42), "42   |");
	assert_string_equal(fmt("%.*s|", 3, "hello"), "hel|");
	assert_string_equal(fmt("%*.*d|", 6, 4, 7), "  0007|");
}

static void
test_format_negative_star_width_left_justifies(void **state)
{
	(void)state;
	assert_string_equal(fmt("%*d|", -5, 42), "42   |");
	assert_string_equal(fmt("%0*d|", -5, 42), "42   |");
}

static void
test_format_negative_star_precision_is_ignored(void **state)
{
	(void)state;
	assert_string_equal(fmt("%.*d|", -1, 42), "42|");
	assert_string_equal(fmt_unchecked("%0*.*d|", 5, -1, 42), "00042|");
	assert_string_equal(fmt("%.*s|", -1, "hello"), "hello|");
}

static void
test_format_precision_limits_strings(void **state)
{
	(void)state;
	assert_string_equal(fmt("%.3s", "hello"), "hel");
	assert_string_equal(fmt("%.0s|", "hello"), "|");
	assert_string_equal(fmt("%.10s", "hello"), "hello");
	assert_string_equal(fmt("%5.2s|", "hello"), "   he|");
}

static void
test_format_precision_does_not_read_past_the_limit(void **state)
{
	const char unterminated[3] = { 'a', 'b', 'c' };

	(void)state;
	assert_string_equal(fmt("%.3s", unterminated), "abc");
	assert_string_equal(fmt("%.*s", 2, unterminated), "ab");
}

static void
test_format_prints_null_string(void **state)
{
	const char *nothing = NULL;

	(void)state;
	assert_string_equal(fmt("%s", nothing), "(null)");
	assert_string_equal(fmt("%8s|", nothing), "  (null)|");
	assert_string_equal(fmt("%.3s|", nothing), "(nu|");
}

static void
test_format_prints_characters(void **state)
{
	(void)state;
	assert_string_equal(fmt("%c%c%c", 'a', 'b', 'c'), "abc");
	assert_string_equal(fmt("%3c|", 'x'), "  x|");
	assert_string_equal(fmt("%c", 0x141), "A");
}

static void
test_format_counts_nul_character(void **state)
{
	char buf[8];

	(void)state;
	memset(buf, 'Z', sizeof(buf));
	assert_int_equal(ksnprintf(buf, sizeof(buf), "a%cb", '\0'), 3);
	assert_memory_equal(buf, "a\0b\0", 4);
}

static void
test_format_pointer_is_fixed_width(void **state)
{
	(void)state;
	assert_string_equal(fmt("%p", (void *)0x1234),
	    "0x0000000000001234");
	assert_string_equal(fmt("%p", (void *)UINTPTR_MAX),
	    "0xffffffffffffffff");
	assert_string_equal(fmt("%p", NULL), "0x0000000000000000");
}

static void
test_format_pointer_honours_width_and_minus(void **state)
{
	(void)state;
	assert_string_equal(fmt("%20p|", (void *)0xab),
	    "  0x00000000000000ab|");
	assert_string_equal(fmt("%-20p|", (void *)0xab),
	    "0x00000000000000ab  |");
}

static void
test_format_length_modifiers_convert_the_argument(void **state)
{
	(void)state;
	assert_string_equal(fmt_unchecked("%hhd", 300), "44");
	assert_string_equal(fmt_unchecked("%hhd", 0x80), "-128");
	assert_string_equal(fmt_unchecked("%hhu", -1), "255");
	assert_string_equal(fmt_unchecked("%hd", 0x18000), "-32768");
	assert_string_equal(fmt_unchecked("%hx", 0x12345), "2345");
	assert_string_equal(fmt("%zu", SIZE_MAX), "18446744073709551615");
	assert_string_equal(fmt("%zx", (size_t)0xabc), "abc");
	assert_string_equal(fmt("%td", (ptrdiff_t)-5), "-5");
	assert_string_equal(fmt("%ju", UINTMAX_MAX), "18446744073709551615");
	assert_string_equal(fmt("%i", -7), "-7");
}

static void
test_format_prints_unknown_conversions_verbatim(void **state)
{
	(void)state;
	assert_string_equal(fmt_unchecked("a%yb"), "a%yb");
	assert_string_equal(fmt_unchecked("a%-08.3qb"), "a%-08.3qb");
	assert_string_equal(fmt_unchecked("%ls|%d", 5), "%ls|5");
	assert_string_equal(fmt_unchecked("%n|%d", 5), "%n|5");
	assert_string_equal(fmt_unchecked("%f"), "%f");
}

static void
test_format_prints_trailing_percent_verbatim(void **state)
{
	(void)state;
	assert_string_equal(fmt_unchecked("abc%"), "abc%");
	assert_string_equal(fmt_unchecked("abc%08"), "abc%08");
}

static void
test_format_truncates_and_returns_full_length(void **state)
{
	char buf[8];

	(void)state;
	assert_int_equal(ksnprintf(buf, sizeof(buf), "hello, %s", "world"),
	    12);
	assert_string_equal(buf, "hello, ");
	assert_int_equal(ksnprintf(buf, sizeof(buf), "%d", 1234567), 7);
	assert_string_equal(buf, "1234567");
	assert_int_equal(ksnprintf(buf, sizeof(buf), "%d", 12345678), 8);
	assert_string_equal(buf, "1234567");
}

static void
test_format_size_zero_writes_nothing(void **state)
{
	char buf[4] = "xyz";

	(void)state;
	assert_int_equal(ksnprintf(buf, 0, "%s", "hello"), 5);
	assert_string_equal(buf, "xyz");
	assert_int_equal(ksnprintf(NULL, 0, "%d-%d", 10, 20), 5);
}

static void
test_format_size_one_writes_only_nul(void **state)
{
	char buf[4] = "xyz";

	(void)state;
	assert_int_equal(ksnprintf(buf, 1, "%s", "hello"), 5);
	assert_memory_equal(buf, "\0yz", 4);
}

struct capture {
	char	cap_buf[64];
	size_t	cap_len;
};

static void
capture_emit(void *ctx, char c)
{
	struct capture *cap = ctx;

	assert_true(cap->cap_len < sizeof(cap->cap_buf));
	cap->cap_buf[cap->cap_len++] = c;
}

static int
capture_format(struct capture *cap, const char *format, ...)
    __attribute__((__format__(__printf__, 2, 3)));

static int
capture_format(struct capture *cap, const char *format, ...)
{
	va_list ap;
	int n;

	va_start(ap, format);
	n = kvformat(capture_emit, cap, format, ap);
	va_end(ap);
	return n;
}

static void
test_kvformat_emits_each_character_without_nul(void **state)
{
	struct capture cap = { .cap_len = 0 };

	(void)state;
	assert_int_equal(capture_format(&cap, "cpu%u: %s", 3, "up"), 8);
	assert_int_equal(cap.cap_len, 8);
	assert_memory_equal(cap.cap_buf, "cpu3: up", 8);
}

/*
 * The formatter against the C library: every combination of the flags
 * that C defines for a conversion, a few widths and precisions, and a
 * table of values, formatted into buffers of several sizes.
 */

enum arg_kind {
	ARG_INT, ARG_UINT, ARG_LONG, ARG_ULONG, ARG_LLONG, ARG_ULLONG,
	ARG_SIZE, ARG_SSIZE, ARG_INTMAX, ARG_UINTMAX, ARG_PTRDIFF,
	ARG_STRING, ARG_CHAR
};

static const int64_t signed_values[] = {
	0, 1, -1, 7, -42, 127, 128, -128, -129, 255, 256, 32767, -32768,
	65535, INT_MAX, INT_MIN, (int64_t)UINT_MAX + 1, 123456789012LL,
	-987654321098LL, INT64_MAX, INT64_MIN,
};

static const uint64_t unsigned_values[] = {
	0, 1, 7, 8, 15, 16, 255, 256, 65535, 65536, UINT_MAX, 0xdeadbeef,
	0x100000000ULL, 01234567012345670ULL, UINT64_MAX - 1, UINT64_MAX,
};

static const char *const string_values[] = {
	"", "a", "hello", "hello, world", "a string of thirty-three bytes..",
};

static const int char_values[] = { 'a', 'Z', ' ', '%', 0x80, 0xff, 0x1ff };

static const struct conv_group {
	const char	*cg_convs[6];	/* length modifier and conversion */
	const char	*cg_flags;	/* the flags C defines for them */
	int		 cg_precision;	/* C defines a precision for them */
	enum arg_kind	 cg_kind;
} conv_groups[] = {
	{ { "d", "i", "hhd", "hd" }, "-0+ ", 1, ARG_INT },
	{ { "u", "hhu", "hu" }, "-0+ ", 1, ARG_UINT },
	{ { "x", "X", "o", "hhx", "ho" }, "-0+ #", 1, ARG_UINT },
	{ { "ld", "li" }, "-0+ ", 1, ARG_LONG },
	{ { "lu", "lx", "lo", "lX" }, "-0+ #", 1, ARG_ULONG },
	{ { "lld" }, "-0+ ", 1, ARG_LLONG },
	{ { "llu", "llx", "llo", "llX" }, "-0+ #", 1, ARG_ULLONG },
	{ { "zu", "zx" }, "-0#", 1, ARG_SIZE },
	{ { "zd" }, "-0+ ", 1, ARG_SSIZE },
	{ { "jd" }, "-0+ ", 1, ARG_INTMAX },
	{ { "ju", "jx", "jo" }, "-0#", 1, ARG_UINTMAX },
	{ { "td" }, "-0+ ", 1, ARG_PTRDIFF },
	{ { "s" }, "-", 1, ARG_STRING },
	{ { "c" }, "-", 0, ARG_CHAR },
};

static const char *const widths[] = { "", "1", "7", "30" };
static const char *const precisions[] = {
	"", ".", ".0", ".1", ".3", ".25",
};

/* Output sizes: roomy, none, only the NUL, and a cut. */
static const size_t out_sizes[] = { 128, 0, 1, 5 };

static unsigned long compared;

static void
compare_with_libc(const char *format, ...)
{
	char want[160], got[160];
	va_list ap;
	size_t i, size;
	int wn, gn;

	for (i = 0; i < nitems(out_sizes); i++) {
		size = out_sizes[i];
		memset(want, 'Z', sizeof(want));
		memset(got, 'Z', sizeof(got));
		va_start(ap, format);
		wn = vsnprintf(size > 0 ? want : NULL, size, format, ap);
		va_end(ap);
		va_start(ap, format);
		gn = kvsnprintf(size > 0 ? got : NULL, size, format, ap);
		va_end(ap);
		if (wn != gn || memcmp(want, got, sizeof(want)) != 0) {
			print_error("format \"%s\" size %zu: libc \"%.*s\" "
			    "(%d), klib \"%.*s\" (%d)\n", format, size,
			    (int)sizeof(want), want, wn,
			    (int)sizeof(got), got, gn);
			fail();
		}
		compared++;
	}
}

static size_t
kind_count(enum arg_kind kind)
{
	switch (kind) {
	case ARG_STRING:
		return nitems(string_values);
	case ARG_CHAR:
		return nitems(char_values);
	case ARG_UINT:
	case ARG_ULONG:
	case ARG_ULLONG:
	case ARG_SIZE:
	case ARG_UINTMAX:
		return nitems(unsigned_values);
	default:
		return nitems(signed_values);
	}
}

static void
compare_value(const char *format, enum arg_kind kind, size_t i)
{
	const int64_t *sv = signed_values;
	const uint64_t *uv = unsigned_values;

	switch (kind) {
	case ARG_INT:
		compare_with_libc(format, (int)sv[i]);
		break;
	case ARG_UINT:
		compare_with_libc(format, (unsigned)uv[i]);
		break;
	case ARG_LONG:
		compare_with_libc(format, (long)sv[i]);
		break;
	case ARG_ULONG:
		compare_with_libc(format, (unsigned long)uv[i]);
		break;
	case ARG_LLONG:
		compare_with_libc(format, (long long)sv[i]);
		break;
	case ARG_ULLONG:
		compare_with_libc(format, (unsigned long long)uv[i]);
		break;
	case ARG_SIZE:
		compare_with_libc(format, (size_t)uv[i]);
		break;
	case ARG_SSIZE:
		compare_with_libc(format, (ssize_t)sv[i]);
		break;
	case ARG_INTMAX:
		compare_with_libc(format, (intmax_t)sv[i]);
		break;
	case ARG_UINTMAX:
		compare_with_libc(format, (uintmax_t)uv[i]);
		break;
	case ARG_PTRDIFF:
		compare_with_libc(format, (ptrdiff_t)sv[i]);
		break;
	case ARG_STRING:
		compare_with_libc(format, string_values[i]);
		break;
	case ARG_CHAR:
		compare_with_libc(format, char_values[i]);
		break;
	}
}

/* The flags of set whose bits are in mask, in order. */
static void
flag_subset(char *out, const char *set, unsigned mask)
{
	for (; *set != '\0'; set++, mask >>= 1) {
		if (mask & 1)
			*out++ = *set;
	}
	*out = '\0';
}

/* Every flag combination, width and precision of one conversion. */
static void
compare_conversion(const struct conv_group *cg, const char *conv)
{
	char flags[8], format[32];
	size_t w, p, v, np;
	unsigned mask;

	np = cg->cg_precision ? nitems(precisions) : 1;
	for (mask = 0; mask < 1u << strlen(cg->cg_flags); mask++) {
		flag_subset(flags, cg->cg_flags, mask);
		for (w = 0; w < nitems(widths); w++) {
			for (p = 0; p < np; p++) {
				snprintf(format, sizeof(format), "<%%%s%s%s%s>",
				    flags, widths[w], precisions[p], conv);
				for (v = 0; v < kind_count(cg->cg_kind); v++)
					compare_value(format, cg->cg_kind, v);
			}
		}
	}
}

static void
test_format_matches_libc_over_table(void **state)
{
	const char *const *conv;
	size_t i;

	(void)state;
	compared = 0;
	for (i = 0; i < nitems(conv_groups); i++) {
		for (conv = conv_groups[i].cg_convs; *conv != NULL; conv++)
			compare_conversion(&conv_groups[i], *conv);
	}
	assert_true(compared > 100000);
}

static void
test_format_matches_libc_for_mixed_formats(void **state)
{
	(void)state;
	compare_with_libc("%%");
	compare_with_libc("a%%b%%%%c");
	compare_with_libc("%d %s %c %x", -1, "two", '3', 4u);
	compare_with_libc("%*d|%-*d|%.*d", 4, 1, 4, 2, 3, 3);
	compare_with_libc("%*d|%.*s", -6, 9, -2, "abc");
	compare_with_libc("rip=%016lx rsp=%016lx", 0xffffffff80001000UL,
	    0x7ffc1234UL);
	compare_with_libc("%5s|%-5s|%.1s|%5.1s", "ab", "ab", "ab", "ab");
	compare_with_libc("%hhx %hx %x %lx", 0x1ff, 0x1ffff, ~0u, ~0UL);
}

/*
 * Number and size parsing.
 */

static void
test_strtou64_parses_decimal(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(kstrtou64("0", NULL, 10, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(kstrtou64("12345", NULL, 10, &v), 0);
	assert_int_equal(v, 12345);
	assert_int_equal(kstrtou64("007", NULL, 10, &v), 0);
	assert_int_equal(v, 7);
}

static void
test_strtou64_auto_base_follows_prefix(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(kstrtou64("0x1F", NULL, 0, &v), 0);
	assert_int_equal(v, 0x1f);
	assert_int_equal(kstrtou64("0XfF", NULL, 0, &v), 0);
	assert_int_equal(v, 0xff);
	assert_int_equal(kstrtou64("017", NULL, 0, &v), 0);
	assert_int_equal(v, 017);
	assert_int_equal(kstrtou64("17", NULL, 0, &v), 0);
	assert_int_equal(v, 17);
	assert_int_equal(kstrtou64("0", NULL, 0, &v), 0);
	assert_int_equal(v, 0);
}

static void
test_strtou64_accepts_explicit_bases(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(kstrtou64("101", NULL, 2, &v), 0);
	assert_int_equal(v, 5);
	assert_int_equal(kstrtou64("0x10", NULL, 16, &v), 0);
	assert_int_equal(v, 16);
	assert_int_equal(kstrtou64("10", NULL, 16, &v), 0);
	assert_int_equal(v, 16);
	assert_int_equal(kstrtou64("zz", NULL, 36, &v), 0);
	assert_int_equal(v, 35 * 36 + 35);
}

static void
test_strtou64_rejects_invalid_base(void **state)
{
	uint64_t v = 99;

	(void)state;
	assert_int_equal(kstrtou64("1", NULL, 1, &v), -1);
	assert_int_equal(kstrtou64("1", NULL, 37, &v), -1);
	assert_int_equal(v, 99);
}

static void
test_strtou64_sets_end_after_digits(void **state)
{
	const char *s = "123abc", *end = NULL;
	uint64_t v;

	(void)state;
	assert_int_equal(kstrtou64(s, &end, 10, &v), 0);
	assert_int_equal(v, 123);
	assert_ptr_equal(end, s + 3);
	assert_int_equal(kstrtou64(s, &end, 16, &v), 0);
	assert_int_equal(v, 0x123abc);
	assert_ptr_equal(end, s + 6);
}

static void
test_strtou64_without_end_requires_whole_string(void **state)
{
	uint64_t v = 99;

	(void)state;
	assert_int_equal(kstrtou64("123abc", NULL, 10, &v), -1);
	assert_int_equal(kstrtou64("123 ", NULL, 10, &v), -1);
	assert_int_equal(v, 99);
}

static void
test_strtou64_takes_bare_0x_as_zero(void **state)
{
	const char *s = "0xg", *end;
	uint64_t v;

	(void)state;
	assert_int_equal(kstrtou64(s, &end, 0, &v), 0);
	assert_int_equal(v, 0);
	assert_ptr_equal(end, s + 1);
	assert_int_equal(kstrtou64(s, &end, 16, &v), 0);
	assert_int_equal(v, 0);
	assert_ptr_equal(end, s + 1);
}

static void
test_strtou64_rejects_missing_digits(void **state)
{
	const char *s = "-1", *end = NULL;
	uint64_t v = 99;

	(void)state;
	assert_int_equal(kstrtou64("", NULL, 0, &v), -1);
	assert_int_equal(kstrtou64("x", NULL, 0, &v), -1);
	assert_int_equal(kstrtou64(" 1", NULL, 0, &v), -1);
	assert_int_equal(kstrtou64("+1", NULL, 0, &v), -1);
	assert_int_equal(kstrtou64("9", NULL, 8, &v), -1);
	assert_int_equal(kstrtou64(s, &end, 10, &v), -1);
	assert_ptr_equal(end, s);
	assert_int_equal(v, 99);
}

static void
test_strtou64_accepts_uint64_max(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(kstrtou64("18446744073709551615", NULL, 10, &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(kstrtou64("0xffffffffffffffff", NULL, 0, &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(kstrtou64("01777777777777777777777", NULL, 0, &v),
	    0);
	assert_true(v == UINT64_MAX);
}

static void
test_strtou64_rejects_overflow(void **state)
{
	const char *s = "18446744073709551616", *end = NULL;
	uint64_t v = 99;

	(void)state;
	assert_int_equal(kstrtou64(s, &end, 10, &v), -1);
	assert_ptr_equal(end, s);
	assert_int_equal(kstrtou64("0x10000000000000000", NULL, 0, &v), -1);
	assert_int_equal(kstrtou64("99999999999999999999999", NULL, 10, &v),
	    -1);
	assert_int_equal(v, 99);
}

static void
test_parse_size_accepts_plain_bytes(void **state)
{
	uint64_t n;

	(void)state;
	assert_int_equal(kparse_size("512", &n), 0);
	assert_int_equal(n, 512);
	assert_int_equal(kparse_size("0", &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(kparse_size("512B", &n), 0);
	assert_int_equal(n, 512);
}

static void
test_parse_size_applies_binary_units(void **state)
{
	uint64_t n;

	(void)state;
	assert_int_equal(kparse_size("64K", &n), 0);
	assert_int_equal(n, 64 << 10);
	assert_int_equal(kparse_size("16M", &n), 0);
	assert_int_equal(n, 16 << 20);
	assert_int_equal(kparse_size("2G", &n), 0);
	assert_true(n == 2ULL << 30);
	assert_int_equal(kparse_size("3T", &n), 0);
	assert_true(n == 3ULL << 40);
	assert_int_equal(kparse_size("5P", &n), 0);
	assert_true(n == 5ULL << 50);
	assert_int_equal(kparse_size("15E", &n), 0);
	assert_true(n == 15ULL << 60);
}

static void
test_parse_size_accepts_byte_suffixes_in_any_case(void **state)
{
	uint64_t n;

	(void)state;
	assert_int_equal(kparse_size("64KiB", &n), 0);
	assert_int_equal(n, 64 << 10);
	assert_int_equal(kparse_size("64KB", &n), 0);
	assert_int_equal(n, 64 << 10);
	assert_int_equal(kparse_size("16m", &n), 0);
	assert_int_equal(n, 16 << 20);
	assert_int_equal(kparse_size("2gib", &n), 0);
	assert_true(n == 2ULL << 30);
}

static void
test_parse_size_accepts_hex(void **state)
{
	uint64_t n;

	(void)state;
	assert_int_equal(kparse_size("0x1000", &n), 0);
	assert_int_equal(n, 0x1000);
	assert_int_equal(kparse_size("0x10M", &n), 0);
	assert_int_equal(n, 16 << 20);
	assert_int_equal(kparse_size("0x10B", &n), 0);
	assert_int_equal(n, 0x10b);
}

static void
test_parse_size_reads_leading_zeroes_as_decimal(void **state)
{
	uint64_t n;

	(void)state;
	assert_int_equal(kparse_size("010M", &n), 0);
	assert_int_equal(n, 10 << 20);
}

static void
test_parse_size_rejects_garbage(void **state)
{
	static const char *const bad[] = {
		"", "K", "B", "iB", "12Q", "1KK", "1 K", " 1", "1 ", "-1",
		"+1", "1iB", "1Ki", "1KiBB", "1BB", "0x", "1.5G", "1,024",
	};
	uint64_t n = 99;
	size_t i;

	(void)state;
	for (i = 0; i < nitems(bad); i++) {
		if (kparse_size(bad[i], &n) != -1) {
			print_error("accepted \"%s\"\n", bad[i]);
			fail();
		}
	}
	assert_int_equal(n, 99);
}

static void
test_parse_size_rejects_overflow(void **state)
{
	uint64_t n = 99;

	(void)state;
	assert_int_equal(kparse_size("16E", &n), -1);
	assert_int_equal(kparse_size("17179869184G", &n), -1);
	assert_int_equal(kparse_size("18446744073709551616", &n), -1);
	assert_int_equal(n, 99);
	assert_int_equal(kparse_size("17179869183G", &n), 0);
	assert_true(n == 17179869183ULL << 30);
}

/*
 * Kernel command lines.
 */

static void
test_cmdline_finds_bare_flag(void **state)
{
	char val[16] = "unchanged";

	(void)state;
	assert_true(kcmdline_get("quiet debug", "debug", val, sizeof(val)));
	assert_string_equal(val, "");
	assert_true(kcmdline_get("quiet debug", "quiet", NULL, 0));
}

static void
test_cmdline_finds_value(void **state)
{
	char val[16];

	(void)state;
	assert_true(kcmdline_get("console=com1 mem=2G", "mem", val,
	    sizeof(val)));
	assert_string_equal(val, "2G");
	assert_true(kcmdline_get("console=com1 mem=2G", "console", val,
	    sizeof(val)));
	assert_string_equal(val, "com1");
}

static void
test_cmdline_empty_value_is_present(void **state)
{
	char val[16] = "unchanged";

	(void)state;
	assert_true(kcmdline_get("root= ro", "root", val, sizeof(val)));
	assert_string_equal(val, "");
}

static void
test_cmdline_value_keeps_later_equals_signs(void **state)
{
	char val[16];

	(void)state;
	assert_true(kcmdline_get("opt=a=b", "opt", val, sizeof(val)));
	assert_string_equal(val, "a=b");
}

static void
test_cmdline_quoted_value_keeps_spaces(void **state)
{
	char val[32];

	(void)state;
	assert_true(kcmdline_get("a=1 console=\"com1 vga\" b=2", "console",
	    val, sizeof(val)));
	assert_string_equal(val, "com1 vga");
	assert_true(kcmdline_get("a=1 console=\"com1 vga\" b=2", "b", val,
	    sizeof(val)));
	assert_string_equal(val, "2");
	assert_true(kcmdline_get("x=com1\" \"vga", "x", val, sizeof(val)));
	assert_string_equal(val, "com1 vga");
	assert_true(kcmdline_get("x=\"\"", "x", val, sizeof(val)));
	assert_string_equal(val, "");
}

static void
test_cmdline_unterminated_quote_runs_to_end(void **state)
{
	char val[32];

	(void)state;
	assert_true(kcmdline_get("x=\"a b c", "x", val, sizeof(val)));
	assert_string_equal(val, "a b c");
}

static void
test_cmdline_ignores_key_inside_quotes(void **state)
{
	(void)state;
	assert_false(kcmdline_get("init=\"/bin/sh debug\"", "debug", NULL,
	    0));
}

static void
test_cmdline_does_not_match_prefix_or_suffix(void **state)
{
	(void)state;
	assert_false(kcmdline_get("console=com1", "cons", NULL, 0));
	assert_false(kcmdline_get("noconsole", "console", NULL, 0));
	assert_false(kcmdline_get("debugger", "debug", NULL, 0));
	assert_false(kcmdline_get("debug", "debugger", NULL, 0));
}

static void
test_cmdline_last_occurrence_wins(void **state)
{
	char val[16];

	(void)state;
	assert_true(kcmdline_get("loglvl=1 x loglvl=3", "loglvl", val,
	    sizeof(val)));
	assert_string_equal(val, "3");
	assert_true(kcmdline_get("loglvl=1 loglvl", "loglvl", val,
	    sizeof(val)));
	assert_string_equal(val, "");
}

static void
test_cmdline_reports_missing_key(void **state)
{
	char val[16] = "unchanged";

	(void)state;
	assert_false(kcmdline_get("quiet debug", "mem", val, sizeof(val)));
	assert_string_equal(val, "unchanged");
	assert_false(kcmdline_get("", "mem", val, sizeof(val)));
	assert_false(kcmdline_get(NULL, "mem", val, sizeof(val)));
	assert_false(kcmdline_get("quiet", "", val, sizeof(val)));
	assert_string_equal(val, "unchanged");
}

static void
test_cmdline_splits_on_any_white_space(void **state)
{
	char val[16];

	(void)state;
	assert_true(kcmdline_get("  a=1\tb=2\nc=3\r\n", "c", val,
	    sizeof(val)));
	assert_string_equal(val, "3");
	assert_true(kcmdline_get("  a=1\tb=2\nc=3\r\n", "b", val,
	    sizeof(val)));
	assert_string_equal(val, "2");
}

static void
test_cmdline_truncates_long_value(void **state)
{
	char val[4];

	(void)state;
	assert_true(kcmdline_get("path=/boot/kernel", "path", val,
	    sizeof(val)));
	assert_string_equal(val, "/bo");
	assert_true(kcmdline_get("path=/boot/kernel", "path", val, 0));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memcpy_copies_every_length_and_alignment),
		cmocka_unit_test(test_memmove_handles_overlap),
		cmocka_unit_test(test_memset_fills_only_the_range),
		cmocka_unit_test(test_memcmp_orders_bytes_as_unsigned),
		cmocka_unit_test(test_strlen_counts_to_the_nul),
		cmocka_unit_test(test_strnlen_stops_at_the_limit),
		cmocka_unit_test(test_strcmp_orders_as_unsigned),
		cmocka_unit_test(test_strncmp_compares_at_most_n),
		cmocka_unit_test(test_strchr_finds_first_match),
		cmocka_unit_test(test_strrchr_finds_last_match),
		cmocka_unit_test(test_strlcpy_copies_and_returns_source_length),
		cmocka_unit_test(test_strlcpy_truncates_and_terminates),
		cmocka_unit_test(test_strlcpy_with_size_zero_writes_nothing),
		cmocka_unit_test(test_strlcat_appends),
		cmocka_unit_test(
		    test_strlcat_truncates_and_returns_wanted_length),
		cmocka_unit_test(
		    test_strlcat_without_nul_in_size_appends_nothing),

		cmocka_unit_test(test_format_copies_plain_text),
		cmocka_unit_test(test_format_prints_percent_sign),
		cmocka_unit_test(test_format_pads_with_zeroes),
		cmocka_unit_test(test_format_pads_with_spaces),
		cmocka_unit_test(test_format_left_justifies),
		cmocka_unit_test(test_format_minus_overrides_zero),
		cmocka_unit_test(test_format_zero_flag_ignored_with_precision),
		cmocka_unit_test(test_format_precision_sets_minimum_digits),
		cmocka_unit_test(
		    test_format_precision_zero_prints_no_digits_for_zero),
		cmocka_unit_test(test_format_prints_signs),
		cmocka_unit_test(test_format_prints_int64_min),
		cmocka_unit_test(test_format_prints_uint64_max),
		cmocka_unit_test(
		    test_format_alternate_form_of_zero_has_no_prefix),
		cmocka_unit_test(test_format_alternate_form_prefixes),
		cmocka_unit_test(
		    test_format_takes_width_and_precision_from_arguments),
		cmocka_unit_test(
		    test_format_negative_star_width_left_justifies),
		cmocka_unit_test(
		    test_format_negative_star_precision_is_ignored),
		cmocka_unit_test(test_format_precision_limits_strings),
		cmocka_unit_test(
		    test_format_precision_does_not_read_past_the_limit),
		cmocka_unit_test(test_format_prints_null_string),
		cmocka_unit_test(test_format_prints_characters),
		cmocka_unit_test(test_format_counts_nul_character),
		cmocka_unit_test(test_format_pointer_is_fixed_width),
		cmocka_unit_test(test_format_pointer_honours_width_and_minus),
		cmocka_unit_test(
		    test_format_length_modifiers_convert_the_argument),
		cmocka_unit_test(
		    test_format_prints_unknown_conversions_verbatim),
		cmocka_unit_test(test_format_prints_trailing_percent_verbatim),
		cmocka_unit_test(test_format_truncates_and_returns_full_length),
		cmocka_unit_test(test_format_size_zero_writes_nothing),
		cmocka_unit_test(test_format_size_one_writes_only_nul),
		cmocka_unit_test(
		    test_kvformat_emits_each_character_without_nul),
		cmocka_unit_test(test_format_matches_libc_over_table),
		cmocka_unit_test(test_format_matches_libc_for_mixed_formats),

		cmocka_unit_test(test_strtou64_parses_decimal),
		cmocka_unit_test(test_strtou64_auto_base_follows_prefix),
		cmocka_unit_test(test_strtou64_accepts_explicit_bases),
		cmocka_unit_test(test_strtou64_rejects_invalid_base),
		cmocka_unit_test(test_strtou64_sets_end_after_digits),
		cmocka_unit_test(
		    test_strtou64_without_end_requires_whole_string),
		cmocka_unit_test(test_strtou64_takes_bare_0x_as_zero),
		cmocka_unit_test(test_strtou64_rejects_missing_digits),
		cmocka_unit_test(test_strtou64_accepts_uint64_max),
		cmocka_unit_test(test_strtou64_rejects_overflow),
		cmocka_unit_test(test_parse_size_accepts_plain_bytes),
		cmocka_unit_test(test_parse_size_applies_binary_units),
		cmocka_unit_test(
		    test_parse_size_accepts_byte_suffixes_in_any_case),
		cmocka_unit_test(test_parse_size_accepts_hex),
		cmocka_unit_test(
		    test_parse_size_reads_leading_zeroes_as_decimal),
		cmocka_unit_test(test_parse_size_rejects_garbage),
		cmocka_unit_test(test_parse_size_rejects_overflow),

		cmocka_unit_test(test_cmdline_finds_bare_flag),
		cmocka_unit_test(test_cmdline_finds_value),
		cmocka_unit_test(test_cmdline_empty_value_is_present),
		cmocka_unit_test(test_cmdline_value_keeps_later_equals_signs),
		cmocka_unit_test(test_cmdline_quoted_value_keeps_spaces),
		cmocka_unit_test(test_cmdline_unterminated_quote_runs_to_end),
		cmocka_unit_test(test_cmdline_ignores_key_inside_quotes),
		cmocka_unit_test(test_cmdline_does_not_match_prefix_or_suffix),
		cmocka_unit_test(test_cmdline_last_occurrence_wins),
		cmocka_unit_test(test_cmdline_reports_missing_key),
		cmocka_unit_test(test_cmdline_splits_on_any_white_space),
		cmocka_unit_test(test_cmdline_truncates_long_value),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
