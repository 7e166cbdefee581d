"""Which endpoint, which model, how hard to push it: one dataclass, from flags and/or a YAML file.

A YAML file (``--config configs/api/X.yaml``) holds the same keys as the flags, with underscores
(``provider``, ``model``, ``base_url``, ``concurrency``...); a flag given on the command line wins.
API keys are read from the environment or a ``.env`` file (python-dotenv) at call time and never
stored in the config, the cache, the outputs or the logs.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass, field, fields
from pathlib import Path

import yaml
from dotenv import find_dotenv, load_dotenv

from ..cli import read_yaml_mapping
from ..records import DataError

PROVIDERS = ("openai", "anthropic")
DEFAULT_KEY_ENV = {"openai": "OPENAI_API_KEY", "anthropic": "ANTHROPIC_API_KEY"}
DEFAULT_PRICES = Path("configs/api/prices.yaml")
NO_KEY = "no-key"  # local servers (vLLM, llama.cpp, llamafactory-cli api) accept any key


@dataclass
class LLMConfig:
    model: str = ""
    provider: str = "openai"
    base_url: str | None = None
    api_key_env: str | None = None
    concurrency: int = 8
    timeout: float = 120.0
    max_retries: int = 8
    rpm: float = 0.0
    temperature: float | None = None
    max_tokens: int | None = None
    system: str | None = None
    cache_dir: str = ".cache/llm"
    prices: str = str(DEFAULT_PRICES)
    backoff_base: float = 0.5
    backoff_cap: float = 30.0
    extra: dict = field(default_factory=dict)

    def validate(self) -> "LLMConfig":
        if not self.model:
            raise DataError("no model: pass --model or set model: in the --config file")
        if self.provider not in PROVIDERS:
            raise DataError(f"provider: expected one of {', '.join(PROVIDERS)}, got {self.provider!r}")
        if self.concurrency < 1:
            raise DataError(f"concurrency: expected >= 1, got {self.concurrency}")
        if self.timeout <= 0 or self.max_retries < 0 or self.rpm < 0:
            raise DataError("timeout must be > 0, max_retries and rpm >= 0")
        return self

    def params(self, temperature: float, max_tokens: int) -> dict:
        """Request parameters: the config's values, else the task's defaults; they key the cache."""
        params = {
            "temperature": self.temperature if self.temperature is not None else temperature,
            "max_tokens": self.max_tokens if self.max_tokens is not None else max_tokens,
        }
        if self.system:
            params["system"] = self.system
        params.update(self.extra)
        return params

    def api_key(self) -> str:
        """The key from the environment or ``.env``; a placeholder for a local ``base_url``."""
        load_dotenv(find_dotenv(usecwd=True), override=False)
        name = self.api_key_env or DEFAULT_KEY_ENV[self.provider]
        key = os.environ.get(name)
        if key:
            return key
        if self.base_url:
            return NO_KEY
        raise DataError(f"no API key: set {name} in the environment or in .env (or pass --base-url for a local server)")


_FLAG_KEYS = ("provider", "model", "base_url", "concurrency", "timeout", "max_retries", "rpm",
              "temperature", "max_tokens", "api_key_env", "cache_dir", "prices")


def add_client_args(parser: argparse.ArgumentParser) -> None:
    """The flags every API tool shares; each may also come from ``--config``."""
    group = parser.add_argument_group("model endpoint (flags override --config)")
    group.add_argument("--config", help="YAML file with any of the keys below (see configs/api/)")
    group.add_argument("--provider", choices=PROVIDERS, help="wire format: openai (any compatible server) or anthropic")
    group.add_argument("--model", help="model name as the endpoint knows it")
    group.add_argument("--base-url", help="endpoint, e.g. http://127.0.0.1:8000/v1 (default: the provider's)")
    group.add_argument("--concurrency", type=int, help="requests in flight (default 8)")
    group.add_argument("--timeout", type=float, help="seconds per request attempt (default 120)")
    group.add_argument("--max-retries", type=int, help="retries on 429/5xx/timeouts/bad bodies (default 8)")
    group.add_argument("--rpm", type=float, help="requests-per-minute ceiling (default: none)")
    group.add_argument("--temperature", type=float, help="sampling temperature (default: the tool's)")
    group.add_argument("--max-tokens", type=int, help="reply length limit (default: the tool's)")
    group.add_argument("--api-key-env", help="environment variable holding the key (default OPENAI_API_KEY / ANTHROPIC_API_KEY)")
    group.add_argument("--cache-dir", help="response cache folder (default .cache/llm)")
    group.add_argument("--prices", help="price table YAML for the cost estimate (default configs/api/prices.yaml)")


def load_config(args: argparse.Namespace) -> LLMConfig:
    """The config file's keys, overridden by every flag given."""
    values: dict = {}
    if getattr(args, "config", None):
        loaded = read_yaml_mapping(args.config)
        if "api_key" in loaded:
            raise DataError(f"{args.config}: keys belong in the environment or .env, not in a config file")
        unknown = sorted(set(loaded) - {f.name for f in fields(LLMConfig)})
        if unknown:
            raise DataError(f"{args.config}: unknown key(s) {', '.join(unknown)}")
        values.update(loaded)
    for key in _FLAG_KEYS:
        value = getattr(args, key, None)
        if value is not None:
            values[key] = value
    return LLMConfig(**values).validate()


def load_prices(path: str | os.PathLike) -> dict[str, dict]:
    """Model -> ``{"input": USD, "output": USD}`` per million tokens; an absent file means no estimate."""
    path = Path(path)
    if not path.exists():
        return {}
    table = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return table.get("models", table) if isinstance(table, dict) else {}


def price_of(prices: dict[str, dict], model: str) -> dict | None:
    """The exact entry, else the longest table name that prefixes ``model`` (dated snapshots)."""
    if model in prices:
        return prices[model]
    matches = [name for name in prices if model.startswith(name)]
    return prices[max(matches, key=len)] if matches else None
