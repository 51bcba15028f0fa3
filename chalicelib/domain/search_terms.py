"""What a buyer means by the words they type: 同义词 and 品牌别名, the province's and each site's own.

A search for A4纸 means 复印纸; 碳粉 means the toner cartridges a site lists as 鼓粉盒 or 硒鼓; dell means 戴尔.
`meanings` rewrites a query's words into what the catalog calls them, so that the category partition (or the
keyword partition) of the meant word is read: relevance starts with reading the right partition.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from chalicelib.domain.listings import normalize

# Word (normalised: lower case, half-width) → what it may mean, most likely first.
PROVINCE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "a4纸": ("复印纸",),
    "a3纸": ("复印纸",),
    "打印纸": ("复印纸",),
    "复印用纸": ("复印纸",),
    "碳粉": ("鼓粉盒", "墨粉盒", "硒鼓", "粉盒"),
    "硒鼓": ("鼓粉盒", "硒鼓"),
    "墨盒": ("喷墨盒", "墨盒"),
    "中性笔": ("签字笔",),
    "水笔": ("签字笔",),
    "笔记本电脑": ("笔记本",),
    "手提电脑": ("笔记本",),
    "台式机": ("台式计算机",),
    "台式电脑": ("台式计算机",),
    "电脑": ("台式计算机", "笔记本"),
    "打印机": ("a4黑白打印机", "打印机"),
    "空调": ("空调机",),
    "纸巾": ("卫生纸",),
    "u盘": ("u盘及移动硬盘", "u盘"),
    "移动硬盘": ("u盘及移动硬盘", "移动硬盘"),
    # 品牌别名
    "dell": ("戴尔",),
    "hp": ("惠普",),
    "lenovo": ("联想",),
    "thinkpad": ("联想",),
    "huawei": ("华为",),
    "canon": ("佳能",),
    "epson": ("爱普生",),
    "brother": ("兄弟",),
    "deli": ("得力",),
    "comix": ("齐心",),
    "m&g": ("晨光",),
    "chenguang": ("晨光",),
    "haier": ("海尔",),
    "gree": ("格力",),
    "midea": ("美的",),
}


def synonyms_for(site_synonyms: Iterable[tuple[str, tuple[str, ...]]]) -> dict[str, tuple[str, ...]]:
    """The province's table with the site's entries over it."""
    table = dict(PROVINCE_SYNONYMS)
    table.update({normalize(word): tuple(normalize(m) for m in meant) for word, meant in site_synonyms})
    return table


def meant(query: str, table: dict[str, tuple[str, ...]], known: set[str]) -> tuple[str, list[str]]:
    """(the normalised query as the catalog says it, the substitutions made as "alias→meaning").

    Aliases are replaced inside the text (a4纸张 → 复印纸张), Latin ones only as whole words (hp, not the hp in
    php). A word with several meanings takes the first that names one of `known` (the site's category names)."""
    text = normalize(query)
    used: list[str] = []
    for alias in sorted(table, key=len, reverse=True):
        pattern = re.escape(alias) if _CJK.search(alias) else rf"(?<![a-z0-9]){re.escape(alias)}(?![a-z0-9])"
        if not re.search(pattern, text):
            continue
        options = table[alias]
        choice = next((m for m in options if m in known), options[0])
        text = re.sub(pattern, f" {choice} ", text)
        used.append(f"{alias}→{choice}")
    return " ".join(text.split()), used


_CJK = re.compile(r"[\u3400-\u9fff]")


def suggestions(
    query: str, category_names: Iterable[str], table: dict[str, tuple[str, ...]], most: int = 8
) -> list[dict[str, str]]:
    """What the search box offers while a buyer types: the site's category names that hold the text, then the
    aliases that start with it, with what they mean (碳 → 碳粉：硒鼓). Reads nothing: names and tables only."""
    typed = normalize(query).strip()
    if not typed:
        return []
    names = list(dict.fromkeys(category_names))
    found: list[dict[str, str]] = [{"text": n, "kind": "category", "meant": n} for n in names if typed in normalize(n)]
    known = {normalize(n) for n in names}
    for alias in sorted(table):
        if alias.startswith(typed) and len(found) < most:
            options = table[alias]
            choice = next((m for m in options if m in known), options[0])
            shown = next((n for n in names if normalize(n) == choice), choice)
            if not any(f["text"] == alias for f in found):
                found.append({"text": alias, "kind": "synonym", "meant": shown})
    return found[:most]
