#!/usr/bin/python3
"""Export small models the way people export them, for the ONNX importer.

tests/models/generate.py writes acnn's own clean test models; these are
exported as users do it: a dynamic batch axis (dynamic_axes), shape
arithmetic from x.view(x.size(0), -1), x.shape[-1] ** -0.5 and Swin's window
partition left in the graph (do_constant_folding=False for Swin), opsets 11,
13 and 17, and the activations and layers of mobile nets (F.hardswish, F.silu,
F.gelu in both forms, ReLU6, depthwise and grouped convs, AvgPool with
count_include_pad, F.pad, expand_as, masked_fill, einsum attention, a
RegNetY-style bottleneck with a projection shortcut).

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


class Unsupported(nn.Module):
    """Layers acnn does not take: a Dropout left in training mode, nearest
    upsampling, reflection padding and LeakyReLU."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3)
        self.pad = nn.ReflectionPad2d(1)

    def forward(self, x):
        x = F.dropout(x, 0.2, training=True)
        x = F.interpolate(x, scale_factor=2.0, mode="nearest")
        return F.leaky_relu(self.conv(self.pad(x)), 0.1)


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
    regnety = GroupedSEBlock()
    for m in regnety.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.uniform_(-0.5, 0.5)
            m.running_var.uniform_(0.5, 1.5)
    # 8x30: the block's 4x15 output columns are no multiple of any target's
    # register tile (6 or 14 columns).
    write("regnety_opset13", regnety, (BATCH, 3, 8, 30), 13)


if __name__ == "__main__":
    main()
