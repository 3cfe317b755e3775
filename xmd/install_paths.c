/*
 * Where xmd's companions are by default (install_paths.h).
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "install_paths.h"

static void
join(char *buf, size_t len, const char *root, const char *dir,
    const char *file)
{
	if ((size_t)snprintf(buf, len, "%s%s/%s", root, dir, file) >= len)
		buf[0] = '\0';		/* too long: must_exist says so */
}

/* The root the installed tree was moved under: "" if none, NULL if the
 * executable is not where an installed xmd is. */
static int
staged_root(const char *exe, char *root, size_t len)
{
	size_t n = strlen(exe), s = strlen(XMD_SBINDIR "/xmd");

	if (n < s || strcmp(exe + n - s, XMD_SBINDIR "/xmd") != 0)
		return -1;
	if (n - s >= len)
		return -1;
	memcpy(root, exe, n - s);
	root[n - s] = '\0';
	return 0;
}

void
install_paths(struct install_paths *p)
{
	char *exe = realpath("/proc/self/exe", NULL);
	char root[PATH_MAX] = "";

	memset(p, 0, sizeof(*p));
	if (exe != NULL && strcmp(exe, XMD_BUILD_EXE) == 0) {
		p->from_build = 1;
		snprintf(p->iso, sizeof(p->iso), "%s", XMD_BUILD_ISO);
		snprintf(p->runner, sizeof(p->runner), "%s", XMD_BUILD_RUNNER);
		snprintf(p->conf, sizeof(p->conf), "%s", CONF_DEFAULT);
		free(exe);
		return;
	}
	if (exe == NULL || staged_root(exe, root, sizeof(root)) != 0)
		root[0] = '\0';		/* moved on its own: the prefix's */
	free(exe);
	join(p->iso, sizeof(p->iso), root, XMD_PKGLIBDIR, "xm.iso");
	join(p->runner, sizeof(p->runner), root, XMD_PKGLIBEXECDIR, "xm-qemu");
	join(p->conf, sizeof(p->conf), root, XMD_SYSCONFDIR, "xm/xmd.conf");
}
