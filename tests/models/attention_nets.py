"""Attention CNNs' attention blocks, for tests/models/architectures.py, which
exports and checks them beside its other nets:

  ccnet       CCNet: criss-cross attention over a pixel's row and column,
              twice, its own pixel masked by torch.eye (EyeLike)
  lambdanet   LambdaNetworks' layer: a content lambda (softmaxed keys times
              values) and position lambdas from a (5, 5, 1) Conv3d over the
              values, applied to the queries; then a (3, 3, 3) Conv3d in 2
              groups, stride 2 along its depth, over the channels viewed as
              a volume

and one attention block each after a stem down to 16x16 (AttentionCNN):

  eca         ECA-Net: a Conv1d over the pooled channels
  coordatt    coordinate attention: pools along each axis, one conv over both
  gcnet       GCNet's global context: softmax over the pixels, LayerNorm in
              the bottleneck
  sknet       SKNet's selective kernel: softmax across two grouped branches
  resnest     ResNeSt's split attention: softmax across radix groups
  danet       DANet: position and channel attention
  triplet     triplet attention: 7x7 gates over permuted maps
"""

import functools

import torch
import torch.nn as nn
import torch.nn.functional as F


class CrissCross(nn.Module):
    """CCNet's criss-cross attention, applied twice as the paper recurs: each
    pixel attends to its row and its column; its own pixel, in both, is
    masked once by torch.eye (ONNX EyeLike)."""

    def __init__(self, c=32):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, c, 3, 2, 1), nn.BatchNorm2d(c), nn.ReLU())
        self.q, self.k = nn.Conv2d(c, c // 8, 1), nn.Conv2d(c, c // 8, 1)
        self.v = nn.Conv2d(c, c, 1)
        self.gamma = nn.Parameter(torch.tensor(0.3))
        self.head = nn.Linear(c, 10)

    def attend(self, x):
        b, _, h, w = x.shape
        q, k, v = self.q(x), self.k(x), self.v(x)
        cols = lambda t: t.permute(0, 3, 1, 2).reshape(b * w, -1, h)  # noqa: E731
        rows = lambda t: t.permute(0, 2, 1, 3).reshape(b * h, -1, w)  # noqa: E731
        own = (torch.eye(h) * -1e9).unsqueeze(0).repeat(b * w, 1, 1)
        e_h = torch.bmm(cols(q).transpose(1, 2), cols(k)) + own
        e_h = e_h.view(b, w, h, h).permute(0, 2, 1, 3)
        e_w = torch.bmm(rows(q).transpose(1, 2), rows(k)).view(b, h, w, w)
        a = torch.softmax(torch.cat([e_h, e_w], 3), 3)
        a_h = a[:, :, :, :h].permute(0, 2, 1, 3).reshape(b * w, h, h)
        a_w = a[:, :, :, h:].reshape(b * h, w, w)
        o_h = torch.bmm(cols(v), a_h.transpose(1, 2)).view(b, w, -1, h).permute(0, 2, 3, 1)
        o_w = torch.bmm(rows(v), a_w.transpose(1, 2)).view(b, h, -1, w).permute(0, 2, 1, 3)
        return self.gamma * (o_h + o_w) + x

    def forward(self, x):
        x = self.attend(self.attend(self.stem(x)))
        return self.head(x.mean((2, 3)))


def conv_bn_act(i, o, k=3, s=1, g=1, d=1, act=nn.ReLU):
    return nn.Sequential(nn.Conv2d(i, o, k, s, d * (k // 2), dilation=d, groups=g, bias=False),
                         nn.BatchNorm2d(o), act())


class AttentionCNN(nn.Module):
    """A stem down to 16x16, one attention block, a conv and a classifier."""

    def __init__(self, block, c=64):
        super().__init__()
        self.stem = nn.Sequential(conv_bn_act(3, c // 2, 3, 2), conv_bn_act(c // 2, c, 3, 2))
        self.block, self.post, self.head = block, conv_bn_act(c, c), nn.Linear(c, 10)

    def forward(self, x):
        return self.head(self.post(self.block(self.stem(x))).mean((2, 3)))


class ECA(nn.Module):
    """ECA-Net: a 1-D conv across the pooled channels gates them."""

    def __init__(self, c=64, k=5):
        super().__init__()
        self.conv = nn.Conv1d(1, 1, k, padding=k // 2, bias=False)

    def forward(self, x):
        y = x.mean((2, 3), keepdim=True).squeeze(-1).transpose(-1, -2)
        return x * torch.sigmoid(self.conv(y).transpose(-1, -2).unsqueeze(-1))


class CoordAtt(nn.Module):
    """Coordinate attention: pools along each axis, one conv over both, split back."""

    def __init__(self, c=64):
        super().__init__()
        self.conv = conv_bn_act(c, 16, 1)
        self.h, self.w = nn.Conv2d(16, c, 1), nn.Conv2d(16, c, 1)

    def forward(self, x):
        h, w = x.shape[2:]
        pooled = [x.mean(3, keepdim=True), x.mean(2, keepdim=True).transpose(2, 3)]
        y = self.conv(torch.cat(pooled, 2))
        yh, yw = torch.split(y, [h, w], 2)
        return x * torch.sigmoid(self.h(yh)) * torch.sigmoid(self.w(yw.transpose(2, 3)))


class GlobalContext(nn.Module):
    """GCNet: a softmax over the pixels pools the context, a bottleneck with LayerNorm adds it."""

    def __init__(self, c=64):
        super().__init__()
        self.mask = nn.Conv2d(c, 1, 1)
        self.transform = nn.Sequential(nn.Conv2d(c, c // 4, 1), nn.LayerNorm([c // 4, 1, 1]),
                                       nn.ReLU(), nn.Conv2d(c // 4, c, 1))

    def forward(self, x):
        n, c, h, w = x.shape
        weights = F.softmax(self.mask(x).view(n, 1, h * w), -1)
        context = torch.matmul(x.view(n, c, h * w), weights.transpose(1, 2)).view(n, c, 1, 1)
        return x + self.transform(context)


class SelectiveKernel(nn.Module):
    """SKNet: a 3x3 and a dilated 3x3 branch (grouped), a softmax across them per channel."""

    def __init__(self, c=64):
        super().__init__()
        self.b1, self.b2 = conv_bn_act(c, c, g=8), conv_bn_act(c, c, g=8, d=2)
        self.fc = nn.Sequential(nn.Conv2d(c, 16, 1), nn.ReLU())
        self.select = nn.Conv2d(16, 2 * c, 1)

    def forward(self, x):
        u1, u2 = self.b1(x), self.b2(x)
        a = self.select(self.fc((u1 + u2).mean((2, 3), keepdim=True)))
        a = a.view(x.shape[0], 2, x.shape[1], 1, 1).softmax(1)
        return u1 * a[:, 0] + u2 * a[:, 1]


class SplitAttention(nn.Module):
    """ResNeSt: radix-2 split attention, a softmax across the radix groups."""

    def __init__(self, c=64, radix=2):
        super().__init__()
        self.radix, self.conv = radix, conv_bn_act(c, c * radix, g=radix)
        self.fc = nn.Sequential(conv_bn_act(c, c // 4, 1), nn.Conv2d(c // 4, c * radix, 1))

    def forward(self, x):
        b, c = x.shape[:2]
        splits = torch.split(self.conv(x), c, 1)
        a = self.fc(F.adaptive_avg_pool2d(sum(splits), 1))
        a = a.view(b, 1, self.radix, -1).transpose(1, 2).softmax(1).reshape(b, -1, 1, 1)
        return sum(w * s for w, s in zip(torch.split(a, c, 1), splits))


class DualAttention(nn.Module):
    """DANet: position attention over the 256 pixels and channel attention over the channels,
    whose energy is subtracted from its row maximum."""

    def __init__(self, c=64):
        super().__init__()
        self.q, self.k = nn.Conv2d(c, c // 8, 1), nn.Conv2d(c, c // 8, 1)
        self.v = nn.Conv2d(c, c, 1)
        self.g1, self.g2 = nn.Parameter(torch.tensor(0.5)), nn.Parameter(torch.tensor(0.7))

    def forward(self, x):
        n, c, h, w = x.shape
        q, k = self.q(x).view(n, -1, h * w).permute(0, 2, 1), self.k(x).view(n, -1, h * w)
        a = torch.softmax(torch.bmm(q, k), -1)
        position = torch.bmm(self.v(x).view(n, -1, h * w), a.permute(0, 2, 1)).view(n, c, h, w)
        flat = x.view(n, c, -1)
        energy = torch.bmm(flat, flat.permute(0, 2, 1))
        energy = torch.max(energy, -1, keepdim=True)[0].expand_as(energy) - energy
        channel = torch.bmm(torch.softmax(energy, -1), flat).view(n, c, h, w)
        return self.g1 * position + self.g2 * channel + x


class TripletGate(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv2d(2, 1, 7, 1, 3, bias=False), nn.BatchNorm2d(1))

    def forward(self, x):
        pooled = torch.cat([x.max(1, keepdim=True)[0], x.mean(1, keepdim=True)], 1)
        return x * torch.sigmoid(self.conv(pooled))


class TripletAttention(nn.Module):
    """Triplet attention: a 7x7 gate over each of the three axis pairs, the map permuted."""

    def __init__(self, c=64):
        super().__init__()
        self.cw, self.hc, self.hw = TripletGate(), TripletGate(), TripletGate()

    def forward(self, x):
        a = self.cw(x.permute(0, 2, 1, 3)).permute(0, 2, 1, 3)
        b = self.hc(x.permute(0, 3, 2, 1)).permute(0, 3, 2, 1)
        return (a + b + self.hw(x)) / 3


class LambdaNet(nn.Module):
    def __init__(self, dim=32, heads=4, dim_k=8, r=5):
        super().__init__()
        self.heads, self.dim_k, self.dim_v = heads, dim_k, dim // heads
        self.stem = conv_bn_act(3, dim, 3, 2)
        self.qkv = nn.Conv2d(dim, heads * dim_k + dim_k + self.dim_v, 1, bias=False)
        self.norm_q, self.norm_v = nn.BatchNorm2d(heads * dim_k), nn.BatchNorm2d(self.dim_v)
        self.conv_lambda = nn.Conv3d(1, dim_k, (r, r, 1), padding=(r // 2, r // 2, 0))
        self.volume = nn.Conv3d(2, 4, 3, stride=(2, 1, 1), padding=1, groups=2)
        self.head = nn.Linear(dim, 10)

    def forward(self, x):
        x = self.stem(x)
        b, c, h, w = x.shape
        m = h * w
        q, k, v = torch.split(self.qkv(x), [self.heads * self.dim_k, self.dim_k, self.dim_v], 1)
        q = self.norm_q(q).reshape(b, self.heads, self.dim_k, m).transpose(-1, -2)
        v = self.norm_v(v).reshape(b, self.dim_v, m).transpose(-1, -2)
        k = F.softmax(k.reshape(b, self.dim_k, m), dim=-1)
        content = q @ (k @ v).unsqueeze(1)
        position = self.conv_lambda(v.reshape(b, 1, h, w, self.dim_v))
        position = position.reshape(b, 1, self.dim_k, m, self.dim_v).transpose(2, 3)
        position = (q.unsqueeze(-2) @ position).squeeze(-2)
        y = (content + position).transpose(-1, -2).reshape(b, c, h, w)
        y = self.volume(y.reshape(b, 2, c // 2, h, w)).reshape(b, c, h, w)
        return self.head(F.relu(x + y).mean((2, 3)))


ATTENTION_NETS = dict(ccnet=CrissCross, lambdanet=LambdaNet)
for _name, _block in dict(eca=ECA, coordatt=CoordAtt, gcnet=GlobalContext, sknet=SelectiveKernel,
                          resnest=SplitAttention, danet=DualAttention,
                          triplet=TripletAttention).items():
    ATTENTION_NETS[_name] = functools.partial(lambda block: AttentionCNN(block()), _block)
