/*
 * xsclient: a xenstore client domain for the end-to-end tests
 * (tests/boot/xenstore.sh), driven by its command line:
 *
 *	mode=basic [peer=N [peervm=/vm/UUID]]
 *		its own tree, data, watches and transactions, then, with
 *		the peer from the command line or from data/peer ("N
 *		/vm/UUID", written by the test once both domains run),
 *		that another domain's tree is closed to it, and that a
 *		watch there hears nothing (the test writes the peer's
 *		data/spied, then our data/spycheck/now); then listens.
 *	mode=listen
 *		as a Linux domU: control/feature-poweroff and -reboot = 1,
 *		a watch on control/shutdown, SCHEDOP_shutdown with the
 *		reason asked for; data/ping is echoed into data/pong.
 *	mode=deaf
 *		advertises the features, never acts on them.
 *	mode=hostile
 *		quotas and malformed requests, each refused, answers asked
 *		for and not read; at last a header of 4097 bytes, after
 *		which the store has cut it off.
 *	mode=cutoff [len=N] [spam=SECS]
 *		one request, then a header announcing N bytes (4 GiB - 1);
 *		with spam, requests as fast as the ring takes them after.
 *
 * Results are TAP lines on the console ("ok N - ...", then the plan),
 * then "xsclient: <mode> done"; basic then listens as listen does,
 * hostile and cutoff (no longer served) idle until destroyed.
 */

#include <stdarg.h>
#include <stdint.h>

#include <klib/format.h>
#include <klib/parse.h>
#include <klib/string.h>

#include <xm/sched.h>

#include <guest/console.h>
#include <guest/guest.h>
#include <guest/test.h>
#include <guest/time.h>
#include <guest/xs.h>

#include "xsclient.h"

#define IDLE_NS		(3600 * NSEC_PER_SEC)

struct xsc_self xsc_self;

int
xsc_refused(int rc, const char *want)
{
	if (rc == 0) {
		test_diag("accepted; expected %s", want);
		return 0;
	}
	if (kstrcmp(xs_error(), want) != 0) {
		test_diag("refused with %s; expected %s", xs_error(), want);
		return 0;
	}
	return 1;
}

const char *
xsc_path(char *buf, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(buf, XSC_PATH_MAX, fmt, ap);
	va_end(ap);
	return buf;
}

const char *
xsc_next_event(char *path, const char *token, unsigned int ms)
{
	char tok[XS_EVENT_STR_MAX];
	uint64_t deadline = monotonic_ns() + ms * NSEC_PER_MSEC;
	uint64_t now;

	while ((now = monotonic_ns()) < deadline) {
		if (xs_watch_event(path, tok, deadline - now) != 0)
			break;
		if (kstrcmp(tok, token) == 0)
			return path;
	}
	path[0] = '\0';
	return path;
}

/* control/shutdown's value: act on it as Linux's xenbus does. */
static void
shutdown_asked(void)
{
	char v[32];

	if (xs_read(0, "control/shutdown", v, sizeof(v)) != 0 || v[0] == '\0')
		return;
	/* Acknowledged by clearing it, as Linux does. */
	(void)xs_write(0, "control/shutdown", "");
	gprintf("xsclient: control/shutdown says \"%s\"\n", v);
	if (kstrcmp(v, "poweroff") == 0 || kstrcmp(v, "halt") == 0)
		guest_shutdown(XM_SHUTDOWN_POWEROFF);
	if (kstrcmp(v, "reboot") == 0)
		guest_shutdown(XM_SHUTDOWN_REBOOT);
}

static void
ping_asked(void)
{
	char v[64];

	if (xs_read(0, "data/ping", v, sizeof(v)) == 0 && v[0] != '\0' &&
	    xs_write(0, "data/pong", v) != 0)
		gprintf("xsclient: cannot answer a ping: %s\n", xs_error());
}

static int
advertise(void)
{
	if (xs_write(0, "control/feature-poweroff", "1") != 0 ||
	    xs_write(0, "control/feature-reboot", "1") != 0) {
		gprintf("xsclient: cannot advertise: %s\n", xs_error());
		return -1;
	}
	return 0;
}

static void GUEST_NORETURN
serve_control(void)
{
	char path[XS_EVENT_STR_MAX], token[XS_EVENT_STR_MAX];

	if (advertise() != 0 || xs_watch("control/shutdown", "ctl") != 0 ||
	    xs_watch("data/ping", "ping") != 0)
		gprintf("xsclient: cannot listen: %s\n", xs_error());
	gprintf("xsclient: listening\n");
	for (;;) {
		if (xs_watch_event(path, token, IDLE_NS) != 0)
			continue;
		if (kstrcmp(token, "ctl") == 0)
			shutdown_asked();
		else if (kstrcmp(token, "ping") == 0)
			ping_asked();
	}
}

static void GUEST_NORETURN
deaf(void)
{
	if (advertise() == 0)
		gprintf("xsclient: deaf (features advertised)\n");
	for (;;)
		sleep_ns(IDLE_NS);
}

static void
basic(const char *cmdline)
{
	char v[XSC_PATH_MAX], vm[XSC_PATH_MAX] = "";
	uint64_t n;
	unsigned int peer;

	xsc_own_tree();
	xsc_data();
	xsc_watches();
	xsc_transactions();
	if (kcmdline_get(cmdline, "peer", v, sizeof(v)) &&
	    kstrtou64(v, NULL, 10, &n) == 0) {
		peer = (unsigned int)n;
		(void)kcmdline_get(cmdline, "peervm", vm, sizeof(vm));
	} else if (!TEST_OK(xsc_wait_peer(&peer, vm, sizeof(vm)) == 0,
	    "data/peer names the peer domain"))
		return;
	xsc_isolation(peer, vm);
	xsc_spy(peer);
}

static void
end(const char *mode)
{
	test_done();
	gprintf("xsclient: %s done\n", mode);
}

int
guest_main(void)
{
	const char *cmdline = guest_cmdline();
	char mode[16] = "basic", v[16];
	uint64_t n;

	(void)kcmdline_get(cmdline, "mode", mode, sizeof(mode));
	gprintf("xsclient: mode %s\n", mode);
	if (!TEST_OK(xs_init() == 0, "xenstore page and port from "
	    "start_info (store_mfn, store_evtchn)")) {
		end(mode);
		return 1;
	}
	if (kstrcmp(mode, "listen") == 0)
		serve_control();
	if (kstrcmp(mode, "deaf") == 0)
		deaf();
	if (kstrcmp(mode, "basic") == 0)
		basic(cmdline);
	else if (kstrcmp(mode, "hostile") == 0)
		xsc_hostile();
	else if (kstrcmp(mode, "cutoff") == 0) {
		n = UINT32_MAX;
		if (kcmdline_get(cmdline, "len", v, sizeof(v)))
			(void)kstrtou64(v, NULL, 0, &n);
		xsc_cutoff((uint32_t)n, 0);
		if (kcmdline_get(cmdline, "spam", v, sizeof(v)) &&
		    kstrtou64(v, NULL, 10, &n) == 0)
			xsc_spam((unsigned int)n);
	} else
		TEST_OK(0, "mode %s is known", mode);
	end(mode);
	if (kstrcmp(mode, "basic") == 0)
		serve_control();
	for (;;)
		sleep_ns(IDLE_NS);
}
