# tools: the ISO maker and the QEMU runner, and the targets that use them.

EXTRA_DIST += tools/xm-mkiso tools/xm-qemu

# HV_CMDLINE (from configure, default "loglvl=info poweroff") is hv's
# command line in xm.iso; `poweroff` ends the QEMU run with hv's exit code
# once hv has nothing left to run.
# Boot modules in xm.iso, each FILE or FILE:ARGS (the first is domain 0).
# Until the control domain (guests/dom0) exists, domain 0 is hello.
XM_ISO_MODULES ?= guests/hello/hello.elf:hello
RUN_MEM ?= 256M
RUN_SMP ?= 1
RUN_TIMEOUT ?= 120

xm.iso: hv/xm-hv.elf guests/hello/hello.elf $(srcdir)/tools/xm-mkiso Makefile
	$(AM_V_GEN)$(SHELL) $(srcdir)/tools/xm-mkiso -d $(GRUB_PC_DIR) \
		-o $@ -c "$(HV_CMDLINE)" hv/xm-hv.elf $(XM_ISO_MODULES)

all-local: xm.iso
CLEANFILES += xm.iso

# Boot the node in QEMU with its console here; back to the shell when hv
# powers off (or after RUN_TIMEOUT seconds).
run: xm.iso
	$(SHELL) $(srcdir)/tools/xm-qemu -m $(RUN_MEM) -s $(RUN_SMP) \
		-t $(RUN_TIMEOUT) xm.iso

.PHONY: run
