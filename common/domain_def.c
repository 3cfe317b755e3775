/*
 * The domain definition: defaults, disposal, choosing the form, the
 * checks between fields, and the value rules that every form shares
 * (names, memory sizes).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <unistd.h>

#include "def_table.h"
#include "parse_num.h"

void
xm_domain_def_init(struct xm_domain_def *def)
{
	memset(def, 0, sizeof(*def));
	def->dd_vcpus = 1;
}

void
xm_domain_def_dispose(struct xm_domain_def *def)
{
	dd_type_dispose(&dd_domain_type, def);
	xm_domain_def_init(def);
}

int
dd_parse_auto(struct xm_domain_def *def, const char *text, size_t len,
    char *err, size_t errlen)
{
	size_t i = 0;

	if (len > XM_DEF_TEXT_MAX) {
		snprintf(err, errlen, "the definition is larger than %d bytes",
		    XM_DEF_TEXT_MAX);
		return -1;
	}
	while (i < len && isspace((unsigned char)text[i]))
		i++;
	if (i < len && text[i] == '<')
		return dd_parse_xml(def, text, len, err, errlen);
	if (i < len && text[i] == '{')
		return dd_parse_json(def, text, len, err, errlen);
	snprintf(err, errlen, "not a definition (XML starts with '<', JSON with '{')");
	return -1;
}

int
xm_domain_def_parse(struct xm_domain_def *def, const char *text, size_t len,
    char *err, size_t errlen)
{
	return dd_parse_auto(def, text, len, err, errlen);
}

int
xm_domain_def_parse_xml(struct xm_domain_def *def, const char *text,
    size_t len, char *err, size_t errlen)
{
	return dd_parse_xml(def, text, len, err, errlen);
}

/* A disk's source matches its type; an interface's too. */
static int
dd_validate_devices(const struct xm_domain_def *def, char *err,
    size_t errlen)
{
	const struct xm_def_interface *in;
	const struct xm_def_disk *dk;
	size_t i;

	for (i = 0; i < def->dd_disks.n; i++) {
		dk = &def->dd_disks.items[i];
		if (strcmp(dk->dk_type, "file") == 0 ?
		    dk->dk_source_dev != NULL : dk->dk_source_file != NULL) {
			snprintf(err, errlen, "disk %s: a %s disk's source is %s",
			    dk->dk_target_dev, dk->dk_type,
			    strcmp(dk->dk_type, "file") == 0 ? "file=" : "dev=");
			return -1;
		}
	}
	for (i = 0; i < def->dd_interfaces.n; i++) {
		in = &def->dd_interfaces.items[i];
		if (strcmp(in->if_type, "bridge") == 0 ?
		    in->if_source_network != NULL : in->if_source_bridge != NULL) {
			snprintf(err, errlen, "interface %zu: a %s interface's source is %s=",
			    i, in->if_type, in->if_type);
			return -1;
		}
	}
	return 0;
}

int
dd_validate(const struct xm_domain_def *def, char *err, size_t errlen)
{
	size_t i;

	if (def->dd_current_memory.sz_kib > def->dd_memory.sz_kib) {
		snprintf(err, errlen, "currentMemory is more than memory");
		return -1;
	}
	if (def->dd_vcpu_current > def->dd_vcpus) {
		snprintf(err, errlen, "vcpu: current %u is more than %u vCPUs",
		    def->dd_vcpu_current, def->dd_vcpus);
		return -1;
	}
	for (i = 0; i < def->dd_vcpupin.n; i++)
		if (def->dd_vcpupin.items[i].vp_vcpu >= def->dd_vcpus) {
			snprintf(err, errlen, "vcpupin: vCPU %u does not exist (%u vCPUs)",
			    def->dd_vcpupin.items[i].vp_vcpu, def->dd_vcpus);
			return -1;
		}
	if (def->dd_cap != 0 && def->dd_quota != 0) {
		snprintf(err, errlen, "cputune: cap and quota both limit the CPU time: give one");
		return -1;
	}
	if (def->dd_cap > 100 * def->dd_vcpus) {
		snprintf(err, errlen, "cputune: cap %u is more than %u vCPUs can use (%u)",
		    def->dd_cap, def->dd_vcpus, 100 * def->dd_vcpus);
		return -1;
	}
	if (def->dd_soft_limit.sz_kib != 0 && def->dd_hard_limit.sz_kib != 0 &&
	    def->dd_soft_limit.sz_kib > def->dd_hard_limit.sz_kib) {
		snprintf(err, errlen, "memtune: soft_limit is more than hard_limit");
		return -1;
	}
	return dd_validate_devices(def, err, errlen);
}

int
dd_finish(struct xm_domain_def *def, char *err, size_t errlen)
{
	if (def->dd_cmdline == NULL && (def->dd_cmdline = strdup("")) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (!def->dd_uuid_given && xm_uuid_generate(def->dd_uuid) != 0) {
		snprintf(err, errlen, "cannot generate a UUID");
		return -1;
	}
	def->dd_memory_kib = def->dd_memory.sz_kib;
	return dd_validate(def, err, errlen);
}

uint64_t
dd_current_kib(const struct xm_domain_def *def)
{
	uint64_t cur = def->dd_current_memory.sz_kib;

	return cur != 0 && cur < def->dd_memory_kib ? cur : def->dd_memory_kib;
}

unsigned int
dd_sched_weight(const struct xm_domain_def *def)
{
	return def->dd_shares != 0 ? def->dd_shares : 256;
}

unsigned int
dd_sched_cap(const struct xm_domain_def *def)
{
	uint64_t period = def->dd_period != 0 ? def->dd_period : 100000;
	uint64_t cap;

	if (def->dd_cap != 0)
		return def->dd_cap;
	if (def->dd_quota == 0)
		return 0;
	cap = (def->dd_quota * 100 + period - 1) / period;
	return cap > UINT32_MAX ? UINT32_MAX : (unsigned int)cap;
}

int
dd_sched_given(const struct xm_domain_def *def)
{
	return def->dd_shares != 0 || def->dd_cap != 0 || def->dd_quota != 0;
}

const char *
dd_vcpu_pin(const struct xm_domain_def *def, unsigned int vcpu)
{
	size_t i;

	for (i = 0; i < def->dd_vcpupin.n; i++)
		if (def->dd_vcpupin.items[i].vp_vcpu == vcpu)
			return def->dd_vcpupin.items[i].vp_cpuset;
	return def->dd_vcpu_cpuset;
}

int
dd_set_vcpupin(struct xm_domain_def *def, unsigned int vcpu,
    const char *cpuset)
{
	struct xm_def_vcpupin *items;
	char *copy;
	size_t i;

	if ((copy = strdup(cpuset)) == NULL)
		return -1;
	for (i = 0; i < def->dd_vcpupin.n; i++)
		if (def->dd_vcpupin.items[i].vp_vcpu == vcpu) {
			free(def->dd_vcpupin.items[i].vp_cpuset);
			def->dd_vcpupin.items[i].vp_cpuset = copy;
			return 0;
		}
	if (def->dd_vcpupin.n >= XM_DEF_LIST_MAX) {
		free(copy);
		return -1;
	}
	items = realloc(def->dd_vcpupin.items, (def->dd_vcpupin.n + 1) *
	    sizeof(*items));
	if (items == NULL) {
		free(copy);
		return -1;
	}
	items[def->dd_vcpupin.n].vp_vcpu = vcpu;
	items[def->dd_vcpupin.n].vp_cpuset = copy;
	def->dd_vcpupin.items = items;
	def->dd_vcpupin.n++;
	return 0;
}

void
dd_set_cap(struct xm_domain_def *def, unsigned int cap)
{
	def->dd_cap = cap;
	def->dd_quota = 0;
	def->dd_period = 0;
}

int
dd_check_startable(const struct xm_domain_def *def, char *err,
    size_t errlen)
{
	if (def->dd_disks.n != 0) {
		snprintf(err, errlen, "disk %s: disks are not supported yet",
		    def->dd_disks.items[0].dk_target_dev);
		return -1;
	}
	if (def->dd_interfaces.n != 0) {
		snprintf(err, errlen, "interface %s: network interfaces are not supported yet",
		    def->dd_interfaces.items[0].if_mac != NULL ?
		    def->dd_interfaces.items[0].if_mac : "0");
		return -1;
	}
	return 0;
}

/*
 * $XM_SCHEMA_DIR alone when it is set (a directory named on purpose is
 * not silently replaced by another); else the installed directory, else
 * the source tree's (for tests and for running from the build tree).
 */
int
dd_schema_path(char *buf, size_t len)
{
	const char *dirs[2] = { getenv("XM_SCHEMA_DIR"), NULL };
	size_t i, used = 0;
	int n, named = 0;

	if (dirs[0] == NULL || *dirs[0] == '\0') {
#ifdef XM_SCHEMADIR
		dirs[0] = XM_SCHEMADIR;
#endif
#ifdef XM_SCHEMA_SRCDIR
		dirs[1] = XM_SCHEMA_SRCDIR;
#endif
	}
	for (i = 0; i < nitems(dirs); i++) {
		if (dirs[i] == NULL || *dirs[i] == '\0')
			continue;
		n = snprintf(buf, len, "%s/domain.rng", dirs[i]);
		if (n > 0 && (size_t)n < len && access(buf, R_OK) == 0)
			return 0;
		named = 1;
	}
	if (!named)
		return 1;
	/* Not found: every path tried, for the error. */
	for (i = 0; i < nitems(dirs) && used < len; i++) {
		if (dirs[i] == NULL || *dirs[i] == '\0')
			continue;
		n = snprintf(buf + used, len - used, "%s%s/domain.rng",
		    used > 0 ? " or " : "", dirs[i]);
		if (n < 0)
			break;
		used += (size_t)n;
	}
	return -1;
}

static int
name_char_ok(char c)
{
	return isalnum((unsigned char)c) || strchr("_-.+", c) != NULL;
}

int
xm_domain_name_valid(const char *name, const char **why)
{
	uint8_t uuid[XM_UUID_LEN];
	size_t i, len = strlen(name), digits = 0;

	*why = NULL;
	if (len == 0)
		*why = "a name must not be empty";
	else if (len > XM_DEF_NAME_MAX)
		*why = "a name has at most 63 characters";
	else if (name[0] == '-' || name[0] == '.')
		*why = "a name must not start with '-' or '.'";
	for (i = 0; *why == NULL && i < len; i++) {
		if (!name_char_ok(name[i]))
			*why = "only letters, digits, '_', '-', '.' and '+' are allowed in a name";
		digits += isdigit((unsigned char)name[i]) != 0;
	}
	if (*why == NULL && digits == len)
		*why = "a name must not be a number (numbers are domain ids)";
	if (*why == NULL && xm_uuid_parse(name, uuid) == 0)
		*why = "a name must not be a UUID";
	return *why == NULL;
}

int
xm_memory_parse(const char *value, const char *unit, uint64_t *kib,
    const char **why)
{
	uint64_t n = 0, scale;
	enum xm_num_err e = xm_num_parse(value, 0, UINT64_MAX, &n);

	*why = NULL;
	if (e == XM_NUM_EMPTY || e == XM_NUM_INVALID)
		*why = "is not a whole number";
	else if (e != XM_NUM_OK)
		*why = "is more than 1 TiB";
	/* libvirt's rule: bytes; k, m, g... or with "iB": 1024; "B": 1000. */
	if (*why == NULL && (scale = xm_unit_bytes(unit)) == 0)
		*why = "has an unknown unit";
	if (*why != NULL)
		return -1;
	if (n > (XM_DEF_MEMORY_MAX_KIB * 1024) / scale)
		*why = "is more than 1 TiB";
	else if (n == 0)
		*why = "is too small";
	else
		*kib = (n * scale + 1023) / 1024;
	return *why == NULL ? 0 : -1;
}

/* line, once, at the end of buf (len bytes, holding a string). */
static void
warn_once(char *buf, size_t len, const char *line)
{
	size_t used = strlen(buf);

	if (strstr(buf, line) == NULL && used < len)
		snprintf(buf + used, len - used, "%s\n", line);
}

/* The warnings of the fields of t at base, appended to buf. */
static int
warn_type(const struct dd_type *t, const void *base, char *buf, size_t len)
{
	const struct dd_anylist *l;
	const struct dd_field *f;
	char line[160];
	size_t i, j;
	int n = 0;

	for (i = 0; i < t->t_nfields; i++) {
		f = &t->t_fields[i];
		if (!dd_field_isset(f, base))
			continue;
		if (f->f_noeffect) {
			if (f->f_where == DW_ATTR)
				snprintf(line, sizeof(line), "attribute '%s' of <%s> is kept but has no effect on xm",
				    f->f_name, t->t_name);
			else if (t->t_size != 0)	/* in a device */
				snprintf(line, sizeof(line), "<%s> in <%s> is kept but has no effect on xm",
				    f->f_name, t->t_name);
			else
				snprintf(line, sizeof(line), "<%s> is kept but has no effect on xm",
				    f->f_name);
			warn_once(buf, len, line);
			n++;
		} else if (f->f_kind == DK_OBJ)
			n += warn_type(f->f_type, (const char *)base + f->f_off,
			    buf, len);
		else if (f->f_kind == DK_LIST) {
			l = (const void *)((const char *)base + f->f_off);
			for (j = 0; j < l->n; j++)
				n += warn_type(f->f_type, (const char *)l->items +
				    j * f->f_type->t_size, buf, len);
		}
	}
	return n;
}

int
dd_warnings(const struct xm_domain_def *def, char *buf, size_t len)
{
	if (len > 0)
		buf[0] = '\0';
	return warn_type(&dd_domain_type, def, buf, len);
}
