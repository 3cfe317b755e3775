/*
 * /metrics over libevent's evhttp (metrics.h): the server, and the
 * exposition text from the registry and the sample rings.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include <xm/domctl.h>
#include <xm/vcpu.h>

#include "conf.h"
#include "metrics.h"
#include "registry.h"
#include "rpc_tls.h"
#include "stats.h"
#include "stats_ring.h"
#include "uuid.h"
#include "xmd.h"

struct metrics {
	struct xmd		*m_x;
	struct evhttp		*m_http;
	struct rpc_tls_ctx	*m_tls;		/* NULL: plain HTTP */
	const struct conf_token	*m_tokens;	/* plain HTTP's */
	size_t			 m_ntokens;
};

static const char *const runstate_names[4] = {
	[XM_RUNSTATE_RUNNING] = "running",
	[XM_RUNSTATE_RUNNABLE] = "runnable",
	[XM_RUNSTATE_BLOCKED] = "blocked",
	[XM_RUNSTATE_OFFLINE] = "offline",
};

static void
family(struct evbuffer *b, const char *name, const char *type,
    const char *help)
{
	evbuffer_add_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help,
	    name, type);
}

/* {domain="name",uuid="..."}: names are XML names, uuids hex. */
static void
labels(const struct dom *d, char *buf, size_t len)
{
	char uuid[XM_UUID_STRLEN];

	xm_uuid_format(d->d_uuid, uuid);
	snprintf(buf, len, "domain=\"%s\",uuid=\"%s\"", d->d_name, uuid);
}

static const struct stats_sample *
latest(struct xmd *x, const struct dom *d)
{
	const struct stats_ring *r = stats_ring_of(x->x_stats, d->d_id);

	return d->d_id >= 0 && r != NULL ? stats_ring_at(r, 0) : NULL;
}

/* One metric of a domain, per domain that has a sample. */
static void
per_domain(struct xmd *x, struct evbuffer *b, const char *name,
    double (*value)(const struct dom *, const struct xm_dom_stats *))
{
	const struct stats_sample *s;
	struct dom *d;
	char l[256];

	TAILQ_FOREACH(d, &x->x_reg.r_doms, d_entry) {
		if ((s = latest(x, d)) == NULL)
			continue;
		labels(d, l, sizeof(l));
		evbuffer_add_printf(b, "%s{%s} %.9g\n", name, l,
		    value(d, &s->ss_dom));
	}
}

#define VALUE(fn, expr)							\
static double								\
fn(const struct dom *d, const struct xm_dom_stats *s)			\
{									\
	(void)d;							\
	(void)s;							\
	return (expr);							\
}
VALUE(v_cpu, (double)s->cpu_time_ns / 1e9)
VALUE(v_mem, (double)domains_guest_pages(s->tot_pages) * 4096)
VALUE(v_maxmem, (double)d->d_memory_kib * 1024)
VALUE(v_vcpus, (double)s->nr_online_vcpus)
VALUE(v_hypercalls, (double)s->hypercalls_total)
VALUE(v_ev_sent, (double)s->events_sent)
VALUE(v_ev_recv, (double)s->events_received)
VALUE(v_mmu, (double)(s->mmu_updates + s->va_updates + s->mmuext_ops))
VALUE(v_traps, (double)s->traps_bounced)

static const struct {
	const char	*name, *type, *help;
	double		(*value)(const struct dom *,
			    const struct xm_dom_stats *);
} domain_metrics[] = {
	{ "xm_domain_cpu_seconds_total", "counter",
	    "CPU time of all the domain's vCPUs.", v_cpu },
	{ "xm_domain_memory_bytes", "gauge",
	    "Memory the domain has.", v_mem },
	{ "xm_domain_memory_max_bytes", "gauge",
	    "Memory the domain may have.", v_maxmem },
	{ "xm_domain_vcpus", "gauge", "vCPUs up.", v_vcpus },
	{ "xm_domain_hypercalls_total", "counter",
	    "Hypercalls the domain made.", v_hypercalls },
	{ "xm_domain_events_sent_total", "counter",
	    "Events the domain sent.", v_ev_sent },
	{ "xm_domain_events_received_total", "counter",
	    "Events set pending in the domain.", v_ev_recv },
	{ "xm_domain_page_table_updates_total", "counter",
	    "Page-table updates (mmu_update entries, update_va_mapping, "
	    "mmuext ops).", v_mmu },
	{ "xm_domain_traps_bounced_total", "counter",
	    "Exceptions bounced to the domain's handlers.", v_traps },
};

static void
vcpu_metrics(struct xmd *x, struct evbuffer *b)
{
	const struct stats_sample *s;
	struct dom *d;
	unsigned int i, r;
	char l[256];

	family(b, "xm_domain_vcpu_seconds_total", "counter",
	    "Time each vCPU spent in each run state.");
	TAILQ_FOREACH(d, &x->x_reg.r_doms, d_entry) {
		if ((s = latest(x, d)) == NULL)
			continue;
		labels(d, l, sizeof(l));
		for (i = 0; i < s->ss_dom.nr_vcpus && i < XM_STATS_MAX_VCPUS;
		    i++)
			for (r = 0; r < 4; r++)
				evbuffer_add_printf(b, "xm_domain_vcpu_seconds_"
				    "total{%s,vcpu=\"%u\",state=\"%s\"} %.9g\n",
				    l, i, runstate_names[r],
				    (double)s->ss_dom.vcpu[i].time[r] / 1e9);
	}
}

static void
node_metrics(struct xmd *x, struct evbuffer *b)
{
	struct xmctl_node_stats n;
	unsigned int i;

	if (stats_node(x->x_stats, &n) != 0)
		return;
	family(b, "xm_node_cpu_seconds_total", "counter",
	    "Time each physical CPU was busy or idle.");
	for (i = 0; i < n.nr_cpus && i < XMCTL_STATS_MAX_CPUS; i++)
		evbuffer_add_printf(b, "xm_node_cpu_seconds_total{cpu=\"%u\","
		    "mode=\"busy\"} %.9g\nxm_node_cpu_seconds_total{cpu=\"%u\","
		    "mode=\"idle\"} %.9g\n", i, (double)n.cpu[i].busy_ns / 1e9,
		    i, (double)n.cpu[i].idle_ns / 1e9);
	family(b, "xm_node_domains", "gauge", "Domains on the node.");
	evbuffer_add_printf(b, "xm_node_domains %u\n", n.nr_domains);
}

void
metrics_write(struct xmd *x, struct evbuffer *b)
{
	size_t i;

	for (i = 0; i < sizeof(domain_metrics) / sizeof(domain_metrics[0]);
	    i++) {
		family(b, domain_metrics[i].name, domain_metrics[i].type,
		    domain_metrics[i].help);
		per_domain(x, b, domain_metrics[i].name,
		    domain_metrics[i].value);
	}
	vcpu_metrics(x, b);
	node_metrics(x, b);
}

/* a and b equal, in a time that says nothing of where they differ. */
static int
same(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	return la == lb && CRYPTO_memcmp(a, b, la) == 0;
}

/* The Bearer token of a plain HTTP request: 1 when it is one of ours. */
static int
plain_token_ok(const struct metrics *m, const char *token)
{
	size_t i;
	int ok = 0;

	for (i = 0; i < m->m_ntokens; i++)
		ok |= same(token, m->m_tokens[i].t_secret);
	return ok;
}

/*
 * Whether the request may read, as a JSON-RPC client over TCP may:
 * with TLS, a client certificate that verified or a Bearer token of
 * ours; plain HTTP, a token when there are tokens.  Either role reads.
 */
static int
allowed(const struct metrics *m, struct evhttp_request *req)
{
	const char *h = evhttp_find_header(evhttp_request_get_input_headers(
	    req), "Authorization");
	struct evhttp_connection *conn = evhttp_request_get_connection(req);
	enum rpc_role role;

	if (m->m_tls != NULL && conn != NULL && rpc_tls_cert_role(m->m_tls,
	    evhttp_connection_get_bufferevent(conn), &role) == 0)
		return 1;
	if (m->m_tls == NULL && m->m_ntokens == 0)
		return 1;
	if (h == NULL || strncmp(h, "Bearer ", 7) != 0)
		return 0;
	if (m->m_tls != NULL)
		return rpc_tls_token_role(m->m_tls, h + 7, &role) == 0;
	return plain_token_ok(m, h + 7);
}

/* 401, with the scheme a client is to answer with (RFC 6750). */
static void
unauthorized(struct evhttp_request *req, struct evbuffer *b)
{
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "WWW-Authenticate", "Bearer realm=\"xmd\"");
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", "text/plain; charset=utf-8");
	evbuffer_add_printf(b, "a token is needed: Authorization: Bearer "
	    "TOKEN\n");
	evhttp_send_reply(req, 401, "Unauthorized", b);
}

static void
serve(struct evhttp_request *req, void *arg)
{
	struct metrics *m = arg;
	struct evbuffer *b;

	if (evhttp_request_get_command(req) != EVHTTP_REQ_GET) {
		evhttp_send_error(req, 405, "only GET");
		return;
	}
	if ((b = evbuffer_new()) == NULL) {
		evhttp_send_error(req, 500, "out of memory");
		return;
	}
	if (!allowed(m, req))
		unauthorized(req, b);
	else {
		metrics_write(m->m_x, b);
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Content-Type", "text/plain; version=0.0.4; charset=utf-8");
		evhttp_send_reply(req, 200, "OK", b);
	}
	evbuffer_free(b);
}

/* A connection's bufferevent: TLS, the socket given later by evhttp. */
static struct bufferevent *
tls_bev(struct event_base *base, void *arg)
{
	struct metrics *m = arg;

	return rpc_tls_bev(m->m_tls, base, -1);
}

/* "host:port" or "[v6]:port" into host (brackets off) and port. */
static int
split_addr(const char *addr, char *host, size_t len, unsigned int *port)
{
	const char *c = strrchr(addr, ':');
	size_t n;
	char *end;
	long p;

	if (c == NULL || (p = strtol(c + 1, &end, 10)) <= 0 || p > 65535 ||
	    *end != '\0')
		return -1;
	n = (size_t)(c - addr);
	if (n >= 2 && addr[0] == '[' && addr[n - 1] == ']')
		addr++, n -= 2;
	if (n == 0 || n >= len)
		return -1;
	memcpy(host, addr, n);
	host[n] = '\0';
	*port = (unsigned int)p;
	return 0;
}

struct metrics *
metrics_start(struct xmd *x, const char *addr, const struct rpc_tls *tls,
    const struct conf_token *tok, size_t ntok, char *err, size_t errlen)
{
	struct metrics *m;
	unsigned int port;
	char host[256];

	if (split_addr(addr, host, sizeof(host), &port) != 0) {
		snprintf(err, errlen, "'%s' is not ADDRESS:PORT", addr);
		return NULL;
	}
	if ((m = calloc(1, sizeof(*m))) == NULL ||
	    (m->m_http = evhttp_new(x->x_base)) == NULL) {
		free(m);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	m->m_x = x;
	m->m_tokens = tok;
	m->m_ntokens = ntok;
	if (tls != NULL) {
		if ((m->m_tls = rpc_tls_new(tls, err, errlen)) == NULL) {
			metrics_free(m);
			return NULL;
		}
		evhttp_set_bevcb(m->m_http, tls_bev, m);
	}
	evhttp_set_allowed_methods(m->m_http, EVHTTP_REQ_GET);
	evhttp_set_cb(m->m_http, "/metrics", serve, m);
	if (evhttp_bind_socket(m->m_http, host, (ev_uint16_t)port) != 0) {
		snprintf(err, errlen, "cannot listen on %s", addr);
		metrics_free(m);
		return NULL;
	}
	return m;
}

void
metrics_free(struct metrics *m)
{
	if (m == NULL)
		return;
	evhttp_free(m->m_http);
	rpc_tls_free(m->m_tls);
	free(m);
}
