#!/usr/bin/env python3
"""Embeds DejaVu Sans and DejaVu Sans Bold in the PDF writer, cut down to the
scripts a scorecard may need (build step; python3-fonttools).

usage: pdf_fonts.py REGULAR.ttf BOLD.ttf OUT.c

The PDF writer embeds in each document the glyphs it draws, but libharu also
copies the font's other tables (metrics, glyph locations, names) whole into
every document: 137 kB per font and document for the 6,196 glyphs of DejaVu
Sans. Here the fonts keep the glyphs of Latin (with every extension and the
combining marks), Greek (with polytonic), Cyrillic, Armenian, Hebrew,
Georgian, punctuation, currency, letterlike symbols, arrows, mathematical
operators, geometric shapes and the Latin ligatures (RANGES), and lose the
glyph names (post format 3) and the OpenType layout tables, which libharu
never writes, and their TrueType hinting: the glyphs' instructions were
half of every embedded glyph's bytes, and the programs and control values
that they call (fpgm, prep, cvt) 1.4 kB a font and document, for screens
of low resolution that PDF viewers rasterize without them (poppler draws
the same pixels either way). libharu embeds a font only with those three
tables, so they stay, empty. Outlines, metrics, the header (bounding box,
flags, dates: the same bytes on every build) and the name table (copyright
and licence, Windows records) are DejaVu's own. OUT.c holds both fonts as
byte arrays, and their advance widths by code point (pdf_fonts.h)."""
import io
import sys
from array import array as short_array

from fontTools import subset
from fontTools.ttLib import TTFont, newTable
from fontTools.ttLib.tables import ttProgram

# Code point ranges kept (inclusive).
RANGES = [
    (0x0020, 0x007E),  # Basic Latin
    (0x00A0, 0x024F),  # Latin-1, Latin Extended-A and -B
    (0x0250, 0x036F),  # IPA, spacing modifiers, combining diacritical marks
    (0x0370, 0x03FF),  # Greek and Coptic
    (0x0400, 0x052F),  # Cyrillic and its supplement
    (0x0530, 0x058F),  # Armenian
    (0x0590, 0x05FF),  # Hebrew (drawn left to right: libharu has no bidi)
    (0x10A0, 0x10FF),  # Georgian
    (0x1D00, 0x1DBF),  # phonetic extensions (the subscript i of formulas)
    (0x1E00, 0x1EFF),  # Latin Extended Additional (Vietnamese, Welsh...)
    (0x1F00, 0x1FFF),  # Greek Extended (polytonic)
    (0x2000, 0x206F),  # general punctuation: dashes, quotes, bullets, ellipsis
    (0x2070, 0x209F),  # superscripts and subscripts
    (0x20A0, 0x20CF),  # currency symbols (euro)
    (0x2100, 0x218F),  # letterlike symbols, number forms (fractions, roman numerals)
    (0x2190, 0x21FF),  # arrows
    (0x2200, 0x22FF),  # mathematical operators
    (0x2300, 0x230F),  # floor and ceiling
    (0x25A0, 0x25FF),  # geometric shapes (the status marks)
    (0x2713, 0x2718),  # check and ballot marks
    (0xFB00, 0xFB06),  # Latin ligatures (text pasted from PDFs)
    (0xFFFD, 0xFFFD),  # replacement character
]


def cut(path):
    font = TTFont(path, recalcBBoxes=False, recalcTimestamp=False)
    opts = subset.Options()
    opts.layout_features = []
    opts.layout_closure = False
    opts.glyph_names = False
    opts.notdef_outline = True
    opts.hinting = False
    opts.name_IDs = ['*']
    opts.name_languages = ['*']
    opts.name_legacy = False  # the Windows records only: one copy of each
    opts.drop_tables += ['GSUB', 'GPOS', 'GDEF', 'kern', 'FFTM', 'MATH']
    sub = subset.Subsetter(options=opts)
    sub.populate(unicodes=[u for lo, hi in RANGES for u in range(lo, hi + 1)])
    sub.subset(font)
    font['post'].formatType = 3.0
    # libharu embeds a font only with these three tables; without hinting
    # they are empty
    for tag in ('fpgm', 'prep'):
        font[tag] = newTable(tag)
        font[tag].program = ttProgram.Program()
        font[tag].program.fromBytecode(b'')
    font['cvt '] = newTable('cvt ')
    font['cvt '].values = short_array('h')
    out = io.BytesIO()
    font.save(out, reorderTables=True)
    return out.getvalue()


def widths(name, data):
    """The advance width of every BMP code point in 1/1000 em, as libharu's
    HPDF_TTFontDef_GetCharWidth gives it (glyph from the Windows Unicode
    cmap, .notdef when none; width * 1000 / unitsPerEm, truncated), in
    blocks of 256 code points, the same block stored once."""
    font = TTFont(io.BytesIO(data))
    cmap = font['cmap'].getcmap(3, 1).cmap
    hmtx = font['hmtx'].metrics
    upem = font['head'].unitsPerEm
    order = font.getGlyphOrder()
    blocks, index = [], []
    for hi in range(256):
        row = tuple(hmtx[cmap.get(hi * 256 + lo, order[0])][0] * 1000 // upem
                    for lo in range(256))
        if row not in blocks:
            blocks.append(row)
        index.append(blocks.index(row))
    rows = ['{%s}' % ', '.join(str(w) for w in b) for b in blocks]
    return ('const unsigned char %s_index[256] = {%s};\n'
            'const short %s_blocks[][256] = {\n%s\n};\n'
            % (name, ', '.join(str(i) for i in index), name, ',\n'.join(rows)))


def array(name, data):
    rows = [', '.join(str(b) for b in data[i:i + 24]) for i in range(0, len(data), 24)]
    return ('const unsigned char %s[] = {\n%s\n};\nconst unsigned long %s_len = %d;\n'
            % (name, ',\n'.join(rows), name, len(data)))


def main():
    if len(sys.argv) != 4:
        sys.exit('usage: pdf_fonts.py REGULAR.ttf BOLD.ttf OUT.c')
    reg, bold = cut(sys.argv[1]), cut(sys.argv[2])
    with open(sys.argv[3], 'w') as f:
        f.write('/* generated by reports/pdf_fonts.py from %s and %s */\n#include "pdf_fonts.h"\n\n'
                % (sys.argv[1], sys.argv[2]))
        f.write(array('pdf_font_regular', reg))
        f.write(array('pdf_font_bold', bold))
        f.write(widths('pdf_font_regular_widths', reg))
        f.write(widths('pdf_font_bold_widths', bold))


if __name__ == '__main__':
    main()
