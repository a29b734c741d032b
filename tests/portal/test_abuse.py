"""The sliding window of the rate limit, the address hashes and the form tokens."""

from __future__ import annotations

from vidtrace.portal.abuse import AddressHasher, SlidingWindowLimiter
from vidtrace.portal.security import FormTokens
from vidtrace.portal.spam import normalised, signs_of_text


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_window_slides() -> None:
    clock = Clock()
    limiter = SlidingWindowLimiter(per_client=3, overall=100, window_s=60, clock=clock)
    assert [limiter.attempt("a").allowed for _ in range(4)] == [True, True, True, False]
    clock.now += 30
    refused = limiter.attempt("a")
    assert not refused.allowed and 25 <= refused.retry_after_s <= 31
    assert limiter.attempt("b").allowed
    clock.now += 30.5  # the first three leave the window
    assert [limiter.attempt("a").allowed for _ in range(4)] == [True, True, True, False]


def test_the_overall_cap_and_idle_clients_are_dropped() -> None:
    clock = Clock()
    limiter = SlidingWindowLimiter(per_client=10, overall=5, window_s=60, clock=clock)
    assert [limiter.attempt(f"c{n}").allowed for n in range(6)] == [True] * 5 + [False]
    clock.now += 61
    assert limiter.attempt("late").allowed
    assert set(limiter._clients) == {"late"}


def test_address_hashes_depend_on_the_salt() -> None:
    one, other = AddressHasher(b"a" * 32), AddressHasher(b"b" * 32)
    assert one("192.0.2.1") == one("192.0.2.1") != one("192.0.2.2")
    assert one("192.0.2.1") != other("192.0.2.1")
    assert len(one("192.0.2.1")) == 64


def test_form_tokens_are_bound_to_their_cookie_and_key() -> None:
    tokens = FormTokens(b"k" * 32)
    cookie = tokens.new_cookie()
    token = tokens.token_for(cookie)
    assert tokens.valid(cookie, token)
    assert not tokens.valid(tokens.new_cookie(), token)
    assert not tokens.valid(cookie, token[:-1] + ("A" if token[-1] != "A" else "B"))
    assert not tokens.valid(None, token) and not tokens.valid(cookie, None)
    assert not FormTokens(b"j" * 32).valid(cookie, token)
    assert not tokens.valid(cookie, "é" * 43)


def test_signs_read_from_the_text() -> None:
    assert signs_of_text("see https://example.org/x") == ["links"]
    assert signs_of_text("visit www.example.org today, it is there") == ["links"]
    assert signs_of_text("Lyon") == ["short"]
    assert signs_of_text("It is sold in Lyon at the market.") == []
    assert normalised("  It\tIS\n sold ") == "it is sold"
