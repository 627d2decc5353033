"""Booking URLs: only public http(s) pages unless an admin allow-lists a host."""
import pytest

from booking.domain.errors import UnsafeUrl
from booking.domain.urls import check_booking_url


def no_dns(host):
    return {"calendly.com": ["104.16.1.1"], "intranet.corp": ["10.0.0.5"]}.get(host, [])


@pytest.mark.parametrize("url", [
    "file:///etc/passwd", "javascript:alert(1)", "data:text/html,hi", "chrome://settings", "ftp://calendly.com/x",
    "http://127.0.0.1:8000/x", "http://localhost/x", "http://169.254.169.254/latest", "http://10.1.2.3/",
    "http://[::1]/", "http://intranet.corp/book", "https://user:pw@calendly.com/x", "", "https://calendly.com/a b",
])
def test_hostile_urls_are_refused(url):
    with pytest.raises(UnsafeUrl):
        check_booking_url(url, resolver=no_dns)


def test_public_and_allow_listed_urls_pass():
    assert check_booking_url("https://calendly.com/acme/30min", resolver=no_dns)
    assert check_booking_url("http://127.0.0.1:8123/acme", ["127.0.0.1"], resolver=no_dns)
    assert check_booking_url("http://127.0.0.1:8123/acme", ["127.0.0.1:8123"], resolver=no_dns)
    with pytest.raises(UnsafeUrl):
        check_booking_url("http://127.0.0.1:9999/acme", ["127.0.0.1:8123"], resolver=no_dns)
