"""A real SMTP server for tests (aiosmtpd), and reading what it received.

A plain builder, not a fixture: tests/following and tests/browser each make theirs in their
conftest. The server runs in a thread of the test process; mails arrive over TCP through
Django's SMTP backend, exactly as they would reach a production relay.
"""

import email
import re
import socket
import threading
from email import policy

from aiosmtpd.controller import Controller


class Inbox:
    """The aiosmtpd handler: keeps every message; refuses or defers the addresses it is told."""

    def __init__(self):
        self.messages = []
        self.raw = []  # the bytes as received, for reading by eye
        self.refuse = set()  # 550: a permanent failure
        self.defer = set()  # 451: a temporary one
        self.arrived = threading.Condition()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such mailbox"
        if address in self.defer:
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        with self.arrived:
            self.raw.append(envelope.content)
            self.messages.append(message)
            self.arrived.notify_all()
        return "250 Message accepted"

    def wait_for(self, count, timeout=10, to=None):
        """Block until `count` messages (to `to`, if given) have arrived, for a sender in another
        thread; returns those messages."""
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.to(to)) >= count, timeout=timeout)
        return self.to(to)

    def to(self, address):
        """The messages to one address (all of them for None)."""
        return [m for m in self.messages if address is None or m["To"] == address]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server():
    """(controller, inbox): a started server on a free port of 127.0.0.1; stop the controller."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller, inbox


def use_server(settings, controller):
    """Point Django's mail at the server."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = controller.hostname
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5


def parts(message):
    """(text, html) of a multipart/alternative message."""
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    return text, html


def html_links(html):
    return re.findall(r'href="([^"]+)"', html)


def text_links(text):
    return re.findall(r"https?://[^\s<>]+", text)


def local(url, site_url):
    """The path of one of the portal's absolute links, to ask the test client for it."""
    assert url.startswith(site_url), url
    return url[len(site_url) :]
