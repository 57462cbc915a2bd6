"""Splitting a page into plans and finding the website chrome (boilerplate) around and inside them.

Pages copied from document-sharing websites hold several plans (篇一 … 篇四, or a 通知 followed by its
附件 方案) wrapped in the site's header and footer (site name, 时间/网站/来源 lines, 免责声明, URLs,
相关阅读 lists) and sprinkled with watermarks such as "(某某网)" at the end of a paragraph. The rules
below describe what chrome looks like in general; none of them names a particular site.

Work is line by line (a page has a few thousand lines at most), every regex compiled once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from innocity.domain.plan import Span
from innocity.parsing.rx import rx
from innocity.parsing.textfold import fold


@dataclass(slots=True)
class PlanSlice:
    """One plan on the page: its span (title to end of body), label (篇一 …) and title."""

    span: Span
    label: str | None = None
    title: str | None = None
    title_span: Span | None = None


@dataclass(slots=True)
class Segmentation:
    """The plans on a page, in order, and the boilerplate spans that belong to no plan."""

    plans: list[PlanSlice] = field(default_factory=list)
    boilerplate: list[Span] = field(default_factory=list)


_CN_NUM = "一二三四五六七八九十百零〇两"
_LINE = rx(r"[^\n]+")
# 篇一:标题 / 【篇二】 / 第三篇 / 范文四: — the page numbers its plans
_LABEL = rx(
    rf"^[【\[]?\s*(篇[{_CN_NUM}\d]{{1,3}}|第[{_CN_NUM}\d]{{1,3}}篇|范文[{_CN_NUM}\d]{{1,3}})\s*[】\]]?\s*[:、.]?\s*"
)

_URL = rx(r"^(?:https?://|www\.)\S*$|^\S*\.(?:com|cn|net|org)(?:/\S*)?$", re.I)
# Notices of a site's footer. Every alternative opens with a fixed character, so the engine skips to the
# candidates (the case-insensitive version of the whole list tried every position of every short line: 18 ms
# on the sample x40, now 3); the two Latin ones are matched case-insensitively on their own, and only in a
# line holding a letter that can open them (re.I lets c/C open copyright and i/I/İ/ı open ICP备).
_NOTICE = rx(
    r"免责声明|版权所有|版权归|©|转载.{0,12}(?:保留|注明|请|出处)|由互联网用户|用户整理|"
    r"本文(?:仅限|仅供|来自|由)|如(?:产生|有|涉及)(?:版权|侵权)|联系我们|侵删|侵权请|网友(?:投稿|整理|分享)|"
    r"公网安备|网站标识码|主办单位|承办单位|协办单位|技术支持\s*:|网站地图|扫一扫"
)
_NOTICE_LATIN = rx(r"copyright|ICP备", re.I)
_LATIN_OPENER = rx("[cCiI\u0130\u0131]")
_META_KEY = (
    r"(?:发布)?(?:时间|日期)|网站|来源|作者|编辑|责任编辑|浏览(?:次数)?|点击(?:数|量)?|阅读(?:量|数|次数)?|字号|栏目|"
    r"索引号|发布机构|发文机关|发文字号|文\s?号|主题分类|成文日期|有效性|联系电话|电话|信息来源|"
    r"原文链接|原文地址|法宝引证码|发布部门|实施日期|生效日期|废止日期|时效性|效力级别|法规类别|所属主题|组配分类|公开方式|发布单位"
)
# A law database's export header: 【法宝引证码】CLI…, 【发布部门】…, 【时效性】现行有效.
_META_BRACKET = rx(r"^[【\[](?:法宝引证码|发布部门|发文字号|发布日期|实施日期|时效性|效力级别|法规类别|标题|来源|原文链接)[】\]]")
# optionally behind the publication time: "2022-03-15 10:20:33  来源:宁波日报  作者:…"
_META_START = rx(
    rf"^(?:\d{{4}}[-/.年]\d{{1,2}}[-/.月]\d{{1,2}}日?\s*(?:\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?\s*)?(?P<key>{_META_KEY})\s*:"
)
_META_ANY = rx(rf"(?:^|\s)(?:{_META_KEY})\s*:")
_DATETIME = rx(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}")
_NAV = rx(
    r"^(?:相关(?:阅读|文章|推荐|链接|专题|范文)|推荐(?:阅读|专题|文章|范文)|最近更新|最新(?:文章|更新)|"
    r"热门(?:文章|推荐|专题|阅读)|猜你喜欢|精彩推荐|上一篇|下一篇|返回(?:首页|顶部|列表|目录)|首页|"
    r"更多.{0,8}|点击(?:查看|下载|进入).{0,20}|分享到.{0,20}|打印本页|关闭窗口|收藏本页|当前位置\s*:.*|"
    r"[【\[](?:打印|关闭|收藏|返回)[^】\]]{0,4}[】\]].*)$"
)
_SITE_HOME = rx(r"^\S{1,20}\s*(?:首页|主页|>|»)\s*$")
_CRUMBS = rx(r"^[^。;]{0,60}(?:>|»|›)[^。;]{0,40}(?:>|»|›)[^。;]{0,60}$")
_CHROME_LINE = rx("|".join(f"(?:{p.pattern})" for p in (_URL, _NAV, _SITE_HOME)), re.I)
# Lines after these are related-article lists until real text resumes.
_FOOTER_START = rx(
    r"免责声明|相关(?:阅读|文章|推荐)|推荐(?:阅读|专题)|最近更新|猜你喜欢|上一篇|下一篇|分享到|扫一扫|打印本页|关闭窗口"
)
# "首页 | 机构概况 | 政务公开 | 互动交流": a navigation menu
_MENU = rx(r"^[^|。,]{1,10}(?:\s*[|｜·]\s*[^|。,]{1,10}){2,}\s*[|｜]?$")

_TITLE = rx(
    r"(?:方案|行动计划|实施计划|工作计划|规划|纲要|意见|通知|决定|工作要点|办法|细则|若干措施|政策措施)"
    r"》?(?:\s*[(\[【][^()]{1,12}[)\]】])?》?$"
)
_NAMED = rx(r"[省市县区州盟旗]|关于|国家|全国|创新|科技")
_HEADING_START = rx(
    rf"^(?:[{_CN_NUM}]{{1,3}}\s*[、.]|[(][{_CN_NUM}\d]{{1,3}}[)]|\d{{1,2}}\s*[、.](?!\d)|第[{_CN_NUM}\d]{{1,3}}[章节条部]|"
    r"[①-⑳]|附件|附表|注\s*:)"
)
_ATTACHMENT = rx(r"^附件\s*\d{0,2}\s*:?$")
_SENT_END = rx(r"[。;,:!?]$")

# "(某某网)" inside a paragraph: a site name or address in brackets.
_WATERMARK = rx(
    r"[(\[【]\s*(?:[\u4e00-\u9fff]{0,8}(?:范文|文库|素材|公文|作文|秘书|文秘|写作|资料|学习|励志|教育|文档)"
    r"[\u4e00-\u9fff]{0,4}网|www\.[\w.-]+|[\w-]+\.(?:com|cn|net|org)(?:\.cn)?)\s*[)\]】]",
    re.I,
)
_MAX_TITLE = 60
_BODY_MIN = 20


@dataclass(slots=True)
class _Line:
    start: int
    end: int
    text: str  # folded, stripped
    chrome: bool = False


def _lines(folded: str) -> list[_Line]:
    """Non-blank lines with surrounding whitespace trimmed (offsets are the same in the original)."""
    out: list[_Line] = []
    for m in _LINE.finditer(folded):
        raw = m.group()
        stripped = raw.strip()
        if not stripped:
            continue
        lead = len(raw) - len(raw.lstrip())
        s = m.start() + lead
        out.append(_Line(s, s + len(stripped), stripped))
    return out


def _is_chrome(t: str) -> bool:
    if len(t) > 200:
        return bool(_URL.match(t))  # body paragraphs: only a long address can be chrome
    if _HEADING_START.match(t) and not t.startswith("附"):
        return False  # a numbered heading (most short lines of a plan) is never site chrome
    if _CHROME_LINE.match(t) or _MENU.match(t) or _META_BRACKET.match(t):
        return True
    if len(t) <= 160 and (_NOTICE.search(t) or (_LATIN_OPENER.search(t) and _NOTICE_LATIN.search(t))):
        return True
    meta = _META_START.match(t) if len(t) <= 100 else None
    if meta:
        keys = len(_META_ANY.findall(t))
        # "时间:2022年3月—4月" inside a schedule is text; a page's 时间 carries a machine date
        loose = not meta.group("key").endswith(("时间", "日期", "电话"))
        if keys >= 2 or _DATETIME.search(t) or (loose and len(t) <= 30 and "。" not in t):
            return True
    return len(t) <= 100 and (">" in t or "»" in t or "›" in t) and bool(_CRUMBS.match(t)) and "。" not in t


def _is_title(t: str) -> bool:
    """A document title: ends like one (…方案, …的通知) and names who or what it is for.

    A bare "实施方案" or "工作计划" line inside a plan is a subheading, not a new document.
    """
    return (
        4 <= len(t) <= _MAX_TITLE
        and bool(_TITLE.search(t))
        and not _HEADING_START.match(t)
        and not _SENT_END.search(t)
        and (len(t) >= 10 or bool(_NAMED.search(t)))
    )


def _is_headline(t: str) -> bool:
    """A short opening line that is not a sentence or a numbered heading: the document's caption."""
    return (
        4 <= len(t) <= _MAX_TITLE
        and not _HEADING_START.match(t)
        and not _SENT_END.search(t)
        and "。" not in t
    )


def _is_body(t: str) -> bool:
    return len(t) >= _BODY_MIN or t.endswith("。")


def _mark_chrome(lines: list[_Line]) -> None:
    in_footer = False
    for ln in lines:
        t = ln.text
        if _LABEL.match(t):
            in_footer = False
            continue
        if _is_chrome(t):
            ln.chrome = True
            if _FOOTER_START.search(t):
                in_footer = True
        elif in_footer and len(t) <= 50 and "。" not in t:
            ln.chrome = True  # an entry of a related-articles list
        else:
            in_footer = False


_ISSUER_OR_DATE = rx(r"(?:人民政府|政府|办公室|办公厅|委员会|局|厅|委)$|^\d{4}年\d{1,2}月\d{1,2}日$|\d{4}-\d{1,2}-\d{1,2}")
_PUNCT = rx(r"[。,;:!?、()《》“”]")


def _title_head(head: _Line, title: _Line) -> bool:
    """True when ``head`` is the first half of a title broken over two lines, ``title`` the second half: a short
    line of words without punctuation that is neither chrome, a heading, an issuer or a date, above a title
    that does not open by itself (关于…)."""
    t = head.text
    return (not head.chrome and 4 <= len(t) <= 30 and not _PUNCT.search(t) and not _HEADING_START.match(t)
            and not _ISSUER_OR_DATE.search(t) and not _is_title(t) and not title.text.startswith("关于")
            and len(_HAN.findall(t)) >= 4)


_HAN = rx(r"[\u4e00-\u9fff]")


def _drop_header_blocks(lines: list[_Line], starts: list[int]) -> list[int]:
    """A leading slice with no sentence in it (a portal's metadata table, a database's export header) is
    chrome, not a plan of its own ahead of the real one."""
    while len(starts) > 1:
        block = [ln for ln in lines[starts[0]: starts[1]] if not ln.chrome]
        if any("。" in ln.text or ";" in ln.text for ln in block):
            break
        for ln in lines[starts[0]: starts[1]]:
            ln.chrome = True
        starts = starts[1:]
    return starts


def _starts_by_label(lines: list[_Line]) -> list[int]:
    return [i for i, ln in enumerate(lines) if _LABEL.match(ln.text)]


def _starts_by_title(lines: list[_Line]) -> tuple[list[int], list[int]]:
    """Indices of lines that start a plan (a title followed by body), and of orphan titles (chrome)."""
    cands = [i for i, ln in enumerate(lines) if not ln.chrome and _is_title(ln.text)]
    starts: list[int] = []
    orphans: list[int] = []
    run_first: int | None = None  # index into cands where the current title block began
    for k, i in enumerate(cands):
        nxt = cands[k + 1] if k + 1 < len(cands) else len(lines)
        between = lines[i + 1 : nxt]
        if run_first is None:
            run_first = k
        if any(not ln.chrome and _is_body(ln.text) for ln in between):
            starts.append(cands[run_first])
            run_first = None
        elif any(ln.chrome for ln in between) or nxt == len(lines):
            # A title cut off from any body by chrome: the page's own title in its header or footer.
            orphans.extend(cands[run_first : k + 1])
            run_first = None
        # else: titles on consecutive lines (issuer + 关于印发…的通知) form one title block.
    return starts, orphans


def split_plans(text: str, *, folded: str | None = None) -> Segmentation:
    """The plans on the page and the boilerplate spans (header/footer lines, inline watermarks).

    A page without chrome or several titles gives one slice covering the whole text (trimmed). ``folded`` is
    ``fold(text)`` when the caller already has it (the pipeline folds a page once for all its stages).
    """
    if folded is None:
        folded = fold(text)
    lines = _lines(folded)
    if not lines:
        return Segmentation()
    _mark_chrome(lines)
    starts = _starts_by_label(lines)
    labelled = bool(starts)
    if labelled:
        for ln in lines[: starts[0]]:
            if not _is_body(ln.text):  # the page's header: site name, page title, breadcrumbs
                ln.chrome = True
    else:
        starts, orphans = _starts_by_title(lines)
        for j in orphans:
            lines[j].chrome = True
        first_content = next((i for i, ln in enumerate(lines) if not ln.chrome), None)
        if first_content is None:
            return Segmentation(boilerplate=[(ln.start, ln.end) for ln in lines])
        if not starts:
            starts = [first_content]
        elif starts[0] > first_content:
            lead = lines[first_content : starts[0]]
            if any(_is_body(ln.text) for ln in lead if not ln.chrome):
                starts = [first_content, *starts]  # an untitled text before the first title
            elif any(ln.chrome for ln in lead):
                for ln in lead:  # short lines cut off from the title by chrome: the page's header
                    ln.chrome = True
            else:
                starts = [first_content, *starts[1:]]  # a masthead or 文号 above the title
        # "附件1" on the line above an attached plan's title belongs to that plan
        starts = [i - 1 if i > 0 and _ATTACHMENT.match(lines[i - 1].text) else i for i in starts]
        # "洞头区大力提升科技创新能力" above "全面落实…实施方案(2023-2027年)": one title broken over two lines
        starts = [i - 1 if i > 0 and (i - 1) not in starts and _title_head(lines[i - 1], lines[i]) else i
                  for i in starts]
    starts = _drop_header_blocks(lines, starts)
    plans: list[PlanSlice] = []
    for k, si in enumerate(starts):
        stop = starts[k + 1] if k + 1 < len(starts) else len(lines)
        content = [ln for ln in lines[si:stop] if not ln.chrome]
        if not content:
            continue
        first = lines[si]
        span = (first.start, content[-1].end)
        label = title = None
        title_span: Span | None = None
        m = _LABEL.match(first.text) if labelled else None
        if m:
            label = text[first.start + m.start(1) : first.start + m.end(1)]
            ts = first.start + m.end()
            if ts < first.end:
                title_span = (ts, first.end)
        else:
            # The title is the last title-like line before the body starts (after a masthead or 文号).
            for ln in content:
                if _is_body(ln.text) and not _is_title(ln.text):
                    break
                if _is_title(ln.text):
                    title_span = (ln.start, ln.end)
        if title_span is not None and len(content) > 1 and content[0].end < title_span[0] and \
                content[1].start == title_span[0] and _title_head(content[0], content[1]):
            title_span = (content[0].start, title_span[1])
        if title_span is None and not label and len(content) > 1 and _is_headline(content[0].text):
            title_span = (content[0].start, content[0].end)  # a news headline, a 任务分解表 caption
        if title_span is not None:
            title = text[title_span[0] : title_span[1]]
        if not plans and not text[: span[0]].strip():
            span = (0, span[1])  # nothing but indentation before the first plan: it starts the page
        plans.append(PlanSlice(span=span, label=label, title=title, title_span=title_span))
    boiler = [(ln.start, ln.end) for ln in lines if ln.chrome]
    for p in plans:
        for m2 in _WATERMARK.finditer(folded, p.span[0], p.span[1]):
            boiler.append((m2.start(), m2.end()))
    boiler.sort()
    return Segmentation(plans=plans, boilerplate=boiler)
