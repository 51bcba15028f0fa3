import pytest

from chalicelib.domain.sme import INDUSTRIES, Declaration, Scale, classify

WAN = 1_000_000


def d(industry: str, employees: int = 0, revenue_wan: int = 0, assets_wan: int = 0) -> Declaration:
    return Declaration(industry, employees, revenue_wan * WAN, assets_wan * WAN)


@pytest.mark.parametrize(
    ("declaration", "scale"),
    [
        # 批发业: 从业人员 200 人以下或营业收入 40000 万元以下为中小微型
        (d("wholesale", 20, 5000), Scale.MEDIUM),
        (d("wholesale", 19, 5000), Scale.SMALL),
        (d("wholesale", 5, 1000), Scale.SMALL),
        (d("wholesale", 4, 1000), Scale.MICRO),
        (d("wholesale", 300, 39999), Scale.MEDIUM),
        (d("wholesale", 200, 40000), Scale.LARGE),
        # 工业
        (d("industry", 300, 2000), Scale.MEDIUM),
        (d("industry", 20, 300), Scale.SMALL),
        (d("industry", 1000, 40000), Scale.LARGE),
        # 建筑业 counts revenue and assets
        (d("construction", 0, 6000, 5000), Scale.MEDIUM),
        (d("construction", 0, 6000, 4999), Scale.SMALL),
        (d("construction", 0, 299, 5000), Scale.MICRO),
        # 其他未列明行业: people only
        (d("other", 10), Scale.SMALL),
        (d("other", 9), Scale.MICRO),
        (d("other", 300), Scale.LARGE),
        # 租赁和商务服务业: people and assets
        (d("leasing_business", 100, 0, 8000), Scale.MEDIUM),
        # 农、林、牧、渔业: revenue only
        (d("agriculture", 0, 50), Scale.SMALL),
    ],
)
def test_scale_follows_the_2011_standard(declaration: Declaration, scale: Scale) -> None:
    assert classify(declaration) is scale


def test_revenue_is_compared_in_whole_wan() -> None:
    # 4,999.99 万元 is below 5,000 万元.
    assert classify(Declaration("wholesale", 30, 5000 * WAN - 1, 0)) is Scale.SMALL


def test_every_industry_states_its_criteria_in_chinese() -> None:
    assert len(INDUSTRIES) == 16
    text = INDUSTRIES["software_it"].criteria()
    assert text.startswith("从业人员 300 人以下或营业收入 10000 万元以下为中小微型企业")
    assert "营业收入 50 万元及以上为小型" in text
