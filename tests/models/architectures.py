#!/usr/bin/python3
"""Small nets of architectures outside torchvision, exported to ONNX for acnn.

The zoo (zoo.py) covers torchvision's families; users bring others, built from
the same parts put together differently. One small net per architecture, each
written here after its paper's reference block (random weights, seeded):

  mixer       MLP-Mixer: token mixing by a Linear over the transposed tokens
  convmixer   ConvMixer: 9x9 depthwise convs, GELU, BatchNorm after the act
  poolformer  PoolFormer: GroupNorm(1), AvgPool(count_include_pad=False) - x,
              layer scales
  mobilevit   MobileViT: unfold into 2x2 patches by Reshape/Transpose,
              attention with 12-wide heads, fold back, concat, SiLU
  ghostnet    GhostNet: a module's two halves concatenated and sliced to an
              odd channel count (27), SE gated by HardSigmoid
  csp         CSP/YOLO neck: Mish, LeakyReLU, SPP max pools 5/9/13 at stride
              1, nearest 2x upsampling, sigmoid head
  yolo        YOLOv5-style detector: SiLU convs, C3 bottlenecks, SPPF (three
              chained 5x5 max pools), a 2-scale neck, and the box decode (5-D
              view/permute, sigmoid, grid offsets, squared sizes, concat)
  hrnet       HRNet-like fusion: a lateral conv plus a bilinearly upsampled
              (align_corners) low-resolution branch, an FPN's residual add
  segformer   SegFormer: attention with spatially reduced keys (a strided conv
              + LayerNorm), Mix-FFN with a depthwise conv, bilinear 4x head
  swinv2      Swin V2 attention: cosine similarity (F.normalize), clamped
              logit scale, 16 * sigmoid(bias), post-norm
  deit        DeiT: class and distillation tokens, two heads averaged
  cbam        CBAM: channel attention from avg- and max-pooled MLPs, spatial
              attention from a 7x7 conv over channel mean and max
the convnets of conv_nets.py: repvgg (RepVGG's branches), replknet (31x31
depthwise convs), nfnet (weights standardised in the graph), resnext (a grouped
bottleneck past L2), fastvit (depthwise convs with a channel multiplier), invres
(inverted residuals whose widened maps outgrow L2); and
the attention CNNs of attention_nets.py: ccnet (CCNet's criss-cross
attention), lambdanet (LambdaNetworks, 3-D convs), eca, coordatt, gcnet,
sknet, resnest, danet, triplet.

For each net and opset this writes into --out (default build/architectures)
NAME = f"{net}_op{opset}": NAME.onnx (torch.onnx.export, constant folding,
input "input", output "output", 1x3x64x64), NAME.input.npy and NAME.output.npy
(PyTorch's output). BatchNorm statistics and affine parameters are random so
that folding them matters. tests/models/zoo_check.py compiles and checks them.

Run with Debian's interpreter (torch 1.13, onnx 1.12):
  /usr/bin/python3 tests/models/architectures.py [--out DIR] [--opsets 11,17]
        [--only NAMES] [--skip-existing]
"""

import argparse
import math
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from attention_nets import ATTENTION_NETS, conv_bn_act
from conv_nets import CONV_NETS

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# Exports older than this script or the ones it imports nets from are made again.
SCRIPTS_MTIME = max(
    os.path.getmtime(os.path.join(os.path.dirname(os.path.abspath(__file__)), f))
    for f in (os.path.basename(__file__), "attention_nets.py", "conv_nets.py"))


class MixerBlock(nn.Module):
    def __init__(self, tokens, dim):
        super().__init__()
        self.n1 = nn.LayerNorm(dim)
        self.t1 = nn.Linear(tokens, tokens*2)
        self.t2 = nn.Linear(tokens*2, tokens)
        self.n2 = nn.LayerNorm(dim)
        self.c1 = nn.Linear(dim, dim*4)
        self.c2 = nn.Linear(dim*4, dim)

    def forward(self, x):
        y = self.n1(x).transpose(1, 2)
        y = self.t2(F.gelu(self.t1(y))).transpose(1, 2)
        x = x + y
        return x + self.c2(F.gelu(self.c1(self.n2(x))))


class Mixer(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 64, 8, 8)
        self.blocks = nn.Sequential(*[MixerBlock(64, 64) for _ in range(2)])
        self.norm = nn.LayerNorm(64)
        self.head = nn.Linear(64, 10)

    def forward(self, x):
        x = self.stem(x).flatten(2).transpose(1, 2)
        x = self.norm(self.blocks(x))
        return self.head(x.mean(1))


class ConvMixer(nn.Module):
    def __init__(self, d=64, k=9):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, d, 4, 4), nn.GELU(), nn.BatchNorm2d(d))
        self.blocks = nn.ModuleList([
            nn.ModuleList([
                nn.Sequential(nn.Conv2d(d, d, k, groups=d, padding=k // 2), nn.GELU(),
                              nn.BatchNorm2d(d)),
                nn.Sequential(nn.Conv2d(d, d, 1), nn.GELU(), nn.BatchNorm2d(d))])
            for _ in range(2)])
        self.head = nn.Linear(d, 10)

    def forward(self, x):
        x = self.stem(x)
        for a, b in self.blocks: x = b(a(x) + x)
        return self.head(F.adaptive_avg_pool2d(x, 1).flatten(1))


class PoolFormer(nn.Module):
    def __init__(self, d=48):
        super().__init__()
        self.stem = nn.Conv2d(3, d, 7, 4, 2)
        self.n1 = nn.GroupNorm(1, d)
        self.pool = nn.AvgPool2d(3, 1, 1, count_include_pad=False)
        self.n2 = nn.GroupNorm(1, d)
        self.m1 = nn.Conv2d(d, 4*d, 1)
        self.m2 = nn.Conv2d(4*d, d, 1)
        self.ls1 = nn.Parameter(torch.rand(d, 1, 1))
        self.ls2 = nn.Parameter(torch.rand(d, 1, 1))
        self.head = nn.Linear(d, 10)

    def forward(self, x):
        x = self.stem(x)
        y = self.n1(x)
        x = x + self.ls1 * (self.pool(y) - y)
        x = x + self.ls2 * self.m2(F.gelu(self.m1(self.n2(x))))
        return self.head(x.mean([-2, -1]))


class Attn(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.h = heads
        self.qkv = nn.Linear(dim, dim*3)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        B, N, C = x.shape
        qkv = self.qkv(x).reshape(B, N, 3, self.h, C // self.h).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        a = (q @ k.transpose(-2, -1)) * (C // self.h) ** -0.5
        return self.proj((a.softmax(-1) @ v).transpose(1, 2).reshape(B, N, C))


class MobileViT(nn.Module):
    def __init__(self, d=32, dim=48):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, d, 3, 2, 1), nn.BatchNorm2d(d), nn.SiLU())
        self.local = nn.Sequential(nn.Conv2d(d, d, 3, 1, 1), nn.BatchNorm2d(d), nn.SiLU(),
                                   nn.Conv2d(d, dim, 1))
        self.n1 = nn.LayerNorm(dim)
        self.att = Attn(dim, 4)
        self.n2 = nn.LayerNorm(dim)
        self.ff = nn.Sequential(nn.Linear(dim, 2*dim), nn.SiLU(), nn.Linear(2*dim, dim))
        self.proj = nn.Sequential(nn.Conv2d(dim, d, 1), nn.BatchNorm2d(d), nn.SiLU())
        self.fuse = nn.Sequential(nn.Conv2d(2*d, d, 3, 1, 1), nn.BatchNorm2d(d), nn.SiLU())
        self.head = nn.Linear(d, 10)

    def forward(self, x):
        x = self.stem(x)
        r = x
        y = self.local(x)
        B, C, H, W = y.shape
        p = 2
        n = (H // p) * (W // p)
        # unfold: (B, C, H, W) -> (B * p * p, patches, C)
        y = y.reshape(B * C * H // p, p, W // p, p).transpose(1, 2)
        y = y.reshape(B, C, n, p * p).transpose(1, 3).reshape(B * p * p, n, C)
        y = y + self.att(self.n1(y))
        y = y + self.ff(self.n2(y))
        # fold back
        y = y.reshape(B, p * p, n, C).transpose(1, 3).reshape(B * C * H // p, W // p, p, p)
        y = y.transpose(1, 2).reshape(B, C, H, W)
        x = self.fuse(torch.cat([r, self.proj(y)], 1))
        return self.head(x.mean([2, 3]))


class Ghost(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        h = math.ceil(cout / 2)
        self.cout = cout
        self.p = nn.Sequential(nn.Conv2d(cin, h, 1, bias=False), nn.BatchNorm2d(h), nn.ReLU())
        self.c = nn.Sequential(nn.Conv2d(h, h, 3, 1, 1, groups=h, bias=False), nn.BatchNorm2d(h),
                               nn.ReLU())

    def forward(self, x):
        a = self.p(x)
        return torch.cat([a, self.c(a)], 1)[:, :self.cout]


class GhostNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, 2, 1), nn.BatchNorm2d(16), nn.ReLU())
        self.g1 = Ghost(16, 27)
        self.se = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Conv2d(27, 8, 1), nn.ReLU(),
                                nn.Conv2d(8, 27, 1), nn.Hardsigmoid())
        self.g2 = Ghost(27, 40)
        self.head = nn.Linear(40, 10)

    def forward(self, x):
        x = self.g1(self.stem(x))
        x = x * self.se(x)
        x = self.g2(x)
        return self.head(x.mean([2, 3]))


class CSP(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 32, 3, 2, 1), nn.BatchNorm2d(32), nn.Mish())
        self.a = nn.Conv2d(32, 16, 1)
        self.b = nn.Conv2d(32, 16, 1)
        self.blk = nn.Sequential(nn.Conv2d(16, 16, 3, 1, 1), nn.LeakyReLU(0.1))
        self.spp_in = nn.Conv2d(32, 16, 1)
        self.out = nn.Conv2d(64, 32, 1)
        self.head = nn.Conv2d(32, 5, 1)

    def forward(self, x):
        x = self.stem(x)
        x = torch.cat([self.a(x), self.blk(self.b(x))], 1)
        y = self.spp_in(x)
        x = torch.cat([y] + [F.max_pool2d(y, k, 1, k // 2) for k in (5, 9, 13)], 1)
        x = self.out(x)
        up = F.interpolate(x, scale_factor=2, mode='nearest')
        return torch.sigmoid(self.head(up))


def silu_conv(cin, cout, k=1, s=1):
    return conv_bn_act(cin, cout, k, s, act=nn.SiLU)


class C3(nn.Module):
    """YOLOv5's C3: a residual bottleneck on one half, concatenated with the other."""

    def __init__(self, c):
        super().__init__()
        self.a, self.b, self.out = silu_conv(c, c // 2), silu_conv(c, c // 2), silu_conv(c, c)
        self.m = nn.Sequential(silu_conv(c // 2, c // 2), silu_conv(c // 2, c // 2, 3))

    def forward(self, x):
        y = self.a(x)
        return self.out(torch.cat([y + self.m(y), self.b(x)], 1))


class Yolo(nn.Module):
    def __init__(self):
        super().__init__()
        self.p3 = nn.Sequential(silu_conv(3, 16, 3, 2), silu_conv(16, 32, 3, 2), C3(32),
                                silu_conv(32, 64, 3, 2), C3(64))
        self.p4 = nn.Sequential(silu_conv(64, 128, 3, 2), C3(128))
        self.sppf_in, self.sppf_out = silu_conv(128, 64), silu_conv(256, 128)
        self.lateral, self.fuse = silu_conv(128, 64), C3(128)
        self.heads = nn.ModuleList([nn.Conv2d(128, 3 * 7, 1), nn.Conv2d(128, 3 * 7, 1)])

    def forward(self, x):
        p3 = self.p3(x)
        y = self.sppf_in(self.p4(p3))
        y1 = F.max_pool2d(y, 5, 1, 2)
        y2 = F.max_pool2d(y1, 5, 1, 2)
        p4 = self.sppf_out(torch.cat([y, y1, y2, F.max_pool2d(y2, 5, 1, 2)], 1))
        up = F.interpolate(self.lateral(p4), scale_factor=2.0, mode="nearest")
        boxes = []
        for i, f in enumerate((self.fuse(torch.cat([up, p3], 1)), p4)):
            y = self.heads[i](f)
            b, _, h, w = y.shape
            y = y.view(b, 3, 7, h, w).permute(0, 1, 3, 4, 2).sigmoid()
            gy, gx = torch.meshgrid(torch.arange(h), torch.arange(w), indexing="ij")
            grid = torch.stack((gx, gy), 2).view(1, 1, h, w, 2).float()
            xy = (y[..., :2] * 2 - 0.5 + grid) * (8 * 2 ** i)
            wh = (y[..., 2:4] * 2) ** 2 * 10.0
            boxes.append(torch.cat((xy, wh, y[..., 4:]), -1).view(b, -1, 7))
        return torch.cat(boxes, 1)


class HRNetLite(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, 2, 1), nn.BatchNorm2d(16), nn.ReLU())
        self.down = nn.Sequential(nn.Conv2d(16, 32, 3, 2, 1), nn.BatchNorm2d(32), nn.ReLU())
        self.b1 = nn.Conv2d(16, 16, 3, 1, 1)
        self.b2 = nn.Conv2d(32, 32, 3, 1, 1)
        self.up = nn.Conv2d(32, 16, 1)
        self.head = nn.Conv2d(48, 4, 1)

    def forward(self, x):
        x = self.stem(x)
        y = self.down(x)
        x = F.relu(self.b1(x))
        y = F.relu(self.b2(y))
        x = x + F.interpolate(self.up(y), size=x.shape[2:], mode='bilinear', align_corners=True)
        y = F.interpolate(y, scale_factor=2, mode='bilinear', align_corners=False)
        return self.head(torch.cat([x, y], 1))


class SegFormerAttn(nn.Module):
    def __init__(self, dim=32, heads=2, sr=2):
        super().__init__()
        self.h = heads
        self.q = nn.Linear(dim, dim)
        self.kv = nn.Linear(dim, 2*dim)
        self.sr = nn.Conv2d(dim, dim, sr, sr)
        self.norm = nn.LayerNorm(dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x, H, W):
        B, N, C = x.shape
        q = self.q(x).reshape(B, N, self.h, C // self.h).permute(0, 2, 1, 3)
        y = self.sr(x.permute(0, 2, 1).reshape(B, C, H, W))
        y = self.norm(y.reshape(B, C, -1).permute(0, 2, 1))
        kv = self.kv(y).reshape(B, -1, 2, self.h, C // self.h).permute(2, 0, 3, 1, 4)
        k, v = kv[0], kv[1]
        a = (q @ k.transpose(-2, -1) * (C // self.h) ** -0.5).softmax(-1)
        return self.proj((a @ v).transpose(1, 2).reshape(B, N, C))


class SegFormer(nn.Module):
    def __init__(self, dim=32):
        super().__init__()
        self.patch = nn.Conv2d(3, dim, 7, 4, 3)
        self.n0 = nn.LayerNorm(dim)
        self.n1 = nn.LayerNorm(dim)
        self.att = SegFormerAttn(dim)
        self.n2 = nn.LayerNorm(dim)
        self.fc1 = nn.Linear(dim, 4*dim)
        self.dw = nn.Conv2d(4*dim, 4*dim, 3, 1, 1, groups=4*dim)
        self.fc2 = nn.Linear(4*dim, dim)
        self.cls = nn.Conv2d(dim, 3, 1)

    def forward(self, x):
        x = self.patch(x)
        B, C, H, W = x.shape
        x = self.n0(x.flatten(2).transpose(1, 2))
        x = x + self.att(self.n1(x), H, W)
        y = self.fc1(self.n2(x))
        y = self.dw(y.transpose(1, 2).reshape(B, -1, H, W)).flatten(2).transpose(1, 2)
        x = x + self.fc2(F.gelu(y))
        x = x.transpose(1, 2).reshape(B, C, H, W)
        return F.interpolate(self.cls(x), scale_factor=4, mode='bilinear', align_corners=False)


class SwinV2Attn(nn.Module):
    def __init__(self, dim=32, heads=2):
        super().__init__()
        self.h = heads
        self.qkv = nn.Linear(dim, 3*dim)
        self.proj = nn.Linear(dim, dim)
        self.logit = nn.Parameter(torch.log(10 * torch.ones(heads, 1, 1)))
        self.norm = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 64), nn.GELU(), nn.Linear(64, dim))
        self.n2 = nn.LayerNorm(dim)
        self.bias = nn.Parameter(torch.randn(heads, 16, 16))

    def forward(self, x):
        B, N, C = x.shape
        qkv = self.qkv(x).reshape(B, N, 3, self.h, C // self.h).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        a = F.normalize(q, dim=-1) @ F.normalize(k, dim=-1).transpose(-2, -1)
        a = a * torch.clamp(self.logit, max=math.log(100.)).exp() + 16 * torch.sigmoid(self.bias)
        y = self.proj((a.softmax(-1) @ v).transpose(1, 2).reshape(B, N, C))
        x = x + self.norm(y)
        return x + self.n2(self.mlp(x))


class SwinV2(nn.Module):
    def __init__(self):
        super().__init__()
        self.patch = nn.Conv2d(3, 32, 4, 4)
        self.blk = SwinV2Attn()
        self.head = nn.Linear(32, 10)

    def forward(self, x):
        x = self.patch(x)  # a 16x16 map in 16 windows of 4x4
        B, C, H, W = x.shape
        w = 4
        x = x.permute(0, 2, 3, 1).reshape(B, H // w, w, W // w, w, C)
        x = x.permute(0, 1, 3, 2, 4, 5).reshape(-1, w * w, C)
        x = self.blk(x)
        return self.head(x.mean(1).mean(0, keepdim=True))


class DeiT(nn.Module):
    def __init__(self, dim=64):
        super().__init__()
        self.patch = nn.Conv2d(3, dim, 16, 16)
        self.cls = nn.Parameter(torch.randn(1, 1, dim))
        self.dist = nn.Parameter(torch.randn(1, 1, dim))
        self.pos = nn.Parameter(torch.randn(1, 18, dim) * .2)
        self.n1 = nn.LayerNorm(dim, eps=1e-6)
        self.att = Attn(dim, 4)
        self.n2 = nn.LayerNorm(dim, eps=1e-6)
        self.mlp = nn.Sequential(nn.Linear(dim, 4*dim), nn.GELU(), nn.Linear(4*dim, dim))
        self.h1 = nn.Linear(dim, 10)
        self.h2 = nn.Linear(dim, 10)

    def forward(self, x):
        x = self.patch(x).flatten(2).transpose(1, 2)
        B = x.shape[0]
        x = torch.cat([self.cls.expand(B, -1, -1), self.dist.expand(B, -1, -1), x], 1) + self.pos
        x = x + self.att(self.n1(x))
        x = x + self.mlp(self.n2(x))
        return (self.h1(x[:, 0]) + self.h2(x[:, 1])) / 2


class CBAMNet(nn.Module):
    def __init__(self, c=32):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, c, 3, 2, 1), nn.BatchNorm2d(c), nn.ReLU())
        self.mlp = nn.Sequential(nn.Conv2d(c, c // 8, 1, bias=False), nn.ReLU(),
                                 nn.Conv2d(c // 8, c, 1, bias=False))
        self.sp = nn.Conv2d(2, 1, 7, padding=3, bias=False)
        self.head = nn.Linear(c, 10)

    def forward(self, x):
        x = self.stem(x)
        avg, peak = F.adaptive_avg_pool2d(x, 1), F.adaptive_max_pool2d(x, 1)
        ca = torch.sigmoid(self.mlp(avg) + self.mlp(peak))
        x = x * ca
        pooled = torch.cat([x.mean(1, keepdim=True), x.max(1, keepdim=True)[0]], 1)
        sa = torch.sigmoid(self.sp(pooled))
        x = x * sa
        return self.head(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


NETS = dict(mixer=Mixer, convmixer=ConvMixer, poolformer=PoolFormer, mobilevit=MobileViT,
            ghostnet=GhostNet, csp=CSP, hrnet=HRNetLite, segformer=SegFormer, swinv2=SwinV2,
            deit=DeiT, cbam=CBAMNet, yolo=Yolo, **CONV_NETS, **ATTENTION_NETS)


def export(name, opset, out):
    torch.manual_seed(1)
    m = NETS[name]().eval()
    with torch.no_grad():
        for mod in m.modules():
            if isinstance(mod, nn.BatchNorm2d):
                mod.running_mean.uniform_(-0.5, 0.5)
                mod.running_var.uniform_(0.5, 2)
                mod.weight.uniform_(0.5, 1.5)
                mod.bias.uniform_(-0.3, 0.3)
        x = torch.randn(1, 3, 64, 64)
        y = m(x)
    stem = os.path.join(out, f"{name}_op{opset}")
    torch.onnx.export(m, x, stem + ".onnx", opset_version=opset, input_names=["input"],
                      output_names=["output"])
    np.save(stem + ".input.npy", x.numpy())
    np.save(stem + ".output.npy", y.numpy())


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", default=os.path.join(ROOT, "build", "architectures"))
    p.add_argument("--opsets", default="11,17", help="comma-separated opsets")
    p.add_argument("--only", help="comma-separated nets (default: all)")
    p.add_argument("--skip-existing", action="store_true",
                   help="keep exports newer than these scripts")
    args = p.parse_args()
    names = args.only.split(",") if args.only else list(NETS)
    unknown = [n for n in names if n not in NETS]
    if unknown:
        sys.exit(f"unknown nets: {', '.join(unknown)} (have {', '.join(NETS)})")
    os.makedirs(args.out, exist_ok=True)
    torch.set_num_threads(1)
    failed = False
    for name in names:
        for opset in (int(o) for o in args.opsets.split(",")):
            stem = os.path.join(args.out, f"{name}_op{opset}")
            files = [stem + ext for ext in (".onnx", ".input.npy", ".output.npy")]
            if args.skip_existing and all(
                    os.path.exists(f) and os.path.getmtime(f) >= SCRIPTS_MTIME for f in files):
                continue
            try:
                export(name, opset, args.out)
            except Exception as e:  # report and go on with the others
                print(f"{name} opset {opset}: export failed: {e}", file=sys.stderr)
                failed = True
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
