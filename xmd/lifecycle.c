/* on_poweroff, on_reboot, on_crash read from a definition's text. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xm/sched.h>

#include "domain_def.h"
#include "lifecycle.h"

static const char *const event_tags[LIFE_NEVENTS] = {
	[LIFE_ON_POWEROFF] = "on_poweroff",
	[LIFE_ON_REBOOT] = "on_reboot",
	[LIFE_ON_CRASH] = "on_crash",
};

static const char *const action_names[] = {
	[LIFE_DESTROY] = "destroy",
	[LIFE_RESTART] = "restart",
	[LIFE_PRESERVE] = "preserve",
};

void
lifecycle_defaults(struct lifecycle *l)
{
	l->l_on[LIFE_ON_POWEROFF] = LIFE_DESTROY;
	l->l_on[LIFE_ON_REBOOT] = LIFE_RESTART;
	l->l_on[LIFE_ON_CRASH] = LIFE_DESTROY;
}

const char *
lifecycle_action_name(enum life_action a)
{
	return action_names[a];
}

enum life_event
lifecycle_event_of(uint32_t reason)
{
	if (reason == XM_SHUTDOWN_REBOOT)
		return LIFE_ON_REBOOT;
	if (reason == XM_SHUTDOWN_CRASH || reason == XM_SHUTDOWN_WATCHDOG)
		return LIFE_ON_CRASH;
	return LIFE_ON_POWEROFF;
}

static int
action_of(const char *s, enum life_action *a)
{
	size_t i;

	for (i = 0; i < sizeof(action_names) / sizeof(action_names[0]); i++)
		if (strcmp(action_names[i], s) == 0) {
			*a = (enum life_action)i;
			return 0;
		}
	return -1;
}

int
lifecycle_from_def(const struct xm_domain_def *def, struct lifecycle *l,
    char *err, size_t errlen)
{
	const char *given[LIFE_NEVENTS] = {
		[LIFE_ON_POWEROFF] = def->dd_on_poweroff,
		[LIFE_ON_REBOOT] = def->dd_on_reboot,
		[LIFE_ON_CRASH] = def->dd_on_crash,
	};
	int i;

	lifecycle_defaults(l);
	for (i = 0; i < LIFE_NEVENTS; i++)
		if (given[i] != NULL && action_of(given[i], &l->l_on[i]) != 0) {
			snprintf(err, errlen, "<%s> must be destroy, restart or preserve, not '%s'",
			    event_tags[i], given[i]);
			return -1;
		}
	return 0;
}
