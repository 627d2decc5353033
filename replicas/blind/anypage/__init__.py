"""Four booking pages written blind for Booker's ``auto`` platform (issue 18, item 4).

Each page is an independent booking app that no platform module knows: its own markup, words, time
zone and flow, written without reading Booker's platform or semantic code. Every page takes
``now`` (the injected clock) and ``people`` (names), records each accepted booking in ``bookings``
(person, name, email, message, start as an ISO UTC string, plus the page's own fields), stops
offering a slot once booked, and is served with ``with PageN(now=..., people=[...]) as site:``;
``site.booking_url`` is the link a startup would share.

- ``clinic``  (Page1): staff <select>, a month grid, an AJAX time list, a details form.
- ``weekly``  (Page2): a week of radio slots and a two-step "Continue" wizard.
- ``ownform`` (Page3): a startup's own form with <input type="date"> and a server-filled time select.
- ``framed``  (Page4): the widget in an <iframe> under a cookie-consent dialog, people as cards.

May import: replicas.server and the standard library; nothing from booking/ or bot/.
"""
from replicas.blind.anypage.clinic import Page1
from replicas.blind.anypage.framed import Page4
from replicas.blind.anypage.ownform import Page3
from replicas.blind.anypage.weekly import Page2

PAGES = (Page1, Page2, Page3, Page4)

__all__ = ["PAGES", "Page1", "Page2", "Page3", "Page4"]
