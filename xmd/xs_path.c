/*
 * Node names as xenstored accepts them: absolute ("/local/domain/3/x")
 * or relative to the asking domain's home ("x" is
 * "/local/domain/3/x"), made of ASCII letters, digits and "-/_@", no
 * empty component and no trailing slash; and for watches, names of
 * events that start with "@" ("@introduceDomain", "@releaseDomain").
 */
#include <errno.h>
#include <string.h>

#include "xs_int.h"

static int
valid_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '/' || c == '_' ||
	    c == '@';
}

static int
valid_name(const char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!valid_char(p[i]) || p[i] == '/')
			return 0;
	return 1;
}

/* An absolute path: "/" alone, or "/name(/name)*". */
static int
valid_abs(const char *p, size_t len)
{
	size_t i;

	if (len == 0 || p[0] != '/')
		return 0;
	if (len == 1)
		return 1;
	if (p[len - 1] == '/')
		return 0;
	for (i = 0; i < len; i++) {
		if (!valid_char(p[i]))
			return 0;
		if (p[i] == '/' && i + 1 < len && p[i + 1] == '/')
			return 0;
	}
	return 1;
}

/*
 * Turns in (inlen bytes, no NUL inside) into a canonical absolute path
 * in out (XS_PATH_BUF bytes).  *strip is how much of out a relative
 * name added, so that watch events can be given back relative.
 */
int
xs_path_canon(const struct xs_store *st, const char *home, const char *in,
    size_t inlen, char *out, size_t *strip)
{
	size_t hl;

	*strip = 0;
	if (inlen == 0 || memchr(in, '\0', inlen) != NULL)
		return EINVAL;
	if (in[0] == '@') {
		/* A watch may name any; only the two ever fire. */
		if (inlen > XM_XS_REL_PATH_MAX || !valid_name(in, inlen))
			return EINVAL;
		memcpy(out, in, inlen);
		out[inlen] = '\0';
		return 0;
	}
	if (in[0] == '/') {
		if (inlen > st->lim.path_max || !valid_abs(in, inlen))
			return EINVAL;
		memcpy(out, in, inlen);
		out[inlen] = '\0';
		return 0;
	}
	if (home == NULL || inlen > XM_XS_REL_PATH_MAX)
		return EINVAL;
	hl = strlen(home);
	if (hl + 1 + inlen > st->lim.path_max)
		return EINVAL;
	memcpy(out, home, hl);
	out[hl] = '/';
	memcpy(out + hl + 1, in, inlen);
	out[hl + 1 + inlen] = '\0';
	if (!valid_abs(out, hl + 1 + inlen))
		return EINVAL;
	*strip = hl + 1;
	return 0;
}

/* Whether path is top or lies below it. */
int
xs_path_is_below(const char *path, const char *top)
{
	size_t n = strlen(top);

	if (strcmp(top, "/") == 0)
		return path[0] == '/';
	return strncmp(path, top, n) == 0 &&
	    (path[n] == '\0' || path[n] == '/');
}

/* The parent of a canonical path other than "/", in buf. */
const char *
xs_path_parent(const char *path, char *buf)
{
	const char *slash = strrchr(path, '/');
	size_t n = (size_t)(slash - path);

	if (n == 0)
		n = 1;
	memcpy(buf, path, n);
	buf[n] = '\0';
	return buf;
}
