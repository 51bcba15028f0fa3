from chalicelib.domain.catalog_index import (
    SortOrder,
    ancestors,
    category_plan,
    entries,
    index_tokens,
    price_key,
    sales_key,
    search_plan,
    search_words,
)
from chalicelib.domain.listings import Listing, ListingDraft, ListingStatus, Spec, SupplierRef
from chalicelib.store.site_files import all_site_configs

SITE = {s.id: s for s in all_site_configs()}["liaocheng"]


def listing(status: ListingStatus = ListingStatus.ACTIVE) -> Listing:
    draft = ListingDraft(
        "LC-0302",
        "联想 启天 M437 台式计算机 i5-12500",
        "联想",
        "启天 M437",
        (Spec("处理器", "i5-12500"), Spec("内存", "16GB"), Spec("硬盘", "512GB SSD")),
        489900,
        520000,
        "京东自营",
        10,
        ("371500",),
        (),
        (),
    )
    return Listing(
        "a" * 32,
        "liaocheng",
        SupplierRef("9137", "某公司", "small"),
        draft,
        "台式计算机",
        "A02010105",
        status,
        "",
        12,
        "",
        "",
        1,
    )


def test_keys_sort_by_price_and_by_sales_descending() -> None:
    assert price_key(1800, "x") < price_key(18000, "x") < price_key(180000, "x")
    assert sales_key(500, "x") < sales_key(5, "x")  # more sales first in ascending key order


def test_an_active_listing_is_indexed_under_its_category_and_the_parents() -> None:
    found = entries(listing(), SITE, supplier_active=True)
    partitions = {e.pk for e in found}
    assert {
        "liaocheng#C#LC-0302#P",
        "liaocheng#C#LC-03#P",
        "liaocheng#C#LC-0302#S",
        "liaocheng#C#LC-03#B#联想#P",
    } <= partitions
    assert "liaocheng#K#联想" in partitions and "liaocheng#K#m437" in partitions
    assert [c.id for c in ancestors(SITE, "LC-0302")] == ["LC-0302", "LC-03"]


def test_nothing_is_indexed_off_sale_or_for_an_inactive_supplier() -> None:
    assert entries(listing(ListingStatus.PENDING), SITE, True) == []
    assert entries(listing(), SITE, supplier_active=False) == []


def test_tokens_cover_words_pairs_and_parts_of_models() -> None:
    tokens = index_tokens("得力 S01-B 中性笔", "得力", "S01-B")
    assert {"得力", "s01-b", "s01", "中性笔", "中性", "性笔"} <= tokens
    assert "笔" not in tokens and "b" not in tokens  # single characters are not indexed
    assert search_words("ＡＢＣ　A4复印纸") == ["abc", "a4", "复印纸"]


def test_search_reads_the_category_a_query_names() -> None:
    plan = search_plan(SITE, "联想 台式计算机", SortOrder.PRICE_ASC)
    assert plan is not None and plan.matched_category is not None
    assert plan.matched_category.name == "台式计算机"
    assert plan.plan.pk == "liaocheng#C#LC-0302#P" and plan.plan.words == ("联想",)
    a4 = search_plan(SITE, "A4 复印纸", SortOrder.PRICE_ASC)
    assert a4 is not None and a4.plan.pk == "liaocheng#C#LC-0107#P" and a4.plan.words == ("a4",)


def test_search_without_a_category_reads_one_keyword_partition() -> None:
    plan = search_plan(SITE, "得力 S01", SortOrder.PRICE_ASC)
    assert plan is not None and plan.matched_category is None
    assert plan.plan.pk in {"liaocheng#K#得力", "liaocheng#K#s01"}
    assert set(plan.plan.words) == {"得力", "s01"}
    assert search_plan(SITE, "!!! ？？", SortOrder.PRICE_ASC) is None


def test_category_plan_uses_brand_partitions_and_price_keys() -> None:
    plan = category_plan(SITE, "LC-03", SortOrder.PRICE_DESC, "联想", 100000, 600000, "small", "371500")
    assert plan.pk == "liaocheng#C#LC-03#B#联想#P" and not plan.ascending
    assert plan.sk_from == "0000000100000#" and plan.sk_to == "0000000600000#~"
    assert plan.scale == "small" and plan.district == "371500"
    by_sales = category_plan(SITE, "LC-03", SortOrder.SALES, None, 100000, None, None, None)
    assert by_sales.pk == "liaocheng#C#LC-03#S" and by_sales.sk_from is None and by_sales.min_price_fen == 100000
