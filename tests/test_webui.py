"""LLaMA Board and webchat driven in headless Chromium (Playwright, Debian's /usr/bin/chromium), as a user would.

LLaMA Board: scripts/webui.sh starts `llamafactory-cli webui` with the Data dir box set to `.`, the folder that
holds our registry (dataset_info.json); the Dataset list shows every registered set (demo_*, real_*, a generated
set), Preview dataset shows its records, SmolLM2-135M-Instruct as model name fills the template, Model path takes
the default model's folder, and Start runs a 2-step LoRA training that writes its adapter. The board runs in a
temporary copy of the repository root's layout: our dataset_info.json plus Alpaca exports of the fixture and
generated problems (data/sft/ is git-ignored, empty on a clean clone) and models/smollm2-135m-instruct pointing at
the tiny random-weight model, so nothing is written into the checkout but the screenshots.
webchat: `llamafactory-cli webchat configs/demo_cpu_chat.yaml` with an adapter from two LoRA steps answers a
question typed into the page.
Screenshots go to data/work/test-artifacts/ (git-ignored); the paths are printed."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import FIXTURES, REPO, run_tool

pytestmark = pytest.mark.slow
CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
ARTIFACTS = REPO / "data" / "work" / "test-artifacts"
VENV_BIN = Path(sys.executable).parent
GENERATED = REPO / "data" / "synthetic" / "sample_train.jsonl"
# Short and single-threaded: the run must finish in seconds on 2 busy cores.
PAGE_EXTRA_ARGS = {"optim": "adamw_torch", "max_steps": 2, "gradient_accumulation_steps": 1, "use_cpu": True,
                   "bf16": False, "cutoff_len": 512, "preprocessing_num_workers": 1, "dataloader_num_workers": 0}

needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (apt-get install chromium; "
                                    ".ci/run installs it): the LLaMA Board and webchat page tests need a browser")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(port: int) -> dict:
    env = {**os.environ, "PATH": f"{VENV_BIN}:{os.environ['PATH']}", "DISABLE_VERSION_CHECK": "1",
           "GRADIO_SERVER_NAME": "127.0.0.1", "GRADIO_SERVER_PORT": str(port), "GRADIO_ANALYTICS_ENABLED": "False",
           "BROWSER": "true"}  # launch(inbrowser=True) must not open a browser window
    env.pop("DISPLAY", None)
    return env


@contextmanager
def server(cmd: list, cwd: Path, log_path: Path, env: dict, port: int, timeout: float = 150):
    """Start a Gradio server in its own process group, wait for its page, kill the group (and its trainer) at exit."""
    with log_path.open("w") as log:
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            deadline = time.monotonic() + timeout
            while True:
                assert proc.poll() is None, f"{cmd[:2]} exited {proc.returncode}:\n{log_path.read_text()[-3000:]}"
                assert time.monotonic() < deadline, f"no page on 127.0.0.1:{port}:\n{log_path.read_text()[-3000:]}"
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as page:
                        if page.status == 200:
                            break
                except OSError:
                    time.sleep(1)
            yield f"http://127.0.0.1:{port}/"
        finally:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=20)
            except ProcessLookupError:
                pass
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=20)


@contextmanager
def browser_page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(60_000)
            yield page
        finally:
            browser.close()


def visible(locator):
    return locator.filter(visible=True)  # LLaMA Board has the same boxes on several tabs


def artefact(page, name: str, capsys) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path))
    with capsys.disabled():
        print(f"\n[screenshot] {path}")
    return path


@pytest.fixture(scope="module")
def board_root(tiny_model, tmp_path_factory) -> Path:
    """The repository root's layout in a temporary folder: our registry, each registered set exported, a generated
    set registered with tools/export_alpaca.py as a user would, models/smollm2-135m-instruct -> the tiny model."""
    root = tmp_path_factory.mktemp("board")
    registry = root / "dataset_info.json"
    shutil.copy(REPO / "dataset_info.json", registry)
    for name, entry in json.loads(registry.read_text(encoding="utf-8")).items():
        run_tool("export_alpaca", FIXTURES / "sample_train.jsonl", root / entry["file_name"], check=True)
    run_tool("export_alpaca", GENERATED, root / "data" / "sft" / "gen_sample.json", "--name", "gen_sample",
             "--register", registry, check=True)
    (root / "models").mkdir()
    (root / "models" / "smollm2-135m-instruct").symlink_to(tiny_model, target_is_directory=True)
    return root


@needs_chromium
def test_llama_board_lists_our_datasets_and_trains(board_root, capsys):
    from playwright.sync_api import expect

    registered = list(json.loads((board_root / "dataset_info.json").read_text(encoding="utf-8")))
    assert {"real_train", "demo_train", "demo_val", "gen_sample"} <= set(registered)
    port = free_port()
    env = {**server_env(port), "WEBUI_DIR": str(board_root)}
    with server(["bash", str(REPO / "scripts" / "webui.sh")], board_root, board_root / "webui.log", env, port) as url, \
            browser_page() as page:
        page.goto(url)
        data_dir = visible(page.get_by_label("Data dir"))
        data_dir.wait_for()
        assert data_dir.input_value() == "."  # preselected by scripts/webui.sh: nothing typed
        # Model: the name picks the template, the path is the default model's folder (relative to the root).
        name = visible(page.get_by_label("Model name"))
        name.click()
        name.fill("SmolLM2-135M-Instr")
        page.get_by_role("option", name="SmolLM2-135M-Instruct", exact=True).click()
        template = visible(page.get_by_label("Chat template"))
        page.wait_for_function("el => el.value === 'smollm2'", arg=template.element_handle(), timeout=20_000)
        path = visible(page.get_by_label("Model path"))
        path.fill("models/smollm2-135m-instruct")
        path.blur()
        # Datasets: the list is our registry, in its order.
        dataset = visible(page.get_by_label("Dataset", exact=True))
        dataset.click()
        options = visible(page.get_by_role("option"))
        options.first.wait_for()
        assert options.all_inner_texts() == registered
        page.get_by_role("option", name="real_train", exact=True).click()
        page.keyboard.press("Escape")
        preview = visible(page.get_by_role("button", name="Preview dataset"))
        page.wait_for_function("el => !el.disabled", arg=preview.element_handle(), timeout=20_000)
        preview.click()
        count = page.get_by_role("spinbutton", name="Count")
        page.wait_for_function("el => el.value === '12'", arg=count.element_handle(), timeout=20_000)
        expect(visible(page.locator(".modal-box"))).to_contain_text("fixture_000")  # the first records, shown
        artefact(page, "llama_board_datasets.png", capsys)
        page.get_by_role("button", name="Close", exact=True).click()
        # A short run from the page.
        visible(page.get_by_label("Max samples")).fill("8")
        page.get_by_text("Extra configurations", exact=True).click()
        visible(page.get_by_label("Extra arguments")).fill(json.dumps(PAGE_EXTRA_ARGS))
        output_dir = visible(page.get_by_label("Output dir")).input_value()
        start = page.get_by_role("button", name="Start", exact=True)
        start.click()
        finished = page.get_by_text("Finished.").first
        try:
            finished.wait_for(timeout=150_000)
        finally:
            start.scroll_into_view_if_needed()
            artefact(page, "llama_board_trained.png", capsys)
    out = board_root / "saves" / "SmolLM2-135M-Instruct" / "lora" / output_dir
    assert (out / "adapter_model.safetensors").exists() and (out / "adapter_config.json").exists(), \
        sorted(p.name for p in out.iterdir()) if out.exists() else f"{out} missing"
    args = (out / "training_args.yaml").read_text(encoding="utf-8")
    assert "dataset: real_train" in args and "dataset_dir: ." in args and "template: smollm2" in args, args
    assert json.loads((out / "train_results.json").read_text(encoding="utf-8"))["epoch"] > 0


@pytest.fixture(scope="module")
def chat_adapter(board_root, tiny_model) -> Path:
    """A LoRA adapter of the tiny model after two steps of configs/demo_cpu.yaml on demo_train."""
    out = board_root / "saves" / "chat-adapter"
    proc = subprocess.run(
        [str(VENV_BIN / "llamafactory-cli"), "train", str(REPO / "configs" / "demo_cpu.yaml"),
         f"model_name_or_path={tiny_model}", f"output_dir={out}", "max_steps=2", "gradient_accumulation_steps=1",
         "learning_rate=0.05", "plot_loss=false", "bf16=false", "cutoff_len=512", "preprocessing_num_workers=1"],
        cwd=board_root, env=server_env(0), capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0 and (out / "adapter_model.safetensors").exists(), (proc.stdout + proc.stderr)[-3000:]
    return out


@needs_chromium
def test_webchat_answers_a_question_typed_into_the_page(tiny_model, chat_adapter, tmp_path, capsys):
    port = free_port()
    cmd = [str(VENV_BIN / "llamafactory-cli"), "webchat", str(REPO / "configs" / "demo_cpu_chat.yaml"),
           f"model_name_or_path={tiny_model}", f"adapter_name_or_path={chat_adapter}"]
    # cwd: the web UI writes llamaboard_cache/ into its working folder.
    with server(cmd, tmp_path, tmp_path / "webchat.log", server_env(port), port) as url, browser_page() as page:
        page.goto(url)
        # LLaMA-Factory 0.9.5's webchat page under gradio 5.50 comes up unlabelled ("Dropdown", "Slider", "Run"):
        # the language is set to the value it already has, so no change event applies the labels. Picking a
        # language (here zh, then en) labels the page.
        page.get_by_label("Dropdown").first.wait_for()
        lang = page.get_by_label("Dropdown").first.element_handle()
        for code in ("zh", "en"):
            lang.click()
            page.get_by_role("option", name=code, exact=True).click()
            page.wait_for_timeout(500)
        box = visible(page.get_by_placeholder("Input..."))
        box.wait_for()
        page.get_by_role("spinbutton", name="Maximum new tokens").fill("24")  # random weights ramble until the cap
        box.fill("甲、乙、丙三人中只有一人说真话，谁说了真话？")
        visible(page.get_by_role("button", name="Submit", exact=True)).click()
        user = page.get_by_test_id("user").first
        bot = page.get_by_test_id("bot").first
        try:
            user.wait_for(timeout=60_000)
            page.wait_for_function("el => el.innerText.trim().length > 0", arg=bot.element_handle(timeout=60_000),
                                   timeout=60_000)
        finally:
            page.evaluate("window.scrollTo(0, 0)")  # the question and the answer, at the top of the chat
            artefact(page, "webchat_answer.png", capsys)
        assert "甲、乙、丙" in user.inner_text()
        answer = bot.inner_text().strip()
        assert answer, "the chat shows no answer"
    log = (tmp_path / "webchat.log").read_text()
    assert "Loaded adapter(s)" in log, log[-2000:]
