import pytest

from chalicelib.domain.uscc import check_char, is_valid_uscc, make_uscc, uscc_problem

# Published codes of real organisations (company registers and government sites).
REAL_CODES = ["91110108551385082Q", "91440300708461136T", "91350100M000100Y43", "11100000000013127D"]


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_are_valid(code: str) -> None:
    assert uscc_problem(code) is None


@pytest.mark.parametrize("code", REAL_CODES)
def test_any_changed_character_breaks_the_check(code: str) -> None:
    for position in range(17):
        replacement = "1" if code[position] != "1" else "2"
        changed = code[:position] + replacement + code[position + 1 :]
        if not changed[2:8].isdigit():
            continue
        assert not is_valid_uscc(changed), changed


def test_messages_say_what_is_wrong() -> None:
    assert uscc_problem("9111010855138508") == "统一社会信用代码应为 18 位"
    assert "无效字符" in (uscc_problem("91110108551385082I") or "")
    assert "无效字符" in (uscc_problem("91110108551385082q") or "")
    assert uscc_problem("91110108551385082A") == "统一社会信用代码校验位错误"
    assert "行政区划" in (uscc_problem("91AB0108551385082Q") or "")


def test_make_uscc_appends_the_check_character() -> None:
    code = make_uscc("11", "371500", "MB2853182")
    assert len(code) == 18 and code[-1] == check_char(code[:17])
    assert is_valid_uscc(code)
