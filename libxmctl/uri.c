/*
 * Parsing the URIs of uri.h: a scheme from a table, the authority, the
 * path and the query's parameters from a table.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "uri.h"

#define S_TLS	(1 << XC_URI_TLS)
#define S_SSH	(1 << XC_URI_SSH)

static const struct {
	const char	*prefix;
	enum xc_scheme	 scheme;
} schemes[] = {
	{ "unix://",	XC_URI_UNIX },
	{ "xm+unix://",	XC_URI_UNIX },
	{ "xm+tls://",	XC_URI_TLS },
	{ "xm+ssh://",	XC_URI_SSH },
	{ NULL,		0 },
};

#define Q(f)	offsetof(struct xc_uri, f)

static const struct {
	const char	*name;
	size_t		 off;
	int		 schemes;
} params[] = {
	{ "ca",		Q(u_ca),		S_TLS },
	{ "cert",	Q(u_cert),		S_TLS },
	{ "key",	Q(u_key),		S_TLS },
	{ "token_file",	Q(u_token_file),	S_TLS },
	{ "keyfile",	Q(u_keyfile),		S_SSH },
	{ "xmctl",	Q(u_xmctl),		S_SSH },
	{ NULL,		0,			0 },
};

static int __attribute__((format(printf, 4, 5)))
why(char *err, size_t len, const char *s, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	snprintf(err, len, "URI '%s': %s", s, buf);
	return -1;
}

/* Letters, digits and the few others a host or a user name has. */
static int
name_ok(const char *p, size_t n, const char *others)
{
	size_t i;

	if (n == 0 || p[0] == '-')
		return 0;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)p[i]) &&
		    strchr(others, p[i]) == NULL)
			return 0;
	return 1;
}

static int
copy_field(char *dst, size_t size, const char *p, size_t n)
{
	if (n >= size)
		return -1;
	memcpy(dst, p, n);
	dst[n] = '\0';
	return 0;
}

static int
parse_port(struct xc_uri *u, const char *p, size_t n)
{
	if (n < 1 || n > 5 || strspn(p, "0123456789") < n)
		return -1;
	copy_field(u->u_port, sizeof(u->u_port), p, n);
	return atoi(u->u_port) > 0 && atoi(u->u_port) < 65536 ? 0 : -1;
}

/* [USER@]HOST[:PORT] in the n bytes at p. */
static int
parse_authority(struct xc_uri *u, const char *p, size_t n, const char *s,
    char *err, size_t len)
{
	const char *at = memchr(p, '@', n), *end = p + n, *hend, *colon;

	if (at != NULL) {
		if (u->u_scheme != XC_URI_SSH)
			return why(err, len, s, "a user is for xm+ssh:// only");
		if (!name_ok(p, (size_t)(at - p), "._-") ||
		    copy_field(u->u_user, sizeof(u->u_user), p,
		    (size_t)(at - p)) != 0)
			return why(err, len, s, "a bad user name");
		p = at + 1;
	}
	if (*p == '[') {
		if ((hend = memchr(p, ']', (size_t)(end - p))) == NULL ||
		    !name_ok(p + 1, (size_t)(hend - p - 1), ":.%"))
			return why(err, len, s, "a bad [IPv6] address");
		colon = hend + 1 < end ? hend + 1 : NULL;
		p++;
	} else {
		colon = memchr(p, ':', (size_t)(end - p));
		hend = colon != NULL ? colon : end;
		if (!name_ok(p, (size_t)(hend - p), ".-_"))
			return why(err, len, s, "a bad host name");
	}
	if (copy_field(u->u_host, sizeof(u->u_host), p, (size_t)(hend - p)))
		return why(err, len, s, "the host name is too long");
	if (colon != NULL && (*colon != ':' || parse_port(u, colon + 1,
	    (size_t)(end - colon - 1)) != 0))
		return why(err, len, s, "a bad port (1 to 65535)");
	return 0;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* The n bytes at p, percent-decoded, into dst: 0, or -1. */
static int
decode(char *dst, size_t size, const char *p, size_t n)
{
	size_t i, o = 0;
	int hi, lo;

	for (i = 0; i < n; i++) {
		if (o + 1 >= size)
			return -1;
		if (p[i] != '%') {
			dst[o++] = p[i];
			continue;
		}
		if (i + 2 >= n)
			return -1;
		hi = hexval(p[i + 1]);
		lo = hexval(p[i + 2]);
		if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
			return -1;
		dst[o++] = (char)(hi << 4 | lo);
		i += 2;
	}
	dst[o] = '\0';
	return o > 0 ? 0 : -1;
}

/* One NAME=VALUE of the query, n bytes at p. */
static int
parse_param(struct xc_uri *u, const char *p, size_t n, const char *s,
    char *err, size_t len)
{
	const char *eq = memchr(p, '=', n);
	char name[32];
	size_t i;

	if (eq == NULL || copy_field(name, sizeof(name), p,
	    (size_t)(eq - p)) != 0)
		return why(err, len, s, "the query is not NAME=VALUE&...");
	for (i = 0; params[i].name != NULL; i++)
		if (strcmp(params[i].name, name) == 0)
			break;
	if (params[i].name == NULL || !(params[i].schemes & 1 << u->u_scheme))
		return why(err, len, s, "no parameter '%s' for this scheme",
		    name);
	if (decode((char *)u + params[i].off, XC_URI_FIELD, eq + 1,
	    (size_t)(p + n - eq - 1)) != 0)
		return why(err, len, s, "a bad value of '%s'", name);
	return 0;
}

static int
parse_query(struct xc_uri *u, const char *q, const char *s, char *err,
    size_t len)
{
	const char *amp;
	size_t n;

	while (*q != '\0') {
		amp = strchr(q, '&');
		n = amp != NULL ? (size_t)(amp - q) : strlen(q);
		if (parse_param(u, q, n, s, err, len) != 0)
			return -1;
		q += n + (amp != NULL);
	}
	return 0;
}

/* HOST[:PORT]/[PATH][?QUERY], after the scheme. */
static int
parse_remote(struct xc_uri *u, const char *rest, const char *s, char *err,
    size_t len)
{
	size_t a = strcspn(rest, "/?"), p;
	const char *path = rest + a;

	if (parse_authority(u, rest, a, s, err, len) != 0)
		return -1;
	p = strcspn(path, "?");
	if (u->u_scheme == XC_URI_TLS && p > 1)
		return why(err, len, s, "xm+tls:// takes no path");
	if (p > 1 && copy_field(u->u_path, sizeof(u->u_path), path, p) != 0)
		return why(err, len, s, "the path is too long");
	if (path[p] == '?')
		return parse_query(u, path + p + 1, s, err, len);
	return 0;
}

int
xc_uri_parse(const char *s, struct xc_uri *u, char *err, size_t errlen)
{
	const char *rest;
	size_t i;

	memset(u, 0, sizeof(*u));
	for (i = 0; schemes[i].prefix != NULL; i++)
		if (strncmp(s, schemes[i].prefix,
		    strlen(schemes[i].prefix)) == 0)
			break;
	if (schemes[i].prefix == NULL)
		return why(err, errlen, s, "not unix:///PATH, %s or %s",
		    "xm+tls://HOST[:PORT]/",
		    "xm+ssh://[USER@]HOST[:PORT]/[PATH]");
	u->u_scheme = schemes[i].scheme;
	rest = s + strlen(schemes[i].prefix);
	if (u->u_scheme != XC_URI_UNIX)
		return parse_remote(u, rest, s, err, errlen);
	/* A unix path is taken as it is, '?' and all, as it always was. */
	if (rest[0] != '/')
		return why(err, errlen, s, "the path must be absolute");
	if (copy_field(u->u_path, sizeof(u->u_path), rest, strlen(rest)))
		return why(err, errlen, s, "path too long");
	return 0;
}
