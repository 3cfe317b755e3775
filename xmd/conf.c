/* xmd.conf (see conf.h): one table row per key. */
#include <sys/stat.h>

#include <ctype.h>
#include <stddef.h>
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/util.h>

#include "conf.h"
#include "parse_num.h"
#include "secret_file.h"

#define CONF_LINE_MAX	4096

/* K_SECRET: a K_PATH to a file of secrets, which others may not read. */
enum conf_type { K_STRING, K_PATH, K_SECRET, K_NUMBER, K_SIZE, K_BOOL,
	K_TOKEN };

/* The keys whose values are longs: unset is -1. */
#define IS_LONG(t)	((t) == K_NUMBER || (t) == K_SIZE || (t) == K_BOOL)

#define MIB		(1024L * 1024)

struct conf_key {
	const char	*k_name;
	enum conf_type	 k_type;
	size_t		 k_off;		/* into struct xmd_conf */
	long		 k_min, k_max;	/* K_NUMBER, K_SIZE (bytes) */
};

#define S(f)	offsetof(struct xmd_conf, f)

static const struct conf_key conf_keys[] = {
	{ "state_dir",		K_STRING, S(c_state_dir), 0, 0 },
	{ "socket",		K_STRING, S(c_socket), 0, 0 },
	{ "socket_ro",		K_STRING, S(c_socket_ro), 0, 0 },
	{ "socket_group",	K_STRING, S(c_socket_group), 0, 0 },
	{ "node",		K_STRING, S(c_node), 0, 0 },
	{ "node_image",		K_PATH,   S(c_node_image), 0, 0 },
	{ "node_runner",	K_PATH,   S(c_node_runner), 0, 0 },
	{ "node_memory",	K_SIZE,   S(c_node_memory), 16 * MIB,
	    1024 * 1024 * MIB },
	{ "node_cpus",		K_NUMBER, S(c_node_cpus), 1, 64 },
	{ "node_kvm",		K_BOOL,   S(c_node_kvm), 0, 0 },
	{ "keep_node",		K_BOOL,   S(c_keep_node), 0, 0 },
	{ "syslog",		K_BOOL,   S(c_syslog), 0, 0 },
	{ "kernel_dir",		K_PATH,   S(c_kernel_dir), 0, 0 },
	{ "hello_timeout",	K_NUMBER, S(c_hello_timeout), 1, 3600 },
	{ "request_timeout",	K_NUMBER, S(c_request_timeout), 1, 3600 },
	{ "max_request",	K_NUMBER, S(c_max_request), 1024,
	    2 * 1024 * 1024 },
	{ "max_clients_per_uid", K_NUMBER, S(c_max_clients_per_uid), 1, 4096 },
	{ "client_timeout",	K_NUMBER, S(c_client_timeout), 1, 3600 },
	{ "stats_interval_ms",	K_NUMBER, S(c_stats_interval_ms), 100,
	    3600 * 1000 },
	{ "stats_samples",	K_NUMBER, S(c_stats_samples), 2, 3600 },
	{ "console_log_size",	K_SIZE,   S(c_console_log_size), 1024,
	    1024 * 1024 * MIB },
	{ "console_log_files",	K_NUMBER, S(c_console_log_files), 0, 99 },
	{ "tcp_listen",		K_STRING, S(c_tcp_listen), 0, 0 },
	{ "metrics_listen",	K_STRING, S(c_metrics_listen), 0, 0 },
	{ "metrics_plain",	K_BOOL,   S(c_metrics_plain), 0, 0 },
	{ "tls_cert",		K_PATH,   S(c_tls_cert), 0, 0 },
	{ "tls_key",		K_SECRET, S(c_tls_key), 0, 0 },
	{ "tls_ca",		K_PATH,   S(c_tls_ca), 0, 0 },
	{ "cert_role",		K_STRING, S(c_cert_role), 0, 0 },
	{ "token",		K_TOKEN,  0, 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};

void
conf_init(struct xmd_conf *c)
{
	const struct conf_key *k;

	memset(c, 0, sizeof(*c));
	for (k = conf_keys; k->k_name != NULL; k++)
		if (IS_LONG(k->k_type))
			*(long *)((char *)c + k->k_off) = -1;
}

void
conf_free(struct xmd_conf *c)
{
	const struct conf_key *k;
	size_t i;

	for (k = conf_keys; k->k_name != NULL; k++)
		if (k->k_type == K_STRING || k->k_type == K_PATH ||
		    k->k_type == K_SECRET)
			free(*(char **)((char *)c + k->k_off));
	for (i = 0; i < c->c_ntokens; i++)
		free(c->c_tokens[i].t_secret);
	conf_init(c);
}

static const struct conf_key *
find_key(const char *name)
{
	const struct conf_key *k;

	for (k = conf_keys; k->k_name != NULL; k++)
		if (strcmp(k->k_name, name) == 0)
			return k;
	return NULL;
}

/* v as k's number or size (bytes; a bare number is MiB, as QEMU's -m). */
static int
parse_number(const struct conf_key *k, const char *v, long *n, char *why,
    size_t len)
{
	uint64_t min = (uint64_t)k->k_min, max = (uint64_t)k->k_max, u;
	enum xm_num_err e;

	if (k->k_type == K_SIZE)
		e = xm_size_parse(v, MIB, min, max, &u);
	else
		e = xm_num_parse(v, min, max, &u);
	if (e == XM_NUM_OK) {
		*n = (long)u;
		return 0;
	}
	if (k->k_type == K_SIZE)
		xm_size_why(e, min, max, why, len);
	else
		xm_num_why(e, min, max, why, len);
	return -1;
}

int
conf_number(const char *key, const char *value, long *n, char *why,
    size_t len)
{
	const struct conf_key *k = find_key(key);

	if (k == NULL || (k->k_type != K_NUMBER && k->k_type != K_SIZE)) {
		snprintf(why, len, "%s is not a number", key);
		return -1;
	}
	return parse_number(k, value, n, why, len);
}

static int
set_number(const struct conf_key *k, long *dst, const char *v,
    char *why, size_t len)
{
	char reason[128];

	if (parse_number(k, v, dst, reason, sizeof(reason)) == 0)
		return 0;
	snprintf(why, len, "%s '%.64s': %s", k->k_name, v, reason);
	return -1;
}

static int
set_bool(const struct conf_key *k, long *dst, const char *v, char *why,
    size_t len)
{
	if (strcmp(v, "yes") == 0 || strcmp(v, "true") == 0)
		*dst = 1;
	else if (strcmp(v, "no") == 0 || strcmp(v, "false") == 0)
		*dst = 0;
	else {
		snprintf(why, len, "%s must be yes or no", k->k_name);
		return -1;
	}
	return 0;
}

static int
set_token(struct xmd_conf *c, const char *v, char *why, size_t len)
{
	const char *sp = strpbrk(v, " \t");
	struct conf_token *t;
	size_t rlen = sp != NULL ? (size_t)(sp - v) : strlen(v);

	if (c->c_ntokens == CONF_TOKENS_MAX) {
		snprintf(why, len, "more than %d tokens", CONF_TOKENS_MAX);
		return -1;
	}
	t = &c->c_tokens[c->c_ntokens];
	if (sp == NULL || (strncmp(v, "admin", rlen) != 0 &&
	    strncmp(v, "read-only", rlen) != 0) || rlen < 5) {
		snprintf(why, len, "token must be \"admin SECRET\" or \"read-only SECRET\"");
		return -1;
	}
	sp += strspn(sp, " \t");
	if (strlen(sp) < 16) {
		snprintf(why, len, "a token's secret must have 16 characters or more");
		return -1;
	}
	t->t_admin = v[0] == 'a';
	if ((t->t_secret = strdup(sp)) == NULL)
		return -1;
	c->c_ntokens++;
	return 0;
}

/* A file of secrets others may read: 1, why naming key and the fix. */
static int
secret_exposed(const char *key, const char *path, char *why, size_t len)
{
	char what[512];

	if (xm_secret_file_check(path, what, sizeof(what)) == 0)
		return 0;
	snprintf(why, len, "%s: %.400s", key, what);
	return 1;
}

static int
set_key(struct xmd_conf *c, const struct conf_key *k, const char *v,
    char *why, size_t len)
{
	void *dst = (char *)c + k->k_off;

	if (k->k_type == K_TOKEN)
		return set_token(c, v, why, len);
	if (IS_LONG(k->k_type) ? *(long *)dst != -1 :
	    *(char **)dst != NULL) {
		snprintf(why, len, "%s is given twice", k->k_name);
		return -1;
	}
	if (k->k_type == K_NUMBER || k->k_type == K_SIZE)
		return set_number(k, dst, v, why, len);
	if (k->k_type == K_BOOL)
		return set_bool(k, dst, v, why, len);
	if ((k->k_type == K_PATH || k->k_type == K_SECRET) &&
	    access(v, R_OK) != 0) {
		snprintf(why, len, "%s: %.256s: %s", k->k_name, v, strerror(errno));
		return -1;
	}
	if (k->k_type == K_SECRET && secret_exposed(k->k_name, v, why, len))
		return -1;
	if ((*(char **)dst = strdup(v)) == NULL) {
		snprintf(why, len, "out of memory");
		return -1;
	}
	return 0;
}

/* Trim line in place; split at '='; 0, 1 (blank) or -1. */
static int
split(char *line, char **key, char **value, char *why, size_t len)
{
	char *eq, *e;

	line[strcspn(line, "#\n")] = '\0';
	while (isspace((unsigned char)*line))
		line++;
	if (*line == '\0')
		return 1;
	if ((eq = strchr(line, '=')) == NULL) {
		snprintf(why, len, "expected \"key = value\"");
		return -1;
	}
	for (e = eq; e > line && isspace((unsigned char)e[-1]); e--)
		;
	*e = '\0';
	*key = line;
	for (eq++; isspace((unsigned char)*eq); eq++)
		;
	for (e = eq + strlen(eq); e > eq && isspace((unsigned char)e[-1]); e--)
		;
	*e = '\0';
	*value = eq;
	if (**value == '\0') {
		snprintf(why, len, "%.64s has no value", *key);
		return -1;
	}
	return 0;
}

static int
parse_line(struct xmd_conf *c, char *line, int lineno, char *why,
    size_t len)
{
	const struct conf_key *k;
	char *key, *value;
	int rc;

	if ((rc = split(line, &key, &value, why, len)) != 0)
		return rc > 0 ? 0 : -1;
	if ((k = find_key(key)) == NULL) {
		snprintf(why, len, "unknown key '%.64s'", key);
		return -1;
	}
	if (strcmp(key, "tcp_listen") == 0)
		c->c_tcp_line = lineno;
	if (strcmp(key, "metrics_listen") == 0)
		c->c_metrics_line = lineno;
	return set_key(c, k, value, why, len);
}

static int
tcp_address_ok(const char *s)
{
	struct sockaddr_storage ss;
	int len = sizeof(ss);

	return evutil_parse_sockaddr_port(s, (struct sockaddr *)&ss,
	    &len) == 0;
}

/*
 * /metrics follows the TCP listener's rules: TLS, and a client
 * certificate or a token, unless metrics_plain says plain HTTP.
 */
static const char *
check_metrics(const struct xmd_conf *c, int *line)
{
	if (c->c_metrics_listen == NULL)
		return NULL;
	*line = c->c_metrics_line;
	if (!tcp_address_ok(c->c_metrics_listen))
		return "metrics_listen must be ADDRESS:PORT";
	if (c->c_metrics_plain == 1)
		return NULL;
	if (c->c_tls_cert == NULL || c->c_tls_key == NULL)
		return "metrics_listen needs tls_cert and tls_key (or metrics_plain = yes for plain HTTP)";
	if (c->c_tls_ca == NULL && c->c_ntokens == 0)
		return "metrics_listen needs tls_ca (client certificates) or a token";
	*line = 0;
	return NULL;
}

/* The checks between keys: "why" (then the line given) or NULL. */
static const char *
check(const struct xmd_conf *c, char *why, size_t len, int *line)
{
	const char *bad;

	*line = 0;
	if (c->c_socket_group != NULL && getgrnam(c->c_socket_group) == NULL) {
		snprintf(why, len, "socket_group: no group '%s'",
		    c->c_socket_group);
		return why;
	}
	if (c->c_cert_role != NULL && strcmp(c->c_cert_role, "admin") != 0 &&
	    strcmp(c->c_cert_role, "read-only") != 0)
		return "cert_role must be admin or read-only";
	if (c->c_ntokens > 0 && c->c_path != NULL &&
	    secret_exposed("token", c->c_path, why, len))
		return why;
	if ((bad = check_metrics(c, line)) != NULL)
		return bad;
	if (c->c_tcp_listen == NULL)
		return NULL;
	*line = c->c_tcp_line;
	if (c->c_tls_cert == NULL || c->c_tls_key == NULL)
		return "tcp_listen needs tls_cert and tls_key";
	if (c->c_tls_ca == NULL && c->c_ntokens == 0)
		return "tcp_listen needs tls_ca (client certificates) or a token";
	if (!tcp_address_ok(c->c_tcp_listen))
		return "tcp_listen must be ADDRESS:PORT";
	return NULL;
}

int
conf_load(struct xmd_conf *c, const char *path, char *err, size_t errlen)
{
	char line[CONF_LINE_MAX], why[512];
	const char *bad;
	int lineno = 0, rc = -1;
	FILE *f;

	c->c_path = path;
	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		if (strchr(line, '\n') == NULL && !feof(f)) {
			snprintf(err, errlen, "%s:%d: the line is too long",
			    path, lineno);
			goto out;
		}
		if (parse_line(c, line, lineno, why, sizeof(why)) != 0) {
			snprintf(err, errlen, "%s:%d: %s", path, lineno, why);
			goto out;
		}
	}
	if ((bad = check(c, why, sizeof(why), &lineno)) != NULL) {
		if (lineno > 0)
			snprintf(err, errlen, "%s:%d: %s", path, lineno, bad);
		else
			snprintf(err, errlen, "%s: %s", path, bad);
		goto out;
	}
	rc = 0;
out:
	fclose(f);
	return rc;
}

/* Whether key k has the same value in a and b (unset alike). */
static int
same_value(const struct conf_key *k, const struct xmd_conf *a,
    const struct xmd_conf *b)
{
	const char *x, *y;
	size_t i;

	if (k->k_type == K_TOKEN) {
		if (a->c_ntokens != b->c_ntokens)
			return 0;
		for (i = 0; i < a->c_ntokens; i++)
			if (a->c_tokens[i].t_admin != b->c_tokens[i].t_admin ||
			    strcmp(a->c_tokens[i].t_secret,
			    b->c_tokens[i].t_secret) != 0)
				return 0;
		return 1;
	}
	if (IS_LONG(k->k_type))
		return *(const long *)((const char *)a + k->k_off) ==
		    *(const long *)((const char *)b + k->k_off);
	x = *(char *const *)((const char *)a + k->k_off);
	y = *(char *const *)((const char *)b + k->k_off);
	return x == y || (x != NULL && y != NULL && strcmp(x, y) == 0);
}

void
conf_each_changed(const struct xmd_conf *a, const struct xmd_conf *b,
    void (*fn)(const char *key, void *), void *arg)
{
	const struct conf_key *k;

	for (k = conf_keys; k->k_name != NULL; k++)
		if (!same_value(k, a, b))
			fn(k->k_name, arg);
}
