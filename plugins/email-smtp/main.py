#!/usr/bin/env python3
"""kpiwatch sink plugin: one e-mail per run, through an SMTP relay, summarising the alerts.

Standard input: line 1 is the sink's options (host, port, from, to, starttls, username, password,
subject_prefix, timeout) plus "run"; then one JSON line per notification with its "id".
Standard output: one line per notification, {"id": …, "ok": true} or {"id": …, "ok": false, "error": …}.
Standard library only. Protocol: plugins/README.md.
"""
import json
import os
import smtplib
import socket
import ssl
import sys
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

SEVERITY_ORDER = {"critical": 0, "warning": 1, "unknown": 2}


def fail(message):
    print(f"email-smtp: {message}", file=sys.stderr)
    sys.exit(2)


def read_input():
    lines = [line for line in sys.stdin.read().splitlines() if line.strip()]
    if not lines:
        fail("no options on standard input")
    try:
        options = json.loads(lines[0])
        notifications = [json.loads(line) for line in lines[1:]]
    except json.JSONDecodeError as error:
        fail(f"standard input is not JSON lines: {error}")
    for key in ("host", "from", "to"):
        if not options.get(key):
            fail(f"option '{key}' is missing; set it on the sink in kpiwatch.yaml")
    recipients = options["to"]
    if isinstance(recipients, str):
        recipients = [recipients]
    if not isinstance(recipients, list) or not all(isinstance(r, str) and "@" in r for r in recipients):
        fail("option 'to' must be a list of e-mail addresses")
    options["to"] = recipients
    return options, notifications


def describe(notification):
    """One line of the body: severity, what, where. Alerts carry ids and counts only, never personal fields."""
    where = notification.get("key") or ", ".join(f"{k}={v}" for k, v in sorted(notification.get("group", {}).items()))
    status = "RESOLVED" if notification.get("status") == "resolved" else notification.get("severity", "").upper()
    line = f"[{status}] {notification.get('title', notification.get('rule'))}"
    if where:
        line += f" ({where})"
    return line + "\n    " + notification.get("message", "")


def compose(options, notifications):
    firing = [n for n in notifications if n.get("status") != "resolved"]
    resolved = [n for n in notifications if n.get("status") == "resolved"]
    counts = {}
    for notification in firing:
        counts[notification.get("severity")] = counts.get(notification.get("severity"), 0) + 1
    parts = [f"{counts[s]} {s}" for s in sorted(counts, key=lambda s: SEVERITY_ORDER.get(s, 9))]
    if resolved:
        parts.append(f"{len(resolved)} resolved")
    run = options.get("run", {})
    prefix = options.get("subject_prefix", "[kpiwatch]")
    subject = f"{prefix} {', '.join(parts)} as of {run.get('as_of', '')}".strip()

    body = [f"kpiwatch run of {run.get('project', '')} as of {run.get('as_of', '')}: "
            f"{len(firing)} alert(s) firing, {len(resolved)} resolved.", ""]
    ordered = sorted(firing, key=lambda n: (SEVERITY_ORDER.get(n.get("severity"), 9), n.get("rule", ""),
                                            n.get("key") or ""))
    body += [describe(n) for n in ordered]
    if resolved:
        body += ["", "Resolved:"] + [describe(n) for n in resolved]

    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = options["from"]
    message["To"] = ", ".join(options["to"])
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain="kpiwatch")
    message.set_content("\n".join(body) + "\n")
    return message


def send(options, message):
    host = options["host"]
    port = int(options.get("port") or 25)
    timeout = float(options.get("timeout") or 30)
    username = options.get("username") or os.environ.get("SMTP_USERNAME")
    password = options.get("password") or os.environ.get("SMTP_PASSWORD")
    with smtplib.SMTP(host, port, timeout=timeout) as smtp:
        if options.get("starttls"):
            smtp.starttls(context=ssl.create_default_context())
        if username:
            smtp.login(username, password or "")
        refused = smtp.send_message(message, from_addr=options["from"], to_addrs=options["to"])
    return refused


def main():
    options, notifications = read_input()
    if not notifications:
        return
    try:
        refused = send(options, compose(options, notifications))
        error = None if not refused else f"the relay refused {', '.join(sorted(refused))}"
    except (smtplib.SMTPException, OSError, socket.timeout, ssl.SSLError) as problem:
        # Never the password: smtplib's messages hold the server's reply, not the credentials.
        error = f"cannot send through {options['host']}:{options.get('port') or 25}: {problem}"
    for notification in notifications:
        answer = {"id": notification["id"], "ok": error is None}
        if error:
            answer["error"] = error
        print(json.dumps(answer))


if __name__ == "__main__":
    main()
