"""The evaluation report opens in a real browser (headless Chromium) with every chart loaded."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from conftest import FIXTURES, run_tool
from lrkit.report import classify_family

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# Appended to a copy of the report: after load, count the images that decoded to a real size.
CHECK = """<script>window.addEventListener("load", () => {
  const imgs = [...document.images];
  const ok = imgs.filter(i => i.complete && i.naturalWidth > 0).length;
  document.body.setAttribute("data-images", ok + "/" + imgs.length);
});</script>"""


def test_keyword_family_classifier():
    assert classify_family("在一个大家庭中，已知父子关系") == "kinship"
    assert classify_family("节点 a 连接到节点 b") == "graph_reachability"
    assert classify_family("给定一个列表 [1, 2]") == "list_ops"
    assert classify_family("今天天气很好") == "other"


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (apt-get install chromium; CI's .ci/run does)")
def test_report_renders_in_headless_chromium(tmp_path):
    report = tmp_path / "report"
    run_tool("evaluate", "--pred", FIXTURES / "sample_pred.jsonl", "--gold", FIXTURES / "sample_train.jsonl",
             "--report", report, check=True)
    html = (report / "report.html").read_text(encoding="utf-8")
    n_images = len(re.findall(r"<img ", html))
    assert n_images == 4 and "Wrong answers" in html
    (report / "check.html").write_text(html.replace("</body>", CHECK + "</body>"), encoding="utf-8")
    profile = tmp_path / "profile"
    dom = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--virtual-time-budget=5000", "--dump-dom",
                          (report / "check.html").as_uri()], capture_output=True, text=True, timeout=120)
    assert f'data-images="{n_images}/{n_images}"' in dom.stdout, dom.stderr[-2000:]
    shot = tmp_path / "shot.png"
    subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--window-size=1200,900", f"--screenshot={shot}",
                    (report / "report.html").as_uri()], capture_output=True, timeout=120)
    from PIL import Image

    image = Image.open(shot).convert("L")
    low, high = image.getextrema()
    assert image.size == (1200, 900) and high - low > 100  # not blank: dark text and bars on white
    assert len(set(image.resize((60, 45)).getdata())) > 20
