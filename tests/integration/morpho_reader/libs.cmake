set(INTEGRATION_LIBS keeper::chain keeper::margin)
