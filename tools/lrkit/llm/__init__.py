"""Calling chat-model APIs at scale: the shared engine of synthesize / answer / filter_agreement.

* ``config``     — provider, model, endpoint and request parameters from flags or a YAML file;
                   API keys from the environment or ``.env`` (never stored).
* ``client``     — one async client over the official ``openai`` and ``anthropic`` SDKs: bounded
                   concurrency, retries with backoff and jitter, ``Retry-After``, timeouts, RPM limit.
* ``cache``      — content-addressed response cache (prompt + model + parameters -> reply).
* ``runner``     — jobs -> append-only journal with resume -> ordered output, rejects and a progress bar.
* ``synthesis``, ``reanswer``, ``agreement`` — the three tasks, as jobs and pure functions.
* ``fakeserver`` — a loopback server speaking both wire formats, with fault injection (tests, benchmark,
                   and dry runs without a key).
"""
