# xmd: the management daemon (libevent, json-c, libxml2, OpenSSL).  It builds
# guest kernels with klib's Xen ELF parser, compiled here as host code.

sbin_PROGRAMS = xmd/xmd

# The frame codec, the start-of-day layout, the JSON-RPC dispatcher and
# the xenstore have no I/O: the unit tests and the test peer link them too.
XMD_CORE_SOURCES = \
	xmd/ctl_frame.c \
	xmd/ctl_frame.h \
	$(KLIB_CTLOP_SOURCES) \
	xmd/layout.c \
	xmd/layout.h \
	xmd/rpc_dispatch.c \
	xmd/rpc_dispatch.h \
	klib/xen_elf.c \
	klib/xen_elf_int.h \
	klib/xen_elf_notes.c \
	klib/xen_layout.c \
	klib/string.c \
	$(XMD_XS_SOURCES)

# xenstore: the store and its wire protocol, no I/O (xmd/xenstore.h).
XMD_XS_SOURCES = \
	xmd/xenstore.h \
	xmd/xs_api.c \
	xmd/xs_conn.c \
	xmd/xs_control.c \
	xmd/xs_int.h \
	xmd/xs_ops.c \
	xmd/xs_path.c \
	xmd/xs_save.c \
	xmd/xs_tree.c \
	xmd/xs_txn.c \
	xmd/xs_watch.c

xmd_xmd_SOURCES = \
	xmd/builder.c \
	xmd/dom_make.c \
	xmd/dom_make.h \
	xmd/builder.h \
	xmd/compat.h \
	xmd/console.c \
	xmd/console.h \
	xmd/conf.c \
	xmd/conf.h \
	xmd/ctl.c \
	xmd/ctl.h \
	xmd/defs.c \
	xmd/defs.h \
	xmd/domains.c \
	xmd/events.c \
	xmd/events.h \
	xmd/kernel_image.c \
	xmd/kernel_image.h \
	xmd/kernel_unpack.c \
	xmd/launch.c \
	xmd/lifecycle.c \
	xmd/lifecycle.h \
	xmd/log.c \
	xmd/log.h \
	xmd/logdirty.c \
	xmd/logdirty.h \
	xmd/methods.c \
	xmd/methods.h \
	xmd/methods_common.c \
	xmd/methods_console.c \
	xmd/methods_node.c \
	xmd/methods_stats.c \
	xmd/methods_store.c \
	xmd/metrics.c \
	xmd/metrics.h \
	xmd/methods_persist.c \
	xmd/methods_sched.c \
	xmd/methods_vcpu.c \
	xmd/methods_mem.c \
	xmd/node.c \
	xmd/node.h \
	xmd/options.c \
	xmd/options.h \
	xmd/registry.c \
	xmd/registry.h \
	xmd/rpc.c \
	xmd/rpc.h \
	xmd/rpc_audit.c \
	xmd/rpc_audit.h \
	xmd/rpc_tls.c \
	xmd/rpc_tls.h \
	xmd/runstate.c \
	xmd/methods_save.c \
	xmd/migrate.h \
	xmd/migrate_in.c \
	xmd/migrate_out.c \
	xmd/migrate_out_int.h \
	xmd/migrate_check.c \
	xmd/migrate_uri.c \
	xmd/migrate_recover.c \
	xmd/migrate_opts.c \
	xmd/migrate_opts.h \
	xmd/migrate_persist.c \
	xmd/pace.c \
	xmd/pace.h \
	xmd/migrate_tls.c \
	xmd/restore.c \
	xmd/restore.h \
	xmd/restore_image.c \
	xmd/restore_live.c \
	xmd/restore_image.h \
	xmd/restore_int.h \
	xmd/restore_stream.c \
	xmd/save.c \
	xmd/save_int.h \
	xmd/save_steps.c \
	xmd/precopy.c \
	xmd/save.h \
	xmd/save_canon.c \
	xmd/save_canon.h \
	xmd/savefile.c \
	xmd/savefile.h \
	xmd/sched_call.c \
	xmd/sched_call.h \
	xmd/stats.c \
	xmd/stats.h \
	xmd/stats_ring.c \
	xmd/steps.c \
	xmd/steps.h \
	xmd/suspend.c \
	xmd/suspend.h \
	xmd/stats_ring.h \
	xmd/statefile.c \
	xmd/statefile.h \
	xmd/xmd.c \
	xmd/xmd.h \
	xmd/clock.c \
	xmd/clock.h \
	xmd/shutdown_coop.c \
	xmd/shutdown_coop.h \
	xmd/xsd.c \
	xmd/xsd.h \
	xmd/xsd_paths.c \
	xmd/install_paths.c \
	xmd/install_paths.h \
	$(XMD_CORE_SOURCES) \
	$(XM_COMMON_SOURCES)
XMD_CPPFLAGS = -I$(srcdir)/xmd -I$(srcdir)/libxmctl/include \
	-I$(srcdir)/klib/include -I$(srcdir)/include $(XM_COMMON_CPPFLAGS)
# The embedded node: the build tree's for the build's xmd, else the
# installed one (xmd/install_paths.h; -i and -r choose others).
xmd_xmd_CPPFLAGS = $(XMD_CPPFLAGS) \
	-DXMD_BUILD_EXE=\"$(abs_top_builddir)/xmd/xmd\" \
	-DXMD_BUILD_ISO=\"$(abs_top_builddir)/xm.iso\" \
	-DXMD_BUILD_RUNNER=\"$(abs_top_srcdir)/tools/xm-qemu\" \
	-DXMD_SBINDIR=\"$(sbindir)\" \
	-DXMD_PKGLIBDIR=\"$(pkglibdir)\" \
	-DXMD_PKGLIBEXECDIR=\"$(pkglibexecdir)\" \
	-DXMD_SYSCONFDIR=\"$(sysconfdir)\"
xmd_xmd_CFLAGS = $(AM_CFLAGS) $(LIBEVENT_CFLAGS) $(LIBEVENT_OPENSSL_CFLAGS) \
	$(OPENSSL_CFLAGS) $(JSONC_CFLAGS) $(KIMG_CFLAGS) $(SYSTEMD_CFLAGS) \
	$(XM_COMMON_CFLAGS)
xmd_xmd_LDADD = $(LIBEVENT_OPENSSL_LIBS) $(OPENSSL_LIBS) $(LIBEVENT_LIBS) \
	$(JSONC_LIBS) $(KIMG_LIBS) $(SYSTEMD_LIBS) $(XM_COMMON_LIBS)

# Definitions to start from, and the demo that `make run` is to become
# once domain 0 serves the control channel.
EXTRA_DIST += examples/hello.xml examples/victim.xml examples/counter.xml examples/hostile.xml \
	examples/debian.xml
