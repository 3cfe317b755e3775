# libxmctl: the C client library of xmd (a libtool shared library), and
# the host code that xmd, libxmctl and the tests share (common/).

# Domain definitions (one struct, read from XML), UUIDs, default paths.
XM_COMMON_SOURCES = \
	common/def_xml.c \
	common/domain_def.c \
	common/domain_def.h \
	common/paths.c \
	common/paths.h \
	common/uuid.c \
	common/uuid.h
XM_COMMON_CPPFLAGS = -D_GNU_SOURCE -I$(srcdir)/common
XM_COMMON_CFLAGS = $(LIBXML2_CFLAGS)
XM_COMMON_LIBS = $(LIBXML2_LIBS)

lib_LTLIBRARIES = libxmctl/libxmctl.la
include_HEADERS = libxmctl/include/xmctl.h

libxmctl_libxmctl_la_SOURCES = \
	libxmctl/conn.c \
	libxmctl/conn.h \
	libxmctl/calls.c \
	libxmctl/console.c \
	$(XM_COMMON_SOURCES)
libxmctl_libxmctl_la_CPPFLAGS = -I$(srcdir)/libxmctl/include \
	$(XM_COMMON_CPPFLAGS)
libxmctl_libxmctl_la_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden \
	$(JSONC_CFLAGS) $(XM_COMMON_CFLAGS)
libxmctl_libxmctl_la_LIBADD = $(JSONC_LIBS) $(XM_COMMON_LIBS)
# current:revision:age (libtool's rules; issue 5 settles the ABI)
libxmctl_libxmctl_la_LDFLAGS = -version-info 0:0:0 -no-undefined
