#ifndef ACNN_PASSES_TD
#define ACNN_PASSES_TD

include "mlir/Pass/PassBase.td"

def FoldConstants : Pass<"acnn-fold-constants", "mlir::func::FuncOp"> {
  let summary = "Evaluate every op whose operands are all constants";
  let description = [{
    Weight-only subgraphs (transposed or reshaped weights, shape arithmetic left
    by exporters) are computed at compile time with the reference interpreter's
    kernels and replaced by one `acnn.constant`.
  }];
  let dependentDialects = ["acnn::AcnnDialect"];
}

def SplitConvTaps : Pass<"acnn-split-conv-taps", "mlir::func::FuncOp"> {
  let summary = "Split an atrous conv whose taps read mostly padding into its taps";
  let description = [{
    A stride-1 atrous conv of at most 9 taps that read the map at less than
    60% of their tap-positions (dilated near the map's size: DeepLab's
    ASPP) becomes the sum of its taps: each a 1x1 conv over the input region
    it reads, padded to the output and added. Weights are not duplicated
    (each tap is a slice of the weight), and the arithmetic is the taps' work
    on the map only. Taken where one tap covers the whole output (it takes
    the bias) and the conv has no epilogue yet.
  }];
  let dependentDialects = ["acnn::AcnnDialect"];
}

def TrimConvTaps : Pass<"acnn-trim-conv-taps", "mlir::func::FuncOp"> {
  let summary = "Drop conv kernel taps that read only padding";
  let description = [{
    A kernel row (or column) whose taps read only padding at every output
    position contributes nothing. The conv's weight is sliced to the rows and
    columns that read the input, and the padding only the dropped taps read
    goes with them, so the output is the same conv on less padding: an atrous
    conv dilated past its feature map (DeepLab's ASPP at low resolution, a
    3x3 conv on a 1x1 map) becomes a 1x1 conv. Taken only where the new
    padding is not negative.
  }];
  let dependentDialects = ["acnn::AcnnDialect"];
}

def FoldBatchNorm : Pass<"acnn-fold-batch-norm", "mlir::func::FuncOp"> {
  let summary = "Fold inference batch norm into the adjacent conv";
  let description = [{
    `batch_norm(conv(x, w, b))` becomes `conv(x, w * s, (b - mean) * s + beta)`
    with `s = gamma / sqrt(var + eps)` per output channel. A batch norm feeding
    an unpadded, ungrouped conv folds into it from the input side instead
    (`w * s` per input channel, the shift summed into the bias). Any other
    batch norm becomes a per-channel multiply and add. The new weights are
    expressed as acnn ops on the old ones, so `acnn-fold-constants` computes
    them: the numerics live in one place, the interpreter's kernels.
  }];
  let dependentDialects = ["acnn::AcnnDialect"];
}

def FuseEpilogues : Pass<"acnn-fuse-epilogues", "mlir::func::FuncOp"> {
  let summary = "Fuse bias, per-channel scale, residual add and activation into conv/linear/matmul";
  let description = [{
    The element-wise ops that follow a `conv2d`, `linear` or `matmul` whose
    result nothing else reads become part of it:

    - a per-channel constant added (`add(conv, c)`, c broadcasting along the
      output channels only) joins the bias;
    - a per-channel constant multiplied scales the filters and the bias;
    - any other tensor added that broadcasts to the result becomes the
      `residual` operand;
    - a following relu / sigmoid / tanh / silu / gelu / hard_swish becomes
      the `activation`.

    The result is `activation(op + bias + residual)`. A `matmul` by a
    constant matrix first becomes `linear` with the transposed weight so
    that its bias folds too. Weight arithmetic is left as acnn ops on the
    constants for `acnn-fold-constants`.
  }];
  let dependentDialects = ["acnn::AcnnDialect"];
}

def RecognizeActivations : Pass<"acnn-recognize-activations", "mlir::func::FuncOp"> {
  let summary = "Recognise GELU and SiLU spelled out in element-wise ops";
  let description = [{
    `x * 0.5 * (1 + erf(x / sqrt(2)))`, its three factors multiplied in any
    order and grouping and the division written as a multiplication by
    1 / sqrt(2) or not, becomes `acnn.gelu`, and so does the tanh form
    `x * 0.5 * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3)))` (with
    `approximate_tanh`); `x * sigmoid(x)` becomes
    `acnn.silu`. Both can then fuse into a producer's epilogue.
  }];
  let dependentDialects = ["acnn::AcnnDialect"];
}

def RecognizeLayerNorm : Pass<"acnn-recognize-layer-norm", "mlir::func::FuncOp"> {
  let summary = "Recognise layer norm spelled out in reductions and element-wise ops";
  let description = [{
    `(x - mean(x)) / sqrt(mean((x - mean(x))^2) + eps)` with the means over
    the trailing axes (kept as size 1) becomes `acnn.layer_norm` with unit
    scale; a following multiply by and add of constants along the normalised
    axes become its scale and bias. A layer norm of `x` [N, C, spatial...]
    reshaped to [N, G, rest] and back, with a uniform scale and bias, becomes
    `acnn.group_norm` with G groups, and one over H and W of [N, C, H, W]
    (instance norm) with C groups; a following multiply by and add of
    per-channel constants become its scale and bias.
  }];
  let dependentDialects = ["acnn::AcnnDialect"];
}

def FuseSqueezeExcite : Pass<"acnn-fuse-squeeze-excite", "mlir::func::FuncOp"> {
  let summary = "Recognise squeeze-and-excitation blocks as acnn.squeeze_excite";
  let description = [{
    `x * gate(fc2(act(fc1(mean over H, W of x))))`, the gate reshaped to
    [N, C, 1, 1], becomes one op whatever the exporter's spelling: the pool as
    GlobalAveragePool, ReduceMean or a whole-map average pool; each layer as
    Gemm / linear, a 1x1 conv or MatMul by a matrix plus a bias; the gate as
    sigmoid or PyTorch's hard sigmoid. Weights become [out, in] (transposes
    and reshapes of the constants, for `acnn-fold-constants`).
  }];
  let dependentDialects = ["acnn::AcnnDialect"];
}

def FuseCbam : Pass<"acnn-fuse-cbam", "mlir::func::FuncOp"> {
  let summary = "Recognise CBAM channel and spatial attention as fused ops";
  let description = [{
    Channel attention, `x * sigmoid(mlp(avg_pool(x)) + mlp(max_pool(x)))`
    with one MLP (the layers spelled as for `acnn-fuse-squeeze-excite`; the
    max pool also as a max_pool2d whose window is the map), becomes
    `acnn.channel_attention`. Spatial attention,
    `x * sigmoid(conv(concat(mean over C, max over C)))` with a size-keeping
    2 -> 1 conv, becomes `acnn.spatial_attention` (the weight's channels
    swapped if the max came first).
  }];
  let dependentDialects = ["acnn::AcnnDialect"];
}

def FuseAttention : Pass<"acnn-fuse-attention", "mlir::func::FuncOp"> {
  let summary = "Recognise scaled dot-product attention as acnn.attention";
  let description = [{
    `softmax(q * k^T * scale + bias) * v` over the last axis, with the scale
    as a multiply or divide by a scalar constant and an optional additive bias
    or mask after it, becomes `acnn.attention(q, k, v, bias)`. The non-local
    block's embedded-Gaussian form (no scale) and BoTNet's `v' * softmax(..)^T`
    (values as [E, N]) are the same op with transposes around it; a transpose
    of a transpose cancels. Heads stay batch axes: the reshapes and
    transposes that split them are left alone.
  }];
  let dependentDialects = ["acnn::AcnnDialect"];
}

#endif // ACNN_PASSES_TD
