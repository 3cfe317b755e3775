# xmctl: the command-line interface, on libxmctl.

bin_PROGRAMS = xmctl/xmctl

xmctl_xmctl_SOURCES = \
	xmctl/xmctl.c \
	xmctl/xmctl.h \
	xmctl/cmd_console.c \
	xmctl/cmd_def.c \
	xmctl/cmd_domain.c \
	xmctl/cmd_edit.c \
	xmctl/cmd_event.c \
	xmctl/cmd_node.c \
	xmctl/cmd_sched.c \
	xmctl/cmd_stats.c \
	xmctl/cmd_store.c \
	xmctl/cmd_top.c \
	xmctl/cmd_mem.c \
	xmctl/cmd_save.c \
	xmctl/output.c \
	xmctl/stdio_proxy.c \
	common/paths.c \
	common/paths.h \
	common/cpulist.c \
	common/cpulist.h \
	common/dom_record.c \
	common/dom_record.h \
	common/dr_fields.h \
	common/stats_record.c \
	common/exit_status.h \
	common/parse_num.c \
	common/parse_num.h
# cpulist.c and parse_num.c are compiled in: libxmctl exports only its xmctl_* calls.
xmctl_xmctl_CPPFLAGS = -I$(srcdir)/libxmctl/include -I$(srcdir)/common
xmctl_xmctl_CFLAGS = $(AM_CFLAGS) $(JSONC_CFLAGS) $(NCURSES_CFLAGS)
xmctl_xmctl_LDADD = libxmctl/libxmctl.la $(JSONC_LIBS) $(NCURSES_LIBS)
