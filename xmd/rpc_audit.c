/* The audit log of admin calls (see rpc_audit.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "rpc_audit.h"

struct rpc_audit {
	FILE	*a_file;
};

struct rpc_audit *
rpc_audit_open(const char *path)
{
	struct rpc_audit *a = calloc(1, sizeof(*a));

	if (a == NULL)
		return NULL;
	if ((a->a_file = fopen(path, "ae")) == NULL) {
		free(a);
		return NULL;
	}
	return a;
}

void
rpc_audit_close(struct rpc_audit *a)
{
	if (a == NULL)
		return;
	fclose(a->a_file);
	free(a);
}

/* s quoted, with '"' and '\' escaped and control bytes dropped. */
static void
put_quoted(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s < 0x20)
			continue;
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

const char *
rpc_cred_str(const struct rpc_cred *c, char *buf, size_t len)
{
	if (c->addr[0] != '\0')
		snprintf(buf, len, "%s:%d", c->addr, c->port);
	else
		snprintf(buf, len, "uid %d pid %d", (int)c->uid, (int)c->pid);
	return buf;
}

static void
put_who(FILE *f, const struct rpc_cred *c)
{
	if (c->addr[0] != '\0')
		fprintf(f, "peer=%s:%d", c->addr, c->port);
	else
		fprintf(f, "uid=%d pid=%d", (int)c->uid, (int)c->pid);
}

void
rpc_audit_log(struct rpc_audit *a, const struct rpc_cred *c,
    const char *method, const char *domain, int code, const char *msg)
{
	char when[32];
	time_t now = time(NULL);
	struct tm tm;

	if (a == NULL)
		return;
	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	fprintf(a->a_file, "%s ", when);
	put_who(a->a_file, c);
	fprintf(a->a_file, " role=%s method=%s domain=", rpc_role_name(c->role),
	    method);
	put_quoted(a->a_file, domain != NULL ? domain : "");
	if (code == 0)
		fprintf(a->a_file, " result=ok\n");
	else {
		fprintf(a->a_file, " result=error code=%d message=", code);
		put_quoted(a->a_file, msg);
		fputc('\n', a->a_file);
	}
	if (fflush(a->a_file) != 0)
		log_warn("audit log");
}
