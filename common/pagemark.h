/* pagemark: the mark a stored HTML page holds where the server writes how
 * many revisions its period has (reports/html_page.c writes it, server/api.c
 * fills it): "<!--cruscotto-of:WORD-->", WORD "di" or "of", letters only.
 * Data text never holds "<!--": it is escaped. */
#ifndef CR_PAGEMARK_H
#define CR_PAGEMARK_H

#define REP_HTML_REVISIONS_MARK "<!--cruscotto-of:"
#define REP_HTML_REVISIONS_MARK_END "-->"

#endif
