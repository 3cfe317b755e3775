# tools: the ISO maker and the QEMU runner, and the targets that use them.

EXTRA_DIST += tools/xm-mkiso tools/xm-qemu

# HV_CMDLINE (from configure, default "loglvl=info poweroff") is hv's
# command line in xm.iso; `poweroff` ends the QEMU run with hv's exit code
# once hv has nothing left to run.
# Boot modules in xm.iso, each FILE or FILE:ARGS (the first is domain 0,
# the control domain that relays xmd's requests).
XM_ISO_MODULES ?= guests/dom0/dom0.elf:dom0
RUN_MEM ?= 256M
RUN_SMP ?= 1
RUN_TIMEOUT ?= 120

xm.iso: hv/xm-hv.elf guests/dom0/dom0.elf $(srcdir)/tools/xm-mkiso Makefile
	$(AM_V_GEN)$(SHELL) $(srcdir)/tools/xm-mkiso -d $(GRUB_PC_DIR) \
		-o $@ -c "$(HV_CMDLINE)" hv/xm-hv.elf $(XM_ISO_MODULES)

all-local: xm.iso
CLEANFILES += xm.iso

# The main job: xmd starts its embedded node (QEMU on xm.iso), builds the
# example domain, shows `xmctl list` and the domain's console, and stops;
# its state directory goes unless KEEP=1.
KEEP ?= 0
run: xm.iso xmd/xmd xmctl/xmctl guests/hello/hello.elf \
    guests/counter/counter.elf
	XM_DEMO_KEEP=$(KEEP) $(SHELL) $(srcdir)/tools/xm-demo . $(srcdir)

# Only the node: hv and domain 0 with the console here, for RUN_TIMEOUT
# seconds.
run-node: xm.iso
	$(SHELL) $(srcdir)/tools/xm-qemu -m $(RUN_MEM) -s $(RUN_SMP) \
		-t $(RUN_TIMEOUT) xm.iso

EXTRA_DIST += tools/xm-demo
.PHONY: run run-node

# The JSON Schema of definitions is made from their field table
# (common/def_fields.c): `make schema` writes schemas/domain.schema.json,
# tests/defs/jsonschema.sh fails when it is not up to date.
noinst_PROGRAMS += tools/xm-def-schema
tools_xm_def_schema_SOURCES = tools/xm-def-schema.c $(XM_COMMON_SOURCES)
tools_xm_def_schema_CPPFLAGS = $(XM_COMMON_CPPFLAGS)
tools_xm_def_schema_CFLAGS = $(AM_CFLAGS) $(XM_COMMON_CFLAGS)
tools_xm_def_schema_LDADD = $(XM_COMMON_LIBS)

schema: tools/xm-def-schema$(EXEEXT)
	$(AM_V_GEN)tools/xm-def-schema >$(srcdir)/schemas/domain.schema.json.tmp \
	    && mv $(srcdir)/schemas/domain.schema.json.tmp \
	    $(srcdir)/schemas/domain.schema.json
.PHONY: schema

# bash completion for xmctl, where bash-completion looks for it by the
# command's name.
bashcompletiondir = $(datadir)/bash-completion/completions
EXTRA_DIST += tools/xmctl.bash
install-data-local: install-bash-completion
uninstall-local: uninstall-bash-completion
install-bash-completion:
	$(MKDIR_P) '$(DESTDIR)$(bashcompletiondir)'
	$(INSTALL_DATA) $(srcdir)/tools/xmctl.bash \
	    '$(DESTDIR)$(bashcompletiondir)/xmctl'
uninstall-bash-completion:
	rm -f '$(DESTDIR)$(bashcompletiondir)/xmctl'
.PHONY: install-bash-completion uninstall-bash-completion
