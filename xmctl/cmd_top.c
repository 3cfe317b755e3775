/*
 * xmctl top [-b] [-d SECONDS] [-n N] [-s name|cpu|mem]: the domains as
 * xentop shows them, from domain.stats every SECONDS (default 1): a
 * live ncurses view (q quits; n, c, m sort by name, CPU, memory) or,
 * with -b, one plain table per iteration for scripts. -n stops after N
 * iterations (default: until q, or for ever with -b).
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xmctl.h"

enum top_sort { SORT_NAME, SORT_CPU, SORT_MEM };

struct top {
	struct xmctl		*t_x;
	uint64_t		 t_total_kib;	/* the node's memory */
	enum top_sort		 t_sort;
	uint64_t		 t_delay_ms;
	uint64_t		 t_iter;	/* 0: no end */
};

static const char *const state_names[] = {
	"none", "running", "blocked", "paused", "shutdown", "shutoff",
	"crashed",
};

static const char *
state_name(unsigned int s)
{
	return s < sizeof(state_names) / sizeof(state_names[0]) ?
	    state_names[s] : "?";
}

static enum top_sort	sort_key;

static int
compare(const void *a, const void *b)
{
	const struct xmctl_domain_stats *x = a, *y = b;

	if (sort_key == SORT_CPU && x->cpu_percent != y->cpu_percent)
		return x->cpu_percent < y->cpu_percent ? 1 : -1;
	if (sort_key == SORT_MEM && x->balloon_current != y->balloon_current)
		return x->balloon_current < y->balloon_current ? 1 : -1;
	return strcmp(x->name, y->name);
}

#define HEADER	"%-16s %-8s %10s %7s %9s %6s %9s %5s %10s %9s"

/* One line of the table, header (s NULL) or a domain, into buf. */
static void
format_line(const struct top *t, const struct xmctl_domain_stats *s,
    char *buf, size_t len)
{
	if (s == NULL) {
		snprintf(buf, len, HEADER, "NAME", "STATE", "CPU(sec)",
		    "CPU(%)", "MEM(k)", "MEM(%)", "MAXMEM(k)", "VCPUS",
		    "HCALLS/s", "EVENTS/s");
		return;
	}
	snprintf(buf, len, "%-16.16s %-8s %10.0f %7.1f %9llu %6.1f %9llu "
	    "%5u %10.1f %9.1f", s->name, state_name(s->state),
	    (double)s->cpu_time_ns / 1e9, s->cpu_percent,
	    (unsigned long long)s->balloon_current, t->t_total_kib != 0 ?
	    100.0 * (double)s->balloon_current / (double)t->t_total_kib : 0,
	    (unsigned long long)s->balloon_maximum, s->vcpu_maximum,
	    s->hypercall_rate, s->event_rate);
}

/* The domains' figures, sorted: 0, or the failed call's status. */
static int
fetch(struct top *t, struct xmctl_domain_stats **s, size_t *n)
{
	if (xmctl_domain_stats(t->t_x, NULL, 0, s, n) != XMCTL_OK)
		return 1;
	sort_key = t->t_sort;
	qsort(*s, *n, sizeof(**s), compare);
	return 0;
}

static void
sleep_ms(uint64_t ms)
{
	struct timespec ts = { (time_t)(ms / 1000),
	    (long)(ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

static int
run_batch(struct top *t)
{
	struct xmctl_domain_stats *s;
	char line[256];
	uint64_t it;
	size_t i, n;

	for (it = 0; t->t_iter == 0 || it < t->t_iter; it++) {
		if (it != 0)
			sleep_ms(t->t_delay_ms);
		if (fetch(t, &s, &n) != 0)
			return fail(t->t_x);
		format_line(t, NULL, line, sizeof(line));
		printf("%s\n", line);
		for (i = 0; i < n; i++) {
			format_line(t, &s[i], line, sizeof(line));
			printf("%s\n", line);
		}
		printf("\n");
		fflush(stdout);
		free(s);
	}
	xmctl_free(t->t_x);
	return 0;
}

/* One screen; a failed call is shown, not fatal (xmd may come back). */
static void
draw(struct top *t, uint64_t it)
{
	struct xmctl_domain_stats *s;
	char line[256];
	size_t i, n;

	erase();
	mvprintw(0, 0, "xmctl top - %zu: q quits, n c m sort by name, "
	    "CPU, memory", (size_t)it + 1);
	if (fetch(t, &s, &n) != 0) {
		mvprintw(2, 0, "%s", xmctl_errmsg(t->t_x));
		refresh();
		return;
	}
	format_line(t, NULL, line, sizeof(line));
	attron(A_REVERSE);
	mvprintw(2, 0, "%-*s", COLS > 0 ? COLS : 1, line);
	attroff(A_REVERSE);
	for (i = 0; i < n && (int)i + 3 < LINES; i++) {
		format_line(t, &s[i], line, sizeof(line));
		mvprintw((int)i + 3, 0, "%s", line);
	}
	free(s);
	refresh();
}

/* A key: 1 to quit, 0 to go on (a sort key is taken). */
static int
key(struct top *t, int ch)
{
	if (ch == 'q' || ch == 'Q')
		return 1;
	if (ch == 'n')
		t->t_sort = SORT_NAME;
	else if (ch == 'c')
		t->t_sort = SORT_CPU;
	else if (ch == 'm')
		t->t_sort = SORT_MEM;
	return 0;
}

static int
run_live(struct top *t)
{
	uint64_t it;
	int ch, quit = 0;

	if (initscr() == NULL)
		return failx("top: cannot drive this terminal (try -b)");
	cbreak();
	noecho();
	curs_set(0);
	timeout((int)t->t_delay_ms);
	for (it = 0; !quit && (t->t_iter == 0 || it < t->t_iter); it++) {
		draw(t, it);
		if ((ch = getch()) != ERR)
			quit = key(t, ch);
	}
	endwin();
	xmctl_free(t->t_x);
	return 0;
}

static int
parse_sort(const char *s, enum top_sort *k)
{
	if (s == NULL || strcmp(s, "name") == 0)
		*k = SORT_NAME;
	else if (strcmp(s, "cpu") == 0)
		*k = SORT_CPU;
	else if (strcmp(s, "mem") == 0)
		*k = SORT_MEM;
	else
		return usagex("top: sort key '%s': not name, cpu or mem", s);
	return 0;
}

int
cmd_top(struct cmd_ctx *ctx)
{
	struct xmctl_node_info ni;
	struct top t;
	uint64_t secs = 1;
	int rc;

	memset(&t, 0, sizeof(t));
	if ((ctx->delay != NULL && (rc = operand_number("delay", ctx->delay,
	    1, 3600, &secs)) != 0) || (ctx->iter != NULL &&
	    (rc = operand_number("iterations", ctx->iter, 1, UINT32_MAX,
	    &t.t_iter)) != 0) || (rc = parse_sort(ctx->sort, &t.t_sort)) != 0)
		return rc;
	t.t_delay_ms = secs * 1000;
	if ((t.t_x = connect_xmd(ctx)) == NULL)
		return 1;
	if (xmctl_node_info(t.t_x, &ni) != XMCTL_OK)
		return fail(t.t_x);
	t.t_total_kib = ni.total_kib;
	return ctx->opts & O_BATCH ? run_batch(&t) : run_live(&t);
}
