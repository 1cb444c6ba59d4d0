// RUN: acnn-opt %s -split-input-file -pass-pipeline="builtin.module(func.func(acnn-propagate-layouts),canonicalize,cse)" | FileCheck %s

// Two NHWC convs as acnn-kernel-layouts leaves them, each between
// transposes, with a relu, a zero pad and a residual add between them. After
// propagation only the model input's transpose is left: the relu reads the
// first conv's NHWC result and writes NHWC (its loops reordered, so every map
// is the identity), the pad moves below it, and the add reads both NHWC
// tensors through permuted maps while it writes the NCHW result.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[NHWC:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3, d1)>
// CHECK-LABEL: func @conv_chain
// CHECK: %[[X:.*]] = linalg.transpose ins(%arg0 : tensor<1x8x6x6xf32>) {{.*}} permutation = [0, 2, 3, 1]
// CHECK: %[[C1:.*]] = linalg.conv_2d_nhwc_hwcf {{.*}} ins(%[[X]], %arg1 : tensor<1x6x6x8xf32>, tensor<1x1x8x8xf32>)
// CHECK: %[[RELU:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ID]]], {{.*}} ins(%[[C1]] : tensor<1x6x6x8xf32>) outs(%{{.*}} : tensor<1x6x6x8xf32>)
// CHECK: arith.maximumf
// CHECK: %[[PAD:.*]] = tensor.pad %[[RELU]] low[0, 1, 1, 0] high[0, 1, 1, 0]
// CHECK: %[[C2:.*]] = linalg.conv_2d_nhwc_hwcf {{.*}} ins(%[[PAD]], %arg2 : tensor<1x8x8x8xf32>, tensor<3x3x8x8xf32>)
// CHECK: %[[ADD:.*]] = linalg.generic {indexing_maps = [#[[NHWC]], #[[NHWC]], #[[ID]]], {{.*}} ins(%[[C2]], %[[RELU]] : tensor<1x6x6x8xf32>, tensor<1x6x6x8xf32>) outs(%{{.*}} : tensor<1x8x6x6xf32>)
// CHECK-NOT: linalg.transpose
// CHECK: return %[[ADD]]
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @conv_chain(%x: tensor<1x8x6x6xf32>, %w1: tensor<1x1x8x8xf32>, %w2: tensor<3x3x8x8xf32>) -> tensor<1x8x6x6xf32> {
  %zero = arith.constant 0.0 : f32
  %e_nhwc = tensor.empty() : tensor<1x6x6x8xf32>
  %e_nchw = tensor.empty() : tensor<1x8x6x6xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%e_nhwc : tensor<1x6x6x8xf32>) -> tensor<1x6x6x8xf32>
  %xt = linalg.transpose ins(%x : tensor<1x8x6x6xf32>) outs(%e_nhwc : tensor<1x6x6x8xf32>) permutation = [0, 2, 3, 1]
  %c1 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%xt, %w1 : tensor<1x6x6x8xf32>, tensor<1x1x8x8xf32>) outs(%acc : tensor<1x6x6x8xf32>) -> tensor<1x6x6x8xf32>
  %c1t = linalg.transpose ins(%c1 : tensor<1x6x6x8xf32>) outs(%e_nchw : tensor<1x8x6x6xf32>) permutation = [0, 3, 1, 2]
  %relu = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
    ins(%c1t : tensor<1x8x6x6xf32>) outs(%e_nchw : tensor<1x8x6x6xf32>) {
  ^bb0(%a: f32, %out: f32):
    %r = arith.maximumf %a, %zero : f32
    linalg.yield %r : f32
  } -> tensor<1x8x6x6xf32>
  %padded = tensor.pad %relu low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x8x6x6xf32> to tensor<1x8x8x8xf32>
  %e_pad = tensor.empty() : tensor<1x8x8x8xf32>
  %pt = linalg.transpose ins(%padded : tensor<1x8x8x8xf32>) outs(%e_pad : tensor<1x8x8x8xf32>) permutation = [0, 2, 3, 1]
  %c2 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%pt, %w2 : tensor<1x8x8x8xf32>, tensor<3x3x8x8xf32>) outs(%acc : tensor<1x6x6x8xf32>) -> tensor<1x6x6x8xf32>
  %c2t = linalg.transpose ins(%c2 : tensor<1x6x6x8xf32>) outs(%e_nchw : tensor<1x8x6x6xf32>) permutation = [0, 3, 1, 2]
  %add = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
    ins(%c2t, %relu : tensor<1x8x6x6xf32>, tensor<1x8x6x6xf32>) outs(%e_nchw : tensor<1x8x6x6xf32>) {
  ^bb0(%a: f32, %b: f32, %out: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<1x8x6x6xf32>
  return %add : tensor<1x8x6x6xf32>
}

// -----

// A transposed result that only generics read is not materialised: each
// reads the untransposed tensor through a permuted map. A reduction reading
// it keeps its iterators.
// CHECK-DAG: #[[T:.*]] = affine_map<(d0, d1) -> (d1, d0)>
// CHECK-LABEL: func @read_through
// CHECK-NOT: linalg.transpose
// CHECK: linalg.generic {indexing_maps = [#[[T]], #{{.*}}], iterator_types = ["parallel", "reduction"]} ins(%arg0 : tensor<3x4xf32>)
#m2 = affine_map<(d0, d1) -> (d0, d1)>
#r2 = affine_map<(d0, d1) -> (d0)>
func.func @read_through(%x: tensor<3x4xf32>) -> tensor<4xf32> {
  %e = tensor.empty() : tensor<4x3xf32>
  %t = linalg.transpose ins(%x : tensor<3x4xf32>) outs(%e : tensor<4x3xf32>) permutation = [1, 0]
  %zero = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<4xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e1 : tensor<4xf32>) -> tensor<4xf32>
  %sum = linalg.generic {indexing_maps = [#m2, #r2], iterator_types = ["parallel", "reduction"]}
    ins(%t : tensor<4x3xf32>) outs(%init : tensor<4xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %s = arith.addf %a, %acc : f32
    linalg.yield %s : f32
  } -> tensor<4xf32>
  return %sum : tensor<4xf32>
}

// -----

// A producer whose other reader is not a generic keeps its layout: the
// transposed copy stays.
// CHECK-LABEL: func @other_reader_needs_layout
// CHECK: %[[G:.*]] = linalg.generic
// CHECK: linalg.transpose ins(%[[G]]
// CHECK: linalg.matmul ins(%[[G]]
#e2 = affine_map<(d0, d1) -> (d0, d1)>
func.func @other_reader_needs_layout(%x: tensor<4x4xf32>) -> (tensor<4x4xf32>, tensor<4x4xf32>) {
  %e = tensor.empty() : tensor<4x4xf32>
  %g = linalg.generic {indexing_maps = [#e2, #e2], iterator_types = ["parallel", "parallel"]}
    ins(%x : tensor<4x4xf32>) outs(%e : tensor<4x4xf32>) {
  ^bb0(%a: f32, %out: f32):
    %n = arith.negf %a : f32
    linalg.yield %n : f32
  } -> tensor<4x4xf32>
  %t = linalg.transpose ins(%g : tensor<4x4xf32>) outs(%e : tensor<4x4xf32>) permutation = [1, 0]
  %m = linalg.matmul ins(%g, %x : tensor<4x4xf32>, tensor<4x4xf32>) outs(%e : tensor<4x4xf32>) -> tensor<4x4xf32>
  return %t, %m : tensor<4x4xf32>, tensor<4x4xf32>
}

// -----

// An element-wise op reading an NHWC result (a depthwise conv's, transposed
// back to NCHW) whose readers are all generics writes NHWC too: the
// activation reads and writes NHWC, and the squeeze-excite pooling and
// scaling after it read it in that layout. Only the return needs NCHW, so
// the scaling writes it.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[NHWC:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3, d1)>
// CHECK-LABEL: func @layout_flows_on
// CHECK-NOT: linalg.transpose
// CHECK: %[[ACT:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ID]]], {{.*}} ins(%arg0 : tensor<1x4x4x8xf32>) outs(%{{.*}} : tensor<1x4x4x8xf32>)
// CHECK: arith.maximumf
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[NHWC]], #{{.*}}], iterator_types = ["parallel", "parallel", "reduction", "reduction"]} ins(%[[ACT]] : tensor<1x4x4x8xf32>)
// CHECK: %[[Y:.*]] = linalg.generic {indexing_maps = [#[[NHWC]], #{{.*}}, #[[ID]]], {{.*}} ins(%[[ACT]], %[[SUM]] : tensor<1x4x4x8xf32>, tensor<1x8xf32>) outs(%{{.*}} : tensor<1x8x4x4xf32>)
// CHECK-NOT: linalg.transpose
// CHECK: return %[[Y]]
#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#nc = affine_map<(d0, d1, d2, d3) -> (d0, d1)>
func.func @layout_flows_on(%x: tensor<1x4x4x8xf32>) -> tensor<1x8x4x4xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x8x4x4xf32>
  %t = linalg.transpose ins(%x : tensor<1x4x4x8xf32>) outs(%e : tensor<1x8x4x4xf32>) permutation = [0, 3, 1, 2]
  %act = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
    ins(%t : tensor<1x8x4x4xf32>) outs(%e : tensor<1x8x4x4xf32>) {
  ^bb0(%a: f32, %out: f32):
    %r = arith.maximumf %a, %zero : f32
    linalg.yield %r : f32
  } -> tensor<1x8x4x4xf32>
  %e1 = tensor.empty() : tensor<1x8xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e1 : tensor<1x8xf32>) -> tensor<1x8xf32>
  %sum = linalg.generic {indexing_maps = [#id4, #nc], iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
    ins(%act : tensor<1x8x4x4xf32>) outs(%init : tensor<1x8xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %s = arith.addf %a, %acc : f32
    linalg.yield %s : f32
  } -> tensor<1x8xf32>
  %y = linalg.generic {indexing_maps = [#id4, #nc, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
    ins(%act, %sum : tensor<1x8x4x4xf32>, tensor<1x8xf32>) outs(%e : tensor<1x8x4x4xf32>) {
  ^bb0(%a: f32, %s: f32, %out: f32):
    %m = arith.mulf %a, %s : f32
    linalg.yield %m : f32
  } -> tensor<1x8x4x4xf32>
  return %y : tensor<1x8x4x4xf32>
}

// -----

// A fire module: two NHWC branch convs with their relus, concatenated along
// the NCHW channels, the concat transposed to NHWC for the next conv and
// for a pool. The transposes move above the concat, where they cancel
// against the branches': each relu writes NHWC, the concat joins NHWC
// channels (axis 3), and no transpose is left.
// CHECK-LABEL: func.func @fire
// CHECK-NOT: linalg.transpose
// CHECK: %[[R1:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<1x4x4x8xf32>)
// CHECK: %[[R2:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<1x4x4x8xf32>)
// CHECK: %[[CAT:.*]] = tensor.concat dim(3) %[[R1]], %[[R2]] : (tensor<1x4x4x8xf32>, tensor<1x4x4x8xf32>) -> tensor<1x4x4x16xf32>
// CHECK: linalg.conv_2d_nhwc_hwcf {{.*}} ins(%[[CAT]], %arg2
// CHECK: linalg.pooling_nhwc_max {{.*}} ins(%[[CAT]],
// CHECK-NOT: linalg.transpose
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#nhwc = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3, d1)>
func.func @fire(%x: tensor<1x4x4x8xf32>, %w: tensor<1x1x8x8xf32>, %w2: tensor<1x1x16x8xf32>, %win: tensor<3x3xf32>,
                %v: tensor<1x1x8x8xf32>)
    -> (tensor<1x4x4x8xf32>, tensor<1x2x2x16xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x4x4x8xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32>
  %c1 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : tensor<1x4x4x8xf32>, tensor<1x1x8x8xf32>) outs(%f : tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32>
  %c2 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %v : tensor<1x4x4x8xf32>, tensor<1x1x8x8xf32>) outs(%f : tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32>
  %nchw = tensor.empty() : tensor<1x8x4x4xf32>
  %t1 = linalg.transpose ins(%c1 : tensor<1x4x4x8xf32>) outs(%nchw : tensor<1x8x4x4xf32>) permutation = [0, 3, 1, 2]
  %t2 = linalg.transpose ins(%c2 : tensor<1x4x4x8xf32>) outs(%nchw : tensor<1x8x4x4xf32>) permutation = [0, 3, 1, 2]
  %r1 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
    ins(%t1 : tensor<1x8x4x4xf32>) outs(%nchw : tensor<1x8x4x4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.maximumf %a, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x8x4x4xf32>
  %r2 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
    ins(%t2 : tensor<1x8x4x4xf32>) outs(%nchw : tensor<1x8x4x4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.maximumf %a, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x8x4x4xf32>
  %cat = tensor.concat dim(1) %r1, %r2 : (tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>) -> tensor<1x16x4x4xf32>
  %e16 = tensor.empty() : tensor<1x4x4x16xf32>
  %tc = linalg.transpose ins(%cat : tensor<1x16x4x4xf32>) outs(%e16 : tensor<1x4x4x16xf32>) permutation = [0, 2, 3, 1]
  %c3 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%tc, %w2 : tensor<1x4x4x16xf32>, tensor<1x1x16x8xf32>) outs(%f : tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32>
  %tp = linalg.transpose ins(%cat : tensor<1x16x4x4xf32>) outs(%e16 : tensor<1x4x4x16xf32>) permutation = [0, 2, 3, 1]
  %ep = tensor.empty() : tensor<1x2x2x16xf32>
  %p = linalg.pooling_nhwc_max {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%tp, %win : tensor<1x4x4x16xf32>, tensor<3x3xf32>) outs(%ep : tensor<1x2x2x16xf32>) -> tensor<1x2x2x16xf32>
  return %c3, %p : tensor<1x4x4x8xf32>, tensor<1x2x2x16xf32>
}

// -----

// A DenseNet layer: the NCHW concat of the block input and an earlier NHWC
// conv's output (transposed back), read by the batch norm + relu generic
// through the permuted map of its NHWC loops. The concat is made NHWC: the
// conv's transpose cancels, the block input is transposed once, and the
// generic reads the concat in its loops' order.
// CHECK-LABEL: func.func @dense_layer
// CHECK: %[[C1:.*]] = linalg.conv_2d_nhwc_hwcf
// CHECK: %[[X0:.*]] = linalg.transpose ins(%arg0 : tensor<1x8x4x4xf32>) outs(%{{.*}} : tensor<1x4x4x8xf32>) permutation = [0, 2, 3, 1]
// CHECK: %[[CAT:.*]] = tensor.concat dim(3) %[[X0]], %[[C1]] : (tensor<1x4x4x8xf32>, tensor<1x4x4x8xf32>) -> tensor<1x4x4x16xf32>
// CHECK: linalg.generic {indexing_maps = [#[[ID:.*]], #[[ID]]]{{.*}} ins(%[[CAT]] : tensor<1x4x4x16xf32>)
// CHECK-NOT: linalg.transpose
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#nchw_read = affine_map<(d0, d1, d2, d3) -> (d0, d3, d1, d2)>
func.func @dense_layer(%x0: tensor<1x8x4x4xf32>, %x: tensor<1x4x4x8xf32>, %w: tensor<1x1x8x8xf32>)
    -> tensor<1x4x4x16xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x4x4x8xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32>
  %c1 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : tensor<1x4x4x8xf32>, tensor<1x1x8x8xf32>) outs(%f : tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32>
  %nchw = tensor.empty() : tensor<1x8x4x4xf32>
  %t1 = linalg.transpose ins(%c1 : tensor<1x4x4x8xf32>) outs(%nchw : tensor<1x8x4x4xf32>) permutation = [0, 3, 1, 2]
  %cat = tensor.concat dim(1) %x0, %t1 : (tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>) -> tensor<1x16x4x4xf32>
  %e16 = tensor.empty() : tensor<1x4x4x16xf32>
  %r = linalg.generic {indexing_maps = [#nchw_read, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
    ins(%cat : tensor<1x16x4x4xf32>) outs(%e16 : tensor<1x4x4x16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.maximumf %a, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x4x4x16xf32>
  return %r : tensor<1x4x4x16xf32>
}

// -----

// With no input that cancels, the strided read would only move into new
// transposes: the concat stays.
// CHECK-LABEL: func.func @concat_nothing_cancels
// CHECK: tensor.concat dim(1)
// CHECK-NOT: linalg.transpose
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#nchw_read = affine_map<(d0, d1, d2, d3) -> (d0, d3, d1, d2)>
func.func @concat_nothing_cancels(%a: tensor<1x8x4x4xf32>, %b: tensor<1x8x4x4xf32>)
    -> tensor<1x4x4x16xf32> {
  %zero = arith.constant 0.0 : f32
  %cat = tensor.concat dim(1) %a, %b : (tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>) -> tensor<1x16x4x4xf32>
  %e16 = tensor.empty() : tensor<1x4x4x16xf32>
  %r = linalg.generic {indexing_maps = [#nchw_read, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
    ins(%cat : tensor<1x16x4x4xf32>) outs(%e16 : tensor<1x4x4x16xf32>) {
  ^bb0(%x: f32, %o: f32):
    %m = arith.maximumf %x, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x4x4x16xf32>
  return %r : tensor<1x4x4x16xf32>
}

// -----

// A channel shuffle between NHWC convs (ShuffleNet): the NCHW concat of two
// branches, reshaped to [groups, channels], the two swapped, reshaped back
// and split in halves, each half transposed to NHWC for a conv. The halves'
// transposes move above the slices, the collapse and the shuffle; the
// concat is made NHWC (the branches' transposes cancel), and what is left
// is the shuffle itself on the channels of each pixel: [2, 4] -> [4, 2].
// CHECK-LABEL: func.func @channel_shuffle
// CHECK-NOT: linalg.transpose
// CHECK: %[[CAT:.*]] = tensor.concat dim(3) %{{.*}}, %{{.*}} : (tensor<1x2x2x4xf32>, tensor<1x2x2x4xf32>) -> tensor<1x2x2x8xf32>
// CHECK: %[[EXP:.*]] = tensor.expand_shape %[[CAT]] {{\[}}[0], [1], [2], [3, 4]] output_shape [1, 2, 2, 2, 4]
// CHECK: %[[SHUF:.*]] = linalg.transpose ins(%[[EXP]] : tensor<1x2x2x2x4xf32>) outs(%{{.*}} : tensor<1x2x2x4x2xf32>) permutation = [0, 1, 2, 4, 3]
// CHECK: %[[COL:.*]] = tensor.collapse_shape %[[SHUF]] {{\[}}[0], [1], [2], [3, 4]]
// CHECK-DAG: %[[LO:.*]] = tensor.extract_slice %[[COL]][0, 0, 0, 0] [1, 2, 2, 4] [1, 1, 1, 1]
// CHECK-DAG: %[[HI:.*]] = tensor.extract_slice %[[COL]][0, 0, 0, 4] [1, 2, 2, 4] [1, 1, 1, 1]
// CHECK-DAG: linalg.conv_2d_nhwc_hwcf {{.*}} ins(%[[LO]],
// CHECK-DAG: linalg.conv_2d_nhwc_hwcf {{.*}} ins(%[[HI]],
// CHECK-NOT: linalg.transpose
func.func @channel_shuffle(%x: tensor<1x2x2x4xf32>, %w: tensor<1x1x4x4xf32>)
    -> (tensor<1x2x2x4xf32>, tensor<1x2x2x4xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x2x2x4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2x2x4xf32>) -> tensor<1x2x2x4xf32>
  %c1 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : tensor<1x2x2x4xf32>, tensor<1x1x4x4xf32>) outs(%f : tensor<1x2x2x4xf32>) -> tensor<1x2x2x4xf32>
  %c2 = linalg.conv_2d_nhwc_hwcf {dilations = dense<2> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : tensor<1x2x2x4xf32>, tensor<1x1x4x4xf32>) outs(%f : tensor<1x2x2x4xf32>) -> tensor<1x2x2x4xf32>
  %nchw = tensor.empty() : tensor<1x4x2x2xf32>
  %t1 = linalg.transpose ins(%c1 : tensor<1x2x2x4xf32>) outs(%nchw : tensor<1x4x2x2xf32>) permutation = [0, 3, 1, 2]
  %t2 = linalg.transpose ins(%c2 : tensor<1x2x2x4xf32>) outs(%nchw : tensor<1x4x2x2xf32>) permutation = [0, 3, 1, 2]
  %cat = tensor.concat dim(1) %t1, %t2 : (tensor<1x4x2x2xf32>, tensor<1x4x2x2xf32>) -> tensor<1x8x2x2xf32>
  %g = tensor.expand_shape %cat [[0], [1, 2], [3], [4]] output_shape [1, 2, 4, 2, 2] : tensor<1x8x2x2xf32> into tensor<1x2x4x2x2xf32>
  %es = tensor.empty() : tensor<1x4x2x2x2xf32>
  %s = linalg.transpose ins(%g : tensor<1x2x4x2x2xf32>) outs(%es : tensor<1x4x2x2x2xf32>) permutation = [0, 2, 1, 3, 4]
  %col = tensor.collapse_shape %s [[0], [1, 2], [3], [4]] : tensor<1x4x2x2x2xf32> into tensor<1x8x2x2xf32>
  %lo = tensor.extract_slice %col[0, 0, 0, 0] [1, 4, 2, 2] [1, 1, 1, 1] : tensor<1x8x2x2xf32> to tensor<1x4x2x2xf32>
  %hi = tensor.extract_slice %col[0, 4, 0, 0] [1, 4, 2, 2] [1, 1, 1, 1] : tensor<1x8x2x2xf32> to tensor<1x4x2x2xf32>
  %nhwc = tensor.empty() : tensor<1x2x2x4xf32>
  %tlo = linalg.transpose ins(%lo : tensor<1x4x2x2xf32>) outs(%nhwc : tensor<1x2x2x4xf32>) permutation = [0, 2, 3, 1]
  %thi = linalg.transpose ins(%hi : tensor<1x4x2x2xf32>) outs(%nhwc : tensor<1x2x2x4xf32>) permutation = [0, 2, 3, 1]
  %d1 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%tlo, %w : tensor<1x2x2x4xf32>, tensor<1x1x4x4xf32>) outs(%f : tensor<1x2x2x4xf32>) -> tensor<1x2x2x4xf32>
  %d2 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%thi, %w : tensor<1x2x2x4xf32>, tensor<1x1x4x4xf32>) outs(%f : tensor<1x2x2x4xf32>) -> tensor<1x2x2x4xf32>
  return %d1, %d2 : tensor<1x2x2x4xf32>, tensor<1x2x2x4xf32>
}

// -----

// A residual relu (NHWC inputs, written NCHW) read by a 1x1 conv (through a
// transpose), by a conv piece on a corner of it (a slice, then a transpose)
// and by a channel pool (a generic): the transposes move above the slice,
// the relu writes NHWC, the slice takes the NHWC corner and the pool reads
// the relu through a permuted map (DeepLabV3's last block before its ASPP).
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[POOL:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3, d1)>
// CHECK-LABEL: func @slices_and_pool
// CHECK: %[[RELU:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ID]], #[[ID]]], {{.*}} outs(%{{.*}} : tensor<1x4x4x8xf32>)
// CHECK-NOT: linalg.transpose
// CHECK: linalg.conv_2d_nhwc_hwcf {{.*}} ins(%[[RELU]], %arg2 : tensor<1x4x4x8xf32>, tensor<1x1x8x8xf32>)
// CHECK: %[[CORNER:.*]] = tensor.extract_slice %[[RELU]][0, 0, 0, 0] [1, 2, 2, 8] [1, 1, 1, 1]
// CHECK: linalg.conv_2d_nhwc_hwcf {{.*}} ins(%[[CORNER]], %arg2 : tensor<1x2x2x8xf32>, tensor<1x1x8x8xf32>)
// CHECK: linalg.generic {indexing_maps = [#[[POOL]], #{{.*}}], {{.*}} ins(%[[RELU]] : tensor<1x4x4x8xf32>)
// CHECK-NOT: linalg.transpose
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#nhwc = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3, d1)>
#pool = affine_map<(d0, d1, d2, d3) -> (d0, d1)>
func.func @slices_and_pool(%a: tensor<1x4x4x8xf32>, %b: tensor<1x4x4x8xf32>, %w: tensor<1x1x8x8xf32>) -> (tensor<1x4x4x8xf32>, tensor<1x2x2x8xf32>, tensor<1x8xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x8x4x4xf32>
  %relu = linalg.generic {indexing_maps = [#nhwc, #nhwc, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%a, %b : tensor<1x4x4x8xf32>, tensor<1x4x4x8xf32>) outs(%e : tensor<1x8x4x4xf32>) {
  ^bb0(%x: f32, %y: f32, %out: f32):
    %s = arith.addf %x, %y : f32
    %r = arith.maximumf %s, %zero : f32
    linalg.yield %r : f32
  } -> tensor<1x8x4x4xf32>
  %et = tensor.empty() : tensor<1x4x4x8xf32>
  %t = linalg.transpose ins(%relu : tensor<1x8x4x4xf32>) outs(%et : tensor<1x4x4x8xf32>) permutation = [0, 2, 3, 1]
  %f = linalg.fill ins(%zero : f32) outs(%et : tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32>
  %c = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%t, %w : tensor<1x4x4x8xf32>, tensor<1x1x8x8xf32>) outs(%f : tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32>
  %corner = tensor.extract_slice %relu[0, 0, 0, 0] [1, 8, 2, 2] [1, 1, 1, 1] : tensor<1x8x4x4xf32> to tensor<1x8x2x2xf32>
  %ec = tensor.empty() : tensor<1x2x2x8xf32>
  %tc = linalg.transpose ins(%corner : tensor<1x8x2x2xf32>) outs(%ec : tensor<1x2x2x8xf32>) permutation = [0, 2, 3, 1]
  %fc = linalg.fill ins(%zero : f32) outs(%ec : tensor<1x2x2x8xf32>) -> tensor<1x2x2x8xf32>
  %cc = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%tc, %w : tensor<1x2x2x8xf32>, tensor<1x1x8x8xf32>) outs(%fc : tensor<1x2x2x8xf32>) -> tensor<1x2x2x8xf32>
  %ep = tensor.empty() : tensor<1x8xf32>
  %fp = linalg.fill ins(%zero : f32) outs(%ep : tensor<1x8xf32>) -> tensor<1x8xf32>
  %p = linalg.generic {indexing_maps = [#id, #pool], iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
      ins(%relu : tensor<1x8x4x4xf32>) outs(%fp : tensor<1x8xf32>) {
  ^bb0(%x: f32, %out: f32):
    %s = arith.addf %x, %out : f32
    linalg.yield %s : f32
  } -> tensor<1x8xf32>
  return %c, %cc, %p : tensor<1x4x4x8xf32>, tensor<1x2x2x8xf32>, tensor<1x8xf32>
}

// -----

// A pad that two convs read (MobileOne's parallel 3x3 branches share one
// padded input), both through the same transpose, moves above the
// transposes all the same: the relu then writes NHWC and no transpose is
// left but the model input's.
// CHECK-LABEL: func @shared_pad
// CHECK: %[[X:.*]] = linalg.transpose ins(%arg0
// CHECK: %[[C:.*]] = linalg.conv_2d_nhwc_hwcf {{.*}} ins(%[[X]]
// CHECK: %[[RELU:.*]] = linalg.generic {{.*}} ins(%[[C]] : tensor<1x6x6x8xf32>) outs(%{{.*}} : tensor<1x6x6x8xf32>)
// CHECK: %[[PAD:.*]] = tensor.pad %[[RELU]] low[0, 1, 1, 0] high[0, 1, 1, 0]
// CHECK: linalg.conv_2d_nhwc_hwcf {{.*}} ins(%[[PAD]], %arg2
// CHECK: linalg.conv_2d_nhwc_hwcf {{.*}} ins(%[[PAD]], %arg3
// CHECK-NOT: linalg.transpose
#id2 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @shared_pad(%x: tensor<1x8x6x6xf32>, %w1: tensor<1x1x8x8xf32>, %w2: tensor<3x3x8x8xf32>, %w3: tensor<3x3x8x8xf32>) -> (tensor<1x6x6x8xf32>, tensor<1x6x6x8xf32>) {
  %zero = arith.constant 0.0 : f32
  %e_nhwc = tensor.empty() : tensor<1x6x6x8xf32>
  %e_nchw = tensor.empty() : tensor<1x8x6x6xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%e_nhwc : tensor<1x6x6x8xf32>) -> tensor<1x6x6x8xf32>
  %xt = linalg.transpose ins(%x : tensor<1x8x6x6xf32>) outs(%e_nhwc : tensor<1x6x6x8xf32>) permutation = [0, 2, 3, 1]
  %c1 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%xt, %w1 : tensor<1x6x6x8xf32>, tensor<1x1x8x8xf32>) outs(%acc : tensor<1x6x6x8xf32>) -> tensor<1x6x6x8xf32>
  %c1t = linalg.transpose ins(%c1 : tensor<1x6x6x8xf32>) outs(%e_nchw : tensor<1x8x6x6xf32>) permutation = [0, 3, 1, 2]
  %relu = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
    ins(%c1t : tensor<1x8x6x6xf32>) outs(%e_nchw : tensor<1x8x6x6xf32>) {
  ^bb0(%a: f32, %out: f32):
    %r = arith.maximumf %a, %zero : f32
    linalg.yield %r : f32
  } -> tensor<1x8x6x6xf32>
  %padded = tensor.pad %relu low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x8x6x6xf32> to tensor<1x8x8x8xf32>
  %e_pad = tensor.empty() : tensor<1x8x8x8xf32>
  %pt1 = linalg.transpose ins(%padded : tensor<1x8x8x8xf32>) outs(%e_pad : tensor<1x8x8x8xf32>) permutation = [0, 2, 3, 1]
  %c2 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%pt1, %w2 : tensor<1x8x8x8xf32>, tensor<3x3x8x8xf32>) outs(%acc : tensor<1x6x6x8xf32>) -> tensor<1x6x6x8xf32>
  %pt2 = linalg.transpose ins(%padded : tensor<1x8x8x8xf32>) outs(%e_pad : tensor<1x8x8x8xf32>) permutation = [0, 2, 3, 1]
  %c3 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%pt2, %w3 : tensor<1x8x8x8xf32>, tensor<3x3x8x8xf32>) outs(%acc : tensor<1x6x6x8xf32>) -> tensor<1x6x6x8xf32>
  return %c2, %c3 : tensor<1x6x6x8xf32>, tensor<1x6x6x8xf32>
}

// -----

// Tokens [1, HW, C] made an image for an NHWC conv (PVT's MLP: transpose to
// [1, C, HW], reshape to NCHW, transpose to NHWC) are a reshape of the
// tokens: both transposes go.
// CHECK-LABEL: func @tokens_to_image
// CHECK-NOT: linalg.transpose
// CHECK: %[[IMG:.*]] = tensor.expand_shape %arg0 {{\[}}[0], [1, 2], [3]] output_shape [1, 2, 3, 4] : tensor<1x6x4xf32> into tensor<1x2x3x4xf32>
// CHECK-NOT: linalg.transpose
// CHECK: linalg.conv_2d_nhwc_hwcf {{.*}} ins(%[[IMG]], %arg1
func.func @tokens_to_image(%t: tensor<1x6x4xf32>, %w: tensor<1x1x4x4xf32>) -> tensor<1x2x3x4xf32> {
  %zero = arith.constant 0.0 : f32
  %e_cn = tensor.empty() : tensor<1x4x6xf32>
  %cn = linalg.transpose ins(%t : tensor<1x6x4xf32>) outs(%e_cn : tensor<1x4x6xf32>) permutation = [0, 2, 1]
  %img = tensor.expand_shape %cn [[0], [1], [2, 3]] output_shape [1, 4, 2, 3] : tensor<1x4x6xf32> into tensor<1x4x2x3xf32>
  %e_nhwc = tensor.empty() : tensor<1x2x3x4xf32>
  %x = linalg.transpose ins(%img : tensor<1x4x2x3xf32>) outs(%e_nhwc : tensor<1x2x3x4xf32>) permutation = [0, 2, 3, 1]
  %acc = linalg.fill ins(%zero : f32) outs(%e_nhwc : tensor<1x2x3x4xf32>) -> tensor<1x2x3x4xf32>
  %c = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : tensor<1x2x3x4xf32>, tensor<1x1x4x4xf32>) outs(%acc : tensor<1x2x3x4xf32>) -> tensor<1x2x3x4xf32>
  return %c : tensor<1x2x3x4xf32>
}
