#include "pdf.h"

#include "pdf_draw.h"
#include "pdf_fonts.h"
#include "pdf_agreement.h"
#include "pdf_charts.h"
#include "pdf_sections.h"
#include "pdf_territory.h"
#include "err.h"
#include "format.h"
#include "labels.h"

#include <hpdf.h>
#include <hpdf_doc.h>	  /* HPDF_Doc_RegisterFontDef: load_font, below */
#include <hpdf_encoder.h> /* HPDF_CMapEncoderAttr: new_fonts, below */
#include <hpdf_fontdef.h> /* HPDF_TTFontDef_Load */
#include <hpdf_font.h>	  /* HPDF_FontAttr: the ToUnicode repair, below */
#include <hpdf_streams.h> /* HPDF_MemStream_FreeData */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- layout measures (points) ------------------------------------------------ */

/* Page header: the kicker line across the top; the period and the as-of
 * date on the right, in a block two lines high; the names and facts on the
 * left (beside the block, then across); an accent rule below. A baseline
 * (_BASE) is below the top of its line. What a neighbourhood's header
 * shares (PH_POLICY_BASE ...) is in pdf_draw.h. */
#define PH_PERIOD_W 150.0f
#define PH_PERIOD_GAP 16.0f /* between the names and the period block */
#define PH_KICKER_SIZE 7.5f
#define PH_KICKER_BASE 7.0f
#define PH_KICKER_H 18.0f
#define PH_PERIOD_SIZE 20.0f
#define PH_PERIOD_BASE 19.0f
#define PH_ASOF_SIZE 8.0f
#define PH_ASOF_BASE 32.0f   /* below the header's top */
#define PH_POLICY_SIZE 10.0f /* an agreement's policy, above its title */
#define PH_TITLE_SIZE 16.0f  /* an agreement's title; smaller when long */
#define PH_TITLE_LH 19.5f
#define PH_TITLE_SMALL_SIZE 13.0f
#define PH_TITLE_SMALL_LH 16.0f
#define PH_TITLE_LINES 8
#define PH_TITLE_FULL_LINES 3 /* more at full size: the smaller one */
#define PH_NAME_SIZE 20.0f    /* a policy's name */
#define PH_NAME_BASE 19.0f
#define PH_NAME_LH 24.0f
#define PH_NAME_LINES 3
#define PH_AREAS_LINES 3 /* an agreement's neighbourhoods */
#define PH_LIFE_LINES 2	 /* its lifecycle; the period's line too */
#define PH_MIN_H 44.0f	 /* the rule never rises above this, below the top */
#define PH_RULE_GAP 7.0f /* between the last line and the rule */
#define PH_BELOW 10.0f	 /* between the rule and the content */

/* Footer (every page) and running header (pages after the first): a
 * hairline, the document's name on the left, the page or the period on
 * the right. */
#define FOOT_RULE 11.0f /* above the footer's baseline */
#define FOOT_SIZE 7.0f
#define FOOT_LEFT_W (CONTENT_W - 110.0f)
#define FOOT_RIGHT_W 100.0f
#define RUN_Y (PAGE_H - 38.0f) /* the running header's baseline */
#define RUN_RULE_Y (PAGE_H - 45.0f)
#define RUN_SIZE 7.5f
#define RUN_LEFT_W (CONTENT_W - 170.0f)
#define RUN_RIGHT_W 160.0f

/* A libharu handle kept from one document to the next: the TrueType fonts
 * are parsed once, and libharu recycles their definitions for every new
 * document (HPDF_NewDoc resets their used-glyph marks), so each document
 * embeds exactly the subset it uses, as a fresh handle would. */
struct rep_pdf {
	HPDF_Doc doc;
	struct herr err;
	int used;   /* a document was made: the next one needs HPDF_NewDoc */
	int loaded; /* the fonts' definitions are in the handle */
	char reg_name[128], bold_name[128];
	HPDF_UINT16 (*cid_map)[256]; /* the UTF-8 encoder's, kept: new_fonts */
};

static void on_error(HPDF_STATUS code, HPDF_STATUS detail, void *data)
{
	struct herr *e = data;

	if (!e->set) {
		e->set = 1;
		e->code = (unsigned long)code;
		e->detail = (unsigned long)detail;
	}
}

/* --- page 1: header -------------------------------------------------------------- */

/* The title block: kicker, names, facts on the left; the period and the
 * as-of date, large, on the right; an accent rule below. */
static int draw_page_header(struct pdf *p)
{
	const struct scorecard *sc = p->sc;
	const float rw = PH_PERIOD_W, lw = CONTENT_W - rw - PH_PERIOD_GAP,
		    rx = MARGIN + CONTENT_W - rw;
	float top = p->y, y = top, size, lh;
	char a[CELL], line_buf[TEXT_MAX], big[TEXT_MAX];
	int agreement = sc->level == CAT_AGREEMENT, n, rc;

	pd_text_box(p, p->bold, PH_KICKER_SIZE, C_ACCENT, MARGIN, y - PH_KICKER_BASE, lw, AL_LEFT,
		    lbl_kicker(sc));
	/* The period block is two lines high (to top - 36): below it, text
	 * takes the full width. */
	pd_text_box(p, p->bold, PH_PERIOD_SIZE, C_ACCENT, rx, top - PH_PERIOD_BASE, rw, AL_RIGHT,
		    sc->period);
	if ((rc = fmt_date(sc->period_end, FMT_DATE_LONG, p->loc, a, sizeof(a))) < 0)
		return rc;
	lbl_say(line_buf, sizeof(line_buf), "%s %s", pd_tr(p, "dati al", "data as of"), a);
	pd_text_box(p, p->bold, PH_ASOF_SIZE, C_INK, rx, top - PH_ASOF_BASE, rw, AL_RIGHT,
		    line_buf);
	y -= PH_KICKER_H;
	if (agreement) {
		const char *title = sc->agreement_title ? sc->agreement_title : fmt_null;

		pd_text_box(p, p->bold, PH_POLICY_SIZE, C_ACCENT, MARGIN, y - PH_POLICY_BASE, lw,
			    AL_LEFT, sc->policy_name ? sc->policy_name : fmt_null);
		y -= PH_POLICY_H;
		/* Long titles wrap; very long ones are set smaller rather
		 * than cut. */
		size = PH_TITLE_SIZE;
		lh = PH_TITLE_LH;
		if (pd_count_lines(p->bold, size, CONTENT_W, PH_TITLE_LINES, title) >
		    PH_TITLE_FULL_LINES) {
			size = PH_TITLE_SMALL_SIZE;
			lh = PH_TITLE_SMALL_LH;
		}
		n = pd_paragraph(p, p->bold, size, lh, C_INK, MARGIN, y - size * PH_TITLE_ASCENT,
				 CONTENT_W, AL_LEFT, PH_TITLE_LINES, title);
		y -= (float)n * lh + PH_NAME_GAP;
		lbl_say(line_buf, sizeof(line_buf), "%s %s · %s: %s",
			pd_tr(p, "Accordo", "Agreement"),
			sc->agreement_code ? sc->agreement_code : fmt_null,
			pd_tr(p, "stato", "status"),
			fmt_agreement_status(sc->agreement_status, p->loc));
		pd_text_box(p, p->reg, BODY_SIZE, C_INK, MARGIN, y - BODY_BASE, CONTENT_W, AL_LEFT,
			    line_buf);
		y -= PH_FACT_H;
		lbl_neighbourhoods(sc, big, sizeof(big));
		lbl_say(line_buf, sizeof(line_buf), "%s: %s",
			sc->n_neighbourhoods == 1 ? pd_tr(p, "Quartiere", "Neighbourhood")
						  : pd_tr(p, "Quartieri", "Neighbourhoods"),
			big[0] ? big : fmt_null);
		n = pd_paragraph(p, p->reg, BODY_SIZE, BODY_LH, C_INK, MARGIN, y - BODY_BASE,
				 CONTENT_W, AL_LEFT, PH_AREAS_LINES, line_buf);
		y -= (float)n * BODY_LH + PH_FACT_GAP;
		if ((rc = lbl_lifecycle(sc, big, sizeof(big))) < 0)
			return rc;
		lbl_say(line_buf, sizeof(line_buf), "%s: %s", pd_tr(p, "Percorso", "Lifecycle"),
			big);
		n = pd_paragraph(p, p->reg, BODY_SIZE, BODY_LH, C_GREY, MARGIN, y - BODY_BASE,
				 CONTENT_W, AL_LEFT, PH_LIFE_LINES, line_buf);
		y -= (float)n * BODY_LH + PH_FACT_GAP;
	} else if (sc->level == CAT_NEIGHBOURHOOD) {
		if ((rc = pdt_header(p, lw, &y)) < 0)
			return rc;
	} else {
		/* Only the first line of the name sits beside the period. */
		struct lines l;

		pd_wrap2(p->bold, PH_NAME_SIZE, sc->policy_name ? sc->policy_name : fmt_null, lw, 1,
			 CONTENT_W, PH_NAME_LINES, &l);
		for (n = 0; n < l.n; n++)
			pd_draw_line(p, p->bold, PH_NAME_SIZE, C_INK, MARGIN,
				     y - PH_NAME_BASE - (float)n * PH_NAME_LH, n ? CONTENT_W : lw,
				     AL_LEFT, &l, n);
		y -= (float)n * PH_NAME_LH + PH_NAME_GAP;
		lbl_say(line_buf, sizeof(line_buf), "%s %s", pd_tr(p, "Politica", "Policy"),
			sc->policy_code ? sc->policy_code : fmt_null);
		pd_text_box(p, p->reg, BODY_SIZE, C_INK, MARGIN, y - BODY_BASE, CONTENT_W, AL_LEFT,
			    line_buf);
		y -= PH_FACT_H;
	}
	if ((rc = lbl_period(sc, line_buf, sizeof(line_buf))) < 0)
		return rc;
	n = pd_paragraph(p, p->reg, BODY_SIZE, BODY_LH, C_GREY, MARGIN, y - BODY_BASE, CONTENT_W,
			 AL_LEFT, PH_LIFE_LINES, line_buf);
	y -= (float)n * BODY_LH;
	if (y > top - PH_MIN_H)
		y = top - PH_MIN_H;
	y -= PH_RULE_GAP;
	pd_line(p, MARGIN, y, MARGIN + CONTENT_W, y, LW_TITLE, C_ACCENT);
	p->y = y - PH_BELOW;
	return 0;
}

/* --- footers, running headers, metadata --------------------------------------------------- */

static int draw_frames(struct pdf *p)
{
	const struct scorecard *sc = p->sc;
	char left[4 * CELL], right[CELL], a[CELL], b[CELL], asof[CELL];
	int i, rc;

	if ((rc = fmt_date(sc->period_end, FMT_DATE_LONG, p->loc, asof, sizeof(asof))) < 0)
		return rc;
	for (i = 0; i < p->n_pages; i++) {
		p->page = p->pages[i];
		if ((rc = pd_int_text(p, i + 1, a, sizeof(a))) < 0 ||
		    (rc = pd_int_text(p, p->n_pages, b, sizeof(b))) < 0)
			return rc;
		lbl_say(right, sizeof(right), "%s %s %s %s", pd_tr(p, "pagina", "page"), a,
			pd_tr(p, "di", "of"), b);
		lbl_say(left, sizeof(left), "%s · %s · %s",
			pd_tr(p, "Cruscotto di valutazione", "Evaluation scorecard"),
			sc->policy_name ? sc->policy_name : fmt_null, sc->period);
		pd_line(p, MARGIN, FOOTER_Y + FOOT_RULE, MARGIN + CONTENT_W, FOOTER_Y + FOOT_RULE,
			LW_HAIR, C_RULE);
		pd_text_box(p, p->reg, FOOT_SIZE, C_GREY, MARGIN, FOOTER_Y, FOOT_LEFT_W, AL_LEFT,
			    left);
		pd_text_box(p, p->bold, FOOT_SIZE, C_GREY, MARGIN + CONTENT_W - FOOT_RIGHT_W,
			    FOOTER_Y, FOOT_RIGHT_W, AL_RIGHT, right);
		if (i == 0)
			continue;
		/* Pages after the first say whose scorecard they belong to. */
		if (sc->level == CAT_AGREEMENT)
			lbl_say(left, sizeof(left), "%s — %s",
				sc->agreement_code ? sc->agreement_code : fmt_null,
				sc->agreement_title ? sc->agreement_title : fmt_null);
		else if (sc->level == CAT_NEIGHBOURHOOD)
			lbl_say(left, sizeof(left), "%s %s — %s",
				pd_tr(p, "Quartiere", "Neighbourhood"),
				sc->neighbourhood.name	 ? sc->neighbourhood.name
				: sc->neighbourhood.code ? sc->neighbourhood.code
							 : fmt_null,
				sc->policy_name ? sc->policy_name : fmt_null);
		else
			lbl_say(left, sizeof(left), "%s",
				sc->policy_name ? sc->policy_name : fmt_null);
		lbl_say(right, sizeof(right), "%s · %s %s", sc->period,
			pd_tr(p, "dati al", "data as of"), asof);
		pd_text_box(p, p->bold, RUN_SIZE, C_INK, MARGIN, RUN_Y, RUN_LEFT_W, AL_LEFT, left);
		pd_text_box(p, p->reg, RUN_SIZE, C_GREY, MARGIN + CONTENT_W - RUN_RIGHT_W, RUN_Y,
			    RUN_RIGHT_W, AL_RIGHT, right);
		pd_line(p, MARGIN, RUN_RULE_Y, MARGIN + CONTENT_W, RUN_RULE_Y, LW_HAIR, C_RULE);
	}
	return 0;
}

/* Sets an info string (UTF-8; libharu stores it as UTF-16). */
static void __attribute__((format(printf, 3, 4)))
info(struct pdf *p, HPDF_InfoType type, const char *fmt, ...)
{
	char raw[2 * TEXT_MAX / 4], buf[2 * TEXT_MAX / 4];
	va_list ap;

	va_start(ap, fmt);
	lbl_vsay(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	pd_clean(raw, buf, sizeof(buf));
	HPDF_SetInfoAttr(p->doc, type, buf);
}

static int metadata(struct pdf *p)
{
	const struct scorecard *sc = p->sc;
	const char *name = sc->policy_name ? sc->policy_name : "";
	HPDF_Date date;
	char d[CELL];
	int y, m, day, rc;

	/* The creation date comes from the data, never from the clock: the
	 * as-of date, so that identical scorecards give identical bytes.
	 * fmt_date checks that it is a calendar date. */
	if ((rc = fmt_date(sc->period_end, FMT_DATE_SHORT, "it", d, sizeof(d))) < 0)
		return rc;
	if (sscanf(sc->period_end, "%4d-%2d-%2d", &y, &m, &day) != 3)
		return err_set(ERR_FAIL, "PDF: bad as-of date %s", sc->period_end);
	memset(&date, 0, sizeof(date));
	date.year = y;
	date.month = m;
	date.day = day;
	date.ind = 'Z';
	HPDF_SetInfoDateAttr(p->doc, HPDF_INFO_CREATION_DATE, date);
	HPDF_SetInfoDateAttr(p->doc, HPDF_INFO_MOD_DATE, date);
	if (sc->level == CAT_AGREEMENT) {
		info(p, HPDF_INFO_TITLE, "%s — %s — %s — %s",
		     pd_tr(p, "Cruscotto di valutazione", "Evaluation scorecard"), name,
		     sc->agreement_title ? sc->agreement_title : "", sc->period);
		info(p, HPDF_INFO_SUBJECT, "%s %s, %s %s",
		     pd_tr(p, "Valutazione dell'accordo di cittadinanza",
			   "Evaluation of citizenship agreement"),
		     sc->agreement_code ? sc->agreement_code : "", pd_tr(p, "periodo", "period"),
		     sc->period);
	} else if (sc->level == CAT_NEIGHBOURHOOD) {
		info(p, HPDF_INFO_TITLE, "%s — %s — %s — %s",
		     pd_tr(p, "Cruscotto di valutazione", "Evaluation scorecard"), name,
		     sc->neighbourhood.name ? sc->neighbourhood.name : "", sc->period);
		info(p, HPDF_INFO_SUBJECT, "%s %s, %s %s",
		     pd_tr(p, "Valutazione del quartiere", "Evaluation of neighbourhood"),
		     sc->neighbourhood.code ? sc->neighbourhood.code : "",
		     pd_tr(p, "periodo", "period"), sc->period);
	} else {
		info(p, HPDF_INFO_TITLE, "%s — %s — %s",
		     pd_tr(p, "Cruscotto di valutazione", "Evaluation scorecard"), name,
		     sc->period);
		info(p, HPDF_INFO_SUBJECT, "%s %s, %s %s",
		     pd_tr(p, "Valutazione della politica", "Evaluation of policy"),
		     sc->policy_code ? sc->policy_code : "", pd_tr(p, "periodo", "period"),
		     sc->period);
	}
	info(p, HPDF_INFO_AUTHOR, "%s", name);
	info(p, HPDF_INFO_CREATOR, "%s", "cruscotto");
	if (sc->level == CAT_AGREEMENT)
		info(p, HPDF_INFO_KEYWORDS, "%s %s %s", sc->policy_code ? sc->policy_code : "",
		     sc->agreement_code ? sc->agreement_code : "", sc->period);
	else if (sc->level == CAT_NEIGHBOURHOOD)
		info(p, HPDF_INFO_KEYWORDS, "%s %s %s", sc->policy_code ? sc->policy_code : "",
		     sc->neighbourhood.code ? sc->neighbourhood.code : "", sc->period);
	else
		info(p, HPDF_INFO_KEYWORDS, "%s %s", sc->policy_code ? sc->policy_code : "",
		     sc->period);
	return 0;
}

/* libharu 2.3 gives a TrueType font under the UTF-8 encoder a ToUnicode
 * stream that is really an identity CID CMap ("begincidrange"): poppler
 * warns and guesses, other readers may extract nothing. The codes it writes
 * are the text's Unicode code points (BMP), so the right ToUnicode is the
 * identity: rewritten here, in the stream libharu already links, for the
 * blocks of 256 code points that hold one drawn in the font (bits: see
 * struct pdf), as ranges of one block each, as a CMap wants them (every
 * block of the BMP would make 5.6 kB to deflate twice per document). This
 * uses the font record of the installed hpdf_font.h, which matches the
 * library the headers ship with. */
static int fix_to_unicode(struct pdf *p, HPDF_Font font, const unsigned char *bits)
{
	HPDF_FontAttr attr = font ? (HPDF_FontAttr)font->attr : NULL;
	HPDF_Dict cmap = attr && attr->type == HPDF_FONT_TYPE0_TT ? attr->cmap_stream : NULL;
	HPDF_Stream s = cmap ? cmap->stream : NULL;
	char buf[64];
	int hi, i, n = 0, ranges = 0, used[256];

	if (!s)
		return err_set(ERR_FAIL, "PDF: unexpected libharu font layout");
	for (hi = 0; hi < 256; hi++) {
		used[hi] = 0;
		for (i = 0; i < 32 && !used[hi]; i++)
			used[hi] = bits[hi * 32 + i] != 0;
		ranges += used[hi];
	}
	HPDF_MemStream_FreeData(s);
	HPDF_Stream_WriteStr(s, "/CIDInit /ProcSet findresource begin\n"
				"12 dict begin\nbegincmap\n"
				"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) "
				"/Supplement 0 >> def\n"
				"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
				"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
	/* At most 100 entries per block; a range may vary in its last byte only. */
	for (hi = 0; hi < 256; hi++) {
		if (!used[hi])
			continue;
		if (n % 100 == 0) {
			snprintf(buf, sizeof(buf), "%d beginbfrange\n",
				 ranges - n < 100 ? ranges - n : 100);
			HPDF_Stream_WriteStr(s, buf);
		}
		snprintf(buf, sizeof(buf), "<%02X00> <%02XFF> <%02X00>\n", hi, hi, hi);
		HPDF_Stream_WriteStr(s, buf);
		if (++n % 100 == 0 || n == ranges)
			HPDF_Stream_WriteStr(s, "endbfrange\n");
	}
	HPDF_Stream_WriteStr(s, "endcmap\nCMapName currentdict /CMap defineresource pop\n"
				"end\nend\n");
	return pd_check(p);
}

/* The document's two fonts. libharu 2.3 makes a font under the UTF-8
 * encoder by looking up the glyph of every code point of the BMP (a linear
 * search of the font's cmap, 65,536 times per font) to write a /W array
 * and a CIDToGIDMap that trim_font replaces anyway with those of the code
 * points drawn: a quarter of a scorecard's time. While the fonts are made,
 * the encoder passes for a CMap encoder, which libharu reads through its
 * code-to-CID table instead, and that table is empty but for the space:
 * one lookup. Both are restored before any text is drawn (text is written
 * as code points through the encoder's other functions). */
static int new_fonts(struct pdf *p, struct rep_pdf *r)
{
	HPDF_Encoder enc = HPDF_GetEncoder(p->doc, "UTF-8");
	HPDF_CMapEncoderAttr ea =
		enc && enc->type == HPDF_ENCODER_TYPE_DOUBLE_BYTE ? enc->attr : NULL;
	HPDF_Encoder_ToUnicode_Func to_unicode;
	HPDF_UINT16 keep;

	if (!ea)
		return pd_check(p) ? ERR_FAIL : err_set(ERR_FAIL, "PDF: no UTF-8 encoder");
	if (!r->cid_map) {
		r->cid_map = malloc(sizeof(ea->cid_map));
		if (!r->cid_map)
			return err_set(ERR_FAIL, "out of memory");
		memcpy(r->cid_map, ea->cid_map, sizeof(ea->cid_map));
	}
	/* libharu wants at least one CID: the space's */
	keep = r->cid_map[0][' '];
	memset(ea->cid_map, 0, sizeof(ea->cid_map));
	ea->cid_map[0][' '] = keep ? keep : ' ';
	to_unicode = enc->to_unicode_fn;
	enc->to_unicode_fn = HPDF_CMapEncoder_ToUnicode;
	p->reg = HPDF_GetFont(p->doc, r->reg_name, "UTF-8");
	p->bold = p->reg ? HPDF_GetFont(p->doc, r->bold_name, "UTF-8") : NULL;
	enc->to_unicode_fn = to_unicode;
	memcpy(ea->cid_map, r->cid_map, sizeof(ea->cid_map));
	return 0;
}

/* Parses the TrueType font of bytes (len) into the handle, to be embedded
 * with subset tag `tag`, as HPDF_LoadTTFontFromFile would from a file; the
 * definition keeps its memory stream for the subsets it writes. Returns its
 * name, or NULL with the handle's error set. */
static const char *load_font(struct pdf *p, const unsigned char *bytes, unsigned long len,
			     const char *tag)
{
	HPDF_Stream s = HPDF_MemStream_New(p->doc->mmgr, 0x10000);
	HPDF_FontDef def;

	if (!s)
		return NULL;
	if (HPDF_Stream_Write(s, bytes, (HPDF_UINT)len) != HPDF_OK) {
		HPDF_Stream_Free(s);
		return NULL;
	}
	def = HPDF_TTFontDef_Load(p->doc->mmgr, s, HPDF_TRUE);
	if (!def)
		return NULL; /* libharu freed the stream */
	if (HPDF_Doc_RegisterFontDef(p->doc, def) != HPDF_OK) {
		HPDF_FontDef_Free(def);
		return NULL;
	}
	HPDF_TTFontDef_SetTagName(def, (char *)tag);
	return def->base_font;
}

/* The fonts of a document: parsed into the handle the first time (from
 * pdf_fonts.h: no file is read), then taken from the definitions libharu
 * keeps. */
static int load_fonts(struct pdf *p, struct rep_pdf *r)
{
	const char *name;

	if (!r->loaded && HPDF_UseUTFEncodings(p->doc) != HPDF_OK)
		return pd_check(p) ? ERR_FAIL : err_set(ERR_FAIL, "PDF: no UTF-8 encoder");
	if (HPDF_SetCurrentEncoder(p->doc, "UTF-8") != HPDF_OK)
		return pd_check(p) ? ERR_FAIL : err_set(ERR_FAIL, "PDF: no UTF-8 encoder");
	if (!r->loaded) {
		name = load_font(p, pdf_font_regular, pdf_font_regular_len, "HPDFAA");
		if (name)
			snprintf(r->reg_name, sizeof(r->reg_name), "%s", name);
		name = name ? load_font(p, pdf_font_bold, pdf_font_bold_len, "HPDFAB") : NULL;
		if (name)
			snprintf(r->bold_name, sizeof(r->bold_name), "%s", name);
		r->loaded = name != NULL;
	}
	if (r->loaded && new_fonts(p, r) < 0)
		return ERR_FAIL;
	if (!p->reg || !p->bold)
		return err_set(ERR_FAIL,
			       "PDF: cannot load the DejaVu Sans fonts: libharu error 0x%04lX",
			       p->err->code);
	return pd_check(p);
}

/* libharu 2.3 describes every code point of the BMP in a TrueType font
 * under the UTF-8 encoder: a /W array of some 6,000 widths and a
 * CIDToGIDMap of 65,536 entries, per font and per document (70 kB of a
 * 200 kB scorecard). A document needs only the code points it draws:
 * both are rewritten here for those, with the same widths and glyphs
 * libharu gives them. The map ends with the last code point drawn (no
 * other CID is used) and gives the others glyph 0: deflating 128 kB of
 * zeros twice per document cost more than the text. */
static int trim_font(struct pdf *p, HPDF_Font font, const unsigned char *bits)
{
	HPDF_FontAttr attr = font ? (HPDF_FontAttr)font->attr : NULL;
	HPDF_Font desc = attr ? attr->descendant_font : NULL;
	HPDF_FontDef def = attr ? attr->fontdef : NULL;
	HPDF_Dict map = attr ? attr->map_stream : NULL;
	HPDF_Array w = desc ? HPDF_Dict_GetItem(desc, "W", HPDF_OCLASS_ARRAY) : NULL;
	HPDF_Array run = NULL;
	HPDF_INT16 dw = def ? def->missing_width : 0;
	HPDF_BYTE *gids = NULL;
	unsigned cp, end = 1; /* map entries: at least CID 0 */
	int rc;

	if (!desc || !def || !map || !map->stream || !w)
		return err_set(ERR_FAIL, "PDF: unexpected libharu font layout");
	gids = calloc(65536, 2);
	if (!gids)
		return err_set(ERR_FAIL, "out of memory");
	HPDF_Array_Clear(w);
	for (cp = 0; cp < 65536; cp++) {
		HPDF_UINT16 gid;
		HPDF_INT16 width;

		if (!((bits[cp >> 3] >> (cp & 7)) & 1)) {
			run = NULL;
			continue;
		}
		gid = HPDF_TTFontDef_GetGlyphid(def, (HPDF_UINT16)cp);
		width = HPDF_TTFontDef_GetGidWidth(def, gid);
		end = cp + 1;
		gids[2 * cp] = (HPDF_BYTE)(gid >> 8);
		gids[2 * cp + 1] = (HPDF_BYTE)gid;
		/* runs of consecutive code points whose width is not the default,
		 * as libharu writes them: c [w1 w2 ...] */
		if (width == dw) {
			run = NULL;
			continue;
		}
		if (!run) {
			run = HPDF_Array_New(w->mmgr);
			if (!run || HPDF_Array_AddNumber(w, (HPDF_INT32)cp) != HPDF_OK ||
			    HPDF_Array_Add(w, run) != HPDF_OK) {
				rc = pd_check(p) ? ERR_FAIL : err_set(ERR_FAIL, "out of memory");
				goto out;
			}
		}
		HPDF_Array_AddNumber(run, width);
	}
	HPDF_MemStream_FreeData(map->stream);
	HPDF_Stream_Write(map->stream, gids, end * 2);
	rc = pd_check(p);
out:
	free(gids);
	return rc;
}

static int trim_fonts(struct pdf *p)
{
	int rc = trim_font(p, p->reg, p->drawn[0]);

	if (rc == 0)
		rc = trim_font(p, p->bold, p->drawn[1]);
	if (rc == 0)
		rc = fix_to_unicode(p, p->reg, p->drawn[0]);
	return rc ? rc : fix_to_unicode(p, p->bold, p->drawn[1]);
}

/* Copies the saved document out of libharu's memory stream into a new
 * buffer (caller frees). */
static int take_bytes(struct pdf *p, unsigned char **out, size_t *len)
{
	HPDF_UINT32 size, got = 0;
	unsigned char *buf = NULL;
	int rc = 0;

	if (HPDF_SaveToStream(p->doc) != HPDF_OK)
		return pd_check(p) ? ERR_FAIL : err_set(ERR_FAIL, "PDF: cannot save");
	size = HPDF_GetStreamSize(p->doc);
	if (size == 0)
		return err_set(ERR_FAIL, "PDF: empty document");
	buf = malloc(size);
	if (!buf)
		return err_set(ERR_FAIL, "out of memory");
	HPDF_ResetStream(p->doc);
	while (got < size) {
		HPDF_UINT32 n = size - got;
		HPDF_STATUS st = HPDF_ReadFromStream(p->doc, buf + got, &n);

		got += n;
		/* The read that reaches the end may say HPDF_STREAM_EOF. */
		if (n == 0 || (st != HPDF_OK && st != HPDF_STREAM_EOF))
			break;
	}
	if (got != size) {
		rc = err_set(ERR_FAIL, "PDF: read %lu of %lu bytes", (unsigned long)got,
			     (unsigned long)size);
		goto out;
	}
	*out = buf;
	*len = size;
	buf = NULL;
out:
	free(buf);
	return rc;
}

static int draw(struct pdf *p)
{
	int d, rc;

	int nb = p->sc->level == CAT_NEIGHBOURHOOD;

	if ((rc = pd_new_page(p)) < 0 || (rc = draw_page_header(p)) < 0 ||
	    (rc = pds_tiles(p)) < 0 || (rc = pds_scores(p)) < 0)
		return rc;
	/* A neighbourhood's summary has its survey results too, and its trends
	 * whole, on page 2 when page 1 is full. */
	if (nb && (rc = pdt_results(p)) < 0)
		return rc;
	if ((rc = pdc_trends(p, nb)) < 0)
		return rc;
	/* Page 1 is the summary; the detail starts on a page of its own (for a
	 * neighbourhood whose trends moved to page 2, below them). */
	if ((!nb || p->n_pages == 1) && (rc = pd_new_page(p)) < 0)
		return rc;
	if ((rc = pds_legend(p)) < 0)
		return rc;
	for (d = 0; d < DIM_COUNT; d++)
		if ((rc = pds_dimension_table(p, (enum cat_dimension)d)) < 0)
			return rc;
	if (p->sc->level == CAT_AGREEMENT) {
		if ((rc = pda_ex_ante(p)) < 0 || (rc = pda_projects(p)) < 0 ||
		    (rc = pda_milestones(p)) < 0)
			return rc;
	} else if (p->sc->level == CAT_NEIGHBOURHOOD) {
		if ((rc = pdt_covering(p)) < 0)
			return rc;
	} else if ((rc = pda_ranks(p)) < 0 || (rc = pdt_territories(p)) < 0) {
		return rc;
	}
	if ((rc = pdt_evidence(p)) < 0 || (rc = pds_notes(p)) < 0 || (rc = draw_frames(p)) < 0)
		return rc;
	return pd_check(p);
}

int rep_pdf_new(struct rep_pdf **out)
{
	struct rep_pdf *r = calloc(1, sizeof(*r));

	if (!r)
		return err_set(ERR_FAIL, "out of memory");
	r->doc = HPDF_New(on_error, &r->err);
	if (!r->doc) {
		free(r);
		return err_set(ERR_FAIL, "PDF: cannot create a document (out of memory)");
	}
	*out = r;
	return 0;
}

void rep_pdf_free(struct rep_pdf *r)
{
	if (!r)
		return;
	HPDF_Free(r->doc);
	free(r->cid_map);
	free(r);
}

int rep_pdf_draw(struct rep_pdf *r, const struct scorecard *sc, unsigned char **out, size_t *len)
{
	struct pdf p;
	unsigned char *bytes = NULL;
	size_t size = 0;
	int rc;

	memset(&p, 0, sizeof(p));
	memset(&r->err, 0, sizeof(r->err));
	p.sc = sc;
	p.loc = sc->locale;
	p.doc = r->doc;
	p.err = &r->err;
	/* the previous document goes; the font definitions stay */
	if (r->used && HPDF_NewDoc(r->doc) != HPDF_OK) {
		rc = pd_check(&p) ? ERR_FAIL : err_set(ERR_FAIL, "PDF: cannot start a document");
		goto out;
	}
	r->used = 1;
	/* zlib at its fixed default level: same input, same bytes. */
	if (HPDF_SetCompressionMode(p.doc, HPDF_COMP_ALL) != HPDF_OK) {
		rc = pd_check(&p) ? ERR_FAIL : err_set(ERR_FAIL, "PDF: no compression");
		goto out;
	}
	if ((rc = load_fonts(&p, r)) < 0 || (rc = metadata(&p)) < 0 || (rc = draw(&p)) < 0 ||
	    (rc = trim_fonts(&p)) < 0 || (rc = take_bytes(&p, &bytes, &size)) < 0 ||
	    (rc = pd_check(&p)) < 0)
		goto out;
	*out = bytes;
	*len = size;
	bytes = NULL;
out:
	free(bytes);
	free(p.pages);
	return rc;
}

int rep_pdf_render(const struct scorecard *sc, unsigned char **out, size_t *len)
{
	struct rep_pdf *r = NULL;
	int rc = rep_pdf_new(&r);

	if (rc == 0)
		rc = rep_pdf_draw(r, sc, out, len);
	rep_pdf_free(r);
	return rc;
}
