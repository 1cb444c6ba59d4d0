#!/usr/bin/python3
"""A zoo of torchvision architectures, exported to ONNX for acnn.

One or two classification architectures per torchvision family (issue 12),
and segmentation nets (issue 13):

  ResNet          resnet18, resnet50
  ResNeXt         resnext50_32x4d
  Wide ResNet     wide_resnet50_2
  RegNet          regnet_x_400mf, regnet_y_400mf
  MobileNet       mobilenet_v2, mobilenet_v3_small, mobilenet_v3_large
  EfficientNet    efficientnet_b0
  MNASNet         mnasnet1_0
  ShuffleNet      shufflenet_v2_x1_0
  SqueezeNet      squeezenet1_1
  DenseNet        densenet121
  GoogLeNet       googlenet
  Inception       inception_v3
  VGG             vgg11
  ConvNeXt        convnext_tiny
  Swin            swin_t
  ViT             vit_b_16
  MaxViT          maxvit_t
  Segmentation    lraspp_mobilenet_v3_large, deeplabv3_mobilenet_v3_large (atrous
                  pyramid), fcn_resnet50 (dilated ResNet): their 'out', the
                  per-pixel class scores at the input's size

Two sizes (input HxW, batch 1):
  small   the smallest input each architecture takes sensibly: 64x64 for the
          convnets (their last feature map is 2x2, 3x3 for SqueezeNet),
          128x128 for inception_v3 (the 299 net's last map is 2x2 at 128; 75 is
          its documented minimum), 112x112 for swin_t (stage maps 28, 14, 7, 4:
          shifted windows with their mask, a map of exactly one window, and a
          padded one), 96x96 for vit_b_16 (image_size=96, patch 16: 37 tokens),
          224x224 for maxvit_t (its 7x7 block and grid partitions need maps of
          a multiple of 7 down to the last stage's, 1/32 of the input), 128x128
          for the segmentation nets.
          Widths are torchvision's, with one exception: vgg11's head pools
          to 7x7 before a 25088-wide Linear, which the ONNX exporter cannot
          express from a 2x2 map, so the small vgg11 pools to 1x1 and its first
          Linear takes 512 features (the rest of the net is unchanged).
  common  224x224 (299x299 for inception_v3), the torchvision models as they are.

Weights are random but seeded (torch.manual_seed, one seed per architecture)
and made to matter: every norm layer's affine weight/bias is random
(weight in [0.5, 1.5); LayerNorm bias ~ N(0, 0.2), BatchNorm bias in
[0.25, 0.75)); BatchNorm running statistics are calibrated by forward passes
in train() mode on random inputs with momentum=None (a cumulative average),
so they are neither 0/1 nor arbitrary. BatchNorm biases are positive because
with zero-mean ones a deep BN-ReLU net without shortcuts is chaotic (each
layer scales relative perturbations up by about sqrt(pi/(pi-1))): small
inception_v3's float32 output then differs from its own float64 output by
5e-5, half the 1e-4 tolerance, leaving no room for a compiler's different
summation order; with the shift it is 7e-6 (resnet50 3e-5 -> 2e-6); about
30% of the units still fall below zero at each ReLU.
Linear layers get a variance-preserving init (torchvision zero-initialises
ViT's head, which would make its output constant), biases are random, ConvNeXt's
layer scale (1e-6 at init, which makes every block an identity) is drawn from
[0.1, 0.5), ViT's class token and Swin's relative position bias tables are
random with a scale that moves the attention. googlenet and inception_v3 are
built with aux_logits=False, init_weights=True, transform_input=False.

For each architecture, size and opset this writes into --out (default
build/zoo under the repository root) NAME = f"{arch}_{size}_op{opset}":
  NAME.onnx        torch.onnx.export, do_constant_folding=True, input "input",
                   output "output", batch 1, static shapes (torch's default
                   eval-mode export, so Conv+BatchNorm pairs arrive folded, as
                   users get them; --keep-bn keeps BatchNormalization nodes;
                   traced with autograd on, because under no_grad torch 1.13's
                   nn.MultiheadAttention (vit_b_16) takes a fused fast path
                   that it cannot export)
  NAME.input.npy   float32 input, batch 1, seeded
  NAME.output.npy  PyTorch's output for it (one thread, eval, no_grad)

Run with Debian's interpreter (torch 1.13, torchvision 0.14, onnx 1.12):
  /usr/bin/python3 tests/models/zoo.py [--out DIR] [--only resnet18,swin_t]
        [--size small|common|both] [--opsets 13,17] [--list] [--skip-existing]

Each model is exported inside try/except: a failure is reported on stderr
and the others go on; the exit status is 1 if any failed.

build(arch, size) returns (module in eval mode, input tensor) with the same
seeds, so bench/torch_bench.py rebuilds exactly the exported model.
"""

import argparse
import os
import sys
import time
import traceback
import warnings

import numpy as np
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SIZES = ("small", "common")
OPSETS = (13, 17)


def _tv():
    import torchvision.models as tvm
    return tvm


def _vgg11(size):
    m = _tv().vgg11(weights=None)
    if size == "small":
        # AdaptiveAvgPool2d((7, 7)) on a 2x2 map does not export (7 is no factor of 2).
        m.avgpool = nn.AdaptiveAvgPool2d(1)
        m.classifier[0] = nn.Linear(512, 4096)
    return m


class _SegmentationScores(nn.Module):
    """A torchvision segmentation net's 'out' (its forward returns a dict)."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        return self.net(x)["out"]


def _seg(ctor, **kwargs):
    import torchvision.models.segmentation as seg
    return _SegmentationScores(getattr(seg, ctor)(weights=None, weights_backbone=None, **kwargs))


# arch: (seed, family, constructor(size) -> nn.Module, small HxW, common HxW)
MODELS = {
    "resnet18": (11, "ResNet", lambda s: _tv().resnet18(weights=None), 64, 224),
    "resnet50": (12, "ResNet", lambda s: _tv().resnet50(weights=None), 64, 224),
    "resnext50_32x4d": (13, "ResNeXt", lambda s: _tv().resnext50_32x4d(weights=None), 64, 224),
    "wide_resnet50_2": (14, "Wide ResNet", lambda s: _tv().wide_resnet50_2(weights=None), 64, 224),
    "regnet_x_400mf": (15, "RegNet", lambda s: _tv().regnet_x_400mf(weights=None), 64, 224),
    "regnet_y_400mf": (16, "RegNet", lambda s: _tv().regnet_y_400mf(weights=None), 64, 224),
    "mobilenet_v2": (17, "MobileNet", lambda s: _tv().mobilenet_v2(weights=None), 64, 224),
    "mobilenet_v3_small": (18, "MobileNet", lambda s: _tv().mobilenet_v3_small(weights=None),
                           64, 224),
    "mobilenet_v3_large": (19, "MobileNet", lambda s: _tv().mobilenet_v3_large(weights=None),
                           64, 224),
    "efficientnet_b0": (20, "EfficientNet", lambda s: _tv().efficientnet_b0(weights=None),
                        64, 224),
    "mnasnet1_0": (21, "MNASNet", lambda s: _tv().mnasnet1_0(weights=None), 64, 224),
    "shufflenet_v2_x1_0": (22, "ShuffleNet", lambda s: _tv().shufflenet_v2_x1_0(weights=None),
                           64, 224),
    "squeezenet1_1": (23, "SqueezeNet", lambda s: _tv().squeezenet1_1(weights=None), 64, 224),
    "densenet121": (24, "DenseNet", lambda s: _tv().densenet121(weights=None), 64, 224),
    "googlenet": (25, "GoogLeNet", lambda s: _tv().googlenet(
        weights=None, aux_logits=False, init_weights=True, transform_input=False), 64, 224),
    "inception_v3": (26, "Inception", lambda s: _tv().inception_v3(
        weights=None, aux_logits=False, init_weights=True, transform_input=False), 128, 299),
    "vgg11": (27, "VGG", _vgg11, 64, 224),
    "convnext_tiny": (28, "ConvNeXt", lambda s: _tv().convnext_tiny(weights=None), 64, 224),
    "swin_t": (29, "Swin", lambda s: _tv().swin_t(weights=None), 112, 224),
    "vit_b_16": (30, "ViT", lambda s: _tv().vit_b_16(
        weights=None, image_size=96 if s == "small" else 224), 96, 224),
    "maxvit_t": (31, "MaxViT", lambda s: _tv().maxvit_t(weights=None), 224, 224),
    "lraspp_mobilenet_v3_large": (32, "Segmentation",
                                  lambda s: _seg("lraspp_mobilenet_v3_large"), 128, 224),
    "deeplabv3_mobilenet_v3_large": (33, "Segmentation", lambda s: _seg(
        "deeplabv3_mobilenet_v3_large", aux_loss=False), 128, 224),
    "fcn_resnet50": (34, "Segmentation", lambda s: _seg("fcn_resnet50", aux_loss=False),
                     128, 224),
}

BN_TYPES = (nn.BatchNorm1d, nn.BatchNorm2d, nn.BatchNorm3d)
NORM_TYPES = BN_TYPES + (nn.LayerNorm, nn.GroupNorm)


def input_shape(arch, size):
    _, _, _, small, common = MODELS[arch]
    hw = small if size == "small" else common
    return (1, 3, hw, hw)


def name(arch, size, opset):
    return f"{arch}_{size}_op{opset}"


def randomize(model, gen):
    """Weights that matter: random norm affines, biases, layer scales, tokens, tables."""
    with torch.no_grad():
        for mod_name, m in model.named_modules():
            if isinstance(m, nn.Linear):
                m.weight.normal_(0, m.in_features ** -0.5, generator=gen)
                if m.bias is not None:
                    m.bias.normal_(0, 0.1, generator=gen)
            elif isinstance(m, nn.Conv2d):
                if m.bias is not None:
                    m.bias.normal_(0, 0.1, generator=gen)
            elif isinstance(m, NORM_TYPES):
                if getattr(m, "weight", None) is not None:
                    n = m.weight.numel()
                    m.weight.copy_((torch.rand(n, generator=gen) + 0.5).view_as(m.weight))
                    if isinstance(m, BN_TYPES):  # positive: see the module docstring
                        bias = torch.rand(n, generator=gen) * 0.5 + 0.25
                    else:
                        bias = torch.randn(n, generator=gen) * 0.2
                    m.bias.copy_(bias.view_as(m.bias))
            elif isinstance(m, nn.MultiheadAttention):
                if m.in_proj_bias is not None:
                    m.in_proj_bias.normal_(0, 0.1, generator=gen)
        for pname, p in model.named_parameters():
            leaf = pname.rsplit(".", 1)[-1]
            if leaf == "layer_scale":  # ConvNeXt: 1e-6 at init, every block an identity
                p.copy_(torch.rand(p.shape, generator=gen) * 0.4 + 0.1)
            elif leaf == "class_token":  # ViT: zeros at init
                p.normal_(0, 0.5, generator=gen)
            elif leaf == "relative_position_bias_table":  # Swin, MaxViT: std 0.02 at init
                p.normal_(0, 0.5, generator=gen)


def calibrate_bn(model, shape, gen, batch, passes=2):
    """BatchNorm running statistics from train()-mode passes on random inputs."""
    bns = [m for m in model.modules() if isinstance(m, BN_TYPES)]
    if not bns:
        return
    for m in bns:
        m.reset_running_stats()
        m.momentum = None  # cumulative average over the passes
    model.train()
    with torch.no_grad():
        for _ in range(passes):
            model(torch.randn((batch,) + tuple(shape[1:]), generator=gen))
    for m in bns:
        m.momentum = 0.1
    model.eval()


def build(arch, size):
    """(module in eval mode, input tensor of batch 1) for an architecture and a size."""
    if arch not in MODELS:
        raise ValueError(f"unknown architecture '{arch}' (zoo.py has {', '.join(MODELS)})")
    if size not in SIZES:
        raise ValueError(f"unknown size '{size}' (small or common)")
    seed, _, ctor, _, _ = MODELS[arch]
    shape = input_shape(arch, size)
    # One thread while building, so BatchNorm statistics (reductions) are the same
    # whatever the caller's thread count: the rebuilt model is the exported one.
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        torch.manual_seed(seed)  # torchvision's own init, and dropout during calibration
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = ctor(size)
        gen = torch.Generator().manual_seed(1000 + seed)
        randomize(model, gen)
        calibrate_bn(model, shape, gen, batch=8 if size == "small" else 4)
        model.eval()
        x = torch.randn(shape, generator=torch.Generator().manual_seed(2000 + seed))
    finally:
        torch.set_num_threads(threads)
    return model, x


def paths(out, stem):
    base = os.path.join(out, stem)
    return base + ".onnx", base + ".input.npy", base + ".output.npy"


def up_to_date(files):
    """All files exist and are newer than this script."""
    me = os.path.getmtime(os.path.abspath(__file__))
    return all(os.path.exists(f) and os.path.getmtime(f) >= me for f in files)


def export(arch, size, opsets, out, keep_bn=False, skip_existing=False):
    """Exports one architecture at one size for each opset; returns the names written."""
    stems = [name(arch, size, op) for op in opsets]
    todo = [op for op, s in zip(opsets, stems) if not (skip_existing and up_to_date(paths(out, s)))]
    if not todo:
        print(f"{arch} {size}: up to date", flush=True)
        return []
    t0 = time.perf_counter()
    model, x = build(arch, size)
    with torch.no_grad():
        y = model(x)
    if not torch.isfinite(y).all():
        raise RuntimeError("PyTorch's output is not finite")
    written = []
    mode = torch.onnx.TrainingMode.PRESERVE if keep_bn else torch.onnx.TrainingMode.EVAL
    for op in todo:
        stem = name(arch, size, op)
        onnx_path, in_path, out_path = paths(out, stem)
        t1 = time.perf_counter()
        # Traced with autograd on: under no_grad, eval-mode nn.MultiheadAttention (ViT)
        # takes its fused fast path, aten::_native_multi_head_attention, which torch
        # 1.13 cannot export.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(model, x, onnx_path + ".tmp", opset_version=op,
                              do_constant_folding=True, training=mode,
                              input_names=["input"], output_names=["output"])
        os.replace(onnx_path + ".tmp", onnx_path)
        np.save(in_path, x.numpy().astype(np.float32))
        np.save(out_path, y.numpy().astype(np.float32))
        written.append(stem)
        print(f"{stem}: input {tuple(x.shape)} -> output {tuple(y.shape)}, "
              f"{os.path.getsize(onnx_path) / 2**20:.1f} MiB, {describe(onnx_path)}, "
              f"export {time.perf_counter() - t1:.1f} s", flush=True)
    print(f"{arch} {size}: {time.perf_counter() - t0:.1f} s", flush=True)
    return written


def describe(onnx_path):
    try:
        import collections
        import onnx
        m = onnx.load(onnx_path)
        hist = collections.Counter(n.op_type for n in m.graph.node)
        top = ", ".join(f"{k}={v}" for k, v in hist.most_common(6))
        return f"{sum(hist.values())} nodes ({top})"
    except Exception as e:  # noqa: BLE001 - a description only
        return f"(not described: {type(e).__name__})"


def parse_list(text, known, what):
    items = [t.strip() for t in text.split(",") if t.strip()]
    bad = [t for t in items if t not in known]
    if bad:
        raise SystemExit(f"zoo.py: unknown {what} {', '.join(bad)}; known: "
                         f"{', '.join(str(k) for k in known)}")
    return items


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", default=os.path.join(ROOT, "build", "zoo"),
                   help="output directory (default: %(default)s)")
    p.add_argument("--only", help="comma-separated architectures (default: all)")
    p.add_argument("--size", choices=["small", "common", "both"], default="both")
    p.add_argument("--opsets", default="13,17", help="comma-separated opsets (13, 17)")
    p.add_argument("--list", action="store_true",
                   help="print the model names (NAME per size and opset) and exit")
    p.add_argument("--keep-bn", action="store_true",
                   help="export BatchNormalization nodes (TrainingMode.PRESERVE) instead of "
                        "letting the exporter fold them into the convs")
    p.add_argument("--skip-existing", action="store_true",
                   help="skip models whose three files exist and are newer than zoo.py")
    a = p.parse_args()

    archs = parse_list(a.only, list(MODELS), "architecture") if a.only else list(MODELS)
    sizes = list(SIZES) if a.size == "both" else [a.size]
    try:
        opsets = [int(o) for o in a.opsets.split(",") if o.strip()]
    except ValueError:
        raise SystemExit("zoo.py: --opsets takes comma-separated integers, e.g. 13,17")
    if a.list:
        for arch in archs:
            for size in sizes:
                for op in opsets:
                    print(name(arch, size, op))
        return 0

    torch.set_num_threads(1)  # reproducible golden outputs
    os.makedirs(a.out, exist_ok=True)
    failed = []
    for size in sizes:
        for arch in archs:
            try:
                export(arch, size, opsets, a.out, a.keep_bn, a.skip_existing)
            except Exception as e:  # noqa: BLE001 - one failing model does not stop the rest
                msg = next((l for l in str(e).splitlines() if l.strip()), "").strip()
                print(f"zoo.py: {arch} {size} failed: {type(e).__name__}: {msg}",
                      file=sys.stderr, flush=True)
                if os.environ.get("ZOO_TRACEBACK"):
                    traceback.print_exc()
                failed.append(f"{arch}_{size}")
    if failed:
        print(f"zoo.py: {len(failed)} failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
