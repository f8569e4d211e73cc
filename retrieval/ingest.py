"""Read documents (files, folders, URLs), clean them and work out their metadata.

Everything here is read-only: `collect()` reads and validates every input before the index writes anything,
so a bad file in a batch leaves the index as it was.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from core.errors import ZhibiError
from core.types import KINDS, DocMeta

MAX_BYTES = 20 * 1024 * 1024
# A .docx is a zip: its 20 MB on disk can inflate to gigabytes of XML that python-docx parses into memory (a
# 688 KB bomb once took 71 s and 1.5 GB). The central directory's declared sizes bound what zipfile will ever
# inflate (it truncates a member at its declared size), so checking them before parsing is enough.
MAX_DOCX_PARTS = 1000  # a long report with many images has a few hundred
MAX_DOCX_XML_BYTES = 32 * 1024 * 1024  # all XML parts inflated: ~1,500 pages of text
MAX_DOCX_TOTAL_BYTES = 128 * 1024 * 1024  # XML plus media inflated
# Bytes alone do not bound the work: 82 KB of 5.2 million empty paragraphs stays under 32 MB of XML and costs
# about 70 s and 2 GB to parse. Elements (start tags) are counted while streaming the inflated XML, before any
# parse, so the parse time is bounded too: python-docx takes about 27 µs an element here (bench/limits.py:
# 100,000 elements 2.7 s, 37 MB). A 100-page report with heavy run formatting has about 50,000.
MAX_DOCX_ELEMENTS = 200_000
URL_DEADLINE = 60.0  # seconds for a whole download, however slowly the server drips
TEXT_SUFFIXES = (".txt", ".md")
HTML_SUFFIXES = (".html", ".htm")
SUPPORTED = (*TEXT_SUFFIXES, *HTML_SUFFIXES, ".docx")
MANIFEST = "manifest.toml"

_CJK = re.compile(r"[\u3400-\u9fff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# Codecs charset-normalizer may propose that we trust for Chinese documents; a Latin guess for bytes that are
# neither UTF-8 nor GB18030 is almost always garbage.
_TRUSTED_GUESSES = ("utf_16", "utf_32", "big5", "cp950", "big5hkscs", "gb2312", "gbk", "gb18030", "hz")


@dataclass
class SourceDoc:
    """One document read and cleaned, ready to chunk."""

    meta: DocMeta
    text: str  # cleaned text: one paragraph per line, headings on their own line
    sha256: str  # of the raw bytes as read


# --------------------------------------------------------------------------- reading files


def read_text_file(path: Path) -> str:
    """Return the text of a .txt/.md/.docx/.html file, decoding UTF-8, UTF-8-BOM, UTF-16-BOM, GB18030/GBK or Big5."""
    return _read(Path(path))[0]


def _read(path: Path) -> tuple[str, bytes]:
    """Text (HTML already turned to text) and the raw bytes, or a ZhibiError naming the file and the fix."""
    if not path.exists():
        raise ZhibiError(f"找不到文件 {path}", hint="请检查路径是否正确")
    if path.is_dir():
        raise ZhibiError(f"{path} 是文件夹，不是文件", hint="导入文件夹请用 zhibi ingest 文件夹路径")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise ZhibiError(
            f"不支持的文件类型：{path}",
            hint="支持 .txt .md .docx .html .htm；PDF/WPS 请先另存为 .docx 或 .txt",
        )
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise ZhibiError(
            f"文件 {path} 太大（{size / 1024 / 1024:.1f} MB，上限 {MAX_BYTES // 1024 // 1024} MB）",
            hint="请只保留正文或拆分成几个文件后再导入",
        )
    if size == 0:
        raise ZhibiError(f"文件 {path} 是空的", hint="请确认文件已保存内容，或把它从导入列表中去掉")
    data = path.read_bytes()
    if suffix == ".docx":
        return _docx_text(path, data), data
    text = decode_bytes(data, str(path))
    if suffix in HTML_SUFFIXES:
        text = html_to_text(text)
    if not text.strip():
        raise ZhibiError(f"文件 {path} 没有文字内容", hint="请确认文件不是空白或只有图片")
    return text, data


def decode_bytes(data: bytes, name: str) -> str:
    """Decode bytes of a Chinese text file; ZhibiError for binary or undecodable content."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _check_text(data[3:].decode("utf-8", errors="replace"), name)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _check_text(data.decode("utf-16"), name)
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:8192]:
        raise _binary(name)
    try:
        return _check_text(data.decode("utf-8"), name)
    except UnicodeDecodeError:
        pass
    # UTF-8 with a few damaged bytes (a truncated copy) is still UTF-8, not GB18030 mojibake.
    loose = data.decode("utf-8", errors="replace")
    if loose.count("\ufffd") <= 3 and len(_CJK.findall(loose)) >= 20:
        return _check_text(loose, name)
    for codec in ("gb18030", "big5"):
        try:
            return _check_text(data.decode(codec), name)
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None and best.encoding in _TRUSTED_GUESSES:
        return _check_text(str(best), name)
    raise ZhibiError(
        f"无法识别文件 {name} 的文字编码",
        hint="请用记事本或 WPS 打开后“另存为”UTF-8 编码的 .txt，再导入",
    )


def _check_text(text: str, name: str) -> str:
    controls = len(_CONTROL.findall(text[:20000]))
    if controls > max(3, len(text[:20000]) // 200):
        raise _binary(name)
    return text


def _binary(name: str) -> ZhibiError:
    return ZhibiError(
        f"文件 {name} 不是文本文件（像是二进制数据）",
        hint="请导入 .txt .md .docx 或 .html；PDF/图片请先转成文字",
    )


def _check_docx_size(path: Path | str, data: bytes) -> None:
    """Refuse a .docx whose parts would inflate beyond the limits, before anything is decompressed."""
    import io
    import zipfile

    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError) as exc:
        raise ZhibiError(
            f"无法读取 Word 文件 {path}（{type(exc).__name__}）",
            hint="请用 Word/WPS 打开后另存为 .docx；旧版 .doc 需先转换",
        ) from None
    xml = sum(i.file_size for i in infos if i.filename.lower().endswith((".xml", ".rels")))
    total = sum(i.file_size for i in infos)
    mb = 1024 * 1024
    if len(infos) > MAX_DOCX_PARTS or xml > MAX_DOCX_XML_BYTES or total > MAX_DOCX_TOTAL_BYTES:
        raise ZhibiError(
            f"Word 文件 {path} 解压后过大（{len(infos)} 个部件，文字部分 {xml / mb:.0f} MB，共 {total / mb:.0f} MB；"
            f"上限 {MAX_DOCX_PARTS} 个部件、文字 {MAX_DOCX_XML_BYTES // mb} MB、共 {MAX_DOCX_TOTAL_BYTES // mb} MB）",
            hint="请确认文件来源可信；正常文件请拆分成几个，或另存为 .txt 后再导入",
        )
    _check_docx_elements(path, zipfile.ZipFile(io.BytesIO(data)))


def _check_docx_elements(path: Path | str, archive: Any) -> None:
    """Count the start tags of every XML part as it inflates (64 KB at a time); stop at the limit."""
    count = 0
    for info in archive.infolist():
        if not info.filename.lower().endswith((".xml", ".rels")):
            continue
        tail = b""
        with archive.open(info) as stream:
            while block := stream.read(65536):
                text = tail + block
                # "<" starts a tag; "</" closes one and "<?" "<!" are not elements
                count += text.count(b"<") - text.count(b"</") - text.count(b"<?") - text.count(b"<!")
                count -= tail.count(b"<") - tail.count(b"</") - tail.count(b"<?") - tail.count(b"<!")
                tail = block[-1:]
                if count > MAX_DOCX_ELEMENTS:
                    raise ZhibiError(
                        f"Word 文件 {path} 的结构过于庞大（超过 {MAX_DOCX_ELEMENTS:,} 个元素，正常报告约数万个）",
                        hint="请确认文件来源可信；正常文件请另存为 .txt 或拆分成几个后再导入",
                    )


def _docx_text(path: Path | str, data: bytes) -> str:
    import io
    import zipfile

    from docx import Document

    _check_docx_size(path, data)
    try:
        doc = Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ZhibiError(
            f"无法读取 Word 文件 {path}（{type(exc).__name__}）",
            hint="请用 Word/WPS 打开后另存为 .docx；旧版 .doc 需先转换",
        ) from None
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            lines.append(" ".join(cell.text.strip() for cell in row.cells))
    text = "\n".join(lines)
    if not text.strip():
        raise ZhibiError(f"Word 文件 {path} 没有文字内容", hint="请确认正文不是图片或文本框")
    return text


# --------------------------------------------------------------------------- HTML

_DROP_TAGS = (
    "script",
    "style",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "noscript",
    "iframe",
    "button",
    "svg",
)
_BLOCK_TAGS = (
    "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "table",
    "blockquote", "pre", "dd", "dt", "ul", "ol", "center",
)  # fmt: skip
_CHROME_ATTR = re.compile(r"\b(nav|navbar|menu|breadcrumb|crumb|footer|share|sidebar|toolbar)\b", re.I)


def html_to_text(html: str) -> str:
    """Visible text of an HTML page, one block per line, without navigation, scripts and styles."""
    return html_title_and_text(html)[1]


def html_title_and_text(html: str) -> tuple[str, str]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "lxml")
    h1 = soup.find("h1")
    title = h1.get_text(" ", strip=True) if h1 else ""
    if not title and soup.title and soup.title.string:
        title = re.split(r"\s*[_|｜—-]\s*", soup.title.string.strip())[0]
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    page_chars = len((soup.body or soup).get_text())
    for tag in soup.find_all(True):
        if tag.attrs is None:  # inside an element already removed
            continue
        attrs = " ".join([*tag.get("class", []), tag.get("id", "") or "", tag.get("role", "") or ""])
        if (
            _CHROME_ATTR.search(attrs)
            and tag.name not in ("body", "html", "main", "article")
            and len(tag.get_text()) < page_chars / 2  # a mislabelled wrapper of the article itself stays
        ):
            tag.decompose()
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for tag in soup.find_all(_BLOCK_TAGS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    root = soup.body or soup
    text = root.get_text("")
    lines = [re.sub(r"[ \t\xa0]+", " ", line).strip() for line in text.splitlines()]
    return title, "\n".join(line for line in lines if line)


# --------------------------------------------------------------------------- cleaning

_NAV_WORDS = (
    "无障碍",
    "关怀版",
    "返回首页",
    "网站地图",
    "设为首页",
    "加入收藏",
    "当前位置",
    "您现在的位置",
    "English",
)
_CHROME_LINE = re.compile(
    r"^(字号[:：].*|字体[:：].*|【?打印(整页|本页|内容)?】?.*分享.*|【?打印】?\s*【?关闭】?|打印本页|关闭窗口|"
    r"扫码使用手机浏览本页内容|扫一扫在手机(上)?打开当前页|目录导读|分享到[:：]?.*|相关链接|上一篇[:：].*|下一篇[:：].*|"
    r"(信息)?索引号[:：].*|发布机构[:：].*|发文机关[:：].*|主题分类[:：].*|生成日期[:：].*|发布日期[:：].*|"
    r"来源[:：].*|浏览次数[:：].*|访问量[:：].*|【(大|中|小)】.*)$"
)
_SECTION_NAV = {"政府信息公开", "信息公开", "政务公开", "法定主动公开内容", "首页", "正文"}
_ID_LINE = re.compile(r"^[0-9A-Za-z]{8,}/\d{4}-\d+$")
_TIMESTAMP = re.compile(r"^\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?(\s+\d{1,2}:\d{2}(:\d{2})?)?$")
_ORG_END = ("局", "委", "办", "厅", "部", "院", "政府", "中心", "委员会", "办公室", "公司", "所", "署", "会")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_HEADING_START = re.compile(
    r"^([一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|第[一二三四五六七八九十百零〇]+[章节条])"
)


@dataclass
class Cleaned:
    text: str
    title: str = ""  # the document's own title line, when one was found (and removed from text)
    issuer: str = ""  # an issuer line found in the page header


def clean_text(raw: str, *, known_title: str = "", known_issuer: str = "") -> Cleaned:
    """Normalise line breaks and spaces, strip web-page chrome and Markdown marks, find the title line."""
    raw = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    raw = re.sub(r"<!--.*?-->", "", raw, flags=re.S)
    lines: list[str] = []
    md_levels: list[int] = []
    for line in raw.split("\n"):
        line = line.replace("\xa0", " ").strip(" \t\u3000\u2002\u2003\u200b")
        m = _MD_HEADING.match(line)
        level = 0
        if m:
            level, line = len(m.group(1)), m.group(2).strip()
        if not line:
            continue
        if _is_chrome(line):
            continue
        lines.append(line)
        md_levels.append(level)

    body_start = next((i for i, ln in enumerate(lines) if _is_body(ln)), len(lines))
    title, issuer = "", ""
    kept: list[str] = []
    for i, line in enumerate(lines):
        if i < body_start:
            if _ID_LINE.match(line) or _TIMESTAMP.match(line) or line in _SECTION_NAV:
                continue
            if md_levels[i] == 1 and not title:
                title = line
                continue
            if line == title or (known_title and line == known_title):
                title = title or line
                continue
            if known_issuer and line == known_issuer:
                issuer = line
                continue
            if not title and _looks_like_title(line):
                title = line
                continue
            if not issuer and title and len(line) <= 30 and line.endswith(_ORG_END) and "，" not in line:
                issuer = line
                continue
        elif line in _SECTION_NAV and i >= len(lines) - 3:
            continue
        kept.append(line)
    return Cleaned(text="\n".join(kept), title=title, issuer=issuer)


def _is_chrome(line: str) -> bool:
    if _CHROME_LINE.match(line):
        return True
    return len(line) <= 40 and sum(w in line for w in _NAV_WORDS) >= 2


def _is_body(line: str) -> bool:
    return bool(_HEADING_START.match(line)) or (
        len(line) >= 40 and ("，" in line or "。" in line or "," in line)
    )


def _looks_like_title(line: str) -> bool:
    if len(line) > 80 or line.endswith(("。", "，", "：", ":")) or _HEADING_START.match(line):
        return False
    return bool(_CJK.search(line)) and not _TIMESTAMP.match(line)


# --------------------------------------------------------------------------- metadata

_YEAR = re.compile(r"(19[5-9]\d|20[0-4]\d)")


def infer_kind(title: str, text: str = "") -> str:
    """report / policy / law / other from the title words (报告 first: report titles contain 法治)."""
    if "报告" in title or "总结" in title:
        return "report"
    if any(w in title for w in ("纲要", "意见", "方案", "规划", "通知", "决定")):
        return "policy"
    if any(w in title for w in ("条例", "规定", "办法", "规则", "细则")) or re.search(
        r"法([（(].*)?$", title
    ):
        return "law"
    if len(re.findall(r"(?m)^第[一二三四五六七八九十百零〇]+条", text)) >= 3:
        return "law"
    return "other"


def infer_year(title: str) -> int | None:
    m = _YEAR.search(title)
    return int(m.group(1)) if m else None


def infer_issuer(title: str) -> str:
    """Issuer named before the year in a report title, e.g. 东昌府区交通运输局2023年… -> 东昌府区交通运输局."""
    m = re.match(r"^(.{2,30}?)(?:19|20)\d{2}年", title)
    if m and m.group(1).endswith(_ORG_END):
        return m.group(1)
    return ""


@dataclass
class Manifest:
    path: Path
    entries: dict[Path, dict]  # resolved file path -> entry


_manifest_cache: dict[Path, Manifest] = {}


def load_manifest(path: Path) -> Manifest:
    """Parse a manifest.toml; ZhibiError for bad TOML, bad fields or a listed file that does not exist."""
    path = path.resolve()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except tomllib.TOMLDecodeError as exc:
        raise ZhibiError(
            f"清单文件 {path} 格式有误：{exc}",
            hint="请按 TOML 语法修正它（[[document]] 下写 file、title、kind、year）",
        ) from None
    except UnicodeDecodeError:
        raise ZhibiError(f"清单文件 {path} 不是 UTF-8 编码", hint="请另存为 UTF-8") from None
    docs = raw.get("document", [])
    if not isinstance(docs, list):
        raise ZhibiError(
            f"清单文件 {path} 的 document 应写成 [[document]] 表数组", hint="参照 corpus/manifest.toml"
        )
    entries: dict[Path, dict] = {}
    for n, entry in enumerate(docs, 1):
        where = f"清单文件 {path} 第 {n} 个 [[document]]"
        if not isinstance(entry, dict) or not isinstance(entry.get("file"), str):
            raise ZhibiError(f"{where} 缺少 file", hint='请写明 file = "相对清单的路径"')
        target = (path.parent / entry["file"]).resolve()
        if not target.is_file():
            raise ZhibiError(
                f"{where} 列出的文件 {entry['file']} 不存在（{target}）",
                hint="请改正 file 路径或删掉这一项",
            )
        kind = entry.get("kind")
        if kind is not None and kind not in KINDS:
            raise ZhibiError(f"{where} 的 kind = {kind!r} 无效", hint=f"kind 只能是 {' / '.join(KINDS)}")
        year = entry.get("year")
        if year is not None and not isinstance(year, int):
            raise ZhibiError(f"{where} 的 year = {year!r} 不是整数", hint="请写成 year = 2023")
        for key in ("title", "issuer"):
            if key in entry and not isinstance(entry[key], str):
                raise ZhibiError(f"{where} 的 {key} 应是字符串", hint=f'请写成 {key} = "…"')
        entries[target] = entry
    return Manifest(path=path, entries=entries)


def manifest_entry(file: Path) -> dict | None:
    """The entry of the nearest manifest.toml (this folder or a parent) that lists the file."""
    file = file.resolve()
    for folder in list(file.parents)[:6]:
        candidate = folder / MANIFEST
        if candidate.is_file():
            manifest = _manifest_cache.get(candidate) or load_manifest(candidate)
            _manifest_cache[candidate] = manifest
            if file in manifest.entries:
                return manifest.entries[file]
    return None


def resolve_meta(
    source: str, cleaned: Cleaned, entry: dict | None, overrides: dict, fallback_title: str
) -> DocMeta:
    """Manifest entry > inferred from text; explicit overrides (title, kind, year, issuer) win over both."""
    entry = entry or {}
    title = entry.get("title") or cleaned.title or fallback_title
    kind = entry.get("kind") or infer_kind(title, cleaned.text)
    year = entry.get("year", infer_year(title))
    issuer = entry.get("issuer") or cleaned.issuer or infer_issuer(title)
    meta = DocMeta(title=title, kind=kind, year=year, issuer=issuer, path=source)
    fields = {k: v for k, v in overrides.items() if k in ("title", "kind", "year", "issuer") and v}
    if fields.get("kind") and fields["kind"] not in KINDS:
        raise ZhibiError(f"kind = {fields['kind']!r} 无效", hint=f"kind 只能是 {' / '.join(KINDS)}")
    if "title" in fields and "year" not in fields and not entry.get("year"):
        fields["year"] = infer_year(fields["title"]) or year
    return replace(meta, **fields)


# --------------------------------------------------------------------------- collecting inputs


def expand(paths: list[str], skipped: list[str] | None = None) -> list[str]:
    """Files and URLs to read: folders are walked for supported files (README files and hidden ones skipped).

    A link inside a folder that leads outside it is skipped and appended to `skipped`: the folder is what the user
    chose to index, and a link to /etc/passwd must not make that file searchable."""
    out: list[str] = []
    for spec in paths:
        if re.match(r"^https?://", spec, re.I):
            out.append(spec)
            continue
        p = Path(spec).expanduser()
        if p.is_dir():
            manifest = p / MANIFEST
            if manifest.is_file():
                load_manifest(manifest)  # report a broken manifest even when no file needs it
            root = p.resolve()
            found = []
            for f in sorted(p.rglob("*")):
                if f.is_symlink() and f.is_dir() and not f.resolve().is_relative_to(root):
                    if skipped is not None:  # rglob does not walk into it; say so rather than stay silent
                        skipped.append(f"{f}/")
                    continue
                if (
                    not f.is_file()
                    or f.suffix.lower() not in SUPPORTED
                    or any(part.startswith(".") for part in f.relative_to(p).parts)
                    or f.name.lower().startswith("readme")
                ):
                    continue
                if not f.resolve().is_relative_to(root):
                    if skipped is not None:
                        skipped.append(str(f))
                    continue
                found.append(f)
            if not found:
                raise ZhibiError(
                    f"文件夹 {p} 里没有可导入的文档",
                    hint="支持 .txt .md .docx .html .htm；请检查路径或先把文档放进去",
                )
            out.extend(str(f) for f in found)
        elif p.exists():
            out.append(str(p))
        else:
            raise ZhibiError(f"找不到 {spec}", hint="请检查路径；网址需以 http:// 或 https:// 开头")
    seen: set[str] = set()
    unique = []
    for item in out:
        key = item if item.startswith(("http://", "https://")) else str(Path(item).resolve())
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return unique


def read_source(spec: str, overrides: dict, *, url_deadline: float = URL_DEADLINE) -> SourceDoc:
    """Read one file or URL into a cleaned SourceDoc with its metadata."""
    if re.match(r"^https?://", spec, re.I):
        return _read_url(spec, overrides, url_deadline)
    path = Path(spec)
    entry = manifest_entry(path)
    raw_text, data = _read(path)
    cleaned = clean_text(
        raw_text, known_title=(entry or {}).get("title", ""), known_issuer=(entry or {}).get("issuer", "")
    )
    if not cleaned.text.strip():
        raise ZhibiError(f"文件 {path} 去掉网页导航等内容后没有正文", hint="请确认文件里有报告或法规正文")
    meta = resolve_meta(str(path.resolve()), cleaned, entry, overrides, fallback_title=path.stem)
    return SourceDoc(meta=meta, text=cleaned.text, sha256=hashlib.sha256(data).hexdigest())


@dataclass
class _Fetched:
    data: bytes
    content_type: str
    charset: str | None


def fetch_url(url: str, deadline: float = URL_DEADLINE, max_bytes: int = MAX_BYTES) -> _Fetched:
    """Download a page in a streamed way: at most max_bytes kept, the whole download within `deadline` seconds.

    httpx's timeouts are per read, so a server dripping one byte every few seconds would never trip them; the
    download runs in a worker thread and the caller stops waiting at the deadline (the worker then stops at its
    next chunk or read timeout, holding at most max_bytes)."""
    import threading

    outcome: dict[str, object] = {}
    cancelled = threading.Event()

    def worker() -> None:
        try:
            outcome["value"] = _stream_download(url, deadline, max_bytes, cancelled)
        except BaseException as exc:  # handed to the waiting thread, which re-raises it
            outcome["error"] = exc

    thread = threading.Thread(target=worker, name="zhibi-url-fetch", daemon=True)
    thread.start()
    thread.join(deadline)
    if thread.is_alive():
        cancelled.set()
        raise ZhibiError(
            f"下载 {url} 超过 {deadline:g} 秒仍未完成，已放弃",
            hint="对方网站响应太慢：请稍后再试，或在浏览器里把网页另存为 .html 文件再导入",
        )
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]


def _stream_download(url: str, deadline: float, max_bytes: int, cancelled) -> _Fetched:
    import httpx

    too_big = ZhibiError(
        f"网页 {url} 太大（超过 {max_bytes // 1024 // 1024} MB）", hint="请只保存正文后再导入"
    )
    read_timeout = max(1.0, min(15.0, deadline))
    timeout = httpx.Timeout(read_timeout, connect=min(10.0, deadline))
    try:
        with httpx.stream(
            "GET", url, follow_redirects=True, timeout=timeout, headers={"User-Agent": "zhibi/0.1"}
        ) as resp:
            if resp.status_code >= 400:
                raise ZhibiError(
                    f"下载 {url} 失败：HTTP {resp.status_code}", hint="请检查网址是否正确、页面是否还在"
                )
            declared = resp.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise too_big
            parts: list[bytes] = []
            size = 0
            for part in resp.iter_bytes():  # decoded: a gzip bomb is capped too
                if cancelled.is_set():
                    return _Fetched(b"", "", None)
                size += len(part)
                if size > max_bytes:
                    raise too_big
                parts.append(part)
            return _Fetched(
                b"".join(parts), resp.headers.get("content-type", "").lower(), resp.charset_encoding
            )
    except httpx.HTTPError as exc:
        raise ZhibiError(
            f"无法下载 {url}：{exc or type(exc).__name__}",
            hint="请检查网址和网络连接，或先把网页另存为 .html 文件再导入",
        ) from None


def _read_url(url: str, overrides: dict, deadline: float = URL_DEADLINE) -> SourceDoc:
    fetched = fetch_url(url, deadline)
    data = fetched.data
    if not data:
        raise ZhibiError(f"网页 {url} 是空的", hint="请检查网址")
    ctype = fetched.content_type
    page_title = ""
    if "wordprocessingml" in ctype or url.lower().split("?")[0].endswith(".docx"):
        text = _docx_text(Path(url), data)
    else:
        charset = fetched.charset
        text = None
        if charset:
            try:
                text = data.decode(charset)
            except (LookupError, UnicodeDecodeError):
                text = None
        if text is None:
            text = decode_bytes(data, url)
        if "html" in ctype or re.search(r"<html|<body|<p[ >]", text[:4000], re.I):
            page_title, text = html_title_and_text(text)
    cleaned = clean_text(text, known_title=page_title)
    if page_title and not cleaned.title:
        cleaned.title = page_title
    if not cleaned.text.strip():
        raise ZhibiError(f"网页 {url} 没有正文文字", hint="请确认网址指向文章页面而不是图片或脚本")
    fallback = url.rstrip("/").rsplit("/", 1)[-1] or url
    meta = resolve_meta(url, cleaned, None, overrides, fallback_title=fallback)
    return SourceDoc(meta=meta, text=cleaned.text, sha256=hashlib.sha256(data).hexdigest())


def collect(
    paths: list[str],
    overrides: dict,
    progress=None,
    *,
    skipped: list[str] | None = None,
    url_deadline: float = URL_DEADLINE,
) -> list[SourceDoc]:
    """Read and validate every input (no writes); ZhibiError on the first bad one. Links leading out of an
    ingested folder are not read; they are appended to `skipped`."""
    _manifest_cache.clear()
    if not paths:
        raise ZhibiError("没有给出要导入的文件", hint="用法：zhibi ingest 文件或文件夹或网址")
    specs = expand(paths, skipped)
    if overrides.get("title") and len(specs) > 1:
        raise ZhibiError(
            f"--title 只能用于单个文档（这次有 {len(specs)} 个）",
            hint="请逐个导入，或在 manifest.toml 里为每个文件写 title",
        )
    docs: list[SourceDoc] = []
    by_title: dict[str, str] = {}
    for i, spec in enumerate(specs):
        doc = read_source(spec, overrides, url_deadline=url_deadline)
        other = by_title.get(doc.meta.title)
        if other is not None and any(d.meta.title == doc.meta.title and d.sha256 == doc.sha256 for d in docs):
            continue  # the same document twice (e.g. the bundled corpus and ../shared/corpus): index it once
        if other is not None:
            raise ZhibiError(
                f"{other} 和 {spec} 的标题相同：《{doc.meta.title}》",
                hint="标题是文档的唯一名称：请在 manifest.toml 里写不同的 title，或分别用 --title 导入",
            )
        by_title[doc.meta.title] = spec
        docs.append(doc)
        if progress:
            progress("读取文档", i + 1, len(specs))
    return docs
