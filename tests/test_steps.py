"""scripts/steps.sh without a model: `step` skips a step only while its command line and input files are what its
stamp recorded, says why it skips or re-runs, and leaves no stamp after a failure; `progress` shows a
LLaMA-Factory-style run's bar and metric lines on the console and keeps everything in the log; the scoring and
generation bars of lrkit.inference write whole lines when stderr is not a terminal."""

from __future__ import annotations

import os
import re
import subprocess
import time
from pathlib import Path

import pytest

from conftest import REPO

STEPS = REPO / "scripts" / "steps.sh"


def bash(tmp_path: Path, body: str, check: bool = True, **env) -> subprocess.CompletedProcess:
    """Run BODY in tmp_path after sourcing scripts/steps.sh from the repository root, as the scripts do."""
    script = tmp_path / "run.sh"
    script.write_text(f"set -euo pipefail\ncd {REPO}\nTAG=t\nsource scripts/steps.sh\ncd {tmp_path}\n{body}\n")
    proc = subprocess.run(["bash", str(script)], capture_output=True, text=True, timeout=120,
                          env={**os.environ, **env})
    if check:
        assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


COPY = 'step "copy" out.txt in.txt -- cp in.txt out.txt'


@pytest.fixture
def work(tmp_path) -> Path:
    (tmp_path / "in.txt").write_text("one\n")
    return tmp_path


def test_first_run_then_skip_while_unchanged(work):
    first = bash(work, COPY).stdout
    assert "[t] copy (no output yet)" in first and "[t] copy -> out.txt (" in first
    stamp = (work / "out.txt.stamp").read_text()
    assert stamp.startswith("# step copy\n# when ") and re.search(r"^command [0-9a-f]{64}$", stamp, re.M)
    assert re.search(r"^input [0-9a-f]{64} in.txt$", stamp, re.M)
    again = bash(work, COPY).stdout
    assert re.fullmatch(r"\[t\] copy: unchanged since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d -> out.txt\n", again), again
    # Rewriting an input with the same content is no change: identities are content hashes.
    (work / "in.txt").write_text("one\n")
    assert "unchanged since" in bash(work, COPY).stdout


def test_rerun_when_an_input_changes(work):
    bash(work, COPY)
    (work / "in.txt").write_text("two\n")
    out = bash(work, COPY).stdout
    assert "[t] copy (inputs changed: in.txt)" in out
    assert (work / "out.txt").read_text() == "two\n"
    assert "unchanged since" in bash(work, COPY).stdout


def test_rerun_when_arguments_change(work):
    bash(work, 'step "copy" out.txt in.txt -- cp in.txt out.txt')
    out = bash(work, 'step "copy" out.txt in.txt -- cp -p in.txt out.txt').stdout
    assert "[t] copy (arguments changed)" in out
    # An argument that is a variable (TRAIN_ARGS, DATA) counts the same way.
    body = 'read -ra extra <<< "${EXTRA:-}"\nstep "copy" out.txt in.txt -- cp "${extra[@]}" in.txt out.txt'
    bash(work, body)
    assert "unchanged since" in bash(work, body).stdout
    assert "(arguments changed)" in bash(work, body, EXTRA="-p").stdout
    assert "unchanged since" in bash(work, body, EXTRA="-p").stdout


def test_inputs_added_dropped_and_both_reasons(work):
    (work / "other.txt").write_text("x\n")
    bash(work, COPY)
    out = bash(work, 'step "copy" out.txt in.txt other.txt -- cp in.txt out.txt').stdout
    assert "(inputs changed: other.txt (new input))" in out
    out = bash(work, COPY).stdout
    assert "(inputs changed: other.txt (no longer an input))" in out
    (work / "in.txt").write_text("three\n")
    out = bash(work, 'step "copy" out.txt in.txt -- cp -p in.txt out.txt').stdout
    assert "[t] copy (arguments changed; inputs changed: in.txt)" in out


def test_failed_command_leaves_no_stamp(work):
    proc = bash(work, 'step "fail" out.txt in.txt -- sh -c "cp in.txt out.txt; exit 3"', check=False)
    assert proc.returncode == 3  # set -e: the script stops with the command's status
    assert "[t] fail (no output yet)" in proc.stdout
    assert "fail failed (exit 3): no stamp written" in proc.stderr
    assert (work / "out.txt").exists() and not (work / "out.txt.stamp").exists()
    # The half-made output is not trusted: the next run repeats the step.
    out = bash(work, COPY).stdout
    assert "[t] copy (no stamp: made before stamps existed, or by an interrupted run)" in out
    assert (work / "out.txt.stamp").exists()
    # A re-run that fails removes the old stamp first: the run after it repeats the step again.
    (work / "in.txt").write_text("changed\n")
    bash(work, 'step "copy" out.txt in.txt -- sh -c "exit 1"', check=False)
    assert not (work / "out.txt.stamp").exists()
    assert "(no stamp" in bash(work, COPY).stdout


def test_interrupted_step_leaves_no_stamp(work):
    (work / "in.txt").write_text("new\n")
    proc = subprocess.Popen(["bash", "-c", f"set -e; cd {REPO}; source scripts/steps.sh; cd {work}; "
                             'step slow out.txt in.txt -- sh -c "cp in.txt out.txt; sleep 30"'],
                            stdout=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 30
    while not (work / "out.txt").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(proc.pid, 15)
    proc.wait(timeout=30)
    assert (work / "out.txt").exists() and not (work / "out.txt.stamp").exists()
    assert "(no stamp" in bash(work, COPY).stdout


def test_missing_output_and_force(work):
    bash(work, COPY)
    (work / "out.txt").unlink()
    assert "[t] copy (no output yet)" in bash(work, COPY).stdout
    assert "[t] copy (--force)" in bash(work, COPY, FORCE="1").stdout
    assert "unchanged since" in bash(work, COPY).stdout


def test_a_command_that_writes_no_output_fails(work):
    proc = bash(work, 'step "nothing" out.txt in.txt -- true', check=False)
    assert proc.returncode == 1 and "the command succeeded but wrote no out.txt" in proc.stderr
    assert not (work / "out.txt.stamp").exists()


def test_folder_inputs_and_large_files(work):
    model = work / "model"
    (model / "sub").mkdir(parents=True)
    (model / "config.json").write_text("{}")
    (model / "sub" / "weights.bin").write_bytes(b"\0" * 1000)
    body = 'step "use model" out.txt model in.txt -- cp in.txt out.txt'
    bash(work, body)
    (model / "config.json.stamp").write_text("a stamp of a step whose output lies in the folder")
    assert "unchanged since" in bash(work, body).stdout  # stamps inside an input folder do not count
    (model / "sub" / "weights.bin").write_bytes(b"\1" * 1000)
    assert "(inputs changed: model)" in bash(work, body).stdout
    (model / "tokenizer.json").write_text("{}")
    assert "(inputs changed: model)" in bash(work, body).stdout
    # Above STAMP_CONTENT_MAX_MB a file is known by size and modification time, not read.
    bash(work, body, STAMP_CONTENT_MAX_MB="0")  # the identities change kind: re-run, then stable
    assert "unchanged since" in bash(work, body, STAMP_CONTENT_MAX_MB="0").stdout
    os.utime(model / "sub" / "weights.bin", (1, 1))  # same content, new time
    assert "(inputs changed: model)" in bash(work, body, STAMP_CONTENT_MAX_MB="0").stdout
    assert "unchanged since" in bash(work, body, STAMP_CONTENT_MAX_MB="0").stdout
    big = 'step "big file" big.out model/sub/weights.bin -- cp model/sub/weights.bin big.out'
    bash(work, big, STAMP_CONTENT_MAX_MB="0")
    assert re.search(r"^input size=1000,mtime=1\.0+ model/sub/weights.bin$", (work / "big.out.stamp").read_text(), re.M)


def test_absent_input_is_recorded(work):
    body = 'step "hub model" out.txt Org/some-model in.txt -- cp in.txt out.txt'
    bash(work, body)
    assert "input absent Org/some-model" in (work / "out.txt.stamp").read_text()
    assert "unchanged since" in bash(work, body).stdout


def test_a_chain_follows_the_content_of_what_it_reads(work):
    """split -> train, as in the scripts: new data re-runs both; a re-run upstream with the same result does not
    re-run downstream."""
    body = ('step split mid.txt "${DATA:-in.txt}" -- sh -c "sort ${DATA:-in.txt} > mid.txt"\n'
            'step train out.txt mid.txt -- sh -c "wc -l < mid.txt > out.txt"')
    bash(work, body)
    assert bash(work, body).stdout.count("unchanged since") == 2
    (work / "new.txt").write_text("b\na\n")
    out = bash(work, body, DATA="new.txt").stdout
    assert "[t] split (arguments changed; inputs changed: new.txt (new input), in.txt (no longer an input))" in out
    assert "[t] train (inputs changed: mid.txt)" in out and (work / "out.txt").read_text().strip() == "2"
    (work / "same.txt").write_text("a\nb\n")  # other file, same sorted result
    out = bash(work, body, DATA="same.txt").stdout
    assert "[t] split (arguments changed" in out and "[t] train: unchanged since" in out


TRAINER = r'''
import sys, time
from tqdm import tqdm
print("[INFO|trainer.py] ***** Running training *****")
for _ in tqdm(range(3), desc="Running tokenizer on dataset"):
    pass
bar = tqdm(total=4)
for i in range(4):
    time.sleep(0.05)
    bar.update(1)
    if i % 2:
        bar.write(str({"loss": "1.5", "grad_norm": "3.4", "learning_rate": "0.0005", "epoch": "0.2"}))
bar.write(str({"train_runtime": "2.1", "train_loss": "1.4"}))
bar.close()
print(str({"task": {"name": "Causal Language Modeling"}}))  # LLaMA-Factory's model card: not a metric
sys.exit(int(sys.argv[1]))
'''


def test_progress_shows_the_trainer_bar_and_metric_lines(work):
    (work / "trainer.py").write_text(TRAINER)
    proc = bash(work, 'progress logs/train.log "training step" python trainer.py 0')
    console = proc.stdout + proc.stderr
    lines = console.splitlines()
    assert lines[0] == "[t]   log: logs/train.log"
    assert "[t]   training step 0/4 (0%) [00:00<?, ?it/s]" in lines  # not a terminal: first and last bar only
    assert any(re.fullmatch(r"\[t\]   training step 4/4 \(100%\) \[00:0\d<00:00, .*\]", l) for l in lines), console
    assert "[t]   training step 2/4: loss 1.5, grad_norm 3.4, learning_rate 0.0005, epoch 0.2" in lines
    assert "[t]   training done: train_runtime 2.1, train_loss 1.4" in lines
    assert "tokenizer" not in console and "INFO" not in console and "\r" not in console and "task" not in console
    assert sum("training step 4/4 (100%)" in l for l in lines) == 1  # the bar's closing refresh is not repeated
    log = (work / "logs" / "train.log").read_text()
    assert "Running tokenizer on dataset" in log and "***** Running training *****" in log and "'loss'" in log


def test_progress_failure_shows_the_log_tail(work):
    (work / "trainer.py").write_text(TRAINER)
    proc = bash(work, 'step train out.txt -- progress logs/train.log "training step" python trainer.py 7', check=False)
    assert proc.returncode == 1
    assert "[t] failed: python trainer.py 7" in proc.stderr and "Running training" in proc.stdout
    assert not (work / "out.txt.stamp").exists()


def test_inference_bar_writes_lines_when_not_a_terminal(capsys):
    from lrkit.inference import progress

    with progress(10, "scoring") as bar:
        bar.update(4)
        bar.update(6)
    err = capsys.readouterr().err
    assert "\r" not in err
    lines = err.splitlines()
    assert lines[0].startswith("scoring:   0%") and "0/10" in lines[0]
    assert lines[-1].startswith("scoring: 100%") and "10/10" in lines[-1] and "q/s" in lines[-1]
    with progress(0, "scoring") as bar:  # nothing to answer: no bar
        pass
    assert capsys.readouterr().err == ""
