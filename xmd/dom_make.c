/* The steps that make a new domain, for builder.c and restore.c. */
#include <sys/uio.h>

#include <stdio.h>
#include <string.h>

#include <xm/ctl.h>
#include <xmctl.h>

#include "cpulist.h"
#include "ctl.h"
#include "dom_make.h"
#include "domain_def.h"
#include "log.h"
#include "registry.h"

static xm_domid_t
domid(const struct dom_make *m)
{
	return (xm_domid_t)m->m_dom->d_id;
}

int
dom_make_send_domid(struct dom_make *m, uint16_t op)
{
	struct xm_ctl_domid d = { domid(m), { 0, 0, 0 } };
	struct iovec iov = { &d, sizeof(d) };

	return steps_send(&m->m_run, op, &iov, 1);
}

int
dom_make_write_pages(struct dom_make *m, const uint64_t *pfns,
    uint8_t *const *pages, unsigned int n)
{
	struct xm_ctl_mem_seg segs[DOM_MAKE_WRITE_BATCH];
	struct iovec iov[2 + DOM_MAKE_WRITE_BATCH];
	struct xm_ctl_mem mem = { domid(m), 0, n };
	unsigned int i;

	memset(segs, 0, sizeof(segs));
	for (i = 0; i < n; i++) {
		segs[i].mfn = m->m_p2m[pfns[i]];
		segs[i].len = DOM_MAKE_PAGE_SIZE;
		iov[2 + i] = (struct iovec){ pages[i], DOM_MAKE_PAGE_SIZE };
	}
	iov[0] = (struct iovec){ &mem, sizeof(mem) };
	iov[1] = (struct iovec){ segs, n * sizeof(segs[0]) };
	return steps_send(&m->m_run, XM_CTL_OP_WRITE_MEM, iov, 2 + (int)n);
}

int
dom_make_create_send(void *arg)
{
	struct dom_make *m = arg;
	struct xm_ctl_create c = { m->m_vcpus, 0, m->m_max_pages };
	struct iovec iov = { &c, sizeof(c) };

	return steps_send(&m->m_run, XM_CTL_OP_CREATE, &iov, 1);
}

int
dom_make_create_reply(void *arg, const uint8_t *data, size_t len)
{
	struct dom_make *m = arg;
	struct xm_ctl_domid d;

	(void)len;
	memcpy(&d, data, sizeof(d));
	m->m_dom->d_id = d.domid;
	m->m_created = 1;
	log_info("%s: created as d%u", m->m_run.s_what, d.domid);
	return 0;
}

int
dom_make_getinfo_send(void *arg)
{
	return dom_make_send_domid(arg, XM_CTL_OP_GETINFO);
}

/* The figures, so that the registry is current, and shared_info. */
int
dom_make_getinfo_reply(void *arg, const uint8_t *data, size_t len)
{
	struct dom_make *m = arg;

	(void)len;
	memcpy(&m->m_dom->d_info, data, sizeof(m->m_dom->d_info));
	m->m_shared_info_mfn = m->m_dom->d_info.shared_info_mfn;
	return 0;
}

int
dom_make_populate_reply(void *arg, const uint8_t *data, size_t len)
{
	struct dom_make *m = arg;

	if (len / sizeof(uint64_t) != m->m_batch)
		return steps_fail(&m->m_run, XMCTL_E_NODE, "%s: POPULATE gave "
		    "%zu frames of %llu", m->m_run.s_what,
		    len / sizeof(uint64_t), (unsigned long long)m->m_batch);
	memcpy(m->m_p2m + m->m_run.s_cursor, data, len);
	m->m_run.s_cursor += m->m_batch;
	return 1;
}

static int
attach_send(struct dom_make *m, uint16_t op, uint64_t pfn)
{
	struct xm_ctl_console_attach a;
	struct iovec iov = { &a, sizeof(a) };

	memset(&a, 0, sizeof(a));
	a.domid = domid(m);
	a.mfn = m->m_p2m[pfn];
	return steps_send(&m->m_run, op, &iov, 1);
}

static uint32_t
port_of(const uint8_t *data)
{
	struct xm_ctl_console_port p;

	memcpy(&p, data, sizeof(p));
	return p.port;
}

/* Before start_info is written: the reply names the console's port. */
int
dom_make_console_send(void *arg)
{
	struct dom_make *m = arg;

	if (!m->m_has_console)
		return 1;		/* domain 0 has none */
	return attach_send(m, XM_CTL_OP_CONSOLE_ATTACH, m->m_console_pfn);
}

int
dom_make_console_reply(void *arg, const uint8_t *data, size_t len)
{
	struct dom_make *m = arg;

	(void)len;
	m->m_console_port = port_of(data);
	return 0;
}

int
dom_make_store_send(void *arg)
{
	struct dom_make *m = arg;

	if (!m->m_has_store || m->m_store_fn == NULL)
		return 1;
	return attach_send(m, XM_CTL_OP_STORE_ATTACH, m->m_store_pfn);
}

/* The domain's xenstore paths are written before it runs. */
int
dom_make_store_reply(void *arg, const uint8_t *data, size_t len)
{
	struct dom_make *m = arg;
	char err[256];

	(void)len;
	m->m_store_port = port_of(data);
	if (m->m_store_fn(m->m_store_arg, m->m_dom, m->m_store_port,
	    m->m_p2m[m->m_store_pfn], err, sizeof(err)) != 0)
		return steps_fail(&m->m_run, XMCTL_E_BUILD, "%s", err);
	return 0;
}

/* The definition's weight and cap; hv's defaults when it has none. */
int
dom_make_sched_send(void *arg)
{
	struct dom_make *m = arg;
	struct xm_ctl_sched s;
	struct iovec iov = { &s, sizeof(s) };

	if (!dd_sched_given(m->m_def))
		return 1;
	memset(&s, 0, sizeof(s));
	s.domid = domid(m);
	s.sched.weight = dd_sched_weight(m->m_def);
	s.sched.cap = dd_sched_cap(m->m_def);
	return steps_send(&m->m_run, XM_CTL_OP_SCHED_SET, &iov, 1);
}

/* Each vCPU's pinning (vcpupin, or vcpu's cpuset), one request each. */
int
dom_make_pin_send(void *arg)
{
	struct dom_make *m = arg;
	const struct xm_domain_def *def = m->m_def;
	struct xm_ctl_vcpu_affinity a;
	struct iovec iov = { &a, sizeof(a) };
	unsigned int v;
	const char *set, *why;
	uint64_t map;

	while (m->m_run.s_cursor < def->dd_vcpus &&
	    dd_vcpu_pin(def, (unsigned int)m->m_run.s_cursor) == NULL)
		m->m_run.s_cursor++;
	if (m->m_run.s_cursor >= def->dd_vcpus)
		return 1;
	v = (unsigned int)m->m_run.s_cursor;
	set = dd_vcpu_pin(def, v);
	if (xm_cpulist_parse(set, &map, &why) != 0)
		return steps_fail(&m->m_run, XMCTL_E_DEFINITION, "%s: vCPU "
		    "%u's cpuset '%s' %s", m->m_run.s_what, v, set, why);
	memset(&a, 0, sizeof(a));
	a.domid = domid(m);
	a.affinity.vcpu = v;
	a.affinity.cpumap = map;
	return steps_send(&m->m_run, XM_CTL_OP_VCPU_AFFINITY, &iov, 1);
}

int
dom_make_pin_reply(void *arg, const uint8_t *data, size_t len)
{
	struct dom_make *m = arg;

	(void)data, (void)len;
	return ++m->m_run.s_cursor < m->m_def->dd_vcpus;
}

int
dom_make_unpause_send(void *arg)
{
	return dom_make_send_domid(arg, XM_CTL_OP_UNPAUSE);
}

int
dom_make_no_reply(void *arg, const uint8_t *data, size_t len)
{
	(void)arg, (void)data, (void)len;
	return 0;
}

static void
destroyed(void *arg, int status, const uint8_t *data, size_t len)
{
	struct dom_make *m = arg;

	(void)data, (void)len;
	if (status != 0)
		log_warnx("%s: cannot destroy d%d after the failure: %s",
		    m->m_run.s_what, m->m_dom->d_id, ctl_strerror(status));
	m->m_finish(m);
}

void
dom_make_end(struct dom_make *m, void (*finish)(void *))
{
	struct xm_ctl_domid d = { domid(m), { 0, 0, 0 } };
	struct iovec iov = { &d, sizeof(d) };

	m->m_finish = finish;
	if (m->m_run.s_code == 0 || !m->m_created ||
	    ctl_request(m->m_run.s_ctl, XM_CTL_OP_DESTROY, &iov, 1, 0,
	    destroyed, m) != 0)
		finish(m);
}
