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

#endif
