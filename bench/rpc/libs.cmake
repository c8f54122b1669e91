set(BENCH_LIBS keeper::core keeper::chain keeper::test_support)
