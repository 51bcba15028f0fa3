"""The specification parameters a listing of a category must state (规格参数模板), by 政府采购品目分类目录 code.

A buyer compares like with like only when every seller of 台式计算机 states its processor, memory and disk; seed
000 §(四) found "参数填写不规范" among the commonest faults of 2024's inspections. A template applies to its
code and, for a group code (ending in 00), to every code below it; the most specific template wins.
"""

from __future__ import annotations

from typing import NamedTuple


class SpecParam(NamedTuple):
    name: str
    hint: str  # an example value, shown in the form


TEMPLATES: dict[str, tuple[SpecParam, ...]] = {
    "A02010105": (  # 台式计算机
        SpecParam("处理器", "如 Intel 酷睿 i5-12500"),
        SpecParam("内存", "如 16GB DDR4"),
        SpecParam("硬盘", "如 512GB 固态 + 1TB 机械"),
    ),
    "A02010108": (  # 便携式计算机
        SpecParam("处理器", "如 Intel 酷睿 i5-1340P"),
        SpecParam("内存", "如 16GB"),
        SpecParam("硬盘", "如 512GB 固态"),
    ),
    "A02021104": (SpecParam("尺寸", "如 23.8 英寸"),),  # 液晶显示器
    "A02021000": (SpecParam("幅面", "如 A4"),),  # 打印机
    "A02021003": (SpecParam("速度", "如 30 页/分钟"), SpecParam("双面", "如 自动双面")),  # A4黑白打印机
    "A02021004": (SpecParam("速度", "如 20 页/分钟"), SpecParam("双面", "如 自动双面")),  # A4彩色打印机
    "A02021118": (SpecParam("幅面", "如 A4"), SpecParam("速度", "如 40 页/分钟")),  # 扫描仪
    "A02021301": (SpecParam("保密等级", "如 P-4"),),  # 碎纸机
    "A02061804": (SpecParam("匹数", "如 1.5 匹"), SpecParam("能效", "如 一级能效")),  # 空调机
    "A05040101": (SpecParam("规格", "如 A4 70g"), SpecParam("包装", "如 500张/包 8包/箱")),  # 复印纸
    "A05040402": (SpecParam("笔尖", "如 0.5mm"), SpecParam("颜色", "如 黑色")),  # 笔
    "A05040201": (SpecParam("适用机型", "如 HP M1005"), SpecParam("打印页数", "如 约 1500 页")),  # 鼓粉盒
    "A05010301": (SpecParam("材质", "如 网布、尼龙脚"),),  # 办公椅
}


def required_specs(catalog_code: str) -> tuple[SpecParam, ...]:
    """The parameters a listing of this catalog code must state (none when no template covers it)."""
    if catalog_code in TEMPLATES:
        return TEMPLATES[catalog_code]
    groups = [code for code in TEMPLATES if code.endswith("00") and catalog_code.startswith(code.rstrip("0"))]
    return TEMPLATES[max(groups, key=len)] if groups else ()
