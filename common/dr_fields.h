/*
 * How the field tables of the records on the wire are written
 * (dom_record.c, stats_record.c): one row per key, checked at compile
 * time against the type of the member it names.
 */
#ifndef XM_COMMON_DR_FIELDS_H
#define XM_COMMON_DR_FIELDS_H

#include <stddef.h>

#include "dom_record.h"

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

/* 0, and a compile error when member m of s is not of type T. */
#define DR_IS(s, m, T)	(0 * sizeof(char[_Generic(((s *)0)->m, \
	T: 1, default: -1)]))
#define DR_MEMBER(s, m, T)	offsetof(s, m) + DR_IS(s, m, T), \
	sizeof(((s *)0)->m)

#define F_STR(k, s, m, req, label)	{ k, DR_STR, DR_MEMBER(s, m, char *), \
	req, label, DS_PLAIN }
#define F_ID(k, s, m, label)		{ k, DR_ID, DR_MEMBER(s, m, int), 1, \
	label, DS_PLAIN }
#define F_UINT(k, s, m, label, show)	{ k, DR_UINT, \
	DR_MEMBER(s, m, unsigned int), 1, label, show }
#define F_U64(k, s, m, label, show)	{ k, DR_U64, \
	DR_MEMBER(s, m, uint64_t), 1, label, show }
#define F_DOUBLE(k, s, m, label)	{ k, DR_DOUBLE, \
	DR_MEMBER(s, m, double), 1, label, DS_FIXED }
#define F_BOOL(k, s, m, label, show)	{ k, DR_BOOL, DR_MEMBER(s, m, int), \
	1, label, show }

#endif
