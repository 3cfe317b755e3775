/*
 * The domains xmd knows: id on the node, name, UUID, state, what they
 * were built from, their console.  A domain is found by name, id or
 * UUID; names are never numbers or UUIDs, so a reference is never
 * ambiguous.
 */
#ifndef XMD_REGISTRY_H
#define XMD_REGISTRY_H

#include <sys/queue.h>

#include <stdint.h>

#include <xm/domctl.h>

#include "domain_def.h"
#include "lifecycle.h"

enum dom_state {
	DOM_BUILDING,		/* the builder is at work */
	DOM_RUNNING,
	DOM_PAUSED,
	DOM_SHUTOFF,		/* shut down, not yet destroyed */
	DOM_CRASHED,
	DOM_DYING,		/* destroy sent */
	DOM_SUSPENDED,		/* shut down to suspend: it waits */
};

struct console;

struct dom {
	TAILQ_ENTRY(dom)	 d_entry;
	int			 d_id;		/* -1 before CREATE */
	char			 d_name[XM_DEF_NAME_MAX + 1];
	uint8_t			 d_uuid[XM_UUID_LEN];
	enum dom_state		 d_state;
	uint64_t		 d_memory_kib;	/* as defined */
	uint64_t		 d_target_kib;	/* the balloon's: currentMemory */
	unsigned int		 d_vcpus;
	char			*d_kernel;	/* absolute, or NULL */
	char			*d_cmdline;
	int			 d_privileged;
	struct xm_domctl_info	 d_info;	/* as the node last said */
	struct console		*d_console;
	int			 d_busy;	/* being built */
	uint64_t		 d_unsuspend_until;	/* mono_ms(): a suspend
					   a killed xmd asked for is cancelled */
	struct lifecycle	 d_life;	/* on_poweroff ... */
	char			*d_text;	/* the definition it runs */
	size_t			 d_len;
};
TAILQ_HEAD(dom_list, dom);

struct registry {
	struct dom_list		 r_doms;
	unsigned int		 r_count;
};

void		 registry_init(struct registry *);
/* Frees every domain (their consoles are the caller's). */
void		 registry_clear(struct registry *);
struct dom	*registry_add(struct registry *, const char *name,
		    const uint8_t uuid[XM_UUID_LEN]);
void		 registry_remove(struct registry *, struct dom *);

struct dom	*registry_by_id(struct registry *, int id);
struct dom	*registry_by_name(struct registry *, const char *);
struct dom	*registry_by_uuid(struct registry *, const uint8_t *);
/* ref: a name, an id in decimal or a UUID. */
struct dom	*registry_lookup(struct registry *, const char *ref);

const char	*dom_state_name(enum dom_state);
/* The state the node's flags describe. */
enum dom_state	 dom_state_of(const struct xm_domctl_info *);

#endif
