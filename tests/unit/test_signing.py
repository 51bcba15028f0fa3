import pytest

from chalicelib.domain.errors import Unauthenticated
from chalicelib.domain.signing import sign, verify

SECRET = "a-shared-secret"
BODY = b'{"plan_no": "37150012000120260001"}'
NOW = 1_795_300_000


def test_a_fresh_signed_request_verifies() -> None:
    signature = sign(SECRET, str(NOW), "nonce-0000000000001", BODY)
    assert len(signature) == 64
    assert verify(SECRET, str(NOW), "nonce-0000000000001", signature, BODY, NOW + 10) == NOW


@pytest.mark.parametrize(
    ("timestamp", "nonce", "body", "now", "code"),
    [
        (str(NOW), "nonce-0000000000001", BODY + b" ", NOW, "SIGNATURE_INVALID"),  # body changed
        (str(NOW), "nonce-0000000000002", BODY, NOW, "SIGNATURE_INVALID"),  # nonce changed
        (str(NOW), "nonce-0000000000001", BODY, NOW + 301, "REQUEST_STALE"),
        (str(NOW), "nonce-0000000000001", BODY, NOW - 301, "REQUEST_STALE"),
        ("12ab", "nonce-0000000000001", BODY, NOW, "SIGNATURE_INVALID"),
        (str(NOW), "short", BODY, NOW, "SIGNATURE_INVALID"),
        ("", "nonce-0000000000001", BODY, NOW, "SIGNATURE_MISSING"),
    ],
)
def test_tampered_stale_or_malformed_requests_are_refused(
    timestamp: str, nonce: str, body: bytes, now: int, code: str
) -> None:
    signature = sign(SECRET, str(NOW), "nonce-0000000000001", BODY)
    with pytest.raises(Unauthenticated) as err:
        verify(SECRET, timestamp, nonce, signature, body, now)
    assert err.value.code == code


def test_another_secret_does_not_verify() -> None:
    signature = sign("other-secret", str(NOW), "nonce-0000000000001", BODY)
    with pytest.raises(Unauthenticated):
        verify(SECRET, str(NOW), "nonce-0000000000001", signature, BODY, NOW)
