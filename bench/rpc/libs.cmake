set(BENCH_LIBS keeper::core keeper::chain keeper::app_devnet)
