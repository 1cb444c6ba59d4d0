#!/usr/bin/python3
"""Export small models the way people export them, for the ONNX importer.

tests/models/generate.py writes acnn's own clean test models; these are
exported as users do it: a dynamic batch axis (dynamic_axes), shape
arithmetic from x.view(x.size(0), -1), x.shape[-1] ** -0.5 and Swin's window
partition left in the graph (do_constant_folding=False for Swin), opsets 11,
13 and 17, and the activations and layers of mobile nets (F.hardswish, F.silu,
F.gelu in both forms, ReLU6, depthwise and grouped convs, AvgPool with
count_include_pad, F.pad, expand_as, masked_fill, einsum attention, a
RegNetY-style bottleneck with a projection shortcut, TensorFlow's "same"
padding computed from the input's size, slice assignment).

For each model this writes into tests/models/exports/:
  NAME.onnx         the export (exported at batch 1, batch axis dynamic)
  NAME.input.npy    a float32 input of batch 2, so the importer must pin the
                    symbolic batch to 2 (acnnc --input-shape input=2x...)
  NAME.output.npy   PyTorch's output for it
and unsupported.onnx, a model whose nodes acnn refuses for several reasons,
for `acnnc inspect --coverage` (no reference data).

Run with Debian's interpreter (torch 1.13, onnx 1.12):
  /usr/bin/python3 tests/models/generate_exports.py
"""

import math
import os
import warnings

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "exports")
BATCH = 2


class MobileBlock(nn.Module):
    """Stem, depthwise separable conv with squeeze-excite, pools, F.pad, head."""

    def __init__(self, c=8, classes=10):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, c, 3, 2, 1, bias=False), nn.BatchNorm2d(c),
                                  nn.ReLU6())
        self.dw = nn.Conv2d(c, c, 3, 1, 1, groups=c, bias=False)
        self.dw_bn = nn.BatchNorm2d(c)
        self.se_reduce = nn.Conv2d(c, c // 2, 1)
        self.se_expand = nn.Conv2d(c // 2, c, 1)
        self.grouped = nn.Conv2d(c, 2 * c, 3, 1, 0, groups=2)
        self.pool_incl = nn.AvgPool2d(3, 2, 1, count_include_pad=True)
        self.pool_excl = nn.AvgPool2d(3, 1, 1, count_include_pad=False)
        self.fc = nn.Linear(2 * c * 4 * 5, classes)  # 16x16 in: 8x8, padded 9x11, 4x5

    def forward(self, x):
        x = self.stem(x)
        x = F.hardswish(self.dw_bn(self.dw(x)))
        s = F.adaptive_avg_pool2d(x, 1)
        s = F.hardsigmoid(self.se_expand(F.silu(self.se_reduce(s))))
        x = x * s.expand_as(x)
        x = F.pad(x, (1, 2, 0, 1))
        x = self.grouped(x)
        x = self.pool_excl(self.pool_incl(x))
        return self.fc(x.view(x.size(0), -1))


class Attention(nn.Module):
    """Multi-head attention with the shape arithmetic exporters keep."""

    def __init__(self, dim, heads, use_einsum):
        super().__init__()
        self.heads = heads
        self.use_einsum = use_einsum
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x, mask=None):
        b, n, c = x.shape
        qkv = self.qkv(x).reshape(b, n, 3, self.heads, c // self.heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        scale = q.shape[-1] ** -0.5
        if self.use_einsum:
            # The spellings of the scores: heads first, tokens first (averaged, same value).
            qt, kt = q.transpose(1, 2), k.transpose(1, 2)
            attn = (torch.einsum("bhqd,bhkd->bhqk", q, k) +
                    torch.einsum("bqhd,bkhd->bhqk", qt, kt)) * (0.5 * scale)
        else:
            attn = (q @ k.transpose(-2, -1)) * scale
        if mask is not None:
            attn = attn.masked_fill(mask, -1e4)
        attn = attn.softmax(dim=-1)
        if self.use_einsum:
            out = torch.einsum("...qk,...kd->...qd", attn, v)
        else:
            out = attn @ v
        return self.proj(out.transpose(1, 2).reshape(b, n, c))


class VitBlock(nn.Module):
    """Patch embedding, a class token, a pre-norm transformer block, a head."""

    def __init__(self, dim=16, heads=2, patch=4, classes=10):
        super().__init__()
        self.embed = nn.Conv2d(3, dim, patch, patch)
        self.cls = nn.Parameter(torch.randn(1, 1, dim) * 0.1)
        self.norm1 = nn.LayerNorm(dim)
        self.attn = Attention(dim, heads, use_einsum=True)
        self.norm2 = nn.LayerNorm(dim)
        self.fc1 = nn.Linear(dim, 2 * dim)
        self.fc2 = nn.Linear(2 * dim, dim)
        self.head = nn.Linear(dim, classes)

    def forward(self, x):
        x = self.embed(x).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls.expand(x.shape[0], -1, -1), x], dim=1)
        x = x + self.attn(self.norm1(x))
        x = x + self.fc2(F.gelu(self.fc1(self.norm2(x)), approximate="tanh"))
        return self.head(F.gelu(x[:, 0]))


def window_partition(x, ws):
    b, h, w, c = x.shape
    x = x.view(b, h // ws, ws, w // ws, ws, c)
    return x.permute(0, 1, 3, 2, 4, 5).contiguous().view(-1, ws * ws, c)


def window_reverse(windows, ws, h, w):
    # Swin's int(windows.shape[0] / (h * w / ws / ws)) would be traced as a
    # constant, fixing the batch; integer arithmetic on sizes stays in the graph.
    b = windows.shape[0] // ((h // ws) * (w // ws))
    x = windows.view(b, h // ws, w // ws, ws, ws, -1)
    return x.permute(0, 1, 3, 2, 4, 5).contiguous().view(b, h, w, -1)


class SwinBlock(nn.Module):
    """Two Swin blocks (plain and shifted windows) with relative position bias."""

    def __init__(self, dim=16, heads=2, ws=4, size=8, classes=10):
        super().__init__()
        self.ws, self.heads = ws, heads
        self.embed = nn.Conv2d(3, dim, 2, 2)
        self.norms = nn.ModuleList([nn.LayerNorm(dim) for _ in range(4)])
        self.attns = nn.ModuleList([Attention(dim, heads, use_einsum=False) for _ in range(2)])
        self.mlps = nn.ModuleList([nn.Sequential(nn.Linear(dim, 2 * dim), nn.GELU(),
                                                 nn.Linear(2 * dim, dim)) for _ in range(2)])
        self.bias_table = nn.Parameter(torch.randn((2 * ws - 1) ** 2, heads) * 0.1)
        coords = torch.stack(torch.meshgrid(torch.arange(ws), torch.arange(ws), indexing="ij"))
        rel = (coords.flatten(1)[:, :, None] - coords.flatten(1)[:, None, :]).permute(1, 2, 0)
        rel = (rel[:, :, 0] + ws - 1) * (2 * ws - 1) + rel[:, :, 1] + ws - 1
        self.register_buffer("bias_index", rel)
        # Which token pairs of a shifted window come from different regions.
        region = torch.zeros(1, size, size, 1)
        shift = ws // 2
        cuts = (slice(0, -ws), slice(-ws, -shift), slice(-shift, None))
        label = 0
        for hs in cuts:
            for wsl in cuts:
                region[:, hs, wsl, :] = label
                label += 1
        ids = window_partition(region, ws).squeeze(-1)
        self.register_buffer("shift_mask", (ids[:, None, :] != ids[:, :, None])[:, None])
        self.head = nn.Linear(dim, classes)

    def block(self, x, i, shift):
        b, h, w, c = x.shape
        y = self.norms[2 * i](x)
        if shift:
            y = torch.roll(y, shifts=(-(self.ws // 2), -(self.ws // 2)), dims=(1, 2))
        windows = window_partition(y, self.ws)
        bias = self.bias_table[self.bias_index.view(-1)].view(self.ws ** 2, self.ws ** 2, -1)
        nw = windows.shape[0] // b
        mask = self.shift_mask.repeat(b, 1, 1, 1) if shift else None
        attn = self.attns[i]
        # Attention with the relative position bias added to the scores.
        bw, n, _ = windows.shape
        qkv = attn.qkv(windows).reshape(bw, n, 3, self.heads, c // self.heads)
        q, k, v = qkv.permute(2, 0, 3, 1, 4)
        scores = (q @ k.transpose(-2, -1)) * (q.shape[-1] ** -0.5) + bias.permute(2, 0, 1)
        if mask is not None:
            scores = scores.masked_fill(mask.view(b * nw, 1, n, n), -1e4)
        out = (scores.softmax(-1) @ v).transpose(1, 2).reshape(bw, n, c)
        y = window_reverse(attn.proj(out), self.ws, h, w)
        if shift:
            y = torch.roll(y, shifts=(self.ws // 2, self.ws // 2), dims=(1, 2))
        x = x + y
        return x + self.mlps[i](self.norms[2 * i + 1](x))

    def forward(self, x):
        x = self.embed(x).permute(0, 2, 3, 1)
        x = self.block(x, 0, shift=False)
        x = self.block(x, 1, shift=True)
        return self.head(x.mean(dim=(1, 2)))


class GroupedSEBlock(nn.Module):
    """A RegNetY (ResNeXt with squeeze-excite) bottleneck that downsamples: a
    1x1 conv, a 3x3 grouped conv of group width 8 with stride 2, squeeze-excite,
    a 1x1 conv, a 1x1 projection shortcut, the residual add and relu, then a
    1x1 conv head, all convs followed by BatchNorm. Added as torchvision's
    RegNetY adds (projection first), the add becomes the epilogue of the
    projection conv with the block's last conv as its residual: an element-wise
    op reading two convs' results (acnn-group-epilogues grouped both convs with
    it and crashed where their 15 output columns split off a remainder)."""

    def __init__(self, cin=8, c=16, group_width=8, se=4, classes=4):
        super().__init__()
        def conv_bn(i, o, k, stride=1, groups=1, relu=True):
            layers = [nn.Conv2d(i, o, k, stride, k // 2, groups=groups, bias=False),
                      nn.BatchNorm2d(o)]
            return nn.Sequential(*layers, nn.ReLU()) if relu else nn.Sequential(*layers)
        self.stem = conv_bn(3, cin, 3)
        self.a = conv_bn(cin, c, 1)
        self.b = conv_bn(c, c, 3, 2, c // group_width)
        self.se_reduce = nn.Conv2d(c, se, 1)
        self.se_expand = nn.Conv2d(se, c, 1)
        self.c = conv_bn(c, c, 1, relu=False)
        self.proj = conv_bn(cin, c, 1, 2, relu=False)
        self.head = nn.Conv2d(c, classes, 1)

    def forward(self, x):
        x = self.stem(x)
        y = self.b(self.a(x))
        s = F.adaptive_avg_pool2d(y, 1)
        y = y * torch.sigmoid(self.se_expand(F.relu(self.se_reduce(s))))
        return self.head(F.relu(self.proj(x) + self.c(y)))


class AttentionUNet(nn.Module):
    """A segmentation net: an encoder, attention gates on the skips (additive
    attention, as Attention U-Net), a decoder upsampling by transposed convs
    (2x2 stride 2, and a grouped 4x4 stride 2 one) and bilinear interpolation,
    with InstanceNorm, LeakyReLU, PReLU, ELU, reflection and replication
    padding, and a log-softmax over classes."""

    def __init__(self, c=8, classes=3):
        super().__init__()

        def block(cin, cout):
            return nn.Sequential(nn.ReflectionPad2d(1), nn.Conv2d(cin, cout, 3),
                                 nn.InstanceNorm2d(cout, affine=True), nn.LeakyReLU(0.1))

        self.enc1, self.enc2, self.enc3 = block(3, c), block(c, 2 * c), block(2 * c, 4 * c)
        self.up3 = nn.ConvTranspose2d(4 * c, 2 * c, 2, stride=2)
        self.gate_g, self.gate_x = nn.Conv2d(2 * c, c, 1), nn.Conv2d(2 * c, c, 1, bias=False)
        self.gate_psi = nn.Conv2d(c, 1, 1)
        self.dec2 = nn.Sequential(nn.ReplicationPad2d(1), nn.Conv2d(4 * c, 2 * c, 3), nn.PReLU(2 * c))
        self.up2 = nn.ConvTranspose2d(2 * c, 2 * c, 4, stride=2, padding=1, groups=2)
        self.dec1 = nn.Sequential(nn.Conv2d(3 * c, c, 3, padding=1), nn.ELU())
        self.head = nn.Conv2d(c, classes, 1)

    def forward(self, x):
        e1 = self.enc1(x)
        e2 = self.enc2(F.max_pool2d(e1, 2))
        e3 = self.enc3(F.max_pool2d(e2, 2))
        g = self.up3(e3)
        attention = torch.sigmoid(self.gate_psi(F.relu(self.gate_g(g) + self.gate_x(e2))))
        d2 = self.dec2(torch.cat([g, e2 * attention], 1))
        d1 = self.dec1(torch.cat([self.up2(d2), e1], 1))
        coarse = F.interpolate(self.head(F.avg_pool2d(d1, 2)), scale_factor=2, mode="bilinear",
                               align_corners=False)
        return F.log_softmax(self.head(d1) + coarse, dim=1)


class SEBackboneDetector(nn.Module):
    """A DBNet-style text detector: a backbone of inverted residuals with
    squeeze-excite gated by hard-sigmoid and hard-swish activations, an FPN
    (1x1 lateral convs, nearest 2x upsampling and adds, each level upsampled
    to the finest and concatenated), a head of GroupNorm, Mish, two 2x2
    stride-2 transposed convs and a sigmoid, and a bilinear (align_corners)
    resize to the input size."""

    def __init__(self, c=8):
        super().__init__()

        def stage(cin, cout, stride):
            mid = 2 * cin
            return nn.ModuleDict({
                "expand": nn.Sequential(nn.Conv2d(cin, mid, 1, bias=False), nn.BatchNorm2d(mid),
                                        nn.Hardswish()),
                "dw": nn.Sequential(nn.Conv2d(mid, mid, 3, stride, 1, groups=mid, bias=False),
                                    nn.BatchNorm2d(mid), nn.Hardswish()),
                "se1": nn.Conv2d(mid, mid // 4, 1), "se2": nn.Conv2d(mid // 4, mid, 1),
                "project": nn.Sequential(nn.Conv2d(mid, cout, 1, bias=False), nn.BatchNorm2d(cout)),
            })

        self.stem = nn.Sequential(nn.Conv2d(3, c, 3, 2, 1, bias=False), nn.BatchNorm2d(c), nn.ReLU())
        self.stages = nn.ModuleList([stage(c, c, 1), stage(c, 2 * c, 2), stage(2 * c, 4 * c, 2)])
        self.lateral = nn.ModuleList([nn.Conv2d(ch, c, 1) for ch in (c, 2 * c, 4 * c)])
        self.smooth = nn.ModuleList([nn.Conv2d(c, c // 2, 3, padding=1) for _ in range(3)])
        self.head = nn.Sequential(nn.Conv2d(3 * (c // 2), c, 3, padding=1, bias=False),
                                  nn.GroupNorm(2, c), nn.Mish(),
                                  nn.ConvTranspose2d(c, c, 2, 2), nn.BatchNorm2d(c), nn.ReLU(),
                                  nn.ConvTranspose2d(c, 1, 2, 2), nn.Sigmoid())

    @staticmethod
    def run_stage(s, x):
        y = s["dw"](s["expand"](x))
        gate = F.hardsigmoid(s["se2"](F.relu(s["se1"](F.adaptive_avg_pool2d(y, 1)))))
        y = s["project"](y * gate)
        return x + y if y.shape == x.shape else y

    def forward(self, x):
        features, y = [], self.stem(x)
        for s in self.stages:
            y = self.run_stage(s, y)
            features.append(y)
        laterals = [conv(f) for conv, f in zip(self.lateral, features)]
        for i in (2, 1):
            laterals[i - 1] = laterals[i - 1] + F.interpolate(laterals[i], scale_factor=2.0,
                                                              mode="nearest")
        size = laterals[0].shape[-2:]
        levels = [F.interpolate(conv(l), size=size, mode="nearest") if i else conv(l)
                  for i, (conv, l) in enumerate(zip(self.smooth, laterals))]
        maps = self.head(torch.cat(levels, 1))
        return F.interpolate(maps, size=x.shape[-2:], mode="bilinear", align_corners=True)


class AttentionModules(nn.Module):
    """ECA's channel gate (a Conv1d across channels), then DANet's position and
    channel attention heads, whose values are computed after the softmax."""

    def __init__(self, c=16, classes=4):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, c, 3, 2, 1, bias=False), nn.BatchNorm2d(c),
                                  nn.ReLU())
        self.eca = nn.Conv1d(1, 1, 3, padding=1, bias=False)
        self.query = nn.Conv2d(c, c // 8, 1)
        self.key = nn.Conv2d(c, c // 8, 1)
        self.value = nn.Conv2d(c, c, 1)
        self.gamma = nn.Parameter(torch.tensor([0.7, 0.6]))
        self.head = nn.Conv2d(2 * c, classes, 1)

    def forward(self, x):
        x = self.stem(x)
        y = x.mean((2, 3), keepdim=True)
        y = self.eca(y.squeeze(-1).transpose(-1, -2)).transpose(-1, -2).unsqueeze(-1)
        x = x * torch.sigmoid(y)
        n, c, h, w = x.shape
        q = self.query(x).view(n, -1, h * w).permute(0, 2, 1)
        k = self.key(x).view(n, -1, h * w)
        attention = torch.softmax(torch.bmm(q, k), -1)
        v = self.value(x).view(n, -1, h * w)
        position = torch.bmm(v, attention.permute(0, 2, 1)).view(n, c, h, w)
        flat = x.view(n, c, -1)
        energy = torch.bmm(flat, flat.permute(0, 2, 1))
        energy = torch.max(energy, -1, keepdim=True)[0].expand_as(energy) - energy
        channel = torch.bmm(torch.softmax(energy, -1), flat).view(n, c, h, w)
        out = torch.cat([self.gamma[0] * position + x, self.gamma[1] * channel + x], 1)
        return F.interpolate(self.head(out), scale_factor=2.0, mode="bilinear",
                             align_corners=False)


class AtrousPyramid(nn.Module):
    """DeepLabV3's ASPP head at low resolution: atrous 3x3 convs whose
    dilations reach past the 6x5 feature map nowhere (2), across its width (5)
    and both ways (12), so their outer taps read only padding,
    an image pooling branch, BatchNorm and ReLU, a 1x1 projection and a
    bilinear upsampling to the input's size."""

    def __init__(self, c=16, classes=3):
        super().__init__()
        self.backbone = nn.Sequential(nn.Conv2d(3, c, 3, 2, 1, bias=False), nn.BatchNorm2d(c),
                                      nn.ReLU(), nn.Conv2d(c, 2 * c, 3, 2, 1, bias=False),
                                      nn.BatchNorm2d(2 * c), nn.ReLU())

        def branch(k, dilation):
            return nn.Sequential(nn.Conv2d(2 * c, c, k, padding=dilation if k == 3 else 0,
                                           dilation=dilation, bias=False),
                                 nn.BatchNorm2d(c), nn.ReLU())

        self.branches = nn.ModuleList([branch(1, 1), branch(3, 2), branch(3, 5), branch(3, 12)])
        self.pool = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Conv2d(2 * c, c, 1, bias=False),
                                  nn.ReLU())
        self.project = nn.Sequential(nn.Conv2d(5 * c, c, 1, bias=False), nn.BatchNorm2d(c),
                                     nn.ReLU(), nn.Conv2d(c, classes, 1))

    def forward(self, x):
        f = self.backbone(x)
        pooled = F.interpolate(self.pool(f), size=f.shape[-2:], mode="bilinear",
                               align_corners=False)
        y = self.project(torch.cat([b(f) for b in self.branches] + [pooled], 1))
        return F.interpolate(y, size=x.shape[-2:], mode="bilinear", align_corners=False)


class ClassMap(nn.Module):
    """A segmentation net's class map: the per-pixel argmax of its logits, as
    torch.argmax exports it (ArgMax with keepdims 0, INT64 indices)."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        return torch.argmax(self.net(x), dim=1)


def check_class_map(model, shape):
    """The reference class map must test something and not hinge on
    rounding: two classes or more take 2% of the pixels each, and the top two
    log-probabilities of every pixel differ by 100x their f32 error or more."""
    x = torch.randn(*shape, generator=torch.Generator().manual_seed(7))
    with torch.no_grad():
        logits = model.net(x)
    counts = np.bincount(logits.argmax(1).numpy().ravel(), minlength=logits.shape[1])
    assert (counts >= 0.02 * counts.sum()).sum() >= 2, f"class map counts {counts}"
    top2 = logits.topk(2, dim=1).values
    margin = float((top2[:, 0] - top2[:, 1]).min())
    assert margin > 1e-4, f"class map margin {margin}"


class SamePadding(nn.Module):
    """TensorFlow's "same" padding computed from the input's size at run time,
    as ports of TF nets do it (timm's tf_* models): the pads are shape
    arithmetic, ceil and a clamp at zero, exported as Ceil, Clip and Cast."""

    def __init__(self, c=6):
        super().__init__()
        self.convs = nn.ModuleList([nn.Conv2d(3, c, 3, 2), nn.Conv2d(c, c, 5, 2, groups=c),
                                    nn.Conv2d(c, c, 3, 1, dilation=2)])
        self.fc = nn.Linear(c, 4)

    @staticmethod
    def same(size, k, s, d):
        if isinstance(size, torch.Tensor):  # traced: the export keeps this arithmetic
            return torch.clamp(((size / s).ceil() - 1) * s + (k - 1) * d + 1 - size, min=0)
        return max((math.ceil(size / s) - 1) * s + (k - 1) * d + 1 - size, 0)

    def forward(self, x):
        for conv in self.convs:
            ih, iw = x.size()[-2:]
            ph = self.same(ih, conv.kernel_size[0], conv.stride[0], conv.dilation[0])
            pw = self.same(iw, conv.kernel_size[1], conv.stride[1], conv.dilation[1])
            x = F.pad(x, [pw // 2, pw - pw // 2, ph // 2, ph - ph // 2])
            x = F.relu(conv(x))
        return self.fc(x.mean((2, 3)))


class SliceAssignment(nn.Module):
    """Slice assignment into computed tensors, exported as ScatterND: attention
    over a class token and a grid whose grid-to-grid scores get relative
    position terms in place (MViTv2's attn[:, :, 1:, 1:] = ... + rel), and a
    conv map whose first channel and last columns are overwritten."""

    def __init__(self, c=8, heads=2, classes=4):
        super().__init__()
        self.heads = heads
        self.embed = nn.Conv2d(3, c, 2, 2)
        self.cls = nn.Parameter(torch.randn(1, 1, c) * 0.1)
        self.qkv = nn.Linear(c, 3 * c)
        self.rel = nn.Linear(c // heads, 4)  # one term per grid row (4 rows)
        self.proj = nn.Linear(c, c)
        self.head = nn.Linear(c, classes)

    def forward(self, x):
        y = self.embed(x)
        y[:, 0] = torch.tanh(y[:, 1])
        y[:, :, :, -2:] = y[:, :, :, :2] * 0.5
        b, c, h, w = y.shape
        t = torch.cat([self.cls.expand(b, -1, -1), y.flatten(2).transpose(1, 2)], dim=1)
        n = t.shape[1]
        q, k, v = self.qkv(t).reshape(b, n, 3, self.heads, c // self.heads).permute(2, 0, 3, 1, 4)
        attn = (q @ k.transpose(-2, -1)) * (c // self.heads) ** -0.5
        rel = self.rel(q[:, :, 1:]).reshape(b, self.heads, h, w, h, 1)
        grid = attn[:, :, 1:, 1:].reshape(b, self.heads, h, w, h, w) + rel
        attn[:, :, 1:, 1:] = grid.reshape(b, self.heads, h * w, h * w)
        out = (attn.softmax(-1) @ v).transpose(1, 2).reshape(b, n, c)
        return self.head(self.proj(out).mean(1))


class Unsupported(nn.Module):
    """Layers acnn does not take: a Dropout left in training mode, a 3-D
    convolution and max pooling's indices (the ArgMax reads a refused node)."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3)
        self.conv3d = nn.Conv3d(1, 1, 3, padding=1)

    def forward(self, x):
        x = F.dropout(x, 0.2, training=True)
        x = self.conv3d(x.unsqueeze(1)).squeeze(1)
        y, indices = F.max_pool2d(self.conv(x), 2, return_indices=True)
        return y * torch.argmax(y, dim=1, keepdim=True).float() + indices.float()


def export(name, model, shape, opset, fold=True, training=torch.onnx.TrainingMode.EVAL):
    torch.manual_seed(1)
    path = os.path.join(OUT, name + ".onnx")
    example = torch.randn(1, *shape[1:])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, example, path, opset_version=opset, input_names=["input"],
                          output_names=["output"], dynamic_axes={"input": {0: "batch"},
                                                                 "output": {0: "batch"}},
                          do_constant_folding=fold, training=training)
    onnx.checker.check_model(onnx.load(path))
    return path


def write(name, model, shape, opset, fold=True):
    model.eval()
    path = export(name, model, shape, opset, fold)
    x = torch.randn(*shape, generator=torch.Generator().manual_seed(7))
    with torch.no_grad():
        y = model(x)
    np.save(os.path.join(OUT, name + ".input.npy"), x.numpy())
    np.save(os.path.join(OUT, name + ".output.npy"), y.numpy())
    nodes = len(onnx.load(path).graph.node)
    print(f"{name}: opset {opset}, {nodes} nodes, input {list(shape)}")


def calibrated(model):
    """Non-trivial BatchNorm statistics, so folding them matters."""
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.uniform_(-0.5, 0.5)
            m.running_var.uniform_(0.5, 1.5)
    return model


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(0)
    mobile = MobileBlock()
    for bn in (mobile.stem[1], mobile.dw_bn):  # non-trivial statistics
        bn.running_mean.uniform_(-0.5, 0.5)
        bn.running_var.uniform_(0.5, 1.5)
    for opset in (11, 13):
        write(f"mobile_opset{opset}", mobile, (BATCH, 3, 16, 16), opset)
    vit = VitBlock()
    for opset in (13, 17):
        write(f"vit_opset{opset}", vit, (BATCH, 3, 16, 16), opset)
    write("swin_opset13", SwinBlock(), (BATCH, 3, 16, 16), 13, fold=False)
    model = Unsupported().train()
    path = export("unsupported", model, (1, 3, 8, 8), 13,
                  training=torch.onnx.TrainingMode.TRAINING)
    print(f"unsupported: {len(onnx.load(path).graph.node)} nodes")
    torch.manual_seed(2)
    regnety = calibrated(GroupedSEBlock())
    # 8x30: the block's 4x15 output columns are no multiple of any target's
    # register tile (6 or 14 columns).
    write("regnety_opset13", regnety, (BATCH, 3, 8, 30), 13)
    torch.manual_seed(3)
    write("attention_unet_opset13", calibrated(AttentionUNet()), (BATCH, 3, 16, 20), 13)
    detector = calibrated(SEBackboneDetector())
    for opset in (11, 13):
        write(f"se_detector_opset{opset}", detector, (BATCH, 3, 32, 24), opset)
    torch.manual_seed(4)
    write("attention_modules_opset13", calibrated(AttentionModules()), (BATCH, 3, 16, 12), 13)
    torch.manual_seed(5)
    write("aspp_opset13", calibrated(AtrousPyramid()), (BATCH, 3, 24, 20), 13)
    torch.manual_seed(6)
    # 17x15: odd sizes, so the stride-2 convs pad unevenly (more after than before).
    write("same_padding_opset13", SamePadding(), (BATCH, 3, 17, 15), 13)
    torch.manual_seed(18)
    class_map = ClassMap(calibrated(AttentionUNet())).eval()
    check_class_map(class_map, (BATCH, 3, 16, 20))
    write("attention_unet_argmax_opset13", class_map, (BATCH, 3, 16, 20), 13)
    torch.manual_seed(19)
    write("slice_assignment_opset17", SliceAssignment(), (BATCH, 3, 8, 8), 17)


if __name__ == "__main__":
    main()
