"""A supplier registers and lists a product, the operator approves both, a buyer finds it by a Chinese keyword."""

from __future__ import annotations

import json
import re
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from chalicelib.domain.uscc import make_uscc
from scheduled.seed import DEMO_PASSWORD
from tests.e2e.conftest import Mall
from tests.e2e.test_web_shell import login

pytestmark = pytest.mark.browser

USERNAME = "wenda.office"
PASSWORD = "Wenda2026office"
USCC = make_uscc("91", "371525", "MA3N5T8P4")


def choose(page: Page, test_id: str, option: str) -> None:
    """Pick an option of an Element Plus select (its items may show a code beside the name)."""
    page.get_by_test_id(test_id).click()
    page.locator(".el-select-dropdown__item:visible", has_text=option).first.click()


def logout(page: Page) -> None:
    # A review drawer may still be open over the header.
    page.keyboard.press("Escape")
    expect(page.locator(".el-drawer:visible")).to_have_count(0)
    page.get_by_role("button", name="退出登录").click()
    expect(page.get_by_placeholder("请输入用户名")).to_be_visible()


def catalog_has(mall: Mall, keyword: str, name: str, timeout: float = 60) -> None:
    """The stream projection is asynchronous: wait until the catalog shows the listing."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        url = f"{mall.api}/sites/liaocheng/catalog/search?q={urllib.parse.quote(keyword)}"
        with urllib.request.urlopen(url, timeout=10) as response:
            if any(card["name"] == name for card in json.loads(response.read())["items"]):
                return
        time.sleep(0.5)
    raise AssertionError(f"{name} not in the catalog after {timeout}s")


def test_supplier_to_buyer(page: Page, mall: Mall, artifacts: Path, tmp_path: Path) -> None:
    # 1. The supplier registers (public page) and is logged in at once.
    page.goto(f"{mall.web}/#/login")
    page.get_by_test_id("register-link").click()
    page.get_by_test_id("reg-username").fill(USERNAME)
    page.get_by_test_id("reg-password").fill(PASSWORD)
    page.get_by_test_id("reg-password2").fill(PASSWORD)
    page.get_by_test_id("reg-uscc").fill(USCC)
    page.get_by_test_id("reg-name").fill("冠县文达办公用品有限公司")
    page.get_by_test_id("reg-legal").fill("石文达")
    choose(page, "reg-district", "冠县")
    page.get_by_test_id("reg-address").fill("冠县清泉街道红旗北路 15 号")
    choose(page, "reg-ownership", "民营")
    choose(page, "reg-industry", "零售业")
    page.get_by_test_id("reg-employees").locator("input").fill("8")
    page.get_by_test_id("reg-revenue").fill("150")
    page.get_by_test_id("reg-assets").fill("60")
    choose(page, "reg-scale", "微型")
    page.get_by_test_id("reg-contact-name").fill("石文达")
    page.get_by_test_id("reg-contact-phone").fill("13563580123")
    page.get_by_test_id("reg-contact-email").fill("wenda@example.com")
    page.screenshot(path=str(artifacts / "journey-1-register.png"), full_page=True)
    page.get_by_test_id("register-submit").click()
    expect(page.get_by_test_id("supplier-status")).to_contain_text("待审核", timeout=15000)

    # 2. It uploads its business licence (presigned POST straight to S3).
    licence = tmp_path / "营业执照.pdf"
    licence.write_bytes(b"%PDF-1.4\n% licence\n")
    choose(page, "doc-kind", "营业执照")
    page.get_by_test_id("doc-file").set_input_files(str(licence))
    page.get_by_test_id("doc-upload-submit").click()
    expect(page.get_by_test_id("doc-table")).to_contain_text("营业执照.pdf", timeout=15000)
    page.screenshot(path=str(artifacts / "journey-2-documents.png"), full_page=True)
    logout(page)

    # 3. 聊城's operator approves the supplier.
    login(page, mall, "liaocheng.center")
    page.locator(".el-menu .el-menu-item", has_text="供应商审核").click()
    row = page.get_by_test_id("supplier-table").locator("tr", has_text="冠县文达办公用品有限公司")
    row.get_by_test_id("supplier-open").click()
    page.get_by_test_id("supplier-approve").click()
    page.get_by_role("button", name="确定").click()
    expect(page.get_by_text("审核通过").first).to_be_visible()
    logout(page)

    # 4. The supplier lists a product in 聊城.
    login(page, mall, USERNAME, password=PASSWORD)
    page.locator(".el-menu .el-menu-item", has_text="我的商品").click()
    page.get_by_test_id("listing-create").click()
    page.get_by_test_id("listing-category").locator("input").click()
    page.locator(".el-cascader-node", has_text="办公用品").click()
    page.locator(".el-cascader-node", has_text="档案盒").click()
    page.get_by_test_id("listing-name").fill("文达 WD-60 牛皮纸档案盒 A4 60mm 10只")
    page.get_by_test_id("listing-brand").fill("文达")
    page.get_by_test_id("listing-model").fill("WD-60")
    page.get_by_test_id("listing-price").fill("28.50")
    page.get_by_test_id("listing-reference-price").fill("32.00")
    page.get_by_test_id("listing-reference-source").fill("京东自营 2026-11-20")
    page.get_by_test_id("listing-stock").locator("input").fill("500")
    page.get_by_test_id("listing-districts-all").click()
    page.get_by_test_id("listing-warranty").fill("质保 1 年")
    page.get_by_test_id("listing-description").fill("牛皮纸材质，A4 文件适用，10 只装。")
    # Images: a file that is not one is refused by the mall (whatever its name says); a photo becomes the main one.
    fake = tmp_path / "档案盒.png"
    fake.write_bytes(b"%PDF-1.4 this is not a picture")
    page.get_by_test_id("image-file").set_input_files(str(fake))
    expect(page.get_by_text("上传的文件不是图片").first).to_be_visible(timeout=15000)
    expect(page.get_by_test_id("image-tile")).to_have_count(0)
    photo = tmp_path / "档案盒实拍.png"
    Image.new("RGB", (900, 700), (160, 110, 60)).save(photo)
    page.get_by_test_id("image-file").set_input_files(str(photo))
    ready = page.locator("[data-testid=image-tile][data-status=ready]")
    expect(ready).to_have_count(1, timeout=60000)  # processed by the image consumer behind the stream
    expect(ready.locator("img")).to_have_attribute("src", re.compile(r"/media/thumbs/liaocheng/.+\.jpg$"))
    page.screenshot(path=str(artifacts / "journey-3-listing.png"), full_page=True)
    page.get_by_test_id("listing-submit").click()
    expect(page.get_by_test_id("my-listings-table")).to_contain_text("待审核", timeout=15000)
    logout(page)

    # 5. The operator approves the listing.
    login(page, mall, "liaocheng.center")
    page.locator(".el-menu .el-menu-item", has_text="商品审核").click()
    row = page.get_by_test_id("listing-review-table").locator("tr", has_text="文达 WD-60")
    row.get_by_test_id("listing-open").click()
    expect(page.get_by_test_id("listing-review-images").locator("img")).to_be_visible()
    page.get_by_test_id("listing-approve").click()
    page.get_by_role("button", name="确定").click()
    expect(page.get_by_text("审核通过").first).to_be_visible()
    logout(page)

    # 6. A buyer finds it by a Chinese keyword.
    catalog_has(mall, "文达 档案盒", "文达 WD-60 牛皮纸档案盒 A4 60mm 10只")
    login(page, mall, "liaocheng.buyer", password=DEMO_PASSWORD)
    page.locator(".el-menu .el-menu-item", has_text="网上超市").click()
    page.get_by_test_id("catalog-search-input").fill("文达 档案盒")
    page.get_by_test_id("catalog-search-button").click()
    card = page.get_by_test_id("catalog-item").filter(has_text="文达 WD-60")
    expect(card).to_be_visible(timeout=15000)
    expect(page.get_by_test_id("matched-category")).to_contain_text("档案盒")
    expect(card).to_contain_text("冠县文达办公用品有限公司")
    thumb = card.locator("img")
    expect(thumb).to_have_attribute("src", re.compile(r"/media/thumbs/"))
    assert thumb.evaluate("img => img.complete && img.naturalWidth") == 320  # the thumbnail, served
    page.screenshot(path=str(artifacts / "journey-4-buyer-search.png"), full_page=True)
