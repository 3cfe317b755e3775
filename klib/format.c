/*
 * klib formatted output.  See klib/format.h for what is supported.
 */

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <klib/format.h>
#include <klib/string.h>

/* Flag bits, in the order of the characters in flag_chars. */
#define FL_MINUS	0x01
#define FL_ZERO		0x02
#define FL_PLUS		0x04
#define FL_SPACE	0x08
#define FL_ALT		0x10

static const char flag_chars[] = "-0+ #";

enum fmt_len {
	LEN_NONE, LEN_HH, LEN_H, LEN_L, LEN_LL, LEN_Z, LEN_T, LEN_J
};

/* Longer modifiers first, so that "hh" is not taken for "h". */
static const struct {
	const char	*lm_name;
	enum fmt_len	 lm_len;
} len_mods[] = {
	{ "hh", LEN_HH },
	{ "h", LEN_H },
	{ "ll", LEN_LL },
	{ "l", LEN_L },
	{ "z", LEN_Z },
	{ "t", LEN_T },
	{ "j", LEN_J },
};

/* One parsed conversion specification. */
struct fmt_spec {
	unsigned	 fs_flags;
	int		 fs_width;	/* 0 if none */
	int		 fs_prec;	/* -1 if none */
	enum fmt_len	 fs_len;
	char		 fs_conv;	/* '\0' if the format ended early */
};

struct fmt_out {
	kformat_emit_t	*fo_emit;
	void		*fo_ctx;
	size_t		 fo_count;	/* characters produced so far */
};

/* The most digits a 64-bit value takes: 22 in octal. */
#define MAX_DIGITS	22

static void
out_char(struct fmt_out *o, char c)
{
	o->fo_emit(o->fo_ctx, c);
	o->fo_count++;
}

static void
out_mem(struct fmt_out *o, const char *s, size_t n)
{
	while (n-- > 0)
		out_char(o, *s++);
}

static void
out_repeat(struct fmt_out *o, char c, int n)
{
	for (; n > 0; n--)
		out_char(o, c);
}

/* s, n bytes long, padded with spaces to the field width. */
static void
out_field(struct fmt_out *o, const struct fmt_spec *fs, const char *s,
    size_t n)
{
	int pad = 0;

	if ((size_t)fs->fs_width > n)
		pad = fs->fs_width - (int)n;
	if ((fs->fs_flags & FL_MINUS) == 0)
		out_repeat(o, ' ', pad);
	out_mem(o, s, n);
	if (fs->fs_flags & FL_MINUS)
		out_repeat(o, ' ', pad);
}

/* A decimal number in the format, saturated rather than overflowing. */
static const char *
parse_decimal(const char *p, int *val)
{
	int v = 0;

	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > (__INT_MAX__ - 9) / 10)
			v = __INT_MAX__;
		else
			v = v * 10 + (*p - '0');
	}
	*val = v;
	return p;
}

static const char *
parse_width(const char *p, struct fmt_spec *fs, va_list *ap)
{
	int w;

	if (*p != '*')
		return parse_decimal(p, &fs->fs_width);
	w = va_arg(*ap, int);
	if (w < 0) {
		fs->fs_flags |= FL_MINUS;
		w = w == -__INT_MAX__ - 1 ? __INT_MAX__ : -w;
	}
	fs->fs_width = w;
	return p + 1;
}

static const char *
parse_precision(const char *p, struct fmt_spec *fs, va_list *ap)
{
	int prec;

	if (*p != '.') {
		fs->fs_prec = -1;
		return p;
	}
	p++;
	if (*p != '*')
		return parse_decimal(p, &fs->fs_prec);
	prec = va_arg(*ap, int);
	fs->fs_prec = prec < 0 ? -1 : prec;
	return p + 1;
}

static const char *
parse_length(const char *p, struct fmt_spec *fs)
{
	size_t i, n;

	for (i = 0; i < sizeof(len_mods) / sizeof(len_mods[0]); i++) {
		n = kstrlen(len_mods[i].lm_name);
		if (kstrncmp(p, len_mods[i].lm_name, n) == 0) {
			fs->fs_len = len_mods[i].lm_len;
			return p + n;
		}
	}
	fs->fs_len = LEN_NONE;
	return p;
}

/*
 * Parse the specification after a '%'; return where the format goes on.
 * Width and precision given as '*' are taken from ap.
 */
static const char *
parse_spec(const char *p, struct fmt_spec *fs, va_list *ap)
{
	const char *f;

	fs->fs_flags = 0;
	while (*p != '\0' && (f = kstrchr(flag_chars, *p)) != NULL) {
		fs->fs_flags |= 1u << (f - flag_chars);
		p++;
	}
	p = parse_width(p, fs, ap);
	p = parse_precision(p, fs, ap);
	p = parse_length(p, fs);
	fs->fs_conv = *p;
	return *p == '\0' ? p : p + 1;
}

static uint64_t
fetch_unsigned(enum fmt_len len, va_list *ap)
{
	switch (len) {
	case LEN_HH:
		return (unsigned char)va_arg(*ap, unsigned int);
	case LEN_H:
		return (unsigned short)va_arg(*ap, unsigned int);
	case LEN_L:
		return va_arg(*ap, unsigned long);
	case LEN_LL:
		return va_arg(*ap, unsigned long long);
	case LEN_Z:
		return va_arg(*ap, size_t);
	case LEN_T:
		return (size_t)va_arg(*ap, ptrdiff_t);
	case LEN_J:
		return va_arg(*ap, uintmax_t);
	default:
		return va_arg(*ap, unsigned int);
	}
}

static int64_t
fetch_signed(enum fmt_len len, va_list *ap)
{
	switch (len) {
	case LEN_HH:
		return (signed char)va_arg(*ap, int);
	case LEN_H:
		return (short)va_arg(*ap, int);
	case LEN_L:
		return va_arg(*ap, long);
	case LEN_LL:
		return va_arg(*ap, long long);
	case LEN_Z:
		/* The signed size_t: ptrdiff_t has its width on our targets. */
		return va_arg(*ap, ptrdiff_t);
	case LEN_T:
		return va_arg(*ap, ptrdiff_t);
	case LEN_J:
		return va_arg(*ap, intmax_t);
	default:
		return va_arg(*ap, int);
	}
}

/* Write v's digits so that they end at end; return where they start. */
static char *
to_digits(char *end, uint64_t v, unsigned base, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";

	do {
		*--end = digits[v % base];
		v /= base;
	} while (v != 0);
	return end;
}

/*
 * An integer: mag is its magnitude, sign is '-', '+', ' ' or '\0'.
 * The field is [spaces][sign][0x][zeros]digits[spaces].
 */
static void
out_integer(struct fmt_out *o, const struct fmt_spec *fs, uint64_t mag,
    char sign, unsigned base)
{
	char buf[MAX_DIGITS], *digits;
	const char *prefix = "";
	int ndigits, nzeros, npad;
	int64_t len;		/* a huge precision must not overflow it */

	digits = to_digits(buf + sizeof(buf), mag, base, fs->fs_conv == 'X');
	ndigits = buf + sizeof(buf) - digits;
	if (fs->fs_prec == 0 && mag == 0)
		ndigits = 0;
	nzeros = fs->fs_prec > ndigits ? fs->fs_prec - ndigits : 0;
	if (fs->fs_flags & FL_ALT) {
		if (base == 16 && mag != 0)
			prefix = fs->fs_conv == 'X' ? "0X" : "0x";
		else if (base == 8 && nzeros == 0 && (mag != 0 || ndigits == 0))
			nzeros = 1;
	}
	len = (sign != '\0') + (int64_t)kstrlen(prefix) + nzeros + ndigits;
	npad = fs->fs_width > len ? fs->fs_width - (int)len : 0;
	if ((fs->fs_flags & (FL_ZERO | FL_MINUS)) == FL_ZERO &&
	    fs->fs_prec < 0) {
		nzeros += npad;
		npad = 0;
	}
	if ((fs->fs_flags & FL_MINUS) == 0)
		out_repeat(o, ' ', npad);
	if (sign != '\0')
		out_char(o, sign);
	out_mem(o, prefix, kstrlen(prefix));
	out_repeat(o, '0', nzeros);
	out_mem(o, digits, ndigits);
	if (fs->fs_flags & FL_MINUS)
		out_repeat(o, ' ', npad);
}

static void
out_signed(struct fmt_out *o, const struct fmt_spec *fs, int64_t v)
{
	char sign = '\0';
	uint64_t mag = v;

	if (v < 0) {
		sign = '-';
		mag = -mag;	/* well defined for INT64_MIN too */
	} else if (fs->fs_flags & FL_PLUS)
		sign = '+';
	else if (fs->fs_flags & FL_SPACE)
		sign = ' ';
	out_integer(o, fs, mag, sign, 10);
}

static void
out_pointer(struct fmt_out *o, const struct fmt_spec *fs, const void *p)
{
	char buf[2 + 16];

	kmemset(buf, '0', sizeof(buf));
	buf[1] = 'x';
	(void)to_digits(buf + sizeof(buf), (uintptr_t)p, 16, false);
	out_field(o, fs, buf, sizeof(buf));
}

static void
out_string(struct fmt_out *o, const struct fmt_spec *fs, const char *s)
{
	size_t n;

	if (s == NULL)
		s = "(null)";
	if (fs->fs_prec >= 0)
		n = kstrnlen(s, fs->fs_prec);
	else
		n = kstrlen(s);
	out_field(o, fs, s, n);
}

/*
 * Format one conversion.  Return false, having consumed no argument, for
 * a conversion that is not supported.
 */
static bool
out_conversion(struct fmt_out *o, const struct fmt_spec *fs, va_list *ap)
{
	char c;

	switch (fs->fs_conv) {
	case 'd':
	case 'i':
		out_signed(o, fs, fetch_signed(fs->fs_len, ap));
		return true;
	case 'u':
		out_integer(o, fs, fetch_unsigned(fs->fs_len, ap), '\0', 10);
		return true;
	case 'o':
		out_integer(o, fs, fetch_unsigned(fs->fs_len, ap), '\0', 8);
		return true;
	case 'x':
	case 'X':
		out_integer(o, fs, fetch_unsigned(fs->fs_len, ap), '\0', 16);
		return true;
	case 'c':
		if (fs->fs_len != LEN_NONE)
			return false;
		c = (char)va_arg(*ap, int);
		out_field(o, fs, &c, 1);
		return true;
	case 's':
		if (fs->fs_len != LEN_NONE)
			return false;
		out_string(o, fs, va_arg(*ap, const char *));
		return true;
	case 'p':
		if (fs->fs_len != LEN_NONE)
			return false;
		out_pointer(o, fs, va_arg(*ap, const void *));
		return true;
	case '%':
		out_char(o, '%');
		return true;
	default:
		return false;
	}
}

int
kvformat(kformat_emit_t *emit, void *ctx, const char *fmt, va_list ap)
{
	struct fmt_out o = { emit, ctx, 0 };
	struct fmt_spec fs;
	const char *spec;
	va_list aq;

	/* A copy, so that helpers can take its address portably. */
	va_copy(aq, ap);
	while (*fmt != '\0') {
		if (*fmt != '%') {
			out_char(&o, *fmt++);
			continue;
		}
		spec = fmt;
		fmt = parse_spec(fmt + 1, &fs, &aq);
		if (!out_conversion(&o, &fs, &aq))
			out_mem(&o, spec, fmt - spec);
	}
	va_end(aq);
	return o.fo_count > __INT_MAX__ ? -1 : (int)o.fo_count;
}

struct sn_buf {
	char	*sb_buf;
	size_t	 sb_size;
	size_t	 sb_len;
};

/* Keep what fits, leaving room for the NUL. */
static void
sn_emit(void *ctx, char c)
{
	struct sn_buf *sb = ctx;

	if (sb->sb_len + 1 < sb->sb_size)
		sb->sb_buf[sb->sb_len++] = c;
}

int
kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct sn_buf sb = { buf, size, 0 };
	int n;

	n = kvformat(sn_emit, &sb, fmt, ap);
	if (size > 0)
		buf[sb.sb_len] = '\0';
	return n;
}

int
ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
