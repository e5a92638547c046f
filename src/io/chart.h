/*
 * chart.h — the report charts as inline SVG, for the printable report page
 * (io/html.c) and the pages of `ketnap serve` alike.
 *
 * The web application's Content-Security-Policy forbids inline styles, so
 * these charts carry their look in SVG presentation attributes
 * (fill=, stroke=, font-size= …) instead, so they render under the strict
 * policy. Report text reaches the SVG only through html_printf's %s.
 * Everything is appended to the caller's buffer; nothing fails.
 */
#ifndef KN_CHART_H
#define KN_CHART_H

#include "core/report.h"
#include "util/buf.h"

/* A quota bar: `tenths` percent of the quota (127,1% = 1271) on a scale
 * of 0 to 150% with a mark at 100%, green when met, amber when not.
 * Nothing when tenths is negative (no quota). The bar stretches to its
 * container's width. */
void chart_quota_bar(struct buf *out, long long tenths, int met);

/* A bar for v out of max (the funnel's steps), stretching to the width of
 * its container. */
void chart_count_bar(struct buf *out, long long v, long long max);

/* The report's chart: percent of quota per unit (achievement, ranking) or
 * candidacies per step (funnel); nothing for the other reports. */
void chart_report(struct buf *out, const struct report *r);

#endif
