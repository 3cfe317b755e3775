# What `make install` puts beside xmd, xmctl and libxmctl so that the
# installed tree runs on its own (xmd/install_paths.h, xmd(8) FILES):
# the node's image, hv and domain 0 on their own too (for a GRUB entry
# on a real PC), the example guests and their definitions, the QEMU
# runner, an example configuration.

# $(pkglibdir)/xm.iso, $(pkglibdir)/boot/{xm-hv.elf,dom0.elf}
xmlibdir = $(pkglibdir)
nodist_xmlib_DATA = xm.iso
xmbootdir = $(pkglibdir)/boot
nodist_xmboot_DATA = hv/xm-hv.elf guests/dom0/dom0.elf

# $(pkglibdir)/guests/NAME/NAME.elf, where the examples' relative kernel
# paths lead with kernel_dir = $(pkglibdir) (xmd -K).
nobase_nodist_xmlib_DATA = guests/hello/hello.elf \
	guests/counter/counter.elf

xmexamplesdir = $(pkgdatadir)/examples
xmexamples_DATA = examples/hello.xml examples/counter.xml

pkglibexec_SCRIPTS = tools/xm-qemu

# The example configuration, every key commented out: installed only
# when there is none (a system's own is never overwritten).
xmconfdir = $(sysconfdir)/xm
EXTRA_DIST += examples/xmd.conf
install-data-local: install-xmd-conf
uninstall-local: uninstall-xmd-conf
install-xmd-conf:
	$(MKDIR_P) '$(DESTDIR)$(xmconfdir)'
	if test ! -f '$(DESTDIR)$(xmconfdir)/xmd.conf'; then \
	    $(INSTALL_DATA) $(srcdir)/examples/xmd.conf \
	        '$(DESTDIR)$(xmconfdir)/xmd.conf'; \
	fi
# Only the example: a configuration that was changed stays.
uninstall-xmd-conf:
	if test -f '$(DESTDIR)$(xmconfdir)/xmd.conf' && \
	    cmp -s $(srcdir)/examples/xmd.conf \
	        '$(DESTDIR)$(xmconfdir)/xmd.conf'; then \
	    rm -f '$(DESTDIR)$(xmconfdir)/xmd.conf'; \
	fi
.PHONY: install-xmd-conf uninstall-xmd-conf

# The GRUB entry for a real PC: grub-mkconfig runs the scripts of
# /etc/grub.d (so $(sysconfdir) must be /etc, as a distribution's
# package has it, for update-grub to find it).
grubddir = $(sysconfdir)/grub.d
grubd_SCRIPTS = tools/20_xm
EXTRA_DIST += tools/20_xm.in
CLEANFILES += tools/20_xm
tools/20_xm: $(srcdir)/tools/20_xm.in Makefile
	$(AM_V_GEN)$(MKDIR_P) tools && \
	    sed -e 's|@pkglibdir[@]|$(pkglibdir)|g' \
	    $(srcdir)/tools/20_xm.in >$@.tmp && chmod +x $@.tmp && mv $@.tmp $@

# xmd.service for systemd (Type=notify through libsystemd's sd_notify).
systemdsystemunit_DATA = xmd/xmd.service
EXTRA_DIST += xmd/xmd.service.in
CLEANFILES += xmd/xmd.service
xmd/xmd.service: $(srcdir)/xmd/xmd.service.in Makefile
	$(AM_V_GEN)$(MKDIR_P) xmd && \
	    sed -e 's|@sbindir[@]|$(sbindir)|g' \
	    $(srcdir)/xmd/xmd.service.in >$@.tmp && mv $@.tmp $@

# Debian packages (README.md, "Installing"): `make check-debs` builds
# them from the tarball `make dist` makes, checks them with lintian,
# installs them into an empty root and gets `xmctl list` from the
# service they install (tests/packages/debs.sh: several minutes).
EXTRA_DIST += debian/changelog debian/control debian/copyright \
	debian/rules debian/source/format debian/not-installed \
	debian/xm-hypervisor.install debian/xm-hypervisor.postinst \
	debian/xm-hypervisor.postrm debian/xm-hypervisor.lintian-overrides \
	debian/xm-common.install \
	debian/xmd.install debian/xmd.sysusers debian/xmctl.install \
	debian/libxmctl2.install debian/libxmctl-dev.install \
	tests/packages/debs.sh
check-debs:
	@XM_SRCDIR=$(srcdir) XM_BUILDDIR=. $(BASH) $(srcdir)/tests/harness \
	    $(srcdir)/tests/packages/debs.sh
.PHONY: check-debs
