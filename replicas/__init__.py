"""Loopback replicas of the outside world: booking sites, the Slack Web API, Google APIs.

Tests and the demo start them on 127.0.0.1; nothing here is imported by the product code.
"""
