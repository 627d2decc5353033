"""Second builds of the booking-site replicas, written blind.

Each module here was written by someone who had read only the public facts
(research/platforms.md, recorded in ``docs/platforms/`` where the project keeps them) and the first
build's server-side contract — never Booker's platform modules — with every detail the facts leave
open chosen differently from the first build: markup, roles reached another way, heading levels,
wording, loading states and latency. Booker must book both builds with no code aimed at either.

A module exports ``REPLICA``: a subclass of the first build's server class (same constructor, URLs,
recorded bookings and fault switches, so every test runs on both) that serves its own pages.
"""
