#!/usr/bin/python3
"""Models spelled the way other exporters write them, built node by node.

PyTorch's exporter writes hard-swish, hard-sigmoid and squeeze-excite one way;
Paddle2ONNX, tf2onnx and onnx-simplifier outputs write them others. Each model
here is a small conv net whose activations and SE blocks use such spellings,
built with onnx.helper, with seeded weights and PyTorch's output for a seeded
input (computed with torch.nn.functional from the same weights):

  paddle_se     HardSwish as x * Clip(x + 3, 0, 6) / 6; an SE block of 1x1
                convs gated by HardSigmoid(alpha=0.2, beta=0.5) (Paddle's
                and Keras's hard sigmoid); LeakyRelu; opset 11
  tf_se         an NHWC graph as tf2onnx writes it: Transpose in, Conv with
                auto_pad SAME_UPPER, swish as x * Sigmoid(x), an SE block of
                ReduceMean, MatMul + Add and Relu, gated by
                Min(Max(z * 0.2 + 0.5, 0), 1); Pad reflect; opset 13
  paddle_se_external  the same with its weights in a side file (ONNX external
                data, as models over 2 GB are written)
  reductions    ReduceL2, ReduceLogSumExp, ReduceSumSquare, LogSoftmax and
                Softplus / Softsign / Elu / Selu over a conv's output; opset 13
  conv_transpose  ConvTranspose with kernels a multiple of the stride (pads,
                output padding, groups), one that is not (3x3 stride 2: zero
                taps up to 4x4) and a dilated one; opset 13
  group_norm    GroupNormalization (opset 18: scale and bias per group), LRN
                and Mean
  attention_op  opset 23's Attention node (3-D inputs with grouped key/value
                heads and a float mask; 4-D with is_causal and a boolean mask)
                and opset 24's Swish; opset 24
  ort_contrib   ONNX Runtime's com.microsoft ops, as its optimizer saves models and
                Optimum's O2+ exports write them: FusedConv with each activation and a
                residual sum, FusedMatMul (transB, alpha, transBatchB), BiasGelu,
                FastGelu, QuickGelu, SkipLayerNormalization with its sum output and
                FusedGemm with LeakyRelu; opset 17
  grid_sample   GridSample at points a conv of the input computes, bilinear
                with zero padding and nearest with border padding and
                align_corners; opset 16
  local_functions  modules as model-local functions, as torch.onnx's dynamo
                exporter and onnxscript write them: the graph calls ConvAct and
                SqueezeExcite with their weights as inputs, SqueezeExcite calls
                ConvAct in turn, and the conv pads and the gate's alpha are
                attribute references each call binds; opset 17

For each model this writes into tests/models/spellings/ NAME.onnx,
NAME.input.npy and NAME.output.npy (and paddle_se_external.weights).

Run with Debian's interpreter (torch 1.13, onnx 1.12):
  /usr/bin/python3 tests/models/generate_spellings.py
"""

import os

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import TensorProto, helper, numpy_helper

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "spellings")


class Graph:
    """Nodes, initializers and a counter for fresh value names."""

    def __init__(self, rng):
        self.rng, self.nodes, self.inits, self.count = rng, [], [], 0

    def weight(self, *shape, scale=0.3):
        name = f"w{len(self.inits)}"
        value = (self.rng.standard_normal(shape) * scale).astype(np.float32)
        self.inits.append(numpy_helper.from_array(value, name))
        return name, torch.from_numpy(value)

    def const(self, value):
        name = f"c{len(self.inits)}"
        self.inits.append(numpy_helper.from_array(np.asarray(value), name))
        return name

    def node(self, op, inputs, **attrs):
        self.count += 1
        out = f"v{self.count}"
        self.nodes.append(helper.make_node(op, inputs, [out], name=f"{op}_{self.count}", **attrs))
        return out

    def call(self, domain, function, inputs, **attrs):
        """A node calling a local function of `domain`."""
        self.count += 1
        out = f"v{self.count}"
        self.nodes.append(helper.make_node(function, inputs, [out], name=f"{function}_{self.count}",
                                           domain=domain, **attrs))
        return out

    def save(self, name, x, y, opset, out_shape, check=True, functions=()):
        shape = list(x.shape)
        graph = helper.make_graph(
            self.nodes, name, [helper.make_tensor_value_info("input", TensorProto.FLOAT, shape)],
            [helper.make_tensor_value_info(self.nodes[-1].output[0], TensorProto.FLOAT,
                                           list(out_shape))],
            self.inits)
        domains = sorted({f.domain for f in functions} | {n.domain for n in self.nodes if n.domain})
        model = helper.make_model(
            graph, opset_imports=[helper.make_opsetid("", opset)] +
            [helper.make_opsetid(d, 1) for d in domains], functions=list(functions),
            producer_name="acnn-spellings")
        if check:  # onnx 1.12's checker knows opsets up to 17
            onnx.checker.check_model(model)
        onnx.save(model, os.path.join(OUT, name + ".onnx"))
        np.save(os.path.join(OUT, name + ".input.npy"), x.numpy())
        np.save(os.path.join(OUT, name + ".output.npy"), y.numpy())
        print(f"{name}: opset {opset}, {len(self.nodes)} nodes")


def paddle_se(x):
    g = Graph(np.random.default_rng(1))
    w, tw = g.weight(16, 3, 3, 3)
    b, tb = g.weight(16)
    y = g.node("Conv", ["input", w, b], pads=[1, 1, 1, 1])
    t = F.conv2d(x, tw, tb, padding=1)
    # hard-swish: x * Clip(x + 3, 0, 6) / 6
    clipped = g.node("Clip", [g.node("Add", [y, g.const(np.float32(3))]),
                              g.const(np.float32(0)), g.const(np.float32(6))])
    y = g.node("Div", [g.node("Mul", [y, clipped]), g.const(np.float32(6))])
    t = t * torch.clamp(t + 3, 0, 6) / 6
    # SE: GlobalAveragePool, 1x1 conv + Relu, 1x1 conv, HardSigmoid(0.2, 0.5), Mul
    w1, tw1 = g.weight(4, 16, 1, 1)
    b1, tb1 = g.weight(4)
    w2, tw2 = g.weight(16, 4, 1, 1)
    b2, tb2 = g.weight(16)
    s = g.node("Relu", [g.node("Conv", [g.node("GlobalAveragePool", [y]), w1, b1])])
    s = g.node("HardSigmoid", [g.node("Conv", [s, w2, b2])], alpha=0.2, beta=0.5)
    y = g.node("Mul", [y, s])
    ts = F.conv2d(F.relu(F.conv2d(t.mean((2, 3), keepdim=True), tw1, tb1)), tw2, tb2)
    t = t * torch.clamp(0.2 * ts + 0.5, 0, 1)
    w3, tw3 = g.weight(8, 16, 1, 1)
    y = g.node("LeakyRelu", [g.node("Conv", [y, w3])], alpha=0.1)
    t = F.leaky_relu(F.conv2d(t, tw3), 0.1)
    g.save("paddle_se", x, t, 11, t.shape)
    # The same model with its weights in a side file, as exporters write
    # models over 2 GB.
    model = onnx.load(os.path.join(OUT, "paddle_se.onnx"))
    onnx.save_model(model, os.path.join(OUT, "paddle_se_external.onnx"), save_as_external_data=True,
                    all_tensors_to_one_file=True, location="paddle_se_external.weights",
                    size_threshold=0)
    np.save(os.path.join(OUT, "paddle_se_external.input.npy"), x.numpy())
    np.save(os.path.join(OUT, "paddle_se_external.output.npy"), t.numpy())


def tf_se(x):
    g = Graph(np.random.default_rng(2))
    nhwc = x.permute(0, 2, 3, 1).contiguous()
    y = g.node("Transpose", ["input"], perm=[0, 3, 1, 2])
    y = g.node("Pad", [y, g.const(np.array([0, 0, 1, 1, 0, 0, 1, 1], np.int64))], mode="reflect")
    t = F.pad(x, (1, 1, 1, 1), mode="reflect")
    w, tw = g.weight(16, 3, 3, 3)
    b, tb = g.weight(16)
    y = g.node("Conv", [y, w, b], auto_pad="SAME_UPPER", strides=[2, 2])
    t = F.conv2d(F.pad(t, (0, 1, 0, 1)), tw, tb, stride=2)  # SAME_UPPER: the odd pad at the end
    y = g.node("Mul", [y, g.node("Sigmoid", [y])])
    t = t * torch.sigmoid(t)
    # SE: ReduceMean, MatMul + Add, Relu, MatMul + Add, Min(Max(0.2 z + 0.5, 0), 1)
    w1, tw1 = g.weight(16, 4)
    b1, tb1 = g.weight(4)
    w2, tw2 = g.weight(4, 16)
    b2, tb2 = g.weight(16)
    s = g.node("ReduceMean", [y], axes=[2, 3], keepdims=0)
    s = g.node("Relu", [g.node("Add", [g.node("MatMul", [s, w1]), b1])])
    s = g.node("Add", [g.node("MatMul", [s, w2]), b2])
    s = g.node("Add", [g.node("Mul", [s, g.const(np.float32(0.2))]), g.const(np.float32(0.5))])
    s = g.node("Min", [g.node("Max", [s, g.const(np.float32(0))]), g.const(np.float32(1))])
    s = g.node("Unsqueeze", [s, g.const(np.array([2, 3], np.int64))])
    y = g.node("Mul", [y, s])
    ts = F.relu(t.mean((2, 3)) @ tw1 + tb1) @ tw2 + tb2
    t = t * torch.clamp(0.2 * ts + 0.5, 0, 1)[:, :, None, None]
    y = g.node("Transpose", [y], perm=[0, 2, 3, 1])
    t = t.permute(0, 2, 3, 1)
    g.save("tf_se", nhwc, t, 13, t.shape)


def reductions(x):
    g = Graph(np.random.default_rng(3))
    w, tw = g.weight(8, 3, 3, 3)
    y = g.node("Conv", ["input", w], pads=[1, 1, 1, 1])
    t = F.conv2d(x, tw, padding=1)
    parts, refs = [], []
    for op, ref in (("Softplus", F.softplus), ("Softsign", F.softsign), ("Elu", F.elu),
                    ("Selu", F.selu)):
        parts.append(g.node(op, [y]))
        refs.append(ref(t))
    a = g.node("Concat", parts, axis=1)
    ta = torch.cat(refs, 1)
    l2 = g.node("ReduceL2", [a], axes=[2, 3], keepdims=1)
    lse = g.node("ReduceLogSumExp", [a], axes=[1], keepdims=1)
    ssq = g.node("ReduceSumSquare", [a], axes=[3], keepdims=1)
    y = g.node("Add", [g.node("Div", [a, l2]), g.node("Mul", [lse, ssq])])
    t = (ta / ta.norm(dim=(2, 3), keepdim=True)
         + torch.logsumexp(ta, 1, keepdim=True) * (ta * ta).sum(3, keepdim=True))
    y = g.node("LogSoftmax", [y], axis=1)
    t = F.log_softmax(t, 1)
    g.save("reductions", x, t, 13, t.shape)


def group_norm(x):
    """GroupNormalization as opset 18 defines it (scale and bias per group)
    and opset 21 (per channel), with LRN and Mean."""
    g = Graph(np.random.default_rng(4))
    w, tw = g.weight(8, 3, 3, 3)
    y = g.node("Conv", ["input", w], pads=[1, 1, 1, 1])
    t = F.conv2d(x, tw, padding=1)
    scale, tscale = g.weight(2)
    bias, tbias = g.weight(2)
    a = g.node("GroupNormalization", [y, scale, bias], num_groups=2, epsilon=1e-3)
    ta = F.group_norm(t, 2, tscale.repeat_interleave(4), tbias.repeat_interleave(4), eps=1e-3)
    b = g.node("LRN", [y], size=3, alpha=1e-2, beta=0.6, bias=2.0)
    tb = F.local_response_norm(t, 3, alpha=1e-2, beta=0.6, k=2.0)
    g.node("Mean", [a, b, y])
    g.save("group_norm", x, (ta + tb + t) / 3, 18, t.shape, check=False)


def conv_transpose(x):
    """ConvTranspose in the forms decoders use: a kernel a multiple of the
    stride with pads, output padding and groups (computed phase by phase), a
    3x3 at stride 2 (phase by phase too, with zero taps up to 4x4) and a
    dilated one (the spread input)."""
    g = Graph(np.random.default_rng(5))
    w0, tw0 = g.weight(8, 3, 1, 1)
    y = g.node("Conv", ["input", w0])
    t = F.conv2d(x, tw0)
    w1, tw1 = g.weight(8, 4, 4, 6)
    b, tb = g.weight(8)
    a = g.node("ConvTranspose", [y, w1, b], strides=[2, 3], pads=[1, 2, 1, 2],
               output_padding=[1, 2], group=2)
    ta = F.conv_transpose2d(t, tw1, tb, stride=(2, 3), padding=(1, 2), output_padding=(1, 2),
                            groups=2)
    w2, tw2 = g.weight(8, 2, 3, 3)
    c = g.node("ConvTranspose", [a, w2], strides=[2, 2], pads=[1, 1, 1, 1],
               output_padding=[1, 1])
    tc = F.conv_transpose2d(ta, tw2, stride=2, padding=1, output_padding=1)
    w3, tw3 = g.weight(2, 2, 2, 2)
    g.node("ConvTranspose", [c, w3], strides=[2, 2], dilations=[2, 2])
    t = F.conv_transpose2d(tc, tw3, stride=2, dilation=2)
    g.save("conv_transpose", x, t, 13, t.shape)


def _sdpa(q, k, v, scale, bias):
    """softmax(q k^T * scale + bias) v, written out (torch 1.13 has no SDPA)."""
    return torch.softmax(q @ k.transpose(-1, -2) * scale + bias, -1) @ v


def attention_op(x):
    """Opset 23's Attention node, as newer exporters write scaled dot-product
    attention: 3-D inputs with grouped key/value heads (4 query heads, 2 key
    and value heads) and a float mask, then 4-D inputs with is_causal, a
    boolean mask and an explicit scale; opset 24's Swish with alpha 1 and not."""
    g = Graph(np.random.default_rng(6))
    w, tw = g.weight(16, 3, 2, 2)
    y = g.node("Conv", ["input", w], strides=[2, 2])
    t = F.conv2d(x, tw, stride=2)  # [2, 16, 6, 5]
    y = g.node("Transpose", [g.node("Reshape", [y, g.const(np.array([2, 16, 30], np.int64))])],
               perm=[0, 2, 1])
    t = t.reshape(2, 16, 30).transpose(1, 2)  # tokens [2, 30, 16]
    wq, twq = g.weight(16, 16)
    wk, twk = g.weight(16, 8)
    wv, twv = g.weight(16, 8)
    mask = (np.random.default_rng(7).standard_normal((30, 30)) * 0.5).astype(np.float32)
    y = g.node("Attention", [g.node("MatMul", [y, wq]), g.node("MatMul", [y, wk]),
                             g.node("MatMul", [y, wv]), g.const(mask)],
               q_num_heads=4, kv_num_heads=2)
    heads = lambda a, n: a.reshape(2, 30, n, 4).transpose(1, 2)  # noqa: E731
    repeat = lambda a: a.repeat_interleave(2, dim=1)  # noqa: E731
    ta = _sdpa(heads(t @ twq, 4), repeat(heads(t @ twk, 2)), repeat(heads(t @ twv, 2)), 0.5,
               torch.from_numpy(mask))
    t = ta.transpose(1, 2).reshape(2, 30, 16)
    y = g.node("Swish", [y])
    t = t * torch.sigmoid(t)
    q = g.node("Transpose", [g.node("Reshape", [y, g.const(np.array([2, 30, 4, 4], np.int64))])],
               perm=[0, 2, 1, 3])
    tq = heads(t, 4)
    keep = np.random.default_rng(8).random((1, 1, 30, 30)) > 0.3
    keep[..., 0] = True  # every query keeps one key its causal mask leaves it
    y = g.node("Attention", [q, q, q, g.const(keep)], is_causal=1, scale=0.3)
    causal = torch.ones(30, 30, dtype=torch.bool).tril()
    allowed = torch.from_numpy(keep) & causal
    t = _sdpa(tq, tq, tq, 0.3, torch.zeros(allowed.shape).masked_fill(~allowed, float("-inf")))
    g.node("Swish", [y], alpha=1.5)
    t = t * torch.sigmoid(1.5 * t)
    g.save("attention_op", x, t, 24, t.shape, check=False)


def _ref_attr(name, ref, kind):
    a = onnx.AttributeProto()
    a.name, a.ref_attr_name, a.type = name, ref, kind
    return a


def local_functions(x):
    g = Graph(np.random.default_rng(9))
    domain = "pkg.acnn.modules"
    opset = [helper.make_opsetid("", 17), helper.make_opsetid(domain, 1)]
    conv = helper.make_node("Conv", ["x", "w", "b"], ["c"])
    conv.attribute.append(_ref_attr("pads", "pads", onnx.AttributeProto.INTS))
    conv_act = helper.make_function(
        domain, "ConvAct", ["x", "w", "b"], ["y"],
        [conv, helper.make_node("Sigmoid", ["c"], ["s"]), helper.make_node("Mul", ["c", "s"], ["y"])],
        opset, ["pads"])
    gate = helper.make_node("HardSigmoid", ["z"], ["h"], beta=0.5)
    gate.attribute.append(_ref_attr("alpha", "alpha", onnx.AttributeProto.FLOAT))
    squeeze_excite = helper.make_function(
        domain, "SqueezeExcite", ["x", "w1", "b1", "w2", "b2"], ["y"],
        [helper.make_node("GlobalAveragePool", ["x"], ["p"]),
         helper.make_node("ConvAct", ["p", "w1", "b1"], ["r"], domain=domain, pads=[0, 0, 0, 0]),
         helper.make_node("Conv", ["r", "w2", "b2"], ["z"]), gate,
         helper.make_node("Mul", ["x", "h"], ["y"])],
        opset, ["alpha"])

    def t_conv_act(t, w, b, pad):
        c = F.conv2d(t, w, b, padding=pad)
        return c * torch.sigmoid(c)

    y, t = "input", x
    for i, (channels, alpha) in enumerate([(8, 1 / 6), (16, None)]):
        w, tw = g.weight(channels, t.shape[1], 3, 3)
        b, tb = g.weight(channels)
        y = g.call(domain, "ConvAct", [y, w, b], pads=[1, 1, 1, 1])
        t = t_conv_act(t, tw, tb, 1)
        w1, tw1 = g.weight(4, channels, 1, 1)
        b1, tb1 = g.weight(4)
        w2, tw2 = g.weight(channels, 4, 1, 1)
        b2, tb2 = g.weight(channels)
        # The second call leaves alpha out: HardSigmoid's default 0.2 holds.
        attrs = {"alpha": alpha} if alpha is not None else {}
        y = g.call(domain, "SqueezeExcite", [y, w1, b1, w2, b2], **attrs)
        z = F.conv2d(t_conv_act(t.mean((2, 3), keepdim=True), tw1, tb1, 0), tw2, tb2)
        t = t * torch.clamp((0.2 if alpha is None else alpha) * z + 0.5, 0, 1)
    # onnx 1.12's checker does not resolve calls of a model's own domains.
    g.save("local_functions", x, t, 17, t.shape, check=False,
           functions=[conv_act, squeeze_excite])


def ort_contrib(x):
    g = Graph(np.random.default_rng(10))
    ms = "com.microsoft"
    y, t = "input", x
    # FusedConv: activation(Conv + Z), with MLAS's activation_params.
    acts = [("Relu", [], F.relu), ("LeakyRelu", [0.1], lambda v: F.leaky_relu(v, 0.1)),
            ("Clip", [-0.5, 0.8], lambda v: torch.clamp(v, -0.5, 0.8)),
            ("HardSigmoid", [0.25, 0.4], lambda v: torch.clamp(0.25 * v + 0.4, 0, 1)),
            ("Tanh", [], torch.tanh)]
    for i, (act, params, fn) in enumerate(acts):
        w, tw = g.weight(8, t.shape[1], 3, 3)
        inputs, tb = [y, w], None
        if i != 2:
            b, tb = g.weight(8)
            inputs.append(b)
        attrs = {"activation_params": params} if params else {}
        conv = F.conv2d(t, tw, tb, padding=1)
        if i == 1:  # the residual sum input Z
            inputs.append(y)
            conv = conv + t
        y = g.node("FusedConv", inputs, domain=ms, activation=act, pads=[1, 1, 1, 1], **attrs)
        t = fn(conv)
    n, c, h, w_ = t.shape
    tokens = g.node("Transpose", [g.node("Reshape", [y, g.const(np.array([n, c, h * w_]))])],
                    perm=[0, 2, 1])
    tt = t.reshape(n, c, h * w_).transpose(1, 2)
    wq, twq = g.weight(16, 8)
    y = g.node("FusedMatMul", [tokens, wq], domain=ms, transB=1, alpha=0.5)
    t = 0.5 * tt @ twq.T
    b1, tb1 = g.weight(16)
    y = g.node("BiasGelu", [y, b1], domain=ms)
    t = F.gelu(t + tb1)
    b2, tb2 = g.weight(16)
    y = g.node("FastGelu", [y, b2], domain=ms)
    t = F.gelu(t + tb2, approximate="tanh")
    y = g.node("QuickGelu", [y], domain=ms, alpha=1.5)
    t = t * torch.sigmoid(1.5 * t)
    w2, tw2 = g.weight(16, 8)
    y = g.node("FusedMatMul", [y, w2], domain=ms)
    t = t @ tw2
    gamma, tgamma = g.weight(8)
    beta, tbeta = g.weight(8)
    bias, tbias = g.weight(8)
    g.count += 1
    ln, total = f"v{g.count}", f"s{g.count}"
    g.nodes.append(helper.make_node("SkipLayerNormalization", [y, tokens, gamma, beta, bias],
                                    [ln, "", "", total], name="SkipLayerNormalization",
                                    domain=ms, epsilon=1e-5))
    ts = t + tt + tbias
    t = F.layer_norm(ts, (8,), tgamma, tbeta, 1e-5) + ts
    y = g.node("Add", [ln, total])
    # transBatchB with transB: B's first axis moves in front of the last two,
    # which then swap ([5, 2, 8] read as [2, 8, 5]).
    wb, twb = g.weight(5, 2, 8)
    y = g.node("FusedMatMul", [y, wb], domain=ms, transBatchB=1, transB=1)
    t = t @ twb.permute(1, 2, 0)
    y = g.node("ReduceMean", [y], axes=[1], keepdims=0)
    t = t.mean(1)
    wg, twg = g.weight(4, 5)
    bg, tbg = g.weight(4)
    g.node("FusedGemm", [y, wg, bg], domain=ms, transB=1, activation="LeakyRelu",
           activation_alpha=0.2)
    t = F.leaky_relu(t @ twg.T + tbg, 0.2)
    g.save("ort_contrib", x, t, 17, t.shape, check=False)


def grid_sample(x):
    """GridSample at points the model computes, as spatial transformers and
    optical-flow warps export: a grid from a conv of the input (tanh scaled
    past [-1, 1], so some points fall outside), sampled bilinearly with zero
    padding and nearest with border padding and align_corners."""
    g = Graph(np.random.default_rng(9))
    w, tw = g.weight(2, 3, 3, 3)
    offsets = g.node("Conv", ["input", w], pads=[1, 1, 1, 1], strides=[2, 2])
    wide = g.node("Mul", [g.node("Tanh", [offsets]), g.const(np.float32(1.2))])
    grid = g.node("Transpose", [wide], perm=[0, 2, 3, 1])
    tgrid = (torch.tanh(F.conv2d(x, tw, padding=1, stride=2)) * 1.2).permute(0, 2, 3, 1)
    a = g.node("GridSample", ["input", grid], mode="bilinear", padding_mode="zeros")
    ta = F.grid_sample(x, tgrid, mode="bilinear", padding_mode="zeros", align_corners=False)
    b = g.node("GridSample", ["input", grid], mode="nearest", padding_mode="border",
               align_corners=1)
    tb = F.grid_sample(x, tgrid, mode="nearest", padding_mode="border", align_corners=True)
    g.node("Add", [a, b])
    g.save("grid_sample", x, ta + tb, 16, ta.shape)


def main():
    os.makedirs(OUT, exist_ok=True)
    x = torch.randn(2, 3, 12, 10, generator=torch.Generator().manual_seed(7))
    with torch.no_grad():
        paddle_se(x)
        tf_se(x)
        reductions(x)
        group_norm(x)
        conv_transpose(x)
        attention_op(x)
        local_functions(x)
        ort_contrib(x)
        grid_sample(x)


if __name__ == "__main__":
    main()
