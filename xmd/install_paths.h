/*
 * Where xmd's companions are by default (xmd(8), FILES): the embedded
 * node's image (xm.iso: GRUB, hv, domain 0), the QEMU runner and the
 * configuration file.
 *
 * The build tree's when this xmd is the build's own executable (the
 * tests, make run): its xm.iso, the source's tools/xm-qemu, and
 * /etc/xm/xmd.conf (CONF_DEFAULT).  Otherwise the installed ones, from the configured
 * directories ($(pkglibdir)/xm.iso, $(pkglibexecdir)/xm-qemu,
 * $(sysconfdir)/xm/xmd.conf), under the same root when the installed
 * tree was moved as a whole (make install DESTDIR=ROOT, then
 * ROOT$(sbindir)/xmd): an installed xmd never reaches into a build tree.
 * -i, -r, -f and the configuration's node_image and node_runner win.
 */
#ifndef XMD_INSTALL_PATHS_H
#define XMD_INSTALL_PATHS_H

#include <limits.h>

struct install_paths {
	int	from_build;		/* the build tree's xmd */
	char	iso[PATH_MAX];
	char	runner[PATH_MAX];
	char	conf[PATH_MAX];
};

void	install_paths(struct install_paths *);

#endif
