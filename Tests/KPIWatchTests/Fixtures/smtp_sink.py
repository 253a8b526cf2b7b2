#!/usr/bin/env python3
"""A tiny SMTP server on 127.0.0.1 for tests: accepts every message and saves it to a folder.

Usage: smtp_sink.py FOLDER. Prints the port it listens on as its first line, then serves until
killed. Each message is written to FOLDER/N.eml (N from 1). Speaks just enough SMTP (EHLO/HELO,
MAIL, RCPT, DATA, RSET, NOOP, QUIT) for smtplib; no TLS, no AUTH.
"""
import os
import socketserver
import sys
import threading

FOLDER = sys.argv[1]
COUNTER = {"n": 0}
LOCK = threading.Lock()


class Handler(socketserver.StreamRequestHandler):
    def reply(self, text):
        self.wfile.write((text + "\r\n").encode())
        self.wfile.flush()

    def handle(self):
        self.reply("220 localhost test SMTP sink")
        sender, recipients = None, []
        while True:
            line = self.rfile.readline()
            if not line:
                return
            command = line.decode("utf-8", "replace").strip()
            verb = command.split(" ", 1)[0].upper()
            if verb == "EHLO":
                self.wfile.write(b"250-localhost\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
                self.wfile.flush()
            elif verb in ("HELO", "NOOP", "RSET"):
                sender, recipients = (None, []) if verb == "RSET" else (sender, recipients)
                self.reply("250 OK")
            elif verb == "MAIL":
                sender = command[10:].strip()
                self.reply("250 OK")
            elif verb == "RCPT":
                recipients.append(command[8:].strip())
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                data = []
                while True:
                    chunk = self.rfile.readline()
                    if not chunk or chunk in (b".\r\n", b".\n"):
                        break
                    data.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                with LOCK:
                    COUNTER["n"] += 1
                    path = os.path.join(FOLDER, f"{COUNTER['n']}.eml")
                with open(path + ".part", "wb") as out:
                    out.write(f"X-Envelope-From: {sender}\r\nX-Envelope-To: {', '.join(recipients)}\r\n".encode())
                    out.write(b"".join(data))
                os.rename(path + ".part", path)
                self.reply("250 OK: queued")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


if __name__ == "__main__":
    os.makedirs(FOLDER, exist_ok=True)
    with Server(("127.0.0.1", 0), Handler) as server:
        print(server.server_address[1], flush=True)
        server.serve_forever()
