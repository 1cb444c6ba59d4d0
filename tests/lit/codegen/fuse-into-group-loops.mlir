// RUN: acnn-opt %s -split-input-file -pass-pipeline="builtin.module(func.func(acnn-fuse-into-group-loops))" | FileCheck %s

// A 2-group conv (4 channels a group) with its bias broadcast before the
// loop and a relu after it: both move into the step, as tiles of the
// group's place; the loop writes the relu's destination.
// CHECK-LABEL: func.func @grouped
// The relu's destination came after the loop: a new one comes before it.
// CHECK: tensor.empty() : tensor<1x4x4x8xf32>
// CHECK-NEXT: %[[DEST:.*]] = tensor.empty() : tensor<1x4x4x8xf32>
// CHECK-NEXT: %[[LOOP:.*]] = scf.forall (%[[G:.*]]) in (2) shared_outs(%[[OUT:.*]] = %[[DEST]])
// CHECK: %[[PLACE:.*]] = tensor.extract_slice %[[OUT]]
// CHECK: %[[START:.*]] = linalg.broadcast ins(%{{.*}} : tensor<4xf32>) outs(%[[PLACE]] : tensor<1x4x4x4xf32>)
// CHECK: %[[CONV:.*]] = linalg.conv_2d_nhwc_hwcf {{.*}} outs(%[[START]] : tensor<1x4x4x4xf32>)
// CHECK: %[[RELU:.*]] = linalg.generic {{.*}} ins(%[[CONV]] : tensor<1x4x4x4xf32>) outs(%[[CONV]] : tensor<1x4x4x4xf32>)
// CHECK: arith.maximumf
// CHECK: tensor.parallel_insert_slice %[[RELU]] into %[[OUT]]
// CHECK-NOT: linalg.
// CHECK: return %[[LOOP]]
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @grouped(%x: tensor<1x6x6x8xf32>, %w: tensor<2x3x3x4x4xf32>, %bias: tensor<8xf32>) -> tensor<1x4x4x8xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x4x4x8xf32>
  %start = linalg.broadcast ins(%bias : tensor<8xf32>) outs(%e : tensor<1x4x4x8xf32>) dimensions = [0, 1, 2]
  %y = scf.forall (%g) in (2) shared_outs(%o = %start) -> tensor<1x4x4x8xf32> {
    %c4 = arith.constant 4 : index
    %c = arith.muli %g, %c4 : index
    %in = tensor.extract_slice %x[0, 0, 0, %c] [1, 6, 6, 4] [1, 1, 1, 1] : tensor<1x6x6x8xf32> to tensor<1x6x6x4xf32>
    %wg = tensor.extract_slice %w[%g, 0, 0, 0, 0] [1, 3, 3, 4, 4] [1, 1, 1, 1, 1] : tensor<2x3x3x4x4xf32> to tensor<3x3x4x4xf32>
    %place = tensor.extract_slice %o[0, 0, 0, %c] [1, 4, 4, 4] [1, 1, 1, 1] : tensor<1x4x4x8xf32> to tensor<1x4x4x4xf32>
    %conv = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%in, %wg : tensor<1x6x6x4xf32>, tensor<3x3x4x4xf32>) outs(%place : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
    scf.forall.in_parallel {
      tensor.parallel_insert_slice %conv into %o[0, 0, 0, %c] [1, 4, 4, 4] [1, 1, 1, 1] : tensor<1x4x4x4xf32> into tensor<1x4x4x8xf32>
    }
  }
  %e2 = tensor.empty() : tensor<1x4x4x8xf32>
  %relu = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%y : tensor<1x4x4x8xf32>) outs(%e2 : tensor<1x4x4x8xf32>) {
  ^bb0(%a: f32, %out: f32):
    %r = arith.maximumf %a, %zero : f32
    linalg.yield %r : f32
  } -> tensor<1x4x4x8xf32>
  return %relu : tensor<1x4x4x8xf32>
}

// -----

// The epilogue adds a tensor computed after the loop: it stays outside; the
// start still moves in, and the loop writes where the start did.
// CHECK-LABEL: func.func @late_operand
// CHECK: %[[E:.*]] = tensor.empty() : tensor<1x4x4x8xf32>
// CHECK: scf.forall (%{{.*}}) in (2) shared_outs(%[[OUT:.*]] = %[[E]])
// CHECK: %[[PLACE:.*]] = tensor.extract_slice %[[OUT]]
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%[[PLACE]] : tensor<1x4x4x4xf32>)
// CHECK: linalg.conv_2d_nhwc_hwcf
// CHECK: scf.forall.in_parallel
// CHECK: %[[LATE:.*]] = math.exp
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[LATE]] : tensor<1x4x4x8xf32>, tensor<1x4x4x8xf32>)
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @late_operand(%x: tensor<1x6x6x8xf32>, %w: tensor<2x3x3x4x4xf32>, %r: tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x4x4x8xf32>
  %start = linalg.fill ins(%zero : f32) outs(%e : tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32>
  %y = scf.forall (%g) in (2) shared_outs(%o = %start) -> tensor<1x4x4x8xf32> {
    %c4 = arith.constant 4 : index
    %c = arith.muli %g, %c4 : index
    %in = tensor.extract_slice %x[0, 0, 0, %c] [1, 6, 6, 4] [1, 1, 1, 1] : tensor<1x6x6x8xf32> to tensor<1x6x6x4xf32>
    %wg = tensor.extract_slice %w[%g, 0, 0, 0, 0] [1, 3, 3, 4, 4] [1, 1, 1, 1, 1] : tensor<2x3x3x4x4xf32> to tensor<3x3x4x4xf32>
    %place = tensor.extract_slice %o[0, 0, 0, %c] [1, 4, 4, 4] [1, 1, 1, 1] : tensor<1x4x4x8xf32> to tensor<1x4x4x4xf32>
    %conv = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%in, %wg : tensor<1x6x6x4xf32>, tensor<3x3x4x4xf32>) outs(%place : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
    scf.forall.in_parallel {
      tensor.parallel_insert_slice %conv into %o[0, 0, 0, %c] [1, 4, 4, 4] [1, 1, 1, 1] : tensor<1x4x4x4xf32> into tensor<1x4x4x8xf32>
    }
  }
  %late = math.exp %r : tensor<1x4x4x8xf32>
  %e2 = tensor.empty() : tensor<1x4x4x8xf32>
  %sum = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%y, %late : tensor<1x4x4x8xf32>, tensor<1x4x4x8xf32>) outs(%e2 : tensor<1x4x4x8xf32>) {
  ^bb0(%a: f32, %b: f32, %out: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<1x4x4x8xf32>
  return %sum : tensor<1x4x4x8xf32>
}

// -----

// The start is read by another op too: the loop's output holds values the
// steps accumulate on, so neither it nor the epilogue moves.
// CHECK-LABEL: func.func @shared_start
// CHECK: %[[START:.*]] = linalg.fill
// CHECK: scf.forall (%{{.*}}) in (2) shared_outs(%{{.*}} = %[[START]])
// CHECK-NOT: linalg.fill
// CHECK-NOT: linalg.generic
// CHECK: scf.forall.in_parallel
// CHECK: linalg.generic
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @shared_start(%x: tensor<1x6x6x8xf32>, %w: tensor<2x3x3x4x4xf32>) -> (tensor<1x4x4x8xf32>, tensor<1x4x4x8xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x4x4x8xf32>
  %start = linalg.fill ins(%zero : f32) outs(%e : tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32>
  %y = scf.forall (%g) in (2) shared_outs(%o = %start) -> tensor<1x4x4x8xf32> {
    %c4 = arith.constant 4 : index
    %c = arith.muli %g, %c4 : index
    %in = tensor.extract_slice %x[0, 0, 0, %c] [1, 6, 6, 4] [1, 1, 1, 1] : tensor<1x6x6x8xf32> to tensor<1x6x6x4xf32>
    %wg = tensor.extract_slice %w[%g, 0, 0, 0, 0] [1, 3, 3, 4, 4] [1, 1, 1, 1, 1] : tensor<2x3x3x4x4xf32> to tensor<3x3x4x4xf32>
    %place = tensor.extract_slice %o[0, 0, 0, %c] [1, 4, 4, 4] [1, 1, 1, 1] : tensor<1x4x4x8xf32> to tensor<1x4x4x4xf32>
    %conv = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%in, %wg : tensor<1x6x6x4xf32>, tensor<3x3x4x4xf32>) outs(%place : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
    scf.forall.in_parallel {
      tensor.parallel_insert_slice %conv into %o[0, 0, 0, %c] [1, 4, 4, 4] [1, 1, 1, 1] : tensor<1x4x4x4xf32> into tensor<1x4x4x8xf32>
    }
  }
  %e2 = tensor.empty() : tensor<1x4x4x8xf32>
  %relu = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%y : tensor<1x4x4x8xf32>) outs(%e2 : tensor<1x4x4x8xf32>) {
  ^bb0(%a: f32, %out: f32):
    %r = arith.maximumf %a, %zero : f32
    linalg.yield %r : f32
  } -> tensor<1x4x4x8xf32>
  return %relu, %start : tensor<1x4x4x8xf32>, tensor<1x4x4x8xf32>
}

// -----

// A loop over groups and blocks of output rows (acnn-kernel-layouts cuts 3
// groups in 2 blocks for 2 threads): the start and the relu move in as tiles
// of the step's rows and channels.
// CHECK-LABEL: func.func @grouped_rows
// CHECK: %[[LOOP:.*]] = scf.forall (%[[G:.*]], %[[B:.*]]) in (3, 2) shared_outs(%[[OUT:.*]] = %{{.*}})
// CHECK: %[[PLACE:.*]] = tensor.extract_slice %[[OUT]][0, %[[ROW:.*]], 0, %[[CH:.*]]] [1, 2, 4, 4]
// CHECK: %[[BIAS:.*]] = tensor.extract_slice %{{.*}}[%[[CH]]] [4] [1]
// CHECK: %[[START:.*]] = linalg.broadcast ins(%[[BIAS]] : tensor<4xf32>) outs(%[[PLACE]] : tensor<1x2x4x4xf32>)
// CHECK: %[[CONV:.*]] = linalg.conv_2d_nhwc_hwcf {{.*}} outs(%[[START]] : tensor<1x2x4x4xf32>)
// CHECK: %[[RELU:.*]] = linalg.generic {{.*}} ins(%[[CONV]] : tensor<1x2x4x4xf32>) outs(%[[CONV]] : tensor<1x2x4x4xf32>)
// CHECK: tensor.parallel_insert_slice %[[RELU]] into %[[OUT]][0, %[[ROW]], 0, %[[CH]]] [1, 2, 4, 4]
// CHECK-NOT: linalg.
// CHECK: return %[[LOOP]]
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @grouped_rows(%x: tensor<1x6x6x12xf32>, %w: tensor<3x3x3x4x4xf32>, %bias: tensor<12xf32>) -> tensor<1x4x4x12xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x4x4x12xf32>
  %start = linalg.broadcast ins(%bias : tensor<12xf32>) outs(%e : tensor<1x4x4x12xf32>) dimensions = [0, 1, 2]
  %y = scf.forall (%g, %b) in (3, 2) shared_outs(%o = %start) -> tensor<1x4x4x12xf32> {
    %c4 = arith.constant 4 : index
    %c2 = arith.constant 2 : index
    %c = arith.muli %g, %c4 : index
    %r = arith.muli %b, %c2 : index
    %in = tensor.extract_slice %x[0, %r, 0, %c] [1, 4, 6, 4] [1, 1, 1, 1] : tensor<1x6x6x12xf32> to tensor<1x4x6x4xf32>
    %wg = tensor.extract_slice %w[%g, 0, 0, 0, 0] [1, 3, 3, 4, 4] [1, 1, 1, 1, 1] : tensor<3x3x3x4x4xf32> to tensor<3x3x4x4xf32>
    %place = tensor.extract_slice %o[0, %r, 0, %c] [1, 2, 4, 4] [1, 1, 1, 1] : tensor<1x4x4x12xf32> to tensor<1x2x4x4xf32>
    %conv = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%in, %wg : tensor<1x4x6x4xf32>, tensor<3x3x4x4xf32>) outs(%place : tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
    scf.forall.in_parallel {
      tensor.parallel_insert_slice %conv into %o[0, %r, 0, %c] [1, 2, 4, 4] [1, 1, 1, 1] : tensor<1x2x4x4xf32> into tensor<1x4x4x12xf32>
    }
  }
  %e2 = tensor.empty() : tensor<1x4x4x12xf32>
  %relu = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%y : tensor<1x4x4x12xf32>) outs(%e2 : tensor<1x4x4x12xf32>) {
  ^bb0(%a: f32, %out: f32):
    %m = arith.maximumf %a, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x4x4x12xf32>
  return %relu : tensor<1x4x4x12xf32>
}
