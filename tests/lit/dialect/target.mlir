// RUN: acnn-opt %s -split-input-file -verify-diagnostics | FileCheck %s

// The target round-trips in the form the driver writes it.
// CHECK: module attributes {acnn.target = #acnn.target<cpu = "sapphirerapids", isa = "avx512", vector_bits = 512, vector_registers = 32, l1_bytes = 49152, l2_bytes = 2097152, l3_bytes = 62914560, threads = 2>}
module attributes {acnn.target = #acnn.target<cpu = "sapphirerapids", isa = "avx512", vector_bits = 512, vector_registers = 32, l1_bytes = 49152, l2_bytes = 2097152, l3_bytes = 62914560, threads = 2>} {
}

// -----

// A machine without an L3 says 0.
// CHECK: l3_bytes = 0, threads = 1
module attributes {acnn.target = #acnn.target<cpu = "x86-64", isa = "sse", vector_bits = 128, vector_registers = 16, l1_bytes = 32768, l2_bytes = 262144, l3_bytes = 0, threads = 1>} {
}

// -----

// expected-error @+1 {{target ISA 'neon' is not sse, avx2 or avx512}}
module attributes {acnn.target = #acnn.target<cpu = "x", isa = "neon", vector_bits = 128, vector_registers = 16, l1_bytes = 32768, l2_bytes = 262144, l3_bytes = 0, threads = 1>} {
}

// -----

// expected-error @+1 {{target ISA avx2 has 256-bit vectors, not 512}}
module attributes {acnn.target = #acnn.target<cpu = "x", isa = "avx2", vector_bits = 512, vector_registers = 16, l1_bytes = 32768, l2_bytes = 262144, l3_bytes = 0, threads = 1>} {
}

// -----

// expected-error @+1 {{target has 8 vector registers; x86-64 has 16 (32 with AVX-512)}}
module attributes {acnn.target = #acnn.target<cpu = "x", isa = "avx2", vector_bits = 256, vector_registers = 8, l1_bytes = 32768, l2_bytes = 262144, l3_bytes = 0, threads = 1>} {
}

// -----

// expected-error @+1 {{target caches must grow: L1 32768 (at least 1024), L2 16384, L3 0 bytes (0: none)}}
module attributes {acnn.target = #acnn.target<cpu = "x", isa = "avx2", vector_bits = 256, vector_registers = 16, l1_bytes = 32768, l2_bytes = 16384, l3_bytes = 0, threads = 1>} {
}

// -----

// expected-error @+1 {{target threads 0 is not in [1, 1024]}}
module attributes {acnn.target = #acnn.target<cpu = "x", isa = "avx2", vector_bits = 256, vector_registers = 16, l1_bytes = 32768, l2_bytes = 262144, l3_bytes = 0, threads = 0>} {
}

// -----

// Every parameter is required: a target without threads is a parse error.
// expected-error @+1 {{expected ','}}
module attributes {acnn.target = #acnn.target<cpu = "x", isa = "avx2", vector_bits = 256, vector_registers = 16, l1_bytes = 32768, l2_bytes = 262144, l3_bytes = 0>} {
}
