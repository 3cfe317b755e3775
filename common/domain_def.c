/*
 * The domain definition: defaults, disposal, and the value rules that
 * every form of a definition shares (names, memory sizes).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "domain_def.h"

void
xm_domain_def_init(struct xm_domain_def *def)
{
	memset(def, 0, sizeof(*def));
	def->dd_vcpus = 1;
}

void
xm_domain_def_dispose(struct xm_domain_def *def)
{
	free(def->dd_name);
	free(def->dd_kernel);
	free(def->dd_cmdline);
	xm_domain_def_init(def);
}

int
xm_domain_def_parse(struct xm_domain_def *def, const char *text, size_t len,
    char *err, size_t errlen)
{
	size_t i = 0;

	if (len > XM_DEF_TEXT_MAX) {
		snprintf(err, errlen, "the definition is larger than %d bytes",
		    XM_DEF_TEXT_MAX);
		return -1;
	}
	while (i < len && isspace((unsigned char)text[i]))
		i++;
	if (i < len && text[i] == '<')
		return xm_domain_def_parse_xml(def, text, len, err, errlen);
	snprintf(err, errlen, "%s", i < len && text[i] == '{' ?
	    "JSON definitions are not supported yet" :
	    "not an XML definition (it does not start with '<')");
	return -1;
}

static int
name_char_ok(char c)
{
	return isalnum((unsigned char)c) || strchr("_-.+", c) != NULL;
}

int
xm_domain_name_valid(const char *name, const char **why)
{
	uint8_t uuid[XM_UUID_LEN];
	size_t i, len = strlen(name), digits = 0;

	*why = NULL;
	if (len == 0)
		*why = "a name must not be empty";
	else if (len > XM_DEF_NAME_MAX)
		*why = "a name has at most 63 characters";
	else if (name[0] == '-' || name[0] == '.')
		*why = "a name must not start with '-' or '.'";
	for (i = 0; *why == NULL && i < len; i++) {
		if (!name_char_ok(name[i]))
			*why = "only letters, digits, '_', '-', '.' and '+' are allowed in a name";
		digits += isdigit((unsigned char)name[i]) != 0;
	}
	if (*why == NULL && digits == len)
		*why = "a name must not be a number (numbers are domain ids)";
	if (*why == NULL && xm_uuid_parse(name, uuid) == 0)
		*why = "a name must not be a UUID";
	return *why == NULL;
}

/* libvirt's rule: bytes; k, m, g... alone or with "iB": 1024; "B": 1000. */
static int
unit_scale(const char *unit, uint64_t *scale)
{
	static const char powers[] = "kmgtpe";
	const char *p;
	uint64_t base;
	size_t i;

	if (unit == NULL) {
		*scale = 1024;
		return 0;
	}
	if (strcasecmp(unit, "b") == 0 || strcasecmp(unit, "byte") == 0 ||
	    strcasecmp(unit, "bytes") == 0) {
		*scale = 1;
		return 0;
	}
	if (unit[0] == '\0' ||
	    (p = strchr(powers, tolower((unsigned char)unit[0]))) == NULL)
		return -1;
	if (unit[1] == '\0' || strcasecmp(unit + 1, "iB") == 0)
		base = 1024;
	else if (strcasecmp(unit + 1, "B") == 0)
		base = 1000;
	else
		return -1;
	*scale = 1;
	for (i = 0; i <= (size_t)(p - powers); i++)
		*scale *= base;
	return 0;
}

int
xm_memory_parse(const char *value, const char *unit, uint64_t *kib,
    const char **why)
{
	unsigned long long n;
	uint64_t scale;
	char *end;

	*why = NULL;
	if (!isdigit((unsigned char)value[0]))
		*why = "is not a whole number";
	else {
		errno = 0;
		n = strtoull(value, &end, 10);
		if (*end != '\0')
			*why = "is not a whole number";
		else if (errno != 0)
			*why = "is more than 1 TiB";
	}
	if (*why == NULL && unit_scale(unit, &scale) != 0)
		*why = "has an unknown unit";
	if (*why != NULL)
		return -1;
	if (n > (XM_DEF_MEMORY_MAX_KIB * 1024) / scale)
		*why = "is more than 1 TiB";
	else if (n == 0)
		*why = "is too small";
	else
		*kib = (n * scale + 1023) / 1024;
	return *why == NULL ? 0 : -1;
}
