"""Pre-sign requests with the generated project's own Signer, for wrk to send (one nonce each).

Runs inside the generated project's venv. `did KEY` prints the client's did:key (creating the
key); `sign KEY PACKAGE URI BODY COUNT OUT` writes the body, then one line of Content-Digest,
Signature-Input and Signature per request.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import anyio


async def main(argv: list[str]) -> None:
    command, key, package = argv[0], Path(argv[1]), argv[2]
    identity_module = importlib.import_module(f"{package}.identity")
    identity = await identity_module.Identity.create(key)
    if command == "did":
        print(identity.did)
        return
    uri, body, count, out = argv[3], argv[4].encode(), int(argv[5]), Path(argv[6])
    signing = importlib.import_module(f"{package}.signing")
    signer = signing.Signer(identity, max_age_s=60)
    lines = [argv[4]]
    for _ in range(count):
        headers = signer.sign("POST", uri, body)
        lines.append(
            f"{headers['Content-Digest']}\t{headers['Signature-Input']}\t{headers['Signature']}"
        )
    await anyio.Path(out).write_text("\n".join(lines) + "\n", encoding="ascii")


anyio.run(main, sys.argv[1:])
