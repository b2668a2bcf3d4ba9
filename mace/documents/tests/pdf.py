"""Reading back the text of a PDF that MACE made, so a test can say what a printed document
shows and does not show. WeasyPrint writes text as glyph numbers of subset fonts; each
font carries a ToUnicode map from its glyphs back to characters, which this follows. It
reads only what WeasyPrint writes (Flate streams with direct lengths, Type0 fonts)."""

import re
import zlib

_STREAM = re.compile(rb"(\d+) 0 obj\s*<<(.*?)>>\s*stream\r?\n", re.S)
_FONT = re.compile(rb"/BaseFont /(\w+)\+[^/]*/ToUnicode (\d+) 0 R")
_BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
_PAIR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>")
_SHOW = re.compile(rb"/(\w+) [\d.]+ Tf|\[(.*?)\] TJ", re.S)
_GLYPHS = re.compile(rb"<([0-9a-fA-F]+)>")


def _streams(content: bytes) -> dict[int, bytes]:
    found: dict[int, bytes] = {}
    for match in _STREAM.finditer(content):
        length = re.search(rb"/Length (\d+)", match.group(2))
        assert length is not None, "a stream whose length is not given directly"
        data = content[match.end() : match.end() + int(length.group(1))]
        found[int(match.group(1))] = (
            zlib.decompress(data) if b"/FlateDecode" in match.group(2) else data
        )
    return found


def _to_unicode(cmap: bytes) -> dict[bytes, str]:
    return {
        glyph.lower(): bytes.fromhex(text.decode()).decode("utf-16-be")
        for block in _BFCHAR.findall(cmap)
        for glyph, text in _PAIR.findall(block)
    }


def pdf_text(content: bytes) -> str:
    """The PDF's text, one line per run of text, in the order it is drawn."""
    streams = _streams(content)
    everything = content + b"\n".join(streams.values())
    fonts = {
        name: _to_unicode(streams[int(ref)])
        for name, ref in _FONT.findall(everything)
        if int(ref) in streams
    }
    lines: list[str] = []
    for data in streams.values():
        if b" TJ" not in data:
            continue
        font: dict[bytes, str] = {}
        for name, shown in _SHOW.findall(data):
            if name:
                font = fonts[name]
                continue
            codes = b"".join(_GLYPHS.findall(shown)).lower()
            lines.append("".join(font.get(codes[i : i + 4], "?") for i in range(0, len(codes), 4)))
    return "\n".join(lines)
