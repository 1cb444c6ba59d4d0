#!/usr/bin/python3
"""Generate the attention-CNN test models for acnn.

For each model this writes, into --out (default: this directory):
  NAME.onnx        torch.onnx.export, opset 17, constant folding, static 1xCxHxW
                   input named "input", output named "output"
  NAME.input.npy   float32 input (fixed seed)
  NAME.output.npy  float32 PyTorch output for that input (the golden reference)

Run with Debian's interpreter, which has torch 1.13 and onnx 1.12:
  /usr/bin/python3 tests/models/generate.py [--only NAME] [--size full] [--check]

BatchNorm is kept in the graph (see generate()); --fold-bn gives torch's
default export, where the exporter has already folded Conv+BN.

--size small (default) builds the tiny models that are committed; --size full
builds wider 224x224 variants for benchmarking, written with a "_full" suffix
(not committed). --check re-verifies existing files instead of writing them.
onnxruntime is deliberately not used: the golden output comes from PyTorch.
"""

import argparse
import collections
import os
import sys
import warnings

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F

OPSET = 17


# ---------------------------------------------------------------------------
# Building blocks
# ---------------------------------------------------------------------------

def conv_bn(cin, cout, k, stride=1, relu=True):
    layers = [nn.Conv2d(cin, cout, k, stride, k // 2, bias=False), nn.BatchNorm2d(cout)]
    if relu:
        layers.append(nn.ReLU(inplace=True))
    return nn.Sequential(*layers)


class SE(nn.Module):
    """Squeeze-and-excitation with Linear layers (exports as Gemm/MatMul)."""

    def __init__(self, c, r=4):
        super().__init__()
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc1 = nn.Linear(c, c // r)
        self.fc2 = nn.Linear(c // r, c)

    def forward(self, x):
        b, c, _, _ = x.shape
        s = self.pool(x).view(b, c)
        s = torch.sigmoid(self.fc2(F.relu(self.fc1(s))))
        return x * s.view(b, c, 1, 1)


class CBAM(nn.Module):
    """Channel attention (shared 1x1-conv MLP) followed by spatial attention."""

    def __init__(self, c, r=4, k=7):
        super().__init__()
        self.avg = nn.AdaptiveAvgPool2d(1)
        self.max = nn.AdaptiveMaxPool2d(1)
        self.mlp = nn.Sequential(
            nn.Conv2d(c, c // r, 1, bias=False), nn.ReLU(inplace=True),
            nn.Conv2d(c // r, c, 1, bias=False))
        self.spatial = nn.Conv2d(2, 1, k, padding=k // 2, bias=False)

    def forward(self, x):
        x = x * torch.sigmoid(self.mlp(self.avg(x)) + self.mlp(self.max(x)))
        s = torch.cat([torch.mean(x, dim=1, keepdim=True),
                       torch.max(x, dim=1, keepdim=True)[0]], dim=1)
        return x * torch.sigmoid(self.spatial(s))


class BasicBlock(nn.Module):
    """ResNet basic block with an attention module before the residual add."""

    def __init__(self, cin, cout, stride, attn):
        super().__init__()
        self.body = nn.Sequential(conv_bn(cin, cout, 3, stride),
                                  conv_bn(cout, cout, 3, relu=False))
        self.attn = attn(cout)
        self.down = None
        if stride != 1 or cin != cout:
            self.down = conv_bn(cin, cout, 1, stride, relu=False)

    def forward(self, x):
        identity = x if self.down is None else self.down(x)
        return F.relu(self.attn(self.body(x)) + identity)


class Head(nn.Module):
    def __init__(self, c, classes=10):
        super().__init__()
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(c, classes)

    def forward(self, x):
        return self.fc(torch.flatten(self.pool(x), 1))


class AttnResNet(nn.Module):
    def __init__(self, stem, widths, strides, attn):
        super().__init__()
        self.stem = stem
        blocks, cin = [], stem_width(stem)
        for w, s in zip(widths, strides):
            blocks.append(BasicBlock(cin, w, s, attn))
            cin = w
        self.blocks = nn.Sequential(*blocks)
        self.head = Head(cin)

    def forward(self, x):
        return self.head(self.blocks(self.stem(x)))


def stem_width(stem):
    return [m for m in stem.modules() if isinstance(m, nn.Conv2d)][-1].out_channels


class NonLocal(nn.Module):
    """Embedded-Gaussian non-local block (Wang et al. 2018)."""

    def __init__(self, c, ci):
        super().__init__()
        self.ci = ci
        self.theta = nn.Conv2d(c, ci, 1)
        self.phi = nn.Conv2d(c, ci, 1)
        self.g = nn.Conv2d(c, ci, 1)
        self.W = nn.Sequential(nn.Conv2d(ci, c, 1), nn.BatchNorm2d(c))

    def forward(self, x):
        # Shapes come from x.shape on purpose, as in the reference code, so the
        # exporter's handling of traced shape arithmetic is exercised.
        b, _, h, w = x.shape
        theta = self.theta(x).view(b, self.ci, -1).permute(0, 2, 1)  # B,N,ci
        phi = self.phi(x).view(b, self.ci, -1)                        # B,ci,N
        g = self.g(x).view(b, self.ci, -1).permute(0, 2, 1)          # B,N,ci
        f = F.softmax(torch.matmul(theta, phi), dim=-1)               # B,N,N
        y = torch.matmul(f, g).permute(0, 2, 1).contiguous()
        y = y.view(b, self.ci, h, w)
        return self.W(y) + x


class NonLocalNet(nn.Module):
    def __init__(self, stem, c, ci):
        super().__init__()
        self.stem = stem
        self.nl = NonLocal(c, ci)
        self.post = conv_bn(c, c, 3)
        self.head = Head(c)

    def forward(self, x):
        return self.head(self.post(self.nl(self.stem(x))))


class MHSA2d(nn.Module):
    """BoTNet-style MHSA over an HxW grid; learned absolute position added to k."""

    def __init__(self, c, hw, heads=4):
        super().__init__()
        self.heads, self.d = heads, c // heads
        self.q = nn.Conv2d(c, c, 1)
        self.k = nn.Conv2d(c, c, 1)
        self.v = nn.Conv2d(c, c, 1)
        self.pos = nn.Parameter(torch.randn(1, heads, self.d, hw * hw) * 0.5)

    def forward(self, x):
        b, c, h, w = x.shape
        q = self.q(x).reshape(b, self.heads, self.d, h * w)
        k = self.k(x).reshape(b, self.heads, self.d, h * w) + self.pos
        v = self.v(x).reshape(b, self.heads, self.d, h * w)
        attn = torch.matmul(q.transpose(-2, -1), k) * self.d ** -0.5  # B,h,N,N
        attn = attn.softmax(dim=-1)
        out = torch.matmul(v, attn.transpose(-2, -1))                 # B,h,d,N
        return out.reshape(b, c, h, w)


class BotBlock(nn.Module):
    def __init__(self, cin, mid, cout, hw, heads):
        super().__init__()
        self.reduce = conv_bn(cin, mid, 1)
        self.mhsa = MHSA2d(mid, hw, heads)
        self.post = nn.Sequential(nn.BatchNorm2d(mid), nn.ReLU(inplace=True))
        self.expand = conv_bn(mid, cout, 1, relu=False)
        self.down = conv_bn(cin, cout, 1, relu=False) if cin != cout else None

    def forward(self, x):
        identity = x if self.down is None else self.down(x)
        y = self.expand(self.post(self.mhsa(self.reduce(x))))
        return F.relu(y + identity)


class BotNet(nn.Module):
    def __init__(self, stem, cin, mid, cout, hw, heads):
        super().__init__()
        self.stem = stem
        self.block = BotBlock(cin, mid, cout, hw, heads)
        self.head = Head(cout)

    def forward(self, x):
        return self.head(self.block(self.stem(x)))


class ViTAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads, self.hd = heads, dim // heads
        self.qkv = nn.Linear(dim, dim * 3)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        b, n, c = x.shape
        qkv = self.qkv(x).reshape(b, n, 3, self.heads, self.hd).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]                               # B,h,N,hd
        attn = (q @ k.transpose(-2, -1)) * self.hd ** -0.5
        x = (attn.softmax(dim=-1) @ v).transpose(1, 2).reshape(b, n, c)
        return self.proj(x)


class ViTBlock(nn.Module):
    def __init__(self, dim, heads, mlp_ratio=4):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn = ViTAttention(dim, heads)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, dim * mlp_ratio), nn.GELU(),
                                 nn.Linear(dim * mlp_ratio, dim))

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class ViT(nn.Module):
    def __init__(self, img, patch, dim, depth, heads, classes=10):
        super().__init__()
        n = (img // patch) ** 2
        self.patch = nn.Conv2d(3, dim, patch, patch)
        self.cls = nn.Parameter(torch.randn(1, 1, dim) * 0.5)
        self.pos = nn.Parameter(torch.randn(1, n + 1, dim) * 0.5)
        self.blocks = nn.Sequential(*[ViTBlock(dim, heads) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, classes)

    def forward(self, x):
        x = self.patch(x).flatten(2).transpose(1, 2)                   # B,N,dim
        x = torch.cat([self.cls.expand(x.shape[0], -1, -1), x], dim=1) + self.pos
        x = self.norm(self.blocks(x))
        return self.head(x[:, 0])


# ---------------------------------------------------------------------------
# Model zoo: name -> (seed, builder(full) -> (module, input shape))
# ---------------------------------------------------------------------------

def se_resnet(full):
    if full:
        stem = conv_bn(3, 64, 3, 2)
        return AttnResNet(stem, [64, 128, 256], [1, 2, 2], SE), (1, 3, 224, 224)
    return AttnResNet(conv_bn(3, 16, 3), [16, 32], [1, 2], SE), (1, 3, 32, 32)


def cbam_resnet(full):
    c0, widths, strides, hw = (64, [64, 128, 256], [1, 2, 2], 224) if full else \
                              (16, [16, 24], [1, 2], 32)
    stem = nn.Sequential(conv_bn(3, c0, 3, 2 if full else 1),
                         nn.MaxPool2d(3, 2, 1))
    return AttnResNet(stem, widths, strides, CBAM), (1, 3, hw, hw)


def nonlocal_net(full):
    if full:  # non-local at 28x28 (784 positions)
        stem = nn.Sequential(conv_bn(3, 64, 3, 2), conv_bn(64, 128, 3, 2),
                             conv_bn(128, 128, 3, 2))
        return NonLocalNet(stem, 128, 64), (1, 3, 224, 224)
    stem = nn.Sequential(conv_bn(3, 16, 3), conv_bn(16, 32, 3, 2))  # 16x16
    return NonLocalNet(stem, 32, 16), (1, 3, 32, 32)


def mhsa_net(full):
    if full:  # MHSA at 14x14 (196 positions), as in BoTNet's c5 stage
        stem = nn.Sequential(conv_bn(3, 64, 3, 2), conv_bn(64, 64, 3, 2),
                             conv_bn(64, 128, 3, 2), conv_bn(128, 256, 3, 2))
        return BotNet(stem, 256, 128, 512, 14, 4), (1, 3, 224, 224)
    stem = nn.Sequential(conv_bn(3, 16, 3, 2), conv_bn(16, 32, 3, 2))  # 8x8
    return BotNet(stem, 32, 32, 64, 8, 4), (1, 3, 32, 32)


def vit_tiny(full):
    if full:  # real ViT-Tiny/16 dimensions
        return ViT(224, 16, 192, 12, 3), (1, 3, 224, 224)
    return ViT(32, 4, 32, 2, 4), (1, 3, 32, 32)


MODELS = {
    "se_resnet": (1, se_resnet),
    "cbam_resnet": (2, cbam_resnet),
    "nonlocal": (3, nonlocal_net),
    "mhsa": (4, mhsa_net),
    "vit_tiny": (5, vit_tiny),
}


def init_weights(model):
    # PyTorch's default init (kaiming_uniform, a=sqrt(5)) shrinks activations
    # ~3x per layer, leaving near-constant features and uniform attention that
    # would hide layout/softmax bugs. Variance-preserving init keeps
    # activations O(1) and attention maps non-uniform.
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, mode="fan_in", nonlinearity="relu")
        elif isinstance(m, nn.Linear):
            nn.init.normal_(m.weight, std=m.in_features ** -0.5)
        else:
            continue
        if m.bias is not None:
            nn.init.normal_(m.bias, std=0.1)


def randomize_norms(model, gen):
    # Default BN/LN params (w=1, b=0, mean=0, var=1) make the layer an identity,
    # which would hide BN-folding and normalisation bugs in the compiler.
    for m in model.modules():
        if isinstance(m, (nn.BatchNorm2d, nn.LayerNorm)):
            n = m.weight.numel()
            with torch.no_grad():
                m.weight.copy_(torch.rand(n, generator=gen) + 0.5)
                m.bias.copy_(torch.randn(n, generator=gen) * 0.2)
                if isinstance(m, nn.BatchNorm2d):
                    m.running_mean.copy_(torch.randn(n, generator=gen) * 0.2)
                    m.running_var.copy_(torch.rand(n, generator=gen) * 1.5 + 0.5)


def build(name, full):
    seed, builder = MODELS[name]
    torch.manual_seed(seed)
    model, shape = builder(full)
    init_weights(model)
    gen = torch.Generator().manual_seed(1000 + seed)
    randomize_norms(model, gen)
    model.eval()
    x = torch.randn(shape, generator=gen)
    return model, x


# ---------------------------------------------------------------------------
# Export / check
# ---------------------------------------------------------------------------

def op_histogram(model_proto):
    return collections.Counter(n.op_type for n in model_proto.graph.node)


def paths(out, stem):
    base = os.path.join(out, stem)
    return base + ".onnx", base + ".input.npy", base + ".output.npy"


def generate(name, full, out, fold_bn):
    model, x = build(name, full)
    stem = name + ("_full" if full else "")
    onnx_path, in_path, out_path = paths(out, stem)
    # TrainingMode.EVAL (torch's default) folds every Conv+BN pair inside the
    # exporter, leaving no BatchNormalization for acnn to fold. PRESERVE on an
    # eval()-mode model keeps them as inference BNs (training_mode=0).
    mode = torch.onnx.TrainingMode.EVAL if fold_bn else torch.onnx.TrainingMode.PRESERVE
    with torch.no_grad(), warnings.catch_warnings():
        # PRESERVE + constant folding warns about training-mode export; the
        # model is in eval mode, so the warning does not apply.
        warnings.filterwarnings("ignore", message=".*constant folding.*")
        y = model(x)
        torch.onnx.export(model, x, onnx_path, opset_version=OPSET,
                          do_constant_folding=True, training=mode,
                          input_names=["input"], output_names=["output"])
    np.save(in_path, x.numpy().astype(np.float32))
    np.save(out_path, y.numpy().astype(np.float32))
    report(stem, onnx_path, x, y)


def check(name, full, out):
    """Rebuild from the seed and compare against the files on disk."""
    model, x = build(name, full)
    stem = name + ("_full" if full else "")
    onnx_path, in_path, out_path = paths(out, stem)
    x_saved, y_saved = np.load(in_path), np.load(out_path)
    ok = np.array_equal(x_saved, x.numpy())
    with torch.no_grad():
        y = model(torch.from_numpy(x_saved)).numpy()
    err = float(np.max(np.abs(y - y_saved)))
    ok = ok and err <= 1e-5 * max(1.0, float(np.max(np.abs(y_saved))))
    report(stem, onnx_path, x, torch.from_numpy(y_saved))
    print(f"  check: input identical={np.array_equal(x_saved, x.numpy())}, "
          f"max |torch - saved output| = {err:.3g} -> {'OK' if ok else 'FAIL'}")
    return ok


def report(stem, onnx_path, x, y):
    m = onnx.load(onnx_path)
    onnx.checker.check_model(m, full_check=True)  # full_check also runs shape inference
    hist = op_histogram(m)
    size = os.path.getsize(onnx_path)
    print(f"{stem}: {size / 1024:.1f} KiB, input {tuple(x.shape)} -> output {tuple(y.shape)}, "
          f"{sum(hist.values())} nodes, opset {m.opset_import[0].version}")
    print("  ops: " + ", ".join(f"{k}={v}" for k, v in sorted(hist.items())))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", default=here, help="output directory (default: %(default)s)")
    p.add_argument("--only", choices=sorted(MODELS), help="generate just this model")
    p.add_argument("--size", choices=["small", "full"], default="small",
                   help="small: committed test models; full: 224x224 benchmark models (_full suffix)")
    p.add_argument("--fold-bn", action="store_true",
                   help="let the exporter fold BatchNorm into Conv (torch's default export)")
    p.add_argument("--check", action="store_true",
                   help="verify existing files against a fresh rebuild instead of writing")
    args = p.parse_args()

    # Single-threaded so the saved golden outputs are reproducible bit-for-bit
    # on a given machine (threaded reductions may reorder float additions).
    torch.set_num_threads(1)
    os.makedirs(args.out, exist_ok=True)
    full = args.size == "full"
    names = [args.only] if args.only else list(MODELS)
    ok = True
    for name in names:
        if args.check:
            ok = check(name, full, args.out) and ok
        else:
            generate(name, full, args.out, args.fold_bn)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
