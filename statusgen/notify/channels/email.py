"""E-mail over SMTP: a multipart message (text and HTML from the theme) per event.

The standard library builds (`email`, with its header encoding and line folding) and sends
(`smtplib`) the mail; this module chooses the headers that make it behave well in a mailbox:
a `Message-ID` derived from the event id (a rerun sends the same id, which mail systems
deduplicate), `In-Reply-To` and `References` to the incident's first message (clients thread
one incident's updates), `List-Id` (filters), `Auto-Submitted` (no auto-replies).

The server comes from an environment variable: `smtps://user:pass@host:465` (TLS from the
start) or `smtp://user:pass@host:587` (STARTTLS whenever the server offers it). A password is
never sent in clear: without TLS, logging in is refused unless the server is on this machine.
"""

from __future__ import annotations

import re
import smtplib
import ssl
import time
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime
from urllib.parse import unquote, urlsplit

from jinja2 import Environment, TemplateError
from markupsafe import Markup

from statusgen.model import NotifyChannel
from statusgen.notify.delivery import DeliveryFailed, environment_value
from statusgen.notify.message import Message

TEXT_TEMPLATE = "notify/email.txt"
HTML_TEMPLATE = "notify/email.html"
LOOPBACK = {"localhost", "127.0.0.1", "::1"}
# Characters a Message-ID's left part may hold besides letters and digits (RFC 5322 atext).
_UNSAFE = re.compile(r"[^A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]")


@dataclass(frozen=True, slots=True)
class Server:
    host: str
    port: int
    tls: bool  # smtps: TLS from the first byte
    user: str | None
    password: str | None


def parse_server(url: str) -> Server:
    """smtp(s)://[user:pass@]host[:port]; DeliveryFailed (without the password) otherwise."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise DeliveryFailed(
            "the SMTP address is not a URL like smtp://user:pass@host:587"
        ) from None
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise DeliveryFailed(
            "the SMTP address must be smtp://user:pass@host:587 or smtps://user:pass@host:465"
        )
    tls = parts.scheme == "smtps"
    return Server(
        parts.hostname,
        port or (465 if tls else 587),
        tls,
        unquote(parts.username) if parts.username else None,
        unquote(parts.password) if parts.password else None,
    )


def host_of_site(site_url: str) -> str:
    return urlsplit(site_url).hostname or "statusgen.invalid"


def message_id(event_id: str, site_url: str) -> str:
    """`<incident/slug/update@status.example.com>`: the same event, the same id, always."""
    local = _UNSAFE.sub(lambda m: f"={ord(m.group()):02X}", event_id).strip(".")
    return f"<{local}@{host_of_site(site_url)}>"


def thread_root(message: Message) -> str | None:
    """The first message of the incident or window this one continues, if it is not it."""
    event = message.event
    first = "created" if event.subject == "incident" else "scheduled"
    root = f"{event.subject}/{event.slug}/{first}"
    return None if event.id == root else message_id(root, message.site_url)


def build_email(message: Message, config: NotifyChannel, text: str, html: str) -> EmailMessage:
    mail = EmailMessage()
    mail["Subject"] = message.subject
    mail["From"] = config.sender or ""
    mail["To"] = ", ".join(config.to)
    mail["Date"] = format_datetime(message.at)
    mail["Message-ID"] = message_id(message.event.id, message.site_url)
    if (root := thread_root(message)) is not None:
        mail["In-Reply-To"] = root
        mail["References"] = root
    host = host_of_site(message.site_url)
    mail["List-Id"] = f"{message.site_name} <{host}>"
    mail["List-Archive"] = f"<{message.site_url}/history/>"
    mail["Auto-Submitted"] = "auto-generated"
    mail["X-Statusgen-Event"] = message.event.id
    mail.set_content(text)
    mail.add_alternative(html, subtype="html")
    mail["Content-Language"] = message.language
    return mail


def render_parts(templates: Environment, message: Message) -> tuple[str, str]:
    """The text and HTML bodies from the theme's templates (sandboxed like every template)."""
    try:
        # The body was rendered from Markdown and sanitised (nh3) like every page's.
        context = {
            "message": message,
            "words": message.words,
            "body_html": Markup(message.body_html),
        }
        text = templates.get_template(TEXT_TEMPLATE).render(context)
        html = templates.get_template(HTML_TEMPLATE).render(context)
    except TemplateError as error:
        raise DeliveryFailed(f"the theme's e-mail template failed: {error}") from None
    return text, html


def _transient(error: Exception) -> bool:
    """Worth another attempt: the connection failed, or the server said "try later" (4xx)."""
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    return isinstance(error, smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError | OSError)


def _describe(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return f"every recipient was refused ({', '.join(error.recipients)})"
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return f"the server refused the login ({error.smtp_code})"
    if isinstance(error, smtplib.SMTPResponseException):
        reply = (
            error.smtp_error.decode("utf-8", "replace")
            if isinstance(error.smtp_error, bytes)
            else str(error.smtp_error)
        )
        return f"the server answered {error.smtp_code} {reply}".strip()
    if isinstance(error, TimeoutError):
        return "no answer in time"
    if isinstance(error, ssl.SSLError):
        return "TLS failed (certificate or protocol)"
    if isinstance(error, OSError):
        return f"could not connect ({error.strerror or type(error).__name__})"
    return type(error).__name__


@dataclass(frozen=True, slots=True)
class EmailChannel:
    config: NotifyChannel
    env: Mapping[str, str]
    templates: Environment

    def mail(self, message: Message) -> EmailMessage:
        text, html = render_parts(self.templates, message)
        return build_email(message, self.config, text, html)

    def preview(self, message: Message) -> str:
        mail = self.mail(message)
        headers = "\n".join(f"{name}: {value}" for name, value in mail.items())
        text = mail.get_body(("plain",))
        html = mail.get_body(("html",))
        shown = text.get_content() if text is not None else ""
        size = len(html.get_content()) if html is not None else 0
        return (
            f"SMTP via ${self.config.smtp_env}\n{headers}\n\n{shown.rstrip()}\n"
            f"[+ an HTML part of {size:,} characters]"
        )

    def send(self, message: Message) -> None:
        server = parse_server(environment_value(self.env, self.config.smtp_env, "SMTP address"))
        mail = self.mail(message)
        attempts = self.config.retries + 1
        for attempt in range(attempts):
            try:
                refused = self._deliver(server, mail)
            except DeliveryFailed:
                raise
            except (smtplib.SMTPException, OSError) as error:
                if attempt + 1 < attempts and _transient(error):
                    time.sleep(min(2.0**attempt, 30.0))  # 1 s, 2 s, 4 s …
                    continue
                tries = f" after {attempt + 1} attempts" if attempt else ""
                raise DeliveryFailed(f"{server.host}: {_describe(error)}{tries}") from None
            if refused:
                raise DeliveryFailed(
                    f"{server.host} refused {', '.join(sorted(refused))} (the others got it)"
                )
            return

    def _deliver(self, server: Server, mail: EmailMessage) -> dict[str, tuple[int, bytes]]:
        timeout = self.config.timeout.total_seconds()
        context = ssl.create_default_context()
        client: smtplib.SMTP = (
            smtplib.SMTP_SSL(server.host, server.port, timeout=timeout, context=context)
            if server.tls
            else smtplib.SMTP(server.host, server.port, timeout=timeout)
        )
        with client:
            client.ehlo()
            secure = server.tls
            if not secure and client.has_extn("starttls"):
                client.starttls(context=context)
                client.ehlo()
                secure = True
            if server.user is not None:
                if not secure and server.host not in LOOPBACK:
                    raise DeliveryFailed(
                        f"{server.host} offers no STARTTLS: the password would cross the network "
                        "in clear; use smtps:// or a server that offers STARTTLS"
                    )
                client.login(server.user, server.password or "")
            return client.send_message(mail, to_addrs=list(self.config.to))
