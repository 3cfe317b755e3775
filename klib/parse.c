/*
 * klib parsers for numbers, sizes and kernel command lines.  See
 * klib/parse.h.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <klib/parse.h>
#include <klib/string.h>

/* Binary units, each 1024 times the one before, from 2^10. */
static const char size_units[] = "KMGTPE";

/* The value of c as a digit, or 36 (too big for any base) if none. */
static unsigned
digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 36;
}

static char
to_upper(char c)
{
	return c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c;
}

static bool
has_hex_prefix(const char *s)
{
	return s[0] == '0' && to_upper(s[1]) == 'X' && digit_value(s[2]) < 16;
}

int
kstrtou64(const char *s, const char **end, unsigned base, uint64_t *out)
{
	const char *p = s, *digits;
	uint64_t v = 0;
	unsigned d;

	if (base == 0)
		base = has_hex_prefix(s) ? 16 : s[0] == '0' ? 8 : 10;
	if (base < 2 || base > 36)
		goto fail;
	if (base == 16 && has_hex_prefix(p))
		p += 2;
	for (digits = p; (d = digit_value(*p)) < base; p++) {
		if (v > (UINT64_MAX - d) / base)
			goto fail;
		v = v * base + d;
	}
	if (p == digits || (end == NULL && *p != '\0'))
		goto fail;
	if (end != NULL)
		*end = p;
	*out = v;
	return 0;
fail:
	if (end != NULL)
		*end = s;
	return -1;
}

int
kparse_size(const char *s, uint64_t *bytes)
{
	const char *p, *unit;
	unsigned shift = 0;
	uint64_t v;

	if (kstrtou64(s, &p, has_hex_prefix(s) ? 16 : 10, &v) != 0)
		return -1;
	if (*p != '\0' && (unit = kstrchr(size_units, to_upper(*p))) != NULL) {
		shift = 10 * (unit - size_units + 1);
		p++;
		if (to_upper(p[0]) == 'I' && to_upper(p[1]) == 'B')
			p++;	/* the B follows */
	}
	if (to_upper(*p) == 'B')
		p++;
	if (*p != '\0' || v > UINT64_MAX >> shift)
		return -1;
	*bytes = v << shift;
	return 0;
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The end of the word starting at p: spaces inside quotes are part of it. */
static const char *
word_end(const char *p)
{
	bool quoted = false;

	for (; *p != '\0'; p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (!quoted && is_space(*p))
			break;
	}
	return p;
}

/* Copy [p, end) to val without its quotes, truncated as by strlcpy. */
static void
copy_value(char *val, size_t valsz, const char *p, const char *end)
{
	size_t n = 0;

	if (valsz == 0)
		return;
	for (; p < end; p++) {
		if (*p != '"' && n + 1 < valsz)
			val[n++] = *p;
	}
	val[n] = '\0';
}

/* Where the value of word [p, end) starts if its key is key, else NULL. */
static const char *
word_value(const char *p, const char *end, const char *key, size_t klen)
{
	if ((size_t)(end - p) < klen || kstrncmp(p, key, klen) != 0)
		return NULL;
	p += klen;
	if (p == end)
		return p;
	return *p == '=' ? p + 1 : NULL;
}

bool
kcmdline_get(const char *cmdline, const char *key, char *val, size_t valsz)
{
	const char *p, *end, *v, *value = NULL, *value_end = NULL;
	size_t klen = kstrlen(key);

	if (cmdline == NULL || klen == 0)
		return false;
	for (p = cmdline; *p != '\0'; p = end) {
		if (is_space(*p)) {
			end = p + 1;
			continue;
		}
		end = word_end(p);
		if ((v = word_value(p, end, key, klen)) != NULL) {
			value = v;
			value_end = end;
		}
	}
	if (value == NULL)
		return false;
	if (val != NULL)
		copy_value(val, valsz, value, value_end);
	return true;
}
