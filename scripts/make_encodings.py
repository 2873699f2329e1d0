"""Encoding variants of one GBK HTML report (gen_corpus.py's Word-HTML rendition), each decoding to
the same text:

    enc_utf8bom_<stem>.html      UTF-8 with BOM, meta says utf-8
    enc_utf8nometa_<stem>.html   UTF-8, no meta charset
    enc_utf8lying_<stem>.html    UTF-8 bytes under a gb2312 meta (CMS re-save)
    enc_gb18030_<stem>.html      GB18030, meta says gb18030
    enc_gbknometa_<stem>.html    GBK, no meta charset
    enc_big5_<stem>.html         Big5, meta says big5; characters Big5 lacks as &#NNNNN; entities
    enc_big5lying_<stem>.html    the same Big5 bytes under a gb2312 meta
    enc_fullwidth_<stem>.html    UTF-8; digits, commas, colons and brackets of the text full-width,
                                 年 and 月 as numeric character references, quotes as &ldquo; &rdquo;

    python3 scripts/make_encodings.py GBK_HTML STEM
"""
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
META = re.compile(r'<meta http-equiv=Content-Type content="text/html; charset=[^"]*">\n?')


def with_meta(text, charset):
    if charset is None:
        return META.sub("", text, count=1)
    return META.sub(f'<meta http-equiv=Content-Type content="text/html; charset={charset}">\n', text, count=1)


FULL = str.maketrans({**{chr(0x30 + i): chr(0xFF10 + i) for i in range(10)},
                      ",": "，", ":": "：", "(": "（", ")": "）"})


def fullwidth(text):
    """Full-width digits and punctuation, and entities, in text nodes only (not in tags)."""
    def node(m):
        t = m.group(1).translate(FULL)
        t = t.replace("年", "&#24180;").replace("月", "&#x6708;")
        return ">" + t.replace("“", "&ldquo;").replace("”", "&rdquo;") + "<"
    head, sep, body = text.partition("<body")
    return head + sep + re.sub(r">([^<]*)<", node, body)


def main():
    src, stem = Path(sys.argv[1]), sys.argv[2]
    text = src.read_bytes().decode("gbk")
    assert META.search(text), "no meta charset in the source"
    out = ROOT / "corpus"
    variants = {
        "utf8bom": b"\xef\xbb\xbf" + with_meta(text, "utf-8").encode("utf-8"),
        "utf8nometa": with_meta(text, None).encode("utf-8"),
        "utf8lying": with_meta(text, "gb2312").encode("utf-8"),
        "gb18030": with_meta(text, "gb18030").encode("gb18030"),
        "gbknometa": with_meta(text, None).encode("gbk"),
        "big5": with_meta(text, "big5").encode("big5", errors="xmlcharrefreplace"),
        "big5lying": with_meta(text, "gb2312").encode("big5", errors="xmlcharrefreplace"),
        "fullwidth": fullwidth(with_meta(text, "utf-8")).encode("utf-8"),
    }
    for name, data in variants.items():
        (out / f"enc_{name}_{stem}.html").write_bytes(data)


if __name__ == "__main__":
    main()
