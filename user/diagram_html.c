// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * A sequence diagram as one HTML page (diagram.h): the SVG picture, and
 * beside it the annotated trace it was drawn from. Each of the trace's
 * records links to its first step in the picture, and each step back to
 * its record; the one followed is highlighted (CSS :target). No scripts,
 * nothing fetched.
 */
#include <errno.h>
#include <stdlib.h>

#include "diagram.h"

static const char page_style[] =
	"<style>\n"
	"body { margin: 16px; font-family: DejaVu Sans, Helvetica, Arial, sans-serif; color: #1a1a1a; }\n"
	"h1 { font-size: 18px; }\n"
	".wrap { display: flex; gap: 24px; align-items: flex-start; }\n"
	".picture { flex: none; }\n"
	".trace { list-style: none; margin: 0; padding: 0; font: 12px DejaVu Sans Mono, Menlo, Consolas, monospace; white-space: pre-wrap; }\n"
	".trace li { padding: 2px 4px; border-left: 3px solid transparent; }\n"
	".trace li:target { background: #fcf0e4; border-left-color: #ce5c00; }\n"
	".trace a { color: inherit; text-decoration: none; }\n"
	"</style>\n";

int diagram_html(const struct diagram *d, struct strbuf *sb)
{
	int *first = calloc(d->ntexts + 1, sizeof(*first));
	int ret;

	if (!first)
		return -ENOMEM;
	for (int i = 0; i < d->ntexts; i++)
		first[i] = -1;
	for (int k = d->nsteps; k-- > 0;)
		if (d->steps[k].text >= 0 && d->steps[k].text < d->ntexts)
			first[d->steps[k].text] = k;
	sb_add(sb, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
	sb_add(sb, "<title>sockscope: a conversation</title>\n");
	sb_add(sb, page_style);
	sb_add(sb, "</head>\n<body>\n<h1>The conversation, as sockscope traced it</h1>\n");
	sb_add(sb, "<div class=\"wrap\">\n<div class=\"picture\">\n");
	ret = diagram_svg_in_trace_time(d, sb);
	sb_add(sb, "</div>\n<ol class=\"trace\">\n");
	for (int i = 0; i < d->ntexts; i++) {
		if (first[i] < 0)
			continue;
		sb_addf(sb, "<li id=\"line-%d\"><a href=\"#step-%d\">", i,
			first[i]);
		diagram_xml_text(sb, d->texts[i]);
		sb_add(sb, "</a></li>\n");
	}
	sb_add(sb, "</ol>\n</div>\n</body>\n</html>\n");
	free(first);
	return ret;
}
