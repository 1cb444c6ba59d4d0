// RUN: acnn-opt %s -split-input-file -pass-pipeline="builtin.module(acnn-apply-schedules)" -verify-diagnostics -o /dev/null

// A schedule is checked against the loops of its kernel before it is
// rendered; the error names the kernel.
func.func @rank(%a: tensor<64x64xf32>, %b: tensor<64x64xf32>, %c: tensor<64x64xf32>) -> tensor<64x64xf32> {
  // expected-error @+1 {{kernel 'mm': schedule tile has 2 sizes; linalg.matmul has 3 loops}}
  %m = linalg.matmul {acnn.kernel = 0 : i64, acnn.kernel_entry = "mm", acnn.schedule = #acnn.schedule<matmul, vector = 8, tile = [4, 8], vectorize>}
    ins(%a, %b : tensor<64x64xf32>, tensor<64x64xf32>) outs(%c : tensor<64x64xf32>) -> tensor<64x64xf32>
  return %m : tensor<64x64xf32>
}

// -----

func.func @reduction(%a: tensor<64x64xf32>, %b: tensor<64x64xf32>, %c: tensor<64x64xf32>) -> tensor<64x64xf32> {
  // expected-error @+1 {{kernel 'mm': schedule parallel loop 2 is not a parallel loop of linalg.matmul}}
  %m = linalg.matmul {acnn.kernel = 0 : i64, acnn.kernel_entry = "mm", acnn.schedule = #acnn.schedule<matmul, vector = 8, parallel = [2], tile = [4, 8, 1], vectorize>}
    ins(%a, %b : tensor<64x64xf32>, tensor<64x64xf32>) outs(%c : tensor<64x64xf32>) -> tensor<64x64xf32>
  return %m : tensor<64x64xf32>
}

// -----

// A peeled loop is one its register tile leaves a remainder of (4 divides 64).
func.func @peel_divided(%a: tensor<64x64xf32>, %b: tensor<64x64xf32>, %c: tensor<64x64xf32>) -> tensor<64x64xf32> {
  // expected-error @+1 {{kernel 'mm': schedule peels loop 0, which is not a parallel loop of linalg.matmul that its register tile leaves a remainder of (and that no split cuts)}}
  %m = linalg.matmul {acnn.kernel = 0 : i64, acnn.kernel_entry = "mm", acnn.schedule = #acnn.schedule<matmul, vector = 8, peel = [0], tile = [4, 8, 1], vectorize>}
    ins(%a, %b : tensor<64x64xf32>, tensor<64x64xf32>) outs(%c : tensor<64x64xf32>) -> tensor<64x64xf32>
  return %m : tensor<64x64xf32>
}

// -----

func.func @peel_elementwise(%x: tensor<4x100xf32>, %o: tensor<4x100xf32>) -> tensor<4x100xf32> {
  // expected-error @+1 {{kernel 'ew': a schedule peels at most one loop, of a matmul}}
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<4x100xf32>) outs(%o : tensor<4x100xf32>) attrs = {acnn.kernel = 0 : i64, acnn.kernel_entry = "ew", acnn.schedule = #acnn.schedule<elementwise, vector = 8, peel = [1], tile = [1, 32], vectorize>} {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<4x100xf32>
  return %r : tensor<4x100xf32>
}

// -----

func.func @decompose(%a: tensor<64x64xf32>, %b: tensor<64x64xf32>, %c: tensor<64x64xf32>) -> tensor<64x64xf32> {
  // expected-error @+1 {{kernel 'mm': only a 2-D NHWC conv, depthwise conv or pooling decomposes; the kernel is linalg.matmul}}
  %m = linalg.matmul {acnn.kernel = 0 : i64, acnn.kernel_entry = "mm", acnn.schedule = #acnn.schedule<conv, vector = 8, tile = [4, 8, 1], decompose, vectorize>}
    ins(%a, %b : tensor<64x64xf32>, tensor<64x64xf32>) outs(%c : tensor<64x64xf32>) -> tensor<64x64xf32>
  return %m : tensor<64x64xf32>
}

// -----

// transform.structured.decompose rewrites one output row of a conv at a time.
func.func @decompose_rows(%x: tensor<1x9x9x8xf32>, %w: tensor<3x3x8x16xf32>, %o: tensor<1x7x7x16xf32>) -> tensor<1x7x7x16xf32> {
  // expected-error @+1 {{kernel 'conv': a schedule that decomposes tiles loop 1 of linalg.conv_2d_nhwc_hwcf by 1, not 2 (a tile of several output rows vectorises without decompose)}}
  %r = linalg.conv_2d_nhwc_hwcf {acnn.kernel = 0 : i64, acnn.kernel_entry = "conv", acnn.schedule = #acnn.schedule<conv, vector = 8, tile = [1, 2, 3, 16, 1, 1, 4], decompose, vectorize>, dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : tensor<1x9x9x8xf32>, tensor<3x3x8x16xf32>) outs(%o : tensor<1x7x7x16xf32>) -> tensor<1x7x7x16xf32>
  return %r : tensor<1x7x7x16xf32>
}

// -----

func.func @dynamic(%a: tensor<?x64xf32>, %b: tensor<64x64xf32>, %c: tensor<?x64xf32>) -> tensor<?x64xf32> {
  // expected-error @+1 {{kernel 'mm': a schedule that tiles needs static shapes on tensors; linalg.matmul has none}}
  %m = linalg.matmul {acnn.kernel = 0 : i64, acnn.kernel_entry = "mm", acnn.schedule = #acnn.schedule<matmul, vector = 8, tile = [4, 8, 1], vectorize>}
    ins(%a, %b : tensor<?x64xf32>, tensor<64x64xf32>) outs(%c : tensor<?x64xf32>) -> tensor<?x64xf32>
  return %m : tensor<?x64xf32>
}

// -----

func.func @unselected(%a: tensor<64x64xf32>, %b: tensor<64x64xf32>, %c: tensor<64x64xf32>) -> tensor<64x64xf32> {
  // expected-error @+1 {{kernel 'mm' has no acnn.schedule (acnn-select-schedules makes them)}}
  %m = linalg.matmul {acnn.kernel = 0 : i64, acnn.kernel_entry = "mm"}
    ins(%a, %b : tensor<64x64xf32>, tensor<64x64xf32>) outs(%c : tensor<64x64xf32>) -> tensor<64x64xf32>
  return %m : tensor<64x64xf32>
}

// -----

// A group's script splits inside its thread loop only: not the rows the
// threads cut.
#id2 = affine_map<(d0, d1) -> (d0, d1)>
func.func @group_split_thread_loop(%a: tensor<100x64xf32>, %b: tensor<64x64xf32>, %c: tensor<100x64xf32>) -> tensor<100x64xf32> {
  %m = linalg.matmul {acnn.group_body = 0 : i64} ins(%a, %b : tensor<100x64xf32>, tensor<64x64xf32>) outs(%c : tensor<100x64xf32>) -> tensor<100x64xf32>
  // expected-error @+1 {{kernel 'mm': a group's schedule splits one loop at most, inside its thread loop (a loop its threads do not cut), and peels none}}
  %r = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%m : tensor<100x64xf32>) outs(%c : tensor<100x64xf32>) attrs = {acnn.kernel = 0 : i64, acnn.kernel_entry = "mm", acnn.schedule = #acnn.schedule<matmul, vector = 8, split = [[0, 96]], parallel = [0], tile = [6, 16, 1], order = [1, 0, 2], vectorize>} {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<100x64xf32>
  return %r : tensor<100x64xf32>
}
