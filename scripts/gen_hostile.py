#!/usr/bin/env python3
"""Writes the small hostile inputs of corpus/hostile/ (standard library only).

Large inputs (the 50 MB page, the real zip bomb, the million-row vMerge run) are never
committed: tests/hostile.rs makes them at test time. Expected key facts are in
expected/hostile/<name>.json. Several files are the seed report made hostile, so their fields
can be checked against expected/truth/seed_jingshan_2020.json.
"""
import io
import random
import re
import struct
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "corpus" / "hostile"
SEED_DOCX = ROOT / "corpus" / "seed_jingshan_2020.docx"
SEED_HTML = ROOT / "corpus" / "seed_jingshan_2020.html"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

FIXED_TIME = (2020, 1, 1, 0, 0, 0)


def rezip(parts):
    """parts: list of (name, bytes) -> deterministic deflated zip bytes."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts:
            info = zipfile.ZipInfo(name, FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return buf.getvalue()


def seed_parts():
    with zipfile.ZipFile(SEED_DOCX) as z:
        return [(n, z.read(n)) for n in z.namelist()]


def with_document(xml_fn):
    return rezip([(n, xml_fn(d) if n == "word/document.xml" else d) for n, d in seed_parts()])


def seed_document():
    return dict(seed_parts())["word/document.xml"].decode("utf-8")


def minimal_docx(body):
    ct = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
          'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
          'relationships+xml"/><Override PartName="/word/document.xml" ContentType="application/'
          'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
    rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
            'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="word/document.xml"/></Relationships>')
    return [("[Content_Types].xml", ct.encode()), ("_rels/.rels", rels.encode()),
            ("word/document.xml", body.encode())]


def insert_before_body_end(xml, extra):
    i = xml.rindex("<w:sectPr") if "<w:sectPr" in xml else xml.rindex("</w:body>")
    return xml[:i] + extra + xml[i:]


def zip_bomb_declared():
    """A tiny docx whose document.xml claims 4 GB inflated (sizes patched in both headers)."""
    z = bytearray(rezip(minimal_docx(f'<w:document xmlns:w="{W}"><w:body/></w:document>')))
    name = b"word/document.xml"
    # local header: sig(4) ver(2) flag(2) method(2) time(2) date(2) crc(4) csize(4) usize(4) ...
    i = z.find(b"PK\x03\x04" + bytes(0))
    while i != -1:
        nlen = struct.unpack_from("<H", z, i + 26)[0]
        if z[i + 30:i + 30 + nlen] == name:
            struct.pack_into("<I", z, i + 22, 0xFFFFFFF0)
        i = z.find(b"PK\x03\x04", i + 4)
    i = z.find(b"PK\x01\x02")
    while i != -1:
        nlen = struct.unpack_from("<H", z, i + 28)[0]
        if z[i + 46:i + 46 + nlen] == name:
            struct.pack_into("<I", z, i + 24, 0xFFFFFFF0)
        i = z.find(b"PK\x01\x02", i + 4)
    return bytes(z)


def quine_overlap():
    """Two central-directory entries pointing at the same local file (an overlapping-entry
    "quine" bomb shape)."""
    z = bytearray(rezip(minimal_docx(f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>x</w:t>'
                                     '</w:r></w:p></w:body></w:document>')))
    eocd = z.rindex(b"PK\x05\x06")
    cd_size, cd_off = struct.unpack_from("<II", z, eocd + 12)
    cd = bytes(z[cd_off:cd_off + cd_size])
    # Find document.xml's entry and add a copy with another name pointing at the same offset.
    i = 0
    extra = b""
    while i < len(cd):
        nlen, elen, clen = struct.unpack_from("<HHH", cd, i + 28)
        entry = cd[i:i + 46 + nlen + elen + clen]
        if entry[46:46 + nlen] == b"word/document.xml":
            copy = bytearray(entry[:46]) + b"word/documenu.xml" + entry[46 + nlen:]
            extra = bytes(copy)
        i += len(entry)
    new_cd = cd + extra
    count = struct.unpack_from("<H", z, eocd + 10)[0] + 1
    out = bytearray(z[:cd_off]) + new_cd + bytearray(z[eocd:])
    e = len(z[:cd_off]) + len(new_cd)
    struct.pack_into("<HHII", out, e + 8, count, count, len(new_cd), cd_off)
    return bytes(out)


def billion_laughs():
    ents = ['<!ENTITY lol "lol">']
    for k in range(1, 10):
        prev = f"&lol{k-1};" if k > 1 else "&lol;"
        ents.append(f'<!ENTITY lol{k} "{prev * 10}">')
    doctype = "<!DOCTYPE lolz [" + "".join(ents) + "]>"
    xml = seed_document()
    xml = xml.replace("<w:document", doctype + "<w:document", 1)
    xml = insert_before_body_end(xml, "<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>")
    return rezip([(n, xml.encode() if n == "word/document.xml" else d) for n, d in seed_parts()])


def deep_docx():
    deep = "<w:sdt><w:sdtContent>" * 10_000 + "<w:p><w:r><w:t>深</w:t></w:r></w:p>" + \
        "</w:sdtContent></w:sdt>" * 10_000
    return with_document(lambda d: insert_before_body_end(d.decode(), deep).encode())


def deep_html():
    page = SEED_HTML.read_bytes()
    i = page.lower().rindex(b"</body>")
    deep = b"<div>" * 10_000 + b"deep" + b"</div>" * 10_000
    return page[:i] + deep + page[i:]


def truncated_xml_docx():
    xml = seed_document()
    # Cut in the middle of the second table (table 三), inside a row.
    first = xml.index("<w:tbl>")
    second = xml.index("<w:tbl>", first + 1)
    rows = [m.start() for m in re.finditer("<w:tr[ >]", xml[second:])]
    cut = second + rows[len(rows) // 2] + 40
    return rezip([(n, xml[:cut].encode() if n == "word/document.xml" else d)
                  for n, d in seed_parts()])


def truncated_zip():
    data = SEED_DOCX.read_bytes()
    return data[: len(data) * 6 // 10]


def other_prefix():
    xml = seed_document()
    xml = re.sub(r"(</?)w:", r"\1ns0:", xml)
    xml = re.sub(r"(\s)w:([A-Za-z]+=)", r"\1ns0:\2", xml)
    xml = xml.replace("xmlns:ns0=", "xmlns:w=", 0)
    xml = xml.replace('xmlns:w="' + W + '"', 'xmlns:ns0="' + W + '"')
    return rezip([(n, xml.encode() if n == "word/document.xml" else d) for n, d in seed_parts()])


def vmerge_run():
    rows = ['<w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>长</w:t>'
            '</w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>0</w:t></w:r></w:p></w:tc></w:tr>']
    rows += ['<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc><w:tc><w:p/></w:tc></w:tr>'] \
        * 12_000
    table = "<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid>" + "".join(rows) + "</w:tbl>"
    return with_document(lambda d: insert_before_body_end(d.decode(), table).encode())


def rowspan_million_html():
    page = SEED_HTML.read_bytes()
    i = page.lower().rindex(b"</table>") + len(b"</table>")
    t = (b'<table border=1><tr><td rowspan=1000000 colspan=1000000>x</td><td>1</td></tr>'
         b'<tr><td>2</td></tr></table>')
    return page[:i] + t + page[i:]


def wide_grid_html():
    """5000 rows, each one cell spanning 256 columns: a 1.28-million-slot grid from 200 KB."""
    page = SEED_HTML.read_bytes()
    i = page.lower().rindex(b"</table>") + len(b"</table>")
    t = b"<table>" + b"<tr><td colspan=256>1</td></tr>" * 5000 + b"</table>"
    return page[:i] + t + page[i:]


def wide_grid_docx():
    """The same 5000 x 256 grid in Word markup: a declared 256-column grid and gridSpan rows."""
    row = ('<w:tr><w:tc><w:tcPr><w:gridSpan w:val="256"/></w:tcPr><w:p><w:r><w:t>1</w:t></w:r>'
           '</w:p></w:tc></w:tr>')
    table = "<w:tbl><w:tblGrid>" + "<w:gridCol/>" * 256 + "</w:tblGrid>" + row * 5000 + "</w:tbl>"
    return with_document(lambda d: insert_before_body_end(d.decode(), table).encode())


def invalid_utf8_html():
    text = SEED_HTML.read_bytes().decode("gbk")
    text = re.sub(r"charset=[\"']?[A-Za-z0-9_-]+", "charset=utf-8", text)
    data = text.encode("utf-8")
    # Invalid sequences in running text: a lone continuation byte, a cut 3-byte sequence, 0xFF.
    i = data.index("总体情况".encode())
    return data[:i] + b"\x80\xe4\xb8\xff" + data[i:]


def encrypted_ole():
    """An OLE2 compound file laid out like Word's password-protected .docx: a root entry and
    the EncryptionInfo and EncryptedPackage streams (4 KiB each, in regular sectors)."""
    SECT = 512
    FREE, END, FATSECT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
    info = struct.pack("<HHI", 4, 4, 0x40) + b"<encryption xmlns=\"http://schemas.microsoft.com/office/2006/encryption\"/>"
    info = info.ljust(4096, b"\0")
    rng = random.Random(6)
    package = struct.pack("<Q", 20_000) + bytes(rng.randrange(256) for _ in range(4088))
    # sectors: 0 FAT, 1 directory, 2-9 EncryptionInfo, 10-17 EncryptedPackage
    fat = [FATSECT, END] + list(range(3, 10)) + [END] + list(range(11, 18)) + [END]
    fat += [FREE] * (SECT // 4 - len(fat))
    header = bytearray(SECT)
    header[0:8] = bytes([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 40, 0, 1, 1, 0, 4096, END, 0, END, 0)
    difat = [0] + [FREE] * 108
    struct.pack_into("<109I", header, 76, *difat)

    def entry(name, typ, left, right, child, start, size):
        e = bytearray(128)
        n = name.encode("utf-16-le")
        e[0:len(n)] = n
        struct.pack_into("<HBB", e, 64, len(n) + 2 if name else 0, typ, 1)
        struct.pack_into("<III", e, 68, left, right, child)
        struct.pack_into("<IQ", e, 116, start, size)
        return bytes(e)
    NOSTREAM = 0xFFFFFFFF
    d = entry("Root Entry", 5, NOSTREAM, NOSTREAM, 1, END, 0)
    d += entry("EncryptionInfo", 2, NOSTREAM, 2, NOSTREAM, 2, len(info))
    d += entry("EncryptedPackage", 2, NOSTREAM, NOSTREAM, NOSTREAM, 10, len(package))
    d += entry("", 0, NOSTREAM, NOSTREAM, NOSTREAM, 0, 0)
    return bytes(header) + struct.pack("<128I", *fat) + d + info + package


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    rng = random.Random(42)
    files = {
        "empty.docx": b"",
        "random_bytes.docx": bytes(rng.randrange(256) for _ in range(8192)),
        "zip_bomb_declared_4gb.docx": zip_bomb_declared(),
        "quine_overlapping_entries.docx": quine_overlap(),
        "billion_laughs.docx": billion_laughs(),
        "deep_nesting_10000.docx": deep_docx(),
        "deep_nesting_10000.html": deep_html(),
        "truncated_mid_table.docx": truncated_xml_docx(),
        "truncated_zip.docx": truncated_zip(),
        "encrypted_password.docx": encrypted_ole(),
        "other_prefix_ns0.docx": other_prefix(),
        "vmerge_run_12000.docx": vmerge_run(),
        "rowspan_1000000.html": rowspan_million_html(),
        "invalid_utf8.html": invalid_utf8_html(),
        "grid_5000x256.html": wide_grid_html(),
        "grid_5000x256.docx": wide_grid_docx(),
    }
    for name, data in files.items():
        (OUT / name).write_bytes(data)
        print(f"{name}: {len(data)} bytes")


if __name__ == "__main__":
    main()
