/* pdf_fonts: DejaVu Sans and DejaVu Sans Bold as the PDF writer embeds them,
 * generated at build time by reports/pdf_fonts.py (which says what they keep)
 * from the files of fonts-dejavu-core. Internal to reports/. */
#ifndef CR_PDF_FONTS_H
#define CR_PDF_FONTS_H

/* The TrueType files, in memory: the regular and the bold face. */
extern const unsigned char pdf_font_regular[];
extern const unsigned long pdf_font_regular_len;
extern const unsigned char pdf_font_bold[];
extern const unsigned long pdf_font_bold_len;

/* The advance width of code point cp (BMP) in 1/1000 em in each font, as
 * libharu measures it (HPDF_TTFontDef_GetCharWidth; .notdef's for a code
 * point the font lacks): blocks[index[cp >> 8]][cp & 0xFF]. */
extern const unsigned char pdf_font_regular_widths_index[256];
extern const short pdf_font_regular_widths_blocks[][256];
extern const unsigned char pdf_font_bold_widths_index[256];
extern const short pdf_font_bold_widths_blocks[][256];

#endif
