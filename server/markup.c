#include "markup.h"

#include "err.h"
#include "fmt.h"
#include "page.h"
#include "sha256.h"

#include <stdarg.h>
#include <stdlib.h>

static const struct markup_words italian = {
	"it",
	"Risultati pubblicati",
	"Le schede di valutazione delle politiche di co-produzione, come pubblicate dagli "
	"uffici dopo la verifica. Ogni scheda è disponibile in PDF e in JSON.",
	"Non è ancora stato pubblicato alcun risultato.",
	"%dº trimestre %d",
	"revisione %s, pubblicata il %s",
	"Scheda della politica",
	"Accordi di cittadinanza",
	"Revisioni precedenti",
	"Gli stessi dati, per altri sistemi:",
	"API JSON",
	"Tutti gli accordi (%d)",
	"Pagina successiva",
	"Tutti i risultati",
	"Scheda consultabile",
	"Periodi e revisioni",
	"Cerca",
	"Cerca un accordo per codice o titolo",
	"Cerca un accordo di questa politica per codice o titolo",
	"Ricerca degli accordi",
	"Scrivi il codice di un accordo o una parte del suo titolo.",
	"Nessun accordo corrisponde a «%s».",
	"Un accordo corrisponde a «%s».",
	"%d accordi corrispondono a «%s».",
	"Più di %d accordi corrispondono a «%s»: ecco i primi %d. Precisa la ricerca per "
	"trovare gli altri.",
	"(solo PDF: pubblicato prima delle schede consultabili)",
};

static const struct markup_words english = {
	"en",
	"Published results",
	"The evaluation scorecards of the co-production policies, as published by the "
	"officers once checked. Every scorecard is available as PDF and as JSON.",
	"Nothing has been published yet.",
	"Q%d %d",
	"revision %s, published on %s",
	"Policy scorecard",
	"Collaboration agreements",
	"Earlier revisions",
	"The same data, for other systems:",
	"JSON API",
	"All %d agreements",
	"Next page",
	"All results",
	"Readable scorecard",
	"Periods and revisions",
	"Search",
	"Search an agreement by code or title",
	"Search an agreement of this policy by code or title",
	"Agreement search",
	"Type an agreement's code or part of its title.",
	"No agreement matches “%s”.",
	"One agreement matches “%s”.",
	"%d agreements match “%s”.",
	"More than %d agreements match “%s”: here are the first %d. Refine the search to "
	"find the others.",
	"(PDF only: published before the readable scorecards)",
};

const char markup_style[] =
	":root{color-scheme:light dark;--fg:#1b1f23;--muted:#57606a;--bg:#fff;--card:#f6f8fa;"
	"--line:#d0d7de;--link:#0b57d0}"
	"@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9da7b3;--bg:#0d1117;"
	"--card:#161b22;--line:#30363d;--link:#6ea8fe}}"
	"*{box-sizing:border-box}"
	"body{margin:0;font:16px/1.5 system-ui,-apple-system,\"Segoe UI\",Roboto,\"DejaVu Sans\","
	"sans-serif;color:var(--fg);background:var(--bg);overflow-wrap:anywhere}"
	"header,main,footer{max-width:48rem;margin:0 auto;padding:0 1rem}"
	"header{padding-top:1rem}"
	"h1{font-size:1.6rem;margin:.5rem 0}"
	"h2{font-size:1.3rem;margin:1.5rem 0 .5rem;padding-bottom:.25rem;"
	"border-bottom:2px solid var(--line)}"
	"h3{font-size:1.1rem;margin:0}"
	"h4{font-size:1rem;margin:.75rem 0 .25rem}"
	".code,.id{color:var(--muted);font-size:.85em;font-weight:normal}"
	".period{background:var(--card);border:1px solid var(--line);border-radius:.5rem;"
	"padding:.75rem 1rem;margin:.75rem 0}"
	".meta{color:var(--muted);margin:.25rem 0 .5rem;font-size:.9rem}"
	"ul.docs{list-style:none;margin:0;padding:0}"
	"ul.docs li{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;"
	"gap:.5rem;padding:.4rem 0;border-top:1px solid var(--line)}"
	".links{display:flex;gap:.5rem}"
	".links a{display:inline-block;min-width:3.5rem;text-align:center;padding:.45rem .75rem;"
	"border:1px solid var(--link);border-radius:.4rem;color:var(--link);"
	"text-decoration:none;font-weight:600}"
	".links a:hover,.links a:focus{background:var(--link);color:var(--bg)}"
	"details{margin-top:.5rem;font-size:.9rem}"
	"details ul{padding-left:1.25rem}"
	"a{color:var(--link)}"
	"footer{color:var(--muted);font-size:.9rem;padding-bottom:1.5rem}"
	"form.search{display:flex;flex-wrap:wrap;align-items:end;gap:.5rem;margin:1rem 0}"
	"form.search label{flex:1 0 100%;font-weight:600}"
	"form.search input{flex:1 1 12rem;font:inherit;padding:.45rem .6rem;color:var(--fg);"
	"background:var(--bg);border:1px solid var(--muted);border-radius:.4rem}"
	"form.search button{font:inherit;font-weight:600;padding:.45rem 1rem;color:var(--bg);"
	"background:var(--link);border:1px solid var(--link);border-radius:.4rem;cursor:pointer}"
	"a:focus-visible,input:focus-visible,button:focus-visible{outline:3px solid var(--link);"
	"outline-offset:2px}";

const struct markup_words *markup_words_of(const char *locale)
{
	return fmt_is_en(locale) ? &english : &italian;
}

void markup_printf(FILE *f, const char *format, ...)
{
	va_list ap;

	/* The words are never null. Without this test, a build with
	 * -fsanitize=nonnull-attribute gets a path, its own check's, on which
	 * the format is null, and GCC warns of it. */
	if (!format)
		return;
	va_start(ap, format);
	vfprintf(f, format, ap);
	va_end(ap);
}

void markup_escaped(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		const char *entity = *s == '&'	  ? "&amp;"
				     : *s == '<'  ? "&lt;"
				     : *s == '>'  ? "&gt;"
				     : *s == '"'  ? "&quot;"
				     : *s == '\'' ? "&#39;"
						  : NULL;

		if (entity)
			fputs(entity, f);
		else
			fputc(*s, f);
	}
}

void markup_search_form(FILE *f, const struct markup_words *w, const char *action,
			const char *policy, const char *value)
{
	fputs("<form class=\"search\" role=\"search\" method=\"get\" action=\"", f);
	markup_escaped(f, action);
	fprintf(f, "\">\n<label for=\"search-q\">%s</label>\n",
		policy ? w->search_policy_label : w->search_label);
	fprintf(f,
		"<input type=\"search\" id=\"search-q\" name=\"q\" maxlength=\"%d\" "
		"autocomplete=\"off\" value=\"",
		PAGE_SEARCH_MAX);
	markup_escaped(f, value);
	fputs("\">\n", f);
	if (policy) {
		fputs("<input type=\"hidden\" name=\"policy\" value=\"", f);
		markup_escaped(f, policy);
		fputs("\">\n", f);
	}
	fprintf(f, "<button type=\"submit\">%s</button>\n</form>\n", w->search);
}

void markup_links(FILE *f, const char *prefix, const char *kind, const char *code,
		  const char *period, const char *revision)
{
	static const char *const exts[2] = {".pdf", ""}, *const names[2] = {"PDF", "JSON"},
				 *const classes[2] = {"pdf", "json"};
	int i;

	fputs("<span class=\"links\">", f);
	for (i = 0; i < 2; i++) {
		fprintf(f, "<a class=\"%s\" href=\"%sapi/v1/%s/", classes[i], prefix, kind);
		markup_escaped(f, code);
		fputs("/scorecards/", f);
		markup_escaped(f, period);
		fputs(exts[i], f);
		if (revision) {
			fputs("?revision=", f);
			markup_escaped(f, revision);
		}
		fprintf(f, "\">%s</a>", names[i]);
	}
	fputs("</span>", f);
}

void markup_meta(FILE *f, const struct markup_words *w, const char *locale, const char *revision,
		 const char *iso)
{
	char date[64];

	if (fmt_date(iso, FMT_DATE_LONG, locale, date, sizeof(date)) != 0)
		snprintf(date, sizeof(date), "%s", iso ? iso : "");
	markup_printf(f, w->meta, revision, date);
}

int markup_render(void (*put)(FILE *f, const void *arg), const void *arg, struct api_body *out)
{
	struct api_body b = {0};
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int rc;

	if (!f)
		return err_set(ERR_FAIL, "out of memory");
	put(f, arg);
	rc = fclose(f) != 0 || !text ? err_set(ERR_FAIL, "out of memory") : 0;
	if (rc == 0) {
		b.data = (unsigned char *)text;
		b.len = len;
		b.content_type = "text/html; charset=utf-8";
		rc = sha256_hex(b.data, b.len, b.sha256);
	}
	if (rc) {
		free(text);
		return rc;
	}
	*out = b;
	return 0;
}
