set(BENCH_LIBS keeper::core keeper::margin keeper::chain keeper::protocols keeper::app_devnet keeper::app_daemon)
