/*
 * The paths Xen's toolstack writes for a domain (see xsd.h), with its
 * permissions: the domain may read its own tree but not change it,
 * except where it answers the toolstack (control/shutdown, the
 * control/feature-* flags, data, drivers, feature, attr, error).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "registry.h"
#include "uuid.h"
#include "xenstore.h"
#include "xmd.h"
#include "xsd.h"

#define PATH_LEN	256
#define PATH_BIG	(2 * PATH_LEN + 32)	/* PATH_LEN ones joined */

/* Owned by domain 0, readable by the domain. */
#define RO	0
/* Owned by the domain (it may write), no one else. */
#define RW	1

static const struct {
	const char	*rel;
	int		 perm;
} dom_dirs[] = {
	{ "device",			RO },
	{ "control",			RO },
	{ "control/shutdown",		RW },
	{ "control/feature-poweroff",	RW },
	{ "control/feature-reboot",	RW },
	{ "control/feature-suspend",	RW },
	{ "control/sysrq",		RW },
	{ "data",			RW },
	{ "drivers",			RW },
	{ "feature",			RW },
	{ "attr",			RW },
	{ "error",			RW },
	{ "memory",			RO },
	{ "cpu",			RO },
	{ "console",			RO },
	{ "store",			RO },
};

static int
set_perm(struct xs_store *st, const char *path, int domid, int perm)
{
	struct xs_perm ro[2] = { { 0, 'n' }, { (uint32_t)domid, 'r' } };
	struct xs_perm rw[1] = { { (uint32_t)domid, 'n' } };

	return perm == RW ? xs_set_perms(st, path, rw, 1) :
	    xs_set_perms(st, path, ro, 2);
}

/* path = fmt..., written with val (NULL: made as a directory). */
static int
put(struct xs_store *st, const char *path, const char *val)
{
	if (val == NULL)
		return xs_mkdir(st, path);
	return xs_write(st, path, val, strlen(val));
}

static int
put_dom(struct xs_store *st, int domid, const char *rel, const char *val)
{
	char path[PATH_BIG];

	snprintf(path, sizeof(path), "/local/domain/%d/%s", domid, rel);
	return put(st, path, val);
}

static int
write_tree(struct xs_store *st, const struct dom *d, uint32_t port,
    uint64_t mfn, const char *vm)
{
	char base[PATH_LEN], path[PATH_BIG], v[64], uuid[XM_UUID_STRLEN];
	unsigned int i;
	int rc;

	xm_uuid_format(d->d_uuid, uuid);
	snprintf(base, sizeof(base), "/local/domain/%d", d->d_id);
	(void)xs_rm(st, base);
	if ((rc = put(st, base, NULL)) != 0 ||
	    (rc = set_perm(st, base, d->d_id, RO)) != 0 ||
	    (rc = put(st, vm, NULL)) != 0 ||
	    (rc = set_perm(st, vm, d->d_id, RO)) != 0)
		return rc;
	snprintf(path, sizeof(path), "%s/uuid", vm);
	if ((rc = put(st, path, uuid)) != 0)
		return rc;
	snprintf(path, sizeof(path), "%s/name", vm);
	if ((rc = put(st, path, d->d_name)) != 0)
		return rc;
	for (i = 0; i < sizeof(dom_dirs) / sizeof(dom_dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", base, dom_dirs[i].rel);
		if ((rc = put(st, path, "")) != 0 ||
		    (rc = set_perm(st, path, d->d_id, dom_dirs[i].perm)) != 0)
			return rc;
	}
	snprintf(v, sizeof(v), "%d", d->d_id);
	if ((rc = put_dom(st, d->d_id, "name", d->d_name)) != 0 ||
	    (rc = put_dom(st, d->d_id, "domid", v)) != 0 ||
	    (rc = put_dom(st, d->d_id, "vm", vm)) != 0)
		return rc;
	snprintf(v, sizeof(v), "%" PRIu64, d->d_memory_kib);
	if ((rc = put_dom(st, d->d_id, "memory/static-max", v)) != 0)
		return rc;
	snprintf(v, sizeof(v), "%" PRIu64, d->d_target_kib != 0 ?
	    d->d_target_kib : d->d_memory_kib);
	if ((rc = put_dom(st, d->d_id, "memory/target", v)) != 0)
		return rc;
	snprintf(v, sizeof(v), "%u", port);
	if (port != 0 && (rc = put_dom(st, d->d_id, "store/port", v)) != 0)
		return rc;
	snprintf(v, sizeof(v), "%" PRIu64, mfn);
	if (mfn != 0 && (rc = put_dom(st, d->d_id, "store/ring-ref", v)) != 0)
		return rc;
	for (i = 0; i < d->d_vcpus; i++) {
		snprintf(v, sizeof(v), "cpu/%u/availability", i);
		if ((rc = put_dom(st, d->d_id, v, "online")) != 0)
			return rc;
	}
	return 0;
}

static void
vm_path(const uint8_t *uuid, char *out, size_t len)
{
	char s[XM_UUID_STRLEN];

	xm_uuid_format(uuid, s);
	snprintf(out, len, "/vm/%s", s);
}

int
xsd_introduce(struct xmd *x, const struct dom *d, uint32_t port,
    uint64_t mfn, char *err, size_t errlen)
{
	struct xs_store *st = xsd_store(x);
	char vm[PATH_LEN];
	int rc;

	if (st == NULL) {
		snprintf(err, errlen, "domain '%s': xenstore is not running",
		    d->d_name);
		return -1;
	}
	/* A domain of that id, saved but gone while xmd was away. */
	if (xs_is_introduced(st, (uint32_t)d->d_id))
		(void)xs_release(st, (uint32_t)d->d_id);
	vm_path(d->d_uuid, vm, sizeof(vm));
	if ((rc = write_tree(st, d, port, mfn, vm)) != 0 ||
	    (rc = xsd_connect(x, d->d_id)) != 0 ||
	    (rc = xs_introduce(st, (uint32_t)d->d_id)) != 0) {
		snprintf(err, errlen, "domain '%s': cannot write its "
		    "xenstore paths: %s", d->d_name, strerror(rc));
		xsd_release(x, d->d_id, d->d_uuid);
		return -1;
	}
	return 0;
}

/*
 * The loaded store introduced it already: its tree is as the domain
 * and the toolstack left it (writing it again would wipe what the
 * domain wrote, control/feature-poweroff ...), and its new connection
 * takes its saved watches.
 */
int
xsd_adopt(struct xmd *x, const struct dom *d, char *err, size_t errlen)
{
	struct xs_store *st = xsd_store(x);
	int rc;

	if (st == NULL || !xs_is_introduced(st, (uint32_t)d->d_id))
		return xsd_introduce(x, d, 0, 0, err, errlen);
	if ((rc = xsd_connect(x, d->d_id)) != 0) {
		snprintf(err, errlen, "domain '%s': cannot connect it to "
		    "xenstore again: %s", d->d_name, strerror(rc));
		return -1;
	}
	return 0;
}

/* Release domid and remove its paths: its own tree and vm's. */
static void
release_paths(struct xmd *x, struct xs_store *st, int domid, const char *vm)
{
	char path[PATH_LEN];

	xsd_disconnect(x, domid);
	(void)xs_release(st, (uint32_t)domid);
	snprintf(path, sizeof(path), "/local/domain/%d", domid);
	(void)xs_rm(st, path);
	if (vm != NULL && strncmp(vm, "/vm/", 4) == 0)
		(void)xs_rm(st, vm);
}

void
xsd_release(struct xmd *x, int domid, const uint8_t *uuid)
{
	struct xs_store *st = xsd_store(x);
	char vm[PATH_LEN];

	if (st == NULL || domid <= 0)
		return;
	vm_path(uuid, vm, sizeof(vm));
	release_paths(x, st, domid, vm);
}

void
xsd_forget_vanished(struct xmd *x)
{
	struct xs_store *st = xsd_store(x);
	uint32_t *ids;
	size_t i, n;
	char *vm;

	if (st == NULL || !xsd_take_loaded(x) ||
	    xs_introduced(st, &ids, &n) != 0)
		return;
	for (i = 0; i < n; i++) {
		if (ids[i] == 0 || registry_by_id(&x->x_reg, (int)ids[i]))
			continue;
		vm = xsd_read_dom(x, (int)ids[i], "vm");
		log_info("xenstore: d%" PRIu32 " is no longer on the node: "
		    "its saved paths removed", ids[i]);
		release_paths(x, st, (int)ids[i], vm);
		free(vm);
	}
	free(ids);
}

int
xsd_write_dom(struct xmd *x, int domid, const char *rel, const char *val)
{
	struct xs_store *st = xsd_store(x);

	if (st == NULL)
		return ENOENT;
	return put_dom(st, domid, rel, val);
}

char *
xsd_read_dom(struct xmd *x, int domid, const char *rel)
{
	struct xs_store *st = xsd_store(x);
	char path[PATH_BIG], *val;
	size_t len;
	int rc;

	if (st == NULL) {
		errno = ENOENT;
		return NULL;
	}
	snprintf(path, sizeof(path), "/local/domain/%d/%s", domid, rel);
	if ((rc = xs_read(st, path, &val, &len)) != 0) {
		errno = rc;
		return NULL;
	}
	return val;
}
