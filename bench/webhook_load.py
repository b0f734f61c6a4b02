"""Open-loop load for the WhatsApp webhook: signed POSTs at a fixed rate, one JSON report.

`python bench/webhook_load.py URL --rate 50 --seconds 10 --phone-number-id ID --tag T`

Standard library only (asyncio and raw sockets), run as its own process by `bench/run.py
webhook`. Request i is sent at start + i / rate whatever the answers do (open loop: a slow
server gets more requests in flight, not fewer requests), each on a new connection
(`Connection: close`, as gunicorn's sync workers close it anyway), from the source addresses
127.0.0.1 ... 127.0.0.N in turn. Latency runs from the scheduled send time to the end of the
answer, so a late send counts against the server's figure, never in its favour.

Each request carries one message, as Meta sends them: about 72% the first text (or location)
of a new sender, 18% a follow-up of a sender seen earlier in the run (same conversation), 5%
"cek <kode>" from another sender, 5% a reaction. Message ids are `wamid.HBgN<tag>...`, unique
per run. Prints {"requests": [...], "started": ..., "sending_seconds": ..., "max_lag": ...}.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import json
import random
import sys
import time
from dataclasses import asdict, dataclass
from urllib.parse import urlsplit

DEMO_APP_SECRET = "balai-demo-app-secret"  # noqa: S105 (published demo value)
NAMES = ["Made", "Nyoman", "Ketut", "Wayan", "Komang", "Putu", "Gede", "Luh", "Kadek", "Ayu"]
TEXTS = [
    "Jalan desa berlubang dan membahayakan pengendara, mohon segera diperbaiki",
    "Air PDAM tidak mengalir sejak kemarin pagi",
    "Sampah menumpuk di dekat pasar belum diangkut tiga hari",
    "Lampu penerangan jalan mati sepanjang ruas jalan menuju banjar",
    "Antrean puskesmas sangat panjang, mohon penambahan petugas",
    "KTP elektronik belum jadi setelah sebulan",
    "Jembatan kecil retak setelah hujan deras, warga takut melintas",
    "Pipa bocor di pinggir jalan, air terbuang",
]
FOLLOW_UPS = [
    "Ini fotonya belum bisa dikirim, lokasinya dekat balai banjar",
    "Mohon ditindaklanjuti, sudah berbahaya untuk anak sekolah",
    "Tambahan: kejadiannya sejak minggu lalu",
]


@dataclass
class Planned:
    message_id: str
    sender: str
    kind: str  # "new", "follow-up", "cek", "reaction"
    body: bytes


@dataclass
class Result:
    message_id: str
    sender: str
    kind: str
    source: str
    status: int  # HTTP status; 0 when no answer came
    error: str
    lag: float  # actual start - scheduled send time (s)
    latency: float  # end of the answer - scheduled send time (s)


def envelope(phone_number_id: str, sender: str, name: str, message: dict) -> dict:
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "1" + phone_number_id[1:],  # the WhatsApp business account id
                "changes": [
                    {
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {
                                "display_phone_number": "6236691000",
                                "phone_number_id": phone_number_id,
                            },
                            "contacts": [{"profile": {"name": name}, "wa_id": sender}],
                            "messages": [message],
                        },
                        "field": "messages",
                    }
                ],
            }
        ],
    }


def plan(
    *, count: int, phone_number_id: str, tag: str, seed: int, sender_prefix: str = "0"
) -> list[Planned]:
    """The messages of one run, deterministic for the seed."""
    rng = random.Random(seed)
    senders: list[tuple[str, str, str]] = []  # (wa_id, name, last message id)
    used: set[str] = set()
    planned = []

    def new_sender() -> str:
        while True:
            wa_id = f"62812{sender_prefix}{rng.randrange(10**7):07d}"
            if wa_id not in used:
                used.add(wa_id)
                return wa_id

    for i in range(count):
        message_id = f"wamid.HBgN{tag}{i:06d}{rng.getrandbits(48):012X}"
        stamp = str(int(time.time()))
        roll = rng.random()
        if roll < 0.18 and senders:
            kind = "follow-up"
            sender, name, _last = rng.choice(senders)
            if rng.random() < 0.3:
                message = {
                    "type": "location",
                    "location": {
                        "latitude": round(-8.45 + rng.uniform(-0.1, 0.1), 6),
                        "longitude": round(115.35 + rng.uniform(-0.1, 0.1), 6),
                        "name": "Balai Banjar",
                    },
                }
            else:
                message = {"type": "text", "text": {"body": rng.choice(FOLLOW_UPS)}}
        elif roll < 0.23:
            kind = "cek"
            sender, name = new_sender(), rng.choice(NAMES)
            code = "".join(rng.choice("ACDEFGHJKMNPQRTUVWXY34679") for _ in range(8))
            message = {"type": "text", "text": {"body": f"cek {code[:4]}-{code[4:]}"}}
        elif roll < 0.28 and senders:
            kind = "reaction"
            sender, name, last = rng.choice(senders)
            message = {"type": "reaction", "reaction": {"message_id": last, "emoji": "🙏"}}
        else:
            kind = "new"
            sender, name = new_sender(), rng.choice(NAMES)
            message = {"type": "text", "text": {"body": rng.choice(TEXTS)}}
            senders.append((sender, name, message_id))
        message = {"from": sender, "id": message_id, "timestamp": stamp, **message}
        body = json.dumps(envelope(phone_number_id, sender, name, message)).encode()
        planned.append(Planned(message_id, sender, kind, body))
    return planned


def http_request(url: str, body: bytes, secret: str) -> bytes:
    parts = urlsplit(url)
    signature = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    head = (
        f"POST {parts.path} HTTP/1.1\r\n"
        f"Host: {parts.netloc}\r\n"
        "User-Agent: facebookexternalua\r\n"
        "Accept: */*\r\n"
        "Content-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n"
        f"X-Hub-Signature-256: sha256={signature}\r\n"
        "Connection: close\r\n\r\n"
    )
    return head.encode() + body


async def send(
    host: str, port: int, source: str, raw: bytes, scheduled: float, timeout: float
) -> tuple[int, str, float, float]:
    """(status, error, lag, latency) of one request sent at `scheduled` (perf_counter)."""
    started = time.perf_counter()
    writer = None
    try:
        async with asyncio.timeout(timeout):
            reader, writer = await asyncio.open_connection(host, port, local_addr=(source, 0))
            writer.write(raw)
            await writer.drain()
            answer = await reader.read()
        status_line = answer.split(b"\r\n", 1)[0].split()
        status = int(status_line[1]) if len(status_line) > 1 else 0
        error = "" if status else "no status line"
    except TimeoutError:
        status, error = 0, "timeout"
    except OSError as exc:
        status, error = 0, f"{type(exc).__name__}: {exc}"
    finally:
        if writer is not None:
            writer.close()
    return status, error, started - scheduled, time.perf_counter() - scheduled


async def run(options: argparse.Namespace) -> dict:
    parts = urlsplit(options.url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    count = round(options.rate * options.seconds)
    planned = plan(
        count=count,
        phone_number_id=options.phone_number_id,
        tag=options.tag,
        seed=options.seed,
        sender_prefix=options.sender_prefix,
    )
    raws = [http_request(options.url, p.body, options.secret) for p in planned]
    sources = [f"127.0.0.{n}" for n in range(1, options.sources + 1)]
    tasks = []
    start = time.perf_counter() + 0.2
    wall_start = time.time() + 0.2
    for i, raw in enumerate(raws):
        scheduled = start + i / options.rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(
            asyncio.create_task(
                send(host, port, sources[i % len(sources)], raw, scheduled, options.timeout)
            )
        )
    sending_seconds = time.perf_counter() - start
    answers = await asyncio.gather(*tasks)
    results = [
        Result(p.message_id, p.sender, p.kind, sources[i % len(sources)], *answer)
        for i, (p, answer) in enumerate(zip(planned, answers, strict=True))
    ]
    return {
        "started": wall_start,
        "sending_seconds": sending_seconds,
        "total_seconds": time.perf_counter() - start,
        "max_lag": max((r.lag for r in results), default=0.0),
        "requests": [asdict(r) for r in results],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--rate", type=float, required=True, help="requests per second")
    parser.add_argument("--seconds", type=float, required=True)
    parser.add_argument("--phone-number-id", required=True)
    parser.add_argument("--tag", required=True, help="unique per run, in every message id")
    parser.add_argument("--secret", default=DEMO_APP_SECRET)
    parser.add_argument("--sources", type=int, default=1, help="source addresses 127.0.0.1..N")
    parser.add_argument("--timeout", type=float, default=30.0, help="per request (s)")
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument(
        "--sender-prefix", default="0", help="a digit in every sender's number (one per run)"
    )
    options = parser.parse_args(argv)
    report = asyncio.run(run(options))
    json.dump(report, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
