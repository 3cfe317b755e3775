# guests: PV guest kernels that run on hv, and their runtime (guests/lib).
#
# The runtime and klib are compiled once, with the guest flags, into
# guests/lib/libguest.a; every guest links it.  Only the runtime's notes
# (guests/lib/notes.c) carry the guest's name, so each guest compiles
# that one file itself.  Each guest is linked by guests/lib/guest.ld.
# A new guest NAME adds:
#
#	noinst_PROGRAMS += guests/NAME/NAME.elf
#	guests_NAME_NAME_elf_SOURCES = guests/NAME/NAME.c $(GUEST_NOTES)
#	guests_NAME_NAME_elf_CPPFLAGS = $(GUEST_CPPFLAGS) \
#		-DXM_GUEST_OS=\"xm-NAME\"
#	guests_NAME_NAME_elf_CFLAGS = $(GUEST_CFLAGS)
#	guests_NAME_NAME_elf_CCASFLAGS = $(GUEST_CFLAGS)
#	guests_NAME_NAME_elf_LDADD = $(GUEST_LIB)
#	guests_NAME_NAME_elf_LINK = $(GUEST_LINK)
#	EXTRA_guests_NAME_NAME_elf_DEPENDENCIES = $(GUEST_LD_SCRIPT)

GUEST_CPPFLAGS = -I$(srcdir)/guests/lib/include -I$(srcdir)/include \
	-I$(srcdir)/klib/include -DXM_VERSION=\"$(PACKAGE_VERSION)\"
GUEST_LD_SCRIPT = guests/lib/guest.ld
GUEST_LINK = $(KERNEL_LD) -nostdlib -static -z max-page-size=0x1000 \
	-z noexecstack -T $(srcdir)/$(GUEST_LD_SCRIPT) -o $@
GUEST_NOTES = guests/lib/notes.c
GUEST_LIB = guests/lib/libguest.a

noinst_LIBRARIES += guests/lib/libguest.a
guests_lib_libguest_a_SOURCES = \
	guests/lib/console.c \
	guests/lib/desc.c \
	guests/lib/entry.S \
	guests/lib/events.c \
	guests/lib/gnttab.c \
	guests/lib/hypercall_page.S \
	guests/lib/mm.c \
	guests/lib/p2m.c \
	guests/lib/probe.c \
	guests/lib/pt.c \
	guests/lib/start.c \
	guests/lib/suspend.c \
	guests/lib/test.c \
	guests/lib/time.c \
	guests/lib/timer.c \
	guests/lib/traps.c \
	guests/lib/user_entry.S \
	guests/lib/user.c \
	guests/lib/vcpu.c \
	guests/lib/xs.c \
	guests/lib/include/guest/asm.h \
	guests/lib/include/guest/console.h \
	guests/lib/include/guest/desc.h \
	guests/lib/include/guest/events.h \
	guests/lib/include/guest/gnttab.h \
	guests/lib/include/guest/guest.h \
	guests/lib/include/guest/hypercall.h \
	guests/lib/include/guest/mm.h \
	guests/lib/include/guest/suspend.h \
	guests/lib/include/guest/test.h \
	guests/lib/include/guest/time.h \
	guests/lib/include/guest/traps.h \
	guests/lib/include/guest/user.h \
	guests/lib/include/guest/vcpu.h \
	guests/lib/include/guest/xs.h \
	$(KLIB_SOURCES)
guests_lib_libguest_a_CPPFLAGS = $(GUEST_CPPFLAGS)
guests_lib_libguest_a_CFLAGS = $(GUEST_CFLAGS)
guests_lib_libguest_a_CCASFLAGS = $(GUEST_CFLAGS)

EXTRA_DIST += $(GUEST_LD_SCRIPT)

# hello: start_info, the command line and hv's version; exit=N.
noinst_PROGRAMS += guests/hello/hello.elf
guests_hello_hello_elf_SOURCES = guests/hello/hello.c $(GUEST_NOTES)
guests_hello_hello_elf_CPPFLAGS = $(GUEST_CPPFLAGS) -DXM_GUEST_OS=\"xm-hello\"
guests_hello_hello_elf_CFLAGS = $(GUEST_CFLAGS)
guests_hello_hello_elf_CCASFLAGS = $(GUEST_CFLAGS)
guests_hello_hello_elf_LDADD = $(GUEST_LIB)
guests_hello_hello_elf_LINK = $(GUEST_LINK)
EXTRA_guests_hello_hello_elf_DEPENDENCIES = $(GUEST_LD_SCRIPT)

# evtimer: event channels, timers, sleeping and its accuracy (TAP).
noinst_PROGRAMS += guests/evtimer/evtimer.elf
guests_evtimer_evtimer_elf_SOURCES = guests/evtimer/evtimer.c \
	$(GUEST_NOTES)
guests_evtimer_evtimer_elf_CPPFLAGS = $(GUEST_CPPFLAGS) \
	-DXM_GUEST_OS=\"xm-evtimer\"
guests_evtimer_evtimer_elf_CFLAGS = $(GUEST_CFLAGS)
guests_evtimer_evtimer_elf_CCASFLAGS = $(GUEST_CFLAGS)
guests_evtimer_evtimer_elf_LDADD = $(GUEST_LIB)
guests_evtimer_evtimer_elf_LINK = $(GUEST_LINK)
EXTRA_guests_evtimer_evtimer_elf_DEPENDENCIES = $(GUEST_LD_SCRIPT)

# pagetable: building, pinning and batch-updating page tables, and what
# hv must refuse (TAP).
noinst_PROGRAMS += guests/pagetable/pagetable.elf
guests_pagetable_pagetable_elf_SOURCES = guests/pagetable/pagetable.c \
	$(GUEST_NOTES)
guests_pagetable_pagetable_elf_CPPFLAGS = $(GUEST_CPPFLAGS) \
	-DXM_GUEST_OS=\"xm-pagetable\"
guests_pagetable_pagetable_elf_CFLAGS = $(GUEST_CFLAGS)
guests_pagetable_pagetable_elf_CCASFLAGS = $(GUEST_CFLAGS)
guests_pagetable_pagetable_elf_LDADD = $(GUEST_LIB)
guests_pagetable_pagetable_elf_LINK = $(GUEST_LINK)
EXTRA_guests_pagetable_pagetable_elf_DEPENDENCIES = $(GUEST_LD_SCRIPT)

# privop: the instructions and calls Xen emulates or answers for a PV
# kernel (features, CPUID, IOPL, cli/sti, port I/O, control registers).
noinst_PROGRAMS += guests/privop/privop.elf
guests_privop_privop_elf_SOURCES = guests/privop/privop.c \
	guests/privop/privop.h guests/privop/gdt.c guests/privop/ldt.c \
	guests/privop/msr.c guests/privop/debugreg.c \
	guests/privop/ptwr.c guests/privop/usermode.c \
	$(GUEST_NOTES)
guests_privop_privop_elf_CPPFLAGS = $(GUEST_CPPFLAGS) \
	-DXM_GUEST_OS=\"xm-privop\"
guests_privop_privop_elf_CFLAGS = $(GUEST_CFLAGS)
guests_privop_privop_elf_CCASFLAGS = $(GUEST_CFLAGS)
guests_privop_privop_elf_LDADD = $(GUEST_LIB)
guests_privop_privop_elf_LINK = $(GUEST_LINK)
EXTRA_guests_privop_privop_elf_DEPENDENCIES = $(GUEST_LD_SCRIPT)

# smp: brings up every vCPU it has, runs a job split over them with
# events across vCPUs (SCHEDOP_poll of masked ports, EVTCHNOP_bind_vcpu).
noinst_PROGRAMS += guests/smp/smp.elf
guests_smp_smp_elf_SOURCES = guests/smp/smp.c guests/smp/smp.h \
	guests/smp/worker.c guests/smp/desc.c $(GUEST_NOTES)
guests_smp_smp_elf_CPPFLAGS = $(GUEST_CPPFLAGS) -DXM_GUEST_OS=\"xm-smp\"
guests_smp_smp_elf_CFLAGS = $(GUEST_CFLAGS)
guests_smp_smp_elf_CCASFLAGS = $(GUEST_CFLAGS)
guests_smp_smp_elf_LDADD = $(GUEST_LIB)
guests_smp_smp_elf_LINK = $(GUEST_LINK)
EXTRA_guests_smp_smp_elf_DEPENDENCIES = $(GUEST_LD_SCRIPT)

# tlbshoot: two vCPUs; vCPU 1 keeps using a page while vCPU 0 takes it
# away, so that a TLB left stale on vCPU 1's CPU shows (TAP).
noinst_PROGRAMS += guests/tlbshoot/tlbshoot.elf
guests_tlbshoot_tlbshoot_elf_SOURCES = guests/tlbshoot/tlbshoot.c \
	guests/tlbshoot/tlbshoot.h guests/tlbshoot/second.c \
	guests/tlbshoot/rounds.c $(GUEST_NOTES)
guests_tlbshoot_tlbshoot_elf_CPPFLAGS = $(GUEST_CPPFLAGS) \
	-DXM_GUEST_OS=\"xm-tlbshoot\"
guests_tlbshoot_tlbshoot_elf_CFLAGS = $(GUEST_CFLAGS)
guests_tlbshoot_tlbshoot_elf_CCASFLAGS = $(GUEST_CFLAGS)
guests_tlbshoot_tlbshoot_elf_LDADD = $(GUEST_LIB)
guests_tlbshoot_tlbshoot_elf_LINK = $(GUEST_LINK)
EXTRA_guests_tlbshoot_tlbshoot_elf_DEPENDENCIES = $(GUEST_LD_SCRIPT)

# grantpair: grant tables between two domains, granter and mapper
# (role=granter|mapper peer=N): map, copy, unmap, refusals (TAP).
noinst_PROGRAMS += guests/grantpair/grantpair.elf
guests_grantpair_grantpair_elf_SOURCES = guests/grantpair/grantpair.c \
	$(GUEST_NOTES)
guests_grantpair_grantpair_elf_CPPFLAGS = $(GUEST_CPPFLAGS) \
	-DXM_GUEST_OS=\"xm-grantpair\"
guests_grantpair_grantpair_elf_CFLAGS = $(GUEST_CFLAGS)
guests_grantpair_grantpair_elf_CCASFLAGS = $(GUEST_CFLAGS)
guests_grantpair_grantpair_elf_LDADD = $(GUEST_LIB)
guests_grantpair_grantpair_elf_LINK = $(GUEST_LINK)
EXTRA_guests_grantpair_grantpair_elf_DEPENDENCIES = $(GUEST_LD_SCRIPT)

# xsclient: a xenstore client (mode=basic|listen|deaf|hostile|cutoff):
# its own tree, isolation from a peer, watches, transactions, quotas
# and malformed requests, shutdown and reboot asked through control/
# (TAP; tests/boot/xenstore.sh).
noinst_PROGRAMS += guests/xsclient/xsclient.elf
guests_xsclient_xsclient_elf_SOURCES = guests/xsclient/xsclient.c \
	guests/xsclient/xsclient.h guests/xsclient/own.c \
	guests/xsclient/isolation.c guests/xsclient/hostile.c \
	$(GUEST_NOTES)
guests_xsclient_xsclient_elf_CPPFLAGS = $(GUEST_CPPFLAGS) \
	-DXM_GUEST_OS=\"xm-xsclient\"
guests_xsclient_xsclient_elf_CFLAGS = $(GUEST_CFLAGS)
guests_xsclient_xsclient_elf_CCASFLAGS = $(GUEST_CFLAGS)
guests_xsclient_xsclient_elf_LDADD = $(GUEST_LIB)
guests_xsclient_xsclient_elf_LINK = $(GUEST_LINK)
EXTRA_guests_xsclient_xsclient_elf_DEPENDENCIES = $(GUEST_LD_SCRIPT)

# dom0: domain 0's kernel, the control relay between xmd (over a
# virtio-serial port) and hv, and the console backend.  Its pure parts
# (ctl_stream, ctl_ops, vring, domtab) are also unit-tested as host code.
DOM0_PURE_SOURCES = \
	guests/dom0/ctl_ops.c guests/dom0/ctl_ops.h \
	guests/dom0/ctl_stream.c guests/dom0/ctl_stream.h \
	guests/dom0/domtab.c guests/dom0/domtab.h \
	guests/dom0/vring.c guests/dom0/vring.h \
	$(KLIB_CTLOP_SOURCES)
noinst_PROGRAMS += guests/dom0/dom0.elf
guests_dom0_dom0_elf_SOURCES = $(DOM0_PURE_SOURCES) \
	guests/dom0/conback.c \
	guests/dom0/ringback.c guests/dom0/ringback.h \
	guests/dom0/storeback.c \
	guests/dom0/ctl_server.c guests/dom0/ctl_server.h \
	guests/dom0/dma.c guests/dom0/dma.h \
	guests/dom0/dom0.c guests/dom0/dom0.h \
	guests/dom0/domexc.c guests/dom0/domexc.h \
	guests/dom0/hc.h \
	guests/dom0/io.c guests/dom0/io.h \
	guests/dom0/irq.c guests/dom0/irq.h \
	guests/dom0/log.c guests/dom0/log.h \
	guests/dom0/ops.h guests/dom0/ops_domain.c guests/dom0/ops_mem.c \
	guests/dom0/ops_logdirty.c \
	guests/dom0/ops_clock.c \
	guests/dom0/vser_mport.c guests/dom0/vser_mport.h \
	guests/dom0/ops_sched.c \
	guests/dom0/ops_stats.c \
	guests/dom0/pci.c guests/dom0/pci.h \
	guests/dom0/virtio_pci.c guests/dom0/virtio_pci.h \
	guests/dom0/vser.c guests/dom0/vser.h \
	guests/dom0/chan.h guests/dom0/uart.c guests/dom0/uart.h \
	$(GUEST_NOTES)
guests_dom0_dom0_elf_CPPFLAGS = $(GUEST_CPPFLAGS) -DXM_GUEST_OS=\"xm-dom0\"
guests_dom0_dom0_elf_CFLAGS = $(GUEST_CFLAGS)
guests_dom0_dom0_elf_CCASFLAGS = $(GUEST_CFLAGS)
guests_dom0_dom0_elf_LDADD = $(GUEST_LIB)
guests_dom0_dom0_elf_LINK = $(GUEST_LINK)
EXTRA_guests_dom0_dom0_elf_DEPENDENCIES = $(GUEST_LD_SCRIPT)

# hostile: attacks hv and other domains and reports each refusal (TAP);
# dies last of a triple fault.
noinst_PROGRAMS += guests/hostile/hostile.elf
guests_hostile_hostile_elf_SOURCES = guests/hostile/hostile.c \
	guests/hostile/hostile.h guests/hostile/fault.c \
	guests/hostile/trap.S guests/hostile/cpu.c guests/hostile/mmu.c \
	guests/hostile/hcall.c guests/hostile/evtchn.c \
	guests/hostile/hardening.c $(GUEST_NOTES)
guests_hostile_hostile_elf_CPPFLAGS = $(GUEST_CPPFLAGS) \
	-DXM_GUEST_OS=\"xm-hostile\"
guests_hostile_hostile_elf_CFLAGS = $(GUEST_CFLAGS)
guests_hostile_hostile_elf_CCASFLAGS = $(GUEST_CFLAGS)
guests_hostile_hostile_elf_LDADD = $(GUEST_LIB)
guests_hostile_hostile_elf_LINK = $(GUEST_LINK)
EXTRA_guests_hostile_hostile_elf_DEPENDENCIES = $(GUEST_LD_SCRIPT)

# fuzz: random and structured-random hypercalls from a seed
# (seed=N calls=N); survives its own faults with hostile's fault.c and
# trap.S (TAP).  `make fuzz-hv` runs it long (tests/local.mk).
FUZZ_SOURCES = guests/fuzz/fuzz.c guests/fuzz/fuzz.h guests/fuzz/arena.c \
	guests/fuzz/gen_cpu.c guests/fuzz/gen_grant.c guests/fuzz/gen_misc.c \
	guests/fuzz/gen_mm.c guests/fuzz/issue.c guests/fuzz/rng.c \
	guests/fuzz/safe.c guests/fuzz/safe.h guests/fuzz/safe_ops.c \
	guests/fuzz/self.c guests/fuzz/stats.c guests/fuzz/values.c \
	guests/hostile/fault.c guests/hostile/trap.S guests/hostile/hostile.h
noinst_PROGRAMS += guests/fuzz/fuzz.elf
guests_fuzz_fuzz_elf_SOURCES = $(FUZZ_SOURCES) $(GUEST_NOTES)
guests_fuzz_fuzz_elf_CPPFLAGS = $(GUEST_CPPFLAGS) \
	-I$(srcdir)/guests/hostile -DXM_GUEST_OS=\"xm-fuzz\"
guests_fuzz_fuzz_elf_CFLAGS = $(GUEST_CFLAGS)
guests_fuzz_fuzz_elf_CCASFLAGS = $(GUEST_CFLAGS)
guests_fuzz_fuzz_elf_LDADD = $(GUEST_LIB)
guests_fuzz_fuzz_elf_LINK = $(GUEST_LINK)
EXTRA_guests_fuzz_fuzz_elf_DEPENDENCIES = $(GUEST_LD_SCRIPT)

# victim: checks 4 MiB of its memory round after round while another
# domain attacks (TAP).
noinst_PROGRAMS += guests/victim/victim.elf
guests_victim_victim_elf_SOURCES = guests/victim/victim.c \
	$(GUEST_NOTES)
guests_victim_victim_elf_CPPFLAGS = $(GUEST_CPPFLAGS) \
	-DXM_GUEST_OS=\"xm-victim\"
guests_victim_victim_elf_CFLAGS = $(GUEST_CFLAGS)
guests_victim_victim_elf_CCASFLAGS = $(GUEST_CFLAGS)
guests_victim_victim_elf_LDADD = $(GUEST_LIB)
guests_victim_victim_elf_LINK = $(GUEST_LINK)
EXTRA_guests_victim_victim_elf_DEPENDENCIES = $(GUEST_LD_SCRIPT)

# balloon: grows its reservation a page at a time (increase_reservation)
# and keeps running when hv refuses: setmaxmem's test (mem.sh).
noinst_PROGRAMS += guests/balloon/balloon.elf
guests_balloon_balloon_elf_SOURCES = guests/balloon/balloon.c \
	$(GUEST_NOTES)
guests_balloon_balloon_elf_CPPFLAGS = $(GUEST_CPPFLAGS) \
	-DXM_GUEST_OS=\"xm-balloon\"
guests_balloon_balloon_elf_CFLAGS = $(GUEST_CFLAGS)
guests_balloon_balloon_elf_CCASFLAGS = $(GUEST_CFLAGS)
guests_balloon_balloon_elf_LDADD = $(GUEST_LIB)
guests_balloon_balloon_elf_LINK = $(GUEST_LINK)
EXTRA_guests_balloon_balloon_elf_DEPENDENCIES = $(GUEST_LD_SCRIPT)

# xenhdr: start_info, time and hypercalls through Xen's own public
# headers (libxen-dev), not include/xm (TAP).
noinst_PROGRAMS += guests/xenhdr/xenhdr.elf
guests_xenhdr_xenhdr_elf_SOURCES = guests/xenhdr/xenhdr.c \
	guests/xenhdr/glue.c guests/xenhdr/glue.h $(GUEST_NOTES)
guests_xenhdr_xenhdr_elf_CPPFLAGS = $(GUEST_CPPFLAGS) \
	-idirafter /usr/include -DXM_GUEST_OS=\"xm-xenhdr\"
guests_xenhdr_xenhdr_elf_CFLAGS = $(GUEST_CFLAGS)
guests_xenhdr_xenhdr_elf_CCASFLAGS = $(GUEST_CFLAGS)
guests_xenhdr_xenhdr_elf_LDADD = $(GUEST_LIB)
guests_xenhdr_xenhdr_elf_LINK = $(GUEST_LINK)
EXTRA_guests_xenhdr_xenhdr_elf_DEPENDENCIES = $(GUEST_LD_SCRIPT)

# counter: prints a count every period until its limit (0: forever);
# visible progress for pause/resume tests.
noinst_PROGRAMS += guests/counter/counter.elf
guests_counter_counter_elf_SOURCES = guests/counter/counter.c \
	$(GUEST_NOTES)
guests_counter_counter_elf_CPPFLAGS = $(GUEST_CPPFLAGS) \
	-DXM_GUEST_OS=\"xm-counter\"
guests_counter_counter_elf_CFLAGS = $(GUEST_CFLAGS)
guests_counter_counter_elf_CCASFLAGS = $(GUEST_CFLAGS)
guests_counter_counter_elf_LDADD = $(GUEST_LIB)
guests_counter_counter_elf_LINK = $(GUEST_LINK)
EXTRA_guests_counter_counter_elf_DEPENDENCIES = $(GUEST_LD_SCRIPT)

# resumer: a cancelled suspend driven from domain 0 (tests/boot/suspend.sh).
noinst_PROGRAMS += guests/resumer/resumer.elf
guests_resumer_resumer_elf_SOURCES = guests/resumer/resumer.c \
	$(GUEST_NOTES)
guests_resumer_resumer_elf_CPPFLAGS = $(GUEST_CPPFLAGS) \
	-DXM_GUEST_OS=\"xm-resumer\"
guests_resumer_resumer_elf_CFLAGS = $(GUEST_CFLAGS)
guests_resumer_resumer_elf_CCASFLAGS = $(GUEST_CFLAGS)
guests_resumer_resumer_elf_LDADD = $(GUEST_LIB)
guests_resumer_resumer_elf_LINK = $(GUEST_LINK)
EXTRA_guests_resumer_resumer_elf_DEPENDENCIES = $(GUEST_LD_SCRIPT)

# schedtest: the credit scheduler seen from domain 0 (weights, caps,
# pinning, bad parameters) next to CPU-bound domUs (role=hog).
noinst_PROGRAMS += guests/schedtest/schedtest.elf
guests_schedtest_schedtest_elf_SOURCES = guests/schedtest/schedtest.c \
	$(GUEST_NOTES)
guests_schedtest_schedtest_elf_CPPFLAGS = $(GUEST_CPPFLAGS) \
	-DXM_GUEST_OS=\"xm-schedtest\"
guests_schedtest_schedtest_elf_CFLAGS = $(GUEST_CFLAGS)
guests_schedtest_schedtest_elf_CCASFLAGS = $(GUEST_CFLAGS)
guests_schedtest_schedtest_elf_LDADD = $(GUEST_LIB)
guests_schedtest_schedtest_elf_LINK = $(GUEST_LINK)
EXTRA_guests_schedtest_schedtest_elf_DEPENDENCIES = $(GUEST_LD_SCRIPT)

# dirtier: a domU that keeps one page hot and others cold while it
# remaps them and checks its page-table entries read back as written
# (tests/boot/logdirty.sh).
noinst_PROGRAMS += guests/dirtier/dirtier.elf
guests_dirtier_dirtier_elf_SOURCES = guests/dirtier/dirtier.c \
	guests/dirtier/dirtier.h $(GUEST_NOTES)
guests_dirtier_dirtier_elf_CPPFLAGS = $(GUEST_CPPFLAGS) \
	-DXM_GUEST_OS=\"xm-dirtier\"
guests_dirtier_dirtier_elf_CFLAGS = $(GUEST_CFLAGS)
guests_dirtier_dirtier_elf_CCASFLAGS = $(GUEST_CFLAGS)
guests_dirtier_dirtier_elf_LDADD = $(GUEST_LIB)
guests_dirtier_dirtier_elf_LINK = $(GUEST_LINK)
EXTRA_guests_dirtier_dirtier_elf_DEPENDENCIES = $(GUEST_LD_SCRIPT)

# dirtylog: log-dirty mode driven from domain 0 on a dirtier
# (tests/boot/logdirty.sh).
noinst_PROGRAMS += guests/dirtylog/dirtylog.elf
guests_dirtylog_dirtylog_elf_SOURCES = guests/dirtylog/dirtylog.c \
	guests/dirtier/dirtier.h $(GUEST_NOTES)
guests_dirtylog_dirtylog_elf_CPPFLAGS = $(GUEST_CPPFLAGS) \
	-I$(srcdir)/guests/dirtier -DXM_GUEST_OS=\"xm-dirtylog\"
guests_dirtylog_dirtylog_elf_CFLAGS = $(GUEST_CFLAGS)
guests_dirtylog_dirtylog_elf_CCASFLAGS = $(GUEST_CFLAGS)
guests_dirtylog_dirtylog_elf_LDADD = $(GUEST_LIB)
guests_dirtylog_dirtylog_elf_LINK = $(GUEST_LINK)
EXTRA_guests_dirtylog_dirtylog_elf_DEPENDENCIES = $(GUEST_LD_SCRIPT)
