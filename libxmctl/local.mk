# libxmctl: the C client library of xmd (a libtool shared library), and
# the host code that xmd, libxmctl and the tests share (common/).

# Domain definitions (one struct, read from XML), UUIDs, default paths,
# the domain record on the wire (in libxmctl's structs).
XM_COMMON_SOURCES = \
	common/cpulist.c \
	common/cpulist.h \
	common/def_fields.c \
	common/def_json.c \
	common/def_opaque.c \
	common/def_rng.c \
	common/def_table.h \
	common/def_write.c \
	common/def_xml.c \
	common/domain_def.c \
	common/domain_def.h \
	common/dom_record.c \
	common/dom_record.h \
	common/dr_fields.h \
	common/stats_record.c \
	common/paths.c \
	common/paths.h \
	common/secret_file.c \
	common/secret_file.h \
	common/uuid.c \
	common/uuid.h
# The RelaxNG schema that the XML reader validates against: installed in
# $(schemadir), found in the source tree when not installed.
XM_COMMON_CPPFLAGS = -D_GNU_SOURCE -I$(srcdir)/common \
	-I$(srcdir)/libxmctl/include \
	-DXM_SCHEMADIR=\"$(schemadir)\" \
	-DXM_SCHEMA_SRCDIR=\"$(abs_top_srcdir)/schemas\"
XM_COMMON_CFLAGS = $(LIBXML2_CFLAGS) $(JSONC_CFLAGS) $(UUID_CFLAGS) -pthread
XM_COMMON_LIBS = $(LIBXML2_LIBS) $(JSONC_LIBS) $(UUID_LIBS) -lpthread
schemadir = $(pkgdatadir)/schemas
dist_schema_DATA = schemas/domain.rng schemas/domain.schema.json

lib_LTLIBRARIES = libxmctl/libxmctl.la
include_HEADERS = libxmctl/include/xmctl.h

libxmctl_libxmctl_la_SOURCES = \
	libxmctl/conn.c \
	libxmctl/conn.h \
	libxmctl/calls.c \
	libxmctl/calls_sched.c \
	libxmctl/calls_mem.c \
	libxmctl/calls_save.c \
	libxmctl/stats.c \
	libxmctl/store.c \
	libxmctl/console.c \
	libxmctl/definition.c \
	libxmctl/events.c \
	libxmctl/uri.c \
	libxmctl/uri.h \
	libxmctl/tls.c \
	libxmctl/ssh.c \
	$(XM_COMMON_SOURCES)
libxmctl_libxmctl_la_CPPFLAGS = -I$(srcdir)/libxmctl/include \
	$(XM_COMMON_CPPFLAGS)
libxmctl_libxmctl_la_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden \
	$(JSONC_CFLAGS) $(OPENSSL_CFLAGS) $(XM_COMMON_CFLAGS)
# OpenSSL: xm+tls:// (libxmctl/tls.c).
libxmctl_libxmctl_la_LIBADD = $(JSONC_LIBS) $(OPENSSL_LIBS) $(XM_COMMON_LIBS)
# current:revision:age, by libtool's rules: a release that changes the
# code bumps revision; one that adds calls bumps current and age and
# zeroes revision; one that removes or changes a call bumps current and
# zeroes revision and age.  1:0:0 is the ABI of issue 5 (libxmctl.so.1);
# 2:0:0 (issue 10) grew struct xmctl_domain and _state by the keys xmd
# sent (an incompatible change: libxmctl.so.2) and added
# xmctl_result_json() and xmctl_node_ping().  3:0:1 (issue 11) added
# the scheduler's calls (xmctl_domain_schedinfo, _set_sched_params,
# _vcpuinfo, _vcpupin) and their structs; 4:0:2 xmctl_domain_console_input
# (issue 12); 5:0:3 xmctl_domain_stats() and xmctl_node_stats();
# 6:0:4 the xenstore calls (xmctl_store_*, issue 12) and
# xmctl_domain_set_max_memory() and _set_memory (issue 11):
# libxmctl.so.2 still; 7:0:5 xmctl_domain_save() and
# xmctl_node_restore() (issue 13); 8:0:6 xmctl_domain_migrate() and
# xmctl_domain_abort_job(); 9:0:7 xmctl_domain_migrate_opts() and its
# structs (live migration and its progress); 10:0:8
# xmctl_domain_migrate_opts_sized(), which is told the size of struct
# xmctl_migrate_opts as the caller knows it, now grown by bandwidth,
# persistent and undefine_source (the header maps
# xmctl_domain_migrate_opts() to it; the function of that name reads
# the 9:0:7 struct for the programs built before).  11:0:9
# xmctl_daemon_version(), xmctl_library_version(),
# xmctl_definition_warnings() and xmctl_domain_definition_flags()
# (issue 14).
# Only the xmctl_* names are exported (the common/ code is inside).
libxmctl_libxmctl_la_LDFLAGS = -version-info 11:0:9 -no-undefined \
	-export-symbols-regex '^xmctl_'

# pkg-config --cflags --libs libxmctl
pkgconfigdir = $(libdir)/pkgconfig
pkgconfig_DATA = libxmctl/libxmctl.pc
EXTRA_DIST += libxmctl/libxmctl.pc.in

# The example of the library's use, built by make check against it.
check_PROGRAMS += examples/xmctl-list
examples_xmctl_list_SOURCES = examples/xmctl-list.c
examples_xmctl_list_CPPFLAGS = -I$(srcdir)/libxmctl/include
examples_xmctl_list_LDADD = libxmctl/libxmctl.la

# Numbers and sizes from users (options, xmd.conf, operands, definitions).
XM_COMMON_SOURCES += common/parse_num.c common/parse_num.h \
	common/exit_status.h
