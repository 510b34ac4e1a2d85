"""A real SMTP server for the tests (Debian's python3-aiosmtpd): every message is written, byte for byte as
received, to FOLDER/NNNN.eml, with its envelope recipients in NNNN.rcpt. Stops when stdin closes."""
import itertools
import os
import sys

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, folder):
        self.folder = folder
        self.numbers = itertools.count(1)

    async def handle_DATA(self, server, session, envelope):
        name = os.path.join(self.folder, f"{next(self.numbers):04d}")
        with open(name + ".rcpt", "w", encoding="utf-8") as f:
            f.write("\n".join(envelope.rcpt_tos))
        with open(name + ".tmp", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        os.replace(name + ".tmp", name + ".eml")   # readers only ever see whole messages
        return "250 Message accepted"


folder, port = sys.argv[1], int(sys.argv[2])
controller = Controller(Sink(folder), hostname="127.0.0.1", port=port)
controller.start()
print("ready", flush=True)
sys.stdin.read()
controller.stop()
