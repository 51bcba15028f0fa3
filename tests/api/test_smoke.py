from tests.conftest import Api


def test_login_and_me(api: Api) -> None:
    status, body = api.call("GET", "/me", as_user="liaocheng.buyer")
    assert status == 200, body
    assert body["user"]["tenant"] == "liaocheng"
    assert body["user"]["role"] == "buyer"


def test_public_site_config(api: Api) -> None:
    status, body = api.call("GET", "/sites/liaocheng/config")
    assert status == 200, body
    assert body["look"]["title"].startswith("齐鲁云采")
