/*
 * Persistent definitions: STATE/defs/NAME.xml, one file per domain,
 * written atomically (statefile.h); STATE/defs/NAME.autostart, empty,
 * marks a domain to start when xmd starts.  The text is the canonical
 * XML of the definition (dd_write_xml), whichever form it was given in,
 * so that its generated UUID is kept.
 */
#ifndef XMD_DEFS_H
#define XMD_DEFS_H

#include <sys/queue.h>

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "domain_def.h"
#include "lifecycle.h"

struct def {
	TAILQ_ENTRY(def)	 df_entry;
	char			 df_name[XM_DEF_NAME_MAX + 1];
	uint8_t			 df_uuid[XM_UUID_LEN];
	int			 df_autostart;
	char			*df_text;
	size_t			 df_len;
	/* From the text, for domain.list and .info without parsing it. */
	uint64_t		 df_memory_kib;
	unsigned int		 df_vcpus;
};

struct defs {
	TAILQ_HEAD(, def)	 ds_list;
	char			 ds_dir[PATH_MAX];	/* STATE/defs */
};

/*
 * A definition's text into def (initialised by the caller) and its
 * lifecycle actions: 0, or -1 with the reason in err.
 */
int		 defs_parse(const char *text, size_t len,
		    struct xm_domain_def *, struct lifecycle *, char *err,
		    size_t errlen);

/* Creates STATE/defs and reads what is there: 0, or -1 (logged). */
int		 defs_load(struct defs *, const char *state_dir);
void		 defs_free(struct defs *);
struct def	*defs_by_name(struct defs *, const char *);
struct def	*defs_by_uuid(struct defs *, const uint8_t *);
/* ref: a name or a UUID. */
struct def	*defs_lookup(struct defs *, const char *ref);

/* Store (new or replacing the one of that name): 0, or -1 with errno. */
int		 defs_put(struct defs *, const struct xm_domain_def *,
		    struct def **);
int		 defs_remove(struct defs *, struct def *);
int		 defs_set_autostart(struct defs *, struct def *, int on);

#endif
