// RUN: acnn-opt %s -pass-pipeline="builtin.module(acnn-select-schedules{target=avx2},acnn-apply-schedules{hoist=false})" -verify-diagnostics -o /dev/null

// A conv whose accumulator is loaded and stored in every reduction step
// (hoisting off) is reported.
// expected-warning @+1 {{a vectorised reduction loop still loads and stores its accumulator every iteration (not hoisted)}}
func.func @unhoisted(%x: tensor<1x10x10x8xf32>, %w: tensor<3x3x8x16xf32>, %o: tensor<1x8x8x16xf32>) -> tensor<1x8x8x16xf32> {
  %r = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : tensor<1x10x10x8xf32>, tensor<3x3x8x16xf32>) outs(%o : tensor<1x8x8x16xf32>) -> tensor<1x8x8x16xf32>
  return %r : tensor<1x8x8x16xf32>
}
