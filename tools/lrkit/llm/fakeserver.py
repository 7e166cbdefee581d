"""A loopback chat server speaking OpenAI chat-completions and Anthropic messages, with faults on demand.

Usage: lrkit-fakeserver [--port 0] [--latency 1] [--p429 0.1 --p500 0.1 ...]

The console script ``lrkit-fakeserver`` (pyproject.toml; ``.venv/bin/lrkit-fakeserver``) runs :func:`main`.
For tests, the throughput benchmark, and dry runs of the tools without a key. Replies are a pure
function of the prompt, so two runs can be compared byte for byte: a prompt that asks for JSON gets a
competition-format problem (a share deliberately malformed: no JSON, an answer outside the options,
no questions), any other prompt gets reasoning ending in ``答案是：X`` (a share with no answer line).

Faults, drawn per request: 429 with ``Retry-After``, 500, a reply slower than the client's timeout, a
truncated body (``Content-Length`` promises more than is sent), a non-JSON body; the key ``bad-key`` gets
a 401. ``GET /stats`` returns
the counts, including how many times each prompt was answered in full (a repeated paid call).
Prints ``listening on http://127.0.0.1:PORT`` once ready. Binds 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import random
import re
import threading
from collections import Counter
from dataclasses import dataclass

LETTERS = "ABCDEFG"
_OPTION_LINE = re.compile(r"^([A-G])\. ", re.MULTILINE)


@dataclass
class Faults:
    p429: float = 0.0
    p500: float = 0.0
    pslow: float = 0.0
    ptruncate: float = 0.0
    pnonjson: float = 0.0
    retry_after: str = "1"
    slow: float = 30.0
    latency: float = 0.0
    malformed: float = 0.1
    seed: int = 0


def _digest(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


def reply_text(prompt: str, malformed: float = 0.1) -> str:
    """The deterministic 'model': a JSON problem when asked for JSON, else an answer line."""
    h = _digest(prompt)
    rng = random.Random(h)
    bad = rng.random() < malformed
    if "JSON" in prompt:
        if bad:
            return rng.choice(["抱歉，我无法完成这个任务。", '```json\n{"problem": "残缺的题目"}\n```',
                               json.dumps({"problem": "选项越界", "questions": [
                                   {"question": "谁？", "options": ["甲", "乙"], "answer": "F"}]}, ensure_ascii=False)])
        questions = []
        for q in range(rng.randint(1, 3)):
            n = rng.randint(2, 4)
            questions.append({"question": f"问题{q + 1}（{h % 997}）：下列哪一项成立？",
                              "options": [f"选项{LETTERS[i]}{h % 89}" for i in range(n)], "answer": LETTERS[rng.randrange(n)]})
        body = json.dumps({"problem": f"第{h % 100003}号题目：有若干人，各有属性。", "questions": questions}, ensure_ascii=False)
        return f"好的，题目如下：\n```json\n{body}\n```" if rng.random() < 0.5 else body
    n = max(len(set(_OPTION_LINE.findall(prompt))), 2)
    if bad:
        return "这道题条件不足，我无法确定。"
    return f"逐步分析：根据闭世界假设推理（{h % 1000}）。\n答案是：{LETTERS[rng.randrange(n)]}"


def _prompt_of(path: str, body: dict) -> tuple[str, str, str]:
    """``(wire format, model, prompt)`` of a request."""
    messages = body.get("messages") or []
    content = messages[-1].get("content", "") if messages else ""
    if isinstance(content, list):
        content = "".join(block.get("text", "") for block in content if isinstance(block, dict))
    kind = "anthropic" if path.endswith("/messages") else "openai"
    return kind, str(body.get("model", "")), str(content)


def _completion(kind: str, model: str, prompt: str, text: str, h: int) -> dict:
    tokens_in, tokens_out = max(1, len(prompt) // 2), max(1, len(text) // 2)
    if kind == "anthropic":
        return {"id": f"msg_{h:x}", "type": "message", "role": "assistant", "model": model,
                "content": [{"type": "text", "text": text}], "stop_reason": "end_turn", "stop_sequence": None,
                "usage": {"input_tokens": tokens_in, "output_tokens": tokens_out}}
    return {"id": f"chatcmpl-{h:x}", "object": "chat.completion", "created": 0, "model": model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": tokens_in, "completion_tokens": tokens_out, "total_tokens": tokens_in + tokens_out}}


class FakeServer:
    def __init__(self, faults: Faults):
        self.faults = faults
        self.rng = random.Random(faults.seed)
        self.outcomes: Counter = Counter()
        self.answered: Counter = Counter()

    def stats(self) -> dict:
        return {"outcomes": dict(self.outcomes), "answered": sum(self.answered.values()),
                "distinct": len(self.answered), "repeated": sum(c - 1 for c in self.answered.values())}

    def _fault(self) -> str | None:
        f, u = self.faults, self.rng.random()
        for name, p in (("429", f.p429), ("500", f.p500), ("slow", f.pslow), ("truncated", f.ptruncate), ("nonjson", f.pnonjson)):
            if u < p:
                return name
            u -= p
        return None

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while await self._one(reader, writer):
                pass
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()

    async def _send(self, writer, status: str, body: bytes, ctype="application/json", headers=(), length=None) -> None:
        head = [f"HTTP/1.1 {status}", f"Content-Type: {ctype}", f"Content-Length: {len(body) if length is None else length}",
                "Connection: keep-alive", *headers]
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
        await writer.drain()

    async def _one(self, reader, writer) -> bool:
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        method, path, _ = lines[0].split(" ", 2)
        headers = {k.strip().lower(): v.strip() for k, _, v in (l.partition(":") for l in lines[1:] if l)}
        raw = await reader.readexactly(int(headers.get("content-length", 0)))
        if method == "GET" and path.startswith("/stats"):
            await self._send(writer, "200 OK", json.dumps(self.stats()).encode())
            return True
        if method != "POST" or not (path.endswith("/chat/completions") or path.endswith("/messages")):
            await self._send(writer, "404 Not Found", b'{"error": {"message": "not found"}}')
            return True
        try:
            kind, model, prompt = _prompt_of(path, json.loads(raw))
        except (ValueError, AttributeError, TypeError):
            await self._send(writer, "400 Bad Request", b'{"error": {"message": "bad request body"}}')
            return True
        if headers.get("authorization") == "Bearer bad-key" or headers.get("x-api-key") == "bad-key":
            await self._send(writer, "401 Unauthorized", b'{"error": {"message": "invalid key", "type": "authentication_error"}}')
            return True
        if self.faults.latency:
            await asyncio.sleep(self.faults.latency)
        fault = self._fault()
        self.outcomes[fault or "ok"] += 1
        if fault == "429":
            await self._send(writer, "429 Too Many Requests", b'{"error": {"message": "rate limited", "type": "rate_limit_error"}}',
                             headers=[f"Retry-After: {self.faults.retry_after}"])
            return True
        if fault == "500":
            await self._send(writer, "500 Internal Server Error", b'{"error": {"message": "boom", "type": "api_error"}}')
            return True
        if fault == "slow":
            await asyncio.sleep(self.faults.slow)
        text = reply_text(prompt, self.faults.malformed)
        body = json.dumps(_completion(kind, model, prompt, text, _digest(prompt)), ensure_ascii=False).encode()
        if fault == "nonjson":
            await self._send(writer, "200 OK", b"<html><body>502 Bad Gateway</body></html>", ctype="text/html")
            return True
        if fault == "truncated":
            await self._send(writer, "200 OK", body[: len(body) // 2], length=len(body))
            return False
        if fault is None:
            self.answered[hashlib.sha256(f"{kind}\0{model}\0{prompt}".encode()).hexdigest()] += 1
        await self._send(writer, "200 OK", body)
        return True

    async def start(self, port: int = 0):
        server = await asyncio.start_server(self.handle, "127.0.0.1", port, backlog=1024)
        return server, server.sockets[0].getsockname()[1]


def serve_in_thread(faults: Faults | None = None) -> tuple[str, FakeServer, callable]:
    """Start a server on a background thread: ``(http://127.0.0.1:PORT, server, stop)``."""
    fake = FakeServer(faults or Faults())
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    box = {}

    def main() -> None:
        asyncio.set_event_loop(loop)
        box["server"], box["port"] = loop.run_until_complete(fake.start())
        ready.set()
        loop.run_forever()
        loop.close()

    async def shutdown() -> None:
        box["server"].close()
        handlers = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in handlers:
            task.cancel()
        await asyncio.gather(*handlers, return_exceptions=True)

    thread = threading.Thread(target=main, daemon=True)
    thread.start()
    ready.wait(10)

    def stop() -> None:
        asyncio.run_coroutine_threadsafe(shutdown(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)

    return f"http://127.0.0.1:{box['port']}", fake, stop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    for name, default in vars(Faults()).items():
        parser.add_argument(f"--{name.replace('_', '-')}", type=type(default), default=default)
    args = parser.parse_args()
    port = args.port
    faults = Faults(**{k: getattr(args, k) for k in vars(Faults())})

    async def serve() -> None:
        server, bound = await FakeServer(faults).start(port)
        print(f"listening on http://127.0.0.1:{bound}", flush=True)
        async with server:
            await server.serve_forever()

    try:
        asyncio.run(serve())
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
