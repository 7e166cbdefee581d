"""One async chat client over the official ``openai`` and ``anthropic`` SDKs, hardened for long paid runs.

``LLMClient.complete(prompt, params)`` returns a :class:`Reply`. Around each call:

* the cache is asked first (a hit costs nothing and skips the network);
* at most ``concurrency`` requests are in flight, spaced to an optional requests-per-minute ceiling;
* each attempt has a hard deadline (``timeout``);
* 429, 408, 409, 5xx, timeouts, dropped connections and unreadable bodies (non-JSON, truncated,
  wrong shape) are retried up to ``max_retries`` times with exponential backoff and full jitter,
  waiting at least what ``Retry-After`` / ``retry-after-ms`` asks;
* 401/403 stop the run (:class:`FatalError`); other 4xx fail that request only (:class:`RequestFailed`).

The SDKs' own retries are switched off so that every attempt is counted and spaced here, and the
raw body is parsed here so that a malformed one is a retry, never a crash.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import random
import time
from dataclasses import asdict, dataclass, field

from ..records import DataError
from .cache import ResponseCache, request_key
from .config import LLMConfig

RETRY_STATUS = {408, 409, 429}
MAX_RETRY_AFTER = 300.0


@dataclass
class Reply:
    text: str
    input_tokens: int = 0
    output_tokens: int = 0
    finish_reason: str | None = None
    cached: bool = False


class TransientError(Exception):
    """Worth another attempt; ``retry_after`` is the server's wish in seconds, if it said one."""

    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class RequestFailed(Exception):
    """This request cannot succeed (a 4xx, or retries exhausted); the run goes on without it."""


class FatalError(DataError):
    """No request can succeed (bad key, no access): the run stops."""


@dataclass
class ClientStats:
    requests: int = 0
    cache_hits: int = 0
    retries: int = 0
    failed: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    errors: dict = field(default_factory=dict)

    def note_error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1


def retry_after_seconds(headers) -> float | None:
    """``retry-after-ms``, else ``Retry-After`` as seconds or an HTTP date; ``None`` if absent or unreadable."""
    if headers is None:
        return None
    value = headers.get("retry-after-ms")
    if value:
        try:
            return max(0.0, float(value) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        return max(0.0, when.timestamp() - time.time())


def backoff_delay(attempt: int, base: float, cap: float, retry_after: float | None, rng=random) -> float:
    """Full-jitter exponential backoff, never shorter than the server's ``Retry-After``."""
    delay = rng.uniform(0, min(cap, base * 2**attempt))
    if retry_after is not None:
        delay = min(retry_after, MAX_RETRY_AFTER) + rng.uniform(0, base)
    return delay


class RateLimiter:
    """Spaces request starts ``60 / rpm`` seconds apart; ``rpm <= 0`` means no limit."""

    def __init__(self, rpm: float):
        self.interval = 60.0 / rpm if rpm > 0 else 0.0
        self.next_start = 0.0
        self.lock = asyncio.Lock()

    async def wait(self) -> None:
        if not self.interval:
            return
        async with self.lock:
            now = time.monotonic()
            start = max(now, self.next_start)
            self.next_start = start + self.interval
        await asyncio.sleep(start - now)


def _body(http_response) -> dict:
    try:
        data = json.loads(http_response.text)
    except (ValueError, UnicodeDecodeError) as e:
        raise TransientError(f"unreadable body ({type(e).__name__})") from None
    if not isinstance(data, dict):
        raise TransientError("unreadable body (not a JSON object)")
    return data


def _translate(e: Exception, sdk) -> Exception:
    """An exception of ``sdk`` (the openai or anthropic module: same class names) as one of ours."""
    if isinstance(e, sdk.APITimeoutError):
        return TransientError("timeout")
    if isinstance(e, sdk.APIConnectionError):
        cause = e.__cause__ or e.__context__
        return TransientError(f"connection: {type(cause).__name__ if cause else 'closed'}")
    if isinstance(e, sdk.APIStatusError):
        status = e.status_code
        if status in RETRY_STATUS or status >= 500:
            return TransientError(f"http {status}", retry_after_seconds(e.response.headers))
        if status in (401, 403):
            return FatalError(f"http {status} from the endpoint: check the API key and model access")
        return RequestFailed(f"http {status}: {str(e)[:200]}")
    return e


# Each SDK is imported only when used: anthropic alone takes seconds to import.
class _OpenAIBackend:
    def __init__(self, config: LLMConfig):
        import openai

        self.module, self.error = openai, openai.OpenAIError
        self.sdk = openai.AsyncOpenAI(api_key=config.api_key(), base_url=config.base_url,
                                      timeout=config.timeout, max_retries=0)

    async def call(self, model: str, prompt: str, params: dict) -> Reply:
        params = dict(params)
        messages = [{"role": "user", "content": prompt}]
        if "system" in params:
            messages.insert(0, {"role": "system", "content": params.pop("system")})
        # Sampling parameters travel in the body as given: SDK releases rename and drop keyword arguments.
        raw = await self.sdk.chat.completions.with_raw_response.create(
            model=model, messages=messages, extra_body=params or None)
        data = _body(raw.http_response)
        try:
            choice = data["choices"][0]
            text = choice["message"].get("content") or ""
            usage = data.get("usage") or {}
            return Reply(text, int(usage.get("prompt_tokens") or 0), int(usage.get("completion_tokens") or 0),
                         choice.get("finish_reason"))
        except (KeyError, IndexError, TypeError, AttributeError, ValueError):
            raise TransientError("unreadable body (not a chat completion)") from None

    async def close(self) -> None:
        await self.sdk.close()


class _AnthropicBackend:
    def __init__(self, config: LLMConfig):
        import anthropic

        self.module, self.error = anthropic, anthropic.AnthropicError
        self.sdk = anthropic.AsyncAnthropic(api_key=config.api_key(), base_url=config.base_url,
                                            timeout=config.timeout, max_retries=0)

    async def call(self, model: str, prompt: str, params: dict) -> Reply:
        params = dict(params)
        kwargs = {k: params.pop(k) for k in ("max_tokens", "system") if k in params}
        raw = await self.sdk.messages.with_raw_response.create(
            model=model, messages=[{"role": "user", "content": prompt}], extra_body=params or None, **kwargs)
        data = _body(raw.http_response)
        try:
            text = "".join(b.get("text", "") for b in data["content"] if b.get("type") == "text")
            usage = data.get("usage") or {}
            return Reply(text, int(usage.get("input_tokens") or 0), int(usage.get("output_tokens") or 0),
                         data.get("stop_reason"))
        except (KeyError, TypeError, AttributeError, ValueError):
            raise TransientError("unreadable body (not a message)") from None

    async def close(self) -> None:
        await self.sdk.close()


class LLMClient:
    """Cached, bounded, retried chat completions; create and use it inside one event loop."""

    def __init__(self, config: LLMConfig, cache: ResponseCache | None = None, rng: random.Random | None = None):
        self.config = config
        self.cache = cache or ResponseCache(None)
        self.backend = (_OpenAIBackend if config.provider == "openai" else _AnthropicBackend)(config)
        self.slots = asyncio.Semaphore(config.concurrency)
        self.limiter = RateLimiter(config.rpm)
        self.rng = rng or random.Random()
        self.stats = ClientStats()
        self.inflight: dict[str, asyncio.Future] = {}

    def key(self, prompt: str, params: dict, sample: int = 0) -> str:
        """The cache key; ``sample`` tells repeated draws of one prompt apart without being sent."""
        return request_key(self.config.provider, self.config.model, prompt,
                           {**params, "sample": sample} if sample else params)

    async def complete(self, prompt: str, params: dict, sample: int = 0) -> Reply:
        key = self.key(prompt, params, sample)
        hit = self.cache.get(key)
        if hit is not None:
            self.stats.cache_hits += 1
            return Reply(**{**hit, "cached": True})
        if key in self.inflight:  # the same request is already on its way: share its reply
            self.stats.cache_hits += 1
            return Reply(**{**asdict(await asyncio.shield(self.inflight[key])), "cached": True})
        self.inflight[key] = asyncio.get_running_loop().create_future()
        try:
            async with self.slots:
                reply = await self._attempts(prompt, params)
        except BaseException as e:
            shared = self.inflight.pop(key)
            shared.set_exception(e if isinstance(e, Exception) else RequestFailed("cancelled"))
            shared.exception()  # retrieved: nobody else may be waiting on it
            raise
        self.cache.put(key, {k: v for k, v in asdict(reply).items() if k != "cached"})
        self.inflight.pop(key).set_result(reply)
        self.stats.input_tokens += reply.input_tokens
        self.stats.output_tokens += reply.output_tokens
        return reply

    async def _attempts(self, prompt: str, params: dict) -> Reply:
        config = self.config
        for attempt in range(config.max_retries + 1):
            await self.limiter.wait()
            self.stats.requests += 1
            try:
                try:
                    async with asyncio.timeout(config.timeout):
                        return await self.backend.call(config.model, prompt, params)
                except TimeoutError:
                    raise TransientError("timeout") from None
                except self.backend.error as e:
                    raise _translate(e, self.backend.module) from None
            except TransientError as e:
                self.stats.note_error(str(e).split(" (")[0])
                if attempt == config.max_retries:
                    self.stats.failed += 1
                    raise RequestFailed(f"gave up after {attempt + 1} attempts, last: {e}") from None
                self.stats.retries += 1
                await asyncio.sleep(backoff_delay(attempt, config.backoff_base, config.backoff_cap, e.retry_after, self.rng))
            except RequestFailed:
                self.stats.failed += 1
                raise
        raise AssertionError("unreachable")

    async def close(self) -> None:
        await self.backend.close()
