# include/xm: the ABI headers shared by hv, guests and the toolstack.

XM_ABI_HEADER_FILES = \
	include/xm/arch_x86_64.h \
	include/xm/callback.h \
	include/xm/ctl.h \
	include/xm/ctl_ops.h \
	include/xm/domctl.h \
	include/xm/elfnote.h \
	include/xm/event_channel.h \
	include/xm/grant_table.h \
	include/xm/hypercall.h \
	include/xm/memory.h \
	include/xm/physdev.h \
	include/xm/platform.h \
	include/xm/sched.h \
	include/xm/vcpu.h \
	include/xm/version.h \
	include/xm/xen_core.h \
	include/xm/xs_wire.h

EXTRA_DIST += $(XM_ABI_HEADER_FILES)
