#ifndef ACNN_OPS_TD
#define ACNN_OPS_TD

include "dialects/acnn/AcnnBase.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/IR/CommonAttrConstraints.td"

// Ops whose result type is computed in AcnnOps.cpp (`inferReturnTypes`).
class Acnn_InferredOp<string mnemonic, list<Trait> traits = []>
    : Acnn_Op<mnemonic, !listconcat([Pure, InferTypeOpAdaptor], traits)> {
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

// The element-wise function an op applies to its result last (its epilogue):
// "none", "relu", "relu6" (a clip to [0, 6]), "sigmoid", "tanh", "silu",
// "gelu", "gelu_tanh", "hard_swish". Checked in shape inference
// (`isActivation`).
def Acnn_ActivationAttr : DefaultValuedStrAttr<StrAttr, "none">;

//===----------------------------------------------------------------------===//
// Weights
//===----------------------------------------------------------------------===//

def Acnn_ConstantOp : Acnn_Op<"constant",
    [ConstantLike, Pure, InferTypeOpAdaptor]> {
  let summary = "A weight or other constant tensor";
  let arguments = (ins ElementsAttr:$value);
  let results = (outs Acnn_Tensor:$output);
  let assemblyFormat = "attr-dict $value";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Convolution, normalisation, pooling
//===----------------------------------------------------------------------===//

def Acnn_Conv2dOp : Acnn_InferredOp<"conv2d", [AttrSizedOperandSegments]> {
  let summary = "2-D convolution, NCHW input, OIHW weight, optional bias [O] and epilogue";
  let description = [{
    `pads` is [top, left, bottom, right]. With `groups` = G the input has
    G * I channels and the weight O = G * (O / G) filters of I channels.

    Epilogue (`acnn-fuse-epilogues`): the result is
    `activation(conv + bias + residual)`, the optional `residual` broadcasting
    (NumPy rules) to the result's shape.
  }];
  let arguments = (ins Acnn_Tensor:$input, Acnn_Tensor:$weight,
                   Optional<Acnn_Tensor>:$bias,
                   Optional<Acnn_Tensor>:$residual,
                   DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
                   DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$pads,
                   DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$dilations,
                   DefaultValuedAttr<Acnn_I64Attr, "1">:$groups,
                   Acnn_ActivationAttr:$activation);
  let results = (outs Acnn_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? (`residual` `(` $residual^ `)`)? attr-dict `:`
    functional-type(operands, results)
  }];
  let builders = [
    // The plain convolution (no epilogue), as frontends build it.
    OpBuilder<(ins "::mlir::Value":$input, "::mlir::Value":$weight, "::mlir::Value":$bias,
                   "::llvm::ArrayRef<int64_t>":$strides, "::llvm::ArrayRef<int64_t>":$pads,
                   "::llvm::ArrayRef<int64_t>":$dilations, "int64_t":$groups), [{
      build($_builder, $_state, input, weight, bias, ::mlir::Value(), strides, pads,
            dilations, groups);
    }]>,
    OpBuilder<(ins "::mlir::TypeRange":$resultTypes, "::mlir::Value":$input,
                   "::mlir::Value":$weight, "::mlir::Value":$bias,
                   "::llvm::ArrayRef<int64_t>":$strides, "::llvm::ArrayRef<int64_t>":$pads,
                   "::llvm::ArrayRef<int64_t>":$dilations, "int64_t":$groups), [{
      build($_builder, $_state, resultTypes, input, weight, bias, ::mlir::Value(), strides,
            pads, dilations, groups);
    }]>
  ];
}

def Acnn_BatchNormOp : Acnn_InferredOp<"batch_norm"> {
  let summary = "Inference batch norm over axis 1: (x - mean) / sqrt(var + eps) * scale + bias";
  let arguments = (ins Acnn_Tensor:$input, Acnn_Tensor:$scale, Acnn_Tensor:$bias,
                   Acnn_Tensor:$mean, Acnn_Tensor:$variance,
                   DefaultValuedAttr<F32Attr, "1e-5f">:$epsilon);
  let results = (outs Acnn_Tensor:$output);
}

class Acnn_Pool2dOp<string mnemonic, string what> : Acnn_InferredOp<mnemonic> {
  let summary = what # " pooling over H and W of an NCHW tensor";
  let results = (outs Acnn_Tensor:$output);
}

def Acnn_MaxPool2dOp : Acnn_Pool2dOp<"max_pool2d", "Max"> {
  let arguments = (ins Acnn_Tensor:$input,
                   DenseI64ArrayAttr:$kernel,
                   DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
                   DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$pads,
                   DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$dilations,
                   DefaultValuedAttr<BoolAttr, "false">:$ceil_mode);
}

def Acnn_AvgPool2dOp : Acnn_Pool2dOp<"avg_pool2d", "Average"> {
  let description = [{
    With `count_include_pad` the divisor is the full window; without it, only
    the window's elements inside the input count.
  }];
  let arguments = (ins Acnn_Tensor:$input,
                   DenseI64ArrayAttr:$kernel,
                   DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
                   DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$pads,
                   DefaultValuedAttr<BoolAttr, "false">:$ceil_mode,
                   DefaultValuedAttr<BoolAttr, "false">:$count_include_pad);
}

def Acnn_GlobalAvgPoolOp : Acnn_InferredOp<"global_avg_pool"> {
  let summary = "Mean over every axis after the first two: [N, C, ...] -> [N, C, 1, ...]";
  let arguments = (ins Acnn_Tensor:$input);
  let results = (outs Acnn_Tensor:$output);
}

def Acnn_GlobalMaxPoolOp : Acnn_InferredOp<"global_max_pool"> {
  let summary = "Max over every axis after the first two: [N, C, ...] -> [N, C, 1, ...]";
  let arguments = (ins Acnn_Tensor:$input);
  let results = (outs Acnn_Tensor:$output);
}

def Acnn_LayerNormOp : Acnn_InferredOp<"layer_norm"> {
  let summary = "Normalise over the axes from `axis` to the last, then scale (+ bias)";
  let arguments = (ins Acnn_Tensor:$input, Acnn_Tensor:$scale,
                   Optional<Acnn_Tensor>:$bias,
                   DefaultValuedAttr<Acnn_I64Attr, "-1">:$axis,
                   DefaultValuedAttr<F32Attr, "1e-5f">:$epsilon);
  let results = (outs Acnn_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $scale (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

def Acnn_GroupNormOp : Acnn_InferredOp<"group_norm"> {
  let summary = "Normalise each group of channels over it and the spatial axes, "
                "then scale (+ bias) per channel";
  let description = [{
    `input` is [N, C, spatial...]; its C channels form `groups` groups of
    consecutive channels. Each sample's group is normalised by its own mean
    and biased variance, then channel c is scaled by `scale[c]` and shifted
    by `bias[c]`. One group is a layer norm over C and the spatial axes, C
    groups an instance norm.
  }];
  let arguments = (ins Acnn_Tensor:$input, Acnn_Tensor:$scale,
                   Optional<Acnn_Tensor>:$bias, Acnn_I64Attr:$groups,
                   DefaultValuedAttr<F32Attr, "1e-5f">:$epsilon);
  let results = (outs Acnn_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $scale (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

//===----------------------------------------------------------------------===//
// Element-wise
//===----------------------------------------------------------------------===//

class Acnn_UnaryOp<string mnemonic, string what, list<Trait> traits = []>
    : Acnn_Op<mnemonic, !listconcat([Pure, SameOperandsAndResultType], traits)> {
  let summary = what;
  let arguments = (ins Acnn_Tensor:$input);
  let results = (outs Acnn_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def Acnn_ReluOp : Acnn_UnaryOp<"relu", "max(x, 0)">;
def Acnn_SigmoidOp : Acnn_UnaryOp<"sigmoid", "1 / (1 + exp(-x))">;
def Acnn_TanhOp : Acnn_UnaryOp<"tanh", "tanh(x)">;
def Acnn_SiluOp : Acnn_UnaryOp<"silu", "x * sigmoid(x)">;
def Acnn_HardSwishOp : Acnn_UnaryOp<"hard_swish", "x * relu6(x + 3) / 6">;
def Acnn_ErfOp : Acnn_UnaryOp<"erf", "The Gauss error function">;
def Acnn_SqrtOp : Acnn_UnaryOp<"sqrt", "Square root">;
def Acnn_ExpOp : Acnn_UnaryOp<"exp", "e^x">;
def Acnn_NegOp : Acnn_UnaryOp<"neg", "-x">;
def Acnn_ReciprocalOp : Acnn_UnaryOp<"reciprocal", "1 / x">;
def Acnn_AbsOp : Acnn_UnaryOp<"abs", "|x|">;
def Acnn_LogOp : Acnn_UnaryOp<"log", "Natural logarithm">;
def Acnn_SoftplusOp : Acnn_UnaryOp<"softplus", "log(1 + e^x), x itself above 20 (as PyTorch)">;

def Acnn_LeakyReluOp : Acnn_UnaryOp<"leaky_relu", "x < 0 ? alpha * x : x"> {
  let arguments = (ins Acnn_Tensor:$input, DefaultValuedAttr<F32Attr, "0.01f">:$alpha);
}

def Acnn_EluOp : Acnn_UnaryOp<"elu", "x < 0 ? alpha * (e^x - 1) : x"> {
  let arguments = (ins Acnn_Tensor:$input, DefaultValuedAttr<F32Attr, "1.0f">:$alpha);
}

def Acnn_GeluOp : Acnn_UnaryOp<"gelu", "x * Phi(x), exactly or with the tanh approximation"> {
  let arguments = (ins Acnn_Tensor:$input,
                   DefaultValuedAttr<BoolAttr, "false">:$approximate_tanh);
}

def Acnn_HardSigmoidOp : Acnn_UnaryOp<"hard_sigmoid", "max(0, min(1, alpha * x + beta))"> {
  let arguments = (ins Acnn_Tensor:$input,
                   DefaultValuedAttr<F32Attr, "0.2f">:$alpha,
                   DefaultValuedAttr<F32Attr, "0.5f">:$beta);
}

def Acnn_ClipOp : Acnn_UnaryOp<"clip", "min(max(x, min), max)"> {
  let arguments = (ins Acnn_Tensor:$input, F32Attr:$min, F32Attr:$max);
  let hasVerifier = 1;
}

class Acnn_BinaryOp<string mnemonic, string what>
    : Acnn_InferredOp<mnemonic> {
  let summary = what # " with NumPy broadcasting";
  let arguments = (ins Acnn_Tensor:$lhs, Acnn_Tensor:$rhs);
  let results = (outs Acnn_Tensor:$output);
}

// Adding or subtracting zeros and multiplying or dividing by ones, where
// that broadcasts nothing, is the other operand (exported GroupNorm's
// InstanceNormalization scales by ones and adds zeros).
let hasFolder = 1 in {
def Acnn_AddOp : Acnn_BinaryOp<"add", "lhs + rhs">;
def Acnn_SubOp : Acnn_BinaryOp<"sub", "lhs - rhs">;
def Acnn_MulOp : Acnn_BinaryOp<"mul", "lhs * rhs">;
def Acnn_DivOp : Acnn_BinaryOp<"div", "lhs / rhs">;
}
def Acnn_PowOp : Acnn_BinaryOp<"pow", "lhs ^ rhs">;
def Acnn_MaxOp : Acnn_BinaryOp<"max", "max(lhs, rhs)">;
def Acnn_MinOp : Acnn_BinaryOp<"min", "min(lhs, rhs)">;
def Acnn_PReluOp : Acnn_BinaryOp<"prelu", "lhs < 0 ? rhs * lhs : lhs (rhs the slope)">;

def Acnn_WhereOp : Acnn_InferredOp<"where"> {
  let summary = "condition != 0 ? on_true : on_false, with NumPy broadcasting of all three";
  let description = [{
    The condition is an f32 tensor like every acnn value; any non-zero
    element picks `on_true` (ONNX Where with its boolean condition as 0 / 1).
  }];
  let arguments = (ins Acnn_Tensor:$condition, Acnn_Tensor:$on_true, Acnn_Tensor:$on_false);
  let results = (outs Acnn_Tensor:$output);
}

//===----------------------------------------------------------------------===//
// Reductions and normalisation over an axis
//===----------------------------------------------------------------------===//

class Acnn_ReduceOp<string mnemonic, string what> : Acnn_InferredOp<mnemonic> {
  let summary = what # " over `axes` (kept as size 1 with `keepdims`)";
  let arguments = (ins Acnn_Tensor:$input, DenseI64ArrayAttr:$axes,
                   DefaultValuedAttr<BoolAttr, "true">:$keepdims);
  let results = (outs Acnn_Tensor:$output);
}

def Acnn_ReduceMeanOp : Acnn_ReduceOp<"reduce_mean", "Mean">;
def Acnn_ReduceMaxOp : Acnn_ReduceOp<"reduce_max", "Maximum">;
def Acnn_ReduceSumOp : Acnn_ReduceOp<"reduce_sum", "Sum">;

def Acnn_ArgMaxOp : Acnn_Op<"argmax", [Pure]> {
  let summary = "Index of the maximum along `axis` (kept as size 1 with `keepdims`)";
  let description = [{
    Ties take the first index, or the last with `select_last_index`; a NaN
    counts as the maximum, as in PyTorch. The only acnn value that is not
    f32: the indices are i64 (ONNX ArgMax), or f32 where the model casts
    them to floats (exact, as the verifier bounds the axis to 2^24).
  }];
  let arguments = (ins Acnn_Tensor:$input, Acnn_I64Attr:$axis,
                   DefaultValuedAttr<BoolAttr, "true">:$keepdims,
                   DefaultValuedAttr<BoolAttr, "false">:$select_last_index);
  let results = (outs StaticShapeTensorOf<[I64, F32]>:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Acnn_SoftmaxOp : Acnn_Op<"softmax", [Pure, SameOperandsAndResultType]> {
  let summary = "exp(x) / sum(exp(x)) along `axis`";
  let arguments = (ins Acnn_Tensor:$input, DefaultValuedAttr<Acnn_I64Attr, "-1">:$axis);
  let results = (outs Acnn_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Linear algebra
//===----------------------------------------------------------------------===//

def Acnn_MatmulOp : Acnn_InferredOp<"matmul"> {
  let summary = "Batched matrix product [..., M, K] x [..., K, N], batch dims broadcast";
  let description = [{
    Epilogue (`acnn-fuse-epilogues`): the result is
    `activation(lhs * rhs + residual)`, the optional `residual` broadcasting
    to the result's shape.
  }];
  let arguments = (ins Acnn_Tensor:$lhs, Acnn_Tensor:$rhs,
                   Optional<Acnn_Tensor>:$residual,
                   Acnn_ActivationAttr:$activation);
  let results = (outs Acnn_Tensor:$output);
  let assemblyFormat = [{
    $lhs `,` $rhs (`residual` `(` $residual^ `)`)? attr-dict `:`
    functional-type(operands, results)
  }];
  let builders = [
    OpBuilder<(ins "::mlir::Value":$lhs, "::mlir::Value":$rhs), [{
      build($_builder, $_state, lhs, rhs, ::mlir::Value());
    }]>,
    OpBuilder<(ins "::mlir::TypeRange":$resultTypes, "::mlir::Value":$lhs,
                   "::mlir::Value":$rhs), [{
      build($_builder, $_state, resultTypes, lhs, rhs, ::mlir::Value());
    }]>
  ];
}

def Acnn_LinearOp : Acnn_InferredOp<"linear", [AttrSizedOperandSegments]> {
  let summary = "Fully connected layer on the last axis: x [..., K] * weight[N, K]^T + bias[N]";
  let description = [{
    Epilogue (`acnn-fuse-epilogues`): the result is
    `activation(x * weight^T + bias + residual)`, the optional `residual`
    broadcasting to the result's shape.
  }];
  let arguments = (ins Acnn_Tensor:$input, Acnn_Tensor:$weight,
                   Optional<Acnn_Tensor>:$bias,
                   Optional<Acnn_Tensor>:$residual,
                   Acnn_ActivationAttr:$activation);
  let results = (outs Acnn_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? (`residual` `(` $residual^ `)`)? attr-dict `:`
    functional-type(operands, results)
  }];
  let builders = [
    OpBuilder<(ins "::mlir::Value":$input, "::mlir::Value":$weight, "::mlir::Value":$bias), [{
      build($_builder, $_state, input, weight, bias, ::mlir::Value());
    }]>,
    OpBuilder<(ins "::mlir::TypeRange":$resultTypes, "::mlir::Value":$input,
                   "::mlir::Value":$weight, "::mlir::Value":$bias), [{
      build($_builder, $_state, resultTypes, input, weight, bias, ::mlir::Value());
    }]>
  ];
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

def Acnn_ConcatOp : Acnn_InferredOp<"concat"> {
  let summary = "Concatenate along `axis`";
  let arguments = (ins Variadic<Acnn_Tensor>:$inputs, Acnn_I64Attr:$axis);
  let results = (outs Acnn_Tensor:$output);
}

def Acnn_SplitOp : Acnn_InferredOp<"split"> {
  let summary = "Split along `axis` into pieces of `sizes`";
  let arguments = (ins Acnn_Tensor:$input, Acnn_I64Attr:$axis, DenseI64ArrayAttr:$sizes);
  let results = (outs Variadic<Acnn_Tensor>:$outputs);
}

def Acnn_SliceOp : Acnn_InferredOp<"slice"> {
  let summary = "Strided slice: per axis, elements start, start + step, ... before end";
  let description = [{
    `starts`, `ends` and `steps` have one entry per input axis and are already
    clamped (no negative indices). A negative step walks backwards, with `end`
    exclusive; -1 as end means "past the first element".
  }];
  let arguments = (ins Acnn_Tensor:$input, DenseI64ArrayAttr:$starts,
                   DenseI64ArrayAttr:$ends, DenseI64ArrayAttr:$steps);
  let results = (outs Acnn_Tensor:$output);
}

def Acnn_GatherOp : Acnn_InferredOp<"gather"> {
  let summary = "Take `indices` (constant) along `axis`, as ONNX Gather";
  let arguments = (ins Acnn_Tensor:$input, I64ElementsAttr:$indices, Acnn_I64Attr:$axis);
  let results = (outs Acnn_Tensor:$output);
}

def Acnn_GridSampleOp : Acnn_InferredOp<"grid_sample"> {
  let summary = "Sample `input` at the points of `grid` (ONNX GridSample, 4-D)";
  let description = [{
    `input` [N, C, H, W] is read at `grid` [N, Ho, Wo, 2]'s points (x, y),
    from -1 to 1 across the width and height: at the outer pixels' centres
    with `align_corners`, else at their outer edges. The result is
    [N, C, Ho, Wo]. `mode` "bilinear" weighs the 4 pixels around a point,
    "nearest" takes the closest (halves to even); with `padding_mode`
    "zeros" pixels outside the input read 0, with "border" a point outside
    is clamped to the edge first.
  }];
  let arguments = (ins Acnn_Tensor:$input, Acnn_Tensor:$grid, StrAttr:$mode,
                   StrAttr:$padding_mode, BoolAttr:$align_corners);
  let results = (outs Acnn_Tensor:$output);
}

def Acnn_ExpandOp : Acnn_InferredOp<"expand"> {
  let summary = "Broadcast to `shape` with NumPy rules (ONNX Expand)";
  let description = [{
    The input's axes, aligned with the last ones of `shape`, are 1 or equal
    to them; `shape` is the result's shape.
  }];
  let arguments = (ins Acnn_Tensor:$input, DenseI64ArrayAttr:$shape);
  let results = (outs Acnn_Tensor:$output);
}

def Acnn_PadOp : Acnn_InferredOp<"pad"> {
  let summary = "Pad with the constant `value`";
  let description = [{
    `pads` holds, in ONNX's order, the count added before each axis and then
    the count added after each axis (2 * rank values, all non-negative).
  }];
  let arguments = (ins Acnn_Tensor:$input, DenseI64ArrayAttr:$pads,
                   DefaultValuedAttr<F32Attr, "0.0f">:$value);
  let results = (outs Acnn_Tensor:$output);
}

def Acnn_ReshapeOp : Acnn_Op<"reshape", [Pure]> {
  let summary = "Reinterpret with the result's shape (row-major element order kept)";
  let arguments = (ins Acnn_Tensor:$input);
  let results = (outs Acnn_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
  // To its input's shape is no reshape; a reshape of a reshape is one reshape.
  let hasFolder = 1;
}

def Acnn_FlattenOp : Acnn_InferredOp<"flatten"> {
  let summary = "Collapse to 2-D: [prod(dims before axis), prod(dims from axis)]";
  let arguments = (ins Acnn_Tensor:$input, DefaultValuedAttr<Acnn_I64Attr, "1">:$axis);
  let results = (outs Acnn_Tensor:$output);
}

def Acnn_TransposeOp : Acnn_InferredOp<"transpose"> {
  let summary = "Permute axes: result axis i is input axis perm[i]";
  let arguments = (ins Acnn_Tensor:$input, DenseI64ArrayAttr:$perm);
  let results = (outs Acnn_Tensor:$output);
  // The identity is its input; a transpose of a transpose is one transpose.
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Fused attention blocks (made by the recognition passes in compiler/passes/)
//===----------------------------------------------------------------------===//

def Acnn_SqueezeExciteOp : Acnn_InferredOp<"squeeze_excite"> {
  let summary = "Squeeze-and-excitation: x * gate(fc2(activation(fc1(mean over H, W of x))))";
  let description = [{
    `input` is [N, C, ...]; `fc1_weight` [R, C], `fc1_bias` [R], `fc2_weight`
    [C, R], `fc2_bias` [C] (linear layout, [out, in]). The per-(N, C) gate
    multiplies every spatial element. `gate` is "sigmoid" or "hard_sigmoid"
    (PyTorch's: clamp(x / 6 + 1 / 2, 0, 1)). Made by `acnn-fuse-squeeze-excite`.
  }];
  let arguments = (ins Acnn_Tensor:$input, Acnn_Tensor:$fc1_weight, Acnn_Tensor:$fc1_bias,
                   Acnn_Tensor:$fc2_weight, Acnn_Tensor:$fc2_bias,
                   DefaultValuedStrAttr<StrAttr, "relu">:$activation,
                   DefaultValuedStrAttr<StrAttr, "sigmoid">:$gate);
  let results = (outs Acnn_Tensor:$output);
}

def Acnn_ChannelAttentionOp : Acnn_InferredOp<"channel_attention"> {
  let summary = "CBAM channel attention: x * sigmoid(mlp(avg_pool(x)) + mlp(max_pool(x)))";
  let description = [{
    `input` is [N, C, ...]; the shared MLP is `fc2(activation(fc1(p)))` with
    `fc1_weight` [R, C], `fc1_bias` [R], `fc2_weight` [C, R], `fc2_bias` [C]
    (so `fc2_bias` counts twice, as in the unfused graph). Pools are global
    over the axes after C. Made by `acnn-fuse-cbam`.
  }];
  let arguments = (ins Acnn_Tensor:$input, Acnn_Tensor:$fc1_weight, Acnn_Tensor:$fc1_bias,
                   Acnn_Tensor:$fc2_weight, Acnn_Tensor:$fc2_bias,
                   DefaultValuedStrAttr<StrAttr, "relu">:$activation);
  let results = (outs Acnn_Tensor:$output);
}

def Acnn_SpatialAttentionOp : Acnn_InferredOp<"spatial_attention"> {
  let summary = "CBAM spatial attention: x * sigmoid(conv([mean over C, max over C]))";
  let description = [{
    `input` is NCHW; `weight` is [1, 2, KH, KW] (channel 0 reads the mean,
    channel 1 the max), `bias` [1]; the conv has stride 1 and `pads`
    [top, left, bottom, right] that keep H and W. Made by `acnn-fuse-cbam`.
  }];
  let arguments = (ins Acnn_Tensor:$input, Acnn_Tensor:$weight, Acnn_Tensor:$bias,
                   DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$pads);
  let results = (outs Acnn_Tensor:$output);
}

def Acnn_AttentionOp : Acnn_InferredOp<"attention"> {
  let summary = "Scaled dot-product attention: softmax(q k^T * scale + bias) v";
  let description = [{
    `query` [..., M, D], `key` [..., N, D], `value` [..., N, E] with the same
    batch axes; the optional `bias` (additive mask or position term)
    broadcasts to [..., M, N]. The result is [..., M, E]. Heads are batch
    axes: the reshapes and transposes that split them stay outside. Made by
    `acnn-fuse-attention`; lowered without materialising the M x N scores.
  }];
  let arguments = (ins Acnn_Tensor:$query, Acnn_Tensor:$key, Acnn_Tensor:$value,
                   Optional<Acnn_Tensor>:$bias,
                   DefaultValuedAttr<F32Attr, "1.0f">:$scale);
  let results = (outs Acnn_Tensor:$output);
  let assemblyFormat = [{
    $query `,` $key `,` $value (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

#endif // ACNN_OPS_TD
