/*
 * A table of steps over the control channel (see steps.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>
#include <xm/ctl.h>
#include <xmctl.h>

#include "ctl.h"
#include "ctl_frame.h"
#include "log.h"
#include "steps.h"

void
steps_init(struct steps *s, const struct step *table, size_t n,
    struct ctl *ctl, void *ctx, const char *what, void (*end)(void *))
{
	memset(s, 0, sizeof(*s));
	s->s_table = table;
	s->s_n = n;
	s->s_ctl = ctl;
	s->s_ctx = ctx;
	s->s_what = what;
	s->s_end = end;
}

int
steps_code_of(int status)
{
	switch (status) {
	case -XM_ENOMEM:
		return XMCTL_E_NO_MEMORY;
	case CTL_E_TIMEOUT:
		return XMCTL_E_TIMEOUT;
	case CTL_E_DOWN:
	case CTL_E_PROTO:
		return XMCTL_E_NODE;
	default:
		return XMCTL_E_BUILD;
	}
}

int
steps_fail(struct steps *s, int code, const char *fmt, ...)
{
	va_list ap;

	if (s->s_code == 0) {
		s->s_code = code;
		va_start(ap, fmt);
		vsnprintf(s->s_msg, sizeof(s->s_msg), fmt, ap);
		va_end(ap);
	}
	return -1;
}

static uint64_t
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* On to the next step; how long this one took, for -v (profiling). */
static void
step_next(struct steps *s)
{
	uint64_t t = now_us();

	if (s->s_sends > 0 || t - s->s_t0_us >= 1000)
		log_debug("%s: step %s: %llu requests in %llu.%03llu ms",
		    s->s_what, s->s_table[s->s_step].name,
		    (unsigned long long)s->s_sends,
		    (unsigned long long)(t - s->s_t0_us) / 1000,
		    (unsigned long long)(t - s->s_t0_us) % 1000);
	s->s_step++;
	s->s_cursor = 0;
	s->s_sends = 0;
	s->s_drain = 0;
	s->s_window = 0;
	s->s_t0_us = t;
}

static unsigned int
step_window(const struct steps *s)
{
	return s->s_window > 1 ? s->s_window : 1;
}

void
steps_window(struct steps *s, unsigned int n)
{
	s->s_window = n;
}

/* The end, once no answer is awaited (it would come to a freed ctx). */
static void
steps_end(struct steps *s)
{
	if (s->s_inflight == 0)
		s->s_end(s->s_ctx);
}

void
steps_run(struct steps *s)
{
	int rc;

	s->s_waiting = 0;
	if (s->s_t0_us == 0)
		s->s_t0_us = now_us();
	while (s->s_step < s->s_n && !s->s_stop) {
		if (s->s_inflight >= step_window(s))
			return;		/* step_reply goes on */
		if (s->s_drain) {
			if (s->s_inflight > 0)
				return;
			step_next(s);
			continue;
		}
		if ((rc = s->s_table[s->s_step].send(s->s_ctx)) == 0) {
			s->s_inflight++;
			continue;
		}
		if (rc == STEP_WAIT) {
			if (s->s_inflight == 0)
				s->s_waiting = 1;	/* steps_resume goes on */
			return;
		}
		if (rc < 0)
			break;
		s->s_drain = 1;		/* nothing more: then the next step */
	}
	steps_end(s);
}

int
steps_resume(struct steps *s)
{
	if (!s->s_waiting)
		return 0;
	steps_run(s);
	return 1;
}

void
steps_stop(struct steps *s, int code, const char *fmt, ...)
{
	va_list ap;

	if (s->s_code == 0) {
		s->s_code = code;
		va_start(ap, fmt);
		vsnprintf(s->s_msg, sizeof(s->s_msg), fmt, ap);
		va_end(ap);
	}
	s->s_stop = 1;
	if (s->s_waiting) {
		s->s_waiting = 0;
		steps_end(s);
	}
}

static void
step_reply(void *arg, int status, const uint8_t *data, size_t len)
{
	struct steps *s = arg;
	int rc;

	s->s_inflight--;
	if (s->s_code != 0) {		/* failed: the others' answers */
		steps_end(s);
		return;
	}
	if (status != 0) {
		steps_fail(s, steps_code_of(status), "%s: %s failed: %s",
		    s->s_what, s->s_table[s->s_step].name,
		    ctl_strerror(status));
		steps_end(s);
		return;
	}
	if ((rc = s->s_table[s->s_step].reply(s->s_ctx, data, len)) < 0) {
		steps_end(s);
		return;
	}
	if (rc == 0)
		s->s_drain = 1;
	if (s->s_stop) {
		steps_end(s);
		return;
	}
	steps_run(s);
}

int
steps_send(struct steps *s, uint16_t op, const struct iovec *iov,
    int iovcnt)
{
	char nb[16];

	s->s_sends++;
	/* Up to 64 KiB each: give them more time than small requests. */
	if (ctl_request(s->s_ctl, op, iov, iovcnt, 3 * ctl_timeout(s->s_ctl),
	    step_reply, s) == 0)
		return 0;
	return steps_fail(s, XMCTL_E_NODE, "%s: cannot send %s to the node",
	    s->s_what, ctl_op_name(op, nb, sizeof(nb)));
}

static void
steps_begin(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	steps_run(arg);
}

int
steps_start(struct steps *s, struct event_base *base)
{
	if (!ctl_is_up(s->s_ctl))
		return -1;
	return event_base_once(base, -1, EV_TIMEOUT, steps_begin, s, NULL);
}
