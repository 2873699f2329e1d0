"""MHT ("single file web page") renditions: a GBK Word-HTML report wrapped in MIME multipart/related
the way Word writes it, once with the HTML part quoted-printable (.mht) and once base64 (.mhtml).

    python3 scripts/make_mht.py WORKDIR STEM...   # reads WORKDIR/gbk_<STEM>.html, writes corpus/mht_<STEM>.*
Standard library only.
"""
import base64
import quopri
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BOUNDARY = "----=_NextPart_01DA0000.6C3F2E10"
# A 1x1 PNG, as Word adds the images of the page.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
PREAMBLE = "此文档为“单个文件网页”，也称为“Web 档案”文件。如果您看到此消息，但是您的浏览器或编辑器不支持“Web 档案”文件。请下载支持“Web 档案”的浏览器。"


def crlf(b):
    return b.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def part(headers, body):
    h = "".join(f"{k}: {v}\r\n" for k, v in headers)
    return b"\r\n--" + BOUNDARY.encode() + b"\r\n" + h.encode("ascii") + b"\r\n" + body


def mht(html, stem, b64):
    out = (f"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"{BOUNDARY}\"\r\n\r\n"
           ).encode("ascii") + PREAMBLE.encode("gbk") + b"\r\n"
    loc = f"file:///C:/Users/Administrator/Desktop/{stem}.htm"
    if b64:
        body = base64.encodebytes(html).replace(b"\n", b"\r\n")
        enc = "base64"
    else:
        body = crlf(quopri.encodestring(crlf(html)))
        enc = "quoted-printable"
    out += part([("Content-Location", loc), ("Content-Transfer-Encoding", enc),
                 ("Content-Type", 'text/html; charset="gb2312"')], body)
    out += part([("Content-Location", f"file:///C:/Users/Administrator/Desktop/{stem}.files/image001.png"),
                 ("Content-Transfer-Encoding", "base64"), ("Content-Type", "image/png")],
                base64.encodebytes(PNG).replace(b"\n", b"\r\n"))
    filelist = ('<xml xmlns:o="urn:schemas-microsoft-com:office:office">\n <o:MainFile HRef="../'
                + stem + '.htm"/>\n <o:File HRef="image001.png"/>\n</xml>').encode()
    out += part([("Content-Location", f"file:///C:/Users/Administrator/Desktop/{stem}.files/filelist.xml"),
                 ("Content-Transfer-Encoding", "quoted-printable"), ("Content-Type", 'text/xml; charset="utf-8"')],
                crlf(quopri.encodestring(filelist)))
    return out + b"\r\n--" + BOUNDARY.encode() + b"--\r\n"


def main():
    work, stems = Path(sys.argv[1]), sys.argv[2:]
    for stem in stems:
        html = (work / f"gbk_{stem}.html").read_bytes()
        (ROOT / "corpus" / f"mht_{stem}.mht").write_bytes(mht(html, stem, b64=False))
        (ROOT / "corpus" / f"mht_{stem}.mhtml").write_bytes(mht(html, stem, b64=True))


if __name__ == "__main__":
    main()
