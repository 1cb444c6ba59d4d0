"""Convnets built from unusual conv blocks, for tests/models/architectures.py,
which exports and checks them beside its other nets:

  repvgg      RepVGG (training form): 3x3 + 1x1 + identity BN branches, PReLU
  replknet    RepLKNet: 13x13 and 31x31 depthwise convs beside 5x5 ones
  nfnet       NFNet (normaliser-free): weights standardised in the graph by
              F.batch_norm in training mode (BatchNormalization with
              training_mode=1, or statistics outputs before opset 14), GELU,
              residual scaling by alpha and beta, a 3x3 conv in groups of 8
  resnext     ResNeXt's bottleneck at full resolution: a 3x3 conv in 32
              groups of 4 channels over a 64x64 map (2 MiB, past half of L2,
              so its rows are cut into blocks outside the groups)
  fastvit     FastViT's patch embedding: depthwise convs with a channel
              multiplier (groups = input channels, 2 or 3 filters each), a
              7x7 stride-2 one beside a 3x3 one, summed, then a 1x1 conv; a
              5x5 multiplier-3 one with a bias on 24 channels
  invres      MobileNetV2's inverted residuals at full resolution: 16 -> 384
              channels (6.5 MiB padded, past the cores' L2) into a 3x3
              depthwise conv and back with a residual add, then 16 -> 192
              into a 5x5 stride-2 one with squeeze-excite, so that their
              widened maps (and the SE's mean) are computed band by band in
              the depthwise convs' loops
"""

import torch
import torch.nn as nn
import torch.nn.functional as F
from attention_nets import conv_bn_act


class RepVGGish(nn.Module):
    def __init__(self):
        super().__init__()
        self.a3 = nn.Conv2d(3, 24, 3, 2, 1)
        self.a1 = nn.Conv2d(3, 24, 1, 2)
        self.b3 = nn.Conv2d(24, 24, 3, 1, 1)
        self.b1 = nn.Conv2d(24, 24, 1)
        self.bn = nn.BatchNorm2d(24)
        self.pre = nn.PReLU(24)
        self.head = nn.Linear(24, 10)

    def forward(self, x):
        x = F.relu(self.a3(x) + self.a1(x))
        x = self.pre(self.b3(x) + self.b1(x) + self.bn(x))
        return self.head(F.adaptive_avg_pool2d(x, 1).flatten(1))


class RepLKBlock(nn.Module):
    """RepLKNet's block: a large depthwise kernel beside a 5x5 one, summed."""

    def __init__(self, c, k):
        super().__init__()
        self.pw1 = nn.Sequential(nn.Conv2d(c, c, 1, bias=False), nn.BatchNorm2d(c), nn.ReLU())
        self.large = nn.Sequential(nn.Conv2d(c, c, k, padding=k // 2, groups=c, bias=False),
                                   nn.BatchNorm2d(c))
        self.small = nn.Sequential(nn.Conv2d(c, c, 5, padding=2, groups=c, bias=False),
                                   nn.BatchNorm2d(c))
        self.pw2 = nn.Sequential(nn.Conv2d(c, c, 1, bias=False), nn.BatchNorm2d(c))

    def forward(self, x):
        y = self.pw1(x)
        return x + self.pw2(F.relu(self.large(y) + self.small(y)))


class RepLKNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 32, 3, 2, 1, bias=False), nn.BatchNorm2d(32),
                                  nn.ReLU())
        self.b1 = RepLKBlock(32, 13)
        self.down = nn.Sequential(nn.Conv2d(32, 64, 3, 2, 1, bias=False), nn.BatchNorm2d(64),
                                  nn.ReLU())
        # On its 16x16 map every one of the 31x31 taps reaches the image.
        self.b2 = RepLKBlock(64, 31)
        self.head = nn.Linear(64, 10)

    def forward(self, x):
        x = self.b2(self.down(self.b1(self.stem(x))))
        return self.head(x.mean((2, 3)))


class ResNeXtBlock(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 64, 3, 1, 1, bias=False), nn.BatchNorm2d(64),
                                  nn.ReLU())
        self.body = nn.Sequential(
            nn.Conv2d(64, 128, 1, bias=False), nn.BatchNorm2d(128), nn.ReLU(),
            nn.Conv2d(128, 128, 3, 1, 1, groups=32, bias=False), nn.BatchNorm2d(128), nn.ReLU(),
            nn.Conv2d(128, 64, 1, bias=False), nn.BatchNorm2d(64))
        self.head = nn.Linear(64, 10)

    def forward(self, x):
        x = self.stem(x)
        x = F.relu(x + self.body(x))
        return self.head(x.mean((2, 3)))


class FastViTDown(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = conv_bn_act(3, 24, 3, 2, act=nn.GELU)
        self.large = nn.Sequential(nn.Conv2d(24, 48, 7, 2, 3, groups=24, bias=False),
                                   nn.BatchNorm2d(48))
        self.small = nn.Sequential(nn.Conv2d(24, 48, 3, 2, 1, groups=24, bias=False),
                                   nn.BatchNorm2d(48))
        self.pw = conv_bn_act(48, 24, 1, 1, act=nn.GELU)
        self.triple = nn.Conv2d(24, 72, 5, 1, 2, groups=24)
        self.head = nn.Linear(72, 10)

    def forward(self, x):
        x = self.stem(x)
        x = self.pw(F.gelu(self.large(x) + self.small(x)))
        return self.head(F.relu(self.triple(x)).mean((2, 3)))


class ScaledStdConv2d(nn.Conv2d):
    """NFNet's conv: each output channel's weights standardised (zero mean,
    unit variance) on every call, times a learnt gain over sqrt(fan-in)."""

    def __init__(self, cin, cout, k, stride=1, groups=1):
        super().__init__(cin, cout, k, stride, k // 2, groups=groups)
        self.gain = nn.Parameter(torch.rand(cout) + 0.5)
        self.scale = self.weight[0].numel() ** -0.5

    def forward(self, x):
        w = F.batch_norm(self.weight.reshape(1, self.out_channels, -1), None, None,
                         weight=self.gain * self.scale, training=True, momentum=0.0, eps=1e-6)
        return F.conv2d(x, w.reshape_as(self.weight), self.bias, self.stride, self.padding,
                        self.dilation, self.groups)


class NFNet(nn.Module):
    """NFNet's bottleneck: x + alpha * f(act(x) * beta), no norm layers."""

    def __init__(self, width=32, alpha=0.2, beta=1.1):
        super().__init__()
        self.alpha, self.beta = alpha, beta
        self.stem = ScaledStdConv2d(3, width, 3, stride=2)
        self.body = nn.Sequential(
            ScaledStdConv2d(width, 2 * width, 1), nn.GELU(),
            ScaledStdConv2d(2 * width, 2 * width, 3, groups=2 * width // 8), nn.GELU(),
            ScaledStdConv2d(2 * width, width, 1))
        self.head = nn.Linear(width, 10)

    def forward(self, x):
        x = self.stem(x)
        x = x + self.alpha * self.body(F.gelu(x) * self.beta)
        return self.head(x.mean((2, 3)))


class SqueezeExcite(nn.Module):
    def __init__(self, c, squeezed):
        super().__init__()
        self.fc1, self.fc2 = nn.Conv2d(c, squeezed, 1), nn.Conv2d(squeezed, c, 1)

    def forward(self, x):
        return x * torch.sigmoid(self.fc2(F.silu(self.fc1(x.mean((2, 3), keepdim=True)))))


class InvertedResiduals(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = conv_bn_act(3, 16, 3, 1, act=nn.ReLU6)

        def block(cin, wide, cout, k, s, se=nn.Identity()):
            return nn.Sequential(conv_bn_act(cin, wide, 1, 1, act=nn.ReLU6),
                                 nn.Conv2d(wide, wide, k, s, k // 2, groups=wide, bias=False),
                                 nn.BatchNorm2d(wide), nn.ReLU6(), se,
                                 nn.Conv2d(wide, cout, 1, bias=False), nn.BatchNorm2d(cout))
        self.same = block(16, 384, 16, 3, 1)
        self.down = block(16, 192, 24, 5, 2, SqueezeExcite(192, 48))
        self.head = nn.Linear(24, 10)

    def forward(self, x):
        x = self.stem(x)
        x = x + self.same(x)
        return self.head(self.down(x).mean((2, 3)))


CONV_NETS = dict(repvgg=RepVGGish, replknet=RepLKNet, resnext=ResNeXtBlock, nfnet=NFNet,
                 fastvit=FastViTDown, invres=InvertedResiduals)
